// The web app served by hoistd, in headless Chromium (playwright-core with Debian's
// /usr/bin/chromium), against real hoistd processes: sign in, uploads checked by the
// server's SHA-256, dedup, pause and resume, a reload and a server restart mid-upload,
// an unreadable file, the library's download and delete, share links opened in a fresh
// browser context, sign out, and the CSP.
// HOISTD_LOG_LEVEL=info shows hoistd's request log while it runs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

const require = createRequire(path.join(process.env.HOIST_WEB_DIR, 'package.json'));
const { chromium } = require('playwright-core');

const HOISTD = process.env.HOISTD_PATH;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TOKEN = 'web-app-test-token-of-alice';
const MiB = 1024 * 1024;
const CHUNK = 8 * MiB; // the server's chunk size for files this small (docs/protocol.md)

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hoist-web-'));
const dataDir = path.join(work, 'data');
let server;
let browser;
let page;
const consoleErrors = [];
const pageErrors = [];

// hoistd on 127.0.0.1:port (0: a free one), ready once it printed its address. The
// cases that count chunks through the gate one by one run with sequential sessions
// (a window of 1); the parallel chunks case restarts it with a wider window.
function startHoistd(port = 0, window = 1) {
  const child = spawn(
    HOISTD,
    ['--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--token', `${TOKEN}:alice`,
      '--max-parallel-chunks', String(window),
      '--log-level', process.env.HOISTD_LOG_LEVEL ?? 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hoistd did not start in 15 s')), 15000);
    let out = '';
    child.stdout.on('data', (data) => {
      out += data;
      const match = out.match(/listening on (http:\/\/\S+)/);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, url: match[1], port: Number(new URL(match[1]).port) });
    });
    child.on('exit', (code) => reject(new Error(`hoistd exited with ${code}`)));
  });
}

function killHoistd(signal) {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill(signal);
  return exited;
}

