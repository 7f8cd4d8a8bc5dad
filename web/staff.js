// The staff page: sign in, review pending uploads (report + picture), approve, reject with a
// reason, hide; create invite links for exhibitors. Every change carries the CSRF token.

import { $, saveLanguage, savedLanguage, setStatus, translate } from '/page.js';
import { ROOM_TEXT, refreshRooms, setupRooms } from '/staff-rooms.js';
import { TALK_TEXT, refreshTalks, setupTalks } from '/staff-talks.js';
import { renderPrintReport } from '/print-report.js';

const PRINTABLE_FORMATS = ['stl-binary', 'stl-ascii', '3mf', 'obj'];

const TEXT = {
  de: {
    lang: 'English', heading: 'stadtLABOR – Team', logout: 'Abmelden', username: 'Name', password: 'Passwort',
    login: 'Anmelden', pending: 'Warten auf Freigabe', invites: 'Einladungen', invite_kind: 'Wofür?',
    kind_exhibitor: 'Exponate hochladen (Aussteller)', kind_teacher: 'Klassenbesuche planen (Lehrkraft)',
    invite_label: 'Für wen? (z. B. Schule, Klasse, Projektteam)', invite_create: 'Einladungslink erstellen',
    on_show: 'In der Ausstellung', off_show: 'Abgelehnt oder ausgeblendet', signed_in: (n) => `Angemeldet als ${n}`,
    approve: 'Freigeben', reject: 'Ablehnen', hide: 'Ausblenden', reason: 'Grund (sieht der Aussteller)',
    none: 'Nichts.', new_link: 'Neuer Link (nur jetzt sichtbar, bitte weitergeben):',
    need_reason: 'Bitte einen Grund angeben.', invite_row: (i) => `${i.label}: ${i.uploads}/${i.max_uploads} ${i.kind === 'teacher' ? 'Klassenbesuche' : 'Uploads'}, bis ${new Date(i.expires_at * 1000).toLocaleDateString('de-DE')}${i.revoked ? ' (zurückgezogen)' : ''}`,
    report: (r) => `${r.triangles} Dreiecke · ${r.materials} Materialien · ${r.textures} Texturen · ${(r.file_bytes / 1e6).toFixed(1)} MB`,
    status: { pending: 'wartet', approved: 'ausgestellt', rejected: 'abgelehnt', hidden: 'ausgeblendet' },
  },
  en: {
    lang: 'Deutsch', heading: 'stadtLABOR – team', logout: 'Sign out', username: 'Name', password: 'Password',
    login: 'Sign in', pending: 'Waiting for approval', invites: 'Invites', invite_kind: 'What for?',
    kind_exhibitor: 'Upload exhibits (exhibitor)', kind_teacher: 'Plan class visits (teacher)',
    invite_label: 'For whom? (e.g. school, class, project team)', invite_create: 'Create invite link',
    on_show: 'On show', off_show: 'Rejected or hidden', signed_in: (n) => `Signed in as ${n}`,
    approve: 'Approve', reject: 'Reject', hide: 'Hide', reason: 'Reason (the exhibitor sees it)',
    none: 'Nothing.', new_link: 'New link (shown only now, please pass it on):',
    need_reason: 'Please give a reason.', invite_row: (i) => `${i.label}: ${i.uploads}/${i.max_uploads} ${i.kind === 'teacher' ? 'class visits' : 'uploads'}, until ${new Date(i.expires_at * 1000).toLocaleDateString('en-GB')}${i.revoked ? ' (withdrawn)' : ''}`,
    report: (r) => `${r.triangles} triangles · ${r.materials} materials · ${r.textures} textures · ${(r.file_bytes / 1e6).toFixed(1)} MB`,
    status: { pending: 'pending', approved: 'on show', rejected: 'rejected', hidden: 'hidden' },
  },
};
let lang = savedLanguage();
const t = (key) => TEXT[lang][key] ?? ROOM_TEXT[lang][key] ?? TALK_TEXT[lang][key];
let session = null;

async function call(method, path, body) {
  const headers = {};
  if (session) headers['X-CSRF-Token'] = session.csrf_token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(data.message ?? res.statusText), { status: res.status });
  return data;
}

function applyLanguage() {
  translate(lang, t);
  $('lang').textContent = t('lang');
  if (session) { $('who').textContent = t('signed_in')(session.username); refresh(); }
}

