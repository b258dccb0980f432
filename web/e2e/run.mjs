// End-to-end smoke test: starts the real `itmgr` binary on a fresh SQLite database and
// drives the web UI through first login, the forced password change, creating a user,
// finding the audit event for it, creating and revealing a secret in the vault, and adding a
// host to the inventory whose status check result arrives live over Server-Sent Events, and
// creating a dynamic group by typing its rule, with a live match count, then seeing its member;
// then a web SSH terminal to a real OpenSSH sshd started here (127.0.0.77, like the Rust test
// fleet): accept the host key, run a command, reload and find the output again after resuming;
// with terminal recording turned on, a recorded session is listed on the Recordings page and its
// player replays the command's output, also after seeking with the slider.
// Finally an ad-hoc command on that host from the hosts table: its run page streams the output
// live and the run shows up in the Runs history. Then a playbook made with the wizard (targets:
// that host, by a rule) is launched as a dry run from its launch screen (the preview shows
// `--check --diff`); its run page shows the per-host stats table and ansible-playbook's log, and
// the run is listed in the Runs history. The host's credential is a password, so without sshpass
// the host fails: the steps wait for a final status, whatever it is.
// Running as root creates the sshd's test user (itmgrtest) when it is missing.
//
//   ITMGR_BIN=target/release/itmgr npm run e2e
//
// Optional: CHROMIUM_PATH (default /usr/bin/chromium), ITMGR_ADMIN_USERNAME (default admin),
// E2E_KEEP_TMP=1 to keep the temporary data directory.
// The last line printed is always "N passed, N failed"; the exit code is non-zero on failure.
/* global document, window -- code passed to page.evaluate runs in the browser */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN = process.env.ITMGR_ADMIN_USERNAME ?? 'admin';
const STEP_TIMEOUT = 20_000;

// The policy the server sends (crates/api/src/web.rs); added to pages when the binary under test
// does not send one yet, so the app is always exercised under it.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const SSH_USER = 'itmgrtest';
const SSH_PASSWORD = 'itmgr-Fleet-pass-7';
const SSH_IP = '127.0.0.77';
// Typed into the recorded session: the screen shows the command as typed, only its output has the marker.
const REC_MARKER_CMD = 'rec-$((4000+321))-marker';
const REC_MARKER = 'rec-4321-marker';
// Run as an ad-hoc command: only its output has the marker itself.
const RUN_MARKER_CMD = 'e2e-run-$((6*7))';
const RUN_MARKER = 'e2e-run-42';
// The playbook created with the wizard; it targets the sshd host by a rule.
const PLAYBOOK_NAME = 'e2e-hello';
const PLAYBOOK_YAML = '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: hello\n      debug:\n        msg: hello from e2e\n';
const PLAYBOOK_RULE = 'name == "e2e-ssh"';

const results = [];
let server;
let sshd;
let browser;
let tmp;

function log(msg) {
  console.log(`[e2e] ${msg}`);
}

