import { test, expect, type Request } from '@playwright/test';
import { main, openNav, screenshot, signInAsAdmin } from './helpers';

// The portal is one layout: the frame (user, scope, navigation) is loaded once per full page load,
// and a client-side navigation asks the server only for the new page's own data.

test('a client-side navigation between portal pages asks only for that page\'s data', async ({ page }, info) => {
  await signInAsAdmin(page);
  // Home listens to the live stream once hydrated: its request says the page is interactive.
  const stream = page.waitForRequest((r) => new URL(r.url()).pathname === '/events/stream');
  await page.goto('/');
  await stream;

  const asked: string[] = [];
  const documents: string[] = [];
  const record = (r: Request) => {
    const path = new URL(r.url()).pathname;
    if (r.resourceType() === 'document') documents.push(path);
    else if (path.startsWith('/api/')) asked.push(path);
  };
  page.on('request', record);

  await openNav(page, 'Tenants');
  await expect(main(page).getByText(/^Loading /)).toHaveCount(0);
  const toTenants = [...asked];
  asked.length = 0;

  await openNav(page, 'Users');
  await expect(main(page).getByRole('link', { name: 'admin', exact: true })).toBeVisible();
  const toUsers = [...asked];
  page.off('request', record);
  console.log(`requests per navigation: Tenants ${JSON.stringify(toTenants)}, Users ${JSON.stringify(toUsers)}`);

  expect(documents, 'no full page load').toEqual([]);
  for (const made of [toTenants, toUsers]) {
    expect(made.length, 'the page loaded its own data').toBeGreaterThan(0);
    expect(made.filter((p) => p.includes('current_user')), 'the frame did not ask for the user again').toEqual([]);
    expect(new Set(made).size, 'each request once').toBe(made.length);
  }
  // The frame is the same frame: the user menu still names the admin.
  await expect(page.locator('.user-menu summary')).toContainText('Administrator');
  await screenshot(page, 'layout-users', info.project.name);
});

test('pages and answers are compressed, site files are content-hashed and cached for good', async ({ page, request }) => {
  await page.goto('/login');
  const html = await request.get('/login', { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(html.headers()['content-encoding']).toBe('br');
  expect(html.headers()['cache-control']).toBe('no-cache');
  const body = await html.text();
  const wasm = /\/pkg\/([0-9a-f]{16}\/portico)_bg\.wasm/.exec(body);
  expect(wasm, 'the page names a hashed wasm').not.toBeNull();
  const asset = await request.get(`/pkg/${wasm![1]}_bg.wasm`, { headers: { 'Accept-Encoding': 'gzip' } });
  expect(asset.status()).toBe(200);
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(asset.headers()['content-encoding']).toBe('gzip');
  // A browser that takes brotli gets the smaller copy.
  const br = await request.get(`/pkg/${wasm![1]}_bg.wasm`, { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(br.status()).toBe(200);
  expect(br.headers()['content-encoding']).toBe('br');
  expect((await br.body()).byteLength).toBeGreaterThan(100_000);
});

test('the first page load fetches only the main wasm; a page\'s own code arrives when it is visited', async ({ page }, info) => {
  const wasm: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) wasm.push(path.replace(/^\/pkg\/[0-9a-f]{16}\//, ''));
  });
  // Sign-in page, then home: the budget `make test` checks covers exactly these files.
  await signInAsAdmin(page);
  const stream = page.waitForRequest((r) => new URL(r.url()).pathname === '/events/stream');
  await page.goto('/');
  await stream;
  expect(wasm.filter((w) => w !== 'portico_bg.wasm'), 'no route chunk on the sign-in and home pages').toEqual([]);
  expect(wasm.length).toBeGreaterThan(0);

  // A client-side visit to another page loads that page's chunk, and the page works.
  wasm.length = 0;
  await openNav(page, 'Tenants');
  await expect(page.getByRole('heading', { level: 1, name: 'Tenants', exact: true })).toBeVisible();
  await expect(main(page).getByRole('region', { name: 'Tenants', exact: true })).toBeVisible();
  expect(wasm.length, 'the Tenants page came in its own chunk').toBeGreaterThan(0);
  expect(wasm).not.toContain('portico_bg.wasm');
  console.log(`chunks for Tenants: ${JSON.stringify(wasm)}`);

  // A full load straight into a split page hydrates it: its table tools need the wasm.
  await page.goto('/users');
  await expect(main(page).getByText('Columns', { exact: true })).toBeVisible();
  await main(page).getByText('Columns', { exact: true }).click();
  await expect(main(page).getByRole('checkbox', { name: 'E-mail', exact: true })).toBeVisible();
  await screenshot(page, 'split-users', info.project.name);
});

test('a data table hides the columns each user chooses, remembers them, and exports what it shows', async ({ page }, info) => {
  await signInAsAdmin(page);
  await page.goto('/users');
  await expect(page.getByRole('heading', { level: 1, name: 'Users', exact: true })).toBeVisible();
  const table = main(page).getByRole('region', { name: 'Users', exact: true });
  // The scroll region is reachable from the keyboard.
  await expect(table).toHaveAttribute('tabindex', '0');
  const header = (name: string) => table.getByRole('columnheader', { name, exact: true });
  await expect(header('E-mail')).toBeVisible();

  // Hide E-mail and Home; the choice is saved for this user and survives a full reload.
  await main(page).getByText('Columns', { exact: true }).click();
  const saved = page.waitForResponse((r) => r.url().includes('/api/save_hidden_columns') && r.status() === 200);
  await main(page).getByRole('checkbox', { name: 'E-mail', exact: true }).uncheck();
  await saved;
  const savedAgain = page.waitForResponse((r) => r.url().includes('/api/save_hidden_columns') && r.status() === 200);
  await main(page).getByRole('checkbox', { name: 'Home', exact: true }).uncheck();
  await savedAgain;
  await expect(header('E-mail')).toBeHidden();
  await page.reload();
  await expect(header('User name')).toBeVisible();
  await expect(header('E-mail')).toBeHidden();
  await expect(header('Home')).toBeHidden();
  await expect(header('Status')).toBeVisible();
  // The column that names the row cannot be hidden.
  await main(page).getByText('Columns', { exact: true }).click();
  await expect(main(page).getByRole('checkbox', { name: 'User name', exact: true })).toHaveCount(0);
  await screenshot(page, 'table-columns', info.project.name);

  // The export holds the shown columns, in order, and the rows on screen.
  const download = page.waitForEvent('download');
  await main(page).getByRole('button', { name: 'Export CSV', exact: true }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('users.csv');
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const lines = text.trim().split('\r\n');
  expect(lines[0]).toBe('User name,Display name,Role,Status');
  expect(lines.some((l) => l.startsWith('admin,'))).toBe(true);
  expect(lines.length - 1).toBe(await table.getByRole('row').filter({ has: page.getByRole('cell') }).count());

  // Put the columns back for the other journeys on this server.
  await main(page).getByRole('checkbox', { name: 'E-mail', exact: true }).check();
  await main(page).getByRole('checkbox', { name: 'Home', exact: true }).check();
  await expect(header('E-mail')).toBeVisible();
});
