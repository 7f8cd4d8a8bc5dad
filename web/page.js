// What the web pages share: the visitor's language (kept between pages and visits), filling
// the translated elements, and the status line.

export const $ = (id) => document.getElementById(id);

/// German unless the browser asks for English, or the visitor chose before.
export function savedLanguage() {
  return localStorage.getItem('stadtlab.lang') ?? (navigator.language?.startsWith('en') ? 'en' : 'de');
}

export function saveLanguage(lang) {
  localStorage.setItem('stadtlab.lang', lang);
}

/// Sets the page language and fills every `[data-i18n]` element with `t(key)`.
export function translate(lang, t) {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

/// The status line (`#status`): a sentence, red when it reports an error.
export function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}
