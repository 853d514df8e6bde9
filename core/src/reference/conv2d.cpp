// Reference conv2d, the way nn.Conv2d defines it: pad the input (F.pad with the padding
// mode, zeros included), then a direct sum over channels of the group and kernel taps.
// Summation order (float sums depend on it): each kernel row's products left to right, then
// those row sums added to the output's sum, starting from 0, in (channel, row) order, then
// the bias. The 3x3 image-filter kernel sums in exactly this order (its add chains stay
// short), so it is checked against this function bit for bit.
#include <vector>

#include "convplay/kernels.hpp"

namespace convplay::reference {

void conv2d(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, float* y) {
  PadGeometry pg;
  pg.input_shape = {g.N, g.C, g.H, g.W};
  pg.planes = g.N * g.C;
  pg.H = g.H; pg.W = g.W;
  pg.top = g.pad_top; pg.bottom = g.pad_bottom; pg.left = g.pad_left; pg.right = g.pad_right;
  pg.mode = g.mode;
  pg.OH = g.H + g.pad_top + g.pad_bottom;
  pg.OW = g.W + g.pad_left + g.pad_right;
  std::vector<float> xp(static_cast<size_t>(pg.output_size()));
  reference::pad(pg, x, xp.data());
  const int64_t HP = pg.OH, WP = pg.OW, Cg = g.Cg(), Kg = g.Kg();

  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t k = 0; k < g.K; ++k) {
      const int64_t c0 = (k / Kg) * Cg;  // first input channel of k's group
      for (int64_t oh = 0; oh < g.OH; ++oh)
        for (int64_t ow = 0; ow < g.OW; ++ow) {
          float acc = 0.0f;
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t i = 0; i < g.kh; ++i) {
              const float* xr = &xp[((n * g.C + c0 + c) * HP + oh * g.sh + i * g.dh) * WP + ow * g.sw];
              const float* wr = &w[((k * Cg + c) * g.kh + i) * g.kw];
              float row = xr[0] * wr[0];
              for (int64_t j = 1; j < g.kw; ++j) row += xr[j * g.dw] * wr[j];
              acc += row;
            }
          if (bias) acc += bias[k];
          y[((n * g.K + k) * g.OH + oh) * g.OW + ow] = acc;
        }
    }
}

}  // namespace convplay::reference
