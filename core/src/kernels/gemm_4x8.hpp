// f32 GEMM micro-kernel, 4x8 tile, splat variant (after XNNPACK's 4x8-wasmsimd-splat):
//   tile[r][j] = sum_k a_r[k * a_step] * b[k * 8 + j]      r < 4, j < 8
// A is read in place through four row pointers (no packing: conv2d weights are rows with
// a_step 1, transposed-conv weights are columns with a_step = row length); a caller with
// fewer than 4 rows repeats a valid pointer and ignores those tile rows, as XNNPACK does.
// B is a packed panel of 8 columns ([K][8], zero-filled past the matrix edge).
// 8 accumulators + 2 B vectors + 1 splat fit the 16 vector registers of x86-64, which is
// also what V8 allocates WASM SIMD values to.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/simd.hpp"

namespace convplay::kernels {

constexpr int64_t kGemmMR = 4;  // rows of a tile (output channels, or kernel taps for convT)
constexpr int64_t kGemmNR = 8;  // columns of a tile (output pixels, or input pixels for convT)

// Loop counters and steps are ptrdiff_t, 32-bit on wasm32: int64_t address arithmetic costs
// an extra wrap per access there.
inline void f32_gemm_4x8(int64_t K, const float* a0, const float* a1, const float* a2,
                         const float* a3, int64_t a_step, const float* b, float* tile) {
  using namespace simd;
  f32x4 c00 = zero(), c01 = zero(), c10 = zero(), c11 = zero();
  f32x4 c20 = zero(), c21 = zero(), c30 = zero(), c31 = zero();
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
  store(tile + 0, c00); store(tile + 4, c01);
  store(tile + 8, c10); store(tile + 12, c11);
  store(tile + 16, c20); store(tile + 20, c21);
  store(tile + 24, c30); store(tile + 28, c31);
}

}  // namespace convplay::kernels
