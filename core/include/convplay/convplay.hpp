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
using Tensor5 = xt::xtensor<float, 5>;

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

// conv1d: input [N, C, L] or [C, L], weight [out, in/groups, k]; conv_transpose1d's weight is
// [in, out/groups, k]. conv3d: input [N, C, D, H, W] or [C, D, H, W], weight
// [out, in/groups, kD, kH, kW]; conv_transpose3d's [in, out/groups, kD, kH, kW].
Tensor3 conv1d(const Tensor3& input, const Tensor3& weight, const Conv1dOptions& options = {});
Tensor3 conv1d(const Tensor3& input, const Tensor3& weight, const Tensor1& bias, const Conv1dOptions& options = {});
Tensor2 conv1d(const Tensor2& input, const Tensor3& weight, const Conv1dOptions& options = {});
Tensor2 conv1d(const Tensor2& input, const Tensor3& weight, const Tensor1& bias, const Conv1dOptions& options = {});
Tensor3 conv_transpose1d(const Tensor3& input, const Tensor3& weight, const ConvTranspose1dOptions& options = {});
Tensor3 conv_transpose1d(const Tensor3& input, const Tensor3& weight, const Tensor1& bias, const ConvTranspose1dOptions& options = {});
Tensor2 conv_transpose1d(const Tensor2& input, const Tensor3& weight, const ConvTranspose1dOptions& options = {});
Tensor2 conv_transpose1d(const Tensor2& input, const Tensor3& weight, const Tensor1& bias, const ConvTranspose1dOptions& options = {});
Tensor5 conv3d(const Tensor5& input, const Tensor5& weight, const Conv3dOptions& options = {});
Tensor5 conv3d(const Tensor5& input, const Tensor5& weight, const Tensor1& bias, const Conv3dOptions& options = {});
Tensor4 conv3d(const Tensor4& input, const Tensor5& weight, const Conv3dOptions& options = {});
Tensor4 conv3d(const Tensor4& input, const Tensor5& weight, const Tensor1& bias, const Conv3dOptions& options = {});
Tensor5 conv_transpose3d(const Tensor5& input, const Tensor5& weight, const ConvTranspose3dOptions& options = {});
Tensor5 conv_transpose3d(const Tensor5& input, const Tensor5& weight, const Tensor1& bias, const ConvTranspose3dOptions& options = {});
Tensor4 conv_transpose3d(const Tensor4& input, const Tensor5& weight, const ConvTranspose3dOptions& options = {});
Tensor4 conv_transpose3d(const Tensor4& input, const Tensor5& weight, const Tensor1& bias, const ConvTranspose3dOptions& options = {});

// What torch.autograd gives for nn.Conv2d / nn.ConvTranspose2d with a bias, for gradOutput
// grad_output (the forward output's shape; anything else throws Error naming both shapes).
template <size_t N> struct ConvGradients {
  xt::xtensor<float, N> grad_input;  // input's shape
  Tensor4 grad_weight;               // weight's shape
  Tensor1 grad_bias;                 // [out_channels]
};
ConvGradients<4> conv2d_backward(const Tensor4& input, const Tensor4& weight, const Tensor4& grad_output,
                                 const Conv2dOptions& options = {});
ConvGradients<3> conv2d_backward(const Tensor3& input, const Tensor4& weight, const Tensor3& grad_output,
                                 const Conv2dOptions& options = {});
ConvGradients<4> conv_transpose2d_backward(const Tensor4& input, const Tensor4& weight, const Tensor4& grad_output,
                                           const ConvTranspose2dOptions& options = {});
ConvGradients<3> conv_transpose2d_backward(const Tensor3& input, const Tensor4& weight, const Tensor3& grad_output,
                                           const ConvTranspose2dOptions& options = {});

// F.max_pool2d(..., return_indices=True): indices are PyTorch's flat h * W + w per plane.
template <size_t N> struct MaxPool2dResult {
  xt::xtensor<float, N> output;
  xt::xtensor<int32_t, N> indices;
};
MaxPool2dResult<4> max_pool2d(const Tensor4& input, const MaxPool2dOptions& options);
MaxPool2dResult<3> max_pool2d(const Tensor3& input, const MaxPool2dOptions& options);
Tensor4 avg_pool2d(const Tensor4& input, const AvgPool2dOptions& options);
Tensor3 avg_pool2d(const Tensor3& input, const AvgPool2dOptions& options);

}  // namespace convplay
