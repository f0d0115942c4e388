import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  changeForcedPassword,
  createTenant,
  createUser,
  main,
  screenshot,
  signIn,
  signInAsAdmin,
  signOut,
  uniqueSuffix,
} from './helpers';

// The drill's site and devices are what the isolation journey looks for from another tenant, and
// each journey takes devices of the simulated fleet that no portal device uses yet.
test.describe.configure({ mode: 'serial' });

// The Stage-1 blocks' Copy buttons write to the clipboard; the drill reads it back.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const n = uniqueSuffix();
const owner = { name: `drill-${n}`, display: `Drill Corp ${n}` };
const other = {
  name: `rival-${n}`,
  display: `Rival Corp ${n}`,
  admin: `rival-admin-${n}`,
  adminDisplay: `Rival Admin ${n}`,
};
const TENANT_ADMIN_ROLE = 'Tenant Administrator (Tenant)';
const RIVAL_ADMIN_PASSWORD = 'Rival-Tenant-Chosen-5';
/** A failover must show on the site's page within this long after "Fail node" is pressed. */
const FAILOVER_BUDGET_MS = 10_000;

/** What the drill leaves for the isolation journey. */
const drill = { site: `branch-${n}`, siteId: 0, deviceIds: [] as number[], serials: [] as string[] };

// ---- Small helpers -------------------------------------------------------------------------------

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function idFrom(page: Page, pattern: RegExp): number {
  const match = pattern.exec(new URL(page.url()).pathname);
  expect(match, `${pattern} in ${page.url()}`).not.toBeNull();
  return Number(match![1]);
}

/** The rows of the tables within `scope` that hold data (not header rows). */
function dataRows(scope: Locator): Locator {
  return scope.getByRole('row').filter({ has: scope.page().getByRole('cell') });
}

/** A panel of a page (a <section> named by its heading). */
function panel(page: Page, name: string): Locator {
  return main(page).getByRole('region', { name, exact: true });
}

/** Milliseconds left of `budget` since `start`: expectations that share one deadline. */
function left(start: number, budget: number): number {
  return Math.max(1, budget - (Date.now() - start));
}

// ---- The simulator -------------------------------------------------------------------------------

interface SimDevice {
  serial: string;
  model: string;
  version: string;
  /** The row says "not in the portal": no portal device has this serial number yet. */
  free: boolean;
  cluster?: { id: string; node: number; role: string; peer: string };
}

/** The simulator's device rows: each has its own Fail / Restore node button (interface rows do not). */
function simRows(page: Page): Locator {
  return main(page).getByRole('row').filter({ has: page.getByRole('button', { name: /^(Fail|Restore) node / }) });
}

/** Opens /simulator and reads every simulated device from its row. */
async function readFleet(page: Page): Promise<SimDevice[]> {
  await page.goto('/simulator');
  await expect(page.getByRole('heading', { level: 1, name: 'Fleet simulator' })).toBeVisible();
  await expect(main(page).getByText(/^8 simulated devices at /)).toBeVisible();
  const rows = simRows(page);
  await expect(rows).toHaveCount(8);
  const fleet: SimDevice[] = [];
  for (const row of await rows.all()) {
    // Serial, Model, Junos version, State, Cluster; the interface tables nest in a later cell.
    const cells = row.getByRole('cell');
    const serial = ((await cells.nth(0).getByRole('code').textContent()) ?? '').trim();
    const cluster = /#(\S+) · node(\d) · (\w+)\s+peer (\S+)/.exec(await cells.nth(4).innerText());
    fleet.push({
      serial,
      model: (await cells.nth(1).innerText()).trim(),
      version: (await cells.nth(2).innerText()).trim(),
      free: (await cells.nth(0).innerText()).includes('not in the portal'),
      cluster: cluster ? { id: cluster[1], node: Number(cluster[2]), role: cluster[3], peer: cluster[4] } : undefined,
    });
  }
  return fleet;
}

