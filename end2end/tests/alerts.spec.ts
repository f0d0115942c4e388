import { test, expect, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CHOSEN_PASSWORD,
  changeForcedPassword,
  createTenant,
  createUser,
  main,
  openNav,
  screenshot,
  signIn,
  signInAsAdmin,
  signOut,
  uniqueSuffix,
} from './helpers';

// A server with the demo fleet and tenant, a probe round every 2 s, alerts evaluated every 2 s over
// the last 20 s of samples (see playwright.config.ts). The journeys share the fleet: in order.
test.describe.configure({ mode: 'serial' });

const n = uniqueSuffix();
const SHOP = 'utrecht-shop';
const OTHER_SHOP = 'leiden-shop';
const ALERT = `Slow MPLS ${n}`;

/** A webhook receiver on loopback that keeps what it is sent. */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
let receiver: Server;
let hookUrl = '';

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/portico`;
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

const siteIds: Record<string, number> = {};

async function serialOf(page: Page, site: string): Promise<string> {
  await page.goto(`/sites?q=${site}`);
  await main(page).getByRole('link', { name: site, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: site })).toBeVisible();
  siteIds[site] = Number(/sites\/(\d+)/.exec(page.url())![1]);
  const serial = ((await main(page).locator('code').filter({ hasText: /^[A-Z]{2}\d{10}$/ }).first().textContent()) ?? '').trim();
  expect(serial).toMatch(/^[A-Z]{2}\d{10}$/);
  return serial;
}

async function simulate(page: Page, serial: string, button: string) {
  await page.goto(`/simulator?q=${serial}`);
  const device = main(page).getByRole('row').filter({ has: page.getByRole('button', { name: `Fail node ${serial}`, exact: true }) });
  if (button.startsWith('Degrade') || button.startsWith('Restore ge')) await device.locator('summary').click();
  await device.getByRole('button', { name: button, exact: true }).click();
  // The page reloads the fleet after an injection; its "Loading…" line is a status too.
  await expect(page.getByRole('status').filter({ hasText: serial }).first()).toBeVisible();
}

/** The alert's objects that are not Normal, read from its page (reloaded until `state` shows). */
async function waitForState(page: Page, alertPath: string, state: 'Pending' | 'Firing', timeout = 60_000) {
  await expect
    .poll(
      async () => {
        await page.goto(alertPath);
        const region = main(page).getByRole('region', { name: 'Objects not Normal' });
        return (await region.textContent()) ?? '';
      },
      { timeout, intervals: [1_000] },
    )
    .toContain(state);
}

let alertPath = '';
let secret = '';

test('a degraded link takes an alert from Pending to Firing, e-mails and calls a signed webhook; acknowledging and restoring clear it', async ({ page }, info) => {
  await signInAsAdmin(page);
  const serial = await serialOf(page, SHOP);

  // A webhook target: its secret shows once.
  await openNav(page, 'Alert definitions');
  await main(page).getByRole('link', { name: 'Webhook targets' }).click();
  await main(page).getByLabel('Name').fill(`noc-${n}`);
  await main(page).getByLabel('URL').fill(hookUrl);
  await main(page).getByRole('button', { name: 'Create webhook target' }).click();
  secret = ((await page.getByTestId('webhook-secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  await screenshot(page, 'alerts-webhooks', info.project.name);

  // The alert: RTT of the shop's links above 150 ms for 10 s, clearing under 100 ms.
  await page.goto('/alerts/new');
  await main(page).getByLabel('Name').fill(ALERT);
  await main(page).getByLabel('Scope').selectOption({ label: `Site ${SHOP} (demo-retail)` });
  await main(page).getByLabel('Metric').selectOption('link_rtt');
  await main(page).getByLabel('Condition').selectOption('>');
  await main(page).getByLabel('Threshold', { exact: true }).fill('150');
  await main(page).getByLabel('Clear threshold').fill('100');
  await main(page).getByLabel('Pending period (seconds)').fill('10');
  await main(page).getByLabel('Severity').selectOption('critical');
  await main(page).getByLabel('E-mail recipients').fill(`noc-${n}@example.net`);
  await main(page).getByLabel(`noc-${n}`).check();
  await main(page).getByLabel('Re-notify every (seconds)').fill('0');
  await screenshot(page, 'alerts-new', info.project.name);
  await main(page).getByRole('button', { name: 'Create alert definition' }).click();
  await expect(page).toHaveURL(/\/alerts\/\d+\?notice=created/);
  alertPath = new URL(page.url()).pathname;
  await expect(main(page).getByText('Every object in its scope is Normal.')).toBeVisible();

  await simulate(page, serial, `Degrade ge-0/0/0 of ${serial}`);
  await waitForState(page, alertPath, 'Pending');
  const row = main(page).getByRole('region', { name: 'Objects not Normal' }).getByRole('row').filter({ hasText: `${SHOP} mpls-1` });
  await expect(row).toContainText('Pending');
  await screenshot(page, 'alerts-pending', info.project.name);
  await waitForState(page, alertPath, 'Firing');
  await screenshot(page, 'alerts-firing', info.project.name);

  // The alarm: critical, on the link, raised by the definition.
  await openNav(page, 'Alarms');
  const alarm = main(page).getByRole('row').filter({ hasText: `${ALERT}: ${SHOP} mpls-1` });
  await expect(alarm).toHaveCount(1);
  await expect(alarm).toContainText('Critical');

  // The e-mail is in the outbox; the webhook got a request signed with the target's secret.
  await openNav(page, 'Outbox');
  await expect(main(page).getByText(`noc-${n}@example.net`).first()).toBeVisible();
  await expect(main(page).getByText(/\[Portico FIRING\] critical/).first()).toBeVisible();
  await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThan(0);
  const first = received[0];
  const expected = 'sha256=' + createHmac('sha256', secret).update(first.body).digest('hex');
  expect(first.headers['x-portico-signature-256']).toBe(expected);
  const payload = JSON.parse(first.body);
  expect(payload.event).toBe('fired');
  expect(payload.alarm.object).toBe(`${SHOP} mpls-1`);
  expect(payload.definition.name).toBe(ALERT);

  // Acknowledge with a comment, from the Alarms page.
  await openNav(page, 'Alarms');
  await alarm.getByRole('textbox').fill(`ISP ticket ${n}`);
  await alarm.getByRole('button', { name: /Acknowledge/ }).click();
  await expect(page.getByRole('status').or(main(page).locator('.notice')).first()).toContainText('Alarm acknowledged');
  const acked = main(page).getByRole('row').filter({ hasText: `${ALERT}: ${SHOP} mpls-1` });
  await expect(acked).toContainText(`ISP ticket ${n}`);
  await expect(acked).toContainText('admin');
  await screenshot(page, 'alarms-acknowledged', info.project.name);

  // Restore: the value falls back under the clear threshold and the alarm clears by itself.
  await simulate(page, serial, `Restore ge-0/0/0 of ${serial}`);
  await expect
    .poll(
      async () => {
        await page.goto(alertPath);
        return (await main(page).getByRole('region', { name: 'Objects not Normal' }).textContent()) ?? '';
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toContain('Every object in its scope is Normal.');
  await page.goto('/alarms?state=cleared');
  const cleared = main(page).getByRole('row').filter({ hasText: `${ALERT}: ${SHOP} mpls-1` }).first();
  await expect(cleared).toBeVisible();
  await cleared.getByRole('link', { name: new RegExp(ALERT) }).click();
  const history = main(page).getByRole('region', { name: 'History' });
  await expect(history).toContainText('Raised');
  await expect(history).toContainText('Acknowledged');
  await expect(history).toContainText(`ISP ticket ${n}`);
  await expect(history).toContainText('Cleared');
  await expect(main(page).getByRole('region', { name: 'Notifications' })).toContainText('sent');
  await screenshot(page, 'alarm-detail', info.project.name);
});

test('a device that stops answering suppresses the link alarm beneath it, and says so on both', async ({ page }, info) => {
  await signInAsAdmin(page);
  const serial = await serialOf(page, SHOP);
  await simulate(page, serial, `Degrade ge-0/0/0 of ${serial}`);
  await waitForState(page, alertPath, 'Firing');
  await page.goto('/simulator');
  await main(page).getByRole('button', { name: `Fail node ${serial}`, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `${serial} failed:` })).toBeVisible();

  await expect
    .poll(
      async () => {
        await page.goto('/alarms');
        return (await main(page).getByRole('row').filter({ hasText: `${ALERT}: ${SHOP} mpls-1` }).textContent()) ?? '';
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toContain('stopped answering');
  const down = main(page).getByRole('row').filter({ hasText: 'stopped answering NETCONF' }).filter({ hasText: 'device.unreachable' });
  await expect(down.first()).toContainText('Suppresses 1 alarm beneath it');
  await screenshot(page, 'alarms-suppressed', info.project.name);

  // Device-down alarms clear themselves: no Clear button on its page.
  await down.first().getByRole('link').first().click();
  await expect(main(page).getByText('This kind of alarm clears itself when its condition ends')).toBeVisible();

  await page.goto('/simulator');
  await main(page).getByRole('button', { name: `Restore node ${serial}`, exact: true }).click();
  await simulate(page, serial, `Restore ge-0/0/0 of ${serial}`);
});

test('a maintenance window holds the alarms on its site and keeps its samples out of the scores', async ({ page }, info) => {
  await signInAsAdmin(page);
  const serial = await serialOf(page, OTHER_SHOP);
  // How many samples the site's score is made of, in the last hour.
  const samples = async () => {
    await page.goto(`/sla/performance/sites/${siteIds[OTHER_SHOP]}?range=1h`);
    await main(page).getByRole('link', { name: 'Explain the site score', exact: true }).click();
    return Number(((await page.locator('#explanation').getByTestId('explain-samples').textContent()) ?? '').trim());
  };
  await expect.poll(samples, { timeout: 20_000 }).toBeGreaterThan(0);
  await openNav(page, 'Maintenance windows');
  await main(page).getByLabel('Site or device').selectOption({ label: `Site ${OTHER_SHOP} (demo-retail)` });
  const until = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);
  await main(page).getByLabel('Until (UTC)').fill(until);
  await main(page).getByLabel('Reason').fill(`modem swap ${n}`);
  await main(page).getByRole('button', { name: 'Schedule window' }).click();
  await expect(main(page).getByText('Maintenance window scheduled')).toBeVisible();
  const window = main(page).getByRole('row').filter({ hasText: `modem swap ${n}` });
  await expect(window).toContainText('In force');
  await screenshot(page, 'maintenance', info.project.name);

  // The SLA collector leaves the site alone: after a round that may have been under way, the
  // score is made of the same samples however long the window lasts.
  await page.waitForTimeout(3_000);
  const held = await samples();
  await page.waitForTimeout(6_000);
  expect(await samples()).toBe(held);
  await page.goto('/simulator');
  await main(page).getByRole('button', { name: `Fail node ${serial}`, exact: true }).click();
  await expect
    .poll(
      async () => {
        await page.goto('/alarms');
        return (await main(page).getByRole('row').filter({ hasText: `${OTHER_SHOP}` }).filter({ hasText: 'device.unreachable' }).textContent()) ?? '';
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toContain(`In maintenance until`);
  await expect(main(page).getByRole('row').filter({ hasText: 'device.unreachable' }).filter({ hasText: OTHER_SHOP })).toContainText(`modem swap ${n}`);
  await screenshot(page, 'alarms-maintenance', info.project.name);

  await page.goto('/simulator');
  await main(page).getByRole('button', { name: `Restore node ${serial}`, exact: true }).click();
  await openNav(page, 'Maintenance windows');
  await main(page).getByRole('row').filter({ hasText: `modem swap ${n}` }).getByRole('button', { name: /End now/ }).click();
  await expect(main(page).getByText('Maintenance window ended')).toBeVisible();
});

test('a tenant user sees only their own tenant’s alarms and alert definitions', async ({ page }, info) => {
  await signInAsAdmin(page);
  const name = `rival-${n}`;
  await createTenant(page, name, `Rival ${n}`);
  const user = await createUser(page, { username: `rival-${n}`, displayName: `Rival admin ${n}`, role: 'Tenant Administrator (Tenant)', tenant: name });
  await signOut(page);
  await page.goto('/login');
  await signIn(page, `rival-${n}`, user.password);
  await changeForcedPassword(page, user.password, CHOSEN_PASSWORD);

  await page.goto('/alarms?state=all');
  await expect(main(page).getByText(SHOP)).toHaveCount(0);
  await expect(main(page).getByText(ALERT)).toHaveCount(0);
  await page.goto('/alerts');
  await expect(main(page).getByText(ALERT)).toHaveCount(0);
  const response = await page.goto(alertPath);
  expect(response?.status()).toBe(404);
  await page.goto('/alerts/new');
  await expect(main(page).getByLabel('Scope').locator('option', { hasText: SHOP })).toHaveCount(0);
  await screenshot(page, 'alerts-tenant', info.project.name);
});
