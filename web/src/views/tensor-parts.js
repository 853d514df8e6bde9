// Small parts of the tensors view (tensors.js): the colour legend under a tensor, the
// placeholder of a grid not built yet, and the names and layout of the 1-D / 3-D / pooling grids.

import { h, replaceChildrenIfChanged } from '../dom.js';
import { displayLong } from '../numfmt.js';
import { t } from '../i18n.js';
import { opDims, convPads, isPool } from '../state.js';

export function setLegend(el, scale, name) {
  const bar = h('span', { class: 'legend-bar', 'aria-hidden': 'true' });
  bar.style.backgroundImage = scale.gradient();
  const lo = scale.signed ? -scale.max : 0;
  replaceChildrenIfChanged(el, h('span', { class: 'legend-label' }, displayLong(lo)), bar, h('span', { class: 'legend-label' }, displayLong(scale.max)),
    h('span', { class: 'sr-only' }, t('colour scale for {n}: {d}', { n: name, d: scale.signed ? t('blue negative, orange positive') : t('light zero to orange maximum') })));
  el.title = scale.signed ? t('blue: negative · neutral: 0 · orange: positive') : t('neutral: 0 · orange: largest value');
}

// A grid whose cells are not built yet: buildSome() builds the grids of a big page over several
// tasks (budget.js, BUILD_COST) so that no task runs long. Same interface as Grid, with no
// cells to show, mark or move to; its placeholder element is replaced when it is built.
export class PendingGrid {
  // The placeholder is an empty box: 256 captioned placeholders (16×16 kernels) cost a 23 ms
  // layout in the frame after a link loads (text shaping, measured with Chromium's trace).
  constructor(rows, cols) {
    this.rows = rows; this.cols = cols; this.pending = true;
    this.cells = []; this.ghosts = new Map();
    this.el = h('div', { class: 'grid-pending', 'data-testid': 'grid-pending', 'aria-hidden': 'true' });
  }
  cell() { return null; }
  ghost() { return null; }
  at() { return null; }
  focus() {}
  setValues() {}
  setGhosts() {}
  setPending() {}
}

// A cell's name as its grid labels it, in the op's dimensions: x[c, j] (1-D), x[c, i, j],
// x[c, d, i, j] (3-D).
export function cellName(s, name, c, d, i, j) {
  const dims = opDims(s.op);
  return dims === 1 ? `${name}[${c}, ${j}]` : dims === 3 ? `${name}[${c}, ${d}, ${i}, ${j}]` : `${name}[${c}, ${i}, ${j}]`;
}

// A channel of a 3-D tensor: its depth slices side by side, each captioned with its index.
export function slicesRow(caption) {
  return h('div', { class: 'slices', role: 'group', 'aria-label': caption });
}

// Padding drawn around the input: [top, bottom, left, right]. Pooling also draws the cells
// ceil_mode's last window runs past the padded input (bottom, right).
export function inputMargins(s, r) {
  const p = convPads(s);
  if (!isPool(s.op) || !r.geo) return p;
  return [p[0], p[1] + r.geo.axes[0].overhang, p[2], p[3] + r.geo.axes[1].overhang];
}

// A pooling's padding cell: −∞ for max_pool2d (it never wins), 0 for avg_pool2d; past the
// padded input, a cell only ceil_mode's last window reaches.
export function poolGhost(s, i, j) {
  const beyond = i >= s.H + s.padding[0] || j >= s.W + s.padding[1];
  const value = s.op === 'max_pool2d' ? -Infinity : 0;
  if (beyond) return { value, title: t('past the padded input at ({i}, {j}): only ceil_mode’s last window reaches here; it reads nothing', { i, j }) };
  return { value, title: s.op === 'max_pool2d' ? t('max_pool2d padding at ({i}, {j}): −∞, it never wins', { i, j }) : t('avg_pool2d padding at ({i}, {j}): 0', { i, j }) };
}
