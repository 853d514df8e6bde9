// Reference conv_transpose2d as d2l's trans_conv: every input element stamps its scaled
// kernel into the output (Y[i*s + a*d, j*s + b*d] += X[i, j] * K[a, b]); padding crops the
// full result at the top/left by `padding`, output_padding extends it at the bottom/right.
#include <algorithm>

#include "convplay/kernels.hpp"

namespace convplay::reference {

void conv_transpose2d(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                      const float* bias, float* y) {
  const int64_t Cg = g.Cg(), Kg = g.Kg();
  std::fill(y, y + g.output_size(), 0.0f);
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t c = 0; c < g.C; ++c) {
      const int64_t k0 = (c / Cg) * Kg;  // first output channel of c's group
      for (int64_t ih = 0; ih < g.H; ++ih)
        for (int64_t iw = 0; iw < g.W; ++iw) {
          const float xv = x[((n * g.C + c) * g.H + ih) * g.W + iw];
          for (int64_t k = 0; k < Kg; ++k)
            for (int64_t a = 0; a < g.kh; ++a)
              for (int64_t b = 0; b < g.kw; ++b) {
                int64_t oh = ih * g.sh - g.ph + a * g.dh;
                int64_t ow = iw * g.sw - g.pw + b * g.dw;
                if (oh < 0 || oh >= g.OH || ow < 0 || ow >= g.OW) continue;
                y[((n * g.K + k0 + k) * g.OH + oh) * g.OW + ow] +=
                    xv * w[((c * Kg + k) * g.kh + a) * g.kw + b];
              }
        }
    }
  if (bias)
    for (int64_t n = 0; n < g.N; ++n)
      for (int64_t k = 0; k < g.K; ++k)
        for (int64_t p = 0; p < g.OH * g.OW; ++p) y[(n * g.K + k) * g.OH * g.OW + p] += bias[k];
}

}  // namespace convplay::reference