/** An SRX chassis-cluster pair neither of whose nodes is in the portal, node 0 first. */
function freeSrxPair(fleet: SimDevice[]): [SimDevice, SimDevice] {
  const bySerial = new Map(fleet.map((d) => [d.serial, d]));
  for (const d of fleet) {
    const peer = d.cluster && bySerial.get(d.cluster.peer);
    if (d.cluster?.node === 0 && d.model.startsWith('SRX') && d.free && peer?.free) return [d, peer];
  }
  throw new Error(`no free SRX cluster pair in the simulated fleet: ${JSON.stringify(fleet)}`);
}

/** A single simulated CPE (no cluster) that is not in the portal. */
function freeSingle(fleet: SimDevice[]): SimDevice {
  const d = fleet.find((x) => !x.cluster && x.free);
  if (!d) throw new Error(`no free single CPE in the simulated fleet: ${JSON.stringify(fleet)}`);
  return d;
}

type NodeFault = 'Fail node' | 'Restore node';

/** Presses "Fail node" / "Restore node" in a device's row and waits for the notice saying it was done. */
async function injectNodeFault(page: Page, serial: string, fault: NodeFault) {
  await main(page).getByRole('button', { name: `${fault} ${serial}`, exact: true }).click();
  const said = fault === 'Fail node' ? `${serial} failed:` : `${serial} is back:`;
  await expect(page.getByRole('status').filter({ hasText: said })).toBeVisible();
}

// ---- Sites ---------------------------------------------------------------------------------------

interface WanLink {
  name: string;
  type: 'MPLS' | 'Internet' | 'LTE';
  bandwidth: string;
  cost: string;
}

interface NewSite {
  name: string;
  /** The tenant as the Tenant select offers it: "Display name (name)". */
  tenant: string;
  redundancy: 'Single CPE' | 'Dual SRX (chassis cluster)';
  topology?: 'Hub and spoke' | 'Full mesh';
  appQoe?: boolean;
  model: string;
  version: string;
  /** Node 0's serial, and node 1's for a dual-CPE site. */
  serials: string[];
  wan: WanLink[];
  lan: { name: string; vlan: string; gateway: string }[];
  /** The device template as the select offers it: "name (family)". */
  template?: string;
}

/** Sites → New site: fills the form from `site` and presses Create site. */
async function submitNewSite(page: Page, site: NewSite) {
  await page.goto('/sites/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New site' })).toBeVisible();
  const form = main(page);
  // The form shows once its choices have loaded.
  await expect(form.getByRole('button', { name: 'Create site' })).toBeVisible();
  await form.getByLabel('Name', { exact: true }).fill(site.name);
  await form.getByLabel('Tenant', { exact: true }).selectOption({ label: site.tenant });
  await form.getByLabel('Kind', { exact: true }).selectOption({ label: 'On-premise spoke' });
  await form.getByLabel('Deployment', { exact: true }).selectOption({ label: 'SD-WAN' });
  await form.getByLabel('Topology', { exact: true }).selectOption({ label: site.topology ?? 'Hub and spoke' });
  await form.getByLabel('Redundancy plan', { exact: true }).selectOption({ label: site.redundancy });
  await form.getByLabel('Model', { exact: true }).selectOption({ label: site.model });
  await form.getByLabel('Junos version', { exact: true }).fill(site.version);
  for (const [node, serial] of site.serials.entries()) {
    await form.getByLabel(`Node ${node} serial number`, { exact: true }).fill(serial);
  }
  await form.getByRole('checkbox', { name: 'AppQoE (latency-optimized SLA)' }).setChecked(site.appQoe ?? false);
  if (site.template) await form.getByLabel('Device template', { exact: true }).selectOption({ label: site.template });
  for (const [i, link] of site.wan.entries()) {
    const row = `WAN link ${i + 1}`;
    await form.getByLabel(`${row} name`, { exact: true }).fill(link.name);
    await form.getByLabel(`${row} type`, { exact: true }).selectOption({ label: link.type });
    await form.getByLabel(`${row} bandwidth (Mbps)`, { exact: true }).fill(link.bandwidth);
    await form.getByLabel(`${row} cost`, { exact: true }).fill(link.cost);
  }
  for (const [i, segment] of site.lan.entries()) {
    const row = `LAN segment ${i + 1}`;
    await form.getByLabel(`${row} name`, { exact: true }).fill(segment.name);
    await form.getByLabel(`${row} VLAN`, { exact: true }).fill(segment.vlan);
    await form.getByLabel(`${row} gateway`, { exact: true }).fill(segment.gateway);
  }
  await form.getByRole('button', { name: 'Create site' }).click();
}

