// Validated shapes of one call: what every kernel works from.
// plan_* check a call exactly as PyTorch 1.13 does and throw convplay::Error otherwise;
// *_output_shape report the same verdict without throwing (for UIs that explain it).
#pragma once

#include "convplay/options.hpp"

namespace convplay {

struct Conv2dGeometry {
  bool batched = true;           // false: input was [C, H, W], output is [K, OH, OW]
  int64_t N = 0, C = 0, H = 0, W = 0;
  int64_t K = 0;                 // out_channels
  int64_t kh = 0, kw = 0;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t groups = 1;
  int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  PaddingMode mode = PaddingMode::Zeros;
  bool has_bias = false;
  int64_t OH = 0, OW = 0;

  int64_t Cg() const { return C / groups; }  // input channels per group
  int64_t Kg() const { return K / groups; }  // output channels per group
  Shape output_shape() const;
  int64_t output_size() const { return N * K * OH * OW; }
};

struct ConvTranspose2dGeometry {
  bool batched = true;
  int64_t N = 0, C = 0, H = 0, W = 0;  // C = in_channels
  int64_t K = 0;                       // out_channels = weight.shape[1] * groups
  int64_t kh = 0, kw = 0;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t ph = 0, pw = 0;              // padding (crops the full scatter result)
  int64_t oph = 0, opw = 0;            // output_padding (extends bottom/right)
  int64_t groups = 1;
  bool has_bias = false;
  int64_t OH = 0, OW = 0;

  int64_t Cg() const { return C / groups; }
  int64_t Kg() const { return K / groups; }
  Shape output_shape() const;
  int64_t output_size() const { return N * K * OH * OW; }
};

// unfold (im2col): input [N, C, H, W] or [C, H, W] -> [N, C*kh*kw, L] or [C*kh*kw, L].
struct UnfoldGeometry {
  bool batched = true;
  int64_t N = 0, C = 0, H = 0, W = 0;
  int64_t kh = 1, kw = 1, dh = 1, dw = 1, ph = 0, pw = 0, sh = 1, sw = 1;
  int64_t OH = 0, OW = 0;  // grid of sliding blocks; L = OH * OW

  Shape output_shape() const;
  int64_t output_size() const { return N * C * kh * kw * OH * OW; }
};

// fold (col2im): input [N, C*kh*kw, L] or [C*kh*kw, L] -> [N, C, H, W] or [C, H, W].
// Same fields as unfold, H and W being output_size.
using FoldGeometry = UnfoldGeometry;

struct PadGeometry {
  Shape input_shape;               // at least 2-D; the last two dims are padded
  int64_t planes = 0, H = 0, W = 0;  // planes = product of leading dims
  int64_t left = 0, right = 0, top = 0, bottom = 0;
  PaddingMode mode = PaddingMode::Zeros;
  float value = 0.0f;
  int64_t OH = 0, OW = 0;

  Shape output_shape() const;
  int64_t output_size() const { return planes * OH * OW; }
};

struct KernelMatrixGeometry {
  int64_t kh = 0, kw = 0, H = 0, W = 0;
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  // Padding as conv2d resolves it: 'same' puts the extra element of an odd total at the
  // bottom / right, so the top / left offsets and the totals are separate.
  int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  int64_t OH = 0, OW = 0;

  Shape output_shape() const { return {OH * OW, H * W}; }
  int64_t output_size() const { return OH * OW * H * W; }
};

// conv1d, conv3d and their transposes: spatial dimensions in (D, H, W) order, a 1-D op
// having D = H = 1 (index 2 is the length). For the transposes, C is in_channels and K =
// weight.shape[1] * groups, pad_lo = pad_hi = padding, and out_pad is output_padding.
struct ConvNdGeometry {
  int dims = 3;                 // 1 or 3 spatial dimensions
  bool transposed = false;
  bool batched = true;
  int64_t N = 0, C = 0, K = 0;
  int64_t in[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1}, d[3] = {1, 1, 1};
  int64_t pad_lo[3] = {0, 0, 0}, pad_hi[3] = {0, 0, 0}, out_pad[3] = {0, 0, 0};
  int64_t out[3] = {1, 1, 1};
  int64_t groups = 1;
  PaddingMode mode = PaddingMode::Zeros;
  bool has_bias = false;

