// Kernel matrix: each row is one output position's receptive field. Writing it is
// proportional to the (mostly zero) matrix itself; the work worth saving is the bounds
// test per tap, so valid kernel columns are computed once per row.
#include <algorithm>

#include "convplay/kernels.hpp"

namespace convplay {

void kernel_matrix(const KernelMatrixGeometry& g, const float* kernel, float* m) {
  const int64_t cols = g.H * g.W;
  std::fill(m, m + g.output_size(), 0.0f);
  for (int64_t oh = 0; oh < g.OH; ++oh)
    for (int64_t ow = 0; ow < g.OW; ++ow) {
      float* row = m + (oh * g.OW + ow) * cols;
      const int64_t iw0 = ow * g.sw - g.pad_left;
      // taps b with 0 <= iw0 + b*dw < W
      const int64_t b_lo = iw0 >= 0 ? 0 : (-iw0 + g.dw - 1) / g.dw;
      const int64_t b_hi = iw0 >= g.W ? 0 : std::min(g.kw, (g.W - 1 - iw0) / g.dw + 1);
      for (int64_t a = 0; a < g.kh; ++a) {
        const int64_t ih = oh * g.sh - g.pad_top + a * g.dh;
        if (ih < 0 || ih >= g.H) continue;
        for (int64_t b = b_lo; b < b_hi; ++b) row[ih * g.W + iw0 + b * g.dw] = kernel[a * g.kw + b];
      }
    }
}

}  // namespace convplay
