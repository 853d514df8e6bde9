// Reference backward passes of conv2d and conv_transpose2d: what torch.autograd gives for
// nn.Conv2d / nn.ConvTranspose2d with a bias, written as the chain rule over the forward's
// direct loops. conv2d: every (output, tap) pair of the forward sends gradOutput * weight
// back to the input cell it read (a ghost cell of reflect / replicate / circular padding is
// its source cell, so its gradient lands there; a zero-padding ghost is dropped) and
// gradOutput * input to the weight (a zero-padding ghost contributes gradOutput * 0).
// conv_transpose2d: PyTorch's gradients are convolutions over gradOutput padded with zeros, so
// a tap that the forward cropped contributes weight * 0 and input * 0 (NaN for an infinite one).
#include <algorithm>

#include "convplay/kernels.hpp"
#include "padding_index.hpp"

namespace convplay::reference {

void conv2d_backward(const Conv2dGeometry& g, const float* x, const float* w, const float* gy,
                     float* gx, float* gw, float* gb) {
  const int64_t Cg = g.Cg(), Kg = g.Kg(), taps = g.kh * g.kw;
  std::fill(gx, gx + g.N * g.C * g.H * g.W, 0.0f);
  std::fill(gw, gw + g.K * Cg * taps, 0.0f);
  std::fill(gb, gb + g.K, 0.0f);
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t k = 0; k < g.K; ++k) {
      const int64_t c0 = (k / Kg) * Cg;
      for (int64_t oh = 0; oh < g.OH; ++oh)
        for (int64_t ow = 0; ow < g.OW; ++ow) {
          const float v = gy[((n * g.K + k) * g.OH + oh) * g.OW + ow];
          gb[k] += v;
          for (int64_t c = 0; c < Cg; ++c) {
            const int64_t plane = (n * g.C + c0 + c) * g.H * g.W;
            for (int64_t a = 0; a < g.kh; ++a) {
              const int64_t ih = detail::source_index(oh * g.sh - g.pad_top + a * g.dh, g.H, g.mode);
              for (int64_t b = 0; b < g.kw; ++b) {
                const int64_t iw = detail::source_index(ow * g.sw - g.pad_left + b * g.dw, g.W, g.mode);
                const int64_t wi = (k * Cg + c) * taps + a * g.kw + b;
                if (ih < 0 || iw < 0) {
                  gw[wi] += v * 0.0f;
                  continue;
                }
                gx[plane + ih * g.W + iw] += v * w[wi];
                gw[wi] += v * x[plane + ih * g.W + iw];
              }
            }
          }
        }
    }
}

void conv_transpose2d_backward(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                               const float* gy, float* gx, float* gw, float* gb) {
  const int64_t Cg = g.Cg(), Kg = g.Kg(), taps = g.kh * g.kw;
  std::fill(gx, gx + g.N * g.C * g.H * g.W, 0.0f);
  std::fill(gw, gw + g.C * Kg * taps, 0.0f);
  std::fill(gb, gb + g.K, 0.0f);
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t c = 0; c < g.C; ++c) {
      const int64_t k0 = (c / Cg) * Kg;
      for (int64_t ih = 0; ih < g.H; ++ih)
        for (int64_t iw = 0; iw < g.W; ++iw) {
          const int64_t xi = ((n * g.C + c) * g.H + ih) * g.W + iw;
          for (int64_t k = 0; k < Kg; ++k)
            for (int64_t a = 0; a < g.kh; ++a) {
              const int64_t oh = ih * g.sh - g.ph + a * g.dh;
              for (int64_t b = 0; b < g.kw; ++b) {
                const int64_t ow = iw * g.sw - g.pw + b * g.dw;
                // a tap cropped by the padding reads a real zero of gradOutput's padding
                const bool inside = oh >= 0 && oh < g.OH && ow >= 0 && ow < g.OW;
                const float v = inside ? gy[((n * g.K + k0 + k) * g.OH + oh) * g.OW + ow] : 0.0f;
                const int64_t wi = (c * Kg + k) * taps + a * g.kw + b;
                gx[xi] += v * w[wi];
                gw[wi] += v * x[xi];
              }
            }
        }
    }
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t k = 0; k < g.K; ++k)
      for (int64_t p = 0; p < g.OH * g.OW; ++p) gb[k] += gy[(n * g.K + k) * g.OH * g.OW + p];
}

}  // namespace convplay::reference
