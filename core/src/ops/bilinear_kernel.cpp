// d2l's bilinear_kernel (FCN's upsampling initialisation), in float32 like torch:
//   weight[range(in), range(out), :, :] = filt
// The two index ranges broadcast as in torch: equal lengths pair channel i with i, and a
// length of 1 pairs that single channel with every channel of the other side.
#include <algorithm>
#include <cmath>
#include <string>

#include "convplay/kernels.hpp"

namespace convplay {

void check_bilinear_kernel(int64_t in_channels, int64_t out_channels, int64_t k) {
  auto s = [](int64_t v) { return std::to_string(v); };
  if (in_channels < 1 || out_channels < 1 || k < 1)
    throw Error("bilinear_kernel: in_channels=" + s(in_channels) + ", out_channels=" +
                s(out_channels) + " and kernel_size=" + s(k) + " must all be positive");
  if (in_channels != out_channels && in_channels != 1 && out_channels != 1)
    throw Error("bilinear_kernel: in_channels=" + s(in_channels) + " and out_channels=" +
                s(out_channels) + " must be equal (or one of them 1): channel i is paired with channel i");
  if (k > (int64_t{1} << 12) || in_channels > kMaxElements || out_channels > kMaxElements ||
      in_channels * out_channels > kMaxElements / (k * k))
    throw Error("bilinear_kernel: the weight [" + s(in_channels) + ", " + s(out_channels) + ", " +
                s(k) + ", " + s(k) + "] has more than " + s(kMaxElements) + " elements (the size limit)");
}

void bilinear_kernel(int64_t in_channels, int64_t out_channels, int64_t k, float* weight) {
  check_bilinear_kernel(in_channels, out_channels, k);
  const int64_t factor = (k + 1) / 2;
  const float center = k % 2 == 1 ? static_cast<float>(factor - 1) : static_cast<float>(factor) - 0.5f;
  const float f = static_cast<float>(factor);
  std::fill(weight, weight + in_channels * out_channels * k * k, 0.0f);
  const int64_t pairs = std::max(in_channels, out_channels);
  for (int64_t p = 0; p < pairs; ++p) {
    const int64_t i = in_channels == 1 ? 0 : p, o = out_channels == 1 ? 0 : p;
    float* filt = weight + (i * out_channels + o) * k * k;
    for (int64_t a = 0; a < k; ++a)
      for (int64_t b = 0; b < k; ++b)
        filt[a * k + b] = (1.0f - std::fabs(static_cast<float>(a) - center) / f) *
                          (1.0f - std::fabs(static_cast<float>(b) - center) / f);
  }
}

}  // namespace convplay
