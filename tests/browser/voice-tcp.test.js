// Voice where UDP does not get through (schools, offices): the server here offers its voice
// port over TCP only (`--voice-udp false`), as a visitor behind a UDP-blocking firewall sees it,
// so Chromium's WebRTC must reach the SFU by ICE over TCP. Anna speaks, Carla hears her over
// TCP; Carla speaks, Anna hears her. (Chromium's own "no UDP" policy cannot be used for this:
// it still sends on loopback. The server tests cover a UDP and a TCP peer in one room.)
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
let server, base, browser;

before(async () => {
  assert.ok(process.env.STADTLAB_BIN, 'set STADTLAB_BIN to the stadtlab binary');
  assert.ok(existsSync(join(ROOT, 'web/client/manifest.json')), 'build the client first: scripts/build-web.sh --fast');
  const data = mkdtempSync(join(tmpdir(), 'stadtlab-voice-tcp-'));
  const wav = join(data, 'tone.wav');
  toneWav(wav);
  ({ server, base } = await startServer(['--data-dir', data, '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web'),
    '--voice-udp', 'false']));
  browser = await launchWithMicrophone(chromium, wav);
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const voice = (p) => p.evaluate(() => window.stadtlabVoice?.state?.() ?? null);
const stats = (p) => p.evaluate(() => window.stadtlabVoice.stats());
const packets = async (p) => (await stats(p)).inbound.reduce((n, r) => n + r.packetsReceived, 0);

const visitor = (name) => enterRoom(browser, base, name);

test('where UDP does not get through, voices go over TCP both ways', async () => {
  const anna = await visitor('Anna');
  const carla = await visitor('Carla');
  const pages = { Anna: anna, Carla: carla };
  await until('both in voice', async () => (await voice(anna))?.connected && (await voice(carla))?.connected, 60, pages)
    .catch(async (e) => {
      console.error(JSON.stringify({ anna: await voice(anna), carla: await voice(carla) }));
      throw e;
    });
  await anna.click('#voice-mic');
  await until('Carla receives Anna\'s audio', async () => (await packets(carla)) > 50, 60, pages);
  assert.equal((await stats(carla)).protocol, 'tcp', 'Carla\'s audio takes TCP');
  assert.equal((await stats(anna)).protocol, 'tcp', 'so does Anna\'s');
  await carla.click('#voice-mic');
  const before = await packets(anna);
  await until('Anna receives Carla\'s audio', async () => (await packets(anna)) > before + 50, 60, pages);
  assert.equal((await voice(carla)).error, null, 'no error shown to Carla');
});
