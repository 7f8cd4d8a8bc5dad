// The landing page: room, name, colour, join; then the 3D client's download with real progress.
// No framework: this must load fast on an old laptop or a phone.

import { $, saveLanguage, savedLanguage, translate } from '/page.js';
import { PROGRAMME_TEXT, fetchTalks, nowAndNext, talkItem } from '/programme-view.js';
import { WASM_URL, answerSeatRequests, deviceKey, download, startClient } from '/client-start.js';

const PROTOCOL = 8; // stadtlab_shared::protocol::PROTOCOL_VERSION
// Avatar colours with names, so screen readers say 'Blau' rather than a hex code.
const COLORS = [
  ['#1e66f5', 'Blau', 'Blue'], ['#d20f39', 'Rot', 'Red'], ['#40a02b', 'Grün', 'Green'], ['#df8e1d', 'Gelb', 'Yellow'],
  ['#8839ef', 'Lila', 'Purple'], ['#179299', 'Türkis', 'Teal'], ['#fe640b', 'Orange', 'Orange'], ['#5c5f77', 'Grau', 'Grey'],
];

const TEXT = {
  de: {
    intro: 'Treten Sie ein: ohne Anmeldung, ohne Installation.', name: 'Ihr Name', color: 'Ihre Farbe',
    join: 'Eintreten', loading: '3D-Raum wird geladen …', lang: 'English', langLabel: 'Switch to English',
    people: (n, cap, c) => `${n} von ${cap} Personen im Raum${c ? ` (${c} treten gerade ein)` : ''}`,
    seats_connecting: 'Gerade treten viele gleichzeitig ein. Bitte in ein paar Sekunden erneut versuchen.',
    unknown_room: 'Diesen Raum gibt es nicht.', unreachable: 'Der Server ist nicht erreichbar. Bitte später erneut versuchen.',
    room_full: 'Der Raum ist gerade voll. Bitte später erneut versuchen.', server_full: 'Der Server ist gerade voll.',
    too_many_joins: 'Zu viele Anmeldungen aus Ihrem Netz. Bitte eine Minute warten.',
    too_many_pending: 'Zu viele Anmeldungen aus Ihrem Netz. Bitte einen Moment warten.',
    protocol_mismatch: 'Diese Seite ist veraltet. Bitte neu laden.',
    name_empty: 'Bitte einen Namen eingeben.', name_too_short: 'Der Name ist zu kurz (mindestens 2 Zeichen).',
    name_too_long: 'Der Name ist zu lang (höchstens 24 Zeichen).', name_control_characters: 'Der Name enthält unsichtbare Zeichen.',
    name_reserved: 'Dieser Name ist dem Team vorbehalten.', name_blocked: 'Dieser Name ist hier nicht erlaubt.',
    no_webgl2: 'Ihr Browser kann keine 3D-Grafik (WebGL2). Bitte einen aktuellen Browser verwenden.',
    no_client: 'Platz reserviert – aber der 3D-Client ist auf diesem Server noch nicht installiert.',
    error: 'Etwas ist schiefgegangen. Bitte erneut versuchen.', reserved: 'Platz reserviert.',
    code: 'Code der Klasse (falls Sie mit einer Gruppe kommen)', codeHint: 'Nur Vorname oder Spitzname – bitte keinen vollen Namen.',
    visitTitle: 'Klassenbesuch', guideTitle: 'Klassenbesuch – Sie führen die Gruppe',
    unknown_code: 'Zu diesem Code ist gerade kein Klassenbesuch offen. Bitte den Code prüfen (z. B. K7P-M4Q).',
    visit_not_open: 'Der Klassenbesuch hat noch nicht begonnen. Bitte zur vereinbarten Zeit wiederkommen.',
    visit_locked: 'Die Führung hat den Raum geschlossen: Es kann niemand mehr eintreten.',
    too_many_codes: 'Zu viele falsche Codes aus Ihrem Netz. Bitte eine Minute warten.',
    wrong_guide_key: 'Dieser Führungs-Link gilt nicht für diesen Besuch. Bitte beim Team nachfragen.',
    banned: 'Das Team hat Sie von diesem Server ausgeschlossen.', removed: 'Sie wurden aus dem Raum entfernt und können später wiederkommen.',
    invalid_device: 'Der Browser-Speicher ist beschädigt. Bitte die Seite neu laden.',
  },
  en: {
    intro: 'Step inside: no account, nothing to install.', name: 'Your name', color: 'Your colour',
    join: 'Enter', loading: 'Loading the 3D room …', lang: 'Deutsch', langLabel: 'Auf Deutsch umschalten',
    people: (n, cap, c) => `${n} of ${cap} people in the room${c ? ` (${c} coming in right now)` : ''}`,
    seats_connecting: 'Many people are coming in at once. Please try again in a few seconds.',
    unknown_room: 'There is no such room.', unreachable: 'The server cannot be reached. Please try again later.',
    room_full: 'The room is full right now. Please try again later.', server_full: 'The server is full right now.',
    too_many_joins: 'Too many joins from your network. Please wait a minute.',
    too_many_pending: 'Too many joins from your network. Please wait a moment.',
    protocol_mismatch: 'This page is out of date. Please reload.',
    name_empty: 'Please enter a name.', name_too_short: 'The name is too short (at least 2 characters).',
    name_too_long: 'The name is too long (at most 24 characters).', name_control_characters: 'The name contains invisible characters.',
    name_reserved: 'This name is reserved for the lab team.', name_blocked: 'This name is not allowed here.',
    no_webgl2: 'Your browser cannot show 3D graphics (WebGL2). Please use a current browser.',
    no_client: 'Seat reserved – but the 3D client is not installed on this server yet.',
    error: 'Something went wrong. Please try again.', reserved: 'Seat reserved.',
    code: 'Class code (if you come with a group)', codeHint: 'First name or nickname only – please not your full name.',
    visitTitle: 'Class visit', guideTitle: 'Class visit – you lead the group',
    unknown_code: 'No class visit with this code is open right now. Please check the code (like K7P-M4Q).',
    visit_not_open: 'The class visit has not started yet. Please come back at the agreed time.',
    visit_locked: 'The guide has closed the room: nobody else can come in.',
    too_many_codes: 'Too many wrong codes from your network. Please wait a minute.',
    wrong_guide_key: 'This guide link is not valid for this visit. Please ask the lab team.',
    banned: 'The lab team has banned you from this server.', removed: 'You were removed from the room and can come back later.',
    invalid_device: 'The browser storage is damaged. Please reload the page.',
  },
};

