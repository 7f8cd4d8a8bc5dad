// The impact dashboard for staff: the exports' figures (small counts already left out by the
// server) drawn with Chart.js, filtered by date range and room.
const $ = (id) => document.getElementById(id);
const DAY = 86400000;
const iso = (d) => d.toISOString().slice(0, 10);
const charts = {};

async function get(path) {
  const res = await fetch(path, { credentials: 'same-origin' });
  if (!res.ok) throw Object.assign(new Error(`${res.status}`), { status: res.status });
  return res.json();
}

function query() {
  const q = new URLSearchParams({ from: $('from').value, to: $('to').value });
  if ($('room').value) q.set('room', $('room').value);
  return q;
}

function draw(id, type, labels, datasets, horizontal = false) {
  charts[id]?.destroy();
  charts[id] = new window.Chart($(id), {
    type,
    data: { labels, datasets },
    options: {
      animation: false,
      indexAxis: horizontal ? 'y' : 'x',
      scales: { [horizontal ? 'x' : 'y']: { beginAtZero: true } },
      plugins: { legend: { display: datasets.length > 1 } },
    },
  });
}

const sum = (rows, key) => rows.reduce((n, r) => n + (r[key] ?? 0), 0);

async function show() {
  const q = query();
  const range = `from=${q.get('from')}&to=${q.get('to')}`;
  const [rooms, exhibits, list, comments, talks, visits, answers] = await Promise.all([
    get(`/api/impact/rooms.json?${q}&exact=true`),
    get(`/api/impact/exhibits.json?${range}&exact=true`),
    get('/api/exhibits'),
    get(`/api/impact/comments?${range}`),
    get(`/api/impact/talks.json?${range}&exact=true`),
    get(`/api/impact/visits.json?${range}&exact=true`),
    get(`/api/impact/answers?${range}`),
  ]);
  showTalks(talks, answers);
  const months = [...new Set(visits.map((v) => v.day.slice(0, 7)))].sort();
  draw('visits-month-chart', 'bar', months, [
    { label: 'Klassenbesuche', data: months.map((m) => visits.filter((v) => v.day.startsWith(m)).length), backgroundColor: '#6a994e' },
    { label: 'Schülerinnen und Schüler', data: months.map((m) => sum(visits.filter((v) => v.day.startsWith(m)), 'pupils')), backgroundColor: '#a7c957' },
  ]);
  const titles = Object.fromEntries(list.map((e) => [e.id, e.title?.de ?? e.id]));
  const days = [...new Set(rooms.map((r) => r.day))].sort();
  const perDay = (key) => days.map((d) => sum(rooms.filter((r) => r.day === d), key));
  draw('visits-chart', 'line', days, [
    { label: 'Geräte (Besuche)', data: perDay('visitors'), borderColor: '#1e6091', backgroundColor: '#1e6091' },
    { label: 'Eintritte', data: perDay('joins'), borderColor: '#b5651d', backgroundColor: '#b5651d' },
  ]);
  const byExhibit = {};
  for (const r of exhibits) {
    const e = (byExhibit[r.exhibit] ??= { seconds: 0, downloads: 0, inspects: 0, ratings: 0, stars: 0 });
    e.seconds += r.seconds_near ?? 0;
    e.downloads += r.downloads ?? 0;
    e.inspects += r.inspects ?? 0;
    e.ratings += r.ratings ?? 0;
    e.stars += r.stars ?? 0;
  }
  const top = Object.entries(byExhibit).sort((a, b) => b[1].seconds - a[1].seconds).slice(0, 15);
  draw('time-chart', 'bar', top.map(([id]) => titles[id] ?? id),
    [{ label: 'Minuten', data: top.map(([, e]) => Math.round(e.seconds / 6) / 10), backgroundColor: '#2a9d8f' }], true);
  const rated = Object.entries(byExhibit).filter(([, e]) => e.ratings > 0)
    .sort((a, b) => b[1].stars / b[1].ratings - a[1].stars / a[1].ratings);
  draw('ratings-chart', 'bar', rated.map(([id]) => titles[id] ?? id), [
    { label: 'Mittlere Sterne', data: rated.map(([, e]) => Math.round(e.stars / e.ratings * 10) / 10), backgroundColor: '#f4a261' },
    { label: 'Bewertungen', data: rated.map(([, e]) => e.ratings), backgroundColor: '#8d99ae' },
    { label: 'Nahansicht geöffnet', data: rated.map(([, e]) => e.inspects), backgroundColor: '#577590' },
  ], true);
  $('comments').replaceChildren(...comments.map((c) => {
    const li = document.createElement('li');
    li.textContent = `${c.day} · ${titles[c.exhibit] ?? c.exhibit} · ${'★'.repeat(c.stars)}: ${c.text}`;
    return li;
  }));
  if (!comments.length) $('comments').textContent = 'Noch keine Kommentare in diesem Zeitraum.';
  const downloads = Object.entries(byExhibit).filter(([, e]) => e.downloads > 0).sort((a, b) => b[1].downloads - a[1].downloads);
  draw('downloads-chart', 'bar', downloads.map(([id]) => titles[id] ?? id),
    [{ label: 'Downloads', data: downloads.map(([, e]) => e.downloads), backgroundColor: '#e76f51' }], true);
  $('exports').innerHTML = ['rooms.csv', 'rooms.json', 'exhibits.csv', 'exhibits.json', 'talks.csv', 'talks.json', 'visits.csv', 'visits.json']
    .map((n) => `<a href="/api/impact/${n}?${q}">${n}</a>`).join(' · ');
  $('figures').hidden = false;
  window.stadtlabImpact = {
    days, rooms: rooms.length, exhibits: exhibits.length, drawn: Object.keys(charts).length, talks: talks.length, visits: visits.length, answers: answers.length,
    rated: rated.map(([id, e]) => ({ id, ratings: e.ratings, stars: e.stars })),
  };
}