// A request straight to hoistd on a connection of its own (no keep-alive to race
// with a restarted server).
function request(method, urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { host: '127.0.0.1', port: server.port, method, path: urlPath, headers, agent: false },
      (response) => {
        const parts = [];
        response.on('data', (part) => parts.push(part));
        response.on('end', () =>
          resolve({ status: response.statusCode, headers: response.headers,
            body: Buffer.concat(parts).toString() }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function api(method, urlPath) {
  return request(method, urlPath, { Authorization: `Bearer ${TOKEN}` });
}

async function serverFiles() {
  return JSON.parse((await api('GET', '/files')).body).files;
}

async function bytesReceived() {
  const text = (await api('GET', '/metrics')).body;
  return Number(text.match(/^hoistd_bytes_received_total (\d+)/m)[1]);
}

function makeFile(name, size) {
  const file = path.join(work, name);
  fs.writeFileSync(file, crypto.randomBytes(size));
  return file;
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function assertOnServer(file) {
  const name = path.basename(file);
  const found = (await serverFiles()).filter((f) => f.fileName === name);
  assert.equal(found.length, 1, `${name} is once in /files`);
  assert.equal(found[0].fingerprint, sha256(file), `${name}'s SHA-256 on the server`);
  assert.equal(found[0].size, fs.statSync(file).size);
}

function row(name) {
  return page.locator('li.upload').filter({ has: page.locator('.name', { hasText: name }) }).last();
}

async function expectState(name, text, timeout = 60000) {
  try {
    await row(name).locator('.state').filter({ hasText: text }).waitFor({ timeout });
  } catch (error) {
    const rows = await page.locator('li.upload').allInnerTexts().catch(() => []);
    throw new Error(`${name} is not "${text}"; the rows: ${JSON.stringify(rows)}`, { cause: error });
  }
}

async function progress(name) {
  return Number(await row(name).getByRole('progressbar').getAttribute('aria-valuenow'));
}

// The browser's way to hoistd: a proxy that forwards everything and can hold chunk
// PUTs: `allow(n)` lets n more through, the rest wait until `open()`; `held()`
// resolves once one waits. Held in Node rather than in the browser, since routing
// 8 MiB bodies through the DevTools protocol is slow.
class ChunkGate {
  constructor() {
    this.offsets = [];
    this.allowed = Infinity;
    this.waiting = [];
    this.onHeld = null;
  }

  async start() {
    this.proxy = http.createServer((request, response) => this.#take(request, response));
    await new Promise((resolve) => this.proxy.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${this.proxy.address().port}`;
  }

  stop() {
    this.proxy.closeAllConnections();
    this.proxy.close();
  }

  #take(request, response) {
    const parts = [];
    request.on('data', (part) => parts.push(part));
    request.on('end', () => {
      const body = Buffer.concat(parts);
      if (request.method === 'PUT' && /^\/upload\/[0-9a-f-]{36}$/.test(request.url)) {
        this.offsets.push(Number(request.headers['x-upload-offset']));
        if (this.allowed <= 0) {
          this.waiting.push(() => this.#forward(request, body, response));
          this.onHeld?.();
          return;
        }
        this.allowed -= 1;
      }
      this.#forward(request, body, response);
    });
  }

  // A held request whose browser gave up (pause, reload) is dropped, never sent.
  #forward(request, body, response) {
    if (response.destroyed || request.socket.destroyed) return;
    const upstream = http.request(
      { host: '127.0.0.1', port: server.port, method: request.method, path: request.url,
        headers: request.headers, agent: false },
      (answer) => {
        response.writeHead(answer.statusCode, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (response.headersSent) return response.destroy();
      response.writeHead(502, { 'Content-Type': 'application/json' });
      response.end('{"error":"bad_gateway","message":"hoistd is down"}');
      return undefined;
    });
    upstream.end(body);
  }

  allow(n) {
    this.allowed = n;
    this.offsets = [];
  }

  held() {
    return new Promise((resolve) => {
      this.onHeld = resolve;
    });
  }

  open() {
    this.allowed = Infinity;
    for (const forward of this.waiting.splice(0)) forward();
  }
}
const gate = new ChunkGate();

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/install-deps.sh test`);
  server = await startHoistd();
  await gate.start();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const context = await browser.newContext();
  page = await context.newPage();
  page.setDefaultTimeout(60000);
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

after(async () => {
  await browser?.close();
  gate.stop();
  if (server && server.child.exitCode === null) await killHoistd('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
});

test('the page and its assets come with a strict CSP and cache headers', async () => {
  const index = await request('GET', '/');
  assert.equal(index.status, 200);
  assert.match(index.headers['content-type'], /^text\/html/);
  const csp = index.headers['content-security-policy'];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  assert.equal(index.headers['cache-control'], 'no-cache');
  assert.doesNotMatch(index.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');

  const script = index.body.match(/<script[^>]*src="([^"]+)"/)[1];
  const asset = await request('GET', script);
  assert.equal(asset.status, 200);
  assert.match(asset.headers['content-type'], /^text\/javascript/);
  assert.match(asset.headers['cache-control'], /immutable/);
  assert.match(asset.headers['content-security-policy'], /default-src 'none'/);
  const again = await request('GET', script, { 'If-None-Match': asset.headers.etag });
  assert.equal(again.status, 304);

  assert.equal((await request('GET', '/assets/missing.js')).status, 404);
  assert.equal((await request('GET', '/healthz')).status, 200, 'the API is not shadowed');
});

test('a wrong access token is refused with a clear message', async () => {
  await page.goto(gate.url + '/');
  await page.getByLabel('Access token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('hoist.token')), null);
});

test('signs in and uploads two files the server stores with their SHA-256', async () => {
  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Upload' }).waitFor();
  const a = makeFile('a.bin', 3 * MiB + 17);
  const b = makeFile('b.bin', CHUNK + 5);
  await page.setInputFiles('#file-input', [a, b]);
  await expectState('a.bin', 'Done');
  await expectState('b.bin', 'Done');
  assert.equal(await progress('a.bin'), 100);
  assert.equal(await progress('b.bin'), 100);
  await assertOnServer(a);
  await assertOnServer(b);
});

test('the same file again is "Already on server" without sending a byte', async () => {
  gate.allow(Infinity);
  await page.setInputFiles('#file-input', [path.join(work, 'a.bin')]);
  await expectState('a.bin', 'Already on server');
  assert.equal(await progress('a.bin'), 100);
  assert.deepEqual(gate.offsets, []);
});

test('pause stops at the server-confirmed bytes and resume finishes', async () => {
  const c = makeFile('c.bin', CHUNK + 2 * MiB);
  gate.allow(1);
  const held = gate.held();
  await page.setInputFiles('#file-input', [c]);
  await held;
  await row('c.bin').getByRole('button', { name: 'Pause c.bin' }).click();
  await expectState('c.bin', 'Paused');
  assert.equal(await progress('c.bin'), 80, 'one chunk of 8 MiB out of 10 MiB confirmed');
  gate.open();
  await row('c.bin').getByRole('button', { name: 'Resume c.bin' }).click();
  await expectState('c.bin', 'Done');
  assert.equal(gate.offsets.at(-1), CHUNK);
  await assertOnServer(c);
});

test('a reload mid-upload resumes from the server offset, sending each byte once', async () => {
  const d = makeFile('d.bin', CHUNK + 2 * MiB);
  const before = await bytesReceived();
  gate.allow(1);
  const held = gate.held();
  await page.setInputFiles('#file-input', [d]);
  await held;
  await page.waitForFunction(() =>
    document.querySelector('li.upload:last-child [role=progressbar]').getAttribute('aria-valuenow') === '80');
  await page.reload();
  await page.locator('.notice').filter({ hasText: 'd.bin' }).waitFor();
  gate.allow(Infinity);
  gate.open();
  await page.setInputFiles('#file-input', [d]);
  await expectState('d.bin', 'Done');
  assert.equal(gate.offsets[0], CHUNK, 'the first chunk after the reload is the second');
  assert.equal((await bytesReceived()) - before, CHUNK + 2 * MiB, 'bytes received once');
  await assertOnServer(d);
});

test('hoistd killed and restarted mid-upload: the upload retries and completes', async () => {
  const e = makeFile('e.bin', CHUNK + 1);
  gate.allow(1);
  const held = gate.held();
  await page.setInputFiles('#file-input', [e]);
  await held;
  await killHoistd('SIGKILL');
  gate.open();
  await expectState('e.bin', 'retrying');
  server = await startHoistd(server.port);
  await expectState('e.bin', 'Done', 90000);
  await assertOnServer(e);
});

test('a file that can no longer be read fails with a clear reason', async () => {
  const f = makeFile('f.bin', CHUNK + MiB);
  gate.allow(0);
  const held = gate.held();
  await page.setInputFiles('#file-input', [f]);
  await held;
  fs.writeFileSync(f, crypto.randomBytes(CHUNK));
  gate.open();
  await expectState('f.bin', 'Failed: The file can no longer be read: select it again');
});

test('with a window granted, several chunks of one file are in flight at once', async () => {
  await killHoistd('SIGTERM');
  server = await startHoistd(server.port, 4);
  const g = makeFile('g.bin', 3 * CHUNK + MiB);
  gate.allow(0);
  await page.setInputFiles('#file-input', [g]);
  const started = Date.now();
  while (gate.waiting.length < 2) {
    assert.ok(Date.now() - started < 60000, `only ${gate.waiting.length} chunk PUT in flight`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  gate.open();
  await expectState('g.bin', 'Done');
  await assertOnServer(g);
});

test('the library lists, downloads byte-identical files and deletes after confirming', async () => {
  await page.getByRole('link', { name: 'Library' }).click();
  const table = page.locator('table.files');
    for (const name of ['a.bin', 'b.bin', 'c.bin', 'd.bin', 'e.bin'])
    await table.getByRole('cell', { name, exact: true }).waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download c.bin' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'c.bin');
  assert.ok(fs.readFileSync(await download.path()).equals(fs.readFileSync(path.join(work, 'c.bin'))));
  // A navigation the browser streams to disk (through a short-lived share link), not a
  // Blob the page assembled in memory.
  assert.match(download.url(), /\/s\/[A-Za-z0-9_-]{43}\?download=1$/);

  await page.getByRole('button', { name: 'Delete b.bin' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Delete b.bin? This cannot be undone.').waitFor();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await table.getByRole('cell', { name: 'b.bin', exact: true }).waitFor({ state: 'detached' });
  assert.deepEqual((await serverFiles()).filter((f) => f.fileName === 'b.bin'), []);
});

// The library's share panel: the address is shown once, when made; then the link is
// listed by its dates. A fresh browser context (no token, nothing in sessionStorage)
// downloads through it until it is revoked or expires.
test('a share link made in the library works without a token until revoked or expired', async () => {
  const c = fs.readFileSync(path.join(work, 'c.bin'));
  await page.getByRole('button', { name: 'Share c.bin' }).click();
  const panel = page.locator('.share-panel:not([hidden])');
  const expiry = panel.getByLabel('Link expires in');
  const created = panel.getByLabel('New share link');
  await expiry.selectOption('3600');
  // The download above made a short-lived link to c.bin too, maybe within the same
  // second (the list's order then is the link ids'): this test's link is the new id.
  const listed = panel.locator('ul.links li');
  const linkIds = () => listed.evaluateAll((items) => items.map((item) => item.dataset.linkId));
  await panel.getByText(/^(Live links|No live share links)/).waitFor();
  const before = await linkIds();
  await panel.getByRole('button', { name: 'Create link' }).click();
  await created.waitFor();
  const url = await created.inputValue();
  assert.match(url, /\/s\/[A-Za-z0-9_-]{43}$/);
  await panel.getByText('cannot be shown again').waitFor();
  const live = before.length + 1;
  await page.waitForFunction(
    (count) => document.querySelectorAll('.share-panel:not([hidden]) ul.links li').length === count,
    live,
  );
  const mine = (await linkIds()).filter((id) => !before.includes(id));
  assert.equal(mine.length, 1);
  assert.doesNotMatch(await panel.locator('ul.links').innerText(), /\/s\//, 'no address in the list');

  const stranger = await browser.newContext();
  try {
    const visitor = await stranger.newPage();
    await visitor.goto(url);
    const [download] = await Promise.all([
      visitor.waitForEvent('download'),
      visitor.getByRole('link', { name: 'Download' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'c.bin');
    assert.ok(fs.readFileSync(await download.path()).equals(c), 'byte-identical without a token');

    await panel.locator(`ul.links li[data-link-id="${mine[0]}"]`).getByRole('button', { name: /^Revoke/ }).click();
    await page.waitForFunction(
      (count) => document.querySelectorAll('.share-panel:not([hidden]) ul.links li').length === count,
      live - 1,
    );
    assert.equal((await stranger.request.get(url)).status(), 404, 'revoked');

    // The app offers an hour at least: a 5-second choice is added to its list.
    await expiry.evaluate((select) => select.append(new Option('5 seconds', '5')));
    await expiry.selectOption('5');
    const made = Date.now();
    await panel.getByRole('button', { name: 'Create link' }).click();
    await page.waitForFunction(
      (previous) => document.querySelector('.share-panel:not([hidden]) .new-link input').value !== previous,
      url,
    );
    const short = await created.inputValue();
    const early = await stranger.request.get(short);
    assert.equal(early.status(), 200);
    assert.ok((await early.body()).equals(c));
    await new Promise((resolve) => setTimeout(resolve, made + 6000 - Date.now()));
    assert.equal((await stranger.request.get(short)).status(), 404, 'expired');
  } finally {
    await stranger.close();
  }
});

test('sign out forgets the token', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Access token').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('hoist.token')), null);
});

test('no CSP violation and no script error on any page load', () => {
  assert.deepEqual(consoleErrors.filter((text) => /CSP|Content Security Policy|Refused to/.test(text)), []);
  assert.deepEqual(pageErrors, []);
});
