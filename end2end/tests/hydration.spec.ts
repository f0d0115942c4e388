import { test, expect } from '@playwright/test';

test('the wasm hydrates the page: the show-password toggle works', async ({ page }) => {
  await page.goto('/login');
  // The toggle is rendered hidden and revealed by an effect that runs only in the browser's wasm.
  const toggle = page.getByRole('button', { name: 'Show password' });
  await expect(toggle).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill('something-secret');
  await toggle.click();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'text');
  await expect(page.getByRole('button', { name: 'Hide password' })).toHaveAttribute('aria-pressed', 'true');
});
