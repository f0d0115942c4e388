import { test, expect } from '@playwright/test';
import { main, screenshot, signInAsAdmin } from './helpers';

// The demo fleet's OpenStack cloud: `make run` (and this server, with demo data) points the VIM
// demo-cloud of POP ams-dc1 at it. Test connection logs in to its Keystone with the sealed password
// and reads Nova, Glance and Neutron over HTTP.
test('a VIM’s Test connection reaches the demo cloud and says what it holds, or why not', async ({ page }, info) => {
  await signInAsAdmin(page);
  await page.goto('/vims');
  await expect(page.getByRole('heading', { level: 1, name: 'VIMs' })).toBeVisible();
  const row = main(page).getByRole('row').filter({ hasText: 'demo-cloud' });
  await expect(row).toContainText('ams-dc1');
  await expect(row).toContainText('Not tested');
  await row.getByRole('link', { name: 'demo-cloud' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'demo-cloud' })).toBeVisible();

  const panel = main(page).getByRole('region', { name: 'Connection' });
  await expect(panel.getByTestId('vim-check')).toContainText('Not tested yet');
  await screenshot(page, 'vim-not-tested', info.project.name);
  // The first click can land before hydration: retry until the result shows.
  await expect(async () => {
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await expect(panel.getByTestId('vim-check')).toContainText('Connected', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  const check = panel.getByTestId('vim-check');
  await expect(check).toContainText('Keystone v3 token for project portico');
  await expect(check).toContainText('Nova 5 flavours, largest m1.xlarge');
  await expect(check).toContainText('Glance 5 images');
  await screenshot(page, 'vim-connected', info.project.name);

  // A wrong password: the test runs and records Keystone's refusal, next to the VIM.
  const form = main(page).getByRole('region', { name: 'Edit' });
  await form.getByLabel('Password', { exact: true }).fill('not-the-cloud-password');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\?notice=saved$/);
  const again = main(page).getByRole('region', { name: 'Connection' });
  await expect(async () => {
    await again.getByRole('button', { name: 'Test connection' }).click();
    await expect(again.getByTestId('vim-check')).toContainText('Failed', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(again.getByTestId('vim-check')).toContainText('Keystone');
  await expect(again.getByTestId('vim-check')).toContainText('requires authentication');
  await screenshot(page, 'vim-refused', info.project.name);

  // The list shows each VIM's last result; the right password back makes it connect again.
  await page.goto('/vims');
  await expect(main(page).getByRole('row').filter({ hasText: 'demo-cloud' })).toContainText('Failed');
  await main(page).getByRole('row').filter({ hasText: 'demo-cloud' }).getByRole('link', { name: 'demo-cloud' }).click();
  const restore = main(page).getByRole('region', { name: 'Edit' });
  await restore.getByLabel('Password', { exact: true }).fill('portico-lab');
  await restore.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\?notice=saved$/);
  const last = main(page).getByRole('region', { name: 'Connection' });
  await last.getByRole('button', { name: 'Test connection' }).click();
  await expect(last.getByTestId('vim-check')).toContainText('Connected');
});
