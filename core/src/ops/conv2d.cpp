// conv2d operator: picks a micro-kernel for the geometry and drives it.
//  - Direct: depthwise and small-channel filters with stride 1 along the width (the
//    playground's image mode); gathers padded rows, no im2col.
//  - Gemm: everything else, as implicit GEMM per group:
//      Y[Kg x OH*OW] = W[Kg x Cg*kh*kw] . cols[Cg*kh*kw x OH*OW]
//    with the im2col columns packed block by block (never the whole matrix) and the
//    weights read in place.
#include <algorithm>

#include "convplay/kernels.hpp"
#include "kernels/conv2d_direct_rows.hpp"
#include "kernels/gemm_4x8.hpp"
#include "kernels/im2col_pack.hpp"
#include "ops/workspace.hpp"

namespace convplay {
namespace {

// The direct kernel re-reads each gathered input row once per output channel of the group,
// so it wins while Cg*Kg is small; its scratch must stay small too.
constexpr int64_t kDirectMaxChannelProduct = 16;
constexpr int64_t kDirectMaxScratchFloats = 1 << 20;  // 4 MiB

void conv2d_gemm(const Conv2dGeometry& g, const float* x, const float* w, const float* bias,
                 float* y) {
  using kernels::kGemmMR;
  using kernels::kGemmNR;
  const int64_t Cg = g.Cg(), Kg = g.Kg(), depth = Cg * g.kh * g.kw, P = g.OH * g.OW;
  const int64_t block = detail::column_block(depth, P);
  auto& ws = detail::workspace();
  float* panels = detail::Workspace::get(ws.panels, depth * block);
  float* tile = detail::Workspace::get(ws.tile, kGemmMR * kGemmNR);

  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t grp = 0; grp < g.groups; ++grp) {
      const float* xg = x + (n * g.C + grp * Cg) * g.H * g.W;
      const float* wg = w + grp * Kg * depth;
      float* yg = y + (n * g.K + grp * Kg) * P;
      for (int64_t p0 = 0; p0 < P; p0 += block) {
        const int64_t count = std::min(block, P - p0);
        kernels::im2col_pack_b(g, xg, p0, count, panels);
        for (int64_t m0 = 0; m0 < Kg; m0 += kGemmMR) {
          const int64_t mr = std::min(kGemmMR, Kg - m0);
          const float* a[kGemmMR];
          for (int64_t r = 0; r < kGemmMR; ++r) a[r] = wg + (m0 + std::min(r, mr - 1)) * depth;
          for (int64_t q0 = 0; q0 < count; q0 += kGemmNR) {
            kernels::f32_gemm_4x8(depth, a[0], a[1], a[2], a[3], 1, panels + q0 * depth, tile);
            const int64_t nr = std::min(kGemmNR, count - q0);
            for (int64_t r = 0; r < mr; ++r) {
              float* dst = yg + (m0 + r) * P + p0 + q0;
              const float b = bias ? bias[grp * Kg + m0 + r] : 0.0f;
              if (bias)
                for (int64_t j = 0; j < nr; ++j) dst[j] = tile[r * kGemmNR + j] + b;
              else
                for (int64_t j = 0; j < nr; ++j) dst[j] = tile[r * kGemmNR + j];
            }
          }
        }
      }
    }
}

}  // namespace

Conv2dPath choose_conv2d_path(const Conv2dGeometry& g) {
  if (g.output_size() == 0) return Conv2dPath::Empty;
  if (g.sw == 1 && g.Cg() * g.Kg() <= kDirectMaxChannelProduct &&
      kernels::conv2d_direct_rows_scratch(g) <= kDirectMaxScratchFloats)
    return Conv2dPath::Direct;
  return Conv2dPath::Gemm;
}

void conv2d(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, float* y) {
  switch (choose_conv2d_path(g)) {
    case Conv2dPath::Empty: return;
    case Conv2dPath::Direct: {
      auto& ws = detail::workspace();
      float* scratch = detail::Workspace::get(ws.rows, kernels::conv2d_direct_rows_scratch(g));
      kernels::conv2d_direct_rows(g, x, w, bias, y, scratch);
      return;
    }
    case Conv2dPath::Gemm: conv2d_gemm(g, x, w, bias, y); return;
  }
}

}  // namespace convplay
