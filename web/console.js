// The lab's console: the PC in the physical room, for a signed-in staff member. It joins the
// room as the "hall" (its microphone on air wherever it stands; it hears only what is on
// air), plays the online floor through a plain media element (Chromium cancels echo for
// media elements, not for Web Audio: the room must not hear itself twice), and shows the
// hand queue, the written questions, the chat and the slides in a large layout. Everything
// it does goes through the 3D client as chat commands (`window.stadtlabLines`), so the
// server checks the same rights as for a host in the room.

import { $, saveLanguage, savedLanguage, setStatus, translate } from '/page.js';
import { WASM_URL, answerSeatRequests, deviceKey, download, startClient } from '/client-start.js';

const PROTOCOL = 8; // stadtlab_shared::protocol::PROTOCOL_VERSION
const TEXT = {
  de: {
    heading: 'Konsole im Saal', how: 'Dieser Rechner steht im Saal: Sein Mikrofon geht an alle im virtuellen Raum, und wer online das Wort hat, ist über die Lautsprecher des Saals zu hören.',
    room: 'Raum', name: 'Name im Raum', start: 'Konsole starten', sign_in: 'Bitte zuerst als Team anmelden', lang: 'English',
    talk: 'Vortrag', talk_on: 'Vortrag an', talk_off: 'Vortrag aus', take_floor: 'Wort zurücknehmen', mute_all: 'Alle außer Bühne stumm',
    slides: 'Folien', prev: '◀ Zurück', next: 'Vor ▶', hands: 'Meldungen', lower_all: 'Alle Hände runter', questions: 'Fragen', chat: 'Chat',
    give: 'Wort geben', lower: 'Hand runter', show: 'Auf die Leinwand', answered: 'Beantwortet',
    head_count: 'Menschen im Saal (gezählt)', report: 'Melden', reported: (n) => `Gemeldet: ${n} im Saal`,
    mic_on: 'Saalmikrofon: an', mic_off: 'Saalmikrofon: aus', loading: 'Raum wird geladen …',
    listeners: (n) => `${n} ${n === 1 ? 'Person' : 'Personen'} online`, waiting: (s) => `wartet ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`,
    no_slides: 'Keine Folien auf der Leinwand.', slide: (p, n) => `Folie ${p} von ${n}`, votes: (n) => `${n} +`,
    on_air: (names) => `Zu hören: ${names}`, nobody: 'Gerade spricht niemand auf der Bühne.', floor: (n) => `Das Wort hat: ${n}`,
  },
  en: {
    heading: 'Console in the hall', how: 'This computer stands in the hall: its microphone goes to everyone in the virtual room, and whoever has the floor online is heard through the hall\'s loudspeakers.',
    room: 'Room', name: 'Name in the room', start: 'Start the console', sign_in: 'Please sign in as team first', lang: 'Deutsch',
    talk: 'Talk', talk_on: 'Talk on', talk_off: 'Talk off', take_floor: 'Take the floor back', mute_all: 'Mute all but the stage',
    slides: 'Slides', prev: '◀ Back', next: 'Next ▶', hands: 'Raised hands', lower_all: 'Lower all hands', questions: 'Questions', chat: 'Chat',
    give: 'Give the floor', lower: 'Lower hand', show: 'Put on the screen', answered: 'Answered',
    head_count: 'People in the hall (counted)', report: 'Report', reported: (n) => `Reported: ${n} in the hall`,
    mic_on: 'Hall microphone: on', mic_off: 'Hall microphone: off', loading: 'Loading the room …',
    listeners: (n) => `${n} ${n === 1 ? 'person' : 'people'} online`, waiting: (s) => `waiting ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`,
    no_slides: 'No slides on the screen.', slide: (p, n) => `Slide ${p} of ${n}`, votes: (n) => `${n} +`,
    on_air: (names) => `On air: ${names}`, nobody: 'Nobody is speaking on stage.', floor: (n) => `The floor: ${n}`,
  },
};
let lang = savedLanguage();
const t = (k) => TEXT[lang][k];
const line = (text) => { (window.stadtlabLines ??= []).push(text); };
let micOn = true;
// When each raised hand went up, by avatar id (local clock).
const raisedAt = {};
let room = 'forum';

function render() {
  translate(lang, (k) => (typeof TEXT[lang][k] === 'string' ? TEXT[lang][k] : k));
  $('lang').textContent = t('lang');
  $('mic').textContent = micOn ? t('mic_on') : t('mic_off');
  $('mic').setAttribute('aria-pressed', String(micOn));
}

