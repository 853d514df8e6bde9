// The hover read-out: the sum of products for an output cell written out with numbers,
// or the outputs an input cell reaches. Pure DOM building from values handed in.

import { h } from './dom.js';
import { displayLong } from './numfmt.js';
import { t as tr } from './i18n.js';

const MAX_TERMS = 48;

const num = (v, cls, title, paren = false) => {
  const s = displayLong(v);
  return h('span', { class: `tn ${cls}`, title: title || null }, paren && v < 0 ? `(${s})` : s);
};

// terms: [{x, w, xTitle, wTitle, ghost}]; result: number; bias: number|null
export function sumOfProducts(label, terms, bias, result, note) {
  const line = h('div', { class: 'sum-line' }, h('span', { class: 'lhs' }, label), ' = ');
  if (terms.length === 0 && bias === null) line.append(h('span', { class: 'muted' }, tr('nothing lands here')), ' = ');
  terms.slice(0, MAX_TERMS).forEach((t, i) => {
    if (i > 0) line.append(h('span', { class: 'plus' }, ' + '));
    line.append(h('span', { class: `term${t.ghost ? ' from-pad' : ''}` }, num(t.x, 'tx', t.xTitle), h('span', { class: 'dot' }, '·'), num(t.w, 'tw', t.wTitle, true)));
  });
  if (terms.length > MAX_TERMS) line.append(h('span', { class: 'muted' }, tr(' + … ({n} more terms)', { n: terms.length - MAX_TERMS })));
  if (bias !== null) {
    if (terms.length > 0) line.append(h('span', { class: 'plus' }, ' + '));
    line.append(h('span', { class: 'term' }, num(bias, 'tb', tr('bias'), true)));
  }
  line.append(' = ', h('strong', { class: 'res', 'data-testid': 'explain-result' }, displayLong(result)));
  return h('div', null, line, note ? h('div', { class: 'sum-note' }, note) : null);
}

export function plain(...parts) {
  return h('div', { class: 'sum-note' }, ...parts);
}
