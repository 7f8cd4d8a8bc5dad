// The exhibitors' upload page: reached through an invite link (/upload#invite=TOKEN). Sends the
// model with its texts, shows the upload's progress and the server's validation report.

import { $, saveLanguage, savedLanguage, setStatus, translate } from '/page.js';
import { isPrintableName, renderPrintReport } from '/print-report.js';

const TEXT = {
  de: {
    lang: 'English', heading: 'Exponat hochladen', zone: 'Bereich der Ausstellung', title_de: 'Titel (Deutsch)',
    title_en: 'Titel (Englisch, freiwillig)', text_de: 'Text (Deutsch)', text_en: 'Text (Englisch, freiwillig)',
    organisation: 'Organisation', link: 'Link (freiwillig)',
    file: '3D-Modell: .glb, oder .zip mit .gltf, .bin und Texturen; oder ein Druckmodell: .stl, .3mf, .obj (höchstens 64 MB). Ohne Modell wird das Exponat eine Tafel mit Ihren Bildern.',
    licence: 'Lizenz des Druckmodells: dürfen Besucherinnen und Besucher die Datei mitnehmen?', licence_pick: '– bitte wählen –',
    licence_arr: 'Alle Rechte vorbehalten (kein Download)', no_licence: 'Bitte eine Lizenz für das Druckmodell wählen.',
    drop: 'Datei hierher ziehen oder auswählen:', send: 'Hochladen',
    images: 'Bilder für die Tafel (freiwillig, bis zu 3, PNG oder JPEG)', too_many_images: 'Höchstens 3 Bilder.', report: 'Prüfbericht', mine: 'Ihre Uploads',
    no_invite: 'Diese Seite braucht einen Einladungslink vom Team des stadtLABORs.',
    invite: (i) => `Einladung für ${i.label} · noch ${i.uploads_left} Upload(s) · gültig bis ${new Date(i.expires_at * 1000).toLocaleDateString('de-DE')}`,
    sending: 'Wird hochgeladen …', checking: 'Hochgeladen – das Modell wird geprüft …',
    waiting: (n) => `Hochgeladen – wartet auf die Prüfung, Platz ${n} in der Warteschlange …`,
    accepted: 'Angenommen! Das Team prüft Ihr Exponat und schaltet es frei.',
    refused: 'Das Modell hält nicht alle Regeln ein:', too_big: 'Die Datei ist größer als 64 MB.',
    missing: 'Bitte Titel, Text, Organisation und ein Modell oder Bilder angeben.', failed: 'Das Hochladen ist fehlgeschlagen',
    triangles: 'Dreiecke', materials: 'Materialien', textures: 'Texturen', size: 'Größe', file_bytes: 'Dateigröße',
    status: { pending: 'wartet auf Freigabe', approved: 'ausgestellt', rejected: 'abgelehnt', hidden: 'ausgeblendet' },
  },
  en: {
    lang: 'Deutsch', heading: 'Upload an exhibit', zone: 'Part of the exhibition', title_de: 'Title (German)',
    title_en: 'Title (English, optional)', text_de: 'Text (German)', text_en: 'Text (English, optional)',
    organisation: 'Organisation', link: 'Link (optional)',
    file: '3D model: .glb, or .zip with .gltf, .bin and textures; or a printable model: .stl, .3mf, .obj (at most 64 MB). Without a model the exhibit is a panel with your pictures.',
    licence: 'Licence of the printable model: may visitors take the file home?', licence_pick: '– please choose –',
    licence_arr: 'All rights reserved (no download)', no_licence: 'Please choose a licence for the printable model.',
    drop: 'Drop the file here or choose it:', send: 'Upload',
    images: 'Pictures for the panel (optional, up to 3, PNG or JPEG)', too_many_images: 'At most 3 pictures.', report: 'Validation report', mine: 'Your uploads',
    no_invite: 'This page needs an invite link from the stadtLABOR team.',
    invite: (i) => `Invite for ${i.label} · ${i.uploads_left} upload(s) left · valid until ${new Date(i.expires_at * 1000).toLocaleDateString('en-GB')}`,
    sending: 'Uploading …', checking: 'Uploaded – checking the model …',
    waiting: (n) => `Uploaded – waiting to be checked, place ${n} in the queue …`,
    accepted: 'Accepted! The team will review your exhibit and put it on show.',
    refused: 'The model breaks these rules:', too_big: 'The file is larger than 64 MB.',
    missing: 'Please give a title, a text, the organisation and a model or pictures.', failed: 'The upload failed',
    triangles: 'Triangles', materials: 'Materials', textures: 'Textures', size: 'Size', file_bytes: 'File size',
    status: { pending: 'waiting for approval', approved: 'on show', rejected: 'rejected', hidden: 'hidden' },
  },
};
const MAX_BYTES = 64 * 1024 * 1024;
let lang = savedLanguage();
const t = (key) => TEXT[lang][key];
const token = new URLSearchParams(location.hash.slice(1)).get('invite') ?? sessionStorage.getItem('stadtlab.invite');
let invite = null;

function applyLanguage() {
  translate(lang, t);
  $('lang').textContent = t('lang');
  if (invite) renderInvite();
}

