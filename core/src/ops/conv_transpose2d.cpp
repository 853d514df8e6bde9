// conv_transpose2d operator: runs the phase path, or (output filled with the bias first) the
// scatter path when a weight is Inf or NaN. (PyTorch forms only products of real
// input values; the phase path also multiplies weights by the zeros around the input, which
// is harmless for finite weights and turns an infinite one into NaN.)
#include "ops/conv_transpose2d.hpp"

#include <algorithm>
#include <cmath>

#include "convplay/kernels.hpp"
#include "kernels/simd.hpp"

namespace convplay {

ConvTranspose2dPath choose_conv_transpose2d_path(const ConvTranspose2dGeometry& g, const float* w) {
  if (g.output_size() == 0) return ConvTranspose2dPath::Empty;
  // w * 0 is NaN exactly when w is Inf or NaN; summed in 4 lanes, any one poisons the sum.
  const int64_t n = g.C * g.Kg() * g.kh * g.kw;
  simd::f32x4 poison = simd::zero();
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) poison = simd::mul_add(poison, simd::load(w + i), simd::zero());
  float lanes[4];
  simd::store(lanes, poison);
  bool finite = lanes[0] == 0.0f && lanes[1] == 0.0f && lanes[2] == 0.0f && lanes[3] == 0.0f;
  for (; i < n; ++i) finite = finite && std::isfinite(w[i]);
  return finite ? ConvTranspose2dPath::Phases : ConvTranspose2dPath::Scatter;
}

void conv_transpose2d(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                      const float* bias, float* y) {
  const int64_t OHW = g.OH * g.OW;
  switch (choose_conv_transpose2d_path(g, w)) {
    case ConvTranspose2dPath::Empty: return;
    case ConvTranspose2dPath::Phases: detail::conv_transpose2d_phases(g, x, w, bias, y); return;
    case ConvTranspose2dPath::Scatter:
      for (int64_t n = 0; n < g.N; ++n)
        for (int64_t k = 0; k < g.K; ++k)
          std::fill(y + (n * g.K + k) * OHW, y + (n * g.K + k + 1) * OHW, bias ? bias[k] : 0.0f);
      detail::conv_transpose2d_scatter(g, x, w, bias, y);
      return;
  }
}

}  // namespace convplay
