// The 3D client on a phone: Chromium's phone emulation (390 × 844 CSS pixels, pixel ratio 2,
// touch). The visitor joins, walks with the joystick (a drag from the bottom left) and by
// tapping the floor, writes in the chat through the page's text field (umlauts as a phone
// keyboard types them), opens and closes chat and help from the compact tool bar; a screenshot
// shows the layout. Needs STADTLAB_BIN and a built client (scripts/build-web.sh --fast).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, sleep, startServer, until } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = process.env.STADTLAB_TEST_OUT ?? tmpdir();
let server, browser, base;

before(async () => {
  assert.ok(process.env.STADTLAB_BIN, 'set STADTLAB_BIN to the stadtlab binary');
  assert.ok(existsSync(join(ROOT, 'web/client/manifest.json')), 'build the client first: scripts/build-web.sh --fast');
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-phone-'));
  ({ server, base } = await startServer(['--data-dir', data, '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web')]));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROME_ARGS });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const state = (p) => p.evaluate(() => window.stadtlab?.state?.() ?? null);
const dist = (a, b) => Math.hypot(a[0] - b[0], a[2] - b[2]);
const W = 390;
const H = 844;

test('on a phone: compact bar, joystick, tap to walk, chat and help by tapping', async () => {
  const context = await browser.newContext({
    locale: 'de-DE', viewport: { width: W, height: H }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  const p = await context.newPage();
  p.on('console', (m) => { if (m.type() === 'error') console.error(`[phone] ${m.text()}`); });
  await p.goto(`${base}/r/stadtlabor?transport=websocket`);
  await p.fill('#name', 'Handy');
  await p.tap('#join');
  await until('connected', async () => {
    const st = await state(p);
    return st?.status === 'connected' && st.me.pos && st.frames > 0 && st.buttons.length >= 4 ? st : null;
  }, 180);
  // The UI is laid out in CSS pixels: the whole phone's width.
  let st = await state(p);
  assert.ok(Math.abs(st.screen[0] - W) < 2, `laid out for ${st.screen} on a ${W} px screen`);
  // The first visit opens the help: one tap on it closes it.
  await sleep(1000);
  await p.screenshot({ path: join(OUT, 'phone-first-visit.png') });
  if (st.panels.includes('help')) {
    await p.touchscreen.tap(W / 2, H / 3);
    await until('help closed by a tap', async () => !(await state(p)).panels.includes('help'), 30);
  }

  // Every tool button lies inside the screen and away from the bottom third (the thumbs').
  st = await state(p);
  for (const b of st.buttons.filter((x) => ['chat', 'people', 'settings', 'help'].includes(x.name))) {
    assert.ok(b.x - b.w / 2 >= 0 && b.x + b.w / 2 <= W, `${b.name} fits the width: ${JSON.stringify(b)}`);
    assert.ok(b.y + b.h / 2 < H * 0.6, `${b.name} leaves the thumbs free: ${JSON.stringify(b)}`);
  }

  // The joystick: a drag that starts at the bottom left walks forward (half deflection: a
  // walk, so that at a frame or two a second the avatar does not run far past the mark).
  const cdp = await context.newCDPSession(p);
  const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  const from = (await state(p)).me.pos;
  await touch('touchStart', 80, H - 120);
  for (let i = 1; i <= 5; i++) { await touch('touchMove', 80, H - 120 - i * 6); await sleep(50); }
  await until('walked with the joystick', async () => dist(from, (await state(p)).me.pos) > 1, 60, { phone: p });
  await touch('touchEnd', 0, 0);

  // Tap to walk: a tap on the floor ahead sends the avatar there. The point is ~3.5 m ahead
  // (eye height 1.45 m, 70° field of view, level gaze): on the floor while the avatar stands
  // more than that in front of the stage, which the joystick's short walk leaves it.
  await until('stood still', async () => {
    const a = (await state(p)).me.pos;
    await sleep(1500);
    return dist(a, (await state(p)).me.pos) < 0.05;
  }, 60, { phone: p });
  const before = (await state(p)).me.pos;
  assert.ok(before[2] < 6.5, `the joystick walk stopped in the room, at ${before}`);
  const tapAt = [W / 2, H * 0.8];
  for (const b of (await state(p)).buttons) {
    assert.ok(Math.abs(b.x - tapAt[0]) > b.w / 2 || Math.abs(b.y - tapAt[1]) > b.h / 2, `the tap misses ${b.name}`);
  }
  await p.touchscreen.tap(...tapAt);
  await until('walked to the tap', async () => {
    const st = await state(p);
    const mine = st.last_tap && st.last_tap[1][1] === Math.round(tapAt[1]);
    if (mine && st.last_tap[0] !== 'walk') assert.fail(`the tap did not walk: ${JSON.stringify(st.last_tap)} at ${st.me.pos}`);
    return dist(before, st.me.pos) > 0.5;
  }, 60, { phone: p });

  // Chat and help open and close from the tool bar.
  const tapButton = async (name) => {
    const b = (await state(p)).buttons.find((x) => x.name === name);
    assert.ok(b, `a ${name} button`);
    await p.touchscreen.tap(b.x, b.y);
  };
  await tapButton('chat');
  await until('chat open', async () => (await state(p)).panels.includes('chat'), 30);
  // The page's text field takes the phone keyboard's text (key events on the canvas would not).
  await p.locator('#typing-line-text').waitFor({ timeout: 30000 });
  await p.locator('#typing-line-text').fill('Grüße aus dem Bus');
  await p.screenshot({ path: join(OUT, 'phone-typing.png') });
  await p.locator('#typing-line-text').press('Enter');
  await until('the message in the chat', async () => (await state(p)).chat.some((l) => l.endsWith('Grüße aus dem Bus')), 30);
  assert.ok(!(await state(p)).panels.includes('chat'), 'sending closes the line');
  await tapButton('chat');
  await until('chat open again', async () => (await state(p)).panels.includes('chat'), 30);
  await tapButton('chat');
  await until('chat closed', async () => !(await state(p)).panels.includes('chat'), 30);
  await tapButton('help');
  await until('help open', async () => (await state(p)).panels.includes('help'), 30);
  await sleep(1500);
  await p.screenshot({ path: join(OUT, 'phone-help.png') });
  await p.touchscreen.tap(W / 2, H / 3);
  await until('help closed', async () => !(await state(p)).panels.includes('help'), 30);
  await sleep(1000);
  await p.screenshot({ path: join(OUT, 'phone.png') });
});
