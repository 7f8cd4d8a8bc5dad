// Browser benchmark (prints figures, asserts nothing): seconds from opening the page to the
// first rendered frame, and frame time with 200 avatars in view, in headless Chromium
// (SwiftShader: software WebGL2, so frame times are an upper bound). Needs STADTLAB_BIN and a
// built client in web/client.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const port = await new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.env.STADTLAB_BIN, ['--data-dir', mkdtempSync(join(tmpdir(), 'stadtlab-bench-')),
  '--scenes-dir', join(ROOT, 'scenes'), '--web-dir', join(ROOT, 'web'), '--http', `127.0.0.1:${port}`,
  '--game-bind-ip', '127.0.0.1', '--udp-port', '0', '--webtransport-port', '0', '--websocket-port', '0', '--voice-port', '0'], { stdio: 'ignore' });
for (let i = 0; i < 100; i++) { try { if ((await fetch(`${base}/healthz`)).ok) break; } catch {} await sleep(100); }
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-quic', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--no-first-run'] });
const manifest = JSON.parse(readFileSync(join(ROOT, 'web/client/manifest.json'), 'utf8'));
const state = (p) => p.evaluate(() => window.stadtlab?.state?.() ?? null);
try {
  // 1. Page opened → name typed → joined → first frame drawn.
  const p = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await p.goto(`${base}/r/stadtlabor`);
  await p.fill('#name', 'Messung');
  await p.click('#join');
  await p.waitForFunction(() => window.stadtlab?.state?.()?.frames > 0, null, { timeout: 180000, polling: 50 });
  const firstFrame = await p.evaluate(() => performance.now() / 1000);
  await p.close();
  // 2. 200 avatars in view, offline (no network in the figure).
  const q = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await q.goto(`${base}/?demo_avatars=200`);
  await q.waitForFunction(() => window.stadtlab?.state?.()?.frames > 0, null, { timeout: 180000 });
  await sleep(15000); // shader compilation under SwiftShader
  const a = await state(q);
  await sleep(10000);
  const b = await state(q);
  const ms = (10000 / Math.max(1, b.frames - a.frames)).toFixed(1);
  console.log(`bench-browser: bundle=${manifest.profile} wasm_raw_bytes=${manifest.wasm_bytes} wasm_br_bytes=${manifest.wasm_br_bytes} ` +
    `wasm_gz_bytes=${manifest.wasm_gz_bytes} first_frame_s=${firstFrame.toFixed(2)} avatars=${b.avatars_drawn} ` +
    `avatar_batches=${b.avatar_batches} frame_ms_mean_200=${ms}`);
} finally {
  await browser.close();
  server.kill();
}
