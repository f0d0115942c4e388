import { test, expect, type Page } from '@playwright/test';
import { main, openNav, screenshot, signInAsAdmin, uniqueSuffix } from './helpers';

// The traffic types changed here are the server's own: the journeys run in order.
test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();

function row(page: Page, name: string) {
  return main(page).getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

test('traffic type profiles keep at most 100 % of buffer for the enabled ones', async ({ page }, info) => {
  await signInAsAdmin(page);
  await openNav(page, 'Traffic type profiles');
  await expect(row(page, 'Voice-Video')).toContainText('Enabled');
  await expect(row(page, 'Voice-Video')).toContainText('AF41');
  await expect(row(page, 'High Priority Video')).toContainText('Disabled');
  await expect(main(page).getByText('3 of at most 6 enabled · enabled buffers 20 % of 100 %')).toBeVisible();

  await main(page).getByRole('button', { name: 'Enable traffic type High Priority Video' }).click();
  await expect(main(page).getByText('Traffic type enabled.', { exact: true })).toBeVisible();
  await expect(main(page).getByText('4 of at most 6 enabled · enabled buffers 40 % of 100 %')).toBeVisible();
  await expect(row(page, 'High Priority Video')).toContainText('Enabled');

  await main(page).getByRole('link', { name: 'New traffic type', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New traffic type' })).toBeVisible();
  const name = `Bulk ${n}`;
  await main(page).getByLabel('Name', { exact: true }).fill(name);
  await main(page).getByLabel('Enabled').check();
  const buffer = main(page).getByLabel('Buffer (%)');
  await buffer.fill('70');
  await main(page).getByRole('button', { name: 'Create traffic type' }).click();
  await expect(buffer).toHaveAccessibleDescription(/would total 110 %; at most 100 %/);
  await buffer.fill('60');
  await main(page).getByRole('button', { name: 'Create traffic type' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(main(page).getByText('Created.', { exact: true })).toBeVisible();
  await screenshot(page, 'traffic-type', info.project.name);

  // Back to CSO's defaults, so the next journey's choices are the predefined ones.
  await main(page).getByRole('button', { name: `Delete traffic type ${name}` }).click();
  await expect(main(page).getByText('Deleted.', { exact: true })).toBeVisible();
  await main(page).getByRole('button', { name: 'Disable traffic type High Priority Video' }).click();
  await expect(main(page).getByText('3 of at most 6 enabled · enabled buffers 20 % of 100 %')).toBeVisible();
  await screenshot(page, 'traffic-types', info.project.name);
});

test('an SLA profile keeps CSO’s name rule and stores the thresholds it was given', async ({ page }, info) => {
  await signInAsAdmin(page);
  await openNav(page, 'SLA profiles');
  await expect(row(page, 'CSO-AV')).toContainText('Voice-Video');
  await expect(row(page, 'CSO-AV')).toContainText('RTT 150 ms · jitter 30 ms · loss 1 %');
  await expect(row(page, 'CSO-AV')).toContainText('Service provider');

  await main(page).getByRole('link', { name: 'New SLA profile', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New SLA profile' })).toBeVisible();
  const form = main(page);
  const nameField = form.getByLabel('Name', { exact: true });
  await nameField.fill('Branch-office-VoIP');
  await form.getByLabel('Traffic type').selectOption({ label: 'Voice-Video' });
  await form.getByLabel('SLA configuration').selectOption('custom');
  await form.getByLabel('Packet loss (%)').fill('0.5');
  await form.getByLabel('RTT (ms)').fill('120');
  await form.getByLabel('Jitter (ms)').fill('20');
  await form.getByRole('button', { name: 'Create SLA profile' }).click();
  await expect(nameField).toHaveAccessibleDescription(/must be 1 to 15 characters/);

  const name = `VoIP-${n}`;
  await nameField.fill(name);
  await form.getByRole('button', { name: 'Create SLA profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(main(page).getByText('Created.', { exact: true })).toBeVisible();
  await expect(main(page).getByLabel('RTT (ms)')).toHaveValue('120');
  await expect(main(page).getByLabel('Packet loss (%)')).toHaveValue('0.5');
  await screenshot(page, 'sla-profile', info.project.name);

  await openNav(page, 'SLA profiles');
  await expect(row(page, name)).toContainText('RTT 120 ms · jitter 20 ms · loss 0.5 %');
  await expect(row(page, name)).toContainText('Custom');
  await screenshot(page, 'sla-profiles', info.project.name);

  // The predefined ones stay; a custom one goes.
  await row(page, name).getByRole('link', { name, exact: true }).click();
  await main(page).getByRole('button', { name: `Delete SLA profile ${name}` }).click();
  await expect(main(page).getByText('Deleted.', { exact: true })).toBeVisible();
  await expect(row(page, name)).toHaveCount(0);
  await row(page, 'CSO-AV').getByRole('link', { name: 'CSO-AV', exact: true }).click();
  await expect(main(page).getByRole('button', { name: /Delete SLA profile/ })).toHaveCount(0);
});
