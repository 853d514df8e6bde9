// conv_transpose3d's depth cropping, drawn: padding crops whole depth slices from the full
// result (before and after, at most margin() each side, model-ops.js frame.depth); each is drawn
// as a dashed slice holding the full result there, its cells cropped-cell with a data-d outside
// 0…OD−1 (hovering one explains it). Also the cropped ring around every output grid (all ops
// with a frame): the frame's plane around the grid's cells.

import { h } from '../dom.js';
import { t } from '../i18n.js';

// Depth slices cropped on each side (0 when the op crops none).
export const croppedDepths = (r) => (r.frame && r.frame.depth ? r.frame.depth : 0);

// The plane of the frame (the uncropped result drawn) holding output channel o at depth d.
export const framePlane = (r, o, d) => o * ((r.outD || 1) + 2 * croppedDepths(r)) + d + croppedDepths(r);

// Grid options of the cropped slice at depth d of output channel o.
export function cropSliceOpts(s, o, d, margins, size, [OH, OW]) {
  const attrs = { 'data-testid': 'cropped-cell', 'data-c': o, 'data-d': d };
  return {
    rows: OH, cols: OW, editable: false, margins, size, className: 'ghost-slice',
    attrs: () => attrs, ghostAttrs: () => attrs,
    label: (i, j) => t('cropped by padding: full result at ({i}, {j})', { i: i + s.padding[0], j: j + s.padding[1] }),
    ariaLabel: t('output channel {o}, depth slice {d} cropped by padding', { o, d }),
    caption: h('span', { class: 'muted' }, t('cropped depth {d}', { d })),
  };
}

// The cropped ring of a grid: the frame's plane around its cells.
export function fillCroppedRing(g, s, r, frame, plane, scale) {
  const [ph, pw] = s.padding, [mh, mw] = r.frame.margins, [, OH, OW] = r.planes;
  const FW = OW + 2 * mw, FH = OH + 2 * mh;
  g.setGhosts((i, j) => ({ value: frame.data[plane * FH * FW + (i + mh) * FW + (j + mw)],
    title: t('cropped by padding: full result at ({i}, {j})', { i: i + ph, j: j + pw }) }), scale);
}

// A cropped slice: its cells and its ring, from the frame's plane.
export function fillCropSlice(g, s, r, frame, plane, scale) {
  const [mh, mw] = r.frame.margins, [, OH, OW] = r.planes, FW = OW + 2 * mw;
  g.setValues(Float32Array.from({ length: OH * OW }, (_, k) => frame.data[(plane * (OH + 2 * mh) + Math.floor(k / OW) + mh) * FW + (k % OW) + mw]), scale);
  if (g.ghosts.size) fillCroppedRing(g, s, r, frame, plane, scale);
}
