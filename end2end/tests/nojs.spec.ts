import { test, expect } from '@playwright/test';

test('without JavaScript the page is not hydrated: the toggle stays hidden', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show password' })).toBeHidden();
});
