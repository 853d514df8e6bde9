// conv_transpose2d operator: fills the output with the bias, then runs the phase path,
// or the scatter path when a weight is Inf or NaN. (PyTorch forms only products of real
// input values; the phase path also multiplies weights by the zeros around the input, which
// is harmless for finite weights and turns an infinite one into NaN.)
#include "ops/conv_transpose2d.hpp"

#include <algorithm>
#include <cmath>

#include "convplay/kernels.hpp"

namespace convplay {

ConvTranspose2dPath choose_conv_transpose2d_path(const ConvTranspose2dGeometry& g, const float* w) {
  if (g.output_size() == 0) return ConvTranspose2dPath::Empty;
  const int64_t n = g.C * g.Kg() * g.kh * g.kw;
  for (int64_t i = 0; i < n; ++i)
    if (!std::isfinite(w[i])) return ConvTranspose2dPath::Scatter;
  return ConvTranspose2dPath::Phases;
}

void conv_transpose2d(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                      const float* bias, float* y) {
  const int64_t OHW = g.OH * g.OW;
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t k = 0; k < g.K; ++k)
      std::fill(y + (n * g.K + k) * OHW, y + (n * g.K + k + 1) * OHW, bias ? bias[k] : 0.0f);
  switch (choose_conv_transpose2d_path(g, w)) {
    case ConvTranspose2dPath::Empty: return;
    case ConvTranspose2dPath::Phases: detail::conv_transpose2d_phases(g, x, w, bias, y); return;
    case ConvTranspose2dPath::Scatter: detail::conv_transpose2d_scatter(g, x, w, bias, y); return;
  }
}

}  // namespace convplay
