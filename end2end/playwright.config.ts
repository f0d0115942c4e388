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
      testIgnore: /nojs\.spec/,
      use: { baseURL: 'http://127.0.0.1:3101', javaScriptEnabled: true },
    },
    {
      name: 'no-javascript',
      testMatch: /(auth|nojs)\.spec/,
      use: { baseURL: 'http://127.0.0.1:3102', javaScriptEnabled: false },
    },
  ],
  webServer: [3101, 3102].map((port) => ({
    command: `bash serve.sh ${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
  })),
});
