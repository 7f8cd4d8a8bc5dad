// The exhibition's whole path in real browsers: staff sign in and make an invite; an exhibitor
// opens the invite link, drops a model on the upload page and reads the report; staff approve
// it on the staff page; a visitor already in the lab sees it appear, inspects it, and sees it
// vanish when staff hide it. Needs STADTLAB_BIN and a built client (scripts/build-web.sh --fast).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, signInStaff, sleep, startServer, until } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = process.env.STADTLAB_TEST_OUT ?? tmpdir();
const PASSWORD = 'correct-horse-battery';
let server, browser, base;


before(async () => {
  assert.ok(process.env.STADTLAB_BIN, 'set STADTLAB_BIN to the stadtlab binary');
  assert.ok(existsSync(join(ROOT, 'web/client/manifest.json')), 'build the client first: scripts/build-web.sh --fast');
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-exhibition-'));
  const common = ['--data-dir', data, '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web')];
  const made = spawnSync(process.env.STADTLAB_BIN, [...common, 'admin', 'create-user', 'anna'],
    { env: { ...process.env, STADTLAB_ADMIN_PASSWORD: PASSWORD }, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  ({ server, base } = await startServer(common));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROME_ARGS });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function page(name, viewport = { width: 900, height: 700 }) {
  const context = await browser.newContext({ locale: 'de-DE', viewport });
  const p = await context.newPage();
  p.on('console', (m) => { if (m.type() === 'error') console.error(`[${name}] ${m.text()}`); });
  return p;
}

const state = (p) => p.evaluate(() => window.stadtlab?.state?.() ?? null);

test('invite, upload with report, approval live in the lab, inspect, hide', async () => {
  // A visitor is already walking the lab: the default exhibition greets her.
  const visitor = await page('visitor', { width: 640, height: 400 });
  await visitor.goto(`${base}/r/stadtlabor?transport=websocket`);
  await visitor.fill('#name', 'Hanna');
  await visitor.click('#join');
  await until('the default exhibition in the client', async () => {
    const st = await state(visitor);
    return st?.status === 'connected' && st.exhibits.length >= 12 && st.exhibits.some((e) => e.model_loaded);
  });

  // The help card of a first visit covers the view: she reads it and closes it.
  await visitor.locator('#stadtlab-canvas').focus();
  await visitor.keyboard.press('Escape');
  await until('help closed', async () => !(await state(visitor)).panels.includes('help'), 30);

  // She clicks the DiLAS model across the room (slot nw-3 at x 1.0, z 10.6; its middle 1.35 m
  // up): the click picks the exhibit and opens its inspect view. Where it is on screen follows
  // from her position, looking north (the first spawn faces +Z), fov 70° vertical.
  const me = (await state(visitor)).me.pos;
  const [w, h, eye, tan] = [640, 400, me[1] + 1.45, Math.tan((70 / 2) * Math.PI / 180)];
  const d = [1.0 - me[0], 1.35 - eye, 10.6 - me[2]];
  const x = ((-d[0] / (d[2] * tan * (w / h))) + 1) / 2 * w;
  const y = (1 - d[1] / (d[2] * tan)) / 2 * h;
  await visitor.mouse.click(x, y);
  await until('the clicked exhibit opens', async () => (await state(visitor)).inspecting === 'dilas', 60);
  await visitor.keyboard.press('Escape');
  await until('closed again', async () => (await state(visitor)).inspecting === null, 30);

  // Staff sign in and make an invite link.
  const staff = await page('staff');
  await signInStaff(staff, base, 'anna', PASSWORD);
  await staff.fill('#invite-label', 'Gymnasium Soest, 9b');
  await staff.click('#invite-form button[type=submit]');
  const link = await staff.locator('#new-invite code').textContent();
  assert.match(link, /\/upload#invite=/);

  // The exhibitor uploads a model through the page (drop zone's file input) and reads the report.
  const model = Buffer.from(await (await fetch(`${base}/api/exhibits/vogelhaus/model`)).arrayBuffer());
  const exhibitor = await page('exhibitor');
  await exhibitor.goto(link);
  await exhibitor.locator('#invite-info', { hasText: 'Gymnasium Soest' }).waitFor();
  await exhibitor.selectOption('#zone', 'technik-erlebbar');
  await exhibitor.fill('#title_de', 'Nistkasten der 9b');
  await exhibitor.fill('#text_de', 'Unser Nistkasten mit Temperatursensor, gebaut im Technikunterricht.');
  await exhibitor.fill('#organisation', 'Gymnasium Soest');
  await exhibitor.fill('#link', 'https://www.soest.de');
  await exhibitor.setInputFiles('#file', { name: 'nistkasten.glb', mimeType: 'model/gltf-binary', buffer: model });
  // A photo for the panel: a JPEG (the visitor's view, as Chromium encodes it).
  const photo = await visitor.screenshot({ type: 'jpeg', quality: 80 });
  await exhibitor.setInputFiles('#images', { name: 'foto.jpg', mimeType: 'image/jpeg', buffer: photo });
  await exhibitor.click('#send');
  await exhibitor.locator('#status', { hasText: 'Angenommen' }).waitFor({ timeout: 30000 });
  const figures = await exhibitor.locator('#figures').textContent();
  assert.match(figures, /Dreiecke/);
  assert.equal(await exhibitor.locator('#problems li').count(), 0);
  await exhibitor.locator('#my-exhibits li[data-status=pending]').waitFor();
  await exhibitor.screenshot({ path: join(OUT, 'upload-page.png'), fullPage: true });

  // A broken file gets its reasons on the page.
  await exhibitor.fill('#title_de', 'Kaputt');
  await exhibitor.fill('#text_de', 'Keine echte Datei.');
  await exhibitor.fill('#organisation', 'Gymnasium Soest');
  await exhibitor.setInputFiles('#file', { name: 'kaputt.glb', mimeType: 'model/gltf-binary', buffer: Buffer.from('glTF nicht wirklich') });
  await exhibitor.setInputFiles('#images', []);
  await exhibitor.click('#send');
  await exhibitor.locator('#problems li').first().waitFor({ timeout: 30000 });

  // Staff see it pending with its picture and report, and approve it.
  await staff.reload();
  const card = staff.locator('#pending .exhibit-card', { hasText: 'Nistkasten der 9b' });
  await card.waitFor();
  await until('the thumbnail', () => card.locator('img').first().evaluate((img) => img.complete && img.naturalWidth === 256));
  assert.match(await card.locator('.report').textContent(), /Dreiecke/);
  await until('the panel picture, re-encoded as PNG', () => card.locator('img.panel-image').evaluate((img) => img.complete && img.naturalWidth === 640));
  await staff.screenshot({ path: join(OUT, 'staff-page.png'), fullPage: true });
  await card.locator('button.approve').click();
  await staff.locator('#approved .exhibit-card', { hasText: 'Nistkasten der 9b' }).waitFor();

  // The visitor sees it appear without reconnecting, its model loads, and she inspects it.
  const shown = await until('the new exhibit in the client', async () => {
    const st = await state(visitor);
    return st.exhibits.find((e) => e.title === 'Nistkasten der 9b' && e.model_loaded);
  });
  await visitor.evaluate((id) => window.stadtlab.inspect(id), shown.id);
  await until('the inspect view', async () => (await state(visitor)).inspecting === shown.id, 30);
  await visitor.keyboard.down('ArrowLeft');
  await sleep(1500);
  await visitor.keyboard.up('ArrowLeft');
  await sleep(3000);
  await visitor.screenshot({ path: join(OUT, 'inspect.png') });
  await visitor.keyboard.press('Escape');
  await until('the inspect view closed', async () => (await state(visitor)).inspecting === null, 30);

  // Staff hide it: it vanishes for the visitor.
  await staff.locator('#approved .exhibit-card', { hasText: 'Nistkasten der 9b' }).locator('button.hide').click();
  await until('the hidden exhibit gone', async () => !(await state(visitor)).exhibits.some((e) => e.id === shown.id), 60);
  assert.equal((await state(visitor)).status, 'connected');
});
