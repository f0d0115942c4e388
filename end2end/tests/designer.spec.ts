import { test, expect } from '@playwright/test';
import { CHOSEN_PASSWORD, changeForcedPassword, createUser, main, screenshot, signIn, signInAsAdmin, signOut, uniqueSuffix } from './helpers';

test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();
const designer = `designer${n}`;
let designerPassword = '';
/** The design the configuration journey publishes (and leaves a draft v2 of), as /designer/config/<id>. */
let designPath = '';

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
  designPath = new URL(designUrl).pathname;

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

test('from YANG: the IETF interface modules are browsed and searched, three leaves ticked become typed fields, and the template validates against the modules', async ({ page }, info) => {
  await signIn(page, designer, designerPassword);
  await expect(page).toHaveURL(/\/designer\/config$/);
  await main(page).getByRole('link', { name: 'New from YANG' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New configuration template from YANG' })).toBeVisible();
  // The IETF interfaces and IP modules are chosen to start with; libyang reads them.
  await expect(main(page).getByRole('checkbox', { name: 'IETF interfaces (RFC 8343) (ietf-interfaces)' })).toBeChecked();
  await expect(main(page).getByText(/^\d+ configuration nodes in 2 modules; loaded and walked in [\d.]+ ms\.$/)).toBeVisible();
  await expect(main(page).getByRole('checkbox', { name: 'mtu (/ietf-interfaces:interfaces/interface/ietf-ip:ipv4/mtu)' })).toBeVisible();

  // Search keeps the matches and their parents (once the page is hydrated, the form answers in place).
  await expect(async () => {
    await main(page).getByLabel('Search the tree', { exact: true }).fill('address');
    await main(page).getByRole('button', { name: 'Search', exact: true }).click();
    await expect(main(page).getByText(/match “address” \(with their parents\)/)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(main(page).getByRole('checkbox', { name: 'mtu (/ietf-interfaces:interfaces/interface/ietf-ip:ipv4/mtu)' })).toHaveCount(0);
  const ADDR = '/ietf-interfaces:interfaces/interface/ietf-ip:ipv4/address';
  await main(page).getByRole('checkbox', { name: `ip (${ADDR}/ip)`, exact: true }).check();
  await main(page).getByRole('checkbox', { name: `prefix-length (${ADDR}/prefix-length)`, exact: true }).check();
  await main(page).getByLabel('Search the tree', { exact: true }).fill('description');
  await main(page).getByRole('button', { name: 'Search', exact: true }).click();
  await expect(main(page).getByText('2 leaves ticked.', { exact: false })).toBeVisible();
  await main(page).getByRole('checkbox', { name: 'description (/ietf-interfaces:interfaces/interface/description)', exact: true }).check();
  await screenshot(page, 'designer-from-yang', info.project.name);
  await main(page).getByLabel('Name', { exact: true }).fill(`Interface address ${n}`);
  await main(page).getByRole('button', { name: 'Create and open the editor' }).click();

  // The editor: each leaf a typed field (the list keys and the interface's mandatory type come along).
  await expect(page).toHaveURL(/\/designer\/config\/\d+\/edit$/);
  await expect(page.getByRole('heading', { level: 1, name: `Edit Interface address ${n}` })).toBeVisible();
  const vars = main(page).getByRole('region', { name: /^Variables/ });
  for (const v of ['address_ip', 'address_prefix_length', 'interface_description', 'interface_name', 'interface_type']) {
    await expect(vars.getByRole('cell', { name: v, exact: true })).toBeVisible();
  }
  await expect(main(page).getByLabel('Output', { exact: true })).toHaveValue('netconf');
  // A prefix length the module does not allow is refused by its range; a good one validates with libyang.
  await main(page).getByLabel('prefix-length (address_prefix_length)', { exact: true }).fill('33');
  await main(page).getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: '33 is outside 0..32' })).toBeVisible();
  await main(page).getByLabel('prefix-length (address_prefix_length)', { exact: true }).fill('24');
  await main(page).getByLabel('ip (address_ip)', { exact: true }).fill('192.0.2.10');
  await main(page).getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByText('Version 1 is validated: it can be published.')).toBeVisible();
  await expect(page.getByText('Validated against the YANG modules by libyang.')).toBeVisible();
  await main(page).getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(main(page).locator('pre.config-text')).toContainText('<prefix-length>24</prefix-length>');
  await screenshot(page, 'designer-from-yang-validated', info.project.name);
  await main(page).getByRole('button', { name: 'Publish v1' }).click();
  await expect(page).toHaveURL(/notice=published/);
});

test('a second designer meets the lock, named with its holder, until an SP administrator breaks it', async ({ page, browser }, info) => {
  expect(designPath, 'the configuration journey ran first').not.toBe('');
  // A second designer, in a browser of their own.
  await signInAsAdmin(page);
  const second = `designer${n}b`;
  const made = await createUser(page, { username: second, displayName: `Second Designer ${n}`, role: 'Designer (Service provider)' });
  await signOut(page);
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await signIn(page2, second, made.password);
  await changeForcedPassword(page2, made.password, CHOSEN_PASSWORD);

  // The first designer opens the editor: the lock is theirs.
  await signIn(page, designer, designerPassword);
  await expect(page).toHaveURL(/\/designer\/config$/);
  await page.goto(`${designPath}/edit`);
  await expect(page.getByRole('heading', { level: 1, name: `Edit Branch LAN ${n}` })).toBeVisible();

  // The second meets it: the editor refuses, naming the holder; the design page says who edits it.
  await page2.goto(`${designPath}/edit`);
  await expect(page2.getByText(new RegExp(`Branch LAN ${n} is being edited by ${designer} since \\d{2}:\\d{2} UTC`))).toBeVisible();
  await expect(page2.getByRole('button', { name: 'Save and close' })).toHaveCount(0);
  await screenshot(page2, 'designer-locked', info.project.name);
  await page2.goto(designPath);
  await expect(page2.getByText(`Being edited by ${designer} since`)).toBeVisible();
  // A designer cannot break it; an SP administrator can.
  await expect(page2.getByRole('button', { name: 'Break the lock' })).toHaveCount(0);
  await signOut(page);
  await signInAsAdmin(page);
  await page.goto(designPath);
  await page.getByRole('button', { name: 'Break the lock' }).click();
  await expect(page.getByText(`Being edited by ${designer} since`)).toHaveCount(0);

  // Free now: the second designer gets the editor.
  await page2.goto(`${designPath}/edit`);
  await expect(page2.getByRole('heading', { level: 1, name: `Edit Branch LAN ${n}` })).toBeVisible();
  await page2.getByRole('button', { name: 'Close without saving' }).click();
  await other.close();
});

test('a VNF package is designed, fails validation without a right interface, is fixed, published, exported, deleted and imported back identical', async ({ page }, info) => {
  // What a package needs around it, from the SP administrator: a POP with a VIM, an uploaded VNF image.
  const image = `edge-fw-${n}.qcow2`;
  await signInAsAdmin(page);
  await page.goto('/pops/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New POP' })).toBeVisible();
  await main(page).getByLabel('Name', { exact: true }).fill(`vnfpop${n}`);
  await main(page).getByLabel('City', { exact: true }).fill('Amsterdam');
  await main(page).getByLabel('Country', { exact: true }).fill('NL');
  await main(page).getByLabel('Latitude', { exact: true }).fill('52.37');
  await main(page).getByLabel('Longitude', { exact: true }).fill('4.89');
  await main(page).getByRole('button', { name: 'Create POP' }).click();
  await expect(page).toHaveURL(/\/pops\/\d+\?notice=created$/);
  await main(page).getByRole('link', { name: 'Add VIM', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New VIM' })).toBeVisible();
  await main(page).getByLabel('Name', { exact: true }).fill(`vnfvim${n}`);
  await main(page).getByLabel('Auth URL', { exact: true }).fill('https://keystone.ams.example.net:5000/v3');
  await main(page).getByLabel('User name', { exact: true }).fill('portico');
  await main(page).getByLabel('Password', { exact: true }).fill('Vim-Secret-Pass-1');
  await expect(main(page).getByLabel('vCPUs', { exact: true })).toHaveValue('64');
  await main(page).getByRole('button', { name: 'Create VIM' }).click();
  await expect(page).toHaveURL(/\/vims\/\d+\?notice=created$/);
  await expect(main(page).getByText('64 vCPUs, 256 GB RAM, 2000 GB disk')).toBeVisible();
  await page.goto('/images/new');
  await main(page).getByLabel('File', { exact: true }).setInputFiles({ name: image, mimeType: 'application/octet-stream', buffer: Buffer.from(`a VNF disk ${n}`) });
  await main(page).getByLabel('Version', { exact: true }).fill('2.1');
  await main(page).getByLabel('Family', { exact: true }).selectOption({ label: 'VNF image (VM disk)' });
  await main(page).getByRole('button', { name: 'Upload image' }).click();
  await expect(main(page).getByRole('cell', { name: image, exact: true })).toBeVisible();
  await signOut(page);

  // The designer sees the predefined packages, published.
  await signIn(page, designer, designerPassword);
  await expect(page).toHaveURL(/\/designer\/config$/);
  await page.goto('/designer/resource');
  await expect(page.getByRole('heading', { level: 1, name: 'Resource Designer' })).toBeVisible();
  for (const name of ['vSRX', 'LxCIPtable', 'Cisco CSR-1000v', 'Riverbed Steelhead', 'Fortinet FortiGate-VM', 'Ubuntu']) {
    await expect(main(page).getByRole('row').filter({ hasText: name }).getByText('Published', { exact: true })).toBeVisible();
  }
  await screenshot(page, 'designer-resource-designs', info.project.name);

  // A new package: described, one interface short.
  await main(page).getByRole('link', { name: 'New VNF package' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New VNF package' })).toBeVisible();
  await main(page).getByLabel('Name', { exact: true }).fill(`Edge FW ${n}`);
  await main(page).getByLabel('VNF type', { exact: true }).selectOption({ label: 'Firewall' });
  await main(page).getByRole('button', { name: 'Create and open the editor' }).click();
  await expect(page).toHaveURL(/\/designer\/resource\/\d+\/edit$/);
  await expect(page.getByRole('heading', { level: 1, name: `Edit Edge FW ${n}` })).toBeVisible();
  const id = page.url().match(/\/designer\/resource\/(\d+)\/edit$/)?.[1] ?? '';
  const editor = main(page);
  await editor.getByLabel('Provider (vendor)', { exact: true }).fill('Example Networks');
  await editor.getByLabel('Product name', { exact: true }).fill('Edge Firewall');
  await editor.getByLabel('Software version', { exact: true }).fill('2.1');
  await editor.getByRole('checkbox', { name: 'Firewall', exact: true }).check();
  await editor.getByRole('checkbox', { name: 'NAT', exact: true }).check();
  await editor.getByRole('checkbox', { name: 'Centralized (in a POP)', exact: true }).check();
  await editor.getByLabel('From Software Images', { exact: true }).selectOption({ label: `${image} (2.1)` });
  await editor.getByLabel('Flavour 1 throughput (Mbps)', { exact: true }).fill('1000');
  await editor.getByRole('button', { name: 'Add interface' }).click();
  await expect(page.getByText('Interface added')).toBeVisible();
  await expect(editor.getByLabel('Provider (vendor)', { exact: true })).toHaveValue('Example Networks');
  await editor.getByLabel('Interface 2 name', { exact: true }).fill('eth1');
  await editor.getByLabel('Interface 2 role', { exact: true }).selectOption({ label: 'Left (inside)' });
  await editor.getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByText('did not validate')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Add a right interface' }).first()).toBeVisible();
  await expect(editor.getByRole('button', { name: /^Publish/ })).toHaveCount(0);
  await screenshot(page, 'designer-package-invalid', info.project.name);

  // Fixed: a right interface; validated, published.
  await editor.getByRole('button', { name: 'Add interface' }).click();
  await expect(editor.getByLabel('Interface 3 name', { exact: true })).toBeVisible();
  await editor.getByLabel('Interface 3 name', { exact: true }).fill('eth2');
  await editor.getByLabel('Interface 3 role', { exact: true }).selectOption({ label: 'Right (outside)' });
  await editor.getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByText('Version 1 is validated: it can be published.')).toBeVisible();
  await screenshot(page, 'designer-package-validated', info.project.name);
  await page.getByRole('button', { name: 'Publish v1' }).click();
  await expect(page).toHaveURL(/notice=published/);
  await expect(main(page).getByRole('row').filter({ hasText: 'v1' }).getByText('Published', { exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: 'SOL006 descriptor (YAML)' })).toBeVisible();
  await screenshot(page, 'designer-package-published', info.project.name);

  // Exported: the bundle and the SOL006 descriptor.
  const exported = await page.request.get(`/designer/export/${id}`);
  expect(exported.status()).toBe(200);
  const bundle = await exported.text();
  const sol006 = await (await page.request.get(`/designer/export/${id}?format=sol006`)).text();
  expect(sol006).toContain('vnfd:');
  expect(sol006).toContain('mgmt-cp: eth0-ext');
  expect(sol006).toContain('product-name: Edge Firewall');

  // Deleted, then imported back: the same package.
  await main(page).getByRole('button', { name: `Delete Edge FW ${n}` }).click();
  await expect(page).toHaveURL(/\/designer\/resource\?notice=deleted$/);
  await expect(main(page).getByRole('row').filter({ hasText: `Edge FW ${n}` })).toHaveCount(0);
  await main(page).getByRole('link', { name: 'Import', exact: true }).click();
  await main(page).getByLabel('Bundle', { exact: true }).fill(bundle);
  await main(page).getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page).toHaveURL(/\/designer\/resource\/\d+\?notice=imported$/);
  await expect(page.getByRole('heading', { level: 1, name: `Edge FW ${n}` })).toBeVisible();
  const again = page.url().match(/\/designer\/resource\/(\d+)\?/)?.[1] ?? '';
  const back = await (await page.request.get(`/designer/export/${again}`)).json();
  expect(back.body).toEqual(JSON.parse(bundle).body);
  await screenshot(page, 'designer-package-imported', info.project.name);

  // A VNF manager for it, checked by a job: nothing answers on the port it names.
  await page.goto('/designer/resource/managers');
  await expect(page.getByRole('heading', { level: 1, name: 'VNF managers' })).toBeVisible();
  const managerForm = main(page).getByRole('region', { name: 'New VNF manager' });
  await managerForm.getByLabel('Name', { exact: true }).fill(`edge-vnfm-${n}`);
  await managerForm.getByLabel('Type', { exact: true }).selectOption({ label: 'Generic NETCONF' });
  await managerForm.getByLabel('Endpoint', { exact: true }).fill('127.0.0.1:9');
  await managerForm.getByLabel('User name', { exact: true }).fill('portico');
  await managerForm.getByLabel('Password', { exact: true }).fill('Vnfm-Secret-Pass-1');
  await managerForm.getByRole('checkbox', { name: `Edge FW ${n}`, exact: true }).check();
  await managerForm.getByRole('button', { name: 'Add VNF manager' }).click();
  await expect(page.getByText('VNF manager saved.')).toBeVisible();
  const managerRow = main(page).getByRole('row').filter({ hasText: `edge-vnfm-${n}` });
  await expect(managerRow.getByText('Not checked')).toBeVisible();
  await expect(managerRow.getByText(`Edge FW ${n}`)).toBeVisible();
  await managerRow.getByRole('button', { name: `Check edge-vnfm-${n}` }).click();
  await expect(page.getByText('Check started')).toBeVisible();
  await expect(async () => {
    await page.goto('/designer/resource/managers');
    await expect(main(page).getByRole('row').filter({ hasText: `edge-vnfm-${n}` }).getByText('Unreachable')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  expect(await page.content()).not.toContain('Vnfm-Secret-Pass-1');
  await screenshot(page, 'designer-vnf-managers', info.project.name);
});
