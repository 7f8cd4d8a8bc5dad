// Starting the 3D client in a page (the landing page, the lab's console): the browser's
// device key, the client's download with real progress, the canvas it runs on, and answering
// its requests for a fresh seat.

import { installTypingLine } from '/typing-line.js';

export const CLIENT = '/client/';
export const WASM_URL = `${CLIENT}stadtlab_client_bg.wasm`;

/// The key this browser keeps for removals and bans (random, nothing else in it).
export function deviceKey() {
  let key = localStorage.getItem('stadtlab.device');
  if (!/^[0-9a-f]{32}$/.test(key ?? '')) {
    key = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem('stadtlab.device', key);
  }
  return key;
}

// Downloads the client with real progress. The bundle travels compressed, so fetch counts
// decompressed bytes: the total comes from the build's manifest, not from Content-Length.
export async function download(url, onProgress) {
  const manifest = await fetch(`${CLIENT}manifest.json`).then((m) => (m.ok ? m.json() : {})).catch(() => ({}));
  const r = await fetch(url);
  if (!r.ok) throw Object.assign(new Error('no client'), { code: 'no_client' });
  const total = manifest.wasm_bytes || Number(r.headers.get('content-length')) || 0;
  const reader = r.body.getReader();
  const chunks = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    got += value.length;
    if (total) onProgress(Math.min(got / total, 1));
  }
  onProgress(1);
  return new Blob(chunks).arrayBuffer();
}

/// Answers the client's requests for another seat (`stadtlabWantsTicket`, set when a handshake
/// failed — a token that lapsed on a slow phone — or a connection was lost), one at a time, with
/// the same session (`join` remembers it), a few times per ten minutes.
export function answerSeatRequests(join) {
  let asking = false;
  let tries = 5;
  setInterval(() => { tries = 5; }, 600000);
  setInterval(async () => {
    if (tries === 0 || asking || !window.stadtlabWantsTicket || window.stadtlabTicketReady) return;
    asking = true;
    tries -= 1;
    try {
      window.stadtlabTicket = await join();
      window.stadtlabWantsTicket = false;
      window.stadtlabTicketReady = true;
    } catch { /* the next round tries again */ } finally {
      asking = false;
    }
  }, 500);
}

/// Starts the client on a canvas labelled `label`, inside `parent` (the whole page by default).
export async function startClient(wasmBytes, label, parent = document.body) {
  const canvas = document.createElement('canvas');
  canvas.id = 'stadtlab-canvas';
  canvas.tabIndex = 0;
  canvas.setAttribute('aria-label', label);
  parent.appendChild(canvas);
  installTypingLine(parent, canvas);
  document.body.classList.add('in-room');
  const { default: init } = await import(`${CLIENT}stadtlab_client.js`);
  try {
    await init({ module_or_path: wasmBytes });
  } catch (e) {
    // winit leaves main() by throwing this on purpose; the app keeps running.
    if (!String(e).includes('Using exceptions for control flow')) throw e;
  }
  canvas.focus();
}
