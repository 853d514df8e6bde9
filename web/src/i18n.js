// Text templates: t('stamp {k} of {n}', {k, n}) fills in the {names}. The new teaching views
// write their labels through t(); only English exists so far (a translation table per language,
// e.g. zh: {'stamp {k} of {n}': '第 {k}/{n} 次'}, would go into TABLES; keys missing from a
// table fall back to English and are recorded in `missing`). The language switch is not built.

const TABLES = { en: null };
export const LANGS = [['en', 'English']];
let lang = 'en';
export const missing = new Set();

export function setLang(l) { lang = TABLES[l] !== undefined ? l : 'en'; return lang; }
export function getLang() { return lang; }

export function t(key, params) {
  let s = key;
  const table = TABLES[lang];
  if (table) {
    if (Object.prototype.hasOwnProperty.call(table, key)) s = table[key];
    else missing.add(key);
  }
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

// Plural helper for English templates: pl(n, 'cell', 'cells').
export const pl = (n, one, many) => (lang === 'en' ? (n === 1 ? one : many) : many);

// The language a page starts in: lang= in the URL hash or query, then the remembered choice,
// then the browser's.
export function initialLang() {
  const m = /(?:^|[#&?])lang=(en|zh)\b/.exec(location.hash + '&' + location.search);
  if (m) return m[1];
  try { const v = localStorage.getItem('convplay-lang'); if (v) return v; } catch { /* file:// may refuse */ }
  const nav = (navigator.language || '').toLowerCase();
  return nav.startsWith('zh') ? 'zh' : 'en';
}

export function rememberLang(l) {
  try { localStorage.setItem('convplay-lang', l); } catch { /* unavailable */ }
}
