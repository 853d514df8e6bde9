// Packs columns p0 .. p0+count-1 of a row-major matrix (depth rows, row_stride apart)
// into GEMM B panels of 8 columns ([depth][8] each, zeros past `count`).
// conv_transpose2d's B is its input as is: rows = channels, columns = pixels.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/gemm_mx8.hpp"
#include "kernels/simd.hpp"

namespace convplay::kernels {

inline void rows_pack_b(const float* src, int64_t depth, int64_t row_stride, int64_t p0,
                        int64_t count, float* out) {
  for (int64_t q0 = 0; q0 < count; q0 += kGemmNR, out += depth * kGemmNR) {
    const int64_t nr = std::min(kGemmNR, count - q0);
    const float* s = src + p0 + q0;
    if (nr == kGemmNR) {
      for (int64_t k = 0; k < depth; ++k, s += row_stride) {
        simd::store(out + k * kGemmNR, simd::load(s));
        simd::store(out + k * kGemmNR + 4, simd::load(s + 4));
      }
    } else {
      for (int64_t k = 0; k < depth; ++k, s += row_stride)
        for (int64_t j = 0; j < kGemmNR; ++j) out[k * kGemmNR + j] = j < nr ? s[j] : 0.0f;
    }
  }
}

}  // namespace convplay::kernels
