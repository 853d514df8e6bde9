// The implicit-GEMM driver shared by conv2d and conv_transpose2d (one image, one group):
//   out[m, p] = bias[m] + sum_k W[m, k] * cols[k, p]      m < K, p < OH*OW
// where cols is the im2col matrix of g (packed block by block, never whole) and W, row-major
// [K][C*kh*kw], is packed once per group by implicit_gemm_pack_weights (the same panels serve
// every image of a batch). Output column p = (i, j) of the OH x OW grid of row m is stored at
// out.base + out.row_offset[m] + i*out.row_step + j*out.col_step, which lets the transposed
// convolution write the rows of several stride phases, each into its interleaved positions.
#pragma once

#include <cstdint>

#include "convplay/geometry.hpp"

namespace convplay::detail {

struct GemmOutput {
  float* base;
  const int64_t* row_offset;  // K entries
  const float* row_bias;      // K entries, or null for no bias
  int64_t row_step;
  int64_t col_step;
};

// g must describe one image and one group: N = 1, groups = 1 (C and K per group).
// Inputs whose padded copy would exceed this many floats are packed from x directly
// (workspace.hpp: kPaddedInputMaxFloats). Tests lower it to run the direct packer on small shapes.
int64_t padded_input_limit();
void set_padded_input_limit(int64_t floats);

// W packed for implicit_gemm_conv (in the workspace; valid until the next call that packs).
float* implicit_gemm_pack_weights(const Conv2dGeometry& g, const float* w);
void implicit_gemm_conv(const Conv2dGeometry& g, const float* x, const float* a_panels, const GemmOutput& out);

}  // namespace convplay::detail
