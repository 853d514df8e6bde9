// f32_pool_3rows_k3s2_deinterleave: one output row of max or average pooling whose window is
// 3 columns wide at column stride 2 and dilation 1 (ResNet's stem pool, k3 s2 p1), from up to
// three input rows; f32_pool_5rows_k3s2_2x_deinterleave (below): two such output rows whose
// windows share a row (row stride 2). In both:
//   out[ow] = combine(rows r0, r1, r2 at columns 2*ow - pw + {0, 1, 2}),
// a column outside the input counting as `fill` (-inf for max, 0 for avg). A row that is not
// in the window (padding, or a kernel of fewer rows) is passed as a row of `fill`s.
//
// Why a kernel of its own: the general separable passes (ops/pool.cpp) write the combined rows
// into stride phases and read them back; on NCHW that was about twice XNNPACK's vector
// operations per output (XNNPACK pools NHWC, 9 loads + 8 max per 4 outputs). Here, per 4
// outputs: the 8 input columns they need from each row are loaded (6 loads), combined
// vertically in registers (4 steps), split into even and odd columns (2 shuffles); an output's
// left tap is the odd column before it, i.e. the previous odd vector's last lane shifted in
// (1 shuffle); then 2 steps and one store. No intermediate row, no second pass, and the vertical
// combination of a column is never repeated.
//
// Max: `fast` uses f32x4.pmax, PyTorch's `v > m` step exactly when no NaN is involved, and
// adds every loaded vector into nan_sum (a NaN anywhere makes the sum NaN; +inf + -inf also
// does, a false alarm that only costs the exact redo). The caller redoes a plane whose sum is
// NaN with fast = false: PyTorch's `v > m || isnan(v)` as compare + select, so NaN propagates.
// Avg: sums (the columns' rows first, then the three columns, as ops/pool.cpp does), divided by
// divisors[ow] (the caller's per-output divisor: a division, as the reference does, not a
// multiply by a reciprocal, which rounds differently).
#pragma once

#include <cstdint>
#include <limits>

#include "kernels/simd.hpp"