const room = decodeURIComponent(location.pathname.match(/^\/r\/([^/]+)/)?.[1] ?? 'stadtlabor');
const params = new URLSearchParams(location.search);
// A class visit's links carry the code (pupils) and the secret guide key (the guide).
const guideKey = params.get('guide');
// The language chosen here is the client's language too (it reads the same storage key).
let lang = ['de', 'en'].includes(params.get('lang')) ? params.get('lang') : savedLanguage();
saveLanguage(lang);
let roomInfo = null;

function t(key, ...args) {
  const v = TEXT[lang][key] ?? TEXT[lang].error;
  return typeof v === 'function' ? v(...args) : v;
}

function visitCode() {
  return $('code').value.trim();
}

function render() {
  translate(lang, t);
  $('name-hint').hidden = !visitCode();
  if (visitCode() && !roomInfo) $('room-title').textContent = t(guideKey ? 'guideTitle' : 'visitTitle');
  $('lang').textContent = t('lang');
  $('lang').setAttribute('aria-label', t('langLabel'));
  renderColorNames();
  if (roomInfo) {
    $('room-title').textContent = roomInfo.title[lang];
    $('room-people').textContent = t('people', roomInfo.occupancy, roomInfo.capacity, roomInfo.connecting);
    document.title = `${roomInfo.title[lang]} – stadtlab`;
  }
}

/// What is on now and next (any room: the programme is the lab's), with a link to it all.
async function showProgramme() {
  const talks = await fetchTalks().catch(() => []);
  const { running, next } = nowAndNext(talks, Date.now() / 1000);
  const box = $('on-now');
  const pt = (k) => PROGRAMME_TEXT[lang][k];
  const parts = [];
  for (const [key, talk] of [['now', running], ['next', next]]) {
    if (!talk) continue;
    const h = document.createElement('h2');
    h.textContent = pt(key);
    const list = document.createElement('ul');
    list.append(talkItem(talk, lang, pt));
    parts.push(h, list);
  }
  const all = document.createElement('a');
  all.href = '/programme';
  all.textContent = pt('all');
  box.replaceChildren(...parts, all);
  box.hidden = parts.length === 0;
}

function say(key, isError = true) {
  $('status').textContent = t(key);
  $('status').className = isError ? 'error' : '';
  $('status').dataset.code = key;
}

