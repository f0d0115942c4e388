import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  CHOSEN_PASSWORD,
  changeForcedPassword,
  createTenant,
  createUser,
  main,
  openNav,
  screenshot,
  signIn,
  signInAsAdmin,
  signOut,
  uniqueSuffix,
} from './helpers';

// The journeys share what the first one finds (the demo tenant and its shop), and the drill changes
// the fleet: they run in order.
test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();
const SHOP = 'utrecht-shop';
const found = { tenantId: 0, siteId: 0 };

function scoreNow(page: Page): Locator {
  return main(page).getByTestId('site-score-now').locator('strong');
}

async function figure(l: Locator): Promise<number> {
  return Number(((await l.textContent()) ?? '').trim());
}

function linkRow(page: Page, iface: string): Locator {
  return main(page)
    .getByRole('region', { name: 'WAN links by score' })
    .getByRole('row')
    .filter({ has: page.locator('code', { hasText: new RegExp(`^${iface.replace(/\//g, '\\/')}$`) }) });
}

test('the demo fleet’s SLA data reads from all tenants down to a site and an application', async ({ page }, info) => {
  await signInAsAdmin(page);
  await openNav(page, 'Tenant SLA Performance');
  await expect(page.getByRole('heading', { level: 1, name: 'Tenant SLA Performance' })).toBeVisible();
  const card = main(page).getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Demo Retail', exact: true }) });
  // Probe rounds every 2 s: the card gets a score without a reload, as the rounds come in.
  await expect(card.locator('.score strong')).toHaveText(/^\d+$/, { timeout: 30_000 });
  await expect(card).toContainText(/4 site\(s\)/);
  await screenshot(page, 'sla-tenants-cards', info.project.name);

  await main(page).getByRole('link', { name: 'Grid', exact: true }).click();
  await expect(page).toHaveURL(/view=grid/);
  const row = main(page).getByRole('row').filter({ has: page.getByRole('link', { name: 'Demo Retail', exact: true }) });
  await expect(row).toHaveCount(1);
  await main(page).getByLabel('Time range').selectOption('1h');
  await main(page).getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page).toHaveURL(/view=grid/);
  await screenshot(page, 'sla-tenants-grid', info.project.name);

  await row.getByRole('link', { name: 'Demo Retail', exact: true }).click();
  await expect(page).toHaveURL(/\/sla\/performance\/tenants\/\d+/);
  found.tenantId = Number(/tenants\/(\d+)/.exec(page.url())![1]);
  await expect(page.getByRole('heading', { level: 1, name: 'Demo Retail' })).toBeVisible();
  await expect(main(page).getByRole('link', { name: SHOP, exact: true })).toBeVisible();
  await main(page).getByText('Explain the tenant score').click();
  await expect(main(page).getByText(/Tenant score = mean of the \d+ site scores with data/)).toBeVisible();
  await screenshot(page, 'sla-tenant', info.project.name);

  await main(page).getByRole('link', { name: SHOP, exact: true }).click();
  await expect(page).toHaveURL(/\/sla\/performance\/sites\/\d+/);
  found.siteId = Number(/sites\/(\d+)/.exec(page.url())![1]);
  await expect(page.getByRole('heading', { level: 1, name: SHOP })).toBeVisible();
  await expect(scoreNow(page)).toHaveText(/^\d+$/);
  await expect(linkRow(page, 'ge-0/0/0')).toContainText('mpls-1');
  await expect(linkRow(page, 'ge-0/0/1')).toContainText('inet-1');
  const apps = main(page).getByRole('region', { name: 'Applications by score' }).getByRole('row');
  await expect(apps.nth(1)).toBeVisible();
  await expect(main(page).getByRole('img', { name: /Score of site utrecht-shop over time/ })).toBeVisible();
  await expect(main(page).getByRole('img', { name: /RTT in ms over time, one line per WAN link, the .* threshold of \d+ ms dashed/ })).toBeVisible();
  await screenshot(page, 'sla-site', info.project.name);

  const app = ((await apps.nth(1).getByRole('link').first().textContent()) ?? '').trim();
  await apps.nth(1).getByRole('link', { name: app, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: app })).toBeVisible();
  await expect(main(page).getByRole('region', { name: 'Sites by score' }).getByRole('link', { name: SHOP, exact: true })).toBeVisible();
  await expect(main(page).getByRole('heading', { name: 'Path distribution' })).toBeVisible();
  await screenshot(page, 'sla-application', info.project.name);
});

