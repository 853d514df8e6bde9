// 3x3 stride-1 dilation-1 direct conv2d micro-kernel: one input channel into one output
// channel, two output rows x 4 pixels per step, from gathered (already padded) input rows.
// The playground's image filters (blur, edges, sharpen) are exactly this shape, depthwise or
// 3 -> 3 channels.
// The 9 weights stay in registers (9 + 2 accumulators + 1 input + 1 temporary fit V8's 15 xmm
// registers) and each of the 4 input rows is loaded once per step at 3 shifts: 12 loads feed
// 36 FP operations. A dense filter runs it once per (output, input) channel pair, carrying the
// partial sums through the output rows (they stay in L1): measured in V8, 24-25 GFLOP/s for
// 3 -> 3 channels against 15 for a kernel that splats the weights per tap for 3 output
// channels at once (its 6 accumulators and per-tap splat loads leave V8 short of registers).
// Every output is summed in the reference's order (channel, row, column) from zero, then the
// bias is added: bit-identical to reference::conv2d.
#pragma once

#include <cstddef>

#include "kernels/simd.hpp"

namespace convplay::kernels {

// in: row 0 of the 4 input rows (rstep apart) at the first pixel; w: 9 taps, row-major.
// out0/out1: the two output rows, n4 vectors (4*n4 pixels) each. kAccumulate: continue the
// sums already in out0/out1 (the previous input channels); kBias: add *bias at the end.
template <bool kAccumulate, bool kBias>
inline void f32_dwconv3x3_pair(const float* in, ptrdiff_t rstep, const float* w, const float* bias,
                               float* out0, float* out1, ptrdiff_t n4) {
  using namespace simd;
  const f32x4 w0 = splat(w[0]), w1 = splat(w[1]), w2 = splat(w[2]);
  const f32x4 w3 = splat(w[3]), w4 = splat(w[4]), w5 = splat(w[5]);
  const f32x4 w6 = splat(w[6]), w7 = splat(w[7]), w8 = splat(w[8]);
  const f32x4 bv = kBias ? splat(*bias) : zero();
  const float* r0 = in;
  const float* r1 = in + rstep;
  const float* r2 = in + 2 * rstep;
  const float* r3 = in + 3 * rstep;
  for (ptrdiff_t i = 0; i < n4; ++i, r0 += 4, r1 += 4, r2 += 4, r3 += 4, out0 += 4, out1 += 4) {
    f32x4 a = kAccumulate ? load(out0) : zero(), b = kAccumulate ? load(out1) : zero(), v;
    v = load(r0);     CONVPLAY_SEQUENCE(v); a = mul_add(a, w0, v);
    v = load(r0 + 1); CONVPLAY_SEQUENCE(v); a = mul_add(a, w1, v);
    v = load(r0 + 2); CONVPLAY_SEQUENCE(v); a = mul_add(a, w2, v);
    v = load(r1);     CONVPLAY_SEQUENCE(v); a = mul_add(a, w3, v); b = mul_add(b, w0, v);
    v = load(r1 + 1); CONVPLAY_SEQUENCE(v); a = mul_add(a, w4, v); b = mul_add(b, w1, v);
    v = load(r1 + 2); CONVPLAY_SEQUENCE(v); a = mul_add(a, w5, v); b = mul_add(b, w2, v);
    CONVPLAY_PIN(out1, b); CONVPLAY_PIN(out0, a);  // keeps wasm-opt from separating the chains
    v = load(r2);     CONVPLAY_SEQUENCE(v); a = mul_add(a, w6, v); b = mul_add(b, w3, v);
    v = load(r2 + 1); CONVPLAY_SEQUENCE(v); a = mul_add(a, w7, v); b = mul_add(b, w4, v);
    v = load(r2 + 2); CONVPLAY_SEQUENCE(v); a = mul_add(a, w8, v); b = mul_add(b, w5, v);
    CONVPLAY_PIN(out1, b);
    v = load(r3);     CONVPLAY_SEQUENCE(v); b = mul_add(b, w6, v);
    v = load(r3 + 1); CONVPLAY_SEQUENCE(v); b = mul_add(b, w7, v);
    v = load(r3 + 2); CONVPLAY_SEQUENCE(v); b = mul_add(b, w8, v);
    if (kBias) {
      a = add(a, bv);
      b = add(b, bv);
    }
    store(out0, a);
    store(out1, b);
  }
}

// One pass for input channel c of `channels` (first: start from zero; last: add the bias).
inline void f32_dwconv3x3_pair_pass(bool first, bool last, const float* in, ptrdiff_t rstep, const float* w,
                                    const float* bias, float* out0, float* out1, ptrdiff_t n4) {
  const bool with_bias = last && bias;
  if (first)
    with_bias ? f32_dwconv3x3_pair<false, true>(in, rstep, w, bias, out0, out1, n4)
              : f32_dwconv3x3_pair<false, false>(in, rstep, w, bias, out0, out1, n4);
  else
    with_bias ? f32_dwconv3x3_pair<true, true>(in, rstep, w, bias, out0, out1, n4)
              : f32_dwconv3x3_pair<true, false>(in, rstep, w, bias, out0, out1, n4);
}

}  // namespace convplay::kernels
