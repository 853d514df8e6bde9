// Reference F.pad: every output element looked up through the padding mode's index rule.
#include "convplay/kernels.hpp"
#include "padding_index.hpp"

namespace convplay::reference {

void pad(const PadGeometry& g, const float* x, float* y) {
  // An empty output may still have a huge plane count (e.g. [2^40, 0, 3] padded on top
  // only): return before looping over planes. Found by the fuzzer.
  if (g.output_size() == 0) return;
  for (int64_t p = 0; p < g.planes; ++p)
    for (int64_t oh = 0; oh < g.OH; ++oh)
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        int64_t ih = detail::source_index(oh - g.top, g.H, g.mode);
        int64_t iw = detail::source_index(ow - g.left, g.W, g.mode);
        y[(p * g.OH + oh) * g.OW + ow] =
            (ih < 0 || iw < 0) ? g.value : x[(p * g.H + ih) * g.W + iw];
      }
}

}  // namespace convplay::reference
