import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright's own browser download is not reachable from these machines.
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Each project gets its own fresh server and database (see serve.sh), so journeys that change the
// admin's password do not meet each other.
export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'hydrated',
      testMatch: /(auth|hydration)\.spec/,
      use: { baseURL: 'http://127.0.0.1:3101', javaScriptEnabled: true },
    },
    {
      name: 'no-javascript',
      testMatch: /(auth|nojs)\.spec/,
      use: { baseURL: 'http://127.0.0.1:3102', javaScriptEnabled: false },
    },
    {
      // Journeys across tenants, users, lockout, password reset and the audit log. Each spec signs in
      // as admin with signInAsAdmin, which copes with the admin's forced first change having happened.
      name: 'portal',
      testMatch: /(tenancy|lockout|forgot|audit|platform|sla|dashboard|designer)\.spec/,
      timeout: 60_000,
      use: { baseURL: 'http://127.0.0.1:3104', javaScriptEnabled: true },
    },
    {
      // A server with a one-minute idle timeout: the countdown dialog shows ~10 s after a page load.
      name: 'session',
      testMatch: /session\.spec/,
      timeout: 90_000,
      use: { baseURL: 'http://127.0.0.1:3103', javaScriptEnabled: true },
    },
    {
      // POPs, routers, VIMs, imports, jobs and the deletion history, on a server of its own: the
      // import journeys count rows of the import history, which other projects' data would upset.
      name: 'infrastructure',
      testMatch: /infrastructure\.spec/,
      timeout: 60_000,
      use: { baseURL: 'http://127.0.0.1:3105', javaScriptEnabled: true },
    },
    {
      // Sites, devices and the failover drill, on a server with an in-process simulated fleet of 8
      // (one SRX345 chassis-cluster pair, six single CPEs) that is polled every second: the drill
      // asserts that a failover shows within 10 s, and the journeys take the fleet's devices one by one.
      name: 'devices',
      testMatch: /devices\.spec/,
      timeout: 90_000,
      use: { baseURL: 'http://127.0.0.1:3106', javaScriptEnabled: true },
    },
    {
      // SLA performance, on a server with the demo fleet and its demo tenant (three single-CPE shops
      // and a dual-SRX headquarters), collecting a probe round every 2 s; and the demo fleet's
      // OpenStack cloud behind the VIM demo-cloud, where a tenant instantiates the demo network service.
      name: 'sla-live',
      testMatch: /(sla-live|cloud|instances)\.spec/,
      timeout: 120_000,
      use: { baseURL: 'http://127.0.0.1:3107', javaScriptEnabled: true },
    },
    {
      // Alerts, alarm triage, correlation and maintenance windows, on a server with the demo fleet
      // and tenant, a probe round every 2 s and alerts evaluated every 2 s over the last 20 s.
      name: 'alerts',
      testMatch: /alerts\.spec/,
      timeout: 180_000,
      use: { baseURL: 'http://127.0.0.1:3108', javaScriptEnabled: true },
    },
  ],
  webServer: [
    { port: 3101, command: 'bash serve.sh 3101' },
    { port: 3102, command: 'bash serve.sh 3102' },
    { port: 3103, command: 'PORTICO_SESSION_IDLE_MINUTES=1 PORTICO_SESSION_WARNING_SECONDS=50 bash serve.sh 3103' },
    { port: 3104, command: 'bash serve.sh 3104' },
    { port: 3105, command: 'bash serve.sh 3105' },
    {
      port: 3106,
      command: 'PORTICO_DEMO_FLEET=8 PORTICO_MONITOR_SECONDS=1 PORTICO_SIMULATOR_REBOOT_SECONDS=2 bash serve.sh 3106',
    },
    { port: 3107, command: 'PORTICO_DEMO_FLEET=8 PORTICO_DEMO_DATA=true PORTICO_MONITOR_SECONDS=1 PORTICO_SLA_SECONDS=2 bash serve.sh 3107' },
    {
      port: 3108,
      command:
        'PORTICO_DEMO_FLEET=8 PORTICO_DEMO_DATA=true PORTICO_MONITOR_SECONDS=1 PORTICO_SLA_SECONDS=2 PORTICO_ALERT_EVALUATE_SECONDS=2 PORTICO_ALERT_WINDOW_SECONDS=20 bash serve.sh 3108',
    },
  ].map(({ port, command }) => ({
    command,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
  })),
});
