// The two conv_transpose2d paths.
#pragma once

#include <cstdint>

#include "convplay/geometry.hpp"

namespace convplay::detail {

// Fills every output channel of y with its bias (or zeros): the start of the scatter path, and
// of the phase path when some outputs belong to no phase.
void fill_with_bias(const ConvTranspose2dGeometry& g, const float* bias, float* y);

// Stride phases as stride-1 implicit GEMMs: the fast path. Writes every output of y.
void conv_transpose2d_phases(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                             const float* bias, float* y);
// GEMM + column-to-image, a block of output channels at a time, scattered with SIMD through
// stride-phase planes: faster than the phases when the phases are small GEMMs (strided
// kernels over many input channels), and exact PyTorch NaN/Inf behaviour for non-finite
// weights. Writes every output of y, bias included. Its workspace grows with one output
// channel and the input: conv_transpose2d_col2im_floats(g).
int64_t conv_transpose2d_col2im_floats(const ConvTranspose2dGeometry& g);
bool conv_transpose2d_col2im_preferred(const ConvTranspose2dGeometry& g);  // for finite weights
void conv_transpose2d_col2im(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                             const float* bias, float* y);
// GEMM + column-to-image scatter, tile by tile (any size): exact PyTorch NaN/Inf behaviour
// for non-finite weights when the column-to-image path's workspace would be too large.
// Adds onto y, which must hold the bias (or zeros).
void conv_transpose2d_scatter(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                              const float* bias, float* y);

}  // namespace convplay::detail
