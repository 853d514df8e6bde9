// The backward passes on the optimized operators:
//  - conv2d gradInput is the transposed convolution of gradOutput with the same weight
//    (conv2d's [K, Cg, kh, kw] is conv_transpose2d's [in, out/groups, kh, kw]). Symmetric zero
//    padding: conv_transpose2d with that padding and the output_padding that restores the
//    input's size. Otherwise ('same' with an odd total, reflect, replicate, circular): the
//    gradient of the padded input (padding 0), then every ghost cell's gradient is added to the
//    cell it was copied from (zero-padding ghosts are dropped).
//  - conv2d gradWeight[k, (c, a, b)] = sum over images and pixels of gradOutput[k, p] *
//    im2col(padded x)[(c, a, b), p]: a GEMM with gradOutput as A (4 rows per strip) and the
//    transposed im2col as B, packed 8 columns by a block of pixels at a time, on the same
//    f32_gemm_4x8_adjacent_rows micro-kernel as conv2d.
//  - conv_transpose2d's gradInput is conv2d of gradOutput with the same weight (its
//    [in, out/groups, kh, kw] read as conv2d's [out, in/groups, kh, kw]); its gradWeight is
//    conv2d's gradWeight with the roles of input and gradOutput exchanged.
//  - gradBias sums gradOutput per channel.
#include <algorithm>
#include <cstring>

#include "convplay/kernels.hpp"
#include "kernels/gemm_mx8.hpp"
#include "ops/workspace.hpp"
#include "padding_index.hpp"

