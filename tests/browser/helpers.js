// What the browser tests share: Chromium's flags, free ports, waiting for a condition.
import assert from 'node:assert/strict';
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
