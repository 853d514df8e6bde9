// The explanation of a focused cell of the 3-D ops and of pooling (explanation.js does the
// others): the sum of products across depth slices, a max-pool window and the input that won
// it (its flat index), an avg-pool sum and its divisor with the reason PyTorch uses it, and
// ceil_mode's extra windows. Renders the model's explain objects (model-ops.js).

import { h } from '../dom.js';
import { displayLong } from '../numfmt.js';
import { sumOfProducts, plain } from '../explain.js';
import { t, pl } from '../i18n.js';

const coord = (...i) => `[${i.join(', ')}]`;

// -> a Node for e, or null when e is not one of these kinds.
export function opsContent(s, r, e) {
  switch (e.kind) {
    case 'output3d': return output3d(s, r, e);
    case 'input3d': return plain(h('b', null, `x${coord(e.c, ...e.p)} = ${displayLong(e.value)}`),
      t(' feeds {n} {cells}', { n: e.outs, cells: pl(e.outs, 'output cell', 'output cells') }),
      e.slices.length ? t(' in depth slices {list} of the output', { list: e.slices.join(', ') }) : '', t('.'));
    case 'ghost3d': return plain(e.src
      ? t('{m} padding at ({i}, {j}) of channel {c}, depth slice {d} holds {v}: a copy of {x}.', { m: s.paddingMode, i: e.i, j: e.j, c: e.c, d: e.d, v: displayLong(e.value), x: `x${coord(e.c, ...e.src)}` })
      : t('Zero padding at ({i}, {j}) of channel {c}, depth slice {d}: conv3d reads 0 here.', { i: e.i, j: e.j, c: e.c, d: e.d }));
    case 'pool-max': return poolMax(s, e);
    case 'pool-avg': return poolAvg(s, e);
    case 'pool-input': return plain(h('b', null, `x${coord(e.c, e.i, e.j)} = ${displayLong(e.value)}`),
      t(' is in the window of {n} {cells}', { n: e.outs, cells: pl(e.outs, 'output cell', 'output cells') }),
      s.op === 'max_pool2d' ? t('; it wins {w} of them (their index is {k} = {i}·{W} + {j})', { w: e.wins, k: e.index, i: e.i, W: s.W, j: e.j }) : '', t('.'));
    case 'pool-pad': return plain(s.op === 'max_pool2d'
      ? t('max_pool2d pads with −∞: a padding cell never wins a window.')
      : t('avg_pool2d pads with 0: it adds nothing to the sum, and count_include_pad decides whether it counts in the divisor.'));
    default: return null;
  }
}

function output3d(s, r, e) {
  const geo = r.geo;
  const terms = e.terms.map((q) => ({ x: q.x, w: q.w, ghost: q.ghost,
    xTitle: q.ghost ? t('padding ({m}) at {p}', { m: s.paddingMode, p: coord(...q.pos) }) : `x${coord(q.c, ...q.pos)}`, wTitle: `w${coord(...q.wi)}` }));
  const [qd, qh, qw] = e.q;
  const how = geo.transposed
    ? t('Every {xw} with {c} lands here ({n} {terms}).', { xw: 'x[c, i, j, l]·w[c, o, a, b, e]', c: `i·${geo.s[0]} + a·${geo.d[0]} − ${geo.lo[0]} = ${qd}, j·${geo.s[1]} + b·${geo.d[1]} − ${geo.lo[1]} = ${qh}, l·${geo.s[2]} + e·${geo.d[2]} − ${geo.lo[2]} = ${qw}`, n: terms.length, terms: pl(terms.length, 'term', 'terms') })
    : t('Σ over {ch}{k} taps across depth slices of {expr}', { ch: geo.Cg > 1 ? t('{n} input channels × ', { n: geo.Cg }) : '', k: `${s.kd}×${s.kh}×${s.kw}`,
      expr: `x_pad[c, ${qd}·${geo.s[0]} + a·${geo.d[0]}, ${qh}·${geo.s[1]} + b·${geo.d[1]}, ${qw}·${geo.s[2]} + e·${geo.d[2]}] · w[${e.o}, c, a, b, e]` });
  // (the transposed sentence ends with its own full stop)
  return sumOfProducts(`y${coord(e.o, ...e.q)}`, terms, e.bias, e.y, h('span', null, how, geo.transposed ? t(' The total is the API’s output value.') : t('. The total is the API’s output value.')));
}

// The window's rows and columns, and a note when only ceil_mode made it.
function windowNote(s, e) {
  const span = (a) => (a.length > 1 ? `${a[0]}…${a[a.length - 1]}` : String(a[0]));
  const parts = [t('Window: rows {r}, columns {c}', { r: span(e.rows), c: span(e.cols) })];
  if (e.values.some((q) => !q.inside)) parts.push(t(' (dashed cells: padding or past the input)'));
  parts.push(t('.'));
  if (e.extra) parts.push(' ', h('b', null, t('ceil_mode:')), ' ', t('this window exists only because ceil_mode rounds the output size up; it starts inside the input and runs past its edge, and the cells past the edge are left out.'));
  return parts;
}

function poolMax(s, e) {
  const vals = h('span', { class: 'pool-values' });
  e.values.forEach((q, k) => {
    if (k) vals.append(', ');
    const won = q.inside && q.i * s.W + q.j === e.index;
    vals.append(h('span', { class: won ? 'won' : null, title: q.inside ? `x${coord(e.c, q.i, q.j)}` : t('padding') }, displayLong(q.v)));
  });
  return h('div', null,
    h('div', { class: 'sum-line' }, h('span', { class: 'lhs' }, `y${coord(e.c, e.oh, e.ow)}`), ' = max(', vals, ') = ',
      h('strong', { class: 'res', 'data-testid': 'explain-result' }, displayLong(e.y))),
    h('div', { class: 'sum-note' }, t('The winner is {x}: its index is {k} = {i}·{W} + {j} (PyTorch’s flat index within the channel, what return_indices gives).',
      { x: `x${coord(e.c, e.win[0], e.win[1])}`, k: e.index, i: e.win[0], W: s.W, j: e.win[1] }), ' ', ...windowNote(s, e)));
}

function poolAvg(s, e) {
  const sum = h('span', null, '(');
  e.terms.forEach((q, k) => { if (k) sum.append(' + '); sum.append(h('span', { class: 'tn tx', title: `x${coord(e.c, q.i, q.j)}` }, displayLong(q.v))); });
  if (!e.terms.length) sum.append('0');
  sum.append(') / ', h('span', { class: 'tn tb', 'data-testid': 'explain-divisor' }, String(e.divisor)));
  let why;
  if (e.reason === 'override') why = t('divisor_override={n} replaces the divisor.', { n: e.divisor });
  else if (e.reason === 'input') why = t('count_include_pad=False: only the {n} input cells of the window count.', { n: e.inputCells });
  else if (e.reason === 'clipped') why = t('count_include_pad=True counts the padding too, but the window is clipped at the padded input’s edge: {n} cells.', { n: e.poolSize });
  else why = t('count_include_pad=True: the window’s {n} cells count, padding included.', { n: e.poolSize });
  return h('div', null,
    h('div', { class: 'sum-line' }, h('span', { class: 'lhs' }, `y${coord(e.c, e.oh, e.ow)}`), ' = ', sum, ' = ',
      h('strong', { class: 'res', 'data-testid': 'explain-result' }, displayLong(e.y))),
    h('div', { class: 'sum-note' }, h('b', null, t('Divisor {n}: ', { n: e.divisor })), why, ' ', ...windowNote(s, e)));
}
