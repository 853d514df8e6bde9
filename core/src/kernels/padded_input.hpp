// The input of one conv2d group with its padding written out: every window a kernel reads
// is in bounds, so the im2col packer copies runs of pixels without testing any coordinate.
// The padding mode (zeros, reflect, replicate, circular) is applied once here instead of per
// packed element, and the few hundred KiB it costs is small next to the im2col it speeds up.
#pragma once

#include <cstdint>

#include "convplay/geometry.hpp"

namespace convplay::kernels {

struct PaddedInput {
  const float* data = nullptr;  // element (c, ih, iw) at data[c*channel_step + (ih-ih0)*row_step + iw-iw0]
  int64_t channel_step = 0, row_step = 0;
  int64_t ih0 = 0, iw0 = 0;     // input coordinates of the first stored row and column
};

// Slack after the last row, so a copy of 8 floats from any stored position stays in bounds.
constexpr int64_t kPaddedInputSlack = 8;

// Floats padded_input_build needs for geometry g (one group of one image).
int64_t padded_input_floats(const Conv2dGeometry& g);

// Writes the padded input of one group (xg: its first channel) into dst.
PaddedInput padded_input_build(const Conv2dGeometry& g, const float* xg, float* dst);

}  // namespace convplay::kernels
