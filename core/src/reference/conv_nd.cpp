// Reference conv1d / conv3d and their transposes, the way nn.Conv1d / nn.Conv3d and
// nn.ConvTranspose1d / 3d define them, on (D, H, W) with D = H = 1 for the 1-D ops.
//  - conv: pad the input (the padding mode, zeros included: a zero is a real zero that is
//    multiplied, so an infinite weight over padding gives NaN as in PyTorch), then the direct
//    sum over the group's channels and kernel taps, then the bias.
//  - transposed: every input element stamps its scaled kernel into the output
//    (y[i*s - p + a*d] += x[i] * w[a], per dimension), output_padding extends the end;
//    only products of real inputs are formed.
#include <algorithm>

#include "convplay/kernels.hpp"
#include "padding_index.hpp"

namespace convplay::reference {

void conv_nd(const ConvNdGeometry& g, const float* x, const float* w, const float* bias, float* y) {
  const int64_t Cg = g.Cg(), Kg = g.Kg(), D = g.in[0], H = g.in[1], W = g.in[2];
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t k = 0; k < g.K; ++k) {
      const int64_t c0 = (k / Kg) * Cg;
      for (int64_t od = 0; od < g.out[0]; ++od)
        for (int64_t oh = 0; oh < g.out[1]; ++oh)
          for (int64_t ow = 0; ow < g.out[2]; ++ow) {
            float acc = 0.0f;
            for (int64_t c = 0; c < Cg; ++c) {
              const float* xc = x + (n * g.C + c0 + c) * D * H * W;
              const float* wc = w + (k * Cg + c) * g.taps();
              for (int64_t a = 0; a < g.k[0]; ++a) {
                const int64_t id = detail::source_index(od * g.s[0] - g.pad_lo[0] + a * g.d[0], D, g.mode);
                for (int64_t b = 0; b < g.k[1]; ++b) {
                  const int64_t ih = detail::source_index(oh * g.s[1] - g.pad_lo[1] + b * g.d[1], H, g.mode);
                  for (int64_t e = 0; e < g.k[2]; ++e) {
                    const int64_t iw = detail::source_index(ow * g.s[2] - g.pad_lo[2] + e * g.d[2], W, g.mode);
                    const float xv = (id < 0 || ih < 0 || iw < 0) ? 0.0f : xc[(id * H + ih) * W + iw];
                    acc += xv * wc[(a * g.k[1] + b) * g.k[2] + e];
                  }
                }
              }
            }
            if (bias) acc += bias[k];
            y[(((n * g.K + k) * g.out[0] + od) * g.out[1] + oh) * g.out[2] + ow] = acc;
          }
    }
}

void conv_transpose_nd(const ConvNdGeometry& g, const float* x, const float* w, const float* bias,
                       float* y) {
  const int64_t Cg = g.Cg(), Kg = g.Kg(), OD = g.out[0], OH = g.out[1], OW = g.out[2];
  std::fill(y, y + g.output_size(), 0.0f);
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t c = 0; c < g.C; ++c) {
      const int64_t k0 = (c / Cg) * Kg;
      for (int64_t id = 0; id < g.in[0]; ++id)
        for (int64_t ih = 0; ih < g.in[1]; ++ih)
          for (int64_t iw = 0; iw < g.in[2]; ++iw) {
            const float xv = x[(((n * g.C + c) * g.in[0] + id) * g.in[1] + ih) * g.in[2] + iw];
            for (int64_t k = 0; k < Kg; ++k) {
              const float* wk = w + (c * Kg + k) * g.taps();
              float* yk = y + (n * g.K + k0 + k) * OD * OH * OW;
              for (int64_t a = 0; a < g.k[0]; ++a) {
                const int64_t od = id * g.s[0] - g.pad_lo[0] + a * g.d[0];
                if (od < 0 || od >= OD) continue;
                for (int64_t b = 0; b < g.k[1]; ++b) {
                  const int64_t oh = ih * g.s[1] - g.pad_lo[1] + b * g.d[1];
                  if (oh < 0 || oh >= OH) continue;
                  for (int64_t e = 0; e < g.k[2]; ++e) {
                    const int64_t ow = iw * g.s[2] - g.pad_lo[2] + e * g.d[2];
                    if (ow < 0 || ow >= OW) continue;
                    yk[(od * OH + oh) * OW + ow] += xv * wk[(a * g.k[1] + b) * g.k[2] + e];
                  }
                }
              }
            }
          }
    }
  if (bias)
    for (int64_t n = 0; n < g.N; ++n)
      for (int64_t k = 0; k < g.K; ++k)
        for (int64_t p = 0; p < OD * OH * OW; ++p) y[(n * g.K + k) * OD * OH * OW + p] += bias[k];
}

}  // namespace convplay::reference
