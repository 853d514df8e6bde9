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
// Every output is summed in the reference's order (each kernel row's products, then the rows
// in (channel, row) order, from zero), then the bias is added: bit-identical to
// reference::conv2d. That order keeps the add chains short: a step's 9 products into one
// running sum made a chain of 9 dependent adds per output vector, and V8 ran the kernel
// 5% slower on P3 and P3dw (measured in place, interleaved).
#pragma once

#include <cstddef>

#include "kernels/simd.hpp"

namespace convplay::kernels {

// in: row 0 of the 4 input rows (rstep apart; kPitch, when not 0, is rstep known at compile
// time) at the first pixel; w: 9 taps, row-major.
// out0/out1: the two output rows, n4 vectors (4*n4 pixels) each. kAccumulate: continue the
// sums already in out0/out1 (the previous input channels); kBias: add *bias at the end.
template <bool kAccumulate, bool kBias, ptrdiff_t kPitch = 0>
inline void f32_dwconv3x3_pair(const float* in, ptrdiff_t rstep, const float* w, const float* bias,
                               float* out0, float* out1, ptrdiff_t n4) {
  using namespace simd;
  const f32x4 w0 = splat(w[0]), w1 = splat(w[1]), w2 = splat(w[2]);
  const f32x4 w3 = splat(w[3]), w4 = splat(w[4]), w5 = splat(w[5]);
  const f32x4 w6 = splat(w[6]), w7 = splat(w[7]), w8 = splat(w[8]);
  // The reference starts every sum at +0. Adding +0 once anywhere in a sum gives the same
  // bits (it only turns an all-(-0) sum into +0), so the first pass adds it to one product, off
  // the dependency chain. bias + 0 makes a bias of -0 +0, so sum + bias' equals the
  // reference's (0 + sum) + bias in every case too, whether or not the sum started at +0:
  // a pass that adds the bias needs no +0 of its own (2 adds fewer per step; the adds are
  // the kernel's busiest pipes: P3dw with a bias 2-3% faster).
  const f32x4 bv = kBias ? splat(*bias + 0.0f) : zero();
  // Input rows 1..3: with a compile-time pitch, r0 plus a constant (one pointer, constant
  // load offsets); otherwise pointers of their own.
  const float* r0 = in;
  const float* r1 = in + rstep;
  const float* r2 = in + 2 * rstep;
  const float* r3 = in + 3 * rstep;
  auto row = [&](int j) -> const float* {
    if (kPitch) return r0 + j * kPitch;
    return j == 1 ? r1 : j == 2 ? r2 : r3;
  };
  // One step: output pixels k..k+3 of both rows.
  // Each kernel row's 3 products are summed first, then added to the output's sum (the
  // reference's order): add chains of 3 instead of 9, so consecutive steps overlap more.
  // The CONVPLAY_PIN stores order the work: V8 keeps loads in program order between
  // stores but places arithmetic just before its first use, so without a store after
  // row 0 the loads of rows 0 and 1 all came first and 7-9 vectors spilled per step (read
  // off --print-wasm-code); with it, 2-4 (as many as the one-running-sum kernel had).
  // A first pass's +0 (see bv above), on the last product of a sum's first row; none when
  // this pass also adds the bias.
  auto with_start = [](f32x4 product) { return kAccumulate || kBias ? product : add(product, zero()); };
#if defined(CONVPLAY_SIMD_RELAXED)
  // The relaxed-SIMD build (fused multiply-add, not bit-identical anyway): each output's sum is
  // one chain of relaxed_madd through its 9 taps, started from the partial sum, the bias or
  // +0 (so an all-(-0) sum still ends +0): 18 relaxed_madd a step instead of 6 muls, 12
  // relaxed_madd and 4 adds (each row's 3 products fused, then added). The chains are longer;
  // measured against that row-wise version (min of 200 interleaved calls, machine loaded):
  // P3 0.91-1.09x, P3dw 0.98-1.04x, i.e. within noise; kept for its fewer instructions.
  (void)with_start;
  auto taps = [](f32x4 acc, f32x4 k0, f32x4 k1, f32x4 k2, f32x4 x0, f32x4 x1, f32x4 x2) {
    return mul_add(mul_add(mul_add(acc, k0, x0), k1, x1), k2, x2);
  };
  const bool bias_first = kBias && !kAccumulate;
  auto step = [&](ptrdiff_t k) {
    f32x4 v0, v1, v2, a, b;
    v0 = load(r0 + k); v1 = load(r0 + k + 1); v2 = load(r0 + k + 2);
    a = taps(kAccumulate ? load(out0 + k) : bias_first ? bv : zero(), w0, w1, w2, v0, v1, v2);
    CONVPLAY_PIN(out0 + k, a);
    v0 = load(row(1) + k); v1 = load(row(1) + k + 1); v2 = load(row(1) + k + 2);
    b = taps(kAccumulate ? load(out1 + k) : bias_first ? bv : zero(), w0, w1, w2, v0, v1, v2);
    a = taps(a, w3, w4, w5, v0, v1, v2);
    CONVPLAY_PIN(out1 + k, b); CONVPLAY_PIN(out0 + k, a);
    v0 = load(row(2) + k); v1 = load(row(2) + k + 1); v2 = load(row(2) + k + 2);
    a = taps(a, w6, w7, w8, v0, v1, v2);
    b = taps(b, w3, w4, w5, v0, v1, v2);
    CONVPLAY_PIN(out1 + k, b);
    v0 = load(row(3) + k); v1 = load(row(3) + k + 1); v2 = load(row(3) + k + 2);
    b = taps(b, w6, w7, w8, v0, v1, v2);
    if (kBias && kAccumulate) {
      a = add(a, bv);
      b = add(b, bv);
    }
    store(out0 + k, a);
    store(out1 + k, b);
  };
#else
  auto step = [&](ptrdiff_t k) {
    f32x4 v0, v1, v2, a, b, ra, rb;
    v0 = load(r0 + k); v1 = load(r0 + k + 1); v2 = load(r0 + k + 2);
    a = add(add(mul(w0, v0), mul(w1, v1)), with_start(mul(w2, v2)));
    if (kAccumulate) a = add(load(out0 + k), a);
    CONVPLAY_PIN(out0 + k, a);
    v0 = load(row(1) + k); v1 = load(row(1) + k + 1); v2 = load(row(1) + k + 2);
    ra = add(add(mul(w3, v0), mul(w4, v1)), mul(w5, v2));
    b = add(add(mul(w0, v0), mul(w1, v1)), with_start(mul(w2, v2)));
    if (kAccumulate) b = add(load(out1 + k), b);
    a = add(a, ra);
    CONVPLAY_PIN(out1 + k, b); CONVPLAY_PIN(out0 + k, a);
    v0 = load(row(2) + k); v1 = load(row(2) + k + 1); v2 = load(row(2) + k + 2);
    ra = add(add(mul(w6, v0), mul(w7, v1)), mul(w8, v2));
    rb = add(add(mul(w3, v0), mul(w4, v1)), mul(w5, v2));
    a = add(a, ra);
    b = add(b, rb);
    CONVPLAY_PIN(out1 + k, b);
    v0 = load(row(3) + k); v1 = load(row(3) + k + 1); v2 = load(row(3) + k + 2);
    rb = add(add(mul(w6, v0), mul(w7, v1)), mul(w8, v2));
    b = add(b, rb);
    if (kBias) {
      a = add(a, bv);
      b = add(b, bv);
    }
    store(out0 + k, a);
    store(out1 + k, b);
  };
#endif
  // Two steps per iteration (clang unrolls further): the 6 pointer increments, the
  // counter and V8's stack check are paid per 8 or 16 pixels instead of 4, 72 -> 64
  // instructions per step. The steps stay apart: each ends in stores, so V8 cannot mix
  // their loads.
  ptrdiff_t i = 0;
  for (; i + 2 <= n4; i += 2, r0 += 8, r1 += 8, r2 += 8, r3 += 8, out0 += 8, out1 += 8) {
    step(0);
    step(4);
  }
  if (i < n4) step(0);
}

// One pass for input channel c of `channels` (first: start from zero; last: add the bias).
template <ptrdiff_t kPitch = 0>
inline void f32_dwconv3x3_pair_pass(bool first, bool last, const float* in, ptrdiff_t rstep, const float* w,
                                    const float* bias, float* out0, float* out1, ptrdiff_t n4) {
  const bool with_bias = last && bias;
  if (first)
    with_bias ? f32_dwconv3x3_pair<false, true, kPitch>(in, rstep, w, bias, out0, out1, n4)
              : f32_dwconv3x3_pair<false, false, kPitch>(in, rstep, w, bias, out0, out1, n4);
  else
    with_bias ? f32_dwconv3x3_pair<true, true, kPitch>(in, rstep, w, bias, out0, out1, n4)
              : f32_dwconv3x3_pair<true, false, kPitch>(in, rstep, w, bias, out0, out1, n4);
}

}  // namespace convplay::kernels
