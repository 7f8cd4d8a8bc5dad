// Voice in real browsers: two Chromium pages in the lab with a fake microphone fed from a
// sound file (written here); both are in voice without asking for the microphone; Anna turns
// hers on, Ben's page receives her audio through the server's SFU (WebRTC getStats: packets
// arriving, audio energy rising) and sees her speaking flag in the state hook; it goes when she
// turns the microphone off. Needs STADTLAB_BIN and a built client (scripts/build-web.sh --fast).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROME_ARGS, startServer, until } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let server, browser, base;

/// 10 s of voice-like sound, 48 kHz mono 16-bit PCM, for Chromium's fake microphone: bursts
/// of a gliding tone with harmonics (a steady sine is taken for noise and suppressed).
function toneWav(path) {
  const rate = 48000;
  const samples = rate * 10;
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0); buf.writeUInt32LE(36 + samples * 2, 4); buf.write('WAVE', 8);
  buf.write('fmt ', 12); buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24); buf.writeUInt32LE(rate * 2, 28); buf.writeUInt16LE(2, 32); buf.writeUInt16LE(16, 34);
  buf.write('data', 36); buf.writeUInt32LE(samples * 2, 40);
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const f = 180 + 120 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * f) / rate;
    const on = (t % 0.3) < 0.2 ? Math.sin(Math.PI * ((t % 0.3) / 0.2)) : 0;
    const v = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase);
    buf.writeInt16LE(Math.round(9000 * on * v), 44 + i * 2);
  }
  writeFileSync(path, buf);
}

before(async () => {
  assert.ok(process.env.STADTLAB_BIN, 'set STADTLAB_BIN to the stadtlab binary');
  assert.ok(existsSync(join(ROOT, 'web/client/manifest.json')), 'build the client first: scripts/build-web.sh --fast');
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-voice-'));
  const wav = join(data, 'tone.wav');
  toneWav(wav);
  ({ server, base } = await startServer(['--data-dir', data, '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web')]));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...CHROME_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`, '--allow-loopback-in-peer-connection',
      '--autoplay-policy=no-user-gesture-required'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const state = (p) => p.evaluate(() => window.stadtlab?.state?.() ?? null);
const voice = (p) => p.evaluate(() => window.stadtlabVoice?.state?.() ?? null);

async function visitor(name) {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 480, height: 320 } });
  const p = await context.newPage();
  p.on('console', (m) => { if (m.type() === 'error') console.error(`[${name}] ${m.text()}`); });
  await p.goto(`${base}/r/stadtlabor?transport=websocket`);
  await p.fill('#name', name);
  await p.click('#join');
  await until(`${name} in the room`, async () => {
    const st = await state(p);
    return st?.status === 'connected' && st.me.id !== null && st.frames > 0;
  }, 180);
  return p;
}

test('one visitor speaks, the one next to her hears it and sees her speaking', async () => {
  const anna = await visitor('Anna');
  const ben = await visitor('Ben');
  const pages = { Anna: anna, Ben: ben };
  // Listening needs no permission: both are in voice as soon as they are in the room.
  await until('both in voice', async () => (await voice(anna))?.connected && (await voice(ben))?.connected, 60, pages);
  assert.equal((await voice(ben)).mic, false, 'nobody\'s microphone is on by itself');
  await anna.click('#voice-mic');
  await until('Anna\'s microphone on', async () => (await voice(anna)).mic, 30, pages);
  const annaId = (await state(anna)).me.id;
  const heard = async () => {
    const s = await ben.evaluate(() => window.stadtlabVoice.stats());
    return s.inbound.reduce((acc, r) => ({ packets: acc.packets + r.packetsReceived, energy: acc.energy + r.totalAudioEnergy }), { packets: 0, energy: 0 });
  };
  await until('Ben receives Anna\'s audio', async () => (await heard()).packets > 50, 60, pages);
  // Headless Chromium measures arriving sound only on a playing <audio> element: Ben listens
  // in plain playback (the placed Web Audio path cannot be measured without an output device).
  await ben.evaluate(() => window.stadtlabVoice.plainPlayback(true));
  const first = await heard();
  await until('the audio carries sound', async () => (await heard()).energy > first.energy, 30, pages)
    .catch(async (e) => {
      for (const p of [anna, ben]) console.error(JSON.stringify(await p.evaluate(() => window.stadtlabVoice.stats())));
      throw e;
    });
  assert.ok((await voice(ben)).slots.includes(annaId), 'a slot of Ben\'s carries Anna');
  await until('Ben sees Anna speaking', async () => (await state(ben)).avatars.find((a) => a.id === annaId)?.speaking, 30, pages);
  // Microphone off: the flag goes.
  await anna.click('#voice-mic');
  await until('Anna no longer speaking', async () => !(await state(ben)).avatars.find((a) => a.id === annaId)?.speaking, 30, pages);
});