namespace convplay {
namespace {

// Pixels per GEMM depth block: A's block (Kg x 256) stays in L2, one B panel (256 x 8) in L1.
constexpr int64_t kPixelBlock = 256;

void grad_bias(int64_t N, int64_t K, int64_t plane, const float* gy, float* gb) {
  for (int64_t k = 0; k < K; ++k) {
    float s = 0.0f;
    for (int64_t n = 0; n < N; ++n) {
      const float* r = gy + (n * K + k) * plane;
      for (int64_t p = 0; p < plane; ++p) s += r[p];
    }
    gb[k] = s;
  }
}

// gw[k, (c, a, b)] += sum_p gy[k, p] * xp[c, oh*sh + a*dh, ow*sw + b*dw] over all images,
// for one group; xp is the padded input (HP x WP planes) of g, gy rows are OH*OW long.
void grad_weight_gemm(const Conv2dGeometry& g, int64_t HP, int64_t WP, const float* xp,
                      const float* gy, float* gw, float* panels) {
  using kernels::kGemmMR;
  using kernels::kGemmNR;
  const int64_t Cg = g.Cg(), Kg = g.Kg(), taps = g.kh * g.kw, cols = Cg * taps;
  const int64_t P = g.OH * g.OW, strips = (Kg + kGemmMR - 1) / kGemmMR;
  float* a = panels;                              // strips x [block][4]
  float* b = panels + strips * kPixelBlock * kGemmMR;  // [block][8]
  float tile[kGemmMR * kGemmNR];
  int64_t col_off[kGemmNR];
  for (int64_t grp = 0; grp < g.groups; ++grp) {
    float* gwg = gw + grp * Kg * cols;
    std::fill(gwg, gwg + Kg * cols, 0.0f);
    for (int64_t n = 0; n < g.N; ++n) {
      const float* gyn = gy + (n * g.K + grp * Kg) * P;
      const float* xn = xp + (n * g.C + grp * Cg) * HP * WP;
      for (int64_t p0 = 0; p0 < P; p0 += kPixelBlock) {
        const int64_t pb = std::min(kPixelBlock, P - p0);
        for (int64_t s = 0; s < strips; ++s)
          for (int64_t r = 0; r < kGemmMR; ++r) {
            const int64_t m = s * kGemmMR + r;
            float* dst = a + s * pb * kGemmMR + r;
            if (m < Kg) {
              const float* src = gyn + m * P + p0;
              for (int64_t q = 0; q < pb; ++q) dst[q * kGemmMR] = src[q];
            } else {
              for (int64_t q = 0; q < pb; ++q) dst[q * kGemmMR] = 0.0f;
            }
          }
        for (int64_t c0 = 0; c0 < cols; c0 += kGemmNR) {
          const int64_t nc = std::min(kGemmNR, cols - c0);
          for (int64_t j = 0; j < kGemmNR; ++j) {
            const int64_t col = std::min(c0 + j, cols - 1);
            const int64_t c = col / taps, ta = (col % taps) / g.kw, tb = col % g.kw;
            col_off[j] = (c * HP + ta * g.dh) * WP + tb * g.dw;
          }
          int64_t oh = p0 / g.OW, ow = p0 % g.OW;
          for (int64_t q = 0; q < pb; ++q) {
            const float* base = xn + oh * g.sh * WP + ow * g.sw;
            float* bq = b + q * kGemmNR;
            for (int64_t j = 0; j < kGemmNR; ++j) bq[j] = j < nc ? base[col_off[j]] : 0.0f;
            if (++ow == g.OW) {
              ow = 0;
              ++oh;
            }
          }
          for (int64_t s = 0; s < strips; ++s) {
            kernels::f32_gemm_4x8_adjacent_rows(pb, a + s * pb * kGemmMR, kGemmMR, b).store(tile);
            for (int64_t r = 0; r < kGemmMR && s * kGemmMR + r < Kg; ++r) {
              float* row = gwg + (s * kGemmMR + r) * cols + c0;
              for (int64_t j = 0; j < nc; ++j) row[j] += tile[r * kGemmNR + j];
            }
          }
        }
      }
    }
  }
}

int64_t grad_weight_panels(const Conv2dGeometry& g) {
  const int64_t strips = (g.Kg() + kernels::kGemmMR - 1) / kernels::kGemmMR;
  return strips * kPixelBlock * kernels::kGemmMR + kPixelBlock * kernels::kGemmNR;
}

// x padded as the forward pass pads it (zeros included), into out [N, C, HP, WP].
void pad_input(const Conv2dGeometry& g, const float* x, float* out) {
  PadGeometry pg;
  pg.input_shape = {g.N, g.C, g.H, g.W};
  pg.planes = g.N * g.C;
  pg.H = g.H; pg.W = g.W;
  pg.top = g.pad_top; pg.bottom = g.pad_bottom; pg.left = g.pad_left; pg.right = g.pad_right;
  pg.mode = g.mode;
  pg.OH = g.H + g.pad_top + g.pad_bottom;
  pg.OW = g.W + g.pad_left + g.pad_right;
  pad(pg, x, out);
}

void conv2d_grad_input(const Conv2dGeometry& g, const float* w, const float* gy, float* gx) {
  const int64_t HP = g.H + g.pad_top + g.pad_bottom, WP = g.W + g.pad_left + g.pad_right;
  const int64_t ekh = g.dh * (g.kh - 1) + 1, ekw = g.dw * (g.kw - 1) + 1;
  ConvTranspose2dGeometry t;
  t.batched = true;
  t.N = g.N; t.C = g.K; t.H = g.OH; t.W = g.OW;
  t.K = g.C;
  t.kh = g.kh; t.kw = g.kw; t.sh = g.sh; t.sw = g.sw; t.dh = g.dh; t.dw = g.dw;
  t.groups = g.groups;
  const bool direct = g.mode == PaddingMode::Zeros && g.pad_top == g.pad_bottom && g.pad_left == g.pad_right;
  if (direct) {
    t.ph = g.pad_top; t.pw = g.pad_left;
    t.OH = g.H; t.OW = g.W;
  } else {
    t.OH = HP; t.OW = WP;
  }
  // the rows / columns the forward's last window did not reach (fewer than the stride)
  t.oph = t.OH + 2 * t.ph - ((g.OH - 1) * g.sh + ekh);
  t.opw = t.OW + 2 * t.pw - ((g.OW - 1) * g.sw + ekw);
  if (direct) {
    conv_transpose2d(t, gy, w, nullptr, gx);
    return;
  }
  auto& ws = detail::workspace();
  float* gxp = detail::Workspace::get(ws.nd_output, g.N * g.C * HP * WP);
  conv_transpose2d(t, gy, w, nullptr, gxp);
  std::fill(gx, gx + g.N * g.C * g.H * g.W, 0.0f);
  for (int64_t pl = 0; pl < g.N * g.C; ++pl) {
    float* dst = gx + pl * g.H * g.W;
    const float* src = gxp + pl * HP * WP;
    for (int64_t i = 0; i < HP; ++i) {
      const int64_t ih = detail::source_index(i - g.pad_top, g.H, g.mode);
      if (ih < 0) continue;
      for (int64_t j = 0; j < WP; ++j) {
        const int64_t iw = detail::source_index(j - g.pad_left, g.W, g.mode);
        if (iw >= 0) dst[ih * g.W + iw] += src[i * WP + j];
      }
    }
  }
}

}  // namespace

void conv2d_backward(const Conv2dGeometry& g, const float* x, const float* w, const float* gy,
                     float* gx, float* gw, float* gb) {
  const int64_t taps = g.kh * g.kw;
  grad_bias(g.N, g.K, g.OH * g.OW, gy, gb);
  if (g.N == 0) {
    std::fill(gw, gw + g.K * g.Cg() * taps, 0.0f);
    return;
  }
  conv2d_grad_input(g, w, gy, gx);
  auto& ws = detail::workspace();
  const int64_t HP = g.H + g.pad_top + g.pad_bottom, WP = g.W + g.pad_left + g.pad_right;
  float* xp = detail::Workspace::get(ws.nd_input, g.N * g.C * HP * WP);
  pad_input(g, x, xp);
  float* panels = detail::Workspace::get(ws.nd_weights, grad_weight_panels(g));
  grad_weight_gemm(g, HP, WP, xp, gy, gw, panels);
}

void conv_transpose2d_backward(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                               const float* gy, float* gx, float* gw, float* gb) {
  grad_bias(g.N, g.K, g.OH * g.OW, gy, gb);
  // the forward conv2d that reads gradOutput: input [N, K, OH, OW] -> [N, C, H, W]
  Conv2dGeometry c;
  c.batched = true;
  c.N = g.N; c.C = g.K; c.H = g.OH; c.W = g.OW;
  c.K = g.C;
  c.kh = g.kh; c.kw = g.kw; c.sh = g.sh; c.sw = g.sw; c.dh = g.dh; c.dw = g.dw;
  c.groups = g.groups;
  c.pad_top = c.pad_bottom = g.ph;
  c.pad_left = c.pad_right = g.pw;
  c.OH = g.H; c.OW = g.W;
  if (g.N == 0) {
    std::fill(gw, gw + g.C * g.Kg() * g.kh * g.kw, 0.0f);
    return;
  }
  conv2d(c, gy, w, nullptr, gx);
  // gw[c, k, a, b] = sum x[c, p] * padded gy[k, p*s + tap*d]: conv2d's gradWeight of c with
  // x as its gradOutput (rows [C]) and gy as its input (columns [Kg*kh*kw])
  auto& ws = detail::workspace();
  const int64_t HP = g.OH + 2 * g.ph, WP = g.OW + 2 * g.pw;
  float* gyp = detail::Workspace::get(ws.nd_input, g.N * g.K * HP * WP);
  pad_input(c, gy, gyp);
  float* panels = detail::Workspace::get(ws.nd_weights, grad_weight_panels(c));
  grad_weight_gemm(c, HP, WP, gyp, x, gw, panels);
}

}  // namespace convplay
