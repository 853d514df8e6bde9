// Packs a GEMM's A into the panels f32_gemm_4x8_adjacent_rows reads: one [depth][4] panel per
// 4 rows (rows past the matrix are zeros), so the micro-kernel has one A pointer.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/gemm_mx8.hpp"
#include "kernels/simd.hpp"

namespace convplay::kernels {

inline int64_t gemm_a_strips(int64_t rows) { return (rows + kGemmMR - 1) / kGemmMR; }
// The full-strip paths below move 4 rows at a time (one f32x4, one 4x4 transpose).
static_assert(kGemmMR == 4, "pack_a_rows and pack_a_columns move a strip as one 4-float vector");

// A row-major [M][depth] (conv2d's weights, the phase classes' stacked sub-kernels): a 4x4
// transpose per 4 k.
inline void pack_a_rows(const float* a, int64_t M, int64_t depth, float* panels) {
  for (int64_t s = 0; s < gemm_a_strips(M); ++s) {
    float* panel = panels + s * depth * kGemmMR;
    const int64_t m0 = s * kGemmMR;
    if (m0 + kGemmMR <= M) {
      const float *r0 = a + m0 * depth, *r1 = r0 + depth, *r2 = r1 + depth, *r3 = r2 + depth;
      int64_t k = 0;
      for (; k + 4 <= depth; k += 4) {
        simd::f32x4 v0 = simd::load(r0 + k), v1 = simd::load(r1 + k), v2 = simd::load(r2 + k), v3 = simd::load(r3 + k);
        simd::transpose4(v0, v1, v2, v3);
        simd::store(panel + k * 4, v0);
        simd::store(panel + k * 4 + 4, v1);
        simd::store(panel + k * 4 + 8, v2);
        simd::store(panel + k * 4 + 12, v3);
      }
      for (; k < depth; ++k) {
        panel[k * 4] = r0[k];
        panel[k * 4 + 1] = r1[k];
        panel[k * 4 + 2] = r2[k];
        panel[k * 4 + 3] = r3[k];
      }
      continue;
    }
    for (int64_t r = 0; r < kGemmMR; ++r) {
      const int64_t m = m0 + r;
      for (int64_t k = 0; k < depth; ++k) panel[k * kGemmMR + r] = m < M ? a[m * depth + k] : 0.0f;
    }
  }
}

// Rows [m0, m0 + rows) of A = B^T for a row-major [depth][ld] matrix b (conv_transpose2d's
// weight slab [Cg][Kg*kh*kw]): row m of A is column m of b, so 4 rows are 4 adjacent floats
// of every b row. Read in place their consecutive k are ld floats apart, a stride that maps
// every k to the same few L1 sets (T1's 2 KiB: two sets): the micro-kernel's A loads missed
// L1 (measured 25 against 33 GFLOP/s). Four b rows at a time, each read in order, their
// 4-float pieces fill one 64-byte line of each strip (strip by strip, every b line was
// fetched again per strip; b row by b row, the strips' lines, depth*16 bytes apart, fell in
// one L1 set).
inline void pack_a_columns(const float* b, int64_t ld, int64_t depth, int64_t m0, int64_t rows, float* panels) {
  const int64_t full = rows / kGemmMR, step = depth * kGemmMR;
  for (int64_t c0 = 0; c0 < depth; c0 += 4) {
    const int64_t c1 = std::min(depth, c0 + 4);
    for (int64_t s = 0; s < full; ++s)
      for (int64_t c = c0; c < c1; ++c)
        simd::store(panels + s * step + c * kGemmMR, simd::load(b + c * ld + m0 + s * kGemmMR));
  }
  if (const int64_t mr = rows - full * kGemmMR; mr > 0)
    for (int64_t c = 0; c < depth; ++c)
      for (int64_t r = 0; r < kGemmMR; ++r)
        panels[full * step + c * kGemmMR + r] = r < mr ? b[c * ld + m0 + full * kGemmMR + r] : 0.0f;
}

}  // namespace convplay::kernels