namespace convplay {

template <bool is_max, bool fast> inline float pool_step(float m, float v) {
  return is_max ? ((v > m || (!fast && v != v)) ? v : m) : m + v;
}
template <bool is_max, bool fast> inline simd::f32x4 pool_step(simd::f32x4 m, simd::f32x4 v) {
  return is_max ? (fast ? simd::larger(m, v) : simd::take_larger_or_nan(m, v)) : simd::add(m, v);
}

template <bool is_max, bool fast>
inline void f32_pool_3rows_k3s2_deinterleave(const float* r0, const float* r1, const float* r2,
                                             int64_t W, int64_t pw, int64_t OW,
                                             const float* divisors, float* out,
                                             simd::f32x4& nan_sum, bool& nan_scalar) {
  using namespace simd;
  const float fill = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
  // One column combined over the rows (fill outside the input).
  auto column = [&](int64_t c) -> float {
    if (c < 0 || c >= W) return fill;
    const float a = r0[c], b = r1[c], d = r2[c];
    if (fast) nan_scalar = nan_scalar || a != a || b != b || d != d;
    return pool_step<is_max, fast>(pool_step<is_max, fast>(a, b), d);
  };
  // b* + q is input column q + 1 - pw: output ow's middle and right taps are b*[2ow], b*[2ow + 1]
  // and its left tap is b*[2ow - 1], the odd column of the previous group.
  const float* b0 = r0 + 1 - pw;
  const float* b1 = r1 + 1 - pw;
  const float* b2 = r2 + 1 - pw;
  f32x4 carry = splat(column(-pw));  // lane 3: output 0's left tap
  int64_t ow = 0;
  for (; ow + 4 <= OW && 2 * ow + 9 - pw <= W; ow += 4) {
    const int64_t q = 2 * ow;
    const f32x4 a0 = load(b0 + q), a1 = load(b0 + q + 4);
    const f32x4 c0 = load(b1 + q), c1 = load(b1 + q + 4);
    const f32x4 d0 = load(b2 + q), d1 = load(b2 + q + 4);
    if (fast) nan_sum = add(nan_sum, add(add(a0, a1), add(add(c0, c1), add(d0, d1))));
    const f32x4 v0 = pool_step<is_max, fast>(pool_step<is_max, fast>(a0, c0), d0);
    const f32x4 v1 = pool_step<is_max, fast>(pool_step<is_max, fast>(a1, c1), d1);
    f32x4 even, odd;
    deinterleave(v0, v1, even, odd);
    const f32x4 left = shift_in_last(carry, odd);
    carry = odd;
    f32x4 m = pool_step<is_max, fast>(pool_step<is_max, fast>(left, even), odd);
    if (!is_max) m = div(m, load(divisors + ow));
    store(out + ow, m);
  }
  for (; ow < OW; ++ow) {  // the right edge: the last 0-3 outputs, or a row too short for SIMD
    const int64_t c = 2 * ow - pw;
    float m = pool_step<is_max, fast>(pool_step<is_max, fast>(column(c), column(c + 1)), column(c + 2));
    if (!is_max) m /= divisors[ow];
    out[ow] = m;
  }
}

// Two output rows at once for a row stride of 2 (3 rows, dilation 1): output row A combines
// rows r[0..2] and B rows r[2..4], so the row they share is loaded once (5 row loads per 2
// output rows instead of 6), and only rows r[1..4] are added into nan_sum unless track_r0:
// r[0] is the previous pair's r[4] (already checked), except in a plane's first pair. (A
// template parameter: as a runtime flag clang computes r[0]'s sum every step and selects.)
template <bool is_max, bool fast, bool track_r0>
inline void f32_pool_5rows_k3s2_2x_deinterleave(const float* const r[5], int64_t W,
                                                int64_t pw, int64_t OW, const float* divisors_a,
                                                const float* divisors_b, float* out_a, float* out_b,
                                                simd::f32x4& nan_sum, bool& nan_scalar) {
  using namespace simd;
  const float fill = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
  auto column = [&](const float* r0, const float* r1, const float* r2, int64_t c) -> float {
    if (c < 0 || c >= W) return fill;
    const float a = r0[c], b = r1[c], d = r2[c];
    if (fast) nan_scalar = nan_scalar || a != a || b != b || d != d;
    return pool_step<is_max, fast>(pool_step<is_max, fast>(a, b), d);
  };
  const float* b0 = r[0] + 1 - pw;
  const float* b1 = r[1] + 1 - pw;
  const float* b2 = r[2] + 1 - pw;
  const float* b3 = r[3] + 1 - pw;
  const float* b4 = r[4] + 1 - pw;
  f32x4 carry_a = splat(column(r[0], r[1], r[2], -pw));
  f32x4 carry_b = splat(column(r[2], r[3], r[4], -pw));
  int64_t ow = 0;
  for (; ow + 4 <= OW && 2 * ow + 9 - pw <= W; ow += 4) {
    const int64_t q = 2 * ow;
    const f32x4 a0 = load(b0 + q), a1 = load(b0 + q + 4);
    const f32x4 c0 = load(b1 + q), c1 = load(b1 + q + 4);
    const f32x4 d0 = load(b2 + q), d1 = load(b2 + q + 4);
    const f32x4 e0 = load(b3 + q), e1 = load(b3 + q + 4);
    const f32x4 g0 = load(b4 + q), g1 = load(b4 + q + 4);
    if (fast) nan_sum = add(nan_sum, add(add(add(c0, c1), add(d0, d1)), add(add(e0, e1), add(g0, g1))));
    if (fast && track_r0) nan_sum = add(nan_sum, add(a0, a1));
    const f32x4 va0 = pool_step<is_max, fast>(pool_step<is_max, fast>(a0, c0), d0);
    const f32x4 va1 = pool_step<is_max, fast>(pool_step<is_max, fast>(a1, c1), d1);
    const f32x4 vb0 = pool_step<is_max, fast>(pool_step<is_max, fast>(d0, e0), g0);
    const f32x4 vb1 = pool_step<is_max, fast>(pool_step<is_max, fast>(d1, e1), g1);
    f32x4 even_a, odd_a, even_b, odd_b;
    deinterleave(va0, va1, even_a, odd_a);
    deinterleave(vb0, vb1, even_b, odd_b);
    const f32x4 left_a = shift_in_last(carry_a, odd_a), left_b = shift_in_last(carry_b, odd_b);
    carry_a = odd_a;
    carry_b = odd_b;
    f32x4 ma = pool_step<is_max, fast>(pool_step<is_max, fast>(left_a, even_a), odd_a);
    f32x4 mb = pool_step<is_max, fast>(pool_step<is_max, fast>(left_b, even_b), odd_b);
    if (!is_max) {
      ma = div(ma, load(divisors_a + ow));
      mb = div(mb, load(divisors_b + ow));
    }
    store(out_a + ow, ma);
    store(out_b + ow, mb);
  }
  for (; ow < OW; ++ow) {
    const int64_t c = 2 * ow - pw;
    float ma = pool_step<is_max, fast>(pool_step<is_max, fast>(column(r[0], r[1], r[2], c), column(r[0], r[1], r[2], c + 1)),
                                       column(r[0], r[1], r[2], c + 2));
    float mb = pool_step<is_max, fast>(pool_step<is_max, fast>(column(r[2], r[3], r[4], c), column(r[2], r[3], r[4], c + 1)),
                                       column(r[2], r[3], r[4], c + 2));
    if (!is_max) {
      ma /= divisors_a[ow];
      mb /= divisors_b[ow];
    }
    out_a[ow] = ma;
    out_b[ow] = mb;
  }
}

}  // namespace convplay