test('degrading a WAN link lowers its score and its site’s on the open page; restoring brings them back', async ({ page, context }, info) => {
  await signInAsAdmin(page);
  await page.goto(`/sites/${found.siteId}`);
  const serial = ((await main(page).locator('code').filter({ hasText: /^[A-Z]{2}\d{10}$/ }).first().textContent()) ?? '').trim();
  expect(serial).toMatch(/^[A-Z]{2}\d{10}$/);

  await page.goto(`/sla/performance/sites/${found.siteId}`);
  const mpls = linkRow(page, 'ge-0/0/0');
  // Link, Type, Cost/month, Score now, …
  await expect(mpls.getByRole('cell').nth(3)).toContainText('Good');
  await expect(scoreNow(page)).toHaveText(/^\d+$/);
  const before = await figure(scoreNow(page));
  expect(before).toBeGreaterThanOrEqual(80);

  // The fault goes in from another tab; the site page stays open and is not reloaded.
  const sim = await context.newPage();
  const inject = async (button: 'Degrade' | 'Restore') => {
    await sim.goto(`/simulator?q=${serial}`);
    const device = main(sim).getByRole('row').filter({ has: sim.getByRole('button', { name: `Fail node ${serial}`, exact: true }) });
    await device.locator('summary').click();
    await device.getByRole('button', { name: `${button} ge-0/0/0 of ${serial}`, exact: true }).click();
    await expect(sim.getByRole('status').filter({ hasText: `ge-0/0/0 of ${serial}` })).toBeVisible();
  };
  await inject('Degrade');
  await expect(mpls.getByRole('cell').nth(3)).toContainText('Poor', { timeout: 15_000 });
  await expect.poll(() => figure(scoreNow(page)), { timeout: 15_000 }).toBeLessThan(before);
  await page.bringToFront();
  await screenshot(page, 'sla-degraded', info.project.name);

  await inject('Restore');
  await expect(mpls.getByRole('cell').nth(3)).toContainText('Good', { timeout: 15_000 });
  await expect.poll(() => figure(scoreNow(page)), { timeout: 15_000 }).toBeGreaterThanOrEqual(80);
  await sim.close();
});

test('a score’s explanation adds up: its sample counts give the score it shows', async ({ page }, info) => {
  await signInAsAdmin(page);
  await page.goto(`/sla/performance/sites/${found.siteId}?range=1h`);
  for (const open of [
    () => main(page).getByRole('link', { name: 'Explain the site score', exact: true }).click(),
    () => main(page).getByRole('link', { name: 'Explain the score of link ge-0/0/0', exact: true }).click(),
  ]) {
    await open();
    const panel = page.locator('#explanation');
    await expect(panel.getByRole('heading', { level: 2 })).toContainText(/scores [\d.]+/);
    const heading = (await panel.getByRole('heading', { level: 2 }).textContent()) ?? '';
    const shown = Number(/scores ([\d.]+)/.exec(heading)![1]);
    const samples = await figure(panel.getByTestId('explain-samples'));
    const good = await figure(panel.getByTestId('explain-good'));
    const fair = await figure(panel.getByTestId('explain-fair'));
    const poor = await figure(panel.getByTestId('explain-poor'));
    expect(samples).toBeGreaterThan(0);
    expect(good + fair + poor).toBe(samples);
    if (heading.includes('Link')) {
      // A link shows its worst traffic type: never better than all its samples together.
      expect(shown).toBeLessThanOrEqual((100 * (good + fair / 2)) / samples + 0.05);
    } else {
      expect(Math.abs((100 * (good + fair / 2)) / samples - shown)).toBeLessThan(0.051);
    }
    // The bucket rows add up to the totals.
    const rows = panel.getByRole('row');
    const count = await rows.count();
    let sum = 0;
    for (let i = 1; i < count; i++) sum += Number(((await rows.nth(i).getByRole('cell').nth(1).textContent()) ?? '0').trim());
    expect(sum).toBe(samples);
    await expect(panel.getByTestId('explanation-formula')).toContainText('good');
  }
  await screenshot(page, 'sla-explanation', info.project.name);
});

test('a tenant user sees only their own tenant’s SLA pages', async ({ page }, info) => {
  await signInAsAdmin(page);
  const name = `other-${n}`;
  await createTenant(page, name, `Other ${n}`);
  const user = await createUser(page, { username: `sla-${n}`, displayName: `SLA viewer ${n}`, role: 'Tenant Administrator (Tenant)', tenant: name });
  await signOut(page);
  await page.goto('/login');
  await signIn(page, `sla-${n}`, user.password);
  await changeForcedPassword(page, user.password, CHOSEN_PASSWORD);

  await openNav(page, 'Application SLA Performance');
  await expect(main(page).getByText(`The sites of Other ${n}`)).toBeVisible();
  await expect(main(page).getByText('This tenant has no sites.')).toBeVisible();
  await expect(main(page).getByText('Demo Retail')).toHaveCount(0);
  await screenshot(page, 'sla-customer', info.project.name);

  for (const path of [`/sla/performance/sites/${found.siteId}`, `/sla/performance/tenants/${found.tenantId}`, `/sla/performance/tenants/${found.tenantId}/applications/ZOOM`]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(main(page).getByText(/not found/)).toBeVisible();
    await expect(main(page).getByText(SHOP)).toHaveCount(0);
  }
});
