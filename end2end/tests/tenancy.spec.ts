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
