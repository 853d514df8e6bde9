// convplay's C++ API: PyTorch 1.13's 2-D convolution family on xtensor tensors.
//   #include <convplay/convplay.hpp>
//   xt::xtensor<float, 4> y = convplay::conv2d(x, w, b, {.stride = 2, .padding = 1});
// Shapes are PyTorch's (NCHW; conv2d weight [out, in/groups, kH, kW]; conv_transpose2d weight
// [in, out/groups, kH, kW]); 3-D inputs are unbatched. Invalid calls throw convplay::Error.
// The raw-pointer kernels underneath are in kernels.hpp.
#pragma once

#include <xtensor/xtensor.hpp>

#include "convplay/geometry.hpp"
#include "convplay/kernels.hpp"
#include "convplay/options.hpp"

namespace convplay {

using Tensor1 = xt::xtensor<float, 1>;
using Tensor2 = xt::xtensor<float, 2>;
using Tensor3 = xt::xtensor<float, 3>;
using Tensor4 = xt::xtensor<float, 4>;

Tensor4 conv2d(const Tensor4& input, const Tensor4& weight, const Conv2dOptions& options = {});
Tensor4 conv2d(const Tensor4& input, const Tensor4& weight, const Tensor1& bias,
               const Conv2dOptions& options = {});
Tensor3 conv2d(const Tensor3& input, const Tensor4& weight, const Conv2dOptions& options = {});
Tensor3 conv2d(const Tensor3& input, const Tensor4& weight, const Tensor1& bias,
               const Conv2dOptions& options = {});

Tensor4 conv_transpose2d(const Tensor4& input, const Tensor4& weight,
                         const ConvTranspose2dOptions& options = {});
Tensor4 conv_transpose2d(const Tensor4& input, const Tensor4& weight, const Tensor1& bias,
                         const ConvTranspose2dOptions& options = {});
Tensor3 conv_transpose2d(const Tensor3& input, const Tensor4& weight,
                         const ConvTranspose2dOptions& options = {});
Tensor3 conv_transpose2d(const Tensor3& input, const Tensor4& weight, const Tensor1& bias,
                         const ConvTranspose2dOptions& options = {});

Tensor3 unfold(const Tensor4& input, const UnfoldOptions& options);  // [N, C*kh*kw, L]
Tensor2 unfold(const Tensor3& input, const UnfoldOptions& options);  // [C*kh*kw, L]
Tensor4 fold(const Tensor3& input, const FoldOptions& options);      // [N, C, H, W]
Tensor3 fold(const Tensor2& input, const FoldOptions& options);      // [C, H, W]

Tensor4 pad(const Tensor4& input, const PadOptions& options);
Tensor3 pad(const Tensor3& input, const PadOptions& options);
Tensor2 pad(const Tensor2& input, const PadOptions& options);

// M with conv2d(x).flatten() == M @ x.flatten() for a [H, W] input; M^T @ y is the
// transposed convolution.
Tensor2 kernel_matrix(const Tensor2& kernel, Pair input_size, const KernelMatrixOptions& options = {});

Tensor4 bilinear_kernel(int64_t in_channels, int64_t out_channels, int64_t kernel_size);

}  // namespace convplay
