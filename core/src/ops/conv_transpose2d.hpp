// The two conv_transpose2d paths; both expect y already filled with the bias (or zeros).
#pragma once

#include "convplay/geometry.hpp"

namespace convplay::detail {

// Stride phases as stride-1 implicit GEMMs: the fast path.
void conv_transpose2d_phases(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                             const float* bias, float* y);
// GEMM + column-to-image scatter: exact PyTorch NaN/Inf behaviour for non-finite weights.
void conv_transpose2d_scatter(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                              const float* bias, float* y);

}  // namespace convplay::detail
