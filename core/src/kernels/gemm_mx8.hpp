// f32 GEMM micro-kernel, MRx8 tile, splat variant (after XNNPACK's wasmsimd-splat kernels):
//   tile[r][j] = sum_k a[r][k * a_step] * b[k * 8 + j]      r < MR, j < 8
// A is read in place through MR row pointers (a caller with fewer rows repeats a valid
// pointer and ignores those tile rows, as XNNPACK does): conv2d weights are rows (a_step 1),
// transposed-conv weights columns. B is a packed panel of 8 columns ([K][8], zero-filled
// past the matrix edge).
// Register budget: V8 on x86-64 allocates WASM SIMD values to 15 xmm registers (xmm15 is its
// scratch) and needs one temporary per mul+add, so MR*2 accumulators + 2 B vectors + 1 splat
// + 1 temporary must stay <= 15 in theory; measured, MR = 5 ran 35-50% slower than MR = 4
// and MR = 6 30-40% slower (spills), so the operators use MR = 4.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/simd.hpp"

namespace convplay::kernels {

constexpr int64_t kGemmNR = 8;  // columns of a tile (output pixels)
constexpr int64_t kGemmMR = 4;  // rows of the operators' tiles (f32_gemm_4x8*): see above for why 4

template <int MR>
inline void f32_gemm_mx8(int64_t K, const float* const* a_rows, int64_t a_step, const float* b,
                         float* tile) {
  using namespace simd;
  f32x4 c[MR][2];
  const float* a[MR];
  for (int r = 0; r < MR; ++r) {
    c[r][0] = zero();
    c[r][1] = zero();
    a[r] = a_rows[r];
  }
  // ptrdiff_t: 32-bit on wasm32, where int64_t address arithmetic costs an extra wrap.
  // The loop stays this plain on purpose: unrolling k (by 2 or 4) let LLVM hoist B loads
  // ahead of their use, and the extra live vectors made V8 spill (25-35% slower, measured).
  const ptrdiff_t step = static_cast<ptrdiff_t>(a_step);
  for (ptrdiff_t k = static_cast<ptrdiff_t>(K); k > 0; --k, b += 8) {
    const f32x4 b0 = load(b), b1 = load(b + 4);
    for (int r = 0; r < MR; ++r) {
      const f32x4 s = load_splat(a[r]);
      c[r][0] = mul_add(c[r][0], s, b0);
      c[r][1] = mul_add(c[r][1], s, b1);
      a[r] += step;
    }
  }
  for (int r = 0; r < MR; ++r) {
    store(tile + r * 8, c[r][0]);
    store(tile + r * 8 + 4, c[r][1]);
  }
}

// The MR = 4 tile written out by hand: V8 ran the generic template's version of it 4-10%
// slower (measured, interleaved A/B). It returns the accumulators (they stay in registers
// once inlined) so the operator can store a full tile straight into the output.
struct Tile4x8 {
  simd::f32x4 c[4][2];
  void store(float* tile) const {
    for (int r = 0; r < 4; ++r) {
      simd::store(tile + r * 8, c[r][0]);
      simd::store(tile + r * 8 + 4, c[r][1]);
    }
  }
};

inline Tile4x8 f32_gemm_4x8(int64_t K, const float* const* a_rows, int64_t a_step, const float* b) {
  using namespace simd;
  f32x4 c00 = zero(), c01 = zero(), c10 = zero(), c11 = zero();
  f32x4 c20 = zero(), c21 = zero(), c30 = zero(), c31 = zero();
  const float *a0 = a_rows[0], *a1 = a_rows[1], *a2 = a_rows[2], *a3 = a_rows[3];
  const ptrdiff_t step = static_cast<ptrdiff_t>(a_step);
  for (ptrdiff_t k = static_cast<ptrdiff_t>(K); k > 0; --k, b += 8, a0 += step, a1 += step, a2 += step, a3 += step) {
    const f32x4 b0 = load(b), b1 = load(b + 4);
    f32x4 s = load_splat(a0);
    c00 = mul_add(c00, s, b0); c01 = mul_add(c01, s, b1);
    s = load_splat(a1);
    c10 = mul_add(c10, s, b0); c11 = mul_add(c11, s, b1);
    s = load_splat(a2);
    c20 = mul_add(c20, s, b0); c21 = mul_add(c21, s, b1);
    s = load_splat(a3);
    c30 = mul_add(c30, s, b0); c31 = mul_add(c31, s, b1);
  }
  return Tile4x8{{{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}}};
}

// The same tile when A's four rows are adjacent columns of a row-major matrix (transposed
// convolution weights, [Cg][Kg*kh*kw]): tile[r][j] = sum_k a[k * a_step + r] * b[k * 8 + j].
// One A pointer instead of four: two pointer increments per k instead of five.
inline Tile4x8 f32_gemm_4x8_adjacent_rows(int64_t K, const float* a, int64_t a_step, const float* b) {
  using namespace simd;
  f32x4 c00 = zero(), c01 = zero(), c10 = zero(), c11 = zero();
  f32x4 c20 = zero(), c21 = zero(), c30 = zero(), c31 = zero();
  const ptrdiff_t step = static_cast<ptrdiff_t>(a_step);
  // The loop ends on B's pointer, no counter: T1 6% and P5t 9% faster in V8. (The same change
  // to f32_gemm_4x8 above, with its four A pointers, made P4/P5 4% slower: measured, not kept.)
  for (const float* const b_end = b + 8 * static_cast<ptrdiff_t>(K); b != b_end; b += 8, a += step) {
    const f32x4 b0 = load(b), b1 = load(b + 4);
    f32x4 s = load_splat(a);
    c00 = mul_add(c00, s, b0); c01 = mul_add(c01, s, b1);
    s = load_splat(a + 1);
    c10 = mul_add(c10, s, b0); c11 = mul_add(c11, s, b1);
    s = load_splat(a + 2);
    c20 = mul_add(c20, s, b0); c21 = mul_add(c21, s, b1);
    s = load_splat(a + 3);
    c30 = mul_add(c30, s, b0); c31 = mul_add(c31, s, b1);
  }
  return Tile4x8{{{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}}};
}

template <>
inline void f32_gemm_mx8<4>(int64_t K, const float* const* a_rows, int64_t a_step, const float* b,
                            float* tile) {
  f32_gemm_4x8(K, a_rows, a_step, b).store(tile);
}

}  // namespace convplay::kernels
