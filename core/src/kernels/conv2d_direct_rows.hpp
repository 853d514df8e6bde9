// Direct conv2d for depthwise and small-channel image filters (stride 1 along the width):
// no im2col. For each output row the needed input rows are gathered once, padded with the
// padding mode, then every output channel accumulates kernel taps over 16-pixel runs held
// in eight SIMD accumulators.
#pragma once

#include "convplay/geometry.hpp"

namespace convplay::kernels {

// Floats of scratch the kernel needs for g (so the operator can decide whether it fits).
int64_t conv2d_direct_rows_scratch(const Conv2dGeometry& g);

// Requires g.sw == 1. scratch holds conv2d_direct_rows_scratch(g) floats.
void conv2d_direct_rows(const Conv2dGeometry& g, const float* x, const float* w,
                        const float* bias, float* y, float* scratch);

}  // namespace convplay::kernels
