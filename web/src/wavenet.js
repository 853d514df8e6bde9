// The WaveNet preset: causal conv1d layers with a kernel of 2 and dilations 1, 2, 4, 8, stacked
// one layer at a time. The page computes one layer, so layer n is loaded with, as its input, the
// output of layers 1 … n−1 for a unit impulse at t = 0 (computed by the core: F.pad, then
// conv1d, layer after layer). The impulse spreads over the stack's receptive field: the output's
// non-zero cells are the 1 + Σ (k − 1)·dᵢ = 2ⁿ positions that see it.

import { setInputSize, setKernelSize, setOutChannels, pairKey, changeOp } from './state.js';
import { t } from './i18n.js';

export const WAVENET_DILATIONS = [1, 2, 4, 8];
export const WAVENET_LENGTH = 16;

// Receptive field of layers 1 … n (kernel 2).
export const wavenetField = (n) => 1 + WAVENET_DILATIONS.slice(0, n).reduce((a, d) => a + d, 0);

// The input of layer n: the impulse through layers 1 … n−1.
export function wavenetInput(cp, n) {
  let x = { shape: [1, WAVENET_LENGTH], data: new Float32Array(WAVENET_LENGTH) };
  x.data[0] = 1;
  const w = { shape: [1, 1, 2], data: Float32Array.from([1, 1]) };
  for (const d of WAVENET_DILATIONS.slice(0, n - 1)) {
    x = cp.conv1d(cp.pad(x, { pad: [d, 0], mode: 'constant', value: 0 }), w, null, { dilation: d });
  }
  return Array.from(x.data);
}

// The action: the state becomes layer n (1-based); returns the notice the reader sees.
export function applyWavenetLayer(s, n, cp) {
  changeOp(s, 'conv1d');
  s.causal = true; s.paddingKind = 'num'; s.padding = [0, 0]; s.paddingMode = 'zeros';
  s.stride = [1, 1]; s.dilation = [1, WAVENET_DILATIONS[n - 1]]; s.groups = 1; s.useBias = false;
  setInputSize(s, 1, 1, WAVENET_LENGTH);
  setKernelSize(s, 1, 2);
  setOutChannels(s, 1);
  s.x = [wavenetInput(cp, n)];
  s.kernels = new Map([[pairKey(0, 0), [1, 1]]]);
  return t('WaveNet layer {n} of 4 (dilation {d}): its input is what layers 1…{m} make of a unit impulse at t = 0. The stack now sees {r} positions: the output’s non-zero cells.',
    { n, d: WAVENET_DILATIONS[n - 1], m: n - 1, r: wavenetField(n) });
}