function card(e) {
  const div = document.createElement('div');
  div.className = 'exhibit-card';
  div.dataset.id = e.id;
  const img = document.createElement('img');
  img.alt = e.title[lang];
  if (e.thumbnail_url) img.src = e.thumbnail_url;
  const body = document.createElement('div');
  const h = document.createElement('h3');
  h.textContent = e.title[lang];
  const meta = document.createElement('p');
  meta.textContent = `${e.organisation} · ${e.zone}${e.slot ? ` (${e.slot})` : ''} · ${t('status')[e.status]}`;
  const text = document.createElement('p');
  text.textContent = e.text[lang];
  body.append(h, meta, text);
  for (const url of e.image_urls ?? []) {
    const pic = document.createElement('img');
    pic.src = url; pic.alt = ''; pic.className = 'panel-image';
    body.append(pic);
  }
  if (e.report && e.report.triangles !== undefined) {
    const r = document.createElement('p');
    r.className = 'report';
    r.textContent = t('report')(e.report);
    body.append(r);
    for (const note of e.report.notes ?? []) {
      const n = document.createElement('p'); n.textContent = note; body.append(n);
    }
  }
  if (PRINTABLE_FORMATS.includes(e.report?.format)) {
    // A printable model: its printability report decides as much as its looks.
    const box = document.createElement('div');
    body.append(box);
    fetch(`/api/exhibits/${encodeURIComponent(e.id)}/print`)
      .then((r) => (r.ok ? r.json() : null))
      .then((info) => { if (info) renderPrintReport(box, info, lang); })
      .catch(() => {});
  }
  const actions = document.createElement('div');
  actions.className = 'actions';
  const button = (label, cls, onClick) => {
    const b = document.createElement('button'); b.type = 'button'; b.textContent = label; b.className = cls;
    b.addEventListener('click', onClick); actions.append(b); return b;
  };
  if (e.status !== 'approved') button(t('approve'), 'approve', () => act(e.id, 'approve'));
  if (e.status === 'approved') button(t('hide'), 'hide secondary', () => act(e.id, 'hide'));
  if (e.status === 'pending') {
    const label = document.createElement('label');
    label.textContent = t('reason');
    const reason = document.createElement('input');
    reason.type = 'text'; reason.className = 'reason'; reason.maxLength = 500;
    label.append(reason);
    body.append(label);
    button(t('reject'), 'reject secondary', () => {
      if (!reason.value.trim()) { setStatus(t('need_reason'), true); reason.focus(); return; }
      act(e.id, 'reject', { reason: reason.value });
    });
  }
  body.append(actions);
  div.append(img, body);
  return div;
}

async function act(id, what, body) {
  try {
    await call('POST', `/api/exhibits/${encodeURIComponent(id)}/${what}`, body);
    setStatus('');
    await refresh();
  } catch (e) {
    setStatus(e.message, true);
  }
}

function fill(id, list) {
  const box = $(id);
  if (list.length === 0) { const p = document.createElement('p'); p.textContent = t('none'); box.replaceChildren(p); return; }
  box.replaceChildren(...list.map(card));
}

async function refresh() {
  const all = await call('GET', '/api/exhibits');
  fill('pending', all.filter((e) => e.status === 'pending'));
  fill('approved', all.filter((e) => e.status === 'approved'));
  fill('others', all.filter((e) => e.status === 'rejected' || e.status === 'hidden'));
  await refreshRooms(call, t);
  await refreshTalks(call, t);
  const invites = await call('GET', '/api/invites');
  $('invite-list').replaceChildren(...invites.map((i) => {
    const li = document.createElement('li'); li.textContent = t('invite_row')(i); return li;
  }));
}

function signedIn(info) {
  session = info;
  $('login-form').hidden = true;
  $('work').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = t('signed_in')(info.username);
  refresh().catch((e) => setStatus(e.message, true));
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    signedIn(await call('POST', '/api/session', { username: $('username').value.trim(), password: $('password').value }));
    setStatus('');
  } catch (err) {
    setStatus(err.message, true);
  }
});
$('logout').addEventListener('click', async () => {
  await call('DELETE', '/api/session').catch(() => {});
  location.reload();
});
$('invite-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const made = await call('POST', '/api/invites', { label: $('invite-label').value, kind: $('invite-kind').value });
    const link = new URL(made.link, location.origin).href;
    const p = $('new-invite');
    p.textContent = `${t('new_link')} `;
    const code = document.createElement('code'); code.className = 'invite-link'; code.textContent = link;
    p.append(code);
    $('invite-label').value = '';
    await refresh();
  } catch (err) {
    setStatus(err.message, true);
  }
});
$('lang').addEventListener('click', () => {
  lang = lang === 'de' ? 'en' : 'de';
  saveLanguage(lang);
  applyLanguage();
});
setupRooms(call, t);
setupTalks(call, t, () => session?.csrf_token ?? '');
applyLanguage();
call('GET', '/api/session').then(signedIn).catch(() => { $('login-form').hidden = false; });
