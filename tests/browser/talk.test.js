// A hybrid talk in real browsers. The lab's console (a staff member's browser, fake microphone
// playing tone A) and a visitor (another browser, tone B) in the forum. Staff upload a PDF
// written here on the staff page and put it on the screen; the console starts; a talk runs:
// the visitor, far from the console, hears it through the broadcast slot; she raises her hand
// (R), the console gives her the floor, she says yes (the button) and the console receives her voice;
// after the floor is taken back nothing of hers arrives. The console pages the slides and the
// visitor's screen shows the new page (screenshot); a written question, upvoted, goes on the
// screen. The console reports the hall's head count and ends the talk; the visitor answers the
// closing question with a tap (screenshot talk-closing.png) and the talk's figures carry both.
// Needs STADTLAB_BIN and a built client (scripts/build-web.sh --fast).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { launchWithMicrophone, signInStaff, sleep, startServer, toneWav, until } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = process.env.STADTLAB_TEST_OUT ?? tmpdir();
const PASSWORD = 'correct-horse-battery';
let server, base, hall, home;

/// A PDF of `pages` 16:9 pages, each its own colour with its number, written object by object
/// with the cross-reference table the format asks for.
function slidesPdf(pages) {
  const objs = [null, '<< /Type /Catalog /Pages 2 0 R >>', null, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>'];
  const kids = [];
  for (let i = 0; i < pages; i++) {
    const [page, content] = [4 + 2 * i, 5 + 2 * i];
    kids.push(`${page} 0 R`);
    const rgb = [[0.85, 0.2, 0.2], [0.2, 0.6, 0.3], [0.2, 0.3, 0.85]][i % 3].join(' ');
    const stream = `${rgb} rg 0 0 960 540 re f 1 1 1 rg BT /F1 260 Tf 400 150 Td (${i + 1}) Tj ET`;
    objs[page] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 960 540] /Resources << /Font << /F1 3 0 R >> >> /Contents ${content} 0 R >>`;
    objs[content] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  }
  objs[2] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
  let out = '%PDF-1.4\n';
  const offsets = [];
  for (let n = 1; n < objs.length; n++) { offsets[n] = out.length; out += `${n} 0 obj\n${objs[n]}\nendobj\n`; }
  const xref = out.length;
  out += `xref\n0 ${objs.length}\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

before(async () => {
  assert.ok(process.env.STADTLAB_BIN, 'set STADTLAB_BIN to the stadtlab binary');
  assert.ok(existsSync(join(ROOT, 'web/client/manifest.json')), 'build the client first: scripts/build-web.sh --fast');
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-talk-'));
  const config = join(data, 'stadtlab.toml');
  // Two 3D pages in software rendering on two cores: slow frames must not count as gone.
  writeFileSync(config, '[game]\ntimeout_secs = 60\n');
  const common = ['--data-dir', data, '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web'), '--config', config];
  const made = spawnSync(process.env.STADTLAB_BIN, [...common, 'admin', 'create-user', 'lea'],
    { env: { ...process.env, STADTLAB_ADMIN_PASSWORD: PASSWORD }, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  ({ server, base } = await startServer(common));
  const launch = (wav) => launchWithMicrophone(chromium, wav);
  toneWav(join(data, 'a.wav'), 160, 96);
  toneWav(join(data, 'b.wav'), 420, 252);
  hall = await launch(join(data, 'a.wav'));
  home = await launch(join(data, 'b.wav'));
});

after(async () => {
  await hall?.close();
  await home?.close();
  server?.kill();
});

const state = (p) => p.evaluate(() => window.stadtlab?.state?.() ?? null);
const voice = (p) => p.evaluate(() => window.stadtlabVoice?.state?.() ?? null);
const heard = async (p) => {
  const s = await p.evaluate(() => window.stadtlabVoice.stats());
  return s.inbound.reduce((acc, r) => ({ packets: acc.packets + r.packetsReceived, energy: acc.energy + r.totalAudioEnergy }), { packets: 0, energy: 0 });
};

async function page(browser, name, viewport) {
  const context = await browser.newContext({ locale: 'de-DE', viewport });
  const p = await context.newPage();
  p.on('console', (m) => { if (m.type() === 'error') console.error(`[${name}] ${m.text().slice(0, 300)}`); });
  return p;
}

test('a hybrid talk: console, hand, floor, slides, a question on the screen and the closing question', async () => {
  // Staff upload the slides and put them on the forum's screen.
  const staff = await page(hall, 'staff', { width: 1000, height: 900 });
  await signInStaff(staff, base, 'lea', PASSWORD);
  await staff.fill('#slides-title', 'Offene Daten in Soest');
  await staff.setInputFiles('#slides-file', { name: 'folien.pdf', mimeType: 'application/pdf', buffer: slidesPdf(3) });
  await staff.click('#slides-form button[type=submit]');
  await staff.locator('#slides-result', { hasText: '3 Folien' }).waitFor({ timeout: 60000 });
  await staff.selectOption('#stage-room', 'forum');
  await staff.locator('#deck-list .show-deck').first().click();
  await staff.locator('#slide-page', { hasText: 'Folie 1 von 3' }).waitFor();
  // And a talk in the programme, in ten minutes (the board in the forum shows it).
  const soon = await staff.evaluate(() => {
    const d = new Date(Date.now() + 10 * 60000);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  });
  await staff.selectOption('#talk-room', 'forum');
  await staff.fill('#talk-title-de', 'Radverkehr in Soest');
  await staff.fill('#talk-title-en', 'Cycling in Soest');
  await staff.fill('#talk-speaker', 'Ada Lovelace');
  await staff.fill('#talk-starts', soon);
  await staff.fill('#talk-closing', 'Wo fährst du in Soest am liebsten Rad?');
  await staff.click('#talk-form button[type=submit]');
  await staff.locator('#talk-list li', { hasText: 'Radverkehr in Soest' }).waitFor();

  // The console in the hall (the same signed-in browser).
  const desk = await staff.context().newPage();
  desk.on('console', (m) => { if (m.type() === 'error' || /transport|closed|disconnect|reconnect|seat/i.test(m.text())) console.error(`[console] ${m.type()} ${m.text().slice(0, 300)}`); });
  await desk.setViewportSize({ width: 1280, height: 900 });
  if (process.env.STADTLAB_TEST_VERBOSE) {
    desk.on('console', (m) => console.error(`[console-all] ${new Date().toISOString()} ${m.type()} ${m.text().slice(0, 200)}`));
    desk.on('websocket', (ws) => {
      console.error(`[ws] ${new Date().toISOString()} open ${ws.url().slice(0, 60)}`);
      ws.on('close', () => console.error(`[ws] ${new Date().toISOString()} close`));
      ws.on('socketerror', (e) => console.error(`[ws] ${new Date().toISOString()} error ${e}`));
    });
  }
  await desk.goto(`${base}/console?room=forum`);
  await desk.locator('#start-form').waitFor();
  await desk.click('#start');
  const pages = { console: desk };
  await until('the console in the room and on air', async () => {
    const st = await state(desk);
    return st?.status === 'connected' && st.me.id != null && st.talk.console === st.me.id ? st : null;
  }, 180, pages);
  const consoleId = (await state(desk)).me.id;
  await desk.locator('[data-line="/vortrag an"]').click();
  await until('talk mode', async () => (await state(desk)).talk.running, 30, pages);

  // A visitor at home, far from the console.
  const vera = await page(home, 'Vera', { width: 480, height: 320 });
  pages.Vera = vera;
  await vera.goto(`${base}/r/forum?transport=websocket`);
  await vera.fill('#name', 'Vera');
  await vera.click('#join');
  await until('Vera in the room', async () => {
    const st = await state(vera);
    return st?.status === 'connected' && st.me.id != null && st.frames > 0;
  }, 180, pages);
  const veraId = (await state(vera)).me.id;
  await until('both in voice', async () => (await voice(vera))?.connected && (await voice(desk))?.connected, 60, pages);
  await vera.evaluate(() => window.stadtlabVoice.plainPlayback(true));
  // The programme board over the stage lists the coming talk.
  await until('the board shows the talk', async () => (await state(vera)).programme.some((l) => l.includes('Radverkehr in Soest (Ada Lovelace)')), 30, pages);
  // The slides she finds on entering, on her screen.
  await until('Vera\'s screen shows slide 1', async () => (await state(vera)).talk.screen_shows?.endsWith('/pages/1'), 60, pages);

  // The hall is heard at home through the broadcast slot.
  await until('the broadcast slot carries the hall', async () => (await voice(vera)).slots[6] === consoleId, 30, pages);
  const before = await heard(vera);
  await until('Vera hears the hall', async () => {
    const now = await heard(vera);
    return now.packets > before.packets + 50 && now.energy > before.energy;
  }, 60, pages);

  // Vera raises her hand; the console sees it and gives her the floor; she says yes.
  await vera.locator('#stadtlab-canvas').click({ position: { x: 240, y: 20 } });
  await vera.keyboard.press('r');
  await desk.locator('#hands li', { hasText: 'Vera' }).waitFor({ timeout: 30000 });
  await desk.locator('#hands li', { hasText: 'Vera' }).locator('button.primary').click();
  await until('Vera asked', async () => (await state(vera)).talk.offered, 30, pages);
  // She answers with the button ("Sprechen (J)"), as someone with a mouse would.
  const speak = await until('the speak button', async () => (await state(vera)).buttons.find((x) => x.name === 'speak'), 30, pages);
  await vera.mouse.click(speak.x, speak.y);
  await vera.click('#voice-mic');
  await until('Vera has the floor', async () => (await state(desk)).talk.floor === veraId, 30, pages);
  await until('the console\'s loudspeaker slot carries Vera', async () => (await voice(desk)).slots[6] === veraId, 30, pages);
  const quiet = await heard(desk);
  await until('the hall hears Vera', async () => {
    const now = await heard(desk);
    return now.packets > quiet.packets + 50 && now.energy > quiet.energy;
  }, 60, pages).catch(async (e) => {
    for (const p of [desk, vera]) console.error(JSON.stringify(await p.evaluate(() => window.stadtlabVoice.stats())));
    throw e;
  });
  assert.ok((await voice(desk)).slots.slice(0, 6).every((s) => s === null), 'the console hears only what is on air');

  // The floor taken back: nothing of Vera arrives in the hall any more.
  await desk.locator('[data-line="/wortzurück"]').click();
  await until('the floor is back', async () => (await state(desk)).talk.floor == null, 30, pages);
  await sleep(1500);
  const after = (await heard(desk)).packets;
  await sleep(3000);
  const later = (await heard(desk)).packets;
  assert.ok(later - after < 5, `the hall still received ${later - after} packets of Vera`);

  // The console pages; Vera's screen follows.
  await vera.locator('#stadtlab-canvas').click({ position: { x: 240, y: 20 } });
  await vera.keyboard.press('Escape'); // the help a first visit opens
  await desk.click('#next');
  await until('Vera\'s screen shows slide 2', async () => (await state(vera)).talk.screen_shows?.endsWith('/pages/2'), 60, pages);
  await sleep(1500);
  await vera.screenshot({ path: join(OUT, 'talk-slide-2.png') });

  // A written question from Vera, supported, put on the screen by the console.
  await vera.locator('#stadtlab-canvas').click({ position: { x: 240, y: 20 } });
  await vera.keyboard.press('Enter');
  // The line opens as the page's text field (as in the phone and impact tests).
  await vera.locator('#typing-line-text').waitFor({ timeout: 30000 });
  await vera.keyboard.type('/frage Wann kommen die Daten zum Radverkehr?');
  await vera.keyboard.press('Enter');
  await desk.locator('#questions li', { hasText: 'Radverkehr' }).waitFor({ timeout: 30000 });
  await desk.evaluate(() => (window.stadtlabLines ??= []).push('/plus 1'));
  await desk.locator('#questions li', { hasText: '1 +' }).waitFor({ timeout: 30000 });
  await desk.locator('#questions li', { hasText: 'Radverkehr' }).locator('button').first().click();
  await until('the question on Vera\'s screen', async () => (await state(vera)).talk.on_screen === 1, 30, pages);
  await desk.screenshot({ path: join(OUT, 'talk-console.png') });

  // The console reports the head count of the hall, and ends the talk: Vera is asked the
  // closing question and answers with a tap; the talk's figures carry both.
  await desk.fill('#head-count', '12');
  await desk.click('#head-count-form button[type=submit]');
  await sleep(1000);
  await desk.locator('[data-line="/vortrag aus"]').click();
  await until('Vera asked the closing question', async () => (await state(vera)).talk.closing, 30, pages);
  await until('the yes button', async () => (await state(vera)).buttons.find((x) => x.name === 'yes'), 30, pages);
  await sleep(1500);
  await vera.screenshot({ path: join(OUT, 'talk-closing.png') });
  const yes = (await state(vera)).buttons.find((x) => x.name === 'yes');
  await vera.mouse.move(yes.x, yes.y);
  await vera.mouse.down();
  await sleep(1500);
  await vera.mouse.up();
  await until('the answer taken', async () => (await state(vera)).chat.some((l) => l.includes('deine Antwort ist angekommen')), 30, pages);
  // A talk started by hand has no question of its own: the panel is done.
  await until('the panel gone', async () => (await state(vera)).talk.closing == null, 30, pages);
  const talks = await until('the talk counted', async () => {
    const rows = await staff.evaluate(async () => (await fetch('/api/impact/talks.json?exact=true')).json());
    return rows.find((r) => r.room === 'forum' && r.learned_yes === 1) ?? null;
  }, 30, pages);
  assert.equal(talks.on_site, 12, JSON.stringify(talks));
});
