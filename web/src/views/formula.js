// The output-size formula with the current numbers substituted (floor and dilation's effective
// kernel included). Rendered as plain DOM (no math library needed); each parameter keeps one
// colour from symbol to number so the substitution can be followed.

import { h, replaceChildrenIfChanged } from '../dom.js';
import { convPads, depthPads, opDims, isPool } from '../state.js';
import { t } from '../i18n.js';

const v = (name, cls, sub) => h('span', { class: `sym ${cls}` }, h('i', null, name), sub ? h('sub', null, sub) : null);
const n = (x, cls) => h('span', { class: `num ${cls}` }, String(x).replace(/^-/, '−'));
const op = (x) => h('span', { class: 'op' }, ` ${x} `);
const frac = (top, bottom) => h('span', { class: 'frac' }, h('span', { class: 'frac-num' }, top), h('span', { class: 'frac-den' }, bottom));
const floor = (...inner) => h('span', { class: 'floor' }, h('span', { class: 'fl' }, '⌊'), ...inner, h('span', { class: 'fl' }, '⌋'));
const line = (...parts) => h('div', { class: 'fline' }, ...parts);
const paren = (...inner) => h('span', null, '(', ...inner, ')');

// The symbol, the index subscript and the names of the two sides of an axis. 2-D keeps its
// subscripts (H 0, W 1); 3-D numbers (D, H, W) 0, 1, 2; a 1-D length L is 0.
const AXES = {
  H: { sub: '0', lo: 'top', hi: 'bottom' }, W: { sub: '1', lo: 'left', hi: 'right' },
  D3: { sym: 'D', sub: '0', lo: 'front', hi: 'back' }, H3: { sym: 'H', sub: '1', lo: 'top', hi: 'bottom' }, W3: { sym: 'W', sub: '2', lo: 'left', hi: 'right' },
  L: { sub: '0', lo: 'left', hi: 'right' },
};
const axis = (dim) => ({ sym: dim, ...AXES[dim] });

function convDim(dim, nIn, pa, pb, d, k, s, padKind) {
  const ax = axis(dim);
  const sym = ax.sym;
  const symmetric = pa === pb;
  const padSym = symmetric ? [n(2, 'c-p'), '·', v('p', 'c-p', ax.sub)]
    : [v('p', 'c-p', ax.lo), op('+'), v('p', 'c-p', ax.hi)];
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
  if (padKind === 'causal') notes.push(h('span', null, t('causal: F.pad adds (k − 1)·d = {n} on the left and 0 on the right, so the output keeps the input’s length', { n: pa })));
  if (s > 1 && r > 0 && out > 0) notes.push(h('span', null, t('the floor drops a remainder of {r}: the last {r} padded {what} never reached', { r, what: dimWord(ax.sym, r) })));
  return { lines, notes, out };
}

// A count of rows, columns, slices or positions along an axis.
function dimWord(sym, r) {
  if (sym === 'H') return r > 1 ? t('rows are') : t('row is');
  if (sym === 'D') return r > 1 ? t('slices are') : t('slice is');
  if (sym === 'L') return r > 1 ? t('positions are') : t('position is');
  return r > 1 ? t('columns are') : t('column is');
}

// Pooling along one axis: floor (or ceil with ceil_mode) of (n + 2p − d·(k − 1) − 1) / s, plus
// one; with ceil_mode PyTorch drops a last window that would start in the right padding.
function poolDim(dim, nIn, p, d, k, s, ceil) {
  const ax = axis(dim);
  const numer = nIn + 2 * p - d * (k - 1) - 1;
  const q = s > 0 ? (ceil ? Math.ceil(numer / s) : Math.floor(numer / s)) : NaN;
  let out = q + 1;
  const dropped = ceil && s > 0 && out > 0 && (out - 1) * s >= nIn + p;
  if (dropped) out -= 1;
  const round = (...inner) => (ceil ? h('span', { class: 'floor' }, h('span', { class: 'fl' }, '⌈'), ...inner, h('span', { class: 'fl' }, '⌉')) : floor(...inner));
  const lines = [
    line(v(ax.sym, 'c-out', 'out'), op('='), round(frac([v(ax.sym, 'c-in', 'in'), op('+'), n(2, 'c-p'), '·', v('p', 'c-p', ax.sub), op('−'), v('d', 'c-d'), '·', paren(v('k', 'c-k'), op('−'), '1'), op('−'), '1'], v('s', 'c-s'))), op('+'), '1'),
    line(h('span', { class: 'lhs-pad' }), op('='), round(frac([n(nIn, 'c-in'), op('+'), n(2, 'c-p'), '·', n(p, 'c-p'), op('−'), n(d, 'c-d'), '·', paren(n(k, 'c-k'), op('−'), '1'), op('−'), '1'], n(s, 'c-s'))), op('+'), '1',
      dropped ? [op('−'), '1'] : '', op('='), h('strong', { class: out > 0 ? 'result' : 'result bad' }, String(out).replace(/^-/, '−'))),
  ];
  const notes = [];
  if (ceil && s > 0 && numer % s !== 0 && numer >= 0) {
    notes.push(h('span', { 'data-testid': 'ceil-extra' }, t('ceil_mode rounds up: one more window than the floor gives ({a} instead of {b}), starting at {w} and running past the input’s edge', { a: q + 1, b: Math.floor(numer / s) + 1, w: q * s - p })));
  }
  if (dropped) notes.push(h('span', { 'data-testid': 'ceil-dropped' }, t('dropped: the last window would start at {w} = ({o} − 1)·{s} − {p}, at or past the input’s end ({n}); PyTorch requires the last window to start inside the input or the left padding, so it drops it', { w: (out) * s - p, o: out + 1, s, p, n: nIn })));
  if (2 * p > k) notes.push(h('span', null, t('padding {p} is more than half the kernel {k}: PyTorch refuses it (a window could hold padding only)', { p, k })));
  return { lines, notes, out };
}