function randomPassword(length) {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function freePort(host = '127.0.0.1') {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(base, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no response';
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`itmgr exited early with code ${proc.exitCode} (see artifacts/server.log)`);
    try {
      const res = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return res.json();
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy after ${timeoutMs} ms: ${lastError}`);
}

function stopServer() {
  return new Promise((resolveStop) => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return resolveStop();
    const killer = setTimeout(() => server.kill('SIGKILL'), 5000);
    server.once('exit', () => {
      clearTimeout(killer);
      resolveStop();
    });
    server.kill('SIGTERM');
  });
}

function run(cmd, args, input) {
  return execFileSync(cmd, args, { input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] }).toString();
}

/** Whether `host:port` answers with an SSH banner. */
function sshBanner(host, port) {
  return new Promise((resolveBanner) => {
    const sock = connect({ host, port });
    const done = (ok) => {
      sock.destroy();
      resolveBanner(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('data', (d) => done(d.toString().startsWith('SSH-')));
  });
}

/**
 * Starts an OpenSSH sshd on 127.0.0.77:<free port> the way crates/testfleet does: its own ed25519
 * host key, password login for the test user only. As root, creates the user and sets its password.
 */
async function startSshd(dir) {
  const root = process.getuid?.() === 0;
  let exists = true;
  try {
    run('id', [SSH_USER]);
  } catch {
    exists = false;
  }
  if (!exists) {
    if (!root) throw new Error(`the sshd test user ${SSH_USER} is missing; run as root once, or: sudo useradd -m -s /bin/sh ${SSH_USER} && echo '${SSH_USER}:${SSH_PASSWORD}' | sudo chpasswd`);
    run('useradd', ['-m', '-s', '/bin/sh', SSH_USER]);
  }
  if (root) {
    run('chpasswd', [], `${SSH_USER}:${SSH_PASSWORD}\n`);
    mkdirSync('/run/sshd', { recursive: true });
  }
  mkdirSync(dir, { recursive: true });
  run('ssh-keygen', ['-t', 'ed25519', '-q', '-N', '', '-C', 'e2e-host', '-f', join(dir, 'ssh_host_ed25519_key')]);
  const port = await freePort(SSH_IP);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `ListenAddress ${SSH_IP}:${port}`,
      `HostKey ${join(dir, 'ssh_host_ed25519_key')}`,
      'PidFile none',
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      `AllowUsers ${SSH_USER}`,
      'UseDNS no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const log = createWriteStream(join(artifacts, 'sshd.log'));
  sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
  sshd.stdout.pipe(log);
  sshd.stderr.pipe(log);
  const deadline = Date.now() + 10_000;
  while (!(await sshBanner(SSH_IP, port))) {
    if (sshd.exitCode !== null) throw new Error(`sshd exited with code ${sshd.exitCode} (see artifacts/sshd.log)`);
    if (Date.now() > deadline) throw new Error('sshd did not start within 10 s (see artifacts/sshd.log)');
    await new Promise((r) => setTimeout(r, 50));
  }
  return port;
}

function stopSshd() {
  return new Promise((resolveStop) => {
    if (!sshd || sshd.exitCode !== null || sshd.signalCode !== null) return resolveStop();
    const killer = setTimeout(() => sshd.kill('SIGKILL'), 3000);
    sshd.once('exit', () => {
      clearTimeout(killer);
      resolveStop();
    });
    sshd.kill('SIGTERM');
  });
}

/** The text on the screen of the terminal shown (xterm's DOM renderer rows). */
async function terminalText(page) {
  return page.evaluate(() => {
    const rows = document.querySelector('[data-testid="terminal-view"] .xterm-rows');
    return rows ? rows.textContent.replace(/\u00a0/g, ' ') : '';
  });
}

/** Waits until the terminal shown has `text` on its screen. */
async function waitForScreen(page, text, timeout = 15_000) {
  await page.waitForFunction((t) => (document.querySelector('[data-testid="terminal-view"] .xterm-rows')?.textContent ?? '').includes(t), text, { timeout });
}

/** The text on the screen of the recording player's terminal. */
async function recordingText(page) {
  return page.evaluate(() => (document.querySelector('[data-testid="recording-terminal"] .xterm-rows')?.textContent ?? '').replace(/\u00a0/g, ' '));
}

/** Waits until the recording player's screen has (or, with `present` false, no longer has) `text`. */
/** The player's screen once xterm has drawn everything written to it (unchanged for 300 ms). */
async function settledRecordingText(page) {
  let last = await recordingText(page);
  for (let i = 0; i < 50; i += 1) {
    await page.waitForTimeout(300);
    const now = await recordingText(page);
    if (now === last) return now;
    last = now;
  }
  return last;
}

async function waitForRecording(page, text, present, timeout = 15_000) {
  await page.waitForFunction(
    ([t, want]) => (document.querySelector('[data-testid="recording-terminal"] .xterm-rows')?.textContent ?? '').replace(/\u00a0/g, ' ').includes(t) === want,
    [text, present],
    { timeout },
  );
}

/** Runs the steps in order; once one fails, the rest (which depend on it) are counted as failed. */
async function runSteps(page, steps) {
  let broken = null;
  for (const [i, [name, fn]] of steps.entries()) {
    const shot = join(artifacts, `${String(i + 1).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    if (broken) {
      results.push({ name, ok: false, error: `skipped after failure of "${broken}"` });
      log(`FAIL ${name}: skipped after failure of "${broken}"`);
      continue;
    }
    try {
      await fn();
      await page.screenshot({ path: shot, fullPage: true });
      results.push({ name, ok: true });
      log(`ok   ${name}`);
    } catch (e) {
      broken = name;
      const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
      results.push({ name, ok: false, error });
      log(`FAIL ${name}: ${error}`);
      await page.screenshot({ path: shot.replace(/\.png$/, '-FAILED.png'), fullPage: true }).catch(() => undefined);
    }
  }
}

async function main() {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const bin = process.env.ITMGR_BIN;
  if (!bin) throw new Error('set ITMGR_BIN to the path of the built itmgr binary');

  tmp = mkdtempSync(join(tmpdir(), 'itmgr-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const initialPassword = randomPassword(16);
  const newPassword = `${randomPassword(16)}-e2e`;
  const secretName = 'e2e/db.password';
  const secretValue = `${randomPassword(20)}-db`;

  const serverLog = createWriteStream(join(artifacts, 'server.log'));
  log(`starting ${bin} serve on ${base} (data in ${tmp})`);
  server = spawn(resolve(bin), ['serve'], {
    env: {
      ...process.env,
      ITMGR_LISTEN: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${join(tmp, 'itmgr.db')}?mode=rwc`,
      ITMGR_DATA_DIR: tmp,
      ITMGR_ADMIN_PASSWORD: initialPassword,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  const spawnError = new Promise((_, reject) => server.once('error', reject));

  const health = await Promise.race([waitForHealth(base, server, 60_000), spawnError]);
  log(`server healthy: ${JSON.stringify(health)}`);

  const sshPort = await startSshd(join(tmp, 'sshd'));
  log(`sshd listening on ${SSH_IP}:${sshPort}`);

  /** Calls the API as the admin (after the forced password change), for setup the UI is slow at. */
  let apiToken = null;
  async function apiCall(method, path, body) {
    if (!apiToken) {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: ADMIN, password: newPassword }),
      });
      if (!res.ok) throw new Error(`login for API setup: HTTP ${res.status} ${await res.text()}`);
      apiToken = (await res.json()).access_token;
    }
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiToken}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Pages answered through context.route (to add the CSP) lose their loopback address space,
      // and Chromium's Local Network Access checks would then block the terminal's WebSocket.
      '--disable-features=LocalNetworkAccessChecks',
    ],
  });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 860 }, colorScheme: 'light' });
  let cspAdded = false;
  await context.route(
    (url) => url.origin === base && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/assets/'),
    async (route) => {
      const response = await route.fetch();
      const headers = response.headers();
      if (!headers['content-security-policy']) {
        headers['content-security-policy'] = CSP;
        cspAdded = true;
      }
      await route.fulfill({ response, headers });
    },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));

  const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
  /** The terminal session recorded by the recording steps (its recording has the same id). */
  let recordedSession = null;
  /** The run started by the ad-hoc command steps. */
  let runId = null;
  /** The player's screen at the end of playback. */
  let endScreen = '';
  /** The playbook created with the wizard, its run and the run's final status. */
  let playbookId = null;
  let playbookRunId = null;
  let playbookRunStatus = null;

  await runSteps(page, [
    [
      'login page is shown',
      async () => {
        await page.goto(base, { waitUntil: 'domcontentloaded' });
        await byTestId('login-submit').waitFor();
      },
    ],
    [
      'wrong password is rejected',
      async () => {
        await page.locator('input[name="username"]').fill(ADMIN);
        await page.locator('input[name="password"]').fill('definitely-not-the-password');
        await byTestId('login-submit').click();
        await byTestId('login-error').waitFor();
      },
    ],
    [
      'admin login leads to the forced password change',
      async () => {
        await page.locator('input[name="password"]').fill(initialPassword);
        await byTestId('login-submit').click();
        await byTestId('forced-change-notice').waitFor();
      },
    ],
    [
      'new password is accepted and the dashboard is shown',
      async () => {
        await page.locator('input[name="current_password"]').fill(initialPassword);
        await page.locator('input[name="new_password"]').fill(newPassword);
        await page.locator('input[name="confirm"]').fill(newPassword);
        await byTestId('change-password-submit').click();
        await byTestId('dashboard').waitFor();
        await byTestId('stat-users').waitFor();
      },
    ],
    [
      'session survives a reload (refresh cookie)',
      async () => {
        await page.reload({ waitUntil: 'domcontentloaded' });
        await byTestId('dashboard').waitFor();
      },
    ],
    [
      'users page lists the admin',
      async () => {
        await byTestId('nav-users').click();
        await byTestId(`user-row-${ADMIN}`).waitFor();
      },
    ],
    [
      'create user e2e-operator with role operator',
      async () => {
        await byTestId('create-user').click();
        const form = byTestId('create-user-form');
        await form.waitFor();
        await form.locator('input[name="username"]').fill('e2e-operator');
        await form.locator('input[name="display_name"]').fill('E2E Operator');
        await form.locator('input[name="email"]').fill('e2e-operator@example.com');
        await byTestId('create-user-role').click();
        await page.getByRole('option', { name: 'Operator', exact: true }).click();
        await form.locator('input[name="password"]').fill(`${randomPassword(14)}-op`);
        await byTestId('create-user-submit').click();
        await form.waitFor({ state: 'detached' });
        const row = byTestId('user-row-e2e-operator');
        await row.waitFor();
        const text = await row.innerText();
        if (!text.includes('Operator')) throw new Error(`row does not show the operator role: ${text}`);
      },
    ],
    [
      'audit log shows the user.create event',
      async () => {
        await byTestId('nav-audit').click();
        await byTestId('audit-filter-action').fill('user.create');
        // Let the debounced filter reach the server before looking at rows.
        await page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('action=user.create'));
        const row = page.locator('[data-testid="audit-row"][data-action="user.create"]').first();
        await row.waitFor();
        const rowText = await row.innerText();
        if (!rowText.includes('e2e-operator')) {
          await row.click();
          const details = page.locator('[data-testid^="audit-details-"]').first();
          await details.waitFor();
          const detailText = await details.innerText();
          if (!detailText.includes('e2e-operator')) throw new Error(`user.create event does not mention e2e-operator: ${rowText} / ${detailText}`);
        }
      },
    ],
    [
      'secrets page is shown',
      async () => {
        await byTestId('nav-secrets').click();
        await page.waitForURL((u) => u.pathname === '/secrets');
        await byTestId('create-secret').waitFor();
        await byTestId('empty-state').waitFor();
      },
    ],
    [
      'create password secret e2e/db.password',
      async () => {
        await byTestId('create-secret').click();
        const form = byTestId('create-secret-form');
        await form.waitFor();
        await form.locator('input[name="name"]').fill(secretName);
        await form.getByText('{{ secret:e2e/db.password }}').waitFor();
        await byTestId('create-secret-kind').getByText('Password', { exact: true }).click();
        await form.locator('input[name="value"]').fill(secretValue);
        await byTestId('create-secret-submit').click();
        await form.waitFor({ state: 'detached' });
        const row = byTestId(`secret-row-${secretName}`);
        await row.waitFor();
        const kind = await row.getAttribute('data-kind');
        if (kind !== 'password') throw new Error(`row has kind ${kind}, expected password`);
        if (!/password/i.test(await row.locator('td').nth(1).innerText())) throw new Error('row does not show the kind badge');
        if ((await page.content()).includes(secretValue)) throw new Error('the list page contains the secret value');
      },
    ],
    [
      'reveal it with the admin password',
      async () => {
        await byTestId(`secret-actions-${secretName}`).click();
        await byTestId('secret-action-reveal').click();
        const form = byTestId('reveal-form');
        await form.waitFor();
        await form.locator('input[name="reveal-password"]').fill(newPassword);
        await byTestId('reveal-submit').click();
        const value = byTestId('revealed-value');
        await value.waitFor();
        if ((await value.innerText()).includes(secretValue)) throw new Error('the value is shown before "show" is clicked');
        await byTestId('reveal-countdown').waitFor();
      },
    ],
    [
      'the revealed value is visible',
      async () => {
        await byTestId('reveal-toggle').click();
        const text = (await byTestId('revealed-value').innerText()).trim();
        if (text !== secretValue) throw new Error(`revealed value differs: ${JSON.stringify(text)}`);
      },
    ],
    [
      'after closing the value is hidden again',
      async () => {
        await byTestId('reveal-close').click();
        await byTestId('reveal-shown').waitFor({ state: 'detached' });
        if ((await page.content()).includes(secretValue)) throw new Error('the value is still in the page after closing');
        // Opening the dialog again asks for the password instead of showing the old value.
        await byTestId(`secret-actions-${secretName}`).click();
        await byTestId('secret-action-reveal').click();
        await byTestId('reveal-form').waitFor();
        if ((await page.content()).includes(secretValue)) throw new Error('the value is shown again without a password');
        await page.keyboard.press('Escape');
        await byTestId('reveal-form').waitFor({ state: 'detached' });
      },
    ],
    [
      'hosts page shows the empty state',
      async () => {
        await byTestId('nav-hosts').click();
        await page.waitForURL((u) => u.pathname === '/hosts');
        await byTestId('empty-state').waitFor();
        await byTestId('empty-create-host').waitFor();
      },
    ],
    [
      'create host e2e-host (127.0.0.1:9, tcp check)',
      async () => {
        await byTestId('empty-create-host').click();
        const form = byTestId('host-form');
        await form.waitFor();
        await form.locator('input[name="name"]').fill('e2e-host');
        await form.locator('input[name="address"]').fill('127.0.0.1');
        await form.locator('input[name="port"]').fill('9');
        await form.locator('input[name="environment"]').fill('prod');
        await byTestId('host-check-method').click();
        await page.getByRole('option', { name: 'TCP connect', exact: true }).click();
        await byTestId('host-submit').click();
        await form.waitFor({ state: 'detached' });
        await byTestId('host-row-e2e-host').waitFor();
      },
    ],
    [
      'open the host and check its status: offline arrives live',
      async () => {
        await byTestId('host-link-e2e-host').click();
        await page.waitForURL((u) => /^\/hosts\/[0-9a-f-]{36}$/.test(u.pathname));
        const name = (await byTestId('host-detail-name').innerText()).trim();
        if (name !== 'e2e-host') throw new Error(`detail page shows ${JSON.stringify(name)}`);
        const method = await byTestId('host-check-method').innerText();
        if (!/TCP/.test(method)) throw new Error(`check method shown as ${JSON.stringify(method)}`);
        // Let the live stream connect before the check is started.
        await page.waitForResponse((r) => r.url().includes('/api/v1/hosts/events'), { timeout: 5000 }).catch(() => undefined);
        await byTestId('host-check').click();
        await page.locator('[data-testid="host-detail-status"][data-status="offline"]').waitFor({ timeout: 30_000 });
        const badge = ((await byTestId('host-detail-status').textContent()) ?? '').trim();
        if (badge !== 'Offline') throw new Error(`status badge reads ${JSON.stringify(badge)}`);
      },
    ],
    [
      'groups page shows the empty state',
      async () => {
        await byTestId('nav-groups').click();
        await page.waitForURL((u) => u.pathname === '/groups');
        await byTestId('empty-state').waitFor();
        await byTestId('empty-create-group').waitFor();
      },
    ],
    [
      'typing a dynamic rule shows the live match count',
      async () => {
        await byTestId('empty-create-group').click();
        const form = byTestId('group-form');
        await form.waitFor();
        await form.locator('input[name="name"]').fill('e2e_prod');
        await byTestId('group-kind-select').getByText('Dynamic', { exact: true }).click();
        const input = byTestId('rule-input');
        await input.click();
        await input.pressSequentially('environment == "prod"', { delay: 20 });
        const count = page.locator('[data-testid="rule-match-count"][data-total="1"]');
        await count.waitFor();
        const text = (await count.innerText()).trim();
        if (!/^1 host/i.test(text)) throw new Error(`match count reads ${JSON.stringify(text)}`);
        const value = await input.inputValue();
        if (value !== 'environment == "prod"') throw new Error(`the editor holds ${JSON.stringify(value)}`);
      },
    ],
    [
      'save the group e2e_prod and see it in the list',
      async () => {
        await byTestId('group-submit').click();
        await byTestId('group-form').waitFor({ state: 'detached' });
        await page.waitForURL((u) => /^\/groups\/[0-9a-f-]{36}$/.test(u.pathname));
        await byTestId('nav-groups').click();
        await page.waitForURL((u) => u.pathname === '/groups');
        const count = (await byTestId('group-count-e2e_prod').innerText()).trim();
        if (count !== '1') throw new Error(`member count reads ${JSON.stringify(count)}`);
        const kind = await byTestId('group-row-e2e_prod').locator('[data-testid="group-kind"]').getAttribute('data-kind');
        if (kind !== 'dynamic') throw new Error(`kind badge says ${kind}`);
      },
    ],
    [
      'open e2e_prod: e2e-host is a member',
      async () => {
        await byTestId('group-link-e2e_prod').click();
        await page.waitForURL((u) => /^\/groups\/[0-9a-f-]{36}$/.test(u.pathname));
        const name = (await byTestId('group-detail-name').innerText()).trim();
        if (name !== 'e2e_prod') throw new Error(`detail page shows ${JSON.stringify(name)}`);
        await byTestId('hosts-table').locator('[data-testid="host-row-e2e-host"]').waitFor();
        await byTestId('group-tab-rule').click();
        const rule = await byTestId('rule-input').inputValue();
        if (rule !== 'environment == "prod"') throw new Error(`rule tab holds ${JSON.stringify(rule)}`);
      },
    ],
    [
      'create an SSH credential and a host for the local sshd (API)',
      async () => {
        await apiCall('POST', '/api/v1/secrets', { name: 'e2e/ssh', kind: 'ssh_credential', username: SSH_USER, value: SSH_PASSWORD });
        await apiCall('POST', '/api/v1/hosts', { name: 'e2e-ssh', address: SSH_IP, port: sshPort, credential: 'e2e/ssh', check_method: 'tcp' });
      },
    ],
    [
      'the Terminal tab asks about the unknown host key',
      async () => {
        // xterm's DOM renderer keeps the screen readable as text for the checks below.
        await page.evaluate(() => window.localStorage.setItem('itmgr.terminal.renderer', 'dom'));
        // A fresh load: the host was created behind the UI's back.
        await page.goto(`${base}/hosts`, { waitUntil: 'domcontentloaded' });
        await byTestId('host-link-e2e-ssh').click();
        await page.waitForURL((u) => /^\/hosts\/[0-9a-f-]{36}$/.test(u.pathname));
        await byTestId('host-tab-terminal').click();
        await byTestId('host-key-dialog').waitFor();
        const algorithm = (await byTestId('host-key-algorithm').innerText()).trim();
        const fingerprint = (await byTestId('host-key-fingerprint').innerText()).trim();
        if (!/ed25519/i.test(algorithm)) throw new Error(`algorithm shown as ${JSON.stringify(algorithm)}`);
        if (!fingerprint.startsWith('SHA256:')) throw new Error(`fingerprint shown as ${JSON.stringify(fingerprint)}`);
      },
    ],
    [
      'accepting the key connects the terminal',
      async () => {
        await byTestId('host-key-accept').click();
        await page.locator('[data-testid="terminal-status"][data-status="connected"]').waitFor({ timeout: 30_000 });
        await waitForScreen(page, '$');
        // The pill switches to the measured latency after the first pong.
        await page.waitForFunction(() => /RTT \d+ ms/.test(document.querySelector('[data-testid="terminal-status"]')?.textContent ?? ''), null, { timeout: 10_000 });
      },
    ],
    [
      'a command typed in the terminal runs on the host',
      async () => {
        await page.locator('[data-testid="terminal-view"] .xterm').click();
        await page.keyboard.type('echo e2e-$((20+22))', { delay: 10 });
        await page.keyboard.press('Enter');
        await waitForScreen(page, 'e2e-42');
      },
    ],
    [
      'after a reload the Terminals page restores the tab and resumes the output',
      async () => {
        await page.reload({ waitUntil: 'domcontentloaded' });
        await byTestId('nav-terminals').click();
        await page.waitForURL((u) => u.pathname === '/terminals');
        await byTestId('terminal-tab-e2e-ssh').waitFor();
        await page.locator('[data-testid="terminal-status"][data-status="connected"]').waitFor({ timeout: 30_000 });
        await waitForScreen(page, 'e2e-42');
        const text = await terminalText(page);
        const count = text.split('e2e-42').length - 1;
        if (count !== 1) throw new Error(`the output appears ${count} times after resuming: ${JSON.stringify(text.trim())}`);
        // Still live: a new command answers.
        await page.locator('[data-testid="terminal-view"] .xterm').click();
        await page.keyboard.type('echo resumed-$((6*7))', { delay: 10 });
        await page.keyboard.press('Enter');
        await waitForScreen(page, 'resumed-42');
      },
    ],
    [
      'Ctrl+K "Connect to host…" opens a second terminal tab',
      async () => {
        await byTestId('search-open').click();
        // Fill the palette's own input once it is there: typing before it has focus loses keys.
        const search = page.getByPlaceholder('Type a command or page…');
        await search.waitFor({ timeout: 10_000 });
        await search.fill('Connect to host');
        await page.getByText('Connect to host…', { exact: true }).click({ timeout: 20_000 });
        await byTestId('connect-host-input').fill('e2e-ssh');
        await byTestId('connect-host-e2e-ssh').click();
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="terminal-tab-e2e-ssh"]').length === 2, null, { timeout: 15_000 });
        await page.locator('[data-testid="terminal-status"][data-status="connected"]').waitFor({ timeout: 30_000 });
      },
    ],
    [
      'ending a session shows the ended overlay',
      async () => {
        await page.locator('[data-testid="terminal-view"] .xterm').click();
        await page.keyboard.type('exit', { delay: 10 });
        await page.keyboard.press('Enter');
        await byTestId('terminal-overlay').waitFor({ timeout: 15_000 });
        await page.locator('[data-testid="terminal-status"][data-status="ended"]').waitFor();
        await byTestId('terminal-open-again').waitFor();
      },
    ],
    [
      'turn terminal recording on (API)',
      async () => {
        const settings = await apiCall('GET', '/api/v1/inventory/settings');
        const saved = await apiCall('PUT', '/api/v1/inventory/settings', { ...settings, terminal_recording: true });
        if (saved.terminal_recording !== true) throw new Error(`the setting reads ${JSON.stringify(saved.terminal_recording)} after saving`);
      },
    ],
    [
      'a recorded session: open again, run a command, exit',
      async () => {
        const ended = await byTestId('terminal-view').getAttribute('data-session-id');
        await byTestId('terminal-open-again').click();
        // The page selects the new session by its id in the address (`?s=`).
        await page.waitForURL((u) => ![null, ended].includes(u.searchParams.get('s')), { timeout: 30_000 });
        recordedSession = new URL(page.url()).searchParams.get('s');
        await page.locator(`[data-testid="terminal-view"][data-session-id="${recordedSession}"][data-status="connected"]`).waitFor({ timeout: 30_000 });
        await waitForScreen(page, '$');
        await page.locator('[data-testid="terminal-view"] .xterm').click();
        // The screen shows the command as typed; only its output has the marker itself.
        await page.keyboard.type(`echo ${REC_MARKER_CMD}`, { delay: 10 });
        await page.keyboard.press('Enter');
        await waitForScreen(page, REC_MARKER);
        await page.keyboard.type('exit', { delay: 10 });
        await page.keyboard.press('Enter');
        await page.locator('[data-testid="terminal-status"][data-status="ended"]').waitFor({ timeout: 15_000 });
      },
    ],
    [
      'the Recordings page lists the finished recording',
      async () => {
        // The session task seals the recording just after the session ends.
        const deadline = Date.now() + 10_000;
        for (;;) {
          const list = await apiCall('GET', '/api/v1/terminal/recordings');
          const rec = list.items.find((r) => r.id === recordedSession);
          if (rec?.ended_at) break;
          if (Date.now() > deadline) throw new Error(`recording ${recordedSession} not finished: ${JSON.stringify(list.items)}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        await byTestId('nav-recordings').click();
        await page.waitForURL((u) => u.pathname === '/recordings');
        const row = page.locator('[data-testid="recording-row"]').filter({ has: byTestId(`recording-open-${recordedSession}`) });
        await row.waitFor();
        const text = await row.innerText();
        if (!text.includes('e2e-ssh') || !text.includes(ADMIN)) throw new Error(`row does not show the host and user: ${JSON.stringify(text)}`);
        if (/In progress/.test(text)) throw new Error(`the finished recording is shown in progress: ${JSON.stringify(text)}`);
        const rows = await page.locator('[data-testid="recording-row"]').count();
        if (rows !== 1) throw new Error(`${rows} recordings listed; only the session opened after turning recording on should be`);
      },
    ],
    [
      'the player replays the recorded output',
      async () => {
        await byTestId(`recording-open-${recordedSession}`).click();
        await byTestId('recording-player').waitFor();
        await page.locator('[data-testid="recording-terminal"] .xterm-rows').waitFor();
        const title = await page.locator('.mantine-Modal-title').innerText();
        if (!title.includes('e2e-ssh') || !title.includes(ADMIN)) throw new Error(`player title reads ${JSON.stringify(title)}`);
        // Before playing, the screen is empty.
        if ((await recordingText(page)).includes(REC_MARKER)) throw new Error('the marker is shown before playing');
        await byTestId('recording-speed').getByText('4×', { exact: true }).click();
        await byTestId('recording-play').click();
        await waitForRecording(page, REC_MARKER, true);
        if ((await recordingText(page)).includes(REC_MARKER_CMD) === false) throw new Error('the typed command is missing from the replay');
        // Playback stops at the end, showing the full duration.
        await page.locator('[data-testid="recording-play"][aria-label="Play"]').waitFor({ timeout: 15_000 });
        const [at, total] = (await byTestId('recording-time').innerText()).split('/').map((s) => s.trim());
        if (at !== total) throw new Error(`playback stopped at ${at} of ${total}`);
        endScreen = await settledRecordingText(page);
      },
    ],
    [
      'seeking with the slider rewinds and replays the screen',
      async () => {
        const thumb = byTestId('recording-player').locator('.mantine-Slider-thumb');
        await thumb.focus();
        await page.keyboard.press('Home');
        await waitForRecording(page, REC_MARKER, false);
        const at = (await byTestId('recording-time').innerText()).split('/')[0].trim();
        if (at !== '0:00') throw new Error(`after Home the position reads ${at}`);
        // Dragging the thumb to the far end of the track shows the last frame again.
        const track = await byTestId('recording-seek').boundingBox();
        const box = await thumb.boundingBox();
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(track.x + track.width + 40, box.y + box.height / 2, { steps: 5 });
        await page.mouse.up();
        await waitForRecording(page, REC_MARKER, true);
        const screen = await settledRecordingText(page);
        if (screen !== endScreen) throw new Error(`the end of the track shows another screen than the end of playback: ${JSON.stringify(screen.trim())} vs ${JSON.stringify(endScreen.trim())}`);
        await page.keyboard.press('Escape');
        await byTestId('recording-player').waitFor({ state: 'detached' });
      },
    ],
    [
      'hosts table: select e2e-ssh → Run command… shows the live target count',
      async () => {
        await byTestId('nav-hosts').click();
        await page.waitForURL((u) => u.pathname === '/hosts');
        await page.getByLabel('Select e2e-ssh', { exact: true }).check();
        await byTestId('bulk-run-command').click();
        await byTestId('run-command-form').waitFor();
        await page.locator('[data-testid="targets-count"][data-count="1"]').waitFor({ timeout: 10_000 });
        const hosts = (await byTestId('targets-hosts').innerText()).trim();
        if (hosts !== 'e2e-ssh') throw new Error(`the form resolves to ${JSON.stringify(hosts)}`);
      },
    ],
    [
      'submitting a command opens its run page',
      async () => {
        await byTestId('run-command-input').fill(`echo ${RUN_MARKER_CMD}`);
        const summary = await byTestId('run-summary-line').innerText();
        if (!summary.includes(RUN_MARKER_CMD) || !/1\b/.test(summary)) throw new Error(`summary line reads ${JSON.stringify(summary)}`);
        await byTestId('run-submit').click();
        await page.waitForURL((u) => /^\/runs\/[0-9a-f-]{36}$/.test(u.pathname));
        runId = new URL(page.url()).pathname.split('/').pop();
      },
    ],
    [
      'the run page shows the host output live and the run succeeds',
      async () => {
        await page.waitForFunction((m) => (document.querySelector('[data-testid="run-output"]')?.textContent ?? '').includes(m), RUN_MARKER, { timeout: 30_000 });
        const output = await byTestId('run-output').innerText();
        if (output.includes(RUN_MARKER_CMD)) throw new Error(`the output shows the command, not its result: ${JSON.stringify(output)}`);
        if (!/e2e-ssh\s*\|\s*e2e-run-42/.test(output)) throw new Error(`the merged line is not prefixed with the host: ${JSON.stringify(output)}`);
        await page.locator('[data-testid="run-header"] [data-testid="run-status"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
        await page.locator('[data-testid="run-host-e2e-ssh"] [data-testid="run-host-status"][data-status="succeeded"]').waitFor();
        const exit = (await byTestId('run-host-e2e-ssh').locator('[data-testid="run-host-exit"]').innerText()).trim();
        if (exit !== '0') throw new Error(`exit code shown as ${JSON.stringify(exit)}`);
        await byTestId('summary-succeeded').waitFor();
      },
    ],
    [
      'the Runs page lists the run',
      async () => {
        await byTestId('nav-runs').click();
        await page.waitForURL((u) => u.pathname === '/runs');
        const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
        await row.waitFor();
        const text = await row.innerText();
        if (!text.includes(`echo ${RUN_MARKER_CMD}`) || !text.includes(ADMIN)) throw new Error(`row reads ${JSON.stringify(text)}`);
        const status = await row.locator('[data-testid="run-status"]').getAttribute('data-status');
        if (status !== 'succeeded') throw new Error(`row status is ${status}`);
        await byTestId('runs-search').fill('e2e-run');
        await row.waitFor();
        // Filters and sort live in the URL: a reload shows the same view.
        await page.waitForURL((u) => u.searchParams.get('q') === 'e2e-run');
        await byTestId('sort-title').click();
        await page.waitForURL((u) => u.searchParams.get('sort') === 'title');
        await page.reload();
        await row.waitFor();
        const restored = await byTestId('runs-search').inputValue();
        if (restored !== 'e2e-run') throw new Error(`after a reload the search reads ${JSON.stringify(restored)}`);
        const sorted = await page.locator('th:has([data-testid="sort-title"])').getAttribute('aria-sort');
        if (sorted !== 'ascending') throw new Error(`after a reload the title column is sorted ${sorted}`);
        await byTestId(`run-link-${runId}`).click();
        await page.waitForURL((u) => u.pathname === `/runs/${runId}`);
        await page.waitForFunction((m) => (document.querySelector('[data-testid="run-output"]')?.textContent ?? '').includes(m), RUN_MARKER, { timeout: 15_000 });
      },
    ],
    [
      'playbook wizard: the content step validates the YAML',
      async () => {
        await byTestId('nav-playbooks').click();
        await page.waitForURL((u) => u.pathname === '/playbooks');
        await byTestId('playbooks-new').click();
        await page.waitForURL((u) => u.pathname === '/playbooks/new');
        await byTestId('wizard-panel-content').waitFor();
        await byTestId('playbook-name').fill(PLAYBOOK_NAME);
        await byTestId('playbook-content').fill(PLAYBOOK_YAML);
        // The server parses it (debounced): a valid playbook shows the green check.
        await page.locator('[data-testid="playbook-validation"][data-valid="true"]').waitFor({ timeout: 15_000 });
        await byTestId('wizard-next').click();
        await byTestId('wizard-panel-targets').waitFor();
      },
    ],
    [
      'playbook wizard: a rule targets e2e-ssh with a live count',
      async () => {
        const panel = byTestId('wizard-panel-targets');
        await panel.locator('[data-testid="targets-rule"]').fill(PLAYBOOK_RULE);
        await panel.locator('[data-testid="targets-count"][data-count="1"]').waitFor({ timeout: 10_000 });
        const hosts = (await panel.locator('[data-testid="targets-hosts"]').innerText()).trim();
        if (hosts !== 'e2e-ssh') throw new Error(`the rule resolves to ${JSON.stringify(hosts)}`);
      },
    ],
    [
      'playbook wizard: variables → options → schedule (left off) → review, save opens the playbook',
      async () => {
        await byTestId('wizard-next').click();
        await byTestId('wizard-panel-variables').waitFor();
        await byTestId('wizard-next').click();
        await byTestId('options-editor').waitFor();
        await byTestId('wizard-next').click();
        await byTestId('wizard-panel-schedule').waitFor();
        if (await byTestId('wizard-schedule-toggle').isChecked()) throw new Error('the schedule step starts switched on');
        await byTestId('wizard-next').click();
        const review = byTestId('wizard-review');
        await review.waitFor();
        const text = await review.innerText();
        if (!text.includes(PLAYBOOK_NAME) || !text.includes(PLAYBOOK_RULE)) throw new Error(`review reads ${JSON.stringify(text)}`);
        await byTestId('wizard-save').click();
        await page.waitForURL((u) => /^\/playbooks\/[0-9a-f-]{36}$/.test(u.pathname));
        playbookId = new URL(page.url()).pathname.split('/').pop();
        const title = (await byTestId('playbook-title').innerText()).trim();
        if (title !== PLAYBOOK_NAME) throw new Error(`detail page shows ${JSON.stringify(title)}`);
        const content = await byTestId('playbook-content-view').innerText();
        if (!content.includes('hello from e2e')) throw new Error(`overview shows the content ${JSON.stringify(content)}`);
      },
    ],
    [
      'launch screen: Dry run previews the command with --check --diff',
      async () => {
        await byTestId('playbook-launch').click();
        await page.waitForURL((u) => u.pathname === `/playbooks/${playbookId}/launch`);
        // The preview of the defaults arrives first, without the dry-run flags.
        await page.locator('[data-testid="launch-preview-hosts"][data-count="1"]').waitFor({ timeout: 15_000 });
        const before = await byTestId('launch-preview-command').innerText();
        if (!before.includes('ansible-playbook') || before.includes('--check')) throw new Error(`preview before the toggle reads ${JSON.stringify(before)}`);
        // The switch's input is visually hidden: click its label.
        await page.getByText('Dry run (check + diff)', { exact: true }).click();
        if (!(await byTestId('launch-dry-run').isChecked())) throw new Error('the Dry run switch did not turn on');
        await page.waitForFunction(() => (document.querySelector('[data-testid="launch-preview-command"]')?.textContent ?? '').includes('--check --diff'), null, { timeout: 15_000 });
        await byTestId('launch-preview-dry').waitFor();
        await page.locator('[data-testid="launch-preview-hosts"][data-count="1"]').waitFor();
        const submit = (await byTestId('launch-submit').innerText()).trim();
        if (submit !== 'Launch dry run') throw new Error(`the launch button reads ${JSON.stringify(submit)}`);
      },
    ],
    [
      'launching opens the run page and the run reaches a final status',
      async () => {
        await byTestId('launch-submit').click();
        await page.waitForURL((u) => /^\/runs\/[0-9a-f-]{36}$/.test(u.pathname), { timeout: 30_000 });
        playbookRunId = new URL(page.url()).pathname.split('/').pop();
        const title = (await byTestId('run-title').innerText()).trim();
        if (title !== `${PLAYBOOK_NAME} (dry run)`) throw new Error(`run title reads ${JSON.stringify(title)}`);
        // ansible-playbook starts in the server's worker; with a password credential and no
        // sshpass the host fails, which is fine here: only a final status is awaited.
        await page.waitForFunction(
          () => {
            const s = document.querySelector('[data-testid="run-header"] [data-testid="run-status"]')?.getAttribute('data-status');
            return Boolean(s) && s !== 'queued' && s !== 'running';
          },
          null,
          { timeout: 120_000 },
        );
        playbookRunStatus = await page.locator('[data-testid="run-header"] [data-testid="run-status"]').getAttribute('data-status');
        log(`playbook run ${playbookRunId} finished: ${playbookRunStatus}`);
      },
    ],
    [
      'the run page shows the per-host stats table and the log',
      async () => {
        const table = byTestId('playbook-hosts');
        await table.waitFor({ timeout: 15_000 });
        const head = await table.locator('thead').innerText();
        for (const col of ['Host', 'Status', 'OK', 'Changed', 'Failed', 'Unreachable', 'Skipped']) {
          if (!new RegExp(`\\b${col}\\b`, 'i').test(head)) throw new Error(`the stats table has no ${col} column: ${JSON.stringify(head)}`);
        }
        const row = byTestId('playbook-host-e2e-ssh');
        await row.waitFor();
        const rowText = await row.innerText();
        if (!rowText.includes(`${SSH_IP}:${sshPort}`)) throw new Error(`host row reads ${JSON.stringify(rowText)}`);
        // The host's status settles with the run's (the row is live-updated).
        await page.waitForFunction(
          () => {
            const s = document.querySelector('[data-testid="playbook-host-e2e-ssh"] [data-testid="run-host-status"]')?.getAttribute('data-status');
            return Boolean(s) && !['pending', 'queued', 'running'].includes(s);
          },
          null,
          { timeout: 30_000 },
        );
        const hostStatus = await row.locator('[data-testid="run-host-status"]').getAttribute('data-status');
        log(`host e2e-ssh: ${hostStatus}; row ${JSON.stringify(rowText.replace(/\s+/g, ' ').trim())}`);
        // The windowed log viewer renders lines of ansible-playbook's output.
        await page.locator('[data-testid="playbook-log"] [data-testid="log-line"]').first().waitFor({ timeout: 30_000 });
        const lines = Number(await byTestId('playbook-log').getAttribute('data-lines'));
        if (!(lines > 0)) throw new Error(`the log reports ${lines} lines`);
        const logText = await byTestId('playbook-log').innerText();
        if (!/PLAY|e2e-ssh|hello/i.test(logText)) throw new Error(`the log shows ${JSON.stringify(logText.slice(0, 400))}`);
        if (playbookRunStatus === 'succeeded' && !logText.includes('hello from e2e')) throw new Error(`the succeeded run's log lacks the debug message: ${JSON.stringify(logText.slice(0, 400))}`);
        // The task timeline is read again once the run has ended: the task is listed with the host.
        const task = page.locator('[data-testid="task-timeline"] [data-testid="task-row"]').filter({ hasText: 'hello' });
        await task.waitFor({ timeout: 15_000 });
        const result = task.locator('[data-testid="task-result"]').filter({ hasText: 'e2e-ssh' });
        await result.waitFor();
        log(`task hello on e2e-ssh: ${await result.getAttribute('data-status')}`);
        // The parameters name the playbook and version and show the dry run's command line.
        const params = await byTestId('run-parameters').innerText();
        if (!params.includes(`${PLAYBOOK_NAME} (v1)`) || params.includes(`${PLAYBOOK_NAME} (dry run)`) || !/ansible-playbook .*--check --diff/.test(params)) throw new Error(`parameters read ${JSON.stringify(params)}`);
      },
    ],
    [
      'the Runs page lists the playbook run',
      async () => {
        await byTestId('nav-runs').click();
        await page.waitForURL((u) => u.pathname === '/runs');
        const row = page.locator(`[data-testid="run-row"][data-run-id="${playbookRunId}"]`);
        await row.waitFor();
        const text = await row.innerText();
        if (!/\bPlaybook\b/.test(text) || !text.includes(PLAYBOOK_NAME) || !text.includes(ADMIN)) throw new Error(`row reads ${JSON.stringify(text)}`);
        const status = await row.locator('[data-testid="run-status"]').getAttribute('data-status');
        if (status !== playbookRunStatus) throw new Error(`row status is ${status}, the run page showed ${playbookRunStatus}`);
        await byTestId(`run-link-${playbookRunId}`).click();
        await page.waitForURL((u) => u.pathname === `/runs/${playbookRunId}`);
        await byTestId('playbook-hosts').waitFor();
      },
    ],
    [
      'no Content-Security-Policy violations were reported',
      async () => {
        if (cspAdded) log('the server sent no Content-Security-Policy; the test added the expected one');
        const violations = consoleLines.filter((l) => /Content Security Policy/i.test(l));
        if (violations.length) throw new Error(`CSP violations: ${violations.slice(0, 3).join(' | ')}`);
      },
    ],
  ]);

  writeFileSync(join(artifacts, 'console.log'), consoleLines.join('\n'));
}

let fatal = null;
try {
  await main();
} catch (e) {
  fatal = e instanceof Error ? e.message : String(e);
  log(`FAIL setup: ${fatal}`);
} finally {
  await browser?.close().catch(() => undefined);
  await stopSshd();
  await stopServer();
  if (tmp && !process.env.E2E_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (fatal ? 1 : 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
