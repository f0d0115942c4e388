import { test, expect, type Locator, type Page } from '@playwright/test';
import { main, screenshot, signInAsAdmin } from './helpers';

// Runs against the `session` server: idle timeout 60 s, warning 50 s before it, so the dialog shows
// about 10 s after a page load (or an extension) and the session ends 60 s after it.

function sessionDialog(page: Page): Locator {
  return page.getByRole('alertdialog', { name: 'Your session is about to expire' });
}

/** The "m:ss" the dialog counts down. */
async function countdown(dialog: Locator): Promise<string> {
  const text = (await dialog.textContent()) ?? '';
  return /signed out in\s*(\d+:\d{2})/.exec(text)?.[1] ?? '';
}

test('the session dialog counts down; "Extend session" keeps the page as it is', async ({ page }, info) => {
  await signInAsAdmin(page);

  // Something typed and not submitted: an extension must not reload the page and lose it.
  await page.goto('/tenants');
  await expect(page.getByRole('heading', { level: 1, name: 'Tenants', exact: true })).toBeVisible();
  const search = main(page).getByLabel('Search tenants', { exact: true });
  const typed = 'typed, not submitted';
  await search.fill(typed);

  const dialog = sessionDialog(page);
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(dialog).toContainText(/You will be signed out in \d+:\d{2}/);
  const first = await countdown(dialog);
  expect(first).not.toBe('');
  await expect.poll(() => countdown(dialog), { timeout: 5_000 }).not.toBe(first);
  await screenshot(page, 'session-dialog', info.project.name);

  await dialog.getByRole('button', { name: 'Extend session' }).click();
  await expect(dialog).toBeHidden({ timeout: 5_000 });
  await expect(page).toHaveURL(/\/tenants$/);
  await expect(search).toHaveValue(typed);

  // The count starts again: the dialog comes back about 10 s later.
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(search).toHaveValue(typed);
  await dialog.getByRole('button', { name: 'Extend session' }).click();
  await expect(dialog).toBeHidden({ timeout: 5_000 });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Users', exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: 'admin', exact: true })).toBeVisible();
});

test('a session left alone expires: the page goes to sign-in and says why', async ({ page }) => {
  // Sign-in, 60 s of idleness, and the way to the sign-in page.
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  // A full page load, so that the server's idle clock and the page's countdown start together.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Administration Portal' })).toBeVisible();

  const dialog = sessionDialog(page);
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByRole('button', { name: 'Extend session' })).toBeVisible();

  await expect(page).toHaveURL(/\/login\?expired=1$/, { timeout: 75_000 });
  await expect(page.getByText('Your session has expired. Sign in again to continue.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
