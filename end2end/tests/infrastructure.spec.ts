import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  changeForcedPassword,
  createUser,
  main,
  openNav,
  screenshot,
  signIn,
  signInAsAdmin,
  signOut,
  uniqueSuffix,
} from './helpers';

// Later tests use what earlier ones create: the imported POPs, VIM and jobs.
test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();
/** The POP of the create / edit / delete journey, and the router that makes deleting it ask for its name. */
const manual = { pop: `e2e-ams-${n}`, router: `e2e-pe-${n}` };
/** What the import files hold: three POPs, a VIM in the first, a router in the second. */
const imported = {
  ams: `imp-ams-${n}`,
  rtm: `imp-rtm-${n}`,
  ber: `imp-ber-${n}`,
  vim: `imp-vim-${n}`,
  router: `imp-pe-${n}`,
};
const badFile = `pops-${n}-narnia.csv`;
const goodFile = `pops-${n}.csv`;
/** Distinctive VIM passwords, searched for in everything the browser receives. */
const IMPORTED_VIM_SECRET = `Vim-Secret-${n}`;
const FORM_VIM_SECRET = `Vim-Form-Secret-${n}`;
const formVim = `form-vim-${n}`;
const north = {
  name: `north-${n}`,
  display: `North Telecom ${n}`,
  pop: `north-pop-${n}`,
  spPop: `sp-pop-${n}`,
  admin: `north-admin-${n}`,
  adminDisplay: `North Admin ${n}`,
};
const OPCO_ADMIN_ROLE = 'OpCo Administrator (Operating company)';
const NORTH_ADMIN_PASSWORD = 'North-Opco-Chosen-9';

// ---- CSV files -----------------------------------------------------------------------------------