async function join(name) {
  const body = { name, protocol: PROTOCOL, transport: 'websocket', device: deviceKey() };
  const session = localStorage.getItem(`stadtlab.console.${room}`);
  if (session) body.session = session;
  const r = await fetch(`/api/rooms/${encodeURIComponent(room)}/join`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(answer.message ?? r.statusText);
  localStorage.setItem(`stadtlab.console.${room}`, answer.session);
  return answer;
}

const button = (label, text, cls = 'secondary') => {
  const b = Object.assign(document.createElement('button'), { type: 'button', className: cls, textContent: label });
  b.addEventListener('click', () => line(text));
  return b;
};

/// Refills list `id` with `build()` when `key` (what it shows) changed, or the language did.
function list(id, key, build) {
  const el = $(id);
  if (el.dataset.key === `${lang}:${key}`) return;
  el.dataset.key = `${lang}:${key}`;
  el.replaceChildren(...build());
}

// The desk, redrawn from the client's state twice a second.
function draw() {
  const st = window.stadtlab?.state?.();
  if (!st || st.status !== 'connected') return;
  const talk = st.talk;
  const name = (id) => (id === st.me.id ? $('name').value : st.avatars.find((a) => a.id === id)?.name ?? `#${id}`);
  $('listeners').textContent = t('listeners')(st.avatars.length);
  const air = talk.on_air.map(name);
  $('air').textContent = talk.floor != null ? `${t('floor')(name(talk.floor))} · ${t('on_air')(air.join(', '))}` : (air.length ? t('on_air')(air.join(', ')) : t('nobody'));
  // Lists are rebuilt only when they change: a button must not vanish under the pointer.
  list('hands', talk.queue.map(([id, who]) => `${id}:${who}`).join('|'), () => talk.queue.map(([, who]) => {
    const li = document.createElement('li');
    li.append(Object.assign(document.createElement('span'), { textContent: who }), ' ',
      Object.assign(document.createElement('span'), { className: 'waiting' }), ' ',
      button(t('give'), `/wort ${who}`, 'primary'), ' ', button(t('lower'), `/handrunter ${who}`));
    return li;
  }));
  // The server tells waiting times when the queue changes; they count on here.
  const now = Date.now() / 1000;
  for (const id of Object.keys(raisedAt)) if (!talk.queue.some((q) => String(q[0]) === id)) delete raisedAt[id];
  $('hands').querySelectorAll('.waiting').forEach((el, i) => {
    const [id, , waited] = talk.queue[i];
    const since = (raisedAt[id] ??= now - waited);
    el.textContent = `(${t('waiting')(Math.round(now - since))})`;
  });
  const open = talk.question_list.filter((q) => !q[4]).sort((a, b) => b[3] - a[3]);
  list('questions', open.map((q) => `${q[0]}:${q[3]}`).join('|'), () => open.map(([id, text, by, votes]) => {
    const li = document.createElement('li');
    li.textContent = `${text} — ${by} (${t('votes')(votes)}) `;
    li.append(button(t('show'), `/zeigen ${id}`), ' ', button(t('answered'), `/beantwortet ${id}`));
    return li;
  }));
  const chat = st.chat.slice(-12);
  list('chat', chat.join('\n'), () => chat.map((c) => Object.assign(document.createElement('li'), { textContent: c })));
  const [, page, pages] = talk.slides ?? [null, 0, 0];
  $('slide').textContent = talk.slides ? t('slide')(page, pages) : t('no_slides');
  $('prev').disabled = !talk.slides || page <= 1;
  $('next').disabled = !talk.slides || page >= pages;
  // Once in: this connection is the hall's console (again after a reconnect).
  if (talk.console !== st.me.id) line('/konsole an');
}

async function start() {
  room = $('room').value;
  const name = $('name').value.trim() || 'Saal';
  $('start').disabled = true;
  setStatus(t('loading'));
  try {
    // The client reads its seat when it starts; a fresh one replaces it once it runs (a
    // connect token lives 15 s, the download can take longer).
    window.stadtlabTicket = await join(name);
    const wasm = await WebAssembly.compile(await download(WASM_URL, () => {}));
    $('start-form').hidden = true;
    $('desk').hidden = false;
    await startClient(wasm, room, $('console-view'));
    window.stadtlabTicket = await join(name);
    window.stadtlabTicketReady = true;
    answerSeatRequests(() => join(name));
    setStatus('');
    const voice = await import('/voice.js');
    voice.startVoice(lang);
    // The hall's loudspeakers through media elements (echo-cancelled), the microphone open.
    window.stadtlabVoice.plainPlayback(true);
    window.stadtlabVoice.setMic(true);
    setInterval(draw, 500);
  } catch (e) {
    setStatus(e.message, true);
    $('start').disabled = false;
  }
}

document.querySelectorAll('[data-line]').forEach((b) => b.addEventListener('click', () => line(b.dataset.line)));
$('prev').addEventListener('click', () => { const s = window.stadtlab?.state?.()?.talk?.slides; if (s) line(`/folie ${s[1] - 1}`); });
$('next').addEventListener('click', () => { const s = window.stadtlab?.state?.()?.talk?.slides; if (s) line(`/folie ${s[1] + 1}`); });
// The head count of the physical hall goes with the talk's figures (the highest one counts).
$('head-count-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const n = Number($('head-count').value);
  line(`/saal ${n}`);
  setStatus(t('reported')(n));
});
$('mic').addEventListener('click', () => { micOn = !micOn; window.stadtlabVoice?.setMic(micOn); render(); });
$('lang').addEventListener('click', () => { lang = lang === 'de' ? 'en' : 'de'; saveLanguage(lang); render(); });
$('start-form').addEventListener('submit', (e) => { e.preventDefault(); start(); });

render();
fetch('/api/session').then(async (r) => {
  if (!r.ok) { $('sign-in').hidden = false; return; }
  const rooms = (await (await fetch('/programme.json')).json()).schedule.conference.rooms.map((x) => x.name);
  $('room').replaceChildren(...rooms.map((r2) => Object.assign(document.createElement('option'), { value: r2, textContent: r2 })));
  const asked = new URLSearchParams(location.search).get('room');
  if (rooms.includes(asked)) $('room').value = asked;
  $('start-form').hidden = false;
});
