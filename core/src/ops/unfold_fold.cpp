// unfold / fold: the reference loop order with the bounds work hoisted out of the pixel
// loop. For one (channel, tap, block row) the valid block columns form one interval, so
// each output row is a zero run, a strided copy (a memcpy at stride 1) and a zero run.
#include <algorithm>
#include <cstring>

#include "convplay/kernels.hpp"

namespace convplay {
namespace {

// Block columns ow with 0 <= ow*s + off < W, as [lo, hi).
void valid_columns(int64_t off, int64_t s, int64_t W, int64_t OW, int64_t& lo, int64_t& hi) {
  lo = off >= 0 ? 0 : (-off + s - 1) / s;
  hi = off >= W ? 0 : std::min(OW, (W - 1 - off) / s + 1);
  lo = std::min(lo, OW);
  hi = std::max(hi, lo);
}

}  // namespace

void unfold(const UnfoldGeometry& g, const float* x, float* y) {
  const int64_t L = g.OH * g.OW;
  for (int64_t nc = 0; nc < g.N * g.C; ++nc) {
    const float* xc = x + nc * g.H * g.W;
    for (int64_t a = 0; a < g.kh; ++a)
      for (int64_t b = 0; b < g.kw; ++b) {
        const int64_t off = b * g.dw - g.pw;
        int64_t lo, hi;
        valid_columns(off, g.sw, g.W, g.OW, lo, hi);
        float* row = y + (nc * g.kh * g.kw + a * g.kw + b) * L;
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          float* dst = row + oh * g.OW;
          const int64_t ih = oh * g.sh - g.ph + a * g.dh;
          if (ih < 0 || ih >= g.H) {
            std::fill(dst, dst + g.OW, 0.0f);
            continue;
          }
          std::fill(dst, dst + lo, 0.0f);
          const float* src = xc + ih * g.W + off;
          if (g.sw == 1) std::memcpy(dst + lo, src + lo, sizeof(float) * (hi - lo));
          else
            for (int64_t ow = lo; ow < hi; ++ow) dst[ow] = src[ow * g.sw];
          std::fill(dst + hi, dst + g.OW, 0.0f);
        }
      }
  }
}

void fold(const FoldGeometry& g, const float* x, float* y) {
  const int64_t L = g.OH * g.OW;
  std::fill(y, y + g.N * g.C * g.H * g.W, 0.0f);
  for (int64_t nc = 0; nc < g.N * g.C; ++nc) {
    float* yc = y + nc * g.H * g.W;
    for (int64_t a = 0; a < g.kh; ++a)
      for (int64_t b = 0; b < g.kw; ++b) {
        const int64_t off = b * g.dw - g.pw;
        int64_t lo, hi;
        valid_columns(off, g.sw, g.W, g.OW, lo, hi);
        const float* row = x + (nc * g.kh * g.kw + a * g.kw + b) * L;
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          const int64_t ih = oh * g.sh - g.ph + a * g.dh;
          if (ih < 0 || ih >= g.H) continue;
          const float* src = row + oh * g.OW;
          float* dst = yc + ih * g.W + off;
          for (int64_t ow = lo; ow < hi; ++ow) dst[ow * g.sw] += src[ow];
        }
      }
  }
}

}  // namespace convplay
