import { test, expect } from '@playwright/test';
import { CHOSEN_PASSWORD, changeForcedPassword, createUser, main, screenshot, signIn, signInAsAdmin, signOut, uniqueSuffix } from './helpers';

test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();
const designer = `designer${n}`;
let designerPassword = '';

const CONFIG = [
  'set system host-name branch-01',
  'set interfaces ge-0/0/1 unit 0 family inet address 10.1.1.1/24',
  'set interfaces ge-0/0/1 description lan',
  'set security zones security-zone trust interfaces ge-0/0/1.0',
].join('\n');

test('the SP administrator creates a designer, who lands in Designer Tools and sees no tenant data', async ({ page }, info) => {
  await signInAsAdmin(page);
  const made = await createUser(page, { username: designer, displayName: `Designer ${n}`, role: 'Designer (Service provider)' });
  designerPassword = made.password;
  await signOut(page);

  await signIn(page, designer, designerPassword);
  await changeForcedPassword(page, designerPassword, CHOSEN_PASSWORD);
  designerPassword = CHOSEN_PASSWORD;
  await page.goto('/');
  await expect(page).toHaveURL(/\/designer\/config$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Configuration Designer' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Configuration Designer', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Tenants', exact: true })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Sites', exact: true })).toHaveCount(0);
  await screenshot(page, 'designer-designs-empty', info.project.name);
});

