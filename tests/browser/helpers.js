// What the browser tests share: Chromium's flags, free ports, waiting for a condition.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

// Software WebGL (SwiftShader); no calls home; background pages keep rendering, because
// several visitors are "in front" at once.
export const CHROME_ARGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'];

export const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Polls `fn` every 250 ms until it returns something truthy (which it then returns).
export async function until(what, fn, seconds = 120) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const last = await fn();
    if (last) return last;
    await sleep(250);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/// Starts the server binary (STADTLAB_BIN) with `args` on a free HTTP port and free game ports;
/// resolves once /healthz answers.
export async function startServer(args) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.env.STADTLAB_BIN, [...args, '--http', `127.0.0.1:${port}`, '--game-bind-ip', '127.0.0.1',
    '--udp-port', '0', '--webtransport-port', '0', '--websocket-port', '0'],
  { stdio: 'ignore', env: { ...process.env, STADTLAB_LOG: 'warn' } });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch {}
    await sleep(100);
  }
  return { server, base };
}
