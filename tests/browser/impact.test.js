// The impact dashboard in a real browser: seven bots walk the lab and visitors download a print
// file; one visitor in the 3D lab rates an exhibit with
// the info panel's stars and writes a comment; staff sign in, open /staff/impact and see the
// visits, the rating, the comment, the downloads and the export links drawn by Chart.js;
// screenshot impact.png.
// Needs STADTLAB_BIN, STADTLAB_BOTS_BIN and a built client (scripts/build-web.sh --fast, which also installs
// chart.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
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
const children = [];

before(async () => {
  assert.ok(process.env.STADTLAB_BIN, 'set STADTLAB_BIN to the stadtlab binary');
  assert.ok(process.env.STADTLAB_BOTS_BIN, 'set STADTLAB_BOTS_BIN to the stadtlab-bots binary');
  assert.ok(existsSync(join(ROOT, 'web/vendor/chart.umd.min.js')), 'install the web libraries first: scripts/build-web.sh --fast');
  assert.ok(existsSync(join(ROOT, 'web/client/manifest.json')), 'build the client first: scripts/build-web.sh --fast');
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-impact-'));
  const common = ['--data-dir', data, '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web')];
  const made = spawnSync(process.env.STADTLAB_BIN, [...common, 'admin', 'create-user', 'anna'],
    { env: { ...process.env, STADTLAB_ADMIN_PASSWORD: PASSWORD }, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  ({ server, base } = await startServer(common));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROME_ARGS });
});

after(async () => {
  await browser?.close();
  for (const c of children) c.kill();
  server?.kill();
});

test('a visitor rates an exhibit; staff see visits, the rating and downloads on the dashboard', async () => {
  // Seven bots walk the lab (enough to be shown: counts under 5 stay empty).
  const bots = spawn(process.env.STADTLAB_BOTS_BIN, ['run', '--server', base, '--room', 'stadtlabor', '--bots', '7',
    '--seconds', '120'], { stdio: 'ignore' });
  children.push(bots);
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${base}/api/exhibits/druck-schluesselanhaenger/print/file`);
    assert.equal(res.status, 200);
  }

  // A visitor in the 3D lab rates the keyring with five stars from the info panel.
  const visitorContext = await browser.newContext({ locale: 'de-DE', viewport: { width: 800, height: 500 } });
  const visitor = await visitorContext.newPage();
  visitor.on('console', (m) => { if (m.type() === 'error') console.error(`[visitor] ${m.text()}`); });
  const state = () => visitor.evaluate(() => window.stadtlab?.state?.() ?? null);
  await visitor.goto(`${base}/r/stadtlabor?transport=websocket`);
  await visitor.fill('#name', 'Greta');
  await visitor.click('#join');
  await until('in the lab, with the bots', async () => {
    const st = await state();
    return st?.status === 'connected' && st.avatars.length === 7 && st.exhibits.some((e) => e.id === 'druck-schluesselanhaenger') ? st : null;
  }, 180, { visitor });
  await visitor.locator('#stadtlab-canvas').focus();
  await visitor.keyboard.press('Escape');
  await until('help closed', async () => !(await state()).panels.includes('help'), 30, { visitor });
  await visitor.evaluate(() => window.stadtlab.inspect('druck-schluesselanhaenger'));
  // The print information arrives a moment later and adds its buttons above the stars: wait
  // for it, so that the stars stay where they are found.
  await until('the print summary', async () => (await state()).printable, 60, { visitor });
  await sleep(1500);
  const star = await until('the stars', async () => (await state()).buttons.find((b) => b.name === 'star-5'), 60, { visitor });
  // Held for a while: a click between two software-rendered frames would be over unseen.
  await visitor.mouse.move(star.x, star.y);
  await visitor.mouse.down();
  await sleep(2500);
  await visitor.mouse.up();
  await until('thanked', async () => (await state()).chat.some((l) => l.includes('Danke für deine Bewertung')), 60, { visitor });
  await until('the stars are gone', async () => !(await state()).buttons.some((b) => b.name.startsWith('star-')), 30, { visitor });
  // Then a comment for the lab team, typed into the line the comment button opens.
  const comment = await until('the comment button', async () => (await state()).buttons.find((b) => b.name === 'comment'), 30, { visitor });
  await visitor.mouse.move(comment.x, comment.y);
  await visitor.mouse.down();
  await sleep(2500);
  await visitor.mouse.up();
  await until('the line open', async () => (await state()).panels.includes('chat'), 30, { visitor });
  // The page's own text field takes the text: umlauts too, as a phone's keyboard types them.
  await visitor.locator('#typing-line-text').waitFor({ timeout: 30000 });
  await visitor.keyboard.type('Den drucke ich für meinen Schlüssel!');
  await visitor.keyboard.press('Enter');
  await until('comment thanked', async () => (await state()).chat.some((l) => l.includes('Danke für deinen Kommentar')), 60, { visitor });
  await until('the comment button is gone', async () => !(await state()).buttons.some((b) => b.name === 'comment'), 30, { visitor });
  await visitorContext.close();

  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1000, height: 1600 } });
  const staff = await context.newPage();
  staff.on('console', (m) => { if (m.type() === 'error') console.error(`[staff] ${m.text()}`); });
  await signInStaff(staff, base, 'anna', PASSWORD);
  await staff.click('#open-impact');
  await staff.waitForURL(/\/staff\/impact$/);
  await staff.waitForFunction(() => window.stadtlabImpact?.drawn === 7, null, { timeout: 30000 });
  const figures = await staff.evaluate(() => window.stadtlabImpact);
  assert.deepEqual(figures.rated, [{ id: 'druck-schluesselanhaenger', ratings: 1, stars: 5 }]);
  assert.equal(figures.days.length, 1, JSON.stringify(figures));
  const rooms = await staff.evaluate(async () => (await fetch(`/api/impact/rooms.json?from=${document.getElementById('from').value}&exact=true`)).json());
  const lab = rooms.find((r) => r.room === 'stadtlabor');
  assert.equal(lab.visitors, 8, `seven bots and Greta: ${JSON.stringify(lab)}`);
  // Greta's page asks for a seat twice (before and after the download): one entry, counted
  // when she was in the room.
  assert.equal(lab.joins, 8, JSON.stringify(lab));
  assert.equal(lab.joins_app, 7);
  assert.equal(lab.joins_computer, 1);
  assert.equal(await staff.locator('#exports a').count(), 8);
  assert.match(await staff.locator('#comments').innerText(), /★★★★★: Den drucke ich für meinen Schlüssel!/);
  await staff.screenshot({ path: join(OUT, 'impact.png'), fullPage: true });
});
