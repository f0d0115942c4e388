import { test, expect } from '@playwright/test';
import { CHOSEN_PASSWORD, changeForcedPassword, createTenant, createUser, main, openNav, screenshot, signIn, signInAsAdmin, signOut, uniqueSuffix } from './helpers';

// Service instances (issue 16): the demo data's "Secure Internet" (vSRX → Steelhead) is allocated to
// demo-retail; its tenant administrator instantiates it for a site on the demo cloud, watches the
// job, sees the instance Active with each VNF's management address and rendered configuration,
// changes a VNF's settings into a new revision; another tenant's administrator sees neither the
// service nor the instance; the first terminates it and every cloud resource is removed.
test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();
const instance = `utrecht-secure-${n}`;

test('a tenant administrator instantiates an allocated service for a site, watches it go Active, reads and changes a VNF’s configuration, and terminates it; another tenant sees nothing', async ({ page }, info) => {
  test.setTimeout(240_000);
  await signInAsAdmin(page);
  await page.goto('/network-services');
  const row = main(page).getByRole('row').filter({ hasText: 'Secure Internet' });
  await expect(row).toContainText('vSRX');
  await expect(row).toContainText('Riverbed Steelhead');
  const own = await createUser(page, { username: `instadmin${n}`, displayName: `Instance admin ${n}`, role: 'Tenant Administrator (Tenant)', tenant: 'demo-retail' });
  const otherTenant = `inst-other-${n}`;
  await createTenant(page, otherTenant, `Instance other ${n}`);
  const other = await createUser(page, { username: `instother${n}`, displayName: `Other admin ${n}`, role: 'Tenant Administrator (Tenant)', tenant: otherTenant });
  await signOut(page);

  // The tenant administrator instantiates the service for a site.
  await signIn(page, `instadmin${n}`, own.password);
  await changeForcedPassword(page, own.password, CHOSEN_PASSWORD);
  await openNav(page, 'Service Instances');
  await expect(page.getByRole('heading', { level: 1, name: 'Service Instances' })).toBeVisible();
  const form = main(page).getByRole('region', { name: 'Instantiate a service for demo-retail' });
  await expect(form).toContainText('Default tenant');
  await screenshot(page, 'instances-empty', info.project.name);
  await expect(async () => {
    await form.getByLabel('Instance name', { exact: true }).fill(instance);
    await expect(form.getByLabel('Instance name', { exact: true })).toHaveValue(instance);
  }).toPass();
  await form.getByLabel('Network service', { exact: true }).selectOption({ label: 'Secure Internet' });
  await form.getByLabel('Site', { exact: true }).selectOption({ label: 'utrecht-shop' });
  await form.getByLabel('POP and VIM', { exact: true }).selectOption({ label: 'ams-dc1 — demo-cloud' });
  await form.getByRole('button', { name: 'Instantiate' }).click();
  await expect(page).toHaveURL(/\/network-services\/instances\/\d+\?notice=instantiating$/);
  const instanceUrl = page.url().replace(/\?.*$/, '');
  await expect(page.getByText('Instantiation started')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(instance);

  // The page follows the job until the instance is Active.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Active', { timeout: 60_000 });
  const vnfs = main(page).getByRole('region', { name: 'VNFs of the instance' });
  await expect(vnfs.getByRole('row')).toHaveCount(3);
  for (const node of ['fw1', 'wan1']) {
    const vnf = vnfs.getByRole('row').filter({ hasText: `node ${node}` });
    await expect(vnf).toContainText('Active');
    await expect(vnf).toContainText(/192\.168\.0\.\d+/);
    await expect(vnf).toContainText('Revision 1');
  }
  await expect(main(page).getByRole('region', { name: 'Cloud resources' }).getByRole('row').filter({ hasText: 'server' })).toHaveCount(2);
  await screenshot(page, 'instance-active', info.project.name);

  // Its job, step by step.
  await main(page).getByRole('link', { name: /Job #\d+: watch its steps/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Instantiate ${instance}`);
  await expect(main(page)).toContainText('Push day-0 configuration');
  await expect(main(page)).toContainText('Health check');
  await expect(main(page)).toContainText('Succeeded');
  await screenshot(page, 'instance-job', info.project.name);

  // Each VNF's rendered configuration; a change of settings becomes revision 2.
  await page.goto(instanceUrl);
  const hostname = `${instance}-fw1`;
  await main(page).getByRole('link', { name: `View configuration of ${hostname}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Configuration of ${hostname}`);
  const rendered = main(page).getByRole('region', { name: 'Rendered configuration (revision 1)' });
  await expect(rendered).toContainText(`<host-name>${hostname}</host-name>`);
  await expect(rendered).toContainText('<name>source_nat</name>');
  await screenshot(page, 'vnf-configuration', info.project.name);
  const configure = main(page).getByRole('region', { name: 'Configure VNF' });
  await expect(async () => {
    await configure.getByLabel('What changes', { exact: true }).fill('Source NAT off');
    await expect(configure.getByLabel('What changes', { exact: true })).toHaveValue('Source NAT off');
  }).toPass();
  // A value the package's form refuses is named above the form, and nothing is applied.
  await configure.getByLabel('Syslog host', { exact: true }).fill('not-an-address');
  await expect(async () => {
    await configure.getByRole('button', { name: 'Apply as a new revision' }).click();
    await expect(configure.getByRole('alert')).toContainText('Syslog host', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await configure.getByLabel('Syslog host', { exact: true }).fill('');
  await configure.getByLabel('Source NAT (required)', { exact: true }).selectOption('off');
  await configure.getByRole('button', { name: 'Apply as a new revision' }).click();
  await expect(page).toHaveURL(/\?notice=configuring$/);
  await expect(async () => {
    await page.reload();
    const revisions = main(page).getByRole('region', { name: 'Revisions' });
    await expect(revisions.getByRole('row').filter({ hasText: 'Revision 2' })).toContainText('Applied', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(main(page).getByRole('region', { name: 'Revision 1 beside revision 2' })).toContainText('off');
  await screenshot(page, 'vnf-revisions', info.project.name);
  await signOut(page);

  // Another tenant's administrator sees neither the service nor the instance.
  await signIn(page, `instother${n}`, other.password);
  await changeForcedPassword(page, other.password, CHOSEN_PASSWORD);
  await page.goto('/network-services');
  await expect(main(page)).toContainText('No network services are allocated to your tenant yet');
  await expect(main(page)).not.toContainText('Secure Internet');
  await page.goto('/network-services/instances');
  await expect(main(page)).toContainText('No service instances yet');
  await expect(main(page)).not.toContainText(instance);
  await page.goto(instanceUrl);
  await expect(main(page)).toContainText(/not found/i);
  await signOut(page);

  // Terminate: every resource it created is deleted.
  await signIn(page, `instadmin${n}`, CHOSEN_PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Demo Retail' })).toBeVisible();
  await page.goto(instanceUrl);
  const terminate = main(page).getByRole('region', { name: 'Terminate' });
  // The first click can land before hydration: retry until the refusal shows.
  await expect(async () => {
    await terminate.getByRole('button', { name: 'Terminate instance' }).click();
    await expect(terminate).toContainText('Tick the box to confirm', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await terminate.getByLabel('Delete its servers, ports, subnets and networks on the VIM').check();
  await terminate.getByRole('button', { name: 'Terminate instance' }).click();
  await expect(page).toHaveURL(/\?notice=terminating$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Terminated', { timeout: 60_000 });
  await expect(main(page).getByRole('region', { name: 'Cloud resources' })).toContainText(', 0 still on the cloud.');
  await screenshot(page, 'instance-terminated', info.project.name);
});
