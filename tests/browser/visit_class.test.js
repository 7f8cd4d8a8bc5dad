// A class visit in real browsers (named to run last: its three 3D pages load the machine most):
// staff make a teacher's invite on the staff page, the teacher plans the visit on the teacher's
// page; the guide opens the guide link, two pupils open the pupils' link (code filled in) and
// walk in; the pupils follow the guide (positions in the state hook), are gathered, and "look
// here" opens the exhibit for them; the guide mutes a pupil from the people list; a screenshot
// of the guide's overview. Needs STADTLAB_BIN and a built client (scripts/build-web.sh --fast).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
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
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-visit-'));
  // Three 3D pages in software rendering on two cores draw a frame every second or two: give
  // connections longer than the default 10 s of silence before the server drops them.
  const config = join(data, 'stadtlab.toml');
  writeFileSync(config, '[game]\ntimeout_secs = 60\n');
  const common = ['--data-dir', data, '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web'),
    '--config', config];
  const made = spawnSync(process.env.STADTLAB_BIN, [...common, 'admin', 'create-user', 'lea'],
    { env: { ...process.env, STADTLAB_ADMIN_PASSWORD: PASSWORD }, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  ({ server, base } = await startServer(common));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROME_ARGS });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const state = (p) => p.evaluate(() => window.stadtlab?.state?.() ?? null);
const dist = (a, b) => Math.hypot(a[0] - b[0], a[2] - b[2]);

async function page(name, viewport = { width: 800, height: 600 }) {
  const context = await browser.newContext({ locale: 'de-DE', viewport });
  const p = await context.newPage();
  p.on('console', (m) => {
    if (m.type() === 'error' || process.env.STADTLAB_TEST_VERBOSE) console.error(`[${name}] ${m.type()} ${m.text().slice(0, 300)}`);
  });
  return p;
}

/// Opens `link`, types a name, enters; resolves once connected and drawing.
async function enter(name, link, viewport = { width: 320, height: 240 }) {
  const p = await page(name, viewport);
  await p.goto(`${link}&transport=websocket`);
  await p.fill('#name', name);
  await p.click('#join');
  await until(`${name} in the visit`, async () => {
    const st = await state(p);
    return st?.status === 'connected' && st.me.pos && st.frames > 0 && st.visit ? st : null;
  }, 180);
  return p;
}

