// Voice in real browsers: two Chromium pages in the lab with a fake microphone fed from a
// sound file (written here); both are in voice without asking for the microphone; Anna turns
// hers on, Ben's page receives her audio through the server's SFU (WebRTC getStats: packets
// arriving, audio energy rising) and sees her speaking flag in the state hook; it goes when she
// turns the microphone off. With it on again, Ben runs away beyond the hearing radius (20 m) and
// receives nothing more. In the forum (80 × 50 m): the lab is too small to be 20 m apart.
// Needs STADTLAB_BIN and a built client (scripts/build-web.sh --fast).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { enterRoom, launchWithMicrophone, startServer, toneWav, until } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let server, browser, base;

before(async () => {
  assert.ok(process.env.STADTLAB_BIN, 'set STADTLAB_BIN to the stadtlab binary');
  assert.ok(existsSync(join(ROOT, 'web/client/manifest.json')), 'build the client first: scripts/build-web.sh --fast');
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-voice-'));
  const wav = join(data, 'tone.wav');
  toneWav(wav);
  ({ server, base } = await startServer(['--data-dir', data, '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web')]));
  browser = await launchWithMicrophone(chromium, wav);
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const state = (p) => p.evaluate(() => window.stadtlab?.state?.() ?? null);
const voice = (p) => p.evaluate(() => window.stadtlabVoice?.state?.() ?? null);

const visitor = (name) => enterRoom(browser, base, name);

test('one visitor speaks, the one next to her hears it and sees her speaking', async () => {
  const anna = await visitor('Anna');
  const ben = await visitor('Ben');
  const pages = { Anna: anna, Ben: ben };
  // Listening needs no permission: both are in voice as soon as they are in the room.
  await until('both in voice', async () => (await voice(anna))?.connected && (await voice(ben))?.connected, 60, pages);
  assert.equal((await voice(ben)).mic, false, 'nobody\'s microphone is on by itself');
  await anna.click('#voice-mic');
  await until('Anna\'s microphone on', async () => (await voice(anna)).mic, 30, pages);
  // Her level meter shows that the microphone hears the tone.
  await until('Anna\'s level meter moves', async () => (await voice(anna)).level > 0.05, 30, pages);
  assert.ok(await anna.evaluate(() => document.querySelector('#voice-level').value > 0.05));
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

  // Microphone on again; Ben runs north until he is more than 20 m from Anna: her voice no
  // longer reaches him (the server stops forwarding it; nothing is merely turned down).
  await anna.click('#voice-mic');
  const again = (await heard()).packets;
  await until('Ben hears Anna again', async () => (await heard()).packets > again + 25, 60, pages);
  const apart = async () => {
    const [a, b] = [await state(anna), await state(ben)];
    return Math.hypot(a.me.pos[0] - b.me.pos[0], a.me.pos[2] - b.me.pos[2]);
  };
  await ben.locator('#stadtlab-canvas').click({ position: { x: 240, y: 20 } }); // the ceiling: focus, no walk
  await ben.keyboard.down('Shift');
  await ben.keyboard.down('w');
  await until('Ben is more than 21 m from Anna', async () => (await apart()) > 21, 40, pages)
    .finally(async () => { await ben.keyboard.up('w'); await ben.keyboard.up('Shift'); });
  await until('Anna is in none of Ben\'s slots', async () => !(await voice(ben)).slots.includes(annaId), 20, pages);
  await new Promise((r) => setTimeout(r, 1000));
  const far = (await heard()).packets;
  await new Promise((r) => setTimeout(r, 4000));
  const later = (await heard()).packets;
  assert.ok(later - far < 5, `Ben, ${(await apart()).toFixed(1)} m away, still received ${later - far} packets in 4 s`);
});
