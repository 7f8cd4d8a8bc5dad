// The landing page in a real browser (Debian's chromium, headless) against a real server.
// Needs STADTLAB_BIN (the `stadtlab` binary); run by scripts/test.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, copyFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = process.env.STADTLAB_BIN;
const OUT = process.env.STADTLAB_TEST_OUT ?? tmpdir();
let server, browser, base;

const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

before(async () => {
  assert.ok(BIN, 'set STADTLAB_BIN to the stadtlab binary');
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-browser-'));
  const scenes = join(data, 'scenes');
  mkdirSync(scenes);
  copyFileSync(join(ROOT, 'scenes/stadtlabor.toml'), join(scenes, 'stadtlabor.toml'));
  writeFileSync(join(scenes, 'kammer.toml'), `
name = "kammer"
title = { de = "Kammer", en = "Chamber" }
capacity = 1
floors = [{ min = [0, 0], max = [4, 4] }]
spawns = [{ pos = [2, 2] }]
`);
  // The landing page alone, without a built 3D client: the page must say it is missing.
  const web = join(data, 'web');
  mkdirSync(web);
  for (const f of ['index.html', 'landing.js', 'page.js', 'client-start.js', 'typing-line.js', 'programme-view.js', 'style.css']) copyFileSync(join(ROOT, 'web', f), join(web, f));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['--data-dir', data, '--scenes-dir', scenes, '--web-dir', web,
    '--http', `127.0.0.1:${port}`, '--udp-port', '0', '--webtransport-port', '0', '--websocket-port', '0', '--voice-port', '0'],
    { stdio: 'ignore', env: { ...process.env, STADTLAB_LOG: 'warn' } });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function page(path, locale = 'de-DE') {
  const context = await browser.newContext({ locale });
  const p = await context.newPage();
  await p.goto(`${base}${path}`);
  return p;
}

const status = (p) => p.locator('#status');

test('shows the room and who is inside, in German by default', async () => {
  const p = await page('/r/stadtlabor');
  await p.locator('#room-title', { hasText: 'stadtLABOR Soest' }).waitFor();
  assert.equal(await p.locator('#room-people').textContent(), '0 von 200 Personen im Raum');
  assert.equal(await p.locator('label[for=name]').textContent(), 'Ihr Name');
  await p.locator('#lang').click();
  assert.equal(await p.locator('label[for=name]').textContent(), 'Your name');
  assert.equal(await p.locator('#room-people').textContent(), '0 of 200 people in the room');
});

test('explains bad names in plain words', async () => {
  const p = await page('/r/stadtlabor');
  await p.locator('#room-title', { hasText: 'stadtLABOR Soest' }).waitFor();
  await p.fill('#name', 'A');
  await p.press('#name', 'Enter');
  await status(p).filter({ hasText: 'zu kurz' }).waitFor();
  await p.fill('#name', 'Moderator');
  await p.click('#join');
  await status(p).filter({ hasText: 'dem Team vorbehalten' }).waitFor();
});

test('a good name reserves a seat and says the 3D client is missing', async () => {
  const p = await page('/r/stadtlabor');
  await p.locator('#room-title', { hasText: 'stadtLABOR Soest' }).waitFor();
  await p.fill('#name', 'Anna Schmidt');
  await p.keyboard.press('Tab'); // keyboard reaches the colours
  await p.keyboard.press('ArrowRight');
  assert.equal(await p.locator('input[name=color]:checked').getAttribute('value'), '#d20f39');
  assert.equal(await p.getByRole('radio', { name: 'Rot' }).isChecked(), true);
  await p.click('#join');
  await status(p).filter({ hasText: 'noch nicht installiert' }).waitFor();
  const session = await p.evaluate(() => localStorage.getItem('stadtlab.session.stadtlabor'));
  assert.match(session, /^[0-9a-f]{32}$/);
  assert.equal(await p.evaluate(() => window.stadtlabTicket), undefined);
  await p.screenshot({ path: join(OUT, 'landing.png'), fullPage: true });
});

test('a full room and an unknown room are said so', async () => {
  const first = await page('/r/kammer', 'en-GB');
  await first.locator('#room-title', { hasText: 'Chamber' }).waitFor();
  await first.fill('#name', 'Ben');
  await first.click('#join');
  await status(first).filter({ hasText: 'not installed' }).waitFor();
  const second = await page('/r/kammer', 'en-GB');
  await second.locator('#room-title', { hasText: 'Chamber' }).waitFor();
  await second.fill('#name', 'Cem');
  await second.click('#join');
  await status(second).filter({ hasText: 'The room is full' }).waitFor();
  const nowhere = await page('/r/nowhere');
  await status(nowhere).filter({ hasText: 'gibt es nicht' }).waitFor();
});
