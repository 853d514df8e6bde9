// The gradient view's part of the state (issue 20) and its URL keys:
//   grad=1   opens the gradient panel (conv2d and conv_transpose2d);
//   g=       grad_output, in the output's syntax (rows ';', values ',', channels '|'); written
//            only when it is not all ones (the default).
// State fields: s.grad (bool; absent = off) and s.gradOut ({ shape: [K, OH, OW], data: number[] }
// or absent = ones). The stored grad_output keeps the shape it was typed in: when the output's
// shape changes it is fitted to the new one (fitGradOutput: the typed values that still fit
// stay, new cells are 1), so a stride changed and changed back gives the typed values back.
// Kept apart from state.js / url-state.js so that other ops can change those freely.

import { shortF32, f32 } from './numfmt.js';
import { convPads } from './state.js';

export const GRAD_OPS = ['conv2d', 'conv_transpose2d'];
// The largest grad_output the panel draws and the URL carries (values, and rows/columns).
export const GRAD_MAX_VALUES = 16384;
export const GRAD_MAX_SIDE = 64;

// The forward output's shape [K, OH, OW] from the state, or null when it has none (an op
// without a gradient view, or a configuration whose output would be empty). Index arithmetic
// only, PyTorch's formulas; the model checks it against the core's shape (tests/node).
export function gradOutputShape(s) {
  const g = Math.max(1, s.groups | 0);
  if (s.K <= 0 || s.C <= 0 || s.H <= 0 || s.W <= 0 || s.kh <= 0 || s.kw <= 0 || s.K % g || s.C % g) return null;
  const [sh, sw] = s.stride, [dh, dw] = s.dilation;
  let OH, OW;
  if (s.op === 'conv2d') {
    const [pt, pb, pl, pr] = convPads(s);
    OH = Math.floor((s.H + pt + pb - dh * (s.kh - 1) - 1) / sh) + 1;
    OW = Math.floor((s.W + pl + pr - dw * (s.kw - 1) - 1) / sw) + 1;
  } else if (s.op === 'conv_transpose2d') {
    OH = (s.H - 1) * sh - 2 * s.padding[0] + dh * (s.kh - 1) + s.outputPadding[0] + 1;
    OW = (s.W - 1) * sw - 2 * s.padding[1] + dw * (s.kw - 1) + s.outputPadding[1] + 1;
  } else return null;
  return OH > 0 && OW > 0 && sh > 0 && sw > 0 ? [s.K, OH, OW] : null;
}

export const gradFits = (shape) => !!shape && shape[0] * shape[1] * shape[2] <= GRAD_MAX_VALUES && shape[1] <= GRAD_MAX_SIDE && shape[2] <= GRAD_MAX_SIDE;

// grad_output fitted to `shape` (Float32Array): the stored values where they fit, 1 elsewhere.
export function fitGradOutput(s, [K, OH, OW]) {
  const out = new Float32Array(K * OH * OW).fill(1);
  const st = s.gradOut;
  if (!st) return out;
  const [K0, H0, W0] = st.shape;
  for (let o = 0; o < Math.min(K, K0); o++) {
    for (let i = 0; i < Math.min(OH, H0); i++) {
      for (let j = 0; j < Math.min(OW, W0); j++) out[(o * OH + i) * OW + j] = st.data[(o * H0 + i) * W0 + j];
    }
  }
  return out;
}

// ---- actions (actions.js spreads them into ACTIONS) ----------------------------------------
export const GRAD_ACTIONS = {
  // The gradient panel opened or closed.
  setGrad(s, { on }) { s.grad = !!on; },
  // grad_output back to ones.
  resetGradOutput(s) { delete s.gradOut; },
};

// A typed grad_output cell (setCell with testid 'grad-output-cell'). The stored grid is replaced,
// never changed in place (cloneState copies the state shallowly).
export function setGradOutputCell(s, o, i, j, value) {
  const shape = gradOutputShape(s);
  if (!shape || o >= shape[0] || i >= shape[1] || j >= shape[2]) return;
  const data = Array.from(fitGradOutput(s, shape));
  data[(o * shape[1] + i) * shape[2] + j] = f32(value);
  s.gradOut = { shape, data };
}

// ---- URL -----------------------------------------------------------------------------------
export const GRAD_KEYS = ['grad', 'g'];

// Reads grad= and g= from the parsed keys (a Map) into the state s, which is otherwise complete.
// parseBlocks is url-state.js's block parser; bad(key, message) records a message.
export function parseGradKeys(get, s, parseBlocks, bad) {
  if (get.has('grad')) {
    const v = get.get('grad');
    if (v === '1' || v === '') s.grad = true;
    else if (v !== '0') bad('grad', `"${v.slice(0, 16)}" must be 1 (open the gradient panel) or 0`);
  }
  if (!get.has('g')) return;
  const shape = gradOutputShape(s);
  if (!shape) { bad('g', 'grad_output needs a valid conv2d or conv_transpose2d output to take its shape from'); return; }
  if (!gradFits(shape)) { bad('g', `the output ${shape.join('×')} is larger than the gradient view draws (${GRAD_MAX_VALUES} values, ${GRAD_MAX_SIDE}×${GRAD_MAX_SIDE} per channel)`); return; }
  try {
    const { blocks, H, W } = parseBlocks(get.get('g'), 'grad_output');
    if (blocks.length !== shape[0] || H !== shape[1] || W !== shape[2]) {
      throw new Error(`grad_output must have the output's shape ${shape.join('×')}, got ${blocks.length}×${H}×${W}`);
    }
    s.gradOut = { shape, data: blocks.flat().map(f32) };
  } catch (e) { bad('g', e.message); }
}

// The grad keys of the URL: grad=1 when the panel is open, g= when grad_output is not all ones.
export function serialiseGrad(s) {
  const parts = [];
  if (s.grad) parts.push('grad=1');
  const shape = s.gradOut && gradOutputShape(s);
  if (!shape || !gradFits(shape)) return parts;
  const g = fitGradOutput(s, shape);
  if (g.every((v) => v === 1)) return parts;
  const [K, OH, OW] = shape;
  const chans = [];
  for (let o = 0; o < K; o++) {
    const rows = [];
    for (let i = 0; i < OH; i++) rows.push(Array.from(g.subarray((o * OH + i) * OW, (o * OH + i + 1) * OW), shortF32).join(','));
    chans.push(rows.join(';'));
  }
  parts.push(`g=${chans.join('|')}`);
  return parts;
}
