// The explanation panel: what the focused cell is and how it was computed, written out with its
// numbers (the sum of products of an output cell, the outputs an input cell reaches). Renders
// the model's highlight.explain (model.js); a polite live region, so a screen reader hears it.

import { h, replaceChildrenIfChanged } from '../dom.js';
import { displayLong } from '../numfmt.js';
import { sumOfProducts, plain } from '../explain.js';
import { t, pl } from '../i18n.js';
import { opDims, base2d } from '../state.js';
import { opsContent } from './explain-ops.js';

const coord = (...i) => `[${i.join(', ')}]`;

export class ExplanationView {
  constructor() {
    this.el = h('div', { class: 'explain', 'data-testid': 'explain', 'aria-live': 'polite' });
    this.section = h('section', { class: 'panel explain-panel', 'aria-label': t('explanation') }, this.el);
  }

  // e: the model's explain object; extra: a note appended (the animation's progress).
  render(s, r, e, extra = '') {
    replaceChildrenIfChanged(this.el, this.content(s, r, e, extra));
  }

  content(s, r, e, extra) {
    const other = opsContent(s, r, e); // 3-D ops and pooling
    if (other) return other;
    switch (e.kind) {
      case 'idle': return plain(t('Hover or focus an output cell to see which inputs and kernel taps produce it, with the sum written out. Hover an input cell to see every output it reaches.'));
      case 'invalid': return plain(t('No output to explain until the configuration is valid.'));
      case 'pending': return plain(t('The output is still being computed.'));
      case 'note': return e.note ? (typeof e.note === 'string' ? h('div', { class: 'sum-note' }, e.note) : e.note) : plain('');
      case 'output': return outputSum(s, r, e);
      case 'input': return inputReach(s, r, e, extra);
      case 'ghost': if (opDims(s.op) === 1) return plain(t('Padding at position {j} of channel {c} ({m}): conv1d reads {v} here.', { j: e.j, c: e.c, m: s.causal ? 'F.pad' : s.paddingMode, v: String(e.value) }));
        return e.src ? plain(t('{m} padding at ({i}, {j}) of channel {c} holds {v}: a copy of {x}.', { m: s.paddingMode, i: e.i, j: e.j, c: e.c, v: String(e.value), x: `x${coord(e.c, e.src[0], e.src[1])}` }))
        : plain(t('Zero padding at ({i}, {j}) of channel {c}: conv2d reads 0 here.', { i: e.i, j: e.j, c: e.c }));
      case 'cropped': if (opDims(s.op) === 3) return plain(t('Cropped: the full transposed-convolution result has a value here (depth {d}, row {r}, column {c}), but padding={p} removes it from the output.', { d: e.d + s.paddingD, r: e.h + s.padding[0], c: e.w + s.padding[1], p: [s.paddingD, ...s.padding].join(',') }));
        if (opDims(s.op) === 1) return plain(t('Cropped: the full transposed-convolution result has a value at position {c}, but padding={p} removes it from the output.', { c: e.w + s.padding[1], p: s.padding[1] }));
        return plain(t('Cropped: the full transposed-convolution result has a value here (row {r}, column {c}), but padding={p} removes it from the output.', { r: e.h + s.padding[0], c: e.w + s.padding[1], p: s.padding.join(',') }));
      case 'weight': return plain(t('{w}: it multiplies input channel {i} for output channel {o}.', { w: `${weightName(s, e.ref)} = ${displayLong(e.value)}`, i: e.ref.in, o: e.ref.out }));
      case 'bias': return plain(t('{b} is added to every cell of output channel {c}.', { b: `b[${e.c}] = ${displayLong(e.value)}`, c: e.c }));
      default: return plain('');
    }
  }
}

// A weight cell's name as its grid labels it: w[a, b, p, q] in the op's weight order
// (conv2d [out, in/groups, ...], conv_transpose2d [in, out/groups, ...]).
function weightName(s, f) {
  const [a, b] = base2d(s.op) === 'conv2d' ? [f.o, f.i] : [f.i, f.o];
  const dims = opDims(s.op);
  const idx = dims === 1 ? [a, b, f.w] : dims === 3 ? [a, b, f.d || 0, f.h, f.w] : [a, b, f.h, f.w];
  return `w[${idx.join(', ')}] ` + t('(input channel {i} to output channel {o})', { i: f.in, o: f.out });
}

function outputSum(s, r, e) {
  const geo = r.geo;
  const { o, oh, ow, y, bias } = e;
  if (opDims(s.op) === 1) return outputSum1d(s, r, e);
  if (s.op === 'conv2d') {
    const terms = e.terms.map((q) => ({ x: q.x, w: q.w, ghost: q.ghost, xTitle: q.ghost ? t('padding ({m}) at ({i}, {j})', { m: s.paddingMode, i: q.ph, j: q.pw }) : `x[${q.c}, ${q.ph}, ${q.pw}]`, wTitle: `w[${q.wi.join(', ')}]` }));
    const nPad = terms.filter((q) => q.ghost).length;
    return sumOfProducts(`y${coord(o, oh, ow)}`, terms, bias, y,
      h('span', null, t('Σ over {ch}{k} taps of {expr}', { ch: geo.Cg > 1 ? t('{n} input channels × ', { n: geo.Cg }) : '', k: `${s.kh}×${s.kw}`, expr: `x_pad[c, ${oh}·${geo.sh} + a·${geo.dh}, ${ow}·${geo.sw} + b·${geo.dw}] · w[${o}, c, a, b]${bias !== null ? ` + b[${o}]` : ''}` }),
        nPad ? t(' — {n} {terms} padding ({m})', { n: nPad, terms: pl(nPad, 'term reads', 'terms read'), m: s.paddingMode }) : '', t('. The total is the API’s output value.')));
  }
  const terms = e.terms.map((q) => ({ x: q.x, w: q.w, xTitle: `x[${q.c}, ${q.ph}, ${q.pw}]`, wTitle: `w[${q.wi.join(', ')}]` }));
  return sumOfProducts(`y${coord(o, oh, ow)}`, terms, bias, y,
    h('span', null, t('Every {xw} with {c1} and {c2} lands here ({n} {terms}).', { xw: `x[c, i, j]·w[c, ${o - Math.floor(o / geo.Kg) * geo.Kg}, a, b]`, c1: `i·${geo.sh} + a·${geo.dh} − ${geo.ph} = ${oh}`, c2: `j·${geo.sw} + b·${geo.dw} − ${geo.pw} = ${ow}`, n: terms.length, terms: pl(terms.length, 'term', 'terms') })));
}

