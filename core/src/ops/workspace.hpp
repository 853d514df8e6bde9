// Scratch memory of the optimized operators, reused across calls so repeated calls do not
// allocate (and the WASM heap does not grow). Blocking keeps it bounded: see conv2d.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace convplay::detail {

struct Workspace {
  std::vector<float> panels;  // packed GEMM B panels of one column block
  std::vector<float> rows;    // gathered input rows of the direct kernel
  std::vector<float> padded;  // the padded input of the GEMM path (kernels/padded_input.hpp)
  std::vector<float> tile;    // one micro-kernel tile
  std::vector<float> weights; // rearranged weights (conv_transpose2d's per-phase sub-kernels)
  std::vector<float> offsets; // output offsets of GEMM columns, ptrdiff_t (as raw storage)
  std::vector<float> a_panels; // the GEMM's A, 4 rows interleaved per strip ([depth][4])
  // conv1d/3d, their transposes and the backward passes run the 2-D operators on buffers of
  // their own (those operators use the buffers above meanwhile):
  std::vector<float> nd_input;   // depth slices gathered as channels; a padded input
  std::vector<float> nd_output;  // the 2-D operator's output before it is spread over depths
  std::vector<float> nd_weights; // per-phase rearranged conv_transpose3d weights; GEMM panels

  // A buffer of at least n floats; contents are unspecified.
  static float* get(std::vector<float>& buffer, int64_t n) {
    if (static_cast<int64_t>(buffer.size()) < n) buffer.resize(static_cast<size_t>(n));
    return buffer.data();
  }
};

Workspace& workspace();

// Floats of packed B panels one column block may use: 32 Ki floats = 128 KiB, which keeps
// the block in L2 while every row panel of A passes over it.
constexpr int64_t kPanelBlockFloats = 32 * 1024;

// Largest padded input the GEMM path writes out (16 MiB); a larger input is packed straight
// from x with coordinate tests (kernels/im2col_pack.hpp).
constexpr int64_t kPaddedInputMaxFloats = 4 * 1024 * 1024;

// Columns per block for a GEMM with `depth` rows in B: a multiple of the tile width.
int64_t column_block(int64_t depth, int64_t columns);

}  // namespace convplay::detail
