// A lesson's texts: the learner's language or English ({ en, zh }), and paragraphs with `code`
// spans, built as text nodes (a lesson file is untrusted: no markup from it reaches the page).

import { h } from './dom.js';
import { getLang } from './i18n.js';

export const pick = (text) => (text ? (text[getLang()] || text.en) : '');

// "first paragraph\n\nsecond with `code`" -> <p> elements.
export function paragraphs(text) {
  return pick(text).split(/\n\s*\n/).map((para) => h('p', null, inline(para)));
}

export function inline(str) {
  return str.split(/(`[^`]+`)/).map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? h('code', null, part.slice(1, -1)) : part));
}