test('a guide leads two pupils: follow, gather, look here, overview', async () => {
  const staff = await page('staff', { width: 900, height: 900 });
  await signInStaff(staff, base, 'lea', PASSWORD);
  await staff.locator('#visit-form button[type=submit]', { hasText: 'Klassenbesuch anlegen' }).waitFor();
  // Staff hand a teacher an invite link; the teacher plans the visit on the teacher's page.
  await staff.fill('#invite-label', 'Frau Weber, Realschule');
  await staff.selectOption('#invite-kind', 'teacher');
  await staff.click('#invite-form button[type=submit]');
  const teacherLink = await staff.locator('#new-invite code').textContent();
  assert.match(teacherLink, /\/teach#invite=/);
  await staff.close();
  const teacher = await page('teacher', { width: 900, height: 900 });
  await teacher.goto(teacherLink);
  await teacher.locator('#invite-info', { hasText: 'Frau Weber, Realschule' }).waitFor();
  await teacher.fill('#visit-title', 'Klasse 7b');
  await teacher.click('#visit-form button[type=submit]');
  await teacher.locator('#new-visit code').nth(1).waitFor();
  const links = await teacher.locator('#new-visit code').allTextContents();
  assert.equal(links.length, 2, 'a pupils\' link and a guide link');
  const [pupilLink, guideLink] = links;
  assert.match(pupilLink, /code=[A-Z0-9]{3}-[A-Z0-9]{3}/);
  await teacher.locator('#visit-list li', { hasText: 'Klasse 7b' }).waitFor();
  await teacher.locator('#invite-info', { hasText: 'noch 4 Klassenbesuch' }).waitFor();
  await teacher.close();

  // Three 3D pages share two cores in software rendering: small windows, and the guide last
  // (the pupils may wait in the room; the guide's page then has the most of the machine).
  // The pupils' link fills in the code; the page asks for a first name only.
  const ada = await enter('Ada', pupilLink);
  const ben = await enter('Ben', pupilLink);
  const guide = await enter('Frau Weber', guideLink, { width: 800, height: 500 });
  const all = { Ada: ada, Ben: ben, guide };
  assert.equal((await state(guide)).role, 'guide');
  assert.equal((await state(ada)).role, 'visitor');
  assert.equal((await state(ada)).visit.title, 'Klasse 7b');

  // Follow me (key 1), then the guide walks forward; both pupils come along.
  await guide.locator('#stadtlab-canvas').click({ position: { x: 400, y: 20 } });
  await guide.keyboard.press('Digit1');
  await until('both pupils follow', async () => {
    const st = await state(guide);
    return st.visit?.followers.length === 2;
  }, 30, all);
  // (Software rendering of three pages is slow: walk until far enough, not for a set time.)
  const start = (await state(guide)).me.pos;
  await guide.keyboard.down('KeyW');
  await until('the guide walked 3 m', async () => dist(start, (await state(guide)).me.pos) > 3, 90, all);
  await guide.keyboard.up('KeyW');
  await sleep(1000);
  const end = (await state(guide)).me.pos;
  await until('the pupils caught up', async () => {
    const [a, b] = [await state(ada), await state(ben)];

    return dist(a.me.pos, end) < 4 && dist(b.me.pos, end) < 4;
  }, 90, all);

  // Gather (key 2) after a pupil walked off on her own (forward: along the path the guide
  // walked, which is free; behind her may be a wall).
  await ada.locator('#stadtlab-canvas').click({ position: { x: 160, y: 230 } });
  const adaFrom = (await state(ada)).me.pos;
  await ada.keyboard.down('KeyW');
  await until('Ada walked off', async () => dist((await state(ada)).me.pos, adaFrom) > 2, 90, all);
  await ada.keyboard.up('KeyW');
  const adaId = (await state(ada)).me.id;
  await until('walking away leaves the group', async () => {
    const g = await state(guide);
    if (process.env.STADTLAB_TEST_VERBOSE) console.error(g.status, JSON.stringify(g.visit), (await state(ada)).status);
    return !g.visit.followers.includes(adaId);
  }, 30, all);
  const adaAway = (await state(ada)).me.pos;
  await guide.keyboard.press('Digit2');
  await until('gathered next to the guide', async () => {
    const here = (await state(ada)).me.pos;
    return dist(here, (await state(guide)).me.pos) < 4 && dist(here, adaAway) > 0.3;
  }, 30, all);

  // Look here (key 4) with the nearest exhibit, or one asked for by id through the page hook.
  const exhibit = (await state(guide)).exhibits[0].id;
  await guide.evaluate((id) => window.stadtlab.inspect(id), exhibit);
  await until('the guide inspects it', async () => (await state(guide)).inspecting === exhibit, 30, all);
  await guide.keyboard.press('Digit4');
  await until('the panel opens for the pupils', async () => {
    const b = await state(ben);
    if (process.env.STADTLAB_TEST_VERBOSE) console.error(b.status, b.inspecting, JSON.stringify(b.visit));
    return b.inspecting === exhibit;
  }, 120, all);
  await guide.keyboard.press('Escape');

  // Moderation from the people list (P): the guide clicks Ben's name, then "mute chat"; Ben is
  // told who muted him. (Held for a few frames: a click between two software-rendered frames
  // would be over before the UI sees it.)
  const benId = (await state(ben)).me.id;
  await guide.keyboard.press('KeyP');
  const press = async (name) => {
    const b = await until(`the ${name} button`, async () => (await state(guide)).buttons.find((x) => x.name === name), 30, all);
    await guide.mouse.move(b.x, b.y);
    await guide.mouse.down();
    await sleep(2500);
    await guide.mouse.up();
  };
  await press(`person-${benId}`);
  await press(`mute-${benId}`);
  await until('Ben is told he is muted', async () => (await state(ben)).chat.some((l) => l.includes('Frau Weber') && l.includes('stumm')), 60, all);
  await guide.keyboard.press('KeyP');

  // The overview (key 7): a screenshot for people to look at.
  await guide.keyboard.press('Digit7');
  await until('overview open', async () => (await state(guide)).visit.overview, 10, all);
  await sleep(1500);
  await guide.screenshot({ path: join(OUT, 'guide-overview.png') });
});
