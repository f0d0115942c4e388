import { expect, type Locator, type Page } from '@playwright/test';

export const INITIAL_PASSWORD = 'Initial-Admin-Pass-1';
export const CHOSEN_PASSWORD = 'Chosen-Portal-Pass-2026';
export const GENERIC_FAILURE = 'The user name or password is incorrect.';

export async function signIn(page: Page, username: string, password: string) {
  if (!page.url().includes('/login')) await page.goto('/login');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function screenshot(page: Page, name: string, project: string) {
  await page.screenshot({ path: `screenshots/${project}-${name}.png`, fullPage: true });
}

export async function expectShell(page: Page) {
  await expect(page.getByRole('heading', { level: 1, name: 'Administration Portal' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' })).toBeVisible();
}

/** What signInAsAdmin changes the admin's password to on the `portal` and `session` servers. */
export const ADMIN_PORTAL_PASSWORD = 'Portal-Journeys-Pass-7';

/** A short number that keeps names of one run apart from those of an earlier run on the same server. */
export function uniqueSuffix(): number {
  return Date.now() % 100000;
}

/** The content of a signed-in page (the portal frame's <main>). */
export function main(page: Page): Locator {
  return page.getByRole('main');
}

/** Follows a link of the side navigation. */
export async function openNav(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: label, exact: true })).toBeVisible();
}

/** On the forced change-password page: replaces `current` with `next` and leaves the page. */
export async function changeForcedPassword(page: Page, current: string, next: string) {
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('Current password', { exact: true }).fill(current);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Confirm new password', { exact: true }).fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).not.toHaveURL(/\/change-password/);
}

/**
 * Signs in as the SP administrator whether or not the forced first change already happened on this
 * server: tries the initial password; on the change-password page chooses ADMIN_PORTAL_PASSWORD; on
 * the generic failure signs in with ADMIN_PORTAL_PASSWORD. Ends on the Administration Portal home.
 */
export async function signInAsAdmin(page: Page) {
  await page.goto('/login');
  await signIn(page, 'admin', INITIAL_PASSWORD);
  const home = page.getByRole('heading', { level: 1, name: 'Administration Portal' });
  const mustChange = page.getByRole('heading', { name: 'Choose a new password' });
  const refused = page.getByRole('alert').filter({ hasText: GENERIC_FAILURE });
  await expect(home.or(mustChange).or(refused)).toBeVisible();
  if (await mustChange.isVisible()) {
    await changeForcedPassword(page, INITIAL_PASSWORD, ADMIN_PORTAL_PASSWORD);
  } else if (await refused.isVisible()) {
    await signIn(page, 'admin', ADMIN_PORTAL_PASSWORD);
  }
  await expect(home).toBeVisible();
}

/** The user menu in the top bar (a <details> holding "Sign out"). */
function userMenu(page: Page): Locator {
  return page
    .getByRole('banner')
    .locator('details')
    .filter({ has: page.getByRole('button', { name: 'Sign out', exact: true, includeHidden: true }) });
}

export async function signOut(page: Page) {
  const menu = userMenu(page);
  await menu.locator('summary').click();
  await menu.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=1$/);
}

/** The scope switcher in the top bar: a <details> whose summary reads "Scope <tenant>". */
export function scopeMenu(page: Page): Locator {
  return page.getByRole('banner').locator('details').filter({ hasText: 'Scope' });
}

/** Switches the header's scope to one tenant, by its name (a full page load follows). */
export async function switchScope(page: Page, tenantName: string) {
  const menu = scopeMenu(page);
  await menu.locator('summary').click();
  const input = menu.getByLabel('Tenant', { exact: true });
  await input.fill(tenantName);
  await input.blur();
  await menu.getByRole('button', { name: 'Switch', exact: true }).click();
  await expect(scopeMenu(page).locator('summary')).toContainText(tenantName);
}

/** Back to every tenant ("All tenants"). */
export async function showAllTenants(page: Page) {
  const menu = scopeMenu(page);
  await menu.locator('summary').click();
  await menu.getByRole('button', { name: 'Show all tenants', exact: true }).click();
  await expect(scopeMenu(page).locator('summary')).toContainText('All tenants');
}

/** Tenants → New tenant → Create tenant. Returns the new tenant's id (from its page's address). */
export async function createTenant(page: Page, name: string, displayName: string): Promise<number> {
  await openNav(page, 'Tenants');
  await main(page).getByRole('link', { name: 'New tenant', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New tenant' })).toBeVisible();
  const form = main(page);
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Display name', { exact: true }).fill(displayName);
  await form.getByLabel('Deployment type', { exact: true }).selectOption({ label: 'Hybrid WAN' });
  await form.getByLabel('Site limit', { exact: true }).fill('25');
  await form.getByRole('button', { name: 'Create tenant' }).click();
  await expect(page.getByText('Tenant created.')).toBeVisible();
  await expect(page).toHaveURL(/\/tenants\/\d+/);
  await expect(page.getByRole('heading', { level: 1, name: displayName, exact: true })).toBeVisible();
  return Number(/\/tenants\/(\d+)/.exec(page.url())![1]);
}

export interface NewUser {
  username: string;
  displayName: string;
  email?: string;
  /**
   * As the Role select spells it, e.g. "Tenant Administrator (Tenant)", "SP Operator (Service provider)"
   * or "OpCo Administrator (Operating company)".
   */
  role: string;
  /** The tenant's name, for tenant roles. */
  tenant?: string;
  /** The operating company's name, for OpCo roles (the form shows the field to SP users only). */
  opco?: string;
}

/**
 * Users → New user with a one-time temporary password. Returns the user's id and the temporary
 * password read from the user's page (shown there once).
 */
export async function createUser(page: Page, user: NewUser): Promise<{ id: number; password: string }> {
  await openNav(page, 'Users');
  await main(page).getByRole('link', { name: 'New user', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New user' })).toBeVisible();
  const form = main(page);
  await form.getByLabel('User name', { exact: true }).fill(user.username);
  await form.getByLabel('Display name', { exact: true }).fill(user.displayName);
  if (user.email) await form.getByLabel('E-mail', { exact: true }).fill(user.email);
  await form.getByLabel('Role', { exact: true }).selectOption({ label: user.role });
  if (user.tenant) await form.getByLabel('Tenant', { exact: true }).fill(user.tenant);
  if (user.opco) await form.getByLabel('Operating company', { exact: true }).fill(user.opco);
  await form.getByLabel('First password', { exact: true }).selectOption('temporary');
  await form.getByRole('button', { name: 'Create user' }).click();

  await expect(page).toHaveURL(/\/users\/\d+\?notice=created/);
  await expect(page.getByText('User created.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: user.displayName, exact: true })).toBeVisible();
  const code = page
    .getByRole('status')
    .filter({ hasText: `Temporary password for ${user.username}:` })
    .locator('code');
  await expect(code).toBeVisible();
  const password = ((await code.textContent()) ?? '').trim();
  expect(password.length).toBeGreaterThanOrEqual(12);
  return { id: Number(/\/users\/(\d+)/.exec(page.url())![1]), password };
}
