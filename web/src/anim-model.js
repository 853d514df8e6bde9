// The step-through animation's frame, derived from the state, the result and the step (pure; the
// view, views/animation.js, only draws it). conv2d: one output position per step (outputs not
// yet reached are dimmed). conv_transpose2d: one input position per step, scattering into the
// output; the partial sums shown are the core's conv_transpose2d of the input with later
// positions zeroed. The other ops likewise: conv1d, conv3d and pooling step through output
// positions (every plane: channel, depth slice, row, column), conv_transpose1d / 3d through
// input positions.

const SCATTER = { conv_transpose1d: 'convTranspose1d', conv_transpose2d: 'convTranspose2d', conv_transpose3d: 'convTranspose3d' };

import { options, isTransposed, opDims } from './state.js';
import { drawable } from './budget.js';

// Steps of the animation; 0 when there is nothing to animate (invalid, still being computed,
// or too large to draw: every step recomputes and redraws the output).
export function animTotal(s, r) {
  const planes = r && (r.planes || r.shape);
  if (!r || !r.ok || r.pending || !drawable(planes)) return 0;
  return isTransposed(s.op) ? s.C * s.D * s.H * s.W : planes[0] * planes[1] * planes[2];
}

// -> { total, step, kind, self (cell ref), outputFrom, inputFrom, partial, partialFrame } or null.
export function deriveAnimFrame(cp, s, r, step) {
  const total = animTotal(s, r);
  if (total === 0) return null;
  const k = Math.max(1, Math.min(total, step));
  const three = opDims(s.op) === 3;
  if (!isTransposed(s.op)) {
    const [, OH, OW] = r.planes || r.shape;
    const n = OH * OW, idx = k - 1, p = Math.floor(idx / n), OD = r.outD || 1;
    const self = { testid: 'output-cell', c: Math.floor(p / OD), h: Math.floor((idx % n) / OW), w: idx % OW };
    if (three) self.d = p % OD;
    return { total, step: k, kind: 'output', self, outputFrom: k, inputFrom: Infinity, partial: null, partialFrame: null };
  }
  const HW = s.H * s.W, idx = k - 1, p = Math.floor(idx / HW);
  const x = r.x.data.slice();
  x.fill(0, k);
  const masked = { shape: r.x.shape, data: x };
  const partial = cp[SCATTER[s.op]](masked, r.w, r.b, options(s));
  const partialFrame = r.yFrame ? cp[SCATTER[s.op]](masked, r.w, r.b, r.frame.opts) : null;
  const self = { testid: 'input-cell', c: Math.floor(p / s.D), h: Math.floor((idx % HW) / s.W), w: idx % s.W };
  if (three) self.d = p % s.D;
  return { total, step: k, kind: 'input', self, outputFrom: Infinity, inputFrom: k, partial, partialFrame };
}
