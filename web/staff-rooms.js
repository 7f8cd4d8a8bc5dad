// The staff page's part for rooms and people: class visits (the form shared with the
// teacher's page), and moderation (bans with lifting, the audit log, visitors' reports).

import { $, setStatus } from '/page.js';
import { VISIT_TEXT, fmt, items, refreshVisits, setupVisitForm } from '/visit-form.js';

export const ROOM_TEXT = {
  de: {
    ...VISIT_TEXT.de,
    visits: 'Klassenbesuche', open_lab: 'Labor als Team betreten', open_impact: 'Wirkung (Zahlen und Exporte)',
    moderation: 'Moderation', bans: 'Sperren', audit: 'Protokoll', reports: 'Meldungen', lift: 'Sperre aufheben',
    ban_row: (b) => `${b.name} – ${b.reason || 'ohne Grund'} – von ${b.banned_by}, ${fmt(b.created_at, 'de-DE')}${b.lifted_at ? ` (aufgehoben von ${b.lifted_by})` : ''}`,
    audit_row: (a) => `${fmt(a.at, 'de-DE')} ${a.actor} (${a.actor_role}): ${a.action} ${a.target}${a.room ? ` in ${a.room}` : ''}${a.reason ? ` – ${a.reason}` : ''}`,
    report_row: (r) => `${fmt(r.at, 'de-DE')} ${r.reporter} meldet ${r.target} in ${r.room}: ${r.reason}`,
  },
  en: {
    ...VISIT_TEXT.en,
    visits: 'Class visits', open_lab: 'Enter the lab as team', open_impact: 'Impact (figures and exports)',
    moderation: 'Moderation', bans: 'Bans', audit: 'Audit log', reports: 'Reports', lift: 'Lift ban',
    ban_row: (b) => `${b.name} – ${b.reason || 'no reason'} – by ${b.banned_by}, ${fmt(b.created_at, 'en-GB')}${b.lifted_at ? ` (lifted by ${b.lifted_by})` : ''}`,
    audit_row: (a) => `${fmt(a.at, 'en-GB')} ${a.actor} (${a.actor_role}): ${a.action} ${a.target}${a.room ? ` in ${a.room}` : ''}${a.reason ? ` – ${a.reason}` : ''}`,
    report_row: (r) => `${fmt(r.at, 'en-GB')} ${r.reporter} reports ${r.target} in ${r.room}: ${r.reason}`,
  },
};

/// Wires the visit form; `call` is the staff page's API helper, `t` looks up ROOM_TEXT keys.
export function setupRooms(call, t) {
  setupVisitForm(call, t, () => refreshRooms(call, t));
}

export async function refreshRooms(call, t) {
  await refreshVisits(call, t);
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
