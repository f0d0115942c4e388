// The Network Service Designer's canvas under a drag, in a real browser (Debian's Chromium through
// Playwright), for `make bench`: starts a fresh portal on SQLite, signs in as admin, builds a
// service with 30 VNFs on the canvas, then drags one of them through 300 pointer moves and reports
// p50/p95 of (a) the pointer move's handling (the event until the design and the DOM are updated)
// and (b) the move until the next frame is drawn.
//
//     node scripts/bench-canvas.mjs [PORTICO_BIN] [SITE_ROOT] [VNFS]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const [bin = 'target/release/portico', site = 'target/site', vnfsArg] = process.argv.slice(2);
const vnfs = Number(vnfsArg ?? 30);
const port = 20000 + Math.floor(Math.random() * 20000);
const dir = mkdtempSync(join(tmpdir(), 'portico-canvas-'));
const initial = 'Initial-Admin-Pass-1';
const chosen = 'Canvas-Bench-Pass-2026';
const server = spawn(bin, ['serve', '--site-root', site], {
  env: { ...process.env, PORTICO_BIND: `127.0.0.1:${port}`, PORTICO_DATABASE_URL: `sqlite://${dir}/portico.db`, PORTICO_DATA_DIR: dir, PORTICO_ADMIN_PASSWORD: initial, PORTICO_LOG: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 120; i++) {
  try {
    if ((await fetch(`${base}/login`)).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 500));
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ baseURL: base, viewport: { width: 1600, height: 1000 } });
  await page.goto('/login');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(initial);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Current password', { exact: true }).fill(initial);
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('Confirm new password', { exact: true }).fill(chosen);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL((u) => !u.pathname.includes('change-password'));

  await page.goto('/designer/service/new');
  await page.getByRole('main').getByLabel('Name', { exact: true }).fill(`Canvas bench ${port}`);
  await page.getByRole('button', { name: 'Create and open the canvas' }).click();
  await page.waitForURL(/\/edit$/);
  const canvas = page.getByRole('group', { name: /Service chain canvas/ });
  await canvas.waitFor();
  await page.waitForTimeout(1500);
  await page.getByLabel('Network function').selectOption({ label: 'Any function' });
  const add = page.getByRole('button', { name: /^Add vSRX to the canvas/ });
  for (let i = 1; i <= vnfs; i++) {
    await add.click();
    await canvas.getByRole('button', { name: new RegExp(`^vsrx${i}:`) }).waitFor();
  }
  // Let the last check arrive, so only the drag is measured.
  await page.waitForTimeout(1000);

  const where = () => page.locator('#nsd-node-vsrx15').evaluate((e) => e.parentElement.getAttribute('transform'));
  const before = await where();
  const samples = await page.evaluate(async (moves) => {
    const svg = document.getElementById('nsd-canvas');
    const body = document.getElementById('nsd-node-vsrx15');
    const r = body.getBoundingClientRect();
    let x = r.x + 30;
    let y = r.y + 30;
    const at = { bubbles: true, pointerId: 1, isPrimary: true, pointerType: 'mouse' };
    body.dispatchEvent(new PointerEvent('pointerdown', { ...at, clientX: x, clientY: y, button: 0, buttons: 1 }));
    const out = [];
    for (let i = 0; i < moves; i++) {
      x += i % 40 < 20 ? 4 : -4;
      y += i % 10 < 5 ? 2 : -2;
      const t0 = performance.now();
      svg.dispatchEvent(new PointerEvent('pointermove', { ...at, clientX: x, clientY: y, buttons: 1 }));
      const handled = performance.now() - t0;
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
      out.push([handled, performance.now() - t0]);
    }
    svg.dispatchEvent(new PointerEvent('pointerup', { ...at, clientX: x, clientY: y, button: 0 }));
    return out;
  }, 300);
  // The drag must have moved the node, or the figures measure nothing.
  const after = await where();
  if (!after || after === before) throw new Error(`the dragged node did not move (${before} → ${after})`);
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
  const handled = samples.map((s) => s[0]);
  const framed = samples.map((s) => s[1]);
  console.log(
    `  canvas with ${vnfs} VNFs, ${samples.length} pointer moves of a drag: handled (design and DOM updated) p50 ${pct(handled, 50).toFixed(2)} ms, p95 ${pct(handled, 95).toFixed(2)} ms; to the next frame p50 ${pct(framed, 50).toFixed(1)} ms, p95 ${pct(framed, 95).toFixed(1)} ms`,
  );
} finally {
  await browser.close();
  server.kill();
}
