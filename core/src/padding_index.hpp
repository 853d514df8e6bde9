// Where a coordinate outside [0, n) reads from, for each padding mode.
// Shared by the reference pad and by the optimized kernels, which pad on the fly.
#pragma once

#include <cstdint>

#include "convplay/options.hpp"

namespace convplay::detail {

// Source index for coordinate i of a dimension of size n, or -1 for "a zero".
// Valid because planning guarantees reflect pads < n and circular pads <= n, so one
// reflection or one wrap always lands inside.
inline int64_t source_index(int64_t i, int64_t n, PaddingMode mode) {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case PaddingMode::Zeros: return -1;
    case PaddingMode::Reflect: return i < 0 ? -i : 2 * (n - 1) - i;
    case PaddingMode::Replicate: return i < 0 ? 0 : n - 1;
    case PaddingMode::Circular: return i < 0 ? i + n : i - n;
  }
  return -1;
}

}  // namespace convplay::detail
