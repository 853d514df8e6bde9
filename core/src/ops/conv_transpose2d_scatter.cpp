// conv_transpose2d as a GEMM followed by a column-to-image scatter, the way
// PyTorch's slow_conv_transpose2d and ONNX Runtime compute it, but tile by tile:
//   cols[Kg*kh*kw x H*W] = W^T[Kg*kh*kw x Cg] . X[Cg x H*W]            (per group)
//   Y[k, ih*s - p + a*d, iw*s - p + b*d] += cols[(k, a, b), (ih, iw)]
// Each 4x8 tile of cols is added into Y as soon as the micro-kernel produces it, so the
// column matrix (which is kh*kw times larger than the output) never exists. W^T is read
// in place: row m of W^T is column m of the [Cg x Kg*kh*kw] weight slab (a_step = Kg*kh*kw).
// Only products of real input values are formed, so it is the path for weights holding
// Inf or NaN (the phase path would multiply them by the zeros around the input).
#include <algorithm>

#include "convplay/kernels.hpp"
#include "kernels/gemm_mx8.hpp"
#include "kernels/rows_pack.hpp"
#include "ops/workspace.hpp"

namespace convplay::detail {

void conv_transpose2d_scatter(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                      const float* bias, float* y) {
  using kernels::kGemmMR;
  using kernels::kGemmNR;
  const int64_t OHW = g.OH * g.OW;
  (void)bias;  // the operator has filled y with the bias
  const int64_t Cg = g.Cg(), Kg = g.Kg(), taps = g.kh * g.kw, M = Kg * taps, P = g.H * g.W;
  const int64_t block = detail::column_block(Cg, P);
  auto& ws = detail::workspace();
  float* panels = detail::Workspace::get(ws.panels, Cg * block);
  float* tile = detail::Workspace::get(ws.tile, kGemmMR * kGemmNR);

  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t grp = 0; grp < g.groups; ++grp) {
      const float* xg = x + (n * g.C + grp * Cg) * P;
      const float* wg = w + grp * Cg * M;
      float* yg = y + (n * g.K + grp * Kg) * OHW;
      for (int64_t p0 = 0; p0 < P; p0 += block) {
        const int64_t count = std::min(block, P - p0);
        kernels::rows_pack_b(xg, Cg, P, p0, count, panels);
        for (int64_t q0 = 0; q0 < count; q0 += kGemmNR) {
          // Where each column's (input pixel's) kernel footprint starts in the output.
          const int64_t nr = std::min(kGemmNR, count - q0);
          int64_t oh0[kGemmNR], ow0[kGemmNR];
          for (int64_t j = 0; j < nr; ++j) {
            const int64_t p = p0 + q0 + j;
            oh0[j] = (p / g.W) * g.sh - g.ph;
            ow0[j] = (p % g.W) * g.sw - g.pw;
          }
          const float* b = panels + q0 * Cg;
          for (int64_t m0 = 0; m0 < M; m0 += kGemmMR) {
            const int64_t mr = std::min(kGemmMR, M - m0);
            const float* a[kGemmMR];
            for (int64_t r = 0; r < kGemmMR; ++r) a[r] = wg + m0 + std::min(r, mr - 1);
            kernels::f32_gemm_mx8<static_cast<int>(kGemmMR)>(Cg, a, M, b, tile);
            for (int64_t r = 0; r < mr; ++r) {
              const int64_t m = m0 + r, ko = m / taps, t = m % taps;
              const int64_t dy = (t / g.kw) * g.dh, dx = (t % g.kw) * g.dw;
              float* yk = yg + ko * OHW;
              const float* tr = tile + r * kGemmNR;
              for (int64_t j = 0; j < nr; ++j) {
                const int64_t oh = oh0[j] + dy, ow = ow0[j] + dx;
                if (oh >= 0 && oh < g.OH && ow >= 0 && ow < g.OW) yk[oh * g.OW + ow] += tr[j];
              }
            }
          }
        }
      }
    }
}

}  // namespace convplay::detail
