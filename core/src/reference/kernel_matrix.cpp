// Reference kernel matrix: row (oh, ow) is the kernel placed at that output's receptive
// field in the flattened input, so conv2d(x).flatten() == M @ x.flatten().
#include <algorithm>

#include "convplay/kernels.hpp"

namespace convplay::reference {

void kernel_matrix(const KernelMatrixGeometry& g, const float* kernel, float* m) {
  const int64_t cols = g.H * g.W;
  std::fill(m, m + g.output_size(), 0.0f);
  for (int64_t oh = 0; oh < g.OH; ++oh)
    for (int64_t ow = 0; ow < g.OW; ++ow)
      for (int64_t a = 0; a < g.kh; ++a)
        for (int64_t b = 0; b < g.kw; ++b) {
          int64_t ih = oh * g.sh - g.pad_top + a * g.dh, iw = ow * g.sw - g.pad_left + b * g.dw;
          if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;  // lands on zero padding
          m[(oh * g.OW + ow) * cols + ih * g.W + iw] += kernel[a * g.kw + b];
        }
}

}  // namespace convplay::reference