  int64_t Cg() const { return C / groups; }
  int64_t Kg() const { return K / groups; }
  int64_t in_plane() const { return in[0] * in[1] * in[2]; }
  int64_t out_plane() const { return out[0] * out[1] * out[2]; }
  int64_t taps() const { return k[0] * k[1] * k[2]; }
  Shape input_shape() const;
  Shape weight_shape() const;
  Shape output_shape() const;
  int64_t output_size() const { return N * K * out_plane(); }
};

// max_pool2d / avg_pool2d on [N, C, H, W] or [C, H, W] (planes = N * C).
struct Pool2dGeometry {
  bool batched = true;
  int64_t N = 0, C = 0, H = 0, W = 0;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  bool ceil_mode = false;
  bool count_include_pad = true;
  int64_t divisor_override = 0;  // 0: none
  int64_t OH = 0, OW = 0;

  Shape output_shape() const { return batched ? Shape{N, C, OH, OW} : Shape{C, OH, OW}; }
  int64_t output_size() const { return N * C * OH * OW; }
};

// bias_shape == nullptr means no bias.
Conv2dGeometry plan_conv2d(const Shape& input, const Shape& weight, const Shape* bias,
                           const Conv2dOptions& options);
ConvTranspose2dGeometry plan_conv_transpose2d(const Shape& input, const Shape& weight,
                                              const Shape* bias,
                                              const ConvTranspose2dOptions& options);
UnfoldGeometry plan_unfold(const Shape& input, const UnfoldOptions& options);
FoldGeometry plan_fold(const Shape& input, const FoldOptions& options);
PadGeometry plan_pad(const Shape& input, const PadOptions& options);
KernelMatrixGeometry plan_kernel_matrix(const Shape& kernel, Pair input_size,
                                        const KernelMatrixOptions& options);

ConvNdGeometry plan_conv1d(const Shape& input, const Shape& weight, const Shape* bias,
                           const Conv1dOptions& options);
ConvNdGeometry plan_conv3d(const Shape& input, const Shape& weight, const Shape* bias,
                           const Conv3dOptions& options);
ConvNdGeometry plan_conv_transpose1d(const Shape& input, const Shape& weight, const Shape* bias,
                                     const ConvTranspose1dOptions& options);
ConvNdGeometry plan_conv_transpose3d(const Shape& input, const Shape& weight, const Shape* bias,
                                     const ConvTranspose3dOptions& options);
// The backward passes: the forward call's plan (the module has a bias: gradBias is [out]),
// and grad_output must have the forward output's shape.
Conv2dGeometry plan_conv2d_backward(const Shape& input, const Shape& weight,
                                    const Shape& grad_output, const Conv2dOptions& options);
ConvTranspose2dGeometry plan_conv_transpose2d_backward(const Shape& input, const Shape& weight,
                                                       const Shape& grad_output,
                                                       const ConvTranspose2dOptions& options);
Pool2dGeometry plan_max_pool2d(const Shape& input, const MaxPool2dOptions& options);
Pool2dGeometry plan_avg_pool2d(const Shape& input, const AvgPool2dOptions& options);

// The non-throwing form: ok, the output shape, or why the configuration is invalid.
struct ShapeCheck {
  bool ok = false;
  Shape shape;
  std::string error;
};
ShapeCheck conv2d_output_shape(const Shape& input, const Shape& weight, const Shape* bias,
                               const Conv2dOptions& options);
ShapeCheck conv_transpose2d_output_shape(const Shape& input, const Shape& weight,
                                         const Shape* bias,
                                         const ConvTranspose2dOptions& options);

ShapeCheck conv1d_output_shape(const Shape& input, const Shape& weight, const Shape* bias,
                               const Conv1dOptions& options);
ShapeCheck conv3d_output_shape(const Shape& input, const Shape& weight, const Shape* bias,
                               const Conv3dOptions& options);
ShapeCheck conv_transpose1d_output_shape(const Shape& input, const Shape& weight,
                                         const Shape* bias, const ConvTranspose1dOptions& options);
ShapeCheck conv_transpose3d_output_shape(const Shape& input, const Shape& weight,
                                         const Shape* bias, const ConvTranspose3dOptions& options);
ShapeCheck max_pool2d_output_shape(const Shape& input, const MaxPool2dOptions& options);
ShapeCheck avg_pool2d_output_shape(const Shape& input, const AvgPool2dOptions& options);

// "[1, 3, 5, 5]", as PyTorch prints sizes in its messages.
std::string format_shape(const Shape& shape);

}  // namespace convplay