/** Creates the site and lands on its page. Returns the site's id. */
async function createSite(page: Page, site: NewSite): Promise<number> {
  await submitNewSite(page, site);
  await expect(page).toHaveURL(/\/sites\/\d+\?notice=created$/);
  await expect(page.getByRole('status').filter({ hasText: 'Site created.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: site.name, exact: true })).toBeVisible();
  return idFrom(page, /^\/sites\/(\d+)$/);
}

/** The site page's drawing: an image named by its title and its description. */
function topology(page: Page, site: string): Locator {
  return main(page).getByRole('img', { name: new RegExp(`^Topology of ${escaped(site)}\\b`) });
}

/** The steps of activating one device; a job that activates several puts the device's name first. */
function activationSteps(device: string, several: boolean): RegExp[] {
  const prefix = several ? `${escaped(device)}: ` : '';
  return [
    // The OAM address is the portal's choice.
    `Connect to ${escaped(device)} \\([\\d.]+\\)`,
    'Check facts',
    'Lock configuration',
    'Load Stage-1 configuration',
    'Load site configuration',
    'Commit',
    'Unlock',
    'Verify',
  ].map((step) => new RegExp(`^${prefix}${step}$`));
}

/** Presses Activate site; on the job's page waits for success and checks every step. */
async function activateSite(page: Page, site: string, devices: string[]) {
  await panel(page, 'Devices').getByRole('button', { name: 'Activate site', exact: true }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(
    page.getByRole('heading', { level: 1, name: new RegExp(`^Job #\\d+: Activate site ${escaped(site)}$`) }),
  ).toBeVisible();
  await expect(main(page).getByText(`Outcome: activated ${devices.join(', ')}`)).toBeVisible();
  const expected = devices.flatMap((d) => activationSteps(d, devices.length > 1));
  const steps = dataRows(panel(page, 'Steps'));
  await expect(steps).toHaveCount(expected.length);
  for (const [i, name] of expected.entries()) {
    await expect(steps.nth(i).getByRole('cell').nth(1)).toHaveText(name);
    await expect(steps.nth(i).getByRole('cell').nth(2)).toContainText('Succeeded');
  }
}

/** A device's row in the site page's Devices panel, by the device's name. */
function siteDevice(page: Page, name: string): Locator {
  return dataRows(panel(page, 'Devices')).filter({ has: page.getByRole('link', { name, exact: true }) });
}

// ---- Journeys ------------------------------------------------------------------------------------

test('the failover drill: a dual-SRX site fails over to its secondary and the alarm clears on restore', async ({ page }, info) => {
  await signInAsAdmin(page);
  await createTenant(page, owner.name, owner.display);

  // The pair the site is built from, as the simulator runs it.
  const [node0, node1] = freeSrxPair(await readFleet(page));
  const site = drill.site;
  const name = (node: number) => `${site}-node${node}`;
  const wan: WanLink[] = [
    { name: 'mpls-a', type: 'MPLS', bandwidth: '100', cost: '10' },
    { name: 'mpls-b', type: 'MPLS', bandwidth: '100', cost: '10' },
    { name: 'inet-a', type: 'Internet', bandwidth: '500', cost: '20' },
    { name: 'inet-b', type: 'Internet', bandwidth: '500', cost: '20' },
  ];
  drill.siteId = await createSite(page, {
    name: site,
    tenant: `${owner.display} (${owner.name})`,
    redundancy: 'Dual SRX (chassis cluster)',
    model: node0.model,
    version: node0.version,
    serials: [node0.serial, node1.serial],
    wan,
    lan: [{ name: 'office', vlan: '10', gateway: '10.10.0.1/24' }],
  });
  // Node names left blank are named after the site.
  await expect(siteDevice(page, name(0))).toContainText(node0.serial);
  await expect(siteDevice(page, name(1))).toContainText(node1.serial);
  for (const node of [0, 1]) {
    const href = await siteDevice(page, name(node)).getByRole('link').getAttribute('href');
    drill.deviceIds.push(Number(/^\/devices\/(\d+)$/.exec(href ?? '')![1]));
  }
  drill.serials = [node0.serial, node1.serial];

  await activateSite(page, site, [name(0), name(1)]);

  // Back on the site: the simulator's primary is the portal's primary once the monitor has polled.
  await page.goto(`/sites/${drill.siteId}`);
  const [primary, secondary] = node0.cluster!.role === 'primary' ? [0, 1] : [1, 0];
  const drawing = topology(page, site);
  await expect(drawing).toHaveAccessibleName(
    `Topology of ${site} node${primary} (${name(primary)}) is primary; node${secondary} (${name(secondary)}) is secondary`,
  );
  await expect(drawing.getByText('primary', { exact: true })).toHaveCount(1);
  await expect(drawing.getByText('secondary', { exact: true })).toHaveCount(1);
  await expect(drawing.getByText(name(0), { exact: true })).toBeVisible();
  await expect(drawing.getByText(name(1), { exact: true })).toBeVisible();
  await expect(drawing.getByText('Up', { exact: true })).toHaveCount(2);
  for (const link of wan) await expect(drawing.getByText(`${link.name} (${link.type})`, { exact: true })).toBeVisible();
  await expect(drawing.getByText('active', { exact: true })).toHaveCount(4);
  await expect(drawing.getByText('LAN active', { exact: true })).toHaveCount(1);
  await expect(drawing.getByText('LAN backup', { exact: true })).toHaveCount(1);
  await expect(drawing.getByText('LAN · 1 segment', { exact: true })).toBeVisible();

  // Each node's Stage-1 configuration, with a Copy button that puts exactly that text on the clipboard.
  for (const node of [0, 1]) {
    const title = `Stage-1 configuration for ${name(node)} (node${node})`;
    const block = panel(page, 'Stage-1 configuration').getByRole('region', { name: title, exact: true });
    const config = block.getByRole('code');
    await expect(config).toContainText(`set system host-name ${name(node)}`);
    await expect(config).toContainText('set system services netconf ssh');
    await block.getByRole('button', { name: `Copy ${title}`, exact: true }).click();
    // The button says it was done (it would ask to select the text where there is no clipboard).
    await expect(block.getByRole('button', { name: `Copied ${title}`, exact: true })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await config.textContent());
  }
  await screenshot(page, 'site', info.project.name);

  // Fail the primary. Everything below up to the screenshot must show within 10 s of the click.
  const failed = { name: name(primary), serial: primary === 0 ? node0.serial : node1.serial };
  const survivor = name(secondary);
  await page.goto('/simulator');
  const failedAt = Date.now();
  await injectNodeFault(page, failed.serial, 'Fail node');
  await page.goto(`/sites/${drill.siteId}`);
  await expect(drawing).toHaveAccessibleName(
    new RegExp(`^Topology of ${escaped(site)} node${secondary} \\(${escaped(survivor)}\\) is primary;`),
    { timeout: left(failedAt, FAILOVER_BUDGET_MS) },
  );
  const alarm = dataRows(panel(page, 'Active alarms')).filter({ hasText: 'primary node failed' });
  // Severity, Alarm, Object, Raised, Acknowledged by.
  await expect(alarm.getByRole('cell').nth(0)).toHaveText('Major', { timeout: left(failedAt, FAILOVER_BUDGET_MS) });
  await expect(alarm.getByRole('cell').nth(1)).toHaveText(`primary node failed: ${failed.name} (${failed.serial})`, {
    timeout: left(failedAt, FAILOVER_BUDGET_MS),
  });
  await expect(alarm.getByRole('cell').nth(2)).toHaveText(site, { timeout: left(failedAt, FAILOVER_BUDGET_MS) });
  // Time, Severity, Object, Event, Message.
  const failover = dataRows(panel(page, 'Latest events')).filter({ has: page.locator('code', { hasText: /^cluster\.failover$/ }) });
  await expect(failover.getByRole('cell').nth(4)).toHaveText(`${site}: ${survivor} took over as primary from ${failed.name}`, {
    timeout: left(failedAt, FAILOVER_BUDGET_MS),
  });
  await expect(failover.getByRole('cell').nth(1)).toHaveText('Major', { timeout: left(failedAt, FAILOVER_BUDGET_MS) });
  // The failed node's links are down; the survivor's stay active.
  await expect(drawing.getByText('down', { exact: true })).toHaveCount(2);
  await expect(drawing.getByText('active', { exact: true })).toHaveCount(2);
  await screenshot(page, 'failover', info.project.name);

  // Restore it: it rejoins as secondary and the alarm clears by itself.
  await page.goto('/simulator');
  await injectNodeFault(page, failed.serial, 'Restore node');
  await page.goto(`/sites/${drill.siteId}`);
  const rejoined = dataRows(panel(page, 'Latest events')).filter({ has: page.locator('code', { hasText: /^cluster\.rejoined$/ }) });
  await expect(rejoined.getByRole('cell').nth(4)).toHaveText(`${failed.name} rejoined as secondary`);
  await expect(panel(page, 'Active alarms')).toBeVisible();
  await expect(alarm).toHaveCount(0);
  await expect(drawing).toHaveAccessibleName(
    `Topology of ${site} node${secondary} (${survivor}) is primary; node${primary} (${failed.name}) is secondary`,
  );

  // The Alarms page keeps it among the cleared ones, with the time it cleared.
  await page.goto('/alarms');
  await expect(page.getByRole('heading', { level: 1, name: 'Alarms' })).toBeVisible();
  await main(page).getByLabel('State', { exact: true }).selectOption({ label: 'Cleared' });
  await main(page).getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page).toHaveURL(/\/alarms\?(.*&)?state=cleared(&|$)/);
  const cleared = dataRows(main(page)).filter({ hasText: `primary node failed: ${failed.name} (${failed.serial})` });
  await expect(cleared).toHaveCount(1);
  // Severity, Alarm, Object, Raised, Cleared, Acknowledged by.
  await expect(cleared.getByRole('cell').nth(0)).toHaveText('Major');
  await expect(cleared.getByRole('cell').nth(4)).not.toHaveText('—');
  await expect(cleared.getByRole('cell').nth(4)).toHaveText(/\d/);
});

test("a WAN link the device reports down reads down in the drawing, the WAN links table and the alarms, until it is back", async ({ page }, info) => {
  await signInAsAdmin(page);
  await page.goto(`/sites/${drill.siteId}`);
  const site = drill.site;
  const drawing = topology(page, site);
  const wanRows = dataRows(panel(page, 'WAN links'));
  // Name, Type, Bandwidth, Cost, Interface, Node, Use, Status.
  const first = wanRows.first();
  const linkName = (await first.getByRole('cell').nth(0).textContent())!.trim();
  const iface = (await first.getByRole('cell').nth(4).textContent())!.trim();
  const node = Number((await first.getByRole('cell').nth(5).textContent())!.trim().replace('node', ''));
  await expect(first.getByRole('cell').nth(7)).toHaveText('Up');
  const serial = drill.serials[node];

  // The device's interfaces fold out from its row of the Simulator page.
  const linkButton = async (label: 'Link down' | 'Link up') => {
    await page.goto('/simulator');
    const device = dataRows(main(page)).filter({ has: page.getByRole('button', { name: `Fail node ${serial}`, exact: true }) });
    await device.locator('summary').click();
    await device.getByRole('button', { name: `${label} ${iface} of ${serial}`, exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: `${iface} of ${serial}` })).toBeVisible();
  };
  await linkButton('Link down');

  await page.goto(`/sites/${drill.siteId}`);
  const downRow = wanRows.filter({ has: page.getByRole('cell', { name: linkName, exact: true }) });
  await expect(downRow.getByRole('cell').nth(7)).toHaveText('Down');
  await expect(drawing.getByText('down', { exact: true })).toHaveCount(1);
  await expect(dataRows(panel(page, 'Active alarms')).filter({ hasText: `${site} ${linkName}` })).toHaveCount(1);
  await screenshot(page, 'link-down', info.project.name);

  await linkButton('Link up');
  await page.goto(`/sites/${drill.siteId}`);
  await expect(downRow.getByRole('cell').nth(7)).toHaveText('Up');
  await expect(drawing.getByText('down', { exact: true })).toHaveCount(0);
  await expect(dataRows(panel(page, 'Active alarms')).filter({ hasText: `${site} ${linkName}` })).toHaveCount(0);
});

test('a redundancy plan that breaks the rules is refused with both reasons, and nothing is created', async ({ page }) => {
  await signInAsAdmin(page);
  const refused = `refused-${n}`;
  await submitNewSite(page, {
    name: refused,
    tenant: `${owner.display} (${owner.name})`,
    redundancy: 'Dual SRX (chassis cluster)',
    topology: 'Full mesh',
    appQoe: true,
    model: 'SRX345',
    version: '21.4R3-S5',
    // Serials of no simulated device: the rules are checked before anyone looks for the devices.
    serials: [`CVX${n}0`, `CVX${n}1`],
    wan: [
      { name: 'mpls-a', type: 'MPLS', bandwidth: '100', cost: '10' },
      { name: 'inet-b', type: 'Internet', bandwidth: '500', cost: '20' },
    ],
    lan: [],
  });
  const plan = main(page).getByLabel('Redundancy plan', { exact: true });
  await expect(plan).toHaveAttribute('aria-invalid', 'true');
  // The reasons are the select's description, shown right under it, in the redundancy overview's words.
  const reasons =
    'Device redundancy cannot be used with AppQoE (latency-optimized SLA). ' +
    'Device redundancy cannot be used with a CPE in a full-mesh topology.';
  await expect(plan).toHaveAccessibleDescription(new RegExp(`${escaped(reasons)}$`));
  await expect(main(page).getByRole('alert').filter({ hasText: reasons })).toBeVisible();
  await expect(page).toHaveURL(/\/sites\/new$/);

  await page.goto(`/sites?q=${refused}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Sites' })).toBeVisible();
  await expect(main(page).getByText('No site matches your search.')).toBeVisible();
  // The drill's site is there, so the list itself answers.
  await page.goto(`/sites?q=${drill.site}`);
  await expect(main(page).getByRole('link', { name: drill.site, exact: true })).toBeVisible();
});

test("another tenant's administrator sees none of the drill's site and devices", async ({ page }) => {
  await signInAsAdmin(page);
  // The SP administrator does find the drill's devices by serial number.
  await page.goto(`/devices?q=${drill.serials[0]}`);
  await expect(dataRows(main(page))).toHaveCount(1);
  await expect(main(page).getByRole('link', { name: `${drill.site}-node0`, exact: true })).toBeVisible();

  await createTenant(page, other.name, other.display);
  const created = await createUser(page, {
    username: other.admin,
    displayName: other.adminDisplay,
    role: TENANT_ADMIN_ROLE,
    tenant: other.name,
  });
  await signOut(page);
  await signIn(page, other.admin, created.password);
  await changeForcedPassword(page, created.password, RIVAL_ADMIN_PASSWORD);

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Tenant devices', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Simulator', exact: true })).toHaveCount(0);

  for (const serial of drill.serials) {
    await page.goto(`/devices?q=${serial}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Tenant devices' })).toBeVisible();
    await expect(main(page).getByText('No device matches these filters.')).toBeVisible();
    await expect(main(page).getByText(drill.site)).toHaveCount(0);
  }
  for (const id of drill.deviceIds) {
    await page.goto(`/devices/${id}`);
    await expect(main(page).getByRole('alert')).toContainText('device not found.');
    await expect(main(page).getByText(drill.site)).toHaveCount(0);
  }
  await page.goto(`/sites/${drill.siteId}`);
  await expect(main(page).getByRole('alert')).toContainText('site not found.');
  await expect(main(page).getByText(drill.site)).toHaveCount(0);
  // Not offered, and not reachable by its address either.
  await page.goto('/simulator');
  await expect(main(page).getByRole('alert')).toContainText('You are not allowed to do that.');
});

test('a single CPE is rebooted from its page and the job succeeds', async ({ page }) => {
  await signInAsAdmin(page);
  const cpe = freeSingle(await readFleet(page));
  const site = `shop-${n}`;
  const device = `${site}-cpe`;
  await createSite(page, {
    name: site,
    tenant: `${owner.display} (${owner.name})`,
    redundancy: 'Single CPE',
    model: cpe.model,
    version: cpe.version,
    serials: [cpe.serial],
    wan: [{ name: 'inet', type: 'Internet', bandwidth: '200', cost: '10' }],
    lan: [{ name: 'shop', vlan: '20', gateway: '10.20.0.1/24' }],
  });
  await activateSite(page, site, [device]);

  await page.goto('/sites');
  await main(page).getByRole('link', { name: site, exact: true }).click();
  await siteDevice(page, device).getByRole('link', { name: device, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: device, exact: true })).toBeVisible();
  // Reboot is offered once the monitor has seen the device up.
  await main(page).getByRole('button', { name: 'Reboot…', exact: true }).click();
  const question = main(page).getByRole('alert').filter({ hasText: `Reboot ${device}? Traffic through it stops for a few minutes.` });
  await question.getByRole('button', { name: 'Confirm reboot', exact: true }).click();

  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^Job #\\d+: Reboot ${escaped(device)}$`) })).toBeVisible();
  // The simulated CPE stays away for 2 s; the job waits until it answers again.
  await expect(main(page).getByText(new RegExp(`^Outcome: ${escaped(device)} rebooted and answers again \\(Junos `))).toBeVisible({
    timeout: 60_000,
  });
  const steps = dataRows(panel(page, 'Steps'));
  await expect(steps).toHaveCount(4);
  for (let i = 0; i < 4; i++) await expect(steps.nth(i).getByRole('cell').nth(2)).toContainText('Succeeded');
});

test('the secure OAM network lists every device with its overlay address, on the kit’s table', async ({ page }, info) => {
  await signInAsAdmin(page);
  await page.goto('/oam');
  await expect(page.getByRole('heading', { level: 1, name: 'Secure OAM network' })).toBeVisible();
  const table = main(page).getByRole('region', { name: 'Devices on the OAM network' });
  const drillRow = table.getByRole('row').filter({ hasText: drill.serials[0] });
  await expect(drillRow).toHaveCount(1);
  // Device, Serial, Site or POP, Tenant, OAM address, OAM session, …
  await expect(drillRow.getByRole('cell').nth(4)).toHaveText(/^100\.64\.\d+\.\d+$/);
  await expect(drillRow.getByRole('link', { name: drill.site, exact: true })).toBeVisible();

  await table.getByRole('link', { name: 'Serial', exact: true }).click();
  await expect(page).toHaveURL(/sort=serial&dir=asc|dir=asc&sort=serial/);
  await expect(table.getByRole('columnheader', { name: 'Serial' })).toHaveAttribute('aria-sort', 'ascending');
  await main(page).getByRole('searchbox', { name: 'Search devices' }).fill(drill.serials[0]);
  await main(page).getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`q=${drill.serials[0]}`));
  await expect(table.getByRole('row')).toHaveCount(2);
  await screenshot(page, 'oam', info.project.name);
});

