// The class-visit form and list, shared by the staff page and the teacher's page: who plans a
// visit differs (staff cookie, teacher's invite), what is asked and shown does not.

import { $, setStatus } from '/page.js';

export const VISIT_TEXT = {
  de: {
    visit_title: 'Gruppe (z. B. Klasse 7b, Conrad-von-Soest-Gymnasium)',
    visit_start: 'Beginn', visit_end: 'Ende', visit_size: 'Erwartete Größe (mit Führung)', visit_lang: 'Sprache',
    visit_create: 'Klassenbesuch anlegen',
    visit_row: (v) => `${v.title}: Code ${v.code}, ${fmt(v.starts_at, 'de-DE')}–${fmt(v.ends_at, 'de-DE')}, ${v.capacity} Plätze${v.open ? ' (offen)' : ''}`,
    pupil_link: 'Link für die Klasse:', guide_link: 'Link für die Führung (geheim, nur jetzt sichtbar):',
    none: 'Nichts.',
  },
  en: {
    visit_title: 'Group (e.g. class 7b, Conrad-von-Soest-Gymnasium)',
    visit_start: 'Start', visit_end: 'End', visit_size: 'Expected size (guide included)', visit_lang: 'Language',
    visit_create: 'Create class visit',
    visit_row: (v) => `${v.title}: code ${v.code}, ${fmt(v.starts_at, 'en-GB')}–${fmt(v.ends_at, 'en-GB')}, ${v.capacity} places${v.open ? ' (open)' : ''}`,
    pupil_link: 'Link for the class:', guide_link: 'Link for the guide (secret, shown only now):',
    none: 'Nothing.',
  },
};

export function fmt(unix, locale) {
  return new Date(unix * 1000).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}

/// List items for `list`, one line each by `row`, or one saying there is nothing.
export function items(list, row, none, extra) {
  if (list.length === 0) { const li = document.createElement('li'); li.textContent = none; return [li]; }
  return list.map((x) => {
    const li = document.createElement('li');
    li.textContent = row(x);
    if (extra) extra(li, x);
    return li;
  });
}

function linkLine(label, href) {
  const p = document.createElement('p');
  p.textContent = `${label} `;
  const code = document.createElement('code');
  code.textContent = new URL(href, location.origin).href;
  p.append(code);
  return p;
}

function field(form, id, key, input) {
  const label = document.createElement('label');
  label.htmlFor = id;
  label.dataset.i18n = key;
  input.id = id;
  form.append(label, input);
  return input;
}

function input(type, attrs = {}) {
  const el = document.createElement('input');
  el.type = type;
  Object.assign(el, attrs);
  return el;
}

/// Builds the form into `#visit-area` (translated by the page's `translate`), with the new
/// visit's links below it and the list of visits under them. `call(method, path, body)` is the
/// page's API helper; `afterCreate` runs once a visit was made.
export function setupVisitForm(call, t, afterCreate) {
  const form = document.createElement('form');
  form.id = 'visit-form';
  form.noValidate = true;
  field(form, 'visit-title', 'visit_title', input('text', { required: true, maxLength: 120 }));
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const now = new Date();
  field(form, 'visit-start', 'visit_start', input('datetime-local', { required: true, value: local(now) }));
  field(form, 'visit-end', 'visit_end', input('datetime-local', { required: true, value: local(new Date(now.getTime() + 90 * 60000)) }));
  field(form, 'visit-size', 'visit_size', input('number', { min: 2, max: 60, value: 26, required: true }));
  const language = document.createElement('select');
  language.append(new Option('Deutsch', 'de'), new Option('English', 'en'));
  field(form, 'visit-lang', 'visit_lang', language);
  const submit = document.createElement('button');
  submit.type = 'submit'; submit.className = 'primary'; submit.dataset.i18n = 'visit_create';
  form.append(submit);
  const made = document.createElement('div');
  made.id = 'new-visit';
  made.setAttribute('aria-live', 'polite');
  const list = document.createElement('ul');
  list.id = 'visit-list';
  $('visit-area').replaceChildren(form, made, list);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const visit = await call('POST', '/api/visits', {
        title: $('visit-title').value,
        starts_at: Math.floor(new Date($('visit-start').value).getTime() / 1000),
        ends_at: Math.floor(new Date($('visit-end').value).getTime() / 1000),
        capacity: Number($('visit-size').value),
        language: $('visit-lang').value,
      });
      made.replaceChildren(linkLine(`${visit.title} – ${visit.code}. ${t('pupil_link')}`, visit.pupil_link),
        linkLine(t('guide_link'), visit.guide_link));
      $('visit-title').value = '';
      setStatus('');
      await afterCreate();
    } catch (err) {
      setStatus(err.message, true);
    }
  });
}

/// Fills the list under the form with the caller's visits that are not over.
export async function refreshVisits(call, t) {
  const visits = await call('GET', '/api/visits');
  $('visit-list').replaceChildren(...items(visits, t('visit_row'), t('none')));
}
