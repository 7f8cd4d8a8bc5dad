// What the browser tests share: Chromium's flags, free ports, waiting for a condition.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Software WebGL (SwiftShader); no calls home; background pages keep rendering, because
// several visitors are "in front" at once.
export const CHROME_ARGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'];

export const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Polls `fn` every 250 ms until it returns something truthy (which it then returns). A throw
/// counts as "not yet" (someone briefly missing from a view while their connection comes back
/// must not end the wait); the last one is printed on a time-out. On a time-out, `pages`
/// (name → Playwright page of the 3D client) are described first: whether each is still
/// connected, drawing, and where it stands, so a CI log says which side stalled.
export async function until(what, fn, seconds = 120, pages = {}) {
  const end = Date.now() + seconds * 1000;
  let thrown = null;
  while (Date.now() < end) {
    try {
      const last = await fn();
      if (last) return last;
    } catch (e) {
      thrown = e;
    }
    await sleep(250);
  }
  if (thrown) console.error(`the last check threw: ${thrown.stack ?? thrown}`);
  for (const [name, p] of Object.entries(pages)) console.error(`[${name}] ${await describe(p)}`);
  for (const log of serverLogs) {
    const lines = readFileSync(log, 'utf8').trim().split('\n').filter((l) => /entered|disconnect|expired|voice|ERROR|WARN/.test(l)).slice(-25);
    console.error(`server log ${log}, last connection lines:\n${lines.join('\n')}`);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/// One line about a 3D client page: link status, frame rate, frames drawn, own position, others.
export async function describe(p) {
  try {
    const st = await p.evaluate(() => window.stadtlab?.state?.() ?? null);
    if (!st) return 'no state hook';
    const others = st.avatars.map((a) => `${a.name}@${a.pos.map((v) => v.toFixed(1))}`).join(' ');
    const voice = await p.evaluate(() => window.stadtlabVoice?.state?.() ?? null);
    return `status=${st.status} fps=${st.fps} frames=${st.frames} me=${st.me.pos?.map((v) => v.toFixed(1))} others=${others}`
      + (st.last_tap ? ` last_tap=${JSON.stringify(st.last_tap)}` : '')
      + (voice ? ` voice=${JSON.stringify(voice)}` : '');
  } catch (e) {
    return `page gone: ${e.message}`;
  }
}

const serverLogs = [];

/// Starts the server binary (STADTLAB_BIN) with `args` on a free HTTP port and free game ports;
/// resolves once /healthz answers. Its warnings go to a file whose end a failed wait prints.
export async function startServer(args) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = join(process.env.STADTLAB_TEST_OUT ?? tmpdir(), `server-${port}.log`);
  const out = createWriteStream(log);
  await new Promise((ok) => out.on('open', ok));
  serverLogs.push(log);
  const server = spawn(process.env.STADTLAB_BIN, [...args, '--http', `127.0.0.1:${port}`, '--game-bind-ip', '127.0.0.1',
    '--udp-port', '0', '--webtransport-port', '0', '--websocket-port', '0', '--voice-port', '0'],
  { stdio: ['ignore', out, out], env: { ...process.env, STADTLAB_LOG: process.env.STADTLAB_TEST_SERVER_LOG ?? 'info,str0m=error', NO_COLOR: '1' } });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch {}
    await sleep(100);
  }
  return { server, base };
}

/// 10 s of voice-like sound for Chromium's fake microphone, 48 kHz mono 16-bit PCM: bursts of
/// a tone gliding `glide` Hz around `hz`, with harmonics (a steady sine is taken for noise and
/// suppressed). Different `hz` tell two speakers apart.
export function toneWav(path, hz = 180, glide = 120) {
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
    phase += (2 * Math.PI * (hz + glide * Math.sin(2 * Math.PI * 0.7 * t))) / rate;
    const on = (t % 0.3) < 0.2 ? Math.sin(Math.PI * ((t % 0.3) / 0.2)) : 0;
    const v = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase);
    buf.writeInt16LE(Math.round(9000 * on * v), 44 + i * 2);
  }
  writeFileSync(path, buf);
}

/// Signs `page` in on the staff page as `name` and waits until the page says so.
export async function signInStaff(page, base, name, password) {
  await page.goto(`${base}/staff`);
  await page.fill('#username', name);
  await page.fill('#password', password);
  await page.click('#login-form button[type=submit]');
  await page.locator('#who', { hasText: name }).waitFor();
}

/// Headless Chromium whose fake microphone plays `wav` (permission granted, sound may start
/// without a gesture, WebRTC allowed on loopback).
export function launchWithMicrophone(chromium, wav) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...CHROME_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`, '--allow-loopback-in-peer-connection',
      '--autoplay-policy=no-user-gesture-required'],
  });
}

/// A visitor in a small page of their own (German, 480 × 320) who enters `room` by name and
/// waits until the 3D client is in the room and drawing.
export async function enterRoom(browser, base, name, room = 'forum') {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 480, height: 320 } });
  const p = await context.newPage();
  p.on('console', (m) => { if (m.type() === 'error') console.error(`[${name}] ${m.text()}`); });
  await p.goto(`${base}/r/${room}?transport=websocket`);
  await p.fill('#name', name);
  await p.click('#join');
  await until(`${name} in the room`, async () => {
    const st = await p.evaluate(() => window.stadtlab?.state?.() ?? null);
    return st?.status === 'connected' && st.me.id !== null && st.frames > 0;
  }, 180);
  return p;
}