test('a published Configuration Designer template is used in a device template, activates a site, and a change to it is redeployed as a job', async ({ page }, info) => {
  await signInAsAdmin(page);
  const cpe = freeSingle(await readFleet(page));

  // A configuration template with one variable, validated (commit-checked) and published.
  const design = `Shop NTP ${n}`;
  await page.goto('/designer/config/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New configuration template' })).toBeVisible();
  await main(page).getByLabel('Name', { exact: true }).fill(design);
  await main(page).getByLabel('Device family', { exact: true }).selectOption({ label: 'SRX Series' });
  await main(page).getByLabel('Configuration', { exact: true }).fill('set system ntp server 192.0.2.123\nset system ntp boot-server 192.0.2.123');
  await main(page).getByRole('button', { name: 'Create and open the editor' }).click();
  await expect(page).toHaveURL(/\/designer\/config\/\d+\/edit$/);
  // Selecting text in the template fills "Selected text" once the editor is hydrated.
  const text = main(page).getByLabel('Jinja template', { exact: true });
  await expect(async () => {
    await text.evaluate((el: HTMLTextAreaElement) => {
      const at = el.value.indexOf('192.0.2.123');
      el.focus();
      el.setSelectionRange(at, at + '192.0.2.123'.length);
      el.dispatchEvent(new Event('select', { bubbles: true }));
    });
    await expect(main(page).getByLabel('Selected text', { exact: true })).toHaveValue('192.0.2.123', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await main(page).getByLabel('Variable name', { exact: true }).fill('ntp_server');
  await main(page).getByLabel('Type', { exact: true }).selectOption({ label: 'IPv4 address' });
  await main(page).getByRole('button', { name: 'Make variable' }).click();
  await expect(page.getByText('ntp_server is a variable now, in 2 places.')).toBeVisible();
  await main(page).getByRole('button', { name: 'Validate', exact: true }).click();
  await expect(page.getByText('Version 1 is validated: it can be published.')).toBeVisible();
  await main(page).getByRole('button', { name: 'Publish v1' }).click();
  await expect(page).toHaveURL(/notice=published/);

  // A device template that renders it, with its own default for the variable.
  const template = `shop-ntp-${n}`;
  await page.goto('/device-templates/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New device template' })).toBeVisible();
  await main(page).getByLabel('Name', { exact: true }).fill(template);
  await main(page).getByLabel('Device family', { exact: true }).selectOption({ label: 'SRX Series' });
  await main(page).getByLabel('Configuration Designer template', { exact: true }).selectOption({ label: `${design} v1 (srx, Set commands)` });
  await main(page).getByLabel('Configuration', { exact: true }).fill('');
  await main(page).getByRole('button', { name: 'Create template' }).click();
  await expect(page).toHaveURL(/\/device-templates\/\d+\?notice=created$/);
  const templateUrl = page.url().replace(/\?.*$/, '');
  await expect(main(page).getByLabel('Parameter 1 name', { exact: true })).toHaveValue('ntp_server');
  await expect(main(page).getByLabel('Parameter 1 default', { exact: true })).toHaveValue('192.0.2.123');
  await screenshot(page, 'device-template-from-design', info.project.name);

  // The design is in use now: it cannot be deleted.
  await page.goto('/designer/config');
  await main(page).getByRole('row').filter({ hasText: design }).getByRole('link', { name: '1', exact: true }).click();
  await expect(main(page).getByText(`device template ${template} (v1)`)).toBeVisible();

  // A site with the template, activated: the job loads it after the site configuration.
  const site = `ntp-shop-${n}`;
  const device = `${site}-cpe`;
  await createSite(page, {
    name: site,
    tenant: `${owner.display} (${owner.name})`,
    redundancy: 'Single CPE',
    model: cpe.model,
    version: cpe.version,
    serials: [cpe.serial],
    wan: [{ name: 'inet', type: 'Internet', bandwidth: '100', cost: '10' }],
    lan: [{ name: 'shop', vlan: '30', gateway: '10.30.0.1/24' }],
    template: `${template} (srx)`,
  });
  await activateSite(page, site, [device]);
  await expect(main(page).getByText(`and device template ${template}`)).toBeVisible();

  // A new default: the template page names the site as needing a redeploy, which runs as a job.
  await page.goto(templateUrl);
  await main(page).getByLabel('Parameter 1 default', { exact: true }).fill('192.0.2.124');
  await main(page).getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/notice=saved/);
  const redeploy = main(page).getByRole('region', { name: 'Sites that need a redeploy' });
  await expect(redeploy.getByRole('link', { name: site, exact: true })).toBeVisible();
  await expect(redeploy.getByText('Revision 1')).toBeVisible();
  await screenshot(page, 'device-template-redeploy', info.project.name);
  await redeploy.getByRole('button', { name: 'Redeploy to 1 site' }).click();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^Job #\\d+: Redeploy template ${escaped(template)} \\(revision 2\\) to ${escaped(site)}$`) })).toBeVisible();
  await expect(main(page).getByText(`Outcome: pushed ${template} revision 2 to ${device}`)).toBeVisible({ timeout: 30_000 });
  await page.goto(templateUrl);
  await expect(main(page).getByRole('region', { name: 'Sites that need a redeploy' })).toHaveCount(0);

  // Assigned and deployed: Delete is refused, naming the site.
  await main(page).getByRole('button', { name: `Delete template ${template}` }).click();
  await expect(page.getByRole('alert').filter({ hasText: `is assigned to sites ${site}` })).toBeVisible();
});
