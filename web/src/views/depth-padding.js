// conv3d's depth padding, drawn: before and after a channel's depth slices, one dashed slice per
// padded depth position (at most margin() each side), holding what F.pad puts there (zeros, or
// the slice it reflects, replicates or wraps). Its cells are ghost-cell with a data-d outside
// 0…D−1, so hovering one explains it and a tap reading it lights it (model-ops.js).

import { h } from '../dom.js';
import { depthPads, base2d, opDims } from '../state.js';
import { padSource } from '../receptive.js';
import { paddedValue } from '../model.js';
import { margin } from '../budget.js';
import { t } from '../i18n.js';

// The padded depth positions drawn: [-m … -1] and [D … D + m' − 1].
export function ghostDepths(s, r) {
  if (opDims(s.op) !== 3 || base2d(s.op) !== 'conv2d' || !r.ok) return { before: [], after: [] };
  const [pf, pk] = depthPads(s).map(margin);
  return { before: Array.from({ length: pf }, (_, k) => k - pf), after: Array.from({ length: pk }, (_, k) => s.D + k) };
}

// Grid options of the padding slice at depth d of channel c (the input slices' margins and size).
export function ghostSliceOpts(s, c, d, margins, size) {
  const attrs = { 'data-testid': 'ghost-cell', 'data-c': c, 'data-d': d, 'data-mode': s.paddingMode };
  return {
    rows: s.H, cols: s.W, editable: false, margins, size, className: 'ghost-slice',
    attrs: () => attrs, ghostAttrs: () => attrs,
    label: (i, j) => t('{m} padding at depth {d}, ({i}, {j})', { m: s.paddingMode, d, i, j }),
    ariaLabel: t('input channel {c}, padding slice at depth {d}', { c, d }),
    caption: h('span', { class: 'muted' }, t('padding, depth {d}', { d })),
  };
}

// Fills a padding slice: the slice it copies (its H×W padding too), or zeros.
export function fillGhostSlice(g, s, r, c, d, scale) {
  const src = padSource(d, s.D, s.paddingMode);
  const n = s.H * s.W;
  if (src < 0) g.setValues(new Float32Array(n), scale, 0);
  else g.setValues(r.x.data, scale, (c * s.D + src) * n);
  if (g.ghosts.size) g.setGhosts((i, j) => ({ value: src < 0 ? 0 : paddedValue(s, r, c * s.D + src, i, j), title: t('{m} padding at depth {d}, ({i}, {j})', { m: s.paddingMode, d, i, j }) }), scale);
}
