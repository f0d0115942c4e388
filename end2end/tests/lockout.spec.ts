import { test, expect, type Page } from '@playwright/test';
import { GENERIC_FAILURE, createUser, main, screenshot, signIn, signInAsAdmin, signOut, uniqueSuffix } from './helpers';

const LOCKED = /locked after too many failed sign-ins/;

/**
 * One sign-in attempt, waiting for the server's answer so that attempts never overlap. The page is
 * hydrated first (the show-password toggle appears only then), so the form is sent by the wasm and
 * the answer lands in the same page rather than in a new page load racing the next attempt.
 */
async function attempt(page: Page, username: string, password: string) {
  if (!page.url().includes('/login')) await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Show password' })).toBeVisible();
  const answered = page.waitForResponse((r) => r.url().includes('/api/login') && r.request().method() === 'POST');
  await signIn(page, username, password);
  await answered;
}

test('five wrong passwords lock an account until an administrator unlocks it', async ({ page }, info) => {
  const n = uniqueSuffix();
  const username = `lock-${n}`;
  const displayName = `Lock Person ${n}`;

  await signInAsAdmin(page);
  const { id, password } = await createUser(page, {
    username,
    displayName,
    role: 'SP Operator (Service provider)',
  });
  await signOut(page);

  for (let i = 1; i <= 4; i++) {
    await attempt(page, username, `Wrong-Password-${i}0`);
    await expect(page.getByRole('alert')).toHaveText(GENERIC_FAILURE);
  }
  await attempt(page, username, 'Wrong-Password-50');
  await expect(page.getByRole('alert')).toHaveText(LOCKED);
  await expect(page.getByRole('alert')).toContainText('ask an administrator to unlock it');

  // Locked means locked: the right password is refused too.
  await attempt(page, username, password);
  await expect(page.getByRole('alert')).toHaveText(LOCKED);
  await expect(page).toHaveURL(/\/login/);
  await screenshot(page, 'locked', info.project.name);

  await signInAsAdmin(page);
  await page.goto(`/users/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: displayName, exact: true })).toBeVisible();
  await expect(main(page).getByText('Locked until', { exact: true })).toBeVisible();
  const unlock = main(page).getByRole('button', { name: 'Unlock account' });
  await expect(unlock).toBeVisible();
  await unlock.click();
  await expect(page.getByText('Account unlocked.')).toBeVisible();
  await expect(unlock).toHaveCount(0);
  await signOut(page);

  await signIn(page, username, password);
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
});
