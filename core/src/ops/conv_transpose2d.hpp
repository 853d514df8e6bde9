// The two conv_transpose2d paths.
#pragma once

#include "convplay/geometry.hpp"

namespace convplay::detail {

// Fills every output channel of y with its bias (or zeros): the start of the scatter path, and
// of the phase path when some outputs belong to no phase.
void fill_with_bias(const ConvTranspose2dGeometry& g, const float* bias, float* y);

// Stride phases as stride-1 implicit GEMMs: the fast path. Writes every output of y.
void conv_transpose2d_phases(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                             const float* bias, float* y);
// GEMM + column-to-image scatter: exact PyTorch NaN/Inf behaviour for non-finite weights.
// Adds onto y, which must hold the bias (or zeros).
void conv_transpose2d_scatter(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                              const float* bias, float* y);

}  // namespace convplay::detail
