// conv_transpose2d operator: runs the phase path, or the column-to-image path where it is
// faster (conv_transpose2d_col2im_preferred) or when a weight is Inf or NaN, or (output filled
// with the bias first) the tile-by-tile scatter for non-finite weights whose column-to-image
// workspace would pass 8 MiB. (PyTorch forms only products of real input values; the phase
// path also multiplies weights by the zeros around the input, which is harmless for finite
// weights and turns an infinite one into NaN.)
#include "ops/conv_transpose2d.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "convplay/kernels.hpp"
#include "kernels/simd.hpp"

namespace convplay {

namespace detail {
void fill_with_bias(const ConvTranspose2dGeometry& g, const float* bias, float* y) {
  const int64_t OHW = g.OH * g.OW;
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t k = 0; k < g.K; ++k)
      std::fill(y + (n * g.K + k) * OHW, y + (n * g.K + k + 1) * OHW, bias ? bias[k] : 0.0f);
}
}  // namespace detail

namespace {
// Largest workspace the column-to-image path takes (8 MiB).
constexpr int64_t kCol2imMaxFloats = 2 * 1024 * 1024;
}  // namespace

ConvTranspose2dPath choose_conv_transpose2d_path(const ConvTranspose2dGeometry& g, const float* w) {
  if (g.output_size() == 0) return ConvTranspose2dPath::Empty;
  // Column-to-image is exact for any weights: where it is the faster path the weights are
  // not scanned at all.
  const bool col2im_fits = detail::conv_transpose2d_col2im_floats(g) <= kCol2imMaxFloats;
  if (col2im_fits && detail::conv_transpose2d_col2im_preferred(g)) return ConvTranspose2dPath::Col2im;
  // w * 0 is NaN exactly when w is Inf or NaN; summed in lanes, any one poisons the sum.
  // Four independent sums: one would wait on the previous add every 4 weights.
  const ptrdiff_t n = static_cast<ptrdiff_t>(g.C * g.Kg() * g.kh * g.kw);
  const simd::f32x4 z = simd::zero();
  simd::f32x4 p0 = z, p1 = z, p2 = z, p3 = z;
  ptrdiff_t i = 0;
  for (; i + 16 <= n; i += 16) {
    p0 = simd::mul_add(p0, simd::load(w + i), z);
    p1 = simd::mul_add(p1, simd::load(w + i + 4), z);
    p2 = simd::mul_add(p2, simd::load(w + i + 8), z);
    p3 = simd::mul_add(p3, simd::load(w + i + 12), z);
  }
  for (; i + 4 <= n; i += 4) p0 = simd::mul_add(p0, simd::load(w + i), z);
  float lanes[4];
  simd::store(lanes, simd::add(simd::add(p0, p1), simd::add(p2, p3)));
  bool finite = lanes[0] == 0.0f && lanes[1] == 0.0f && lanes[2] == 0.0f && lanes[3] == 0.0f;
  for (; i < n; ++i) finite = finite && std::isfinite(w[i]);
  if (finite) return ConvTranspose2dPath::Phases;
  return col2im_fits ? ConvTranspose2dPath::Col2im : ConvTranspose2dPath::Scatter;
}

void conv_transpose2d(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                      const float* bias, float* y) {
  switch (choose_conv_transpose2d_path(g, w)) {
    case ConvTranspose2dPath::Empty: return;
    case ConvTranspose2dPath::Phases: detail::conv_transpose2d_phases(g, x, w, bias, y); return;
    case ConvTranspose2dPath::Col2im:
      detail::conv_transpose2d_col2im(g, x, w, bias, y);
      return;
    case ConvTranspose2dPath::Scatter:
      detail::fill_with_bias(g, bias, y);
      detail::conv_transpose2d_scatter(g, x, w, bias, y);
      return;
  }
}

}  // namespace convplay
