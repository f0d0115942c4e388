import { test, expect } from '@playwright/test';
import {
  changeForcedPassword,
  createTenant,
  createUser,
  main,
  openNav,
  scopeMenu,
  screenshot,
  showAllTenants,
  signIn,
  signInAsAdmin,
  signOut,
  switchScope,
  uniqueSuffix,
} from './helpers';

// (b) and (c) use the tenants and users that (a) creates.
test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();
const blue = {
  name: `blue-bank-${n}`,
  display: `Blue Bank ${n}`,
  admin: `blue-admin-${n}`,
  adminDisplay: `Blue Admin ${n}`,
  email: `blue-admin-${n}@example.com`,
};
const other = {
  name: `other-${n}`,
  display: `Other Corp ${n}`,
  admin: `other-admin-${n}`,
  adminDisplay: `Other Admin ${n}`,
  email: `other-admin-${n}@example.com`,
};
const TENANT_ADMIN_ROLE = 'Tenant Administrator (Tenant)';
const BLUE_ADMIN_PASSWORD = 'Blue-Tenant-Chosen-9';

let otherTenantId = 0;
let blueAdminTemporary = '';

test('an SP administrator creates two tenants, each with its administrator', async ({ page }) => {
  await signInAsAdmin(page);

  await createTenant(page, blue.name, blue.display);
  otherTenantId = await createTenant(page, other.name, other.display);
  expect(otherTenantId).toBeGreaterThan(0);

  const created = await createUser(page, {
    username: blue.admin,
    displayName: blue.adminDisplay,
    email: blue.email,
    role: TENANT_ADMIN_ROLE,
    tenant: blue.name,
  });
  blueAdminTemporary = created.password;
  await expect(main(page).getByText(`Tenant ${blue.name}`, { exact: true }).first()).toBeVisible();

  await createUser(page, {
    username: other.admin,
    displayName: other.adminDisplay,
    email: other.email,
    role: TENANT_ADMIN_ROLE,
    tenant: other.name,
  });

  await signOut(page);
});

test('a tenant administrator changes the temporary password and sees only their own tenant', async ({ page }, info) => {
  expect(blueAdminTemporary, 'the first test issued a temporary password').not.toBe('');
  await page.goto('/login');
  await signIn(page, blue.admin, blueAdminTemporary);
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await changeForcedPassword(page, blueAdminTemporary, BLUE_ADMIN_PASSWORD);

  await expect(page.getByRole('heading', { level: 1, name: blue.display, exact: true })).toBeVisible();
  await expect(page.getByRole('banner').getByText('Customer Portal', { exact: true })).toBeVisible();
  await screenshot(page, 'tenant-admin-home', info.project.name);

  await openNav(page, 'Tenants');
  await expect(main(page).getByRole('link', { name: blue.name, exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: other.name, exact: true })).toHaveCount(0);
  // The header row and the one tenant.
  await expect(main(page).getByRole('row')).toHaveCount(2);

  await openNav(page, 'Users');
  await expect(main(page).getByRole('link', { name: blue.admin, exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: other.admin, exact: true })).toHaveCount(0);
  await expect(main(page).getByRole('link', { name: 'admin', exact: true })).toHaveCount(0);

  // Another tenant's page answers as if it did not exist.
  await page.goto(`/tenants/${otherTenantId}`);
  await expect(page.getByRole('alert')).toContainText('tenant not found.');
  await expect(page.getByText(other.display)).toHaveCount(0);
});

test('an SP administrator switches the scope to one tenant and back', async ({ page }, info) => {
  await signInAsAdmin(page);

  await switchScope(page, blue.name);
  await expect(page.getByRole('heading', { level: 1, name: blue.display, exact: true })).toBeVisible();
  await expect(page.getByRole('banner').getByText('Customer Portal', { exact: true })).toBeVisible();
  await screenshot(page, 'scope-switched', info.project.name);

  await openNav(page, 'Users');
  await expect(main(page).getByRole('link', { name: blue.admin, exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: other.admin, exact: true })).toHaveCount(0);
  await expect(main(page).getByRole('link', { name: 'admin', exact: true })).toHaveCount(0);

  // The scope lives in the session: a reload keeps it.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Users', exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: blue.admin, exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: other.admin, exact: true })).toHaveCount(0);
  await expect(scopeMenu(page).locator('summary')).toContainText(blue.name);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: blue.display, exact: true })).toBeVisible();

  await showAllTenants(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Administration Portal' })).toBeVisible();
  await expect(page.getByRole('banner').getByText('Administration Portal', { exact: true })).toBeVisible();
});

test('the role editor offers a level only the rights it can have, and a tenant administrator sees only tenant roles', async ({ page }, info) => {
  await signInAsAdmin(page);
  await page.goto('/roles/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New role' })).toBeVisible();
  const form = main(page);
  const box = (name: string) => form.getByRole('checkbox', { name, exact: true });
  // A service-provider role may have everything.
  await expect(box('Device templates: Edit')).toBeEnabled();
  // The boxes follow the Level field once the page is hydrated: choose again until they do.
  await expect(async () => {
    await form.getByLabel('Level', { exact: true }).selectOption({ label: 'Service provider' });
    await form.getByLabel('Level', { exact: true }).selectOption({ label: 'Tenant' });
    await expect(box('Device templates: Edit')).toBeDisabled({ timeout: 500 });
  }).toPass();
  // A tenant role may read the SP's templates and images but never change them, and sees no POPs.
  for (const name of ['Device templates: Edit', 'Device templates: Delete', 'Software images: Delete', 'POPs: View', 'Roles: Create']) {
    await expect(box(name)).toBeDisabled();
  }
  for (const name of ['Device templates: View', 'Sites: Edit', 'Users: Create']) await expect(box(name)).toBeEnabled();
  await box('Sites: Edit').check();
  await form.getByLabel('Level', { exact: true }).selectOption({ label: 'Operating company' });
  await expect(box('POPs: Create')).toBeEnabled();
  await expect(box('Device templates: Edit')).toBeDisabled();
  await expect(box('Sites: Edit')).toBeChecked();
  await screenshot(page, 'role-editor-levels', info.project.name);

  // The tenant administrator's Roles page: tenant roles only, counted among its own users.
  await signOut(page);
  await signIn(page, blue.admin, BLUE_ADMIN_PASSWORD);
  // The sign-in must have answered (its cookie set) before the next navigation, or that navigation
  // cancels it and lands on the sign-in page again.
  await expect(page.getByRole('heading', { level: 1, name: blue.display, exact: true })).toBeVisible();
  await page.goto('/roles');
  await expect(page.getByRole('heading', { level: 1, name: 'Roles' })).toBeVisible();
  await expect(main(page).getByRole('link', { name: 'Tenant Administrator', exact: true })).toBeVisible();
  for (const name of ['SP Administrator', 'SP Operator', 'OpCo Administrator', 'Designer']) {
    await expect(main(page).getByRole('link', { name, exact: true })).toHaveCount(0);
  }
  const row = main(page).getByRole('row').filter({ has: page.getByRole('link', { name: 'Tenant Administrator', exact: true }) });
  await expect(row.getByRole('cell').last()).toHaveText('1');
  await page.goto('/roles/builtin/sp_admin');
  await expect(page.getByRole('alert')).toContainText('not found');
});
