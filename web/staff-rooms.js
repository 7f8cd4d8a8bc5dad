// The staff page's part for rooms and people: class visits (create one, see codes and links),
// and moderation (bans with lifting, the audit log, visitors' reports).

import { $, setStatus } from '/page.js';

export const ROOM_TEXT = {
  de: {
    visits: 'Klassenbesuche', visit_title: 'Gruppe (z. B. Klasse 7b, Conrad-von-Soest-Gymnasium)',
    visit_start: 'Beginn', visit_end: 'Ende', visit_size: 'Erwartete Größe (mit Führung)', visit_lang: 'Sprache',
    visit_create: 'Klassenbesuch anlegen', open_lab: 'Labor als Team betreten',
    visit_row: (v) => `${v.title}: Code ${v.code}, ${fmt(v.starts_at, 'de-DE')}–${fmt(v.ends_at, 'de-DE')}, ${v.capacity} Plätze${v.open ? ' (offen)' : ''}`,
    pupil_link: 'Link für die Klasse:', guide_link: 'Link für die Führung (geheim, nur jetzt sichtbar):',
    moderation: 'Moderation', bans: 'Sperren', audit: 'Protokoll', reports: 'Meldungen', lift: 'Sperre aufheben',
    ban_row: (b) => `${b.name} – ${b.reason || 'ohne Grund'} – von ${b.banned_by}, ${fmt(b.created_at, 'de-DE')}${b.lifted_at ? ` (aufgehoben von ${b.lifted_by})` : ''}`,
    audit_row: (a) => `${fmt(a.at, 'de-DE')} ${a.actor} (${a.actor_role}): ${a.action} ${a.target}${a.room ? ` in ${a.room}` : ''}${a.reason ? ` – ${a.reason}` : ''}`,
    report_row: (r) => `${fmt(r.at, 'de-DE')} ${r.reporter} meldet ${r.target} in ${r.room}: ${r.reason}`,
    none: 'Nichts.',
  },
  en: {
    visits: 'Class visits', visit_title: 'Group (e.g. class 7b, Conrad-von-Soest-Gymnasium)',
    visit_start: 'Start', visit_end: 'End', visit_size: 'Expected size (guide included)', visit_lang: 'Language',
    visit_create: 'Create class visit', open_lab: 'Enter the lab as team',
    visit_row: (v) => `${v.title}: code ${v.code}, ${fmt(v.starts_at, 'en-GB')}–${fmt(v.ends_at, 'en-GB')}, ${v.capacity} places${v.open ? ' (open)' : ''}`,
    pupil_link: 'Link for the class:', guide_link: 'Link for the guide (secret, shown only now):',
    moderation: 'Moderation', bans: 'Bans', audit: 'Audit log', reports: 'Reports', lift: 'Lift ban',
    ban_row: (b) => `${b.name} – ${b.reason || 'no reason'} – by ${b.banned_by}, ${fmt(b.created_at, 'en-GB')}${b.lifted_at ? ` (lifted by ${b.lifted_by})` : ''}`,
    audit_row: (a) => `${fmt(a.at, 'en-GB')} ${a.actor} (${a.actor_role}): ${a.action} ${a.target}${a.room ? ` in ${a.room}` : ''}${a.reason ? ` – ${a.reason}` : ''}`,
    report_row: (r) => `${fmt(r.at, 'en-GB')} ${r.reporter} reports ${r.target} in ${r.room}: ${r.reason}`,
    none: 'Nothing.',
  },
};

function fmt(unix, locale) {
  return new Date(unix * 1000).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}

function items(list, row, none, extra) {
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

/// Wires the forms; `call` is the staff page's API helper, `t` looks up ROOM_TEXT keys.
export function setupRooms(call, t) {
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const now = new Date();
  $('visit-start').value = local(now);
  $('visit-end').value = local(new Date(now.getTime() + 90 * 60000));
  $('visit-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const made = await call('POST', '/api/visits', {
        title: $('visit-title').value,
        starts_at: Math.floor(new Date($('visit-start').value).getTime() / 1000),
        ends_at: Math.floor(new Date($('visit-end').value).getTime() / 1000),
        capacity: Number($('visit-size').value),
        language: $('visit-lang').value,
      });
      $('new-visit').replaceChildren(linkLine(`${made.title} – ${made.code}. ${t('pupil_link')}`, made.pupil_link),
        linkLine(t('guide_link'), made.guide_link));
      $('visit-title').value = '';
      await refreshRooms(call, t);
    } catch (err) {
      setStatus(err.message, true);
    }
  });
}

export async function refreshRooms(call, t) {
  const visits = await call('GET', '/api/visits');
  $('visit-list').replaceChildren(...items(visits, t('visit_row'), t('none')));
  const bans = await call('GET', '/api/moderation/bans');
  $('ban-list').replaceChildren(...items(bans, t('ban_row'), t('none'), (li, b) => {
    if (b.lifted_at) return;
    const button = document.createElement('button');
    button.type = 'button'; button.className = 'secondary lift'; button.textContent = t('lift');
    button.addEventListener('click', async () => {
      try { await call('POST', `/api/moderation/bans/${encodeURIComponent(b.id)}/lift`); await refreshRooms(call, t); } catch (err) { setStatus(err.message, true); }
    });
    li.append(' ', button);
  }));
  const audit = await call('GET', '/api/moderation/audit');
  $('audit-list').replaceChildren(...items(audit, t('audit_row'), t('none')));
  const reports = await call('GET', '/api/moderation/reports');
  $('report-list').replaceChildren(...items(reports, t('report_row'), t('none'), (li, r) => {
    if (!r.chat.length) return;
    const pre = document.createElement('pre');
    pre.textContent = r.chat.map(([name, text]) => `${name}: ${text}`).join('\n');
    li.append(pre);
  }));
}