function showTalks(talks, answers) {
  const pick = $('talk');
  pick.replaceChildren(...talks.map((t, i) => new Option(`${t.day} ${t.started} · ${t.title || t.room}`, String(i))));
  const one = () => {
    const t = talks[Number(pick.value)];
    const curve = t ? t.curve.split(',').filter(Boolean).map(Number) : [];
    draw('talk-chart', 'line', curve.map((_, i) => `${i + 1}. Min.`),
      [{ label: 'Menschen im Raum', data: curve, borderColor: '#9b2226', backgroundColor: '#9b2226' }]);
    $('talk-figures').textContent = t
      ? `${t.minutes} Minuten · höchstens ${t.peak_listeners} gleichzeitig online · ${t.on_site ? `${t.on_site} im Saal` : 'im Saal nicht gezählt'} · im Mittel ${t.mean_listeners} · ${t.hands_raised} Meldungen · ${t.questions_asked} Fragen`
      : 'Kein Vortrag in diesem Zeitraum.';
    draw('learned-chart', 'bar', ['Ja', 'Ein bisschen', 'Nein'],
      [{ label: 'Antworten', data: t ? [t.learned_yes, t.learned_a_little, t.learned_no] : [], backgroundColor: ['#2a9d8f', '#e9c46a', '#8d99ae'] }], true);
    // Answers belong to the talk with the same title on the same day.
    const mine = t ? answers.filter((a) => a.day === t.day && a.title === t.title) : [];
    $('answers').replaceChildren(...mine.map((a) => Object.assign(document.createElement('li'), { textContent: `${a.question}: ${a.text}` })));
    if (!mine.length) $('answers').textContent = 'Keine Antworten zu diesem Vortrag.';
  };
  pick.onchange = one;
  pick.value = String(talks.length - 1);
  one();
}

async function start() {
  const today = new Date();
  // Up to tomorrow: the server counts days in the lab's time zone, which may be ahead of this
  // browser's.
  $('to').value = iso(new Date(today.getTime() + DAY));
  $('from').value = iso(new Date(today.getTime() - 29 * DAY));
  try {
    await get('/api/session');
  } catch {
    $('status').innerHTML = 'Bitte zuerst auf der <a href="/staff">Team-Seite</a> anmelden.';
    return;
  }
  const rooms = await get('/api/rooms');
  for (const r of rooms) $('room').add(new Option(r.title?.de ?? r.name, r.name));
  $('room').add(new Option('Klassenbesuche', 'klassenbesuch'));
  $('filters').hidden = false;
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); show().catch((err) => { $('status').textContent = `Fehler: ${err.message}`; }); });
  await show();
}

start().catch((err) => { $('status').textContent = `Fehler: ${err.message}`; });
