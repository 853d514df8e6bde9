// Integer helpers shared by the stride-phase arithmetic of the transposed convolution paths.
#pragma once

#include <cstdint>

namespace convplay::detail {

// a / b rounded toward negative infinity (b != 0).
inline int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace convplay::detail