// conv1d (causal: F.pad on the left, then conv1d) and conv_transpose1d: the 2-D terms with the
// height index dropped.
function outputSum1d(s, r, e) {
  const geo = r.geo;
  const { o, ow, y, bias } = e;
  const wi = (q) => `w[${[q.wi[0], q.wi[1], q.wi[3]].join(', ')}]`;
  const terms = e.terms.map((q) => ({ x: q.x, w: q.w, ghost: q.ghost,
    xTitle: q.ghost ? t('padding ({m}) at {i}', { m: s.causal ? 'F.pad' : s.paddingMode, i: q.pw }) : `x[${q.c}, ${q.pw}]`, wTitle: wi(q) }));
  let note;
  if (s.op === 'conv1d') {
    const nPad = terms.filter((q) => q.ghost).length;
    note = h('span', null, t('Σ over {ch}{k} taps of {expr}', { ch: geo.Cg > 1 ? t('{n} input channels × ', { n: geo.Cg }) : '', k: String(s.kw), expr: `x_pad[c, ${ow}·${geo.sw} + b·${geo.dw}] · w[${o}, c, b]${bias !== null ? ` + b[${o}]` : ''}` }),
      s.causal ? t(' — causal: x_pad = F.pad(x, ({n}, 0)), so y[{o}, {t}] reads x[…, {a}…{t}] only: positions up to {t}, never later ones', { n: geo.pl, o, t: ow, a: Math.max(0, ow * geo.sw - geo.pl) }) : '',
      nPad ? t(' — {n} {terms} padding ({m})', { n: nPad, terms: pl(nPad, 'term reads', 'terms read'), m: s.causal ? 'F.pad' : s.paddingMode }) : '', t('. The total is the API’s output value.'));
  } else {
    note = h('span', null, t('Every {xw} with {c1} lands here ({n} {terms}).', { xw: `x[c, j]·w[c, ${o - Math.floor(o / geo.Kg) * geo.Kg}, b]`, c1: `j·${geo.sw} + b·${geo.dw} − ${geo.pw} = ${ow}`, c2: '', n: terms.length, terms: pl(terms.length, 'term', 'terms') }));
  }
  return sumOfProducts(`y${coord(o, ow)}`, terms, bias, y, note);
}

function inputReach(s, r, e, extra) {
  const geo = r.geo;
  const { c, ih, iw, value: xv, outs, ghosts } = e;
  if (opDims(s.op) === 1) {
    return plain(h('b', null, `x${coord(c, iw)} = ${displayLong(xv)}`), t(' feeds {n} {cells}', { n: outs, cells: pl(outs, 'output cell', 'output cells') }),
      ghosts ? t(' and {n} cropped by padding', { n: ghosts }) : '', t('.'), extra || '');
  }
  if (s.op === 'conv2d') {
    return plain(h('b', null, `x${coord(c, ih, iw)} = ${displayLong(xv)}`),
      t(' feeds {n} {cells}', { n: outs, cells: pl(outs, 'output cell', 'output cells') }),
      geo.Kg > 1 ? t(' (in each of output channels {a}…{b})', { a: Math.floor(c / geo.Cg) * geo.Kg, b: (Math.floor(c / geo.Cg) + 1) * geo.Kg - 1 }) : '',
      ghosts ? t(', also through {n} {m} padding {copies}', { n: ghosts, m: s.paddingMode, copies: pl(ghosts, 'copy', 'copies') }) : '', t('.'));
  }
  const { rows, cols } = e;
  const rr = rows.length ? `${rows[0] - geo.ph}…${rows[rows.length - 1] - geo.ph}` : '';
  const cc = cols.length ? `${cols[0] - geo.pw}…${cols[cols.length - 1] - geo.pw}` : '';
  return plain(h('b', null, `x${coord(c, ih, iw)} = ${displayLong(xv)}`),
    t(' scatters {v} × its {kernels} into rows {rr}, columns {cc} of the output', { v: displayLong(xv), kernels: pl(geo.Kg, 'kernel', 'kernels'), rr, cc }),
    (geo.sh > 1 || geo.sw > 1) ? t(' (starting at {a}, {b}{pad})', { a: `${ih}·${geo.sh}`, b: `${iw}·${geo.sw}`, pad: geo.ph || geo.pw ? t(', minus padding {a}, {b}', { a: geo.ph, b: geo.pw }) : '' }) : (geo.ph || geo.pw ? t(' (minus padding {a}, {b})', { a: geo.ph, b: geo.pw }) : ''),
    geo.dh > 1 || geo.dw > 1 ? t(', taps {a}, {b} apart', { a: geo.dh, b: geo.dw }) : '',
    t(': {n} {cells}', { n: outs, cells: pl(outs, 'output cell', 'output cells') }), ghosts ? t(' and {n} cropped by padding', { n: ghosts }) : '', t('.'), extra || '');
}