/** The brief's header: a subset of the template's columns, in its own order. */
const CSV_COLUMNS = [
  'type', 'name', 'pop', 'city', 'country', 'latitude', 'longitude', 'vim_type', 'auth_url', 'username',
  'password', 'role', 'management_address', 'loopback', 'asn',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** One CSV line, cells placed by column name; trailing empty cells are left off, as the format allows. */
function csvRow(cells: Partial<Record<Column, string>>): string {
  const values = CSV_COLUMNS.map((c) => cells[c] ?? '');
  while (values.length > 0 && values[values.length - 1] === '') values.pop();
  return values.join(',');
}

/** The import file; the Berlin POP's country is on line 4 (the header is line 1). */
function importFile(berlinCountry: string): string {
  return [
    CSV_COLUMNS.join(','),
    csvRow({ type: 'pop', name: imported.ams, city: 'Amsterdam', country: 'NL', latitude: '52.35', longitude: '4.95' }),
    csvRow({ type: 'pop', name: imported.rtm, city: 'Rotterdam', country: 'NL', latitude: '51.92', longitude: '4.48' }),
    csvRow({ type: 'pop', name: imported.ber, city: 'Berlin', country: berlinCountry, latitude: '52.52', longitude: '13.40' }),
    csvRow({
      type: 'vim',
      name: imported.vim,
      pop: imported.ams,
      vim_type: 'openstack',
      auth_url: 'https://keystone.example.net:5000/v3',
      username: 'cso',
      password: IMPORTED_VIM_SECRET,
    }),
    csvRow({
      type: 'router',
      name: imported.router,
      pop: imported.rtm,
      role: 'pe',
      management_address: '192.0.2.21',
      loopback: '10.255.0.21',
      asn: '64512',
    }),
  ].join('\n') + '\n';
}

// ---- Page helpers --------------------------------------------------------------------------------

/**
 * The value of one fact of a page's details list (<dt>Label</dt><dd>value</dd>). A <dd> has no
 * accessible name tying it to its <dt>, so this goes by the markup.
 */
function fact(page: Page, term: string): Locator {
  return main(page).locator(`dl.facts > dt:text-is("${term}") + dd`).first();
}

/** The rows of the tables within `scope` that hold data (not header rows). */
function dataRows(scope: Locator): Locator {
  return scope.getByRole('row').filter({ has: scope.page().getByRole('cell') });
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function idFrom(page: Page, pattern: RegExp): number {
  const match = pattern.exec(new URL(page.url()).pathname);
  expect(match, `${pattern} in ${page.url()}`).not.toBeNull();
  return Number(match![1]);
}

interface NewPop {
  name: string;
  city: string;
  country: string;
  latitude?: string;
  longitude?: string;
  /** The owning operating company's name (SP users only). */
  opco?: string;
}

/** Fills the New POP form (the page must show it) and submits it. */
async function submitNewPop(page: Page, pop: NewPop) {
  const form = main(page);
  await form.getByLabel('Name', { exact: true }).fill(pop.name);
  await form.getByLabel('City', { exact: true }).fill(pop.city);
  await form.getByLabel('Country', { exact: true }).fill(pop.country);
  await form.getByLabel('Latitude', { exact: true }).fill(pop.latitude ?? '');
  await form.getByLabel('Longitude', { exact: true }).fill(pop.longitude ?? '');
  if (pop.opco) await form.getByLabel('Operating company', { exact: true }).selectOption({ label: pop.opco });
  await form.getByRole('button', { name: 'Create POP' }).click();
}

/** POPs → New POP → Create POP. Returns the POP's id, from its page's address. */
async function createPop(page: Page, pop: NewPop): Promise<number> {
  await openNav(page, 'POPs');
  await main(page).getByRole('link', { name: 'New POP', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New POP' })).toBeVisible();
  await submitNewPop(page, pop);
  await expect(page).toHaveURL(/\/pops\/\d+\?notice=created$/);
  await expect(page.getByRole('status').filter({ hasText: 'POP created.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: pop.name, exact: true })).toBeVisible();
  return idFrom(page, /^\/pops\/(\d+)$/);
}

/**
 * Opens the POPs list and waits for its data: the heading shows before the list has loaded, and a
 * check that a POP is absent must not pass on a list still loading. "Import history" is part of the
 * loaded list's toolbar.
 */
async function openPopsList(page: Page) {
  await openNav(page, 'POPs');
  await expect(main(page).getByRole('link', { name: 'Import history', exact: true })).toBeVisible();
}

/** Opens a POP's page from the POPs list, by its name. Returns its id. */
async function openPop(page: Page, name: string): Promise<number> {
  await openNav(page, 'POPs');
  await main(page).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
  return idFrom(page, /^\/pops\/(\d+)$/);
}

type UploadButton = 'Check the file (dry run)' | 'Import';

/** Uploads a file from memory on /imports/new with one of the two buttons. Returns the import's id. */
async function upload(page: Page, fileName: string, content: string, button: UploadButton): Promise<number> {
  await page.goto('/imports/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Import POPs' })).toBeVisible();
  await main(page)
    .getByLabel('File to import', { exact: true })
    .setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf-8') });
  await main(page).getByRole('button', { name: button, exact: true }).click();
  // The upload is a plain multipart post; the server answers with the import's page.
  await expect(page).toHaveURL(/\/imports\/\d+$/);
  const kind = button === 'Import' ? 'Import' : 'Dry run';
  await expect(page.getByRole('heading', { level: 1, name: `${kind} of ${fileName}`, exact: true })).toBeVisible();
  return idFrom(page, /^\/imports\/(\d+)$/);
}

/** The error table's row of the Berlin POP: line 4, column country. */
async function expectNarniaError(page: Page) {
  const row = dataRows(main(page)).filter({ hasText: 'Narnia' });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell')).toHaveText(['4', 'country', /`?Narnia`? is not a country/]);
}

/**
 * Keeps the body of every document and /api/ response the page receives, to search them for
 * secrets. Redirects carry no body; any other body that cannot be read is kept as a failure, so a
 * check over the bodies cannot pass by having read nothing.
 */
function recordResponses(page: Page) {
  const bodies: { url: string; body: string }[] = [];
  const unreadable: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    const url = response.url();
    const isApi = new URL(url).pathname.startsWith('/api/');
    if (response.request().resourceType() !== 'document' && !isApi) return;
    if (response.status() >= 300 && response.status() < 400) return;
    pending.push(
      response.text().then(
        (body) => {
          bodies.push({ url, body });
        },
        (e: Error) => {
          unreadable.push(`${url}: ${e.message}`);
        },
      ),
    );
  });
  return {
    bodies,
    unreadable,
    async settled() {
      await Promise.all(pending);
    },
  };
}

// ---- Journeys ------------------------------------------------------------------------------------

test('an SP administrator creates, edits and deletes a POP with a router in it', async ({ page }, info) => {
  await signInAsAdmin(page);

  // A country that is none: the error is shown at the Country field, and nothing is created.
  await openNav(page, 'POPs');
  await main(page).getByRole('link', { name: 'New POP', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New POP' })).toBeVisible();
  const pop = { name: manual.pop, city: 'Amsterdam', country: 'Atlantis', latitude: '52.3547', longitude: '4.9553' };
  await submitNewPop(page, pop);
  const country = main(page).getByLabel('Country', { exact: true });
  await expect(country).toHaveAttribute('aria-invalid', 'true');
  // The message is the field's description (aria-describedby), shown right under it.
  await expect(country).toHaveAccessibleDescription(/`Atlantis` is not a country/);
  await expect(main(page).getByText(/`Atlantis` is not a country/)).toBeVisible();
  await expect(page).toHaveURL(/\/pops\/new$/);
  await page.goto(`/pops?q=${manual.pop}`);
  await expect(main(page).getByText('No POP matches your search.')).toBeVisible();

  const popId = await createPop(page, { ...pop, country: 'NL' });
  await expect(fact(page, 'City')).toHaveText('Amsterdam');
  await expect(fact(page, 'Country')).toHaveText('Netherlands (NL)');
  await expect(fact(page, 'Coordinates')).toHaveText('52.3547° N, 4.9553° E');
  await expect(fact(page, 'Owner')).toHaveText('Service provider');

  await main(page).getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit POP ${manual.pop}` })).toBeVisible();
  await expect(main(page).getByLabel('City', { exact: true })).toHaveValue('Amsterdam');
  await main(page).getByLabel('City', { exact: true }).fill('Amstelveen');
  await main(page).getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`/pops/${popId}\\?notice=saved$`));
  await expect(page.getByRole('status').filter({ hasText: 'Changes saved.' })).toBeVisible();
  await expect(fact(page, 'City')).toHaveText('Amstelveen');

  // A router in the POP, from the POP's own Add router link (the POP comes chosen).
  await main(page).getByRole('link', { name: 'Add router', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/routers/new\\?pop=${popId}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'New router' })).toBeVisible();
  const routerForm = main(page);
  await expect(routerForm.getByLabel('POP', { exact: true })).toHaveValue(String(popId));
  await routerForm.getByLabel('Name', { exact: true }).fill(manual.router);
  await routerForm.getByLabel('Role', { exact: true }).selectOption({ label: 'PE router' });
  await routerForm.getByLabel('Management address', { exact: true }).fill('192.0.2.11');
  await routerForm.getByLabel('Loopback', { exact: true }).fill('10.255.0.11');
  await routerForm.getByLabel('AS number', { exact: true }).fill('64512');
  await routerForm.getByLabel('Model', { exact: true }).fill('MX204');
  await routerForm.getByRole('button', { name: 'Create router' }).click();
  await expect(page).toHaveURL(/\/routers\/\d+\?notice=created$/);
  await expect(page.getByRole('heading', { level: 1, name: manual.router, exact: true })).toBeVisible();

  await main(page).getByRole('link', { name: manual.pop, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: manual.pop, exact: true })).toBeVisible();
  const routers = main(page).getByRole('region', { name: 'Routers' });
  await expect(dataRows(routers).filter({ hasText: manual.router }).getByRole('cell')).toHaveText([
    manual.router,
    'PE router',
    '192.0.2.11',
    '10.255.0.11',
    '64512',
    'MX204',
  ]);

  // Deleting a POP that holds something names it, and asks for the POP's name.
  await main(page).getByRole('link', { name: 'Delete…', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Delete POP ${manual.pop}?` })).toBeVisible();
  await expect(main(page).getByRole('heading', { name: 'Routers (1)' })).toBeVisible();
  await expect(main(page).getByRole('listitem').filter({ hasText: manual.router })).toBeVisible();
  const confirm = main(page).getByLabel(`Type ${manual.pop} to confirm`, { exact: true });
  await confirm.fill('not-the-name');
  await main(page).getByRole('button', { name: 'Delete POP', exact: true }).click();
  await expect(confirm).toHaveAccessibleDescription(/Type the POP's name to delete it together with routers: /);
  await expect(page).toHaveURL(new RegExp(`/pops/${popId}/delete$`));
  await confirm.fill(manual.pop);
  await main(page).getByRole('button', { name: 'Delete POP', exact: true }).click();
  await expect(page).toHaveURL(/\/pops\?notice=deleted$/);
  await expect(page.getByRole('status').filter({ hasText: 'POP deleted.' })).toBeVisible();
  await expect(main(page).getByRole('link', { name: 'Import history', exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: manual.pop, exact: true })).toHaveCount(0);

  // The deletion history keeps the POP, and under it the router that went with it.
  await main(page).getByRole('link', { name: 'Deletion history', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'History of deletions' })).toBeVisible();
  const deletedPop = dataRows(main(page)).filter({ has: page.getByRole('link', { name: manual.pop, exact: true }) });
  await expect(deletedPop).toHaveCount(1);
  await expect(deletedPop).toContainText('POP');
  await expect(deletedPop).toContainText('admin');
  // Without a type filter, what went with a POP is listed on the POP's record, not on its own line.
  await expect(main(page).getByRole('link', { name: manual.router, exact: true })).toHaveCount(0);
  await deletedPop.getByRole('link', { name: manual.pop, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `POP ${manual.pop} (deleted)` })).toBeVisible();
  await expect(fact(page, 'City')).toHaveText('Amstelveen');
  const children = main(page).getByRole('region', { name: 'Deleted with it (1)' });
  await expect(children).toBeVisible();
  await expect(children.locator('summary')).toHaveText(/Router\s+/);
  await expect(children.locator('summary')).toContainText(manual.router);
  await screenshot(page, 'deleted-pop', info.project.name);
});

test('a CSV import: a dry run and an import of a file with one bad row write nothing; the fixed file imports', async ({
  page,
}, info) => {
  await signInAsAdmin(page);

  // The dry run: the error by line and column, and no POP of the file.
  await openNav(page, 'POPs');
  await main(page).getByRole('link', { name: 'Import POPs', exact: true }).click();
  await expect(page).toHaveURL(/\/imports\/new$/);
  const dryRunId = await upload(page, badFile, importFile('Narnia'), 'Check the file (dry run)');
  await expect(fact(page, 'Outcome')).toHaveText('Checked: errors found');
  await expect(fact(page, 'Kind')).toHaveText('Dry run');
  await expect(fact(page, 'Records read')).toHaveText('5');
  await expect(
    main(page).getByRole('heading', { level: 2, name: '1 error in 1 row — the file cannot be imported as it is' }),
  ).toBeVisible();
  await expectNarniaError(page);
  await expect(main(page).getByRole('link', { name: 'Fix the file and check it again' })).toBeVisible();
  await expect(main(page).getByRole('button', { name: 'Import this file now' })).toHaveCount(0);
  await screenshot(page, 'import-errors', info.project.name);

  await openPopsList(page);
  for (const name of [imported.ams, imported.rtm, imported.ber]) {
    await expect(main(page).getByRole('link', { name, exact: true })).toHaveCount(0);
  }

  // The same file imported for real: the job checks again, fails, and imports nothing.
  const failedId = await upload(page, badFile, importFile('Narnia'), 'Import');
  expect(failedId).not.toBe(dryRunId);
  // The page asks for news by itself while the import is queued or running.
  await expect(fact(page, 'Outcome')).toHaveText('Failed: nothing imported', { timeout: 15_000 });
  await expect(fact(page, 'Kind')).toHaveText('Import');
  await expect(main(page).getByRole('heading', { level: 2, name: '1 error in 1 row — nothing was imported' })).toBeVisible();
  await expectNarniaError(page);
  await main(page).getByRole('link', { name: /^Job #\d+$/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^Job #\\d+: Import ${escaped(badFile)}$`) })).toBeVisible();
  await expect(main(page).getByText(/Failure reason: 1 error in 1 row; nothing was imported/)).toBeVisible();
  const failedSteps = dataRows(main(page).getByRole('region', { name: 'Steps' }));
  await expect(failedSteps.filter({ hasText: 'Read the file' })).toContainText('Succeeded');
  await expect(failedSteps.filter({ hasText: 'Check every row' })).toContainText('Failed');

  await openPopsList(page);
  for (const name of [imported.ams, imported.rtm, imported.ber]) {
    await expect(main(page).getByRole('link', { name, exact: true })).toHaveCount(0);
  }

  // The fixed file.
  await upload(page, goodFile, importFile('DE'), 'Import');
  await expect(fact(page, 'Outcome')).toHaveText('Imported', { timeout: 15_000 });
  await expect(fact(page, 'Created')).toHaveText('3 POPs, 1 VIM, 1 router');
  await expect(fact(page, 'Errors')).toHaveText('0');
  await expect(main(page).getByRole('region', { name: /error/ })).toHaveCount(0);

  await openNav(page, 'POPs');
  for (const [name, place] of [
    [imported.ams, 'Amsterdam, Netherlands'],
    [imported.rtm, 'Rotterdam, Netherlands'],
    [imported.ber, 'Berlin, Germany'],
  ]) {
    await expect(dataRows(main(page)).filter({ has: page.getByRole('link', { name, exact: true }) })).toContainText(place);
  }
  await expect(dataRows(main(page)).filter({ has: page.getByRole('link', { name: imported.ams, exact: true }) }).getByRole('cell')).toHaveText([
    imported.ams,
    /Amsterdam, Netherlands/,
    'Service provider',
    '1',
    '0',
    '0',
    /.+/,
  ]);
  await screenshot(page, 'pops', info.project.name);

  // The history: the dry run, the failed import and the successful one.
  await main(page).getByRole('link', { name: 'Import history', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import history' })).toBeVisible();
  const ours = dataRows(main(page)).filter({ hasText: `pops-${n}` });
  await expect(ours).toHaveCount(3);
  const bad = ours.filter({ has: page.getByRole('link', { name: badFile, exact: true }) });
  await expect(bad.filter({ hasText: 'Dry run' })).toContainText('Checked: errors found');
  await expect(bad.filter({ hasText: 'Failed: nothing imported' })).toContainText('Import');
  await expect(bad).toHaveCount(2);
  const good = ours.filter({ has: page.getByRole('link', { name: goodFile, exact: true }) });
  await expect(good).toHaveCount(1);
  await expect(good).toContainText('Imported');
  await expect(good).toContainText('3 POPs, 1 VIM, 1 router');
});

test('a VIM password never reaches the browser', async ({ page }) => {
  const received = recordResponses(page);
  await signInAsAdmin(page);

  // One VIM through the form, beside the one the import created.
  const amsId = await openPop(page, imported.ams);
  await main(page).getByRole('link', { name: 'Add VIM', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/vims/new\\?pop=${amsId}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'New VIM' })).toBeVisible();
  const vimForm = main(page);
  await expect(vimForm.getByLabel('POP', { exact: true })).toHaveValue(String(amsId));
  await vimForm.getByLabel('Name', { exact: true }).fill(formVim);
  await vimForm.getByLabel('Auth URL', { exact: true }).fill('https://keystone.ams.example.net:5000/v3');
  await vimForm.getByLabel('User name', { exact: true }).fill('cso-admin');
  await vimForm.getByLabel('Password', { exact: true }).fill(FORM_VIM_SECRET);
  await vimForm.getByRole('button', { name: 'Create VIM' }).click();
  await expect(page).toHaveURL(/\/vims\/\d+\?notice=created$/);
  await expect(page.getByRole('heading', { level: 1, name: formVim, exact: true })).toBeVisible();
  await expect(fact(page, 'Password')).toHaveText('Set (stored encrypted)');
  const formVimId = idFrom(page, /^\/vims\/(\d+)$/);

  // The edit form is on the VIM's page; its password starts empty, and saving it empty keeps the password.
  const edit = main(page).getByRole('region', { name: 'Edit' });
  await expect(edit.getByLabel('Password', { exact: true })).toHaveValue('');
  await edit.getByLabel('Region', { exact: true }).fill('RegionOne');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`/vims/${formVimId}\\?notice=saved$`));
  await expect(fact(page, 'Region')).toHaveText('RegionOne');
  await expect(fact(page, 'Password')).toHaveText('Set (stored encrypted)');
  await expect(main(page).getByRole('region', { name: 'Edit' }).getByLabel('Password', { exact: true })).toHaveValue('');

  // Each page both loaded as a document and reached by a link, when the hydrated app asks the
  // server functions (/api/list_vims, /api/vim_detail, /api/get_pop, …) for the same data.
  await page.goto('/vims');
  await expect(page.getByRole('heading', { level: 1, name: 'VIMs' })).toBeVisible();
  const importedRow = dataRows(main(page)).filter({ has: page.getByRole('link', { name: imported.vim, exact: true }) });
  // The Password column says only that one is set; the last column is the connection test's result.
  await expect(importedRow.getByRole('cell', { name: 'Set', exact: true })).toHaveCount(1);
  await expect(importedRow.getByRole('cell').last()).toHaveText('Not tested');
  await importedRow.getByRole('link', { name: imported.vim, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: imported.vim, exact: true })).toBeVisible();
  await expect(fact(page, 'Password')).toHaveText('Set (stored encrypted)');
  await expect(main(page).getByRole('region', { name: 'Edit' }).getByLabel('Password', { exact: true })).toHaveValue('');
  const importedVimId = idFrom(page, /^\/vims\/(\d+)$/);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: imported.vim, exact: true })).toBeVisible();
  await expect(main(page).getByRole('region', { name: 'Edit' }).getByLabel('Password', { exact: true })).toHaveValue('');
  // Each step waits for the data it asked for: leaving a page earlier would lose a body unread.
  await openNav(page, 'VIMs');
  await expect(main(page).getByRole('link', { name: formVim, exact: true })).toBeVisible();

  // The POP's page lists both VIMs, saying only that a password is set.
  await page.goto(`/vims/${formVimId}`);
  await main(page).getByRole('link', { name: imported.ams, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: imported.ams, exact: true })).toBeVisible();
  const vims = main(page).getByRole('region', { name: 'VIMs' });
  await expect(dataRows(vims)).toHaveCount(2);
  // The Password column: "set" or "not set".
  await expect(dataRows(vims).filter({ hasText: imported.vim }).getByRole('cell').last()).toHaveText('set');
  await expect(dataRows(vims).filter({ hasText: formVim }).getByRole('cell').last()).toHaveText('set');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: imported.ams, exact: true })).toBeVisible();

  // Jobs, the import that created the VIM, and the audit log.
  await openNav(page, 'Jobs');
  await main(page).getByRole('link', { name: new RegExp(`^#\\d+ Import ${escaped(goodFile)}$`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^Job #\\d+: Import ${escaped(goodFile)}$`) })).toBeVisible();
  await page.goto('/jobs');
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
  await page.goto('/imports');
  await main(page).getByRole('link', { name: goodFile, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Import of ${goodFile}` })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: `Import of ${goodFile}` })).toBeVisible();
  await openNav(page, 'Audit logs');
  await expect(main(page).getByRole('cell', { name: 'vim.create', exact: true }).first()).toBeVisible();
  await page.goto('/audit');
  await expect(main(page).getByRole('cell', { name: 'vim.create', exact: true }).first()).toBeVisible();

  // Both VIMs deleted; their records in the deletion history keep no password.
  for (const [id, name] of [
    [formVimId, formVim],
    [importedVimId, imported.vim],
  ] as const) {
    await page.goto(`/vims/${id}`);
    await main(page).getByRole('link', { name: 'Delete VIM…', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Delete VIM ${name}?` })).toBeVisible();
    await main(page).getByRole('button', { name: 'Delete VIM', exact: true }).click();
    await expect(page).toHaveURL(/\/vims\?notice=deleted$/);
    // "New VIM" is part of the loaded list, so the check below is not made on a list still loading.
    await expect(main(page).getByRole('link', { name: 'New VIM', exact: true })).toBeVisible();
    await expect(main(page).getByRole('link', { name, exact: true })).toHaveCount(0);
  }
  await page.goto('/deletions');
  await expect(page.getByRole('heading', { level: 1, name: 'History of deletions' })).toBeVisible();
  await main(page).getByRole('link', { name: imported.vim, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `VIM ${imported.vim} (deleted)` })).toBeVisible();
  await expect(fact(page, 'Password')).toHaveText('(sealed; not kept in the history)');
  await page.goto('/deletions');
  await main(page).getByRole('link', { name: formVim, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `VIM ${formVim} (deleted)` })).toBeVisible();

  await received.settled();
  expect(received.unreadable, 'every response body could be read').toEqual([]);
  const urls = received.bodies.map((b) => new URL(b.url).pathname);
  // The check means something only if the pages and their data calls were seen.
  for (const path of [
    '/vims',
    '/api/list_vims',
    `/vims/${importedVimId}`,
    '/api/vim_detail',
    `/pops/${amsId}`,
    '/api/get_pop',
    '/jobs',
    '/api/list_jobs',
    '/api/job_detail',
    '/imports',
    '/api/import_detail',
    '/audit',
    '/deletions',
    '/api/deletion_detail',
  ]) {
    expect(urls, `a response from ${path}`).toContain(path);
  }
  for (const secret of [IMPORTED_VIM_SECRET, FORM_VIM_SECRET]) {
    const leaks = received.bodies.filter((b) => b.body.includes(secret)).map((b) => b.url);
    expect(leaks, `responses holding the VIM password ${secret}`).toEqual([]);
  }
});

