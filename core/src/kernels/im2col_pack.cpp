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

void im2col_pack_b_padded(const Conv2dGeometry& g, const PaddedInput& xp, int64_t p0, int64_t count,
                          float* out) {
  using simd::load;
  using simd::store;
  // 32-bit offsets on wasm32 (ptrdiff_t), where int64 arithmetic costs extra wraps.
  const ptrdiff_t rows = static_cast<ptrdiff_t>(g.Cg() * g.kh * g.kw);
  const ptrdiff_t cs = static_cast<ptrdiff_t>(xp.channel_step), rs = static_cast<ptrdiff_t>(xp.row_step);
  const ptrdiff_t kh = static_cast<ptrdiff_t>(g.kh), kw = static_cast<ptrdiff_t>(g.kw);
  const ptrdiff_t row_tap = static_cast<ptrdiff_t>(g.dh) * rs, col_tap = static_cast<ptrdiff_t>(g.dw);
  const ptrdiff_t channels = static_cast<ptrdiff_t>(g.Cg());
  for (int64_t q0 = 0; q0 < count; q0 += kGemmNR) {
    // Where column j's window starts (tap 0, channel 0); columns past count repeat the last.
    ptrdiff_t start[kGemmNR];
    int64_t oh[kGemmNR];
    const int64_t valid = std::min(kGemmNR, count - q0);
    for (int64_t j = 0; j < kGemmNR; ++j) {
      const int64_t p = p0 + q0 + std::min(j, valid - 1);
      oh[j] = p / g.OW;
      start[j] = static_cast<ptrdiff_t>(oh[j] * g.sh * xp.row_step + (p % g.OW) * g.sw);
    }
    float* dst = out + q0 * rows;
    if (g.sw == 1) {
      // Runs of columns in one output row: consecutive input pixels.
      ptrdiff_t run_first[kGemmNR], run_start[kGemmNR];
      int runs = 0;
      for (int64_t j = 0; j < valid; ++j)
        if (j == 0 || oh[j] != oh[j - 1]) {
          run_first[runs] = static_cast<ptrdiff_t>(j);
          run_start[runs++] = start[j];
        }
      if (runs == 1) {
        const float* src = xp.data + run_start[0];
        for (ptrdiff_t c = 0; c < channels; ++c)
          for (ptrdiff_t a = 0; a < kh; ++a) {
            const float* s = src + c * cs + a * row_tap;
            for (ptrdiff_t b = 0; b < kw; ++b, s += col_tap, dst += kGemmNR) {
              store(dst, load(s));
              store(dst + 4, load(s + 4));
            }
          }
      } else {
        for (ptrdiff_t c = 0; c < channels; ++c)
          for (ptrdiff_t a = 0; a < kh; ++a)
            for (ptrdiff_t b = 0; b < kw; ++b, dst += kGemmNR) {
              const float* s = xp.data + c * cs + a * row_tap + b * col_tap;
              for (int r = 0; r < runs; ++r) {  // later runs overwrite the earlier copies' tails
                store(dst + run_first[r], load(s + run_start[r]));
                store(dst + run_first[r] + 4, load(s + run_start[r] + 4));
              }
            }
      }
      continue;
    }
    for (ptrdiff_t c = 0; c < channels; ++c)
      for (ptrdiff_t a = 0; a < kh; ++a)
        for (ptrdiff_t b = 0; b < kw; ++b, dst += kGemmNR) {
          const float* s = xp.data + c * cs + a * row_tap + b * col_tap;
          for (int64_t j = 0; j < kGemmNR; ++j) dst[j] = s[start[j]];
        }
  }
}

}  // namespace convplay::kernels