async function loadRoom() {
  try {
    const r = await fetch(`/api/rooms/${encodeURIComponent(room)}`);
    if (r.status === 404) return say('unknown_room');
    if (!r.ok) return say('unreachable');
    roomInfo = await r.json();
    render();
  } catch { say('unreachable'); }
}

function colorPicker() {
  const saved = localStorage.getItem('stadtlab.color') ?? COLORS[0][0];
  for (const [hex] of COLORS) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="radio" name="color" value="${hex}"${hex === saved ? ' checked' : ''}>` +
      `<span class="swatch" style="background:${hex}"></span><span class="sr-only"></span>`;
    $('colors').appendChild(label);
  }
}

function renderColorNames() {
  document.querySelectorAll('#colors .sr-only').forEach((el, i) => { el.textContent = COLORS[i][lang === 'de' ? 1 : 2]; });
}

async function join(name, color) {
  // `?transport=websocket` skips WebTransport (networks that block UDP; tests).
  const transport = params.get('transport') === 'websocket' ? 'websocket' : 'webtransport';
  const body = { name, color, protocol: PROTOCOL, transport, device: deviceKey() };
  const code = visitCode();
  const place = code ? `visit.${code.toUpperCase()}` : room;
  const session = localStorage.getItem(`stadtlab.session.${place}`);
  if (session) body.session = session;
  if (code) body.code = code;
  if (code && guideKey) body.guide = guideKey;
  const url = code ? '/api/visits/join' : `/api/rooms/${encodeURIComponent(room)}/join`;
  const r = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await r.json().catch(() => ({ error: 'error' }));
  if (!r.ok) throw Object.assign(new Error(answer.message), { code: answer.error });
  localStorage.setItem(`stadtlab.session.${place}`, answer.session);
  return answer;
}

// The client starts downloading as soon as the page opens, while the visitor types a name.
let prefetch = null;
let progressShown = () => {};
function clientBytes(onProgress) {
  progressShown = onProgress;
  prefetch ??= download(WASM_URL, (f) => progressShown(f));
  return prefetch;
}

$('lang').addEventListener('click', () => {
  lang = lang === 'de' ? 'en' : 'de';
  saveLanguage(lang);
  render();
  showProgramme();
  if ($('status').dataset.code) say($('status').dataset.code, $('status').className === 'error');
});

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('name').value.trim();
  if (name.length < 2) { say(name ? 'name_too_short' : 'name_empty'); $('name').focus(); return; }
  if (!document.createElement('canvas').getContext('webgl2')) return say('no_webgl2');
  const color = document.querySelector('input[name=color]:checked')?.value ?? COLORS[0][0];
  localStorage.setItem('stadtlab.color', color);
  $('join').disabled = true;
  try {
    const seat = await join(name, color);
    say('reserved', false);
    $('loading').hidden = false;
    const wasm = await WebAssembly.compile(await clientBytes((f) => { $('progress').value = f; }));
    window.stadtlabTicket = seat;
    $('landing').hidden = true;
    await startClient(wasm, roomInfo ? roomInfo.title[lang] : 'stadtlab');
    // A connect token lives 15 s, and downloading and starting the client can take longer on
    // a slow phone: the client connects with a fresh seat fetched now, which replaces the
    // first one (the same session), so one visitor never holds two places.
    window.stadtlabTicket = await join(name, color);
    window.stadtlabTicketReady = true;
    answerSeatRequests(() => join(name, color));
    // Voice is an extra: the room works without it (an old browser, a blocked module).
    import('/voice.js').then((m) => m.startVoice(lang)).catch((e) => console.warn('no voice', e));
  } catch (e) {
    say(e.code in TEXT[lang] ? e.code : (e instanceof TypeError ? 'unreachable' : 'error'));
    $('loading').hidden = true;
    if (String(e.code).startsWith('name_')) $('name').focus();
  } finally {
    $('join').disabled = false;
  }
});

colorPicker();
if (params.get('code')) $('code').value = params.get('code');
$('code').addEventListener('input', render);
render();
if (!params.get('code')) loadRoom();
showProgramme();
if (!new URLSearchParams(location.search).has('demo_avatars')) clientBytes(() => {}).catch(() => { prefetch = null; });

// Benchmark view: `/?demo_avatars=200` starts the client offline with a local crowd.
if (new URLSearchParams(location.search).has('demo_avatars')) {
  $('loading').hidden = false;
  clientBytes((f) => { $('progress').value = f; }).then(startClient).catch((e) => say(e.code ?? 'error'));
}
