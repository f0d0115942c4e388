import { test, expect, type Locator, type Page } from '@playwright/test';
import { CHOSEN_PASSWORD, changeForcedPassword, createTenant, createUser, main, screenshot, signIn, signInAsAdmin, signOut, uniqueSuffix } from './helpers';

// The Network Service Designer's canvas and the network service catalogue (issue 16): a chain built
// with the mouse and with the keyboard, links refused as drawn, goals that go green, CSO's publish
// form, and allocation to one tenant whose administrator sees it while another tenant's does not.
test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();
const service = `Secure WAN ${n}`;

function canvas(page: Page): Locator {
  return page.getByRole('group', { name: /Service chain canvas/ });
}

function node(page: Page, name: RegExp): Locator {
  return canvas(page).getByRole('button', { name });
}

/** The centre of a node's right port: halfway down its box's right edge. */
async function rightPort(target: Locator): Promise<{ x: number; y: number }> {
  const box = (await target.boundingBox())!;
  return { x: box.x + box.width, y: box.y + box.height / 2 };
}

/** Draws a link with the mouse, from `from`'s right port onto `to`. */
async function drawLink(page: Page, from: Locator, to: Locator) {
  const start = await rightPort(from);
  const box = (await to.boundingBox())!;
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Drags a palette entry onto the canvas at a fraction of its width and height. */
async function dropOnCanvas(page: Page, entry: Locator, fx: number, fy: number) {
  const box = (await canvas(page).boundingBox())!;
  await entry.dragTo(canvas(page), { targetPosition: { x: box.width * fx, y: box.height * fy } });
}

function goal(page: Page, label: string): Locator {
  return main(page).getByRole('region', { name: 'Performance goals' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
}

/** A request for the chain, and a new design from it, opened on the canvas. */
async function newServiceFromRequest(page: Page, title: string) {
  await page.goto('/designer/service/requests');
  await expect(page.getByRole('heading', { level: 1, name: 'Network Service Designer requests' })).toBeVisible();
  const form = main(page).getByRole('region', { name: 'New request' });
  await expect(async () => {
    await form.getByLabel('Title', { exact: true }).fill(title);
    await expect(form.getByLabel('Title', { exact: true })).toHaveValue(title);
  }).toPass();
  await form.getByLabel('Deployment model (centralized or distributed)', { exact: true }).fill('centralized');
  await form.getByLabel('Network functions (comma-separated: firewall, NAT, UTM, …)', { exact: true }).fill('Firewall, NAT, WAN optimisation');
  await form.getByLabel('Throughput goal (Mbps)', { exact: true }).fill('150');
  await form.getByLabel('Max sessions goal', { exact: true }).fill('10000');
  await form.getByLabel('Added latency budget (ms)', { exact: true }).fill('3');
  await form.getByLabel('Max VNF count', { exact: true }).fill('3');
  await form.getByRole('button', { name: 'Create request' }).click();
  await expect(page.getByText('Request created.')).toBeVisible();
  const row = main(page).getByRole('row').filter({ hasText: title });
  await row.getByRole('link', { name: 'New design' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New network service' })).toBeVisible();
  await main(page).getByLabel('Name', { exact: true }).fill(title);
  await expect(main(page).getByLabel('Request', { exact: true })).toHaveValue(/\d+/);
  await main(page).getByRole('button', { name: 'Create and open the canvas' }).click();
  await expect(page).toHaveURL(/\/designer\/service\/\d+\/edit$/);
  await expect(page.getByRole('heading', { level: 1, name: `Build ${title}` })).toBeVisible();
  await expect(page.getByText('requested functions: Firewall, NAT, WAN optimisation')).toBeVisible();
}

test('with the mouse: ingress → vSRX (firewall + NAT) → Steelhead → egress, links refused as drawn, the goals go green, published with CSO’s form', async ({ page }, info) => {
  await signInAsAdmin(page);
  await newServiceFromRequest(page, service);
  const palette = main(page).getByRole('complementary', { name: 'VNF packages' });
  await expect(palette.getByLabel('Network function')).toHaveValue('firewall');
  await expect(goal(page, 'Throughput')).toContainText('Not met');
  await screenshot(page, 'service-canvas-empty', info.project.name);

  // vSRX for the firewall, dragged onto the canvas (once the page is live).
  const vsrx = palette.getByRole('button', { name: /^Add vSRX to the canvas/ });
  await expect(async () => {
    await dropOnCanvas(page, vsrx, 0.4, 0.25);
    await expect(node(page, /^vsrx1: vSRX/)).toBeVisible({ timeout: 2000 });
  }).toPass();
  await expect(node(page, /^vsrx1: vSRX \(small\), Firewall;/)).toBeVisible();
  // NAT next: the vSRX already there can perform it — its faded function is clicked to reuse it.
  await expect(palette.getByLabel('Network function')).toHaveValue('nat');
  await canvas(page).getByRole('button', { name: 'Reuse vsrx1 for NAT' }).click();
  await expect(node(page, /^vsrx1: vSRX \(small\), Firewall · NAT;/)).toBeVisible();
  // WAN optimisation: only the Steelhead provides it.
  await expect(palette.getByLabel('Network function')).toHaveValue('wan_optimization');
  await expect(palette.getByRole('button', { name: /^Add vSRX/ })).toHaveCount(0);
  await dropOnCanvas(page, palette.getByRole('button', { name: /^Add Riverbed Steelhead/ }), 0.7, 0.25);
  const steelhead = node(page, /^riverbed-steelhead1: Riverbed Steelhead/);
  await expect(steelhead).toBeVisible();

  // Links: vSRX → Steelhead; back the other way and again are refused as drawn.
  const fw = node(page, /^vsrx1:/);
  await drawLink(page, fw, steelhead);
  await expect(page.getByRole('status').filter({ hasText: 'Linked vsrx1 → riverbed-steelhead1.' })).toBeVisible();
  await drawLink(page, steelhead, fw);
  await expect(page.getByRole('status').filter({ hasText: 'Link refused: These two are linked already.' })).toBeVisible();
  await drawLink(page, fw, steelhead);
  await expect(page.getByRole('status').filter({ hasText: 'Link refused: These two are linked already.' })).toBeVisible();
  await drawLink(page, canvas(page).getByRole('button', { name: /^Ingress/ }), fw);
  await drawLink(page, steelhead, canvas(page).getByRole('button', { name: /^Egress/ }));
  await expect(page.getByRole('status').filter({ hasText: 'Linked riverbed-steelhead1 → Egress.' })).toBeVisible();
  await expect(canvas(page).getByRole('button', { name: /^Link / })).toHaveCount(3);

  // The Steelhead's small flavour is the bottleneck; the medium one meets every goal.
  await expect(goal(page, 'Throughput')).toContainText('Not met: limited by riverbed-steelhead1');
  await steelhead.click();
  const props = main(page).getByRole('complementary', { name: 'Properties' });
  await props.getByLabel('Flavour').selectOption({ label: 'medium — 4 vCPUs, 8 GB RAM, 200 Mbps' });
  await expect(goal(page, 'Throughput')).toContainText('Met');
  for (const label of ['Sessions', 'Added latency', 'VNF count']) {
    await expect(goal(page, label)).toContainText('Met');
  }
  await expect(main(page).getByRole('region', { name: 'Performance goals' }).getByText('Not met')).toHaveCount(0);
  // The text view follows the canvas.
  await expect(main(page).getByLabel('Design as YAML')).toHaveValue(/flavour: medium/);
  await screenshot(page, 'service-canvas-built', info.project.name);

  await main(page).getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Version 1 is validated: it may be published.' })).toBeVisible();
  const publish = main(page).getByRole('region', { name: 'Publish v1 to the network service catalogue' });
  await expect(publish.getByLabel('Name', { exact: true })).toHaveValue(service);
  await publish.getByLabel('Description', { exact: true }).fill('Firewall and NAT, then WAN optimisation');
  await publish.getByLabel('Type of service', { exact: true }).selectOption({ label: 'Custom service chain' });
  await publish.getByRole('button', { name: 'Publish v1' }).click();
  await expect(page).toHaveURL(/\/network-services\/\d+\?notice=published$/);
  await expect(page.getByRole('heading', { level: 1, name: service })).toBeVisible();
  await expect(main(page).getByLabel('Ingress → vSRX → Riverbed Steelhead → Egress').first()).toBeVisible();
  await screenshot(page, 'network-service-overview', info.project.name);

  await page.goto('/network-services');
  const row = main(page).getByRole('row').filter({ hasText: service });
  await expect(row.getByText('Published', { exact: true })).toBeVisible();
  await expect(row.getByText('Centralized', { exact: true })).toBeVisible();
  await screenshot(page, 'network-services', info.project.name);
});

test('with the keyboard only: the same chain, a cycle refused, a step undone and redone', async ({ page }, info) => {
  await signInAsAdmin(page);
  await newServiceFromRequest(page, `${service} kb`);
  const palette = main(page).getByRole('complementary', { name: 'VNF packages' });
  const status = page.getByRole('status').filter({ hasText: /./ });

  // Enter on a package places it; the reuse chip takes Enter too.
  await expect(async () => {
    await palette.getByRole('button', { name: /^Add vSRX to the canvas/ }).focus();
    await page.keyboard.press('Enter');
    await expect(node(page, /^vsrx1:/)).toBeVisible({ timeout: 2000 });
  }).toPass();
  await canvas(page).getByRole('button', { name: 'Reuse vsrx1 for NAT' }).focus();
  await page.keyboard.press('Enter');
  await expect(node(page, /^vsrx1: vSRX \(small\), Firewall · NAT;/)).toBeVisible();
  await palette.getByRole('button', { name: /^Add Riverbed Steelhead/ }).focus();
  await page.keyboard.press('Enter');
  await expect(node(page, /^riverbed-steelhead1:/)).toBeVisible();
  // A third VNF, to be refused a loop and then removed.
  await palette.getByLabel('Network function').selectOption({ label: 'Routing' });
  await palette.getByRole('button', { name: /^Add Cisco CSR-1000v/ }).focus();
  await page.keyboard.press('Enter');
  await expect(node(page, /^cisco-csr-1000v1:/)).toBeVisible();

  // C starts a link from the focused node; the arrow keys choose its target; Enter links.
  const link = async (target: string) => {
    await page.keyboard.press('c');
    for (let i = 0; i < 6 && !(await status.textContent())?.includes(`→ ${target}?`); i++) await page.keyboard.press('ArrowRight');
    await expect(status).toContainText(`→ ${target}?`);
    await page.keyboard.press('Enter');
  };
  await node(page, /^vsrx1:/).focus();
  await link('riverbed-steelhead1');
  await expect(status).toHaveText('Linked vsrx1 → riverbed-steelhead1.');
  await page.keyboard.press('ArrowRight');
  await expect(node(page, /^riverbed-steelhead1:/)).toBeFocused();
  await link('cisco-csr-1000v1');
  await expect(status).toHaveText('Linked riverbed-steelhead1 → cisco-csr-1000v1.');
  await page.keyboard.press('ArrowRight');
  await expect(node(page, /^cisco-csr-1000v1:/)).toBeFocused();
  // The router back to the vSRX would close a loop: refused as it is chosen, and on Enter.
  await page.keyboard.press('c');
  for (let i = 0; i < 6 && !(await status.textContent())?.includes('→ vsrx1?'); i++) await page.keyboard.press('ArrowRight');
  await expect(status).toContainText('Not allowed: That link would close a loop');
  await page.keyboard.press('Enter');
  await expect(status).toContainText('Link refused: That link would close a loop');
  await page.keyboard.press('Escape');
  await expect(status).toHaveText('Link cancelled.');
  await screenshot(page, 'service-canvas-cycle-refused', info.project.name);
  // Delete removes the router with its link; Ctrl+Z brings both back, Ctrl+Shift+Z removes them again.
  await page.keyboard.press('Delete');
  await expect(node(page, /^cisco-csr-1000v1:/)).toHaveCount(0);
  await expect(canvas(page).getByRole('button', { name: /^Link / })).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(node(page, /^cisco-csr-1000v1:/)).toBeVisible();
  await expect(status).toHaveText('Undone.');
  await expect(canvas(page).getByRole('button', { name: /^Link / })).toHaveCount(2);
  await page.keyboard.press('Control+Shift+z');
  await expect(node(page, /^cisco-csr-1000v1:/)).toHaveCount(0);
  await expect(status).toHaveText('Redone.');

  // Ingress to the vSRX, the Steelhead to Egress, then the Steelhead's properties with Enter.
  await canvas(page).getByRole('button', { name: /^Ingress/ }).focus();
  await link('vsrx1');
  await expect(status).toHaveText('Linked Ingress → vsrx1.');
  await node(page, /^riverbed-steelhead1:/).focus();
  await link('Egress');
  await expect(status).toHaveText('Linked riverbed-steelhead1 → Egress.');
  await page.keyboard.press('Enter');
  await expect(main(page).getByRole('heading', { name: 'Properties' })).toBeFocused();
  await main(page).getByRole('complementary', { name: 'Properties' }).getByLabel('Flavour').selectOption({ label: 'medium — 4 vCPUs, 8 GB RAM, 200 Mbps' });
  await expect(goal(page, 'Throughput')).toContainText('Met');
  await expect(main(page).getByRole('region', { name: 'Performance goals' }).getByText('Not met')).toHaveCount(0);
  await screenshot(page, 'service-canvas-keyboard', info.project.name);

  // The text view drives the canvas too: a VNF moved in YAML moves on the canvas (one undo step).
  const yaml = main(page).getByLabel('Design as YAML');
  await expect(yaml).toHaveValue(/flavour: medium/);
  await yaml.fill((await yaml.inputValue()).replace('flavour: medium', 'flavour: small'));
  await expect(node(page, /^riverbed-steelhead1: Riverbed Steelhead \(small\)/)).toBeVisible();
  await expect(goal(page, 'Throughput')).toContainText('Not met');
  await yaml.fill('nodes: [');
  await expect(main(page).getByRole('alert').filter({ hasText: 'The text does not read' })).toBeVisible();
  await expect(node(page, /^riverbed-steelhead1:/)).toBeVisible();
  await main(page).getByRole('button', { name: 'Save and close' }).click();
  await expect(page).toHaveURL(/\/designer\/service\/\d+\?notice=closed$/);
  await expect(main(page).getByRole('row').filter({ hasText: 'v1' }).getByText('Draft', { exact: true })).toBeVisible();
  await expect(main(page).getByRole('link', { name: 'Build', exact: true })).toBeVisible();
  await screenshot(page, 'service-design-page', info.project.name);
});

test('allocated to one tenant: its administrator sees the service, another tenant’s does not', async ({ page }, info) => {
  // Two tenants, two administrators and three sign-ins before the checks.
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const own = `svc-own-${n}`;
  const other = `svc-other-${n}`;
  await createTenant(page, own, `Service Own ${n}`);
  await createTenant(page, other, `Service Other ${n}`);
  const ownAdmin = await createUser(page, { username: `svcadmin${n}`, displayName: `Own admin ${n}`, role: 'Tenant Administrator (Tenant)', tenant: own });
  const otherAdmin = await createUser(page, { username: `svcother${n}`, displayName: `Other admin ${n}`, role: 'Tenant Administrator (Tenant)', tenant: other });

  await page.goto('/network-services');
  await main(page).getByRole('link', { name: service, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: service })).toBeVisible();
  const serviceUrl = new URL(page.url()).pathname;
  await expect(async () => {
    await main(page).getByRole('group', { name: 'Allocate to tenants' }).getByLabel(own, { exact: true }).check();
    await expect(main(page).getByRole('group', { name: 'Allocate to tenants' }).getByLabel(own, { exact: true })).toBeChecked();
  }).toPass();
  await main(page).getByRole('button', { name: 'Allocate', exact: true }).click();
  await expect(page.getByText("Allocated: those tenants' administrators see it in their catalogue now.")).toBeVisible();
  await expect(main(page).getByRole('group', { name: 'Allocated to' }).getByLabel(own, { exact: true })).toBeVisible();
  await screenshot(page, 'network-service-allocated', info.project.name);
  // The tenant's page names what it was allocated.
  await page.goto('/tenants');
  await main(page).getByRole('link', { name: own, exact: true }).click();
  await expect(main(page).getByRole('region', { name: 'Network services' }).getByRole('link', { name: service })).toBeVisible();
  await screenshot(page, 'tenant-network-services', info.project.name);
  await signOut(page);

  await signIn(page, `svcadmin${n}`, ownAdmin.password);
  await changeForcedPassword(page, ownAdmin.password, CHOSEN_PASSWORD);
  await page.goto('/network-services');
  await expect(main(page).getByRole('link', { name: service, exact: true })).toBeVisible();
  await page.goto(serviceUrl);
  await expect(page.getByRole('heading', { level: 1, name: service })).toBeVisible();
  await expect(main(page).getByRole('button', { name: 'Allocate', exact: true })).toHaveCount(0);
  await screenshot(page, 'network-service-tenant', info.project.name);
  await signOut(page);

  await signIn(page, `svcother${n}`, otherAdmin.password);
  await changeForcedPassword(page, otherAdmin.password, CHOSEN_PASSWORD);
  await page.goto('/network-services');
  await expect(main(page).getByText('No network services are allocated to your tenant yet.')).toBeVisible();
  await screenshot(page, 'network-services-empty-for-tenant', info.project.name);
  await page.goto(serviceUrl);
  await expect(main(page).getByText(/not found/i)).toBeVisible();
  await signOut(page);

  // Removed from the tenant, it is gone from that tenant's catalogue.
  await signInAsAdmin(page);
  await page.goto(serviceUrl);
  await expect(async () => {
    await main(page).getByRole('group', { name: 'Allocated to' }).getByLabel(own, { exact: true }).check();
    await expect(main(page).getByRole('group', { name: 'Allocated to' }).getByLabel(own, { exact: true })).toBeChecked();
  }).toPass();
  await main(page).getByRole('button', { name: 'Remove from tenants' }).click();
  await expect(page.getByText('Removed from those tenants.')).toBeVisible();
});
