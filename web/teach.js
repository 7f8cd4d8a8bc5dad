// The teacher's page: reached through a teacher's invite link (/teach#invite=TOKEN) that the
// lab team made; plans class visits without a staff account and lists the teacher's own.

import { $, saveLanguage, savedLanguage, setStatus, translate } from '/page.js';
import { VISIT_TEXT, refreshVisits, setupVisitForm } from '/visit-form.js';

const TEXT = {
  de: {
    ...VISIT_TEXT.de,
    lang: 'English', heading: 'Klassenbesuch planen', visits: 'Ihre Klassenbesuche',
    how: 'So geht es: Besuch anlegen, den Link für die Klasse (oder den Code) an die Schülerinnen und Schüler geben, selbst den Link für die Führung öffnen. Mit der Führung können Sie die Klasse mitnehmen, versammeln, anhalten und auf ein Exponat zeigen.',
    no_invite: 'Diese Seite braucht einen Einladungslink für Lehrkräfte vom Team des stadtLABORs.',
    invite: (i) => `Einladung für ${i.label} · noch ${i.visits_left} Klassenbesuch(e) · gültig bis ${new Date(i.expires_at * 1000).toLocaleDateString('de-DE')}`,
  },
  en: {
    ...VISIT_TEXT.en,
    lang: 'Deutsch', heading: 'Plan a class visit', visits: 'Your class visits',
    how: 'How it works: create the visit, give the class link (or the code) to your pupils, and open the guide link yourself. As the guide you can take the class along, gather it, hold it still and point at an exhibit.',
    no_invite: 'This page needs a teacher\'s invite link from the stadtLABOR team.',
    invite: (i) => `Invite for ${i.label} · ${i.visits_left} class visit(s) left · valid until ${new Date(i.expires_at * 1000).toLocaleDateString('en-GB')}`,
  },
};
let lang = savedLanguage();
const t = (key) => TEXT[lang][key];
const token = new URLSearchParams(location.hash.slice(1)).get('invite') ?? sessionStorage.getItem('stadtlab.teacher');
let invite = null;

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message ?? res.statusText);
  return data;
}

function applyLanguage() {
  translate(lang, t);
  $('lang').textContent = t('lang');
  if (invite) $('invite-info').textContent = t('invite')(invite);
  if (!token) setStatus(t('no_invite'), true);
}

async function refresh() {
  invite = await call('GET', '/api/visits/invite');
  $('invite-info').textContent = t('invite')(invite);
  await refreshVisits(call, t);
}

$('lang').addEventListener('click', () => {
  lang = lang === 'de' ? 'en' : 'de';
  saveLanguage(lang);
  applyLanguage();
  if (invite) refreshVisits(call, t).catch(() => {});
});
setupVisitForm(call, t, refresh);
applyLanguage();
if (token) {
  // Kept for this tab only: a reload keeps working, and the link leaves the address bar.
  sessionStorage.setItem('stadtlab.teacher', token);
  history.replaceState(null, '', location.pathname);
  refresh().then(() => { $('work').hidden = false; }).catch((e) => setStatus(e.message, true));
}
