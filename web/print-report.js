// The printability report of a printable model (STL, 3MF, OBJ), as the upload page and the
// staff page show it: a verdict in plain words, the figures, one sentence per finding, what
// the repaired copy changed, and the download links the licence allows.

const WORDS = {
  de: {
    heading: 'Zum Nachdrucken: der Prüfbericht',
    verdict: { ok: 'Bereit zum Drucken', repaired: 'Druckbar mit der reparierten Kopie', problems: 'Braucht Nacharbeit vor dem Druck' },
    difficulty: { easy: 'leicht zu drucken', medium: 'mittelschwer zu drucken', hard: 'schwer zu drucken' },
    size: 'Größe', volume: 'Volumen', triangles: 'Dreiecke', filament: 'Filament', licence: 'Lizenz',
    repairs: 'Die reparierte Kopie ändert:', original: 'Original herunterladen', repaired: 'Reparierte Kopie herunterladen',
    no_download: 'Alle Rechte vorbehalten: die Datei wird nicht weitergegeben.', checker: 'Prüfer',
  },
  en: {
    heading: 'To print yourself: the report',
    verdict: { ok: 'Ready to print', repaired: 'Printable with the repaired copy', problems: 'Needs work before printing' },
    difficulty: { easy: 'easy to print', medium: 'medium to print', hard: 'hard to print' },
    size: 'Size', volume: 'Volume', triangles: 'Triangles', filament: 'Filament', licence: 'Licence',
    repairs: 'The repaired copy changes:', original: 'Download the original', repaired: 'Download the repaired copy',
    no_download: 'All rights reserved: the file is not given out.', checker: 'Checker',
  },
};

function el(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** Fills `box` with the report of `info` (GET /api/exhibits/{id}/print) in `lang`. */
export function renderPrintReport(box, info, lang) {
  const w = WORDS[lang] ?? WORDS.de;
  const r = info.report;
  const num = (v, d) => v.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: d });
  box.replaceChildren();
  box.classList.add('print-report');
  box.dataset.verdict = r.verdict;
  box.append(el('h3', w.heading));
  box.append(el('p', `${w.verdict[r.verdict]} · ${w.difficulty[r.difficulty]}`, { class: `verdict ${r.verdict}` }));
  const figures = el('dl');
  const rows = [
    [w.size, `${r.size_mm.map((v) => num(v, 1)).join(' × ')} mm`],
    [w.volume, `${num(r.volume_cm3, 1)} cm³`],
    [w.triangles, num(r.triangles, 0)],
    [w.filament, `${num(r.filament.grams, 0)} g · ${num(r.filament.metres, 1)} m`],
    [w.licence, info.licence_name[lang] ?? info.licence_name.de],
  ];
  for (const [k, v] of rows) figures.append(el('dt', k), el('dd', v));
  box.append(figures);
  const findings = el('ul', undefined, { class: 'findings' });
  for (const f of r.findings) {
    const li = el('li', f[lang] ?? f.de);
    li.dataset.code = f.code;
    li.dataset.level = f.level;
    findings.append(li);
  }
  box.append(findings);
  if (r.repairs.length) {
    box.append(el('p', w.repairs));
    const list = el('ul', undefined, { class: 'repairs' });
    for (const f of r.repairs) list.append(el('li', f[lang] ?? f.de));
    box.append(list);
  }
  const links = el('p', undefined, { class: 'downloads' });
  if (info.download_url) links.append(el('a', w.original, { href: info.download_url, download: info.file_name, class: 'download-original' }));
  if (info.repaired_url) links.append(' ', el('a', w.repaired, { href: info.repaired_url, download: '', class: 'download-repaired' }));
  if (!info.download_url) links.append(w.no_download);
  box.append(links);
  box.append(el('p', `${w.checker}: ${r.checker}`, { class: 'checker' }));
}

/** Whether a chosen file is a printable model (by its name; the server checks the content). */
export function isPrintableName(name) {
  return /\.(stl|3mf|obj)$/i.test(name ?? '');
}
