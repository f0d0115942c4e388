import { test, expect, type Page } from '@playwright/test';
import { createUser, expectShell, main, openNav, signIn, signInAsAdmin, signOut, uniqueSuffix } from './helpers';

const SENT = 'a link to reset its password is on its way';

/** "Forgot password?" from the sign-in page; returns the confirmation it shows. */
async function askForLink(page: Page, nameOrEmail: string): Promise<string> {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await page.getByLabel('User name or e-mail', { exact: true }).fill(nameOrEmail);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  const confirmation = page.getByRole('status').filter({ hasText: SENT });
  await expect(confirmation).toBeVisible();
  await expect(page).toHaveURL(/\/forgot-password\?sent=1$/);
  return ((await confirmation.textContent()) ?? '').trim();
}

test('a forgotten password is reset from an e-mailed link that works once', async ({ page }) => {
  const n = uniqueSuffix();
  const username = `forgot-${n}`;
  const email = `forgot-${n}@example.com`;
  const chosen = 'Reset-Chosen-Pass-31';

  await signInAsAdmin(page);
  await createUser(page, { username, displayName: `Forgot Person ${n}`, email, role: 'SP Operator (Service provider)' });
  await signOut(page);

  // The same answer whether or not the account exists.
  const known = await askForLink(page, username);
  const unknown = await askForLink(page, `nobody-${n}`);
  expect(unknown).toBe(known);

  await signInAsAdmin(page);
  await openNav(page, 'Outbox');
  const message = main(page).getByRole('row').filter({ hasText: email }).first();
  await expect(message).toBeVisible();
  await expect(message).toContainText('Reset your Portico password');
  await message.getByText('Show message', { exact: true }).click();
  const body = message.locator('pre');
  await expect(body).toContainText('/reset-password?token=');
  const link = /\/reset-password\?token=[0-9A-Za-z_-]+/.exec((await body.textContent()) ?? '')?.[0];
  expect(link, 'the message holds a reset link').toBeTruthy();
  await signOut(page);

  await page.goto(link!);
  await expect(page.getByRole('heading', { name: 'Choose a password' })).toBeVisible();
  await expect(page.getByText(`For the account ${username}`)).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('Confirm new password', { exact: true }).fill(chosen);
  await page.getByRole('button', { name: 'Set password' }).click();

  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByText('Your password has been set. Sign in with it.')).toBeVisible();
  await signIn(page, username, chosen);
  await expectShell(page);

  // The link is spent.
  await page.goto(link!);
  await expect(page.getByRole('heading', { name: 'Choose a password' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('This link has expired or was already used.');
  await expect(page.getByLabel('New password', { exact: true })).toHaveCount(0);
});
