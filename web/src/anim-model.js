// The step-through animation's frame, derived from the state, the result and the step (pure; the
// view, views/animation.js, only draws it). conv2d: one output position per step (outputs not
// yet reached are dimmed). conv_transpose2d: one input position per step, scattering into the
// output; the partial sums shown are the core's conv_transpose2d of the input with later
// positions zeroed.

import { options } from './state.js';
import { drawable } from './budget.js';

// Steps of the animation; 0 when there is nothing to animate (invalid, still being computed,
// or too large to draw: every step recomputes and redraws the output).
export function animTotal(s, r) {
  if (!r || !r.ok || r.pending || !drawable(r.shape)) return 0;
  return s.op === 'conv2d' ? r.shape[0] * r.shape[1] * r.shape[2] : s.C * s.H * s.W;
}

// -> { total, step, kind, self (cell ref), outputFrom, inputFrom, partial, partialFrame } or null.
export function deriveAnimFrame(cp, s, r, step) {
  const total = animTotal(s, r);
  if (total === 0) return null;
  const k = Math.max(1, Math.min(total, step));
  if (s.op === 'conv2d') {
    const [, OH, OW] = r.shape;
    const n = OH * OW, idx = k - 1;
    const self = { testid: 'output-cell', c: Math.floor(idx / n), h: Math.floor((idx % n) / OW), w: idx % OW };
    return { total, step: k, kind: 'output', self, outputFrom: k, inputFrom: Infinity, partial: null, partialFrame: null };
  }
  const HW = s.H * s.W, idx = k - 1;
  const x = r.x.data.slice();
  x.fill(0, k);
  const masked = { shape: r.x.shape, data: x };
  const partial = cp.convTranspose2d(masked, r.w, r.b, options(s));
  const partialFrame = r.yFrame ? cp.convTranspose2d(masked, r.w, r.b, r.frame.opts) : null;
  const self = { testid: 'input-cell', c: Math.floor(idx / HW), h: Math.floor((idx % HW) / s.W), w: idx % s.W };
  return { total, step: k, kind: 'input', self, outputFrom: Infinity, inputFrom: k, partial, partialFrame };
}
