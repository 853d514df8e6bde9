// The output-size formula with the current numbers substituted (floor and dilation's effective
// kernel included). Rendered as plain DOM (no math library needed); each parameter keeps one
// colour from symbol to number so the substitution can be followed.

import { h } from '../dom.js';
import { convPads } from '../state.js';
import { t } from '../i18n.js';

const v = (name, cls, sub) => h('span', { class: `sym ${cls}` }, h('i', null, name), sub ? h('sub', null, sub) : null);
const n = (x, cls) => h('span', { class: `num ${cls}` }, String(x).replace(/^-/, '−'));
const op = (x) => h('span', { class: 'op' }, ` ${x} `);
const frac = (top, bottom) => h('span', { class: 'frac' }, h('span', { class: 'frac-num' }, top), h('span', { class: 'frac-den' }, bottom));
const floor = (...inner) => h('span', { class: 'floor' }, h('span', { class: 'fl' }, '⌊'), ...inner, h('span', { class: 'fl' }, '⌋'));
const line = (...parts) => h('div', { class: 'fline' }, ...parts);
const paren = (...inner) => h('span', null, '(', ...inner, ')');

function convDim(dim, nIn, pa, pb, d, k, s, padKind) {
  const sym = dim === 'H' ? 'H' : 'W';
  const symmetric = pa === pb;
  const padSym = symmetric ? [n(2, 'c-p'), '·', v('p', 'c-p', dim === 'H' ? '0' : '1')]
    : [v('p', 'c-p', dim === 'H' ? 'top' : 'left'), op('+'), v('p', 'c-p', dim === 'H' ? 'bottom' : 'right')];
  const padNum = symmetric ? [n(2, 'c-p'), '·', n(pa, 'c-p')] : [n(pa, 'c-p'), op('+'), n(pb, 'c-p')];
  const numer = nIn + pa + pb - d * (k - 1) - 1;
  const q = s > 0 ? Math.floor(numer / s) : NaN;
  const out = q + 1;
  const r = s > 0 ? numer - q * s : 0;
  const lines = [
    line(v(sym, 'c-out', 'out'), op('='), floor(frac([v(sym, 'c-in', 'in'), op('+'), ...padSym, op('−'), v('d', 'c-d'), '·', paren(v('k', 'c-k'), op('−'), '1'), op('−'), '1'], v('s', 'c-s'))), op('+'), '1'),
    line(h('span', { class: 'lhs-pad' }), op('='), floor(frac([n(nIn, 'c-in'), op('+'), ...padNum, op('−'), n(d, 'c-d'), '·', paren(n(k, 'c-k'), op('−'), '1'), op('−'), '1'], n(s, 'c-s'))), op('+'), '1',
      op('='), floor(frac(n(numer, ''), n(s, 'c-s'))), op('+'), '1', op('='), h('strong', { class: out > 0 ? 'result' : 'result bad' }, String(out).replace(/^-/, '−'))),
  ];
  const notes = [];
  notes.push(h('span', null, t('effective kernel'), ' ', v('d', 'c-d'), '·(', v('k', 'c-k'), '−1)+1 = ', n(d * (k - 1) + 1, 'c-k')));
  if (padKind === 'same') notes.push(h('span', null, dim === 'H' ? t("padding='same': total {n} split {a} top / {b} bottom", { n: d * (k - 1), a: pa, b: pb }) : t("padding='same': total {n} split {a} left / {b} right", { n: d * (k - 1), a: pa, b: pb })));
  if (padKind === 'valid') notes.push(h('span', null, t("padding='valid' means no padding")));
  if (s > 1 && r > 0 && out > 0) notes.push(h('span', null, t('the floor drops a remainder of {r}: the last {r} padded {what} never reached', { r, what: dim === 'H' ? (r > 1 ? t('rows are') : t('row is')) : (r > 1 ? t('columns are') : t('column is')) })));
  return { lines, notes, out };
}