async function api(path) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message ?? res.statusText);
  return body;
}

function renderInvite() {
  $('invite-info').textContent = t('invite')(invite);
  const zone = $('zone');
  const chosen = zone.value;
  zone.replaceChildren(...invite.zones.map((z) => new Option(z.name[lang], z.id)));
  if (chosen) zone.value = chosen;
  $('mine').hidden = invite.exhibits.length === 0;
  $('my-exhibits').replaceChildren(...invite.exhibits.map((e) => {
    const li = document.createElement('li');
    li.dataset.id = e.id;
    li.dataset.status = e.status;
    li.textContent = `${e.title[lang]} – ${t('status')[e.status]}${e.reject_reason ? `: ${e.reject_reason}` : ''}`;
    return li;
  }));
}

async function loadInvite() {
  if (!token) { setStatus(t('no_invite'), true); return; }
  sessionStorage.setItem('stadtlab.invite', token);
  try {
    invite = await api('/api/invite');
    $('upload-form').hidden = false;
    renderInvite();
  } catch (e) {
    setStatus(e.message, true);
  }
}

function showReport(report) {
  $('report').hidden = false;
  const mb = (n) => (n < 1e6 ? `${Math.max(1, Math.round(n / 1e3))} KB` : `${(n / 1e6).toFixed(1)} MB`);
  const rows = [
    [t('file_bytes'), mb(report.file_bytes)], [t('triangles'), report.triangles.toLocaleString(lang)],
    [t('materials'), report.materials], [t('textures'), `${report.textures} (${mb(report.texture_bytes)})`],
  ];
  if (report.size) rows.push([t('size'), report.size.map((v) => `${v.toFixed(2)} m`).join(' × ')]);
  $('figures').replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    return [dt, dd];
  }));
  $('problems').replaceChildren(...report.problems.map((p) => {
    const li = document.createElement('li'); li.dataset.rule = p.rule; li.textContent = p.message; return li;
  }));
  $('notes').replaceChildren(...report.notes.map((n) => {
    const li = document.createElement('li'); li.textContent = n; return li;
  }));
}

function send(event) {
  event.preventDefault();
  const form = $('upload-form');
  const file = $('file').files[0];
  if ((!file && $('images').files.length === 0) || !$('title_de').value.trim() || !$('text_de').value.trim() || !$('organisation').value.trim()) {
    setStatus(t('missing'), true); return;
  }
  if (file && file.size > MAX_BYTES) { setStatus(t('too_big'), true); return; }
  const printable = file && isPrintableName(file.name);
  if (printable && !$('licence').value) { setStatus(t('no_licence'), true); return; }
  if ($('images').files.length > 3) { setStatus(t('too_many_images'), true); return; }
  const data = new FormData(form);
  // Names this upload in the server's check queue, so that the page can show its place.
  const ticket = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  data.append('ticket', ticket);
  let polling = null;
  // XMLHttpRequest, because fetch() cannot report upload progress.
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/exhibits');
  xhr.setRequestHeader('Authorization', `Bearer ${token}`);
  const bar = $('progress');
  bar.hidden = false; bar.value = 0;
  $('send').disabled = true;
  setStatus(t('sending'));
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = e.loaded / e.total; };
  xhr.upload.onload = () => {
    bar.value = 1;
    setStatus(t('checking'));
    polling = setInterval(async () => {
      const r = await fetch(`/api/exhibits/queue?ticket=${ticket}`).catch(() => null);
      const place = r && r.ok ? await r.json() : null;
      if (polling && place?.state === 'waiting') setStatus(t('waiting')(place.place));
      else if (polling && place?.state === 'running') setStatus(t('checking'));
    }, 1000);
  };
  const stopPolling = () => { clearInterval(polling); polling = null; };
  xhr.onerror = () => { stopPolling(); setStatus(t('failed'), true); $('send').disabled = false; };
  xhr.onload = async () => {
    stopPolling();
    $('send').disabled = false;
    let body = {};
    try { body = JSON.parse(xhr.responseText); } catch { /* not JSON: handled below */ }
    if (xhr.status === 201) {
      showReport(body.report);
      $('print-report').replaceChildren();
      if (printable) {
        const info = await api(`/api/exhibits/${body.id}/print`).catch(() => null);
        if (info) renderPrintReport($('print-report'), info, lang);
      }
      setStatus(t('accepted'));
      form.reset();
      showLicence();
      invite = await api('/api/invite');
      renderInvite();
    } else if (body.report) {
      showReport(body.report);
      setStatus(t('refused'), true);
    } else {
      setStatus(`${t('failed')}: ${body.message ?? xhr.statusText}`, true);
    }
  };
  xhr.send(data);
}

$('lang').addEventListener('click', () => {
  lang = lang === 'de' ? 'en' : 'de';
  saveLanguage(lang);
  applyLanguage();
});
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files.length) $('file').files = e.dataTransfer.files;
});
$('upload-form').addEventListener('submit', send);
const showLicence = () => { $('licence-box').hidden = !isPrintableName($('file').files[0]?.name); };
$('file').addEventListener('change', showLicence);
drop.addEventListener('drop', showLicence);
applyLanguage();
loadInvite();
