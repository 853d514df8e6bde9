// Text templates: t('stamp {k} of {n}', {k, n}) fills in the {names}. Every label of the page
// goes through t(); the key is the English text. TABLES holds one table per other language
// (zh: 简体中文, web/src/i18n-zh.js); keys missing from a table fall back to English and are
// recorded in `missing`. The switch is in the page header (App.switchLang).

import zh from './i18n-zh.js';

const TABLES = { en: null, zh };
export const LANGS = [['en', 'English'], ['zh', '中文']];
let lang = 'en';
export const missing = new Set();

export function setLang(l) { lang = Object.prototype.hasOwnProperty.call(TABLES, l) ? l : 'en'; return lang; }
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
export const pl = (n, one, many) => (lang === 'en' ? (n === 1 ? one : many) : t(many));

// The language a page starts in: lang= in the URL hash or query, then the remembered choice,
// then the browser's.
export function initialLang() {
  const m = /(?:^|[#&?])lang=(en|zh)\b/.exec(location.hash + '&' + location.search);
  if (m) return m[1];
  try { const v = localStorage.getItem('convplay-lang'); if (v && Object.prototype.hasOwnProperty.call(TABLES, v)) return v; } catch { /* file:// may refuse */ }
  const nav = (navigator.language || '').toLowerCase();
  return nav.startsWith('zh') ? 'zh' : 'en';
}

export function rememberLang(l) {
  try { localStorage.setItem('convplay-lang', l); } catch { /* unavailable */ }
}
