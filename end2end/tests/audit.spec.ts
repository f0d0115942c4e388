import * as fs from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import {
  GENERIC_FAILURE,
  createTenant,
  main,
  openNav,
  screenshot,
  showAllTenants,
  signIn,
  signInAsAdmin,
  switchScope,
  uniqueSuffix,
} from './helpers';

function actionCells(page: Page, action: string) {
  return main(page).getByRole('cell', { name: action, exact: true });
}

/** The table's rows that hold data (not the header row). */
function dataRows(page: Page) {
  return main(page).getByRole('row').filter({ has: page.getByRole('cell') });
}

async function filterBy(page: Page, label: 'Action' | 'Outcome', value: string) {
  await main(page).getByLabel(label, { exact: true }).selectOption(value);
  await main(page).getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]${label.toLowerCase()}=${value.replace('.', '\\.')}(&|$)`));
}

test('the audit log records what was done, filters it, and exports it as CSV', async ({ page }, info) => {
  const n = uniqueSuffix();
  const tenantName = `audit-co-${n}`;
  const tenantDisplay = `Audit Co ${n}`;
  const ghost = `ghost-${n}`;

  // A failed sign-in of a name that does not exist, to find under the Failure outcome.
  await page.goto('/login');
  await signIn(page, ghost, 'Not-The-Password-1');
  await expect(page.getByRole('alert')).toHaveText(GENERIC_FAILURE);

  await signInAsAdmin(page);
  await createTenant(page, tenantName, tenantDisplay);
  // Switch from the home page, so the switch comes back to it.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Administration Portal' })).toBeVisible();
  await switchScope(page, tenantName);
  await expect(page.getByRole('heading', { level: 1, name: tenantDisplay, exact: true })).toBeVisible();
  await showAllTenants(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Administration Portal' })).toBeVisible();

  await openNav(page, 'Audit logs');
  const created = dataRows(page)
    .filter({ has: page.getByRole('cell', { name: 'tenant.create', exact: true }) })
    .filter({ hasText: tenantName });
  await expect(created).toHaveCount(1);
  await expect(created).toBeVisible();
  await expect(
    dataRows(page).filter({ has: page.getByRole('cell', { name: 'scope.switch', exact: true }) }).filter({ hasText: tenantName }).first(),
  ).toBeVisible();
  await expect(
    dataRows(page)
      .filter({ has: page.getByRole('cell', { name: 'user.sign_in', exact: true }) })
      .filter({ has: page.getByRole('cell', { name: 'admin', exact: true }) })
      .first(),
  ).toBeVisible();
  await screenshot(page, 'audit', info.project.name);

  // Action filter: only tenant.create rows remain.
  await filterBy(page, 'Action', 'tenant.create');
  await expect(actionCells(page, 'scope.switch')).toHaveCount(0);
  await expect(actionCells(page, 'user.sign_in')).toHaveCount(0);
  await expect(created).toBeVisible();
  const rows = await dataRows(page).count();
  expect(rows).toBeGreaterThan(0);
  await expect(actionCells(page, 'tenant.create')).toHaveCount(rows);

  // Outcome filter: the failed sign-in of the unknown name is there, the successful creation is not.
  await page.goto('/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit logs' })).toBeVisible();
  await filterBy(page, 'Outcome', 'failure');
  await expect(main(page).getByRole('cell', { name: ghost, exact: true }).first()).toBeVisible();
  await expect(actionCells(page, 'tenant.create')).toHaveCount(0);
  await expect(actionCells(page, 'scope.switch')).toHaveCount(0);

  // The export: the whole log (no filters) as a CSV download.
  await page.goto('/audit');
  await expect(created).toBeVisible();
  const downloading = page.waitForEvent('download');
  await main(page).getByRole('link', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^portico-audit-.*\.csv$/);
  const csv = fs.readFileSync(String(await download.path()), 'utf8');
  expect(csv.split('\n')[0].startsWith('id,time_utc,user,role,client_address,scope,action')).toBe(true);
  expect(csv).toContain(tenantName);
  expect(csv).toContain('tenant.create');
});
