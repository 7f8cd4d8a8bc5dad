// The 3D client in real browsers: two headless Chromium pages and one bot in one room; each
// page sees the others move and chat. Needs STADTLAB_BIN, STADTLAB_BOTS_BIN and a built client
// in web/client (scripts/build-web.sh --fast); run by scripts/test.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, sleep, startServer, until } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = process.env.STADTLAB_TEST_OUT ?? tmpdir();
let server, browser, base, bot;
const children = [];

before(async () => {
  assert.ok(process.env.STADTLAB_BIN, 'set STADTLAB_BIN to the stadtlab binary');
  assert.ok(process.env.STADTLAB_BOTS_BIN, 'set STADTLAB_BOTS_BIN to the stadtlab-bots binary');
  assert.ok(existsSync(join(ROOT, 'web/client/manifest.json')), 'build the client first: scripts/build-web.sh --fast');
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-client-'));
  ({ server, base } = await startServer(['--data-dir', data, '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web')]));
  children.push(server);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROME_ARGS });
});

after(async () => {
  await browser?.close();
  for (const c of children) c.kill();
});

const state = (p) => p.evaluate(() => window.stadtlab?.state?.() ?? null);


async function visitor(name, query = '') {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 640, height: 400 } });
  const p = await context.newPage();
  p.on('console', (m) => {
    if (m.type() === 'error') console.error(`[${name}] ${m.text()}`);
    if (process.env.STADTLAB_TEST_VERBOSE) console.error(`[${name}] ${m.type()} ${m.text().slice(0, 300)}`);
  });
  await p.goto(`${base}/r/stadtlabor${query}`);
  await p.locator('#room-title', { hasText: 'stadtLABOR Soest' }).waitFor();
  await p.fill('#name', name);
  await p.click('#join');
  let lastStatus = '';
  p.on('console', (m) => { lastStatus = m.text().slice(0, 200); });
  let last;
  const s = await until(`${name} connected`, async () => {
    const st = await state(p);
    last = st;
    return st?.status === 'connected' && st.me.id !== null && st.me.pos && st.frames > 0 ? st : null;
  }).catch((e) => { console.error(`[${name}] last state: ${JSON.stringify(last)} status: ${lastStatus}`); throw e; });
  const firstFrameS = await p.evaluate(() => performance.now() / 1000);
  return { p, id: s.me.id, firstFrameS };
}

const seen = (st, name) => st.avatars.find((a) => a.name === name);
const dist = (a, b) => Math.hypot(a[0] - b[0], a[2] - b[2]);

test('two browsers and a bot share the lab: each sees the others move and talk', async () => {
  const anna = await visitor('Anna');
  // Anna comes in over WebTransport, Ben over WebSocket: both browser transports in one test.
  const ben = await visitor('Ben', '?transport=websocket');
  console.log(`first_frame_s=${anna.firstFrameS.toFixed(1)} (page opened to first rendered frame, incl. join)`);
  bot = spawn(process.env.STADTLAB_BOTS_BIN, ['run', '--server', base, '--room', 'stadtlabor', '--bots', '1',
    '--seconds', '600'], { stdio: 'ignore' });
  children.push(bot);

  // Everyone sees everyone else, with names.
  const names = (st) => st.avatars.map((a) => a.name).sort().join(',');
  await until('Anna sees Ben and the bot', async () => (await state(anna.p)).avatars.length === 2);
  await until('Ben sees Anna and the bot', async () => (await state(ben.p)).avatars.length === 2);
  assert.match(names(await state(ben.p)), /^Anna,/);

  // Anna walks forward with the keyboard; Ben sees her avatar move.
  const before = seen(await state(ben.p), 'Anna').pos;
  await anna.p.locator('#stadtlab-canvas').click({ position: { x: 320, y: 30 } }); // the ceiling: focus, no walk
  // Software WebGL on a loaded CI machine draws ~1 frame a second, and Bevy lets at most
  // 0.25 s of game time pass per frame: hold the key long enough for a metre.
  await anna.p.keyboard.down('w');
  await sleep(6000);
  await anna.p.keyboard.up('w');
  const annaSelf = (await state(anna.p)).me.pos;
  assert.ok(dist(annaSelf, before) > 0.8, `Anna's own prediction moved: ${annaSelf} from ${before}`);
  await until('Ben sees Anna walk', async () => dist(seen(await state(ben.p), 'Anna').pos, before) > 0.8, 60,
    { Anna: anna.p, Ben: ben.p });

  // The bot walks on its own: both pages see it move.
  const botName = (await state(anna.p)).avatars.find((a) => a.name !== 'Ben').name;
  for (const who of [anna, ben]) {
    const from = seen(await state(who.p), botName).pos;
    await until('the bot walks', async () => dist(seen(await state(who.p), botName).pos, from) > 0.5, 30,
      { Anna: anna.p, Ben: ben.p });
  }

  // Anna chats; Ben reads it.
  await anna.p.keyboard.press('Enter');
  await anna.p.keyboard.type('Hallo Ben');
  await anna.p.keyboard.press('Enter');
  await until('Ben reads the chat', async () => (await state(ben.p)).chat.includes('Anna: Hallo Ben'), 30,
    { Anna: anna.p, Ben: ben.p });

  await ben.p.screenshot({ path: join(OUT, 'client-browser.png') });
  const st = await state(ben.p);
  console.log(`browser_fps=${st.fps} avatars_seen=${st.avatars.length}`);
});
