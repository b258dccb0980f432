// Part of scripts/compose-smoke.sh: the real UI, served by the compose stack's nginx, in Debian's
// Chromium: log in, open the managed server's page and run a command in its web terminal (a
// WebSocket through nginx to the backend, SSH from there to the server).
// Env: SMOKE_BASE (http://127.0.0.1:18080), SMOKE_PASSWORD (admin's), SMOKE_HOST (host name).
/* global window, document -- used inside page.evaluate callbacks, which run in the browser */
import { chromium } from 'playwright-core';

const base = process.env.SMOKE_BASE;
const password = process.env.SMOKE_PASSWORD;
const hostName = process.env.SMOKE_HOST;
if (!base || !password || !hostName) throw new Error('SMOKE_BASE, SMOKE_PASSWORD and SMOKE_HOST are required');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const started = Date.now();
const step = (name) => console.log(`ui: ${name} (${Date.now() - started} ms)`);
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
  // The DOM renderer keeps the terminal's screen readable as text.
  await page.goto(base, { waitUntil: 'domcontentloaded' });
  await page.evaluate(() => window.localStorage.setItem('itmgr.terminal.renderer', 'dom'));
  await page.locator('input[name="username"]').fill('admin');
  await page.locator('input[name="password"]').fill(password);
  await byTestId('login-submit').click();
  await byTestId('dashboard').waitFor({ timeout: 20_000 });
  step('logged in, dashboard shown');
  await page.goto(`${base}/hosts`, { waitUntil: 'domcontentloaded' });
  await byTestId(`host-link-${hostName}`).click();
  await page.waitForURL((u) => /^\/hosts\/[0-9a-f-]{36}$/.test(u.pathname));
  await byTestId('host-tab-terminal').click();
  await page.locator('[data-testid="terminal-status"][data-status="connected"]').waitFor({ timeout: 30_000 });
  step('terminal connected');
  await page.locator('[data-testid="terminal-view"] .xterm').click();
  await page.keyboard.type('echo ui-$((6*7))', { delay: 10 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () => (document.querySelector('[data-testid="terminal-view"] .xterm-rows')?.textContent ?? '').includes('ui-42'),
    null,
    { timeout: 15_000 },
  );
  step('a command typed in the browser ran on the server');
} finally {
  await browser.close();
}
