// The staff page's part for talks: slides (upload a PDF or pictures, show them on a room's
// screen, page, take down), talk mode on and off, and the programme (plan and remove talks).

import { $, setStatus } from '/page.js';

export const TALK_TEXT = {
  de: {
    talks: 'Vorträge', slides: 'Folien', slides_title: 'Titel der Folien', slides_file: 'PDF oder Bilder (PNG/JPEG, eine Datei je Folie)',
    slides_upload: 'Folien hochladen', stage_room: 'Raum mit Bühne', show: 'Auf die Leinwand', prev: 'Folie zurück', next: 'Folie vor',
    take_down: 'Folien abnehmen', talk_on: 'Vortragsmodus an', talk_off: 'Vortragsmodus aus',
    programme: 'Programm', talk_title_de: 'Titel (Deutsch)', talk_title_en: 'Titel (Englisch)', speaker: 'Wer spricht?',
    starts: 'Beginn', minutes: 'Dauer (Minuten)', description_de: 'Beschreibung (Deutsch)', description_en: 'Beschreibung (Englisch)',
    closing_question: 'Schlussfrage an das Publikum (freiwillig; dazu kommt immer „Hast du etwas Neues erfahren?“)',
    talk_slides: 'Folien zum Vortrag', no_slides: '(keine)', plan: 'Vortrag eintragen', remove: 'Entfernen',
    uploaded: (d) => `„${d.title}“: ${d.pages} Folien (${(d.render_ms / 1000).toFixed(1)} s)`,
    deck_row: (d) => `${d.title} – ${d.pages} Folien`, page_of: (p, n) => `Folie ${p} von ${n}`,
    talk_row: (x) => `${new Date(x.starts_at * 1000).toLocaleString('de-DE', { dateStyle: 'short', timeStyle: 'short' })}–${new Date(x.ends_at * 1000).toLocaleTimeString('de-DE', { timeStyle: 'short' })} · ${x.room}: ${x.title_de} (${x.speaker})`,
    planned: 'Eingetragen.',
  },
  en: {
    talks: 'Talks', slides: 'Slides', slides_title: 'Title of the slides', slides_file: 'PDF or pictures (PNG/JPEG, one file per slide)',
    slides_upload: 'Upload slides', stage_room: 'Room with a stage', show: 'Put on the screen', prev: 'Previous slide', next: 'Next slide',
    take_down: 'Take slides down', talk_on: 'Talk mode on', talk_off: 'Talk mode off',
    programme: 'Programme', talk_title_de: 'Title (German)', talk_title_en: 'Title (English)', speaker: 'Speaker',
    starts: 'Start', minutes: 'Length (minutes)', description_de: 'Description (German)', description_en: 'Description (English)',
    closing_question: 'Closing question for the audience (optional; "Did you learn something new?" is always asked)',
    talk_slides: 'Slides for the talk', no_slides: '(none)', plan: 'Add talk', remove: 'Remove',
    uploaded: (d) => `“${d.title}”: ${d.pages} slides (${(d.render_ms / 1000).toFixed(1)} s)`,
    deck_row: (d) => `${d.title} – ${d.pages} slides`, page_of: (p, n) => `Slide ${p} of ${n}`,
    talk_row: (x) => `${new Date(x.starts_at * 1000).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })}–${new Date(x.ends_at * 1000).toLocaleTimeString('en-GB', { timeStyle: 'short' })} · ${x.room}: ${x.title_en} (${x.speaker})`,
    planned: 'Added.',
  },
};

// What this page last put on a room's screen, to page from.
const shown = { deck: null, page: 1, pages: 0 };

const room = () => $('stage-room').value;

async function stage(call, t, body) {
  try {
    await call('POST', `/api/rooms/${encodeURIComponent(room())}/stage`, body);
    $('slide-page').textContent = shown.deck ? t('page_of')(shown.page, shown.pages) : '';
    setStatus('');
  } catch (err) {
    setStatus(err.message, true);
  }
}

/// Wires the forms; `call` is the staff page's API helper, `csrf()` the session's token.
export function setupTalks(call, t, csrf) {
  $('slides-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData();
    form.append('title', $('slides-title').value);
    for (const f of $('slides-file').files) form.append(f.type === 'application/pdf' ? 'file' : 'image', f, f.name);
    $('slides-result').textContent = '…';
    const res = await fetch('/api/slides', { method: 'POST', headers: { 'X-CSRF-Token': csrf() }, body: form });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) { $('slides-result').textContent = ''; setStatus(data.message ?? res.statusText, true); return; }
    $('slides-result').textContent = t('uploaded')(data);
    setStatus('');
    await refreshTalks(call, t);
  });
  $('talk-on').addEventListener('click', () => stage(call, t, { talk: true }));
  $('talk-off').addEventListener('click', () => stage(call, t, { talk: false }));
  $('slide-prev').addEventListener('click', () => { if (shown.page > 1) { shown.page -= 1; stage(call, t, { page: shown.page }); } });
  $('slide-next').addEventListener('click', () => { if (shown.page < shown.pages) { shown.page += 1; stage(call, t, { page: shown.page }); } });
  $('slides-down').addEventListener('click', () => { shown.deck = null; stage(call, t, { deck: '' }); });
  $('talk-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const starts = Math.floor(new Date($('talk-starts').value).getTime() / 1000);
    try {
      await call('POST', '/api/talks', {
        room: $('talk-room').value, title_de: $('talk-title-de').value, title_en: $('talk-title-en').value,
        speaker: $('talk-speaker').value, description_de: $('talk-description-de').value,
        description_en: $('talk-description-en').value, starts_at: starts,
        ends_at: starts + 60 * Number($('talk-minutes').value || 45), deck_id: $('talk-deck').value || null,
        closing_question: $('talk-closing').value,
      });
      setStatus(t('planned'));
      await refreshTalks(call, t);
    } catch (err) {
      setStatus(err.message, true);
    }
  });
}

export async function refreshTalks(call, t) {
  const rooms = (await call('GET', '/programme.json')).schedule.conference.rooms.map((r) => r.name);
  for (const select of [$('stage-room'), $('talk-room')]) {
    const keep = select.value;
    select.replaceChildren(...rooms.map((r) => Object.assign(document.createElement('option'), { value: r, textContent: r })));
    if (rooms.includes(keep)) select.value = keep;
  }
  const decks = await call('GET', '/api/slides');
  $('deck-list').replaceChildren(...decks.map((d) => {
    const li = document.createElement('li');
    li.textContent = `${t('deck_row')(d)} `;
    const b = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary show-deck', textContent: t('show') });
    b.addEventListener('click', () => { Object.assign(shown, { deck: d.id, page: 1, pages: d.pages }); stage(call, t, { deck: d.id, page: 1 }); });
    li.append(b);
    return li;
  }));
  const none = Object.assign(document.createElement('option'), { value: '', textContent: t('no_slides') });
  $('talk-deck').replaceChildren(none, ...decks.map((d) => Object.assign(document.createElement('option'), { value: d.id, textContent: d.title })));
  const talks = await call('GET', '/api/talks');
  $('talk-list').replaceChildren(...talks.map((x) => {
    const li = document.createElement('li');
    li.textContent = `${t('talk_row')(x)} `;
    const b = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary', textContent: t('remove') });
    b.addEventListener('click', async () => {
      try { await call('DELETE', `/api/talks/${encodeURIComponent(x.id)}`); await refreshTalks(call, t); } catch (err) { setStatus(err.message, true); }
    });
    li.append(b);
    return li;
  }));
}