function convTDim(dim, nIn, p, opad, d, k, s) {
  const sym = dim === 'H' ? 'H' : 'W';
  const sub = dim === 'H' ? '0' : '1';
  const out = (nIn - 1) * s - 2 * p + d * (k - 1) + opad + 1;
  const lines = [
    line(v(sym, 'c-out', 'out'), op('='), paren(v(sym, 'c-in', 'in'), op('−'), '1'), '·', v('s', 'c-s'), op('−'), '2·', v('p', 'c-p', sub), op('+'), v('d', 'c-d'), '·', paren(v('k', 'c-k'), op('−'), '1'), op('+'), v('op', 'c-op', sub), op('+'), '1'),
    line(h('span', { class: 'lhs-pad' }), op('='), paren(n(nIn, 'c-in'), op('−'), '1'), '·', n(s, 'c-s'), op('−'), '2·', n(p, 'c-p'), op('+'), n(d, 'c-d'), '·', paren(n(k, 'c-k'), op('−'), '1'), op('+'), n(opad, 'c-op'), op('+'), '1',
      op('='), h('strong', { class: out > 0 ? 'result' : 'result bad' }, String(out).replace(/^-/, '−'))),
  ];
  const notes = [];
  // Inverse: conv2d with the same k, s, p, d maps sizes base … base+s−1 back to nIn.
  const base = (nIn - 1) * s - 2 * p + d * (k - 1) + 1;
  if (out > 0 && s > 0) {
    const back = Math.floor((out + 2 * p - d * (k - 1) - 1) / s) + 1;
    notes.push(h('span', null, t('inverts conv2d: '), floor(frac([n(out, 'c-out'), op('+'), '2·', n(p, 'c-p'), op('−'), n(d, 'c-d'), '·', paren(n(k, 'c-k'), op('−'), '1'), op('−'), '1'], n(s, 'c-s'))), op('+'), '1', op('='), h('strong', null, String(back))));
    if (s > 1) {
      notes.push(h('span', null, t('because of the floor, conv2d maps every size {a}…{b} to {n}; ', { a: base, b: base + s - 1, n: nIn }), v('op', 'c-op', sub), t(' = 0…{m} picks one (it must be < stride or < dilation)', { m: Math.max(s, d) - 1 })));
    } else {
      notes.push(h('span', null, t('stride 1: the size is unique, so '), v('op', 'c-op', sub), t(' must stay below dilation')));
    }
  }
  notes.push(h('span', null, t('effective kernel'), ' ', v('d', 'c-d'), '·(', v('k', 'c-k'), '−1)+1 = ', n(d * (k - 1) + 1, 'c-k')));
  if (p > 0) notes.push(h('span', null, t('padding {p} crops {p} {what} from each side of the full result', { p, what: dim === 'H' ? (p > 1 ? t('rows') : t('row')) : (p > 1 ? t('columns') : t('column')) })));
  return { lines, notes, out };
}

export function renderFormula(container, s) {
  container.textContent = '';
  const dims = [];
  if (s.op === 'conv_transpose2d') {
    if (s.paddingKind !== 'num') {
      container.appendChild(h('p', { class: 'fnote' }, t("conv_transpose2d takes integer padding only (padding='{p}' is a conv2d option).", { p: s.paddingKind })));
      return;
    }
    dims.push(['H', convTDim('H', s.H, s.padding[0], s.outputPadding[0], s.dilation[0], s.kh, s.stride[0])]);
    dims.push(['W', convTDim('W', s.W, s.padding[1], s.outputPadding[1], s.dilation[1], s.kw, s.stride[1])]);
  } else {
    const [pt, pb, pl, pr] = convPads(s);
    dims.push(['H', convDim('H', s.H, pt, pb, s.dilation[0], s.kh, s.stride[0], s.paddingKind)]);
    dims.push(['W', convDim('W', s.W, pl, pr, s.dilation[1], s.kw, s.stride[1], s.paddingKind)]);
  }
  const same = s.H === s.W && s.kh === s.kw && s.stride[0] === s.stride[1] && s.dilation[0] === s.dilation[1]
    && s.padding[0] === s.padding[1] && s.outputPadding[0] === s.outputPadding[1] && s.paddingKind !== 'same';
  const shown = same ? dims.slice(0, 1) : dims;
  for (const [dim, f] of shown) {
    container.appendChild(h('div', { class: 'fblock' },
      same ? h('div', { class: 'fdim' }, t('height and width (same numbers)')) : h('div', { class: 'fdim' }, dim === 'H' ? t('height') : t('width')),
      ...f.lines,
      h('div', { class: 'fnotes' }, ...f.notes.map((x) => h('div', null, x)))));
  }
}

// The "Output size" panel.
export class FormulaView {
  constructor() {
    this.el = h('div', { class: 'formula', 'data-testid': 'formula' });
    this.section = h('section', { class: 'panel formula-panel' }, h('h2', null, t('Output size')), this.el);
  }

  render(s) { renderFormula(this.el, s); }
}
