#include "kernels/im2col_pack.hpp"

#include <algorithm>

#include "kernels/gemm_mx8.hpp"
#include "kernels/simd.hpp"
#include "padding_index.hpp"

namespace convplay::kernels {

void im2col_pack_b(const Conv2dGeometry& g, const float* xg, int64_t p0, int64_t count, float* out) {
  const int64_t rows = g.Cg() * g.kh * g.kw, HW = g.H * g.W;
  for (int64_t q0 = 0; q0 < count; q0 += kGemmNR) {
    float* panel = out + q0 * rows;
    int64_t ih0[kGemmNR], iw0[kGemmNR];
    bool valid[kGemmNR];
    for (int64_t j = 0; j < kGemmNR; ++j) {
      const int64_t p = p0 + q0 + j;
      valid[j] = q0 + j < count;
      ih0[j] = valid[j] ? (p / g.OW) * g.sh - g.pad_top : 0;
      iw0[j] = valid[j] ? (p % g.OW) * g.sw - g.pad_left : 0;
    }
    // All 8 columns in one output row: each row of the panel is an evenly strided run.
    const bool one_row = valid[kGemmNR - 1] && ih0[0] == ih0[kGemmNR - 1];
    // Otherwise (zeros mode, stride 1 along the width): the panel's columns split into runs of
    // consecutive pixels within one output row (two when a panel straddles a row end, as the
    // narrow grids of transposed-conv phases do); each run is copied with its bounds clipped
    // once, not tested per element.
    int64_t run_first[kGemmNR], run_len[kGemmNR];
    int runs = 0;
    const bool by_runs = !one_row && g.mode == PaddingMode::Zeros && g.sw == 1;
    if (by_runs)
      for (int64_t j = 0; j < kGemmNR && valid[j];) {
        int64_t e = j + 1;
        while (e < kGemmNR && valid[e] && ih0[e] == ih0[j]) ++e;
        run_first[runs] = j;
        run_len[runs++] = e - j;
        j = e;
      }
    float* dst = panel;
    for (int64_t c = 0; c < g.Cg(); ++c) {
      const float* xc = xg + c * HW;
      for (int64_t a = 0; a < g.kh; ++a)
        for (int64_t b = 0; b < g.kw; ++b, dst += kGemmNR) {
          if (one_row) {
            const int64_t ih = ih0[0] + a * g.dh, iw = iw0[0] + b * g.dw;
            if (ih >= 0 && ih < g.H && iw >= 0 && iw + (kGemmNR - 1) * g.sw < g.W) {
              const float* src = xc + ih * g.W + iw;
              if (g.sw == 1) {
                simd::store(dst, simd::load(src));
                simd::store(dst + 4, simd::load(src + 4));
              } else {
                for (int64_t j = 0; j < kGemmNR; ++j) dst[j] = src[j * g.sw];
              }
              continue;
            }
          }
          if (by_runs) {
            for (int64_t j = 0; j < kGemmNR; ++j) dst[j] = 0.0f;
            for (int r = 0; r < runs; ++r) {
              const int64_t j0 = run_first[r], ih = ih0[j0] + a * g.dh, iw = iw0[j0] + b * g.dw;
              if (ih < 0 || ih >= g.H) continue;
              const int64_t lo = iw >= 0 ? 0 : std::min(run_len[r], -iw);
              const int64_t hi = std::min(run_len[r], g.W - iw);
              const float* src = xc + ih * g.W + iw;
              for (int64_t j = lo; j < hi; ++j) dst[j0 + j] = src[j];
            }
            continue;
          }
          if (g.mode == PaddingMode::Zeros) {  // bounds only, no padding-mode lookup
            for (int64_t j = 0; j < kGemmNR; ++j) {
              const int64_t ih = ih0[j] + a * g.dh, iw = iw0[j] + b * g.dw;
              dst[j] = (valid[j] && ih >= 0 && ih < g.H && iw >= 0 && iw < g.W) ? xc[ih * g.W + iw] : 0.0f;
            }
            continue;
          }
          for (int64_t j = 0; j < kGemmNR; ++j) {
            const int64_t ih = detail::source_index(ih0[j] + a * g.dh, g.H, g.mode);
            const int64_t iw = detail::source_index(iw0[j] + b * g.dw, g.W, g.mode);
            dst[j] = (valid[j] && ih >= 0 && iw >= 0) ? xc[ih * g.W + iw] : 0.0f;
          }
        }
    }
  }
}

}  // namespace convplay::kernels
