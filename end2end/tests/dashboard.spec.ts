import { test, expect, type Page } from '@playwright/test';
import { CHOSEN_PASSWORD, changeForcedPassword, createTenant, createUser, main, screenshot, signIn, signInAsAdmin, signOut, uniqueSuffix } from './helpers';

test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();

function tile(page: Page, title: string) {
  return main(page).locator('li.dash-tile').filter({ has: page.getByRole('heading', { level: 2, name: title, exact: true }) });
}

function announced(page: Page) {
  return page.locator('[aria-live="polite"]').filter({ hasText: /./ }).last();
}

test('a dashboard built with the keyboard alone is there after a reload, and Reset brings the default back', async ({ page }, info) => {
  await signInAsAdmin(page);
  await expect(tile(page, 'Active alarms')).toBeVisible();
  await expect(tile(page, 'Jobs')).toBeVisible();
  await screenshot(page, 'dashboard-default', info.project.name);

  // Customize, with the keyboard.
  await page.getByRole('button', { name: 'Customize' }).focus();
  await page.keyboard.press('Enter');
  await expect(main(page).getByRole('region', { name: 'Customize the dashboard' })).toBeVisible();

  // Remove Jobs: focus its widget, press Delete.
  await tile(page, 'Jobs').focus();
  await page.keyboard.press('Delete');
  await expect(announced(page)).toHaveText('Jobs removed from the dashboard.');
  await expect(tile(page, 'Jobs')).toHaveCount(0);

  // Move Sites two columns right, then make it one column wider; each move is announced.
  await tile(page, 'Sites').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(announced(page)).toContainText('Sites: column 3 of 12, row 3');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(announced(page)).toContainText('4 columns wide');

  // Add Link switches from the list, by typing in it and pressing the button.
  await page.getByLabel('Widget', { exact: true }).focus();
  await page.keyboard.type('Link');
  await page.getByRole('button', { name: 'Add widget' }).focus();
  await page.keyboard.press('Enter');
  await expect(announced(page)).toHaveText('Link switches added at the bottom.');
  await expect(tile(page, 'Link switches')).toBeVisible();
  await screenshot(page, 'dashboard-customizing', info.project.name);

  await page.getByRole('button', { name: 'Save', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(announced(page)).toHaveText('Dashboard saved.');

  await page.reload();
  await expect(tile(page, 'Link switches')).toBeVisible();
  await expect(tile(page, 'Jobs')).toHaveCount(0);
  await expect(tile(page, 'Sites')).toHaveClass(/dash-x3 dash-w4 /);
  await expect(main(page).getByText('Your own dashboard.')).toBeVisible();
  await screenshot(page, 'dashboard-saved', info.project.name);

  await page.getByRole('button', { name: 'Customize' }).click();
  await page.getByRole('button', { name: 'Reset to default' }).click();
  await expect(main(page).getByText('Your dashboard is back to your role\'s default.')).toBeVisible();
  await expect(tile(page, 'Jobs')).toBeVisible();
  await expect(tile(page, 'Link switches')).toHaveCount(0);
});

test('a widget’s figure opens the page beneath it with the same filter', async ({ page }) => {
  await signInAsAdmin(page);
  await tile(page, 'Active alarms').getByRole('link', { name: /Major/ }).click();
  await expect(page).toHaveURL(/\/alarms\?severity=major/);
  await expect(main(page).getByLabel('Severity', { exact: true })).toHaveValue('major');
  await page.goto('/');
  await tile(page, 'Jobs').getByRole('link', { name: /Failed/ }).click();
  await expect(page).toHaveURL(/\/jobs\?state=failed/);
  await page.goto('/?range=7d');
  await tile(page, 'SLA score').getByRole('link', { name: /Poor/ }).click();
  await expect(page).toHaveURL(/\/sla\/performance\?view=grid&range=7d&band=poor/);
});

test('a tenant user’s dashboard counts only their own tenant', async ({ page }, info) => {
  await signInAsAdmin(page);
  const name = `dash-${n}`;
  await createTenant(page, name, `Dash ${n}`);
  const user = await createUser(page, { username: `dash-${n}`, displayName: `Dash admin ${n}`, role: 'Tenant Administrator (Tenant)', tenant: name });
  await signOut(page);
  await page.goto('/login');
  await signIn(page, `dash-${n}`, user.password);
  await changeForcedPassword(page, user.password, CHOSEN_PASSWORD);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: `Dash ${n}` })).toBeVisible();
  await expect(tile(page, 'Sites').getByRole('link', { name: /Sites/ }).first()).toContainText('0');
  await expect(tile(page, 'Hub and POP health')).toHaveCount(0);
  await expect(tile(page, 'Top applications')).toBeVisible();
  await screenshot(page, 'dashboard-tenant', info.project.name);
});
