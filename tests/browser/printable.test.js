// A printable model's whole path in real browsers: a school uploads an STL on the upload page
// with a licence and reads the printability report in plain German; staff see the report and
// approve; a visitor in the lab inspects it, reads "Zum Nachdrucken", puts it on the print bed
// at true size (screenshot), shows the problem spots of the lab's own gate (screenshot), and
// the file downloads unchanged. Needs STADTLAB_BIN and a built
// client (scripts/build-web.sh --fast).
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
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-printable-'));
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

/** A binary STL of a cube of `size` mm whose fourth triangle faces inwards. */
function flippedCubeStl(size) {
  const corner = (i) => [i & 1 ? size : 0, i & 2 ? size : 0, i & 4 ? size : 0];
  const triangles = [
    [0, 2, 1], [1, 2, 3], [4, 5, 6], [5, 6, 7], [0, 1, 4], [1, 5, 4],
    [2, 6, 3], [3, 6, 7], [0, 4, 2], [2, 4, 6], [1, 3, 5], [3, 7, 5],
  ];
  const out = Buffer.alloc(84 + 50 * triangles.length);
  out.write('stadtlab test cube', 0, 'ascii');
  out.writeUInt32LE(triangles.length, 80);
  triangles.forEach((t, k) => {
    let at = 84 + 50 * k + 12;
    for (const i of t) for (const v of corner(i)) { out.writeFloatLE(v, at); at += 4; }
  });
  return out;
}

test('an STL from a school: report, approval, true size on the print bed, download', async () => {
  const staff = await page('staff');
  await signInStaff(staff, base, 'anna', PASSWORD);
  await staff.fill('#invite-label', 'Gymnasium Soest, 9b');
  await staff.click('#invite-form button[type=submit]');
  const link = await staff.locator('#new-invite code').textContent();

  const stl = flippedCubeStl(30);
  const exhibitor = await page('exhibitor');
  await exhibitor.goto(link);
  await exhibitor.locator('#invite-info', { hasText: 'Gymnasium Soest' }).waitFor();
  await exhibitor.selectOption('#zone', 'technik-erlebbar');
  await exhibitor.fill('#title_de', 'Würfel der 9b');
  await exhibitor.fill('#text_de', 'Unser erster Druck: ein Würfel mit 3 cm Kantenlänge.');
  await exhibitor.fill('#organisation', 'Gymnasium Soest');
  await exhibitor.setInputFiles('#file', { name: 'wuerfel.stl', mimeType: 'model/stl', buffer: stl });
  await exhibitor.locator('#licence-box').waitFor();
  await exhibitor.selectOption('#licence', 'cc-by-4.0');
  await exhibitor.click('#send');
  await exhibitor.locator('#status', { hasText: 'Angenommen' }).waitFor({ timeout: 30000 });
  const report = exhibitor.locator('#print-report');
  await report.locator('li[data-code=flipped_faces]', { hasText: 'nach innen statt nach außen' }).waitFor();
  assert.match(await report.locator('.verdict').textContent(), /reparierten Kopie/);
  assert.match(await report.textContent(), /30 × 30 × 30 mm/);
  await exhibitor.screenshot({ path: join(OUT, 'printable-upload.png'), fullPage: true });

  // Staff see the report beside the approve button.
  await staff.reload();
  const card = staff.locator('#pending .exhibit-card', { hasText: 'Würfel der 9b' });
  await card.locator('.print-report li[data-code=flipped_faces]').waitFor();
  await card.locator('button.approve').click();
  await staff.locator('#approved .exhibit-card', { hasText: 'Würfel der 9b' }).waitFor();

  // A visitor inspects it, reads "Zum Nachdrucken" and puts it on the print bed.
  const visitor = await page('visitor', { width: 800, height: 500 });
  await visitor.goto(`${base}/r/stadtlabor?transport=websocket`);
  await visitor.fill('#name', 'Hanna');
  await visitor.click('#join');
  const shown = await until('the printable exhibit in the client', async () => {
    const st = await state(visitor);
    return st?.status === 'connected' && st.exhibits.find((e) => e.title === 'Würfel der 9b' && e.model_loaded);
  });
  await visitor.locator('#stadtlab-canvas').focus();
  await visitor.keyboard.press('Escape');
  await until('help closed', async () => !(await state(visitor)).panels.includes('help'), 30);
  await visitor.evaluate((id) => window.stadtlab.inspect(id), shown.id);
  const summary = await until('the print summary', async () => (await state(visitor)).printable, 30);
  assert.match(summary, /^30 × 30 × 30 mm · passt auf: Bambu Lab A1 mini, Creality Ender-3, Prusa MK4 · leicht zu drucken · CC BY 4.0/);
  await visitor.keyboard.press('b');
  await until('the print bed', async () => (await state(visitor)).print_bed, 30);
  await sleep(3000);
  await visitor.screenshot({ path: join(OUT, 'print-bed.png') });

  // The lab's own Osthofentor has an arch: G shows where it would hang in the air.
  await visitor.keyboard.press('b');
  const gate = (await state(visitor)).exhibits.find((e) => e.title.includes('Osthofentor'));
  assert.ok(gate, 'the lab\'s own printable gate');
  const gateReport = (await (await fetch(`${base}/api/exhibits/${gate.id}/print`)).json()).report;
  assert.ok(gateReport.overhang_triangles.length > 0, 'the arch hangs');
  await visitor.evaluate((id) => window.stadtlab.inspect(id), gate.id);
  await until('the gate\'s print summary', async () => (await state(visitor)).printable?.startsWith('40 × 25 × 55 mm'), 30);
  await visitor.keyboard.press('g');
  await until('the problem spots', async () => (await state(visitor)).problem_spots, 30);
  // From below, where the arch's underside shows.
  await visitor.keyboard.down('ArrowDown');
  await sleep(2500);
  await visitor.keyboard.up('ArrowDown');
  await sleep(3000);
  await visitor.screenshot({ path: join(OUT, 'print-problems.png') });

  // The file downloads as it was uploaded.
  const info = await (await fetch(`${base}/api/exhibits/${shown.id}/print`)).json();
  const file = Buffer.from(await (await fetch(`${base}${info.download_url}`)).arrayBuffer());
  assert.ok(file.equals(stl), 'the original, unchanged');
  const repaired = await fetch(`${base}${info.repaired_url}`);
  assert.equal(repaired.status, 200);
  assert.match(repaired.headers.get('content-disposition'), /wuerfel-repariert\.stl/);
});
