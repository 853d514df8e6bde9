#include "kernels/padded_input.hpp"

#include <algorithm>
#include <cstring>

#include "padding_index.hpp"

namespace convplay::kernels {
namespace {

// The input rows and columns the windows of all outputs read (pads may be negative: the
// phases of conv_transpose2d start their windows inside x).
struct Extent {
  int64_t ih0, rows, iw0, cols;
};
Extent extent(const Conv2dGeometry& g) {
  Extent e;
  e.ih0 = -g.pad_top;
  e.rows = (g.OH - 1) * g.sh + (g.kh - 1) * g.dh + 1;
  e.iw0 = -g.pad_left;
  e.cols = (g.OW - 1) * g.sw + (g.kw - 1) * g.dw + 1;
  return e;
}

}  // namespace

int64_t padded_input_floats(const Conv2dGeometry& g) {
  const Extent e = extent(g);
  return g.Cg() * e.rows * e.cols + kPaddedInputSlack;
}

PaddedInput padded_input_build(const Conv2dGeometry& g, const float* xg, float* dst) {
  const Extent e = extent(g);
  const int64_t HW = g.H * g.W;
  // Columns [lo, hi) of a stored row are x's columns as they are; the rest go through the mode.
  const int64_t lo = std::clamp<int64_t>(-e.iw0, 0, e.cols);
  const int64_t hi = std::clamp<int64_t>(g.W - e.iw0, lo, e.cols);
  float* out = dst;
  for (int64_t c = 0; c < g.Cg(); ++c)
    for (int64_t r = 0; r < e.rows; ++r, out += e.cols) {
      const int64_t ih = detail::source_index(e.ih0 + r, g.H, g.mode);
      if (ih < 0) {
        std::fill(out, out + e.cols, 0.0f);
        continue;
      }
      const float* src = xg + c * HW + ih * g.W;
      for (int64_t t = 0; t < lo; ++t) {
        const int64_t iw = detail::source_index(e.iw0 + t, g.W, g.mode);
        out[t] = iw < 0 ? 0.0f : src[iw];
      }
      if (hi > lo) std::memcpy(out + lo, src + e.iw0 + lo, sizeof(float) * static_cast<size_t>(hi - lo));
      for (int64_t t = hi; t < e.cols; ++t) {
        const int64_t iw = detail::source_index(e.iw0 + t, g.W, g.mode);
        out[t] = iw < 0 ? 0.0f : src[iw];
      }
    }
  std::fill(out, out + kPaddedInputSlack, 0.0f);
  PaddedInput p;
  p.data = dst;
  p.row_step = e.cols;
  p.channel_step = e.rows * e.cols;
  p.ih0 = e.ih0;
  p.iw0 = e.iw0;
  return p;
}

}  // namespace convplay::kernels
