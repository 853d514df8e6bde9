#include "kernels/conv2d_direct_rows.hpp"

#include <algorithm>
#include <cstring>

#include "kernels/simd.hpp"
#include "padding_index.hpp"

namespace convplay::kernels {
namespace {
constexpr int64_t kRun = 16;  // output pixels per inner step: 4 vectors of 4

int64_t padded_width(const Conv2dGeometry& g) {  // output run rounded up
  return (g.OW + kRun - 1) / kRun * kRun;
}
int64_t row_span(const Conv2dGeometry& g) {  // input floats one gathered row holds
  return padded_width(g) + g.dw * (g.kw - 1);
}
}  // namespace

int64_t conv2d_direct_rows_scratch(const Conv2dGeometry& g) {
  return g.Cg() * g.kh * row_span(g) + padded_width(g);
}

void conv2d_direct_rows(const Conv2dGeometry& g, const float* x, const float* w,
                        const float* bias, float* y, float* scratch) {
  using namespace simd;
  const int64_t Cg = g.Cg(), Kg = g.Kg(), span = row_span(g), OWp = padded_width(g);
  const int64_t taps = Cg * g.kh * g.kw, HW = g.H * g.W, OHW = g.OH * g.OW;
  float* rows = scratch;                    // Cg*kh gathered rows of `span` floats
  float* out = scratch + Cg * g.kh * span;  // one output row, OWp floats

  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t grp = 0; grp < g.groups; ++grp) {
      const float* xg = x + (n * g.C + grp * Cg) * HW;
      for (int64_t oh = 0; oh < g.OH; ++oh) {
        // Gather: row (c, a) holds padded input row oh + a*dh, columns -pad_left .. .
        for (int64_t c = 0; c < Cg; ++c)
          for (int64_t a = 0; a < g.kh; ++a) {
            float* dst = rows + (c * g.kh + a) * span;
            const int64_t ih = detail::source_index(oh * g.sh - g.pad_top + a * g.dh, g.H, g.mode);
            if (ih < 0) {
              std::fill(dst, dst + span, 0.0f);
              continue;
            }
            const float* src = xg + c * HW + ih * g.W;
            // Columns [lo, hi) of dst read the row directly; the rest go through the mode.
            const int64_t lo = std::min<int64_t>(g.pad_left, span);
            const int64_t hi = std::max(lo, std::min<int64_t>(g.pad_left + g.W, span));
            for (int64_t t = 0; t < lo; ++t) {
              int64_t iw = detail::source_index(t - g.pad_left, g.W, g.mode);
              dst[t] = iw < 0 ? 0.0f : src[iw];
            }
            std::memcpy(dst + lo, src + (lo - g.pad_left), sizeof(float) * (hi - lo));
            // Past the padded width (the run's round-up) the values are never stored.
            const int64_t real_end = std::min<int64_t>(span, g.W + g.pad_left + g.pad_right);
            for (int64_t t = hi; t < span; ++t) {
              int64_t iw = t < real_end ? detail::source_index(t - g.pad_left, g.W, g.mode) : -1;
              dst[t] = iw < 0 ? 0.0f : src[iw];
            }
          }
        for (int64_t k = 0; k < Kg; ++k) {
          const int64_t ko = grp * Kg + k;
          const float* wk = w + ko * taps;
          for (int64_t o = 0; o < OWp; o += kRun) {
            f32x4 acc0 = zero(), acc1 = zero(), acc2 = zero(), acc3 = zero();
            for (int64_t r = 0; r < Cg * g.kh; ++r) {
              const float* row = rows + r * span + o;
              for (int64_t b = 0; b < g.kw; ++b) {
                const f32x4 wv = splat(wk[r * g.kw + b]);
                const float* s = row + b * g.dw;
                acc0 = mul_add(acc0, wv, load(s));
                acc1 = mul_add(acc1, wv, load(s + 4));
                acc2 = mul_add(acc2, wv, load(s + 8));
                acc3 = mul_add(acc3, wv, load(s + 12));
              }
            }
            if (bias) {
              const f32x4 bv = splat(bias[ko]);
              acc0 = add(acc0, bv); acc1 = add(acc1, bv); acc2 = add(acc2, bv); acc3 = add(acc3, bv);
            }
            store(out + o, acc0); store(out + o + 4, acc1);
            store(out + o + 8, acc2); store(out + o + 12, acc3);
          }
          std::memcpy(y + (n * g.K + ko) * OHW + oh * g.OW, out, sizeof(float) * g.OW);
        }
      }
    }
}

}  // namespace convplay::kernels