test('a request is taken into design, a pasted configuration becomes a template with three variables, fails commit-check on a bad value, validates and is published', async ({ page }, info) => {
  await signIn(page, designer, designerPassword);
  await expect(page).toHaveURL(/\/designer\/config$/);
  await page.goto('/designer/config/requests');
  await expect(page.getByRole('heading', { level: 1, name: 'Configuration Designer requests' })).toBeVisible();
  const form = main(page).getByRole('region', { name: 'New request' });
  await form.getByLabel('Title', { exact: true }).fill(`Branch LAN ${n}`);
  await form.getByLabel('Priority', { exact: true }).selectOption({ label: 'High' });
  await form.getByLabel('Device family', { exact: true }).fill('SRX Series');
  await form.getByLabel('Purpose', { exact: true }).fill('LAN port and address per shop');
  await form.getByRole('button', { name: 'Create request' }).click();
  await expect(page.getByText('Request created.')).toBeVisible();
  const row = main(page).getByRole('row').filter({ hasText: `Branch LAN ${n}` });
  await expect(row.getByText('Open', { exact: true })).toBeVisible();
  await row.getByRole('button', { name: 'In design' }).click();
  await expect(row.getByText('In design', { exact: true })).toBeVisible();
  await screenshot(page, 'designer-requests', info.project.name);

  // A design for the request, from pasted configuration.
  await row.getByRole('link', { name: 'New design' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New configuration template' })).toBeVisible();
  await main(page).getByLabel('Name', { exact: true }).fill(`Branch LAN ${n}`);
  await main(page).getByLabel('Device family', { exact: true }).selectOption({ label: 'SRX Series' });
  await main(page).getByLabel('Configuration', { exact: true }).fill(CONFIG);
  await expect(main(page).getByLabel('Request', { exact: true })).toHaveValue(/\d+/);
  await main(page).getByRole('button', { name: 'Create and open the editor' }).click();
  await expect(page).toHaveURL(/\/designer\/config\/\d+\/edit$/);
  await expect(page.getByRole('heading', { level: 1, name: `Edit Branch LAN ${n}` })).toBeVisible();
  const designUrl = page.url().replace(/\/edit$/, '');

  // Select the host name in the text: it lands in "Selected text".
  const text = main(page).getByLabel('Jinja template', { exact: true });
  await text.evaluate((el: HTMLTextAreaElement) => {
    const at = el.value.indexOf('branch-01');
    el.focus();
    el.setSelectionRange(at, at + 'branch-01'.length);
    el.dispatchEvent(new Event('select', { bubbles: true }));
  });
  await expect(main(page).getByLabel('Selected text', { exact: true })).toHaveValue('branch-01');
  await main(page).getByLabel('Variable name', { exact: true }).fill('host_name');
  await main(page).getByRole('button', { name: 'Make variable' }).click();
  await expect(page.getByText('host_name is a variable now, in 1 place.')).toBeVisible();

  for (const [selected, name, type, places] of [
    ['ge-0/0/1', 'lan_port', 'String', 3],
    ['10.1.1.1/24', 'lan_address', 'IPv4 prefix', 1],
  ] as const) {
    await main(page).getByLabel('Selected text', { exact: true }).fill(selected);
    await main(page).getByLabel('Variable name', { exact: true }).fill(name);
    await main(page).getByLabel('Type', { exact: true }).selectOption({ label: type });
    await main(page).getByRole('button', { name: 'Make variable' }).click();
    await expect(page.getByText(`${name} is a variable now, in ${places} place${places === 1 ? '' : 's'}.`)).toBeVisible();
  }
  await expect(main(page).getByRole('heading', { name: 'Variables (3)' })).toBeVisible();
  await expect(text).toHaveValue(/\{\{ lan_port \}\}/);

  // Preview with the defaults.
  await main(page).getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(main(page).getByRole('heading', { name: 'Rendered configuration' })).toBeVisible();
  await expect(main(page).locator('pre.config-text')).toContainText('set interfaces ge-0/0/1 unit 0 family inet address 10.1.1.1/24');

  // A port the SRX does not have: commit-check fails with the simulated device's own message.
  await main(page).getByLabel('lan_port', { exact: true }).fill('ge-0/0/99');
  await main(page).getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'interface ge-0/0/99 does not exist on srx345' })).toBeVisible();
  await expect(page.getByText('did not validate')).toBeVisible();
  await expect(main(page).getByRole('button', { name: /^Publish/ })).toHaveCount(0);
  await screenshot(page, 'designer-commit-check-failed', info.project.name);

  // A port it has: validated, then published.
  await main(page).getByLabel('lan_port', { exact: true }).fill('ge-0/0/2');
  await main(page).getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByText('Version 1 is validated: it can be published.')).toBeVisible();
  await expect(page.getByText('Commit-check passed on a simulated SRX345.')).toBeVisible();
  await screenshot(page, 'designer-editor-validated', info.project.name);
  await main(page).getByRole('button', { name: 'Publish v1' }).click();
  await expect(page).toHaveURL(/notice=published/);
  await expect(page.getByText('Published. This version is frozen now')).toBeVisible();
  await expect(main(page).getByRole('row').filter({ hasText: 'v1' }).getByText('Published', { exact: true })).toBeVisible();
  await expect(main(page).getByText('Generated YANG module')).toBeVisible();
  await screenshot(page, 'designer-design-published', info.project.name);

  // Editing the published version starts v2; its history shows the change beside v1.
  await page.goto(`${designUrl}/edit`);
  await expect(page.getByRole('heading', { level: 1, name: `Edit Branch LAN ${n}` })).toBeVisible();
  const edited = (await text.inputValue()).replace('description lan', 'description shop-lan');
  await text.fill(edited);
  await main(page).getByRole('button', { name: 'Save and close' }).click();
  await expect(page).toHaveURL(/notice=closed/);
  await expect(main(page).getByRole('row').filter({ hasText: 'v2' }).getByText('Draft', { exact: true })).toBeVisible();
  await main(page).getByRole('link', { name: 'History', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `History of Branch LAN ${n}` })).toBeVisible();
  await expect(main(page).getByRole('row').filter({ hasText: 'shop-lan' })).toBeVisible();
  await screenshot(page, 'designer-history', info.project.name);

  // The Designs page lists it with its latest version.
  await page.goto('/designer/config');
  const listed = main(page).getByRole('row').filter({ hasText: `Branch LAN ${n}` });
  await expect(listed.getByText('v2')).toBeVisible();
  await screenshot(page, 'designer-designs', info.project.name);
});
