// Reference unfold (im2col) and fold (col2im): row (c, a, b) of the column matrix holds
// input[c, oh*s - p + a*d, ow*s - p + b*d] for every block (oh, ow); fold sums it back.
#include <algorithm>

#include "convplay/kernels.hpp"

namespace convplay::reference {

void unfold(const UnfoldGeometry& g, const float* x, float* y) {
  const int64_t L = g.OH * g.OW, rows = g.C * g.kh * g.kw;
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t c = 0; c < g.C; ++c)
      for (int64_t a = 0; a < g.kh; ++a)
        for (int64_t b = 0; b < g.kw; ++b)
          for (int64_t oh = 0; oh < g.OH; ++oh)
            for (int64_t ow = 0; ow < g.OW; ++ow) {
              int64_t ih = oh * g.sh - g.ph + a * g.dh, iw = ow * g.sw - g.pw + b * g.dw;
              bool inside = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
              int64_t row = (c * g.kh + a) * g.kw + b;
              y[(n * rows + row) * L + oh * g.OW + ow] =
                  inside ? x[((n * g.C + c) * g.H + ih) * g.W + iw] : 0.0f;
            }
}

void fold(const FoldGeometry& g, const float* x, float* y) {
  const int64_t L = g.OH * g.OW, rows = g.C * g.kh * g.kw;
  std::fill(y, y + g.N * g.C * g.H * g.W, 0.0f);
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t c = 0; c < g.C; ++c)
      for (int64_t a = 0; a < g.kh; ++a)
        for (int64_t b = 0; b < g.kw; ++b)
          for (int64_t oh = 0; oh < g.OH; ++oh)
            for (int64_t ow = 0; ow < g.OW; ++ow) {
              int64_t ih = oh * g.sh - g.ph + a * g.dh, iw = ow * g.sw - g.pw + b * g.dw;
              if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
              int64_t row = (c * g.kh + a) * g.kw + b;
              y[((n * g.C + c) * g.H + ih) * g.W + iw] += x[(n * rows + row) * L + oh * g.OW + ow];
            }
}

}  // namespace convplay::reference