// fwd: the convolution it inverts (conv1d / conv2d / conv3d).
function convTDim(dim, nIn, p, opad, d, k, s, fwd = 'conv2d') {
  const sym = axis(dim).sym;
  const sub = axis(dim).sub;
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
    notes.push(h('span', null, fwd === 'conv2d' ? t('inverts conv2d: ') : t('inverts {op}: ', { op: fwd }), floor(frac([n(out, 'c-out'), op('+'), '2·', n(p, 'c-p'), op('−'), n(d, 'c-d'), '·', paren(n(k, 'c-k'), op('−'), '1'), op('−'), '1'], n(s, 'c-s'))), op('+'), '1', op('='), h('strong', null, String(back))));
    if (s > 1) {
      notes.push(h('span', null, fwd === 'conv2d' ? t('because of the floor, conv2d maps every size {a}…{b} to {n}; ', { a: base, b: base + s - 1, n: nIn })
        : t('because of the floor, {op} maps every size {a}…{b} to {n}; ', { op: fwd, a: base, b: base + s - 1, n: nIn }), v('op', 'c-op', sub), t(' = 0…{m} picks one (it must be < stride or < dilation)', { m: Math.max(s, d) - 1 })));
    } else {
      notes.push(h('span', null, t('stride 1: the size is unique, so '), v('op', 'c-op', sub), t(' must stay below dilation')));
    }
  }
  notes.push(h('span', null, t('effective kernel'), ' ', v('d', 'c-d'), '·(', v('k', 'c-k'), '−1)+1 = ', n(d * (k - 1) + 1, 'c-k')));
  if (p > 0) notes.push(h('span', null, t('padding {p} crops {p} {what} from each side of the full result', { p, what: sym === 'H' ? (p > 1 ? t('rows') : t('row')) : (p > 1 ? t('columns') : t('column')) })));
  return { lines, notes, out };
}

// The axes of the 1-D, 3-D and pooling ops: [label, formula] per dimension.
function otherDims(s) {
  const nd = opDims(s.op);
  if (isPool(s.op)) {
    const dil = s.op === 'max_pool2d' ? s.dilation : [1, 1];
    return [['H', poolDim('H', s.H, s.padding[0], dil[0], s.kh, s.stride[0], s.ceilMode)], ['W', poolDim('W', s.W, s.padding[1], dil[1], s.kw, s.stride[1], s.ceilMode)]];
  }
  const [pt, pb, pl, pr] = convPads(s);
  const kind = s.causal && s.op === 'conv1d' ? 'causal' : s.paddingKind;
  if (nd === 1) {
    return [['L', s.op === 'conv1d' ? convDim('L', s.W, pl, pr, s.dilation[1], s.kw, s.stride[1], kind)
      : convTDim('L', s.W, s.padding[1], s.outputPadding[1], s.dilation[1], s.kw, s.stride[1], 'conv1d')]];
  }
  if (s.op === 'conv3d') {
    const [pf, pk] = depthPads(s);
    return [['D', convDim('D3', s.D, pf, pk, s.dilationD, s.kd, s.strideD, kind)], ['H', convDim('H3', s.H, pt, pb, s.dilation[0], s.kh, s.stride[0], kind)],
      ['W', convDim('W3', s.W, pl, pr, s.dilation[1], s.kw, s.stride[1], kind)]];
  }
  return [['D', convTDim('D3', s.D, s.paddingD, s.outputPaddingD, s.dilationD, s.kd, s.strideD, 'conv3d')], ['H', convTDim('H3', s.H, s.padding[0], s.outputPadding[0], s.dilation[0], s.kh, s.stride[0], 'conv3d')],
    ['W', convTDim('W3', s.W, s.padding[1], s.outputPadding[1], s.dilation[1], s.kw, s.stride[1], 'conv3d')]];
}

const DIM_NAMES = { H: 'height', W: 'width', D: 'depth', L: 'length' };

export function renderFormula(container, s) {
  container.textContent = '';
  const dims = [];
  if (opDims(s.op) !== 2 || isPool(s.op)) {
    if (s.paddingKind !== 'num' && (s.op === 'conv_transpose1d' || s.op === 'conv_transpose3d')) {
      container.appendChild(h('p', { class: 'fnote' }, t('{op} takes integer padding only.', { op: s.op })));
      return;
    }
    for (const [dim, f] of otherDims(s)) {
      container.appendChild(h('div', { class: 'fblock', 'data-dim': dim }, h('div', { class: 'fdim' }, t(DIM_NAMES[dim])), ...f.lines,
        h('div', { class: 'fnotes' }, ...f.notes.map((x) => h('div', null, x)))));
    }
    return;
  }
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

  render(s) {
    const next = h('div');
    renderFormula(next, s);
    replaceChildrenIfChanged(this.el, [...next.childNodes]);
  }
}
