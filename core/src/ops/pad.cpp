// F.pad: the interior of each output row is a memcpy; only the border columns and rows
// go through the padding mode's index rule.
#include <algorithm>
#include <cstring>

#include "convplay/kernels.hpp"
#include "padding_index.hpp"

namespace convplay {

void pad(const PadGeometry& g, const float* x, float* y) {
  // An empty output may still have a huge plane count (e.g. [2^40, 0, 3] padded on top
  // only): return before looping over planes. Found by the fuzzer.
  if (g.output_size() == 0) return;
  // Output columns [lo, hi) copy input columns [lo - left, hi - left) directly.
  const int64_t lo = std::clamp<int64_t>(g.left, 0, g.OW);
  const int64_t hi = std::clamp<int64_t>(g.left + g.W, lo, g.OW);
  for (int64_t p = 0; p < g.planes; ++p)
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      float* dst = y + (p * g.OH + oh) * g.OW;
      const int64_t ih = detail::source_index(oh - g.top, g.H, g.mode);
      if (ih < 0) {
        std::fill(dst, dst + g.OW, g.value);
        continue;
      }
      const float* src = x + (p * g.H + ih) * g.W;
      auto border = [&](int64_t ow) {
        const int64_t iw = detail::source_index(ow - g.left, g.W, g.mode);
        dst[ow] = iw < 0 ? g.value : src[iw];
      };
      for (int64_t ow = 0; ow < lo; ++ow) border(ow);
      if (hi > lo)  // (memcpy of nothing from/to a null pointer is still undefined: found by UBSan)
        std::memcpy(dst + lo, src + (lo - g.left), sizeof(float) * (hi - lo));
      for (int64_t ow = hi; ow < g.OW; ++ow) border(ow);
    }
}

}  // namespace convplay
