// Reference max_pool2d and avg_pool2d, PyTorch 1.13's CPU loops:
//  - max: the window's taps in order (dilated, padding is -inf: skipped); a value replaces
//    the running max when it is larger or NaN, so NaN propagates and the index is the last
//    NaN's; a window of -inf keeps its first tap's index. Indices are flat h * W + w per plane.
//  - avg: the sum over the window's real taps divided by divisor_override, or the window
//    clipped to the padded input (count_include_pad), or the real taps; a window with no
//    real tap gives 0.
#include <algorithm>
#include <cmath>
#include <limits>

#include "convplay/kernels.hpp"

namespace convplay::reference {

void max_pool2d(const Pool2dGeometry& g, const float* x, float* y, int32_t* indices) {
  for (int64_t p = 0; p < g.N * g.C; ++p) {
    const float* xp = x + p * g.H * g.W;
    for (int64_t oh = 0; oh < g.OH; ++oh)
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        int64_t h0 = oh * g.sh - g.ph, w0 = ow * g.sw - g.pw;
        const int64_t h1 = std::min(h0 + (g.kh - 1) * g.dh + 1, g.H);
        const int64_t w1 = std::min(w0 + (g.kw - 1) * g.dw + 1, g.W);
        while (h0 < 0) h0 += g.dh;
        while (w0 < 0) w0 += g.dw;
        int64_t best = h0 * g.W + w0;
        float m = -std::numeric_limits<float>::infinity();
        for (int64_t ih = h0; ih < h1; ih += g.dh)
          for (int64_t iw = w0; iw < w1; iw += g.dw) {
            const float v = xp[ih * g.W + iw];
            if (v > m || std::isnan(v)) {
              m = v;
              best = ih * g.W + iw;
            }
          }
        const int64_t o = (p * g.OH + oh) * g.OW + ow;
        y[o] = m;
        if (indices) indices[o] = static_cast<int32_t>(best);
      }
  }
}

void avg_pool2d(const Pool2dGeometry& g, const float* x, float* y) {
  for (int64_t p = 0; p < g.N * g.C; ++p) {
    const float* xp = x + p * g.H * g.W;
    for (int64_t oh = 0; oh < g.OH; ++oh)
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        int64_t h0 = oh * g.sh - g.ph, w0 = ow * g.sw - g.pw;
        int64_t h1 = std::min(h0 + g.kh, g.H + g.ph), w1 = std::min(w0 + g.kw, g.W + g.pw);
        const int64_t pool_size = (h1 - h0) * (w1 - w0);
        h0 = std::max<int64_t>(h0, 0);
        w0 = std::max<int64_t>(w0, 0);
        h1 = std::min(h1, g.H);
        w1 = std::min(w1, g.W);
        const int64_t o = (p * g.OH + oh) * g.OW + ow;
        if (h0 >= h1 || w0 >= w1) {
          y[o] = 0.0f;
          continue;
        }
        float sum = 0.0f;
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = w0; iw < w1; ++iw) sum += xp[ih * g.W + iw];
        const int64_t divisor = g.divisor_override != 0 ? g.divisor_override
                                : g.count_include_pad    ? pool_size
                                                         : (h1 - h0) * (w1 - w0);
        y[o] = sum / static_cast<float>(divisor);
      }
  }
}

}  // namespace convplay::reference