test('an OpCo administrator sees only the POPs of their operating company', async ({ page }) => {
  await signInAsAdmin(page);

  await openNav(page, 'Operating companies');
  await main(page).getByRole('link', { name: 'New operating company', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New operating company' })).toBeVisible();
  await main(page).getByLabel('Name', { exact: true }).fill(north.name);
  await main(page).getByLabel('Display name', { exact: true }).fill(north.display);
  await main(page).getByRole('button', { name: 'Create operating company' }).click();
  await expect(page).toHaveURL(/\/opcos\/\d+\?notice=created$/);
  await expect(page.getByRole('heading', { level: 1, name: north.display, exact: true })).toBeVisible();

  await createPop(page, { name: north.pop, city: 'Groningen', country: 'NL', latitude: '53.2194', longitude: '6.5665', opco: north.name });
  await expect(fact(page, 'Owner')).toHaveText(north.name);
  const spPopId = await createPop(page, { name: north.spPop, city: 'Utrecht', country: 'Netherlands' });
  await expect(fact(page, 'Owner')).toHaveText('Service provider');

  const created = await createUser(page, {
    username: north.admin,
    displayName: north.adminDisplay,
    role: OPCO_ADMIN_ROLE,
    opco: north.name,
  });
  await signOut(page);

  await signIn(page, north.admin, created.password);
  await changeForcedPassword(page, created.password, NORTH_ADMIN_PASSWORD);

  await openPopsList(page);
  await expect(main(page).getByRole('link', { name: north.pop, exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: north.spPop, exact: true })).toHaveCount(0);
  await expect(main(page).getByRole('link', { name: imported.ams, exact: true })).toHaveCount(0);
  // The header row and the one POP.
  await expect(main(page).getByRole('row')).toHaveCount(2);
  // Looking is all an OpCo administrator may do with POPs.
  await expect(main(page).getByRole('link', { name: 'New POP', exact: true })).toHaveCount(0);
  await expect(main(page).getByRole('link', { name: 'Import POPs', exact: true })).toHaveCount(0);

  await main(page).getByRole('link', { name: north.pop, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: north.pop, exact: true })).toBeVisible();
  await expect(fact(page, 'Owner')).toHaveText(north.name);
  await expect(main(page).getByRole('link', { name: 'Edit', exact: true })).toHaveCount(0);
  await expect(main(page).getByRole('link', { name: 'Delete…', exact: true })).toHaveCount(0);

  // The service provider's POP answers as if it did not exist.
  await page.goto(`/pops/${spPopId}`);
  await expect(page.getByRole('alert')).toContainText('POP not found.');
  await expect(page.getByText(north.spPop)).toHaveCount(0);
});

test('the Jobs page lists the import jobs with their state, and a job shows its steps', async ({ page }, info) => {
  await signInAsAdmin(page);
  await openNav(page, 'Jobs');

  const failed = dataRows(main(page)).filter({ has: page.getByRole('link', { name: new RegExp(`^#\\d+ Import ${escaped(badFile)}$`) }) });
  const succeeded = dataRows(main(page)).filter({ has: page.getByRole('link', { name: new RegExp(`^#\\d+ Import ${escaped(goodFile)}$`) }) });
  await expect(failed).toHaveCount(1);
  await expect(succeeded).toHaveCount(1);
  // Job, Kind, State, Progress, Started by, Created, Finished / duration.
  await expect(failed.getByRole('cell').nth(1)).toHaveText('POP import');
  await expect(failed.getByRole('cell').nth(2)).toHaveText('Failed');
  await expect(failed.getByRole('cell').nth(4)).toHaveText('admin');
  await expect(succeeded.getByRole('cell').nth(2)).toHaveText('Succeeded');
  await expect(succeeded.getByRole('cell').nth(3)).toHaveText('100%');

  // The State filter.
  await main(page).getByLabel('State', { exact: true }).selectOption({ label: 'Failed' });
  await main(page).getByRole('button', { name: 'Filter', exact: true }).click();
  // A plain GET form: the empty filters travel too.
  await expect(page).toHaveURL(/\/jobs\?(.*&)?state=failed(&|$)/);
  await expect(failed).toHaveCount(1);
  await expect(succeeded).toHaveCount(0);
  await main(page).getByRole('link', { name: 'Clear', exact: true }).click();
  await expect(succeeded).toHaveCount(1);

  await succeeded.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^Job #\\d+: Import ${escaped(goodFile)}$`) })).toBeVisible();
  await expect(fact(page, 'Kind')).toHaveText('POP import');
  await expect(fact(page, 'Started by')).toHaveText('admin');
  // The summary's plurals are the job's own ("1 VIMs"); the numbers are what matters here.
  await expect(main(page).getByText(/Outcome: imported 3 POPs, 1 VIMs?, 0 EMS and 1 routers?/)).toBeVisible();
  const steps = dataRows(main(page).getByRole('region', { name: 'Steps' }));
  await expect(steps).toHaveCount(3);
  for (const [i, name] of ['Read the file', 'Check every row', 'Write POPs, VIMs, EMS and routers'].entries()) {
    await expect(steps.nth(i).getByRole('cell').nth(0)).toHaveText(String(i + 1));
    await expect(steps.nth(i).getByRole('cell').nth(1)).toHaveText(name);
    await expect(steps.nth(i).getByRole('cell').nth(2)).toContainText('Succeeded');
  }
  await expect(steps.nth(1).getByRole('cell').nth(3)).toHaveText('5 rows, all valid');
  await screenshot(page, 'job', info.project.name);
});
