import { expect, type Page } from '@playwright/test';

export const INITIAL_PASSWORD = 'Initial-Admin-Pass-1';
export const CHOSEN_PASSWORD = 'Chosen-Admin-Pass-2026';
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
