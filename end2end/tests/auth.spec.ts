import { test, expect } from '@playwright/test';
import { CHOSEN_PASSWORD, GENERIC_FAILURE, INITIAL_PASSWORD, expectShell, screenshot, signIn } from './helpers';

// Runs twice: hydrated, and with JavaScript disabled (server-rendered forms on their own).
test.describe.configure({ mode: 'serial' });

test('a wrong password or an unknown user gets one generic message', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, 'admin', 'definitely-not-it');
  await expect(page.getByRole('alert')).toHaveText(GENERIC_FAILURE);
  await signIn(page, 'no-such-user', INITIAL_PASSWORD);
  await expect(page.getByRole('alert')).toHaveText(GENERIC_FAILURE);
  await expect(page).toHaveURL(/\/login/);
});

test('first sign-in forces a password change; sign-out; the old password is refused', async ({ page }, info) => {
  await page.goto('/login');
  await screenshot(page, 'login', info.project.name);
  await signIn(page, 'admin', INITIAL_PASSWORD);

  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/change-password$/);

  await page.getByLabel('Current password', { exact: true }).fill(INITIAL_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('too-short');
  await page.getByLabel('Confirm new password', { exact: true }).fill('too-short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('New password must be at least 12 characters')).toBeVisible();
  await screenshot(page, 'change-password-error', info.project.name);

  await page.getByLabel('Current password', { exact: true }).fill(INITIAL_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill(CHOSEN_PASSWORD);
  await page.getByLabel('Confirm new password', { exact: true }).fill(CHOSEN_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();

  await expectShell(page);
  await expect(page.getByText('Your password has been changed.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your recent sign-ins' })).toBeVisible();
  await screenshot(page, 'shell', info.project.name);

  await page.getByText('Administrator', { exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=1$/);
  await expect(page.getByText('You have signed out.')).toBeVisible();

  await signIn(page, 'admin', INITIAL_PASSWORD);
  await expect(page.getByRole('alert')).toHaveText(GENERIC_FAILURE);
  await signIn(page, 'admin', CHOSEN_PASSWORD);
  await expectShell(page);

  await page.getByRole('link', { name: 'Sign-in activity' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign-in activity' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'no-such-user' })).toBeVisible();
  await screenshot(page, 'sign-ins', info.project.name);
});
