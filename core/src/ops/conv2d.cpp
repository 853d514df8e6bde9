// conv2d operator: picks a micro-kernel for the geometry and drives it.
//  - Direct: depthwise and small-channel filters with stride 1 along the width (the
//    playground's image mode); gathers padded rows, no im2col.
//  - Gemm: everything else, as implicit GEMM per group:
//      Y[Kg x OH*OW] = W[Kg x Cg*kh*kw] . cols[Cg*kh*kw x OH*OW]
//    with the im2col columns packed block by block (never the whole matrix) and the
//    weights packed 4 output channels at a time (implicit_gemm.cpp).
#include <algorithm>
#include <vector>

#include "convplay/kernels.hpp"
#include "kernels/conv2d_direct_rows.hpp"
#include "ops/implicit_gemm.hpp"
#include "ops/workspace.hpp"

namespace convplay {
namespace {

// The direct kernel re-reads each gathered input row once per output channel of the group,
// so it wins while Cg*Kg is small; its scratch must stay small too.
constexpr int64_t kDirectMaxChannelProduct = 32;
constexpr int64_t kDirectMaxScratchFloats = 1 << 20;  // 4 MiB

void conv2d_gemm(const Conv2dGeometry& g, const float* x, const float* w, const float* bias,
                 float* y) {
  Conv2dGeometry one = g;  // one image, one group
  one.N = 1;
  one.C = g.Cg();
  one.K = g.Kg();
  one.groups = 1;
  const int64_t P = g.OH * g.OW, depth = one.C * g.kh * g.kw;
  std::vector<int64_t> row_offset(static_cast<size_t>(one.K));
  for (int64_t m = 0; m < one.K; ++m) row_offset[static_cast<size_t>(m)] = m * P;
  for (int64_t grp = 0; grp < g.groups; ++grp) {
    const float* a_panels = detail::implicit_gemm_pack_weights(one, w + grp * one.K * depth);
    for (int64_t n = 0; n < g.N; ++n) {
      detail::GemmOutput out{y + (n * g.K + grp * one.K) * P, row_offset.data(),
                             bias ? bias + grp * one.K : nullptr, g.OW, 1};
      detail::implicit_gemm_conv(one, x + (n * g.C + grp * one.C) * g.H * g.W, a_panels, out);
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
