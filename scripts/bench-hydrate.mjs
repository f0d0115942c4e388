// Dashboard hydration time in a real browser (Debian's Chromium through Playwright), for `make bench`:
// bench_sla starts a portal over 1,000 tenants' SLA data and calls this with its address. It signs in
// as admin, then loads the home page (the dashboard) N times and reports, from navigation start, when
// the server-rendered page was parsed (DOMContentLoaded) and when the wasm had hydrated it (the
// "Customize" button, which only the hydrated page renders, is visible).
//
//     node scripts/bench-hydrate.mjs http://127.0.0.1:PORT PASSWORD [RUNS]
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const [base, password, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 15);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
const page = await browser.newPage({ baseURL: base });
const signIn = await page.request.post('/api/login', { form: { username: 'admin', password }, headers: { accept: 'application/json' } });
if (!signIn.ok()) {
  console.error(`sign-in failed: ${signIn.status()}`);
  process.exit(1);
}
const parsed = [];
const hydrated = [];
for (let i = 0; i < runs + 2; i++) {
  await page.goto('/', { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Customize' }).waitFor({ state: 'visible', timeout: 60_000 });
  const [dcl, now] = await page.evaluate(() => [performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd, performance.now()]);
  // The first two loads warm the browser's cache of the wasm, as a returning operator's would be.
  if (i >= 2) {
    parsed.push(dcl);
    hydrated.push(now);
  }
}
await browser.close();
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const fmt = (xs) => `p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms`;
console.log(`  dashboard in Chromium, ${runs} loads (cached wasm): page parsed ${fmt(parsed)}; hydrated (Customize shown) ${fmt(hydrated)}`);
