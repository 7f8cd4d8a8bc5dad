// The programme as people read it: what is on now and next (the landing page), and the whole
// list (/programme). Times in the reader's own time zone, from the server's unix seconds.

const LOCALE = { de: 'de-DE', en: 'en-GB' };

export const PROGRAMME_TEXT = {
  de: { now: 'Jetzt', next: 'Als Nächstes', nothing: 'Gerade keine Vorträge geplant.', enter: 'Zum Vortrag', all: 'Ganzes Programm', calendar: 'In den Kalender (iCal)' },
  en: { now: 'Now', next: 'Next', nothing: 'No talks planned right now.', enter: 'Join the talk', all: 'Full programme', calendar: 'Add to calendar (iCal)' },
};

/// The talk running at `now` (unix seconds) and the one after it.
export function nowAndNext(talks, now) {
  const running = talks.find((x) => x.starts_at <= now && now < x.ends_at) ?? null;
  const next = talks.find((x) => x.starts_at > now) ?? null;
  return { running, next };
}

/// One talk as a list item: time, title, speaker, room link, description.
export function talkItem(x, lang, t) {
  const li = document.createElement('li');
  li.className = 'talk';
  const when = document.createElement('p');
  const from = new Date(x.starts_at * 1000);
  when.textContent = `${from.toLocaleDateString(LOCALE[lang], { weekday: 'short', day: 'numeric', month: 'short' })}, `
    + `${from.toLocaleTimeString(LOCALE[lang], { timeStyle: 'short' })}–${new Date(x.ends_at * 1000).toLocaleTimeString(LOCALE[lang], { timeStyle: 'short' })}`;
  const title = document.createElement('h3');
  title.textContent = lang === 'en' ? x.title_en : x.title_de;
  const who = document.createElement('p');
  who.textContent = x.speaker;
  const link = document.createElement('a');
  link.href = `/r/${encodeURIComponent(x.room)}`;
  link.textContent = `${t('enter')} (${x.room})`;
  li.append(when, title, who, link);
  const text = lang === 'en' ? x.description_en : x.description_de;
  if (text) { const p = document.createElement('p'); p.textContent = text; li.append(p); }
  return li;
}

export async function fetchTalks() {
  const r = await fetch('/api/talks');
  return r.ok ? r.json() : [];
}
