// The xtensor API: plan (validate) from the shapes, allocate the result, run the optimized
// kernel on the raw buffers.
#include "convplay/convplay.hpp"

#include <type_traits>

namespace convplay {
namespace {

template <class T> Shape shape_of(const T& t) { return Shape(t.shape().begin(), t.shape().end()); }

template <class Out> Out allocate(const Shape& shape) {
  typename Out::shape_type s;
  std::copy(shape.begin(), shape.end(), s.begin());
  return Out(s);
}

template <class Out, class In>
Out conv2d_impl(const In& input, const Tensor4& weight, const Tensor1* bias, const Conv2dOptions& o) {
  Shape bs = bias ? shape_of(*bias) : Shape{};
  auto g = plan_conv2d(shape_of(input), shape_of(weight), bias ? &bs : nullptr, o);
  Out y = allocate<Out>(g.output_shape());
  conv2d(g, input.data(), weight.data(), bias ? bias->data() : nullptr, y.data());
  return y;
}

template <class Out, class In>
Out conv_transpose2d_impl(const In& input, const Tensor4& weight, const Tensor1* bias,
                          const ConvTranspose2dOptions& o) {
  Shape bs = bias ? shape_of(*bias) : Shape{};
  auto g = plan_conv_transpose2d(shape_of(input), shape_of(weight), bias ? &bs : nullptr, o);
  Out y = allocate<Out>(g.output_shape());
  conv_transpose2d(g, input.data(), weight.data(), bias ? bias->data() : nullptr, y.data());
  return y;
}

template <class Out, class In> Out unfold_impl(const In& input, const UnfoldOptions& o) {
  auto g = plan_unfold(shape_of(input), o);
  Out y = allocate<Out>(g.output_shape());
  unfold(g, input.data(), y.data());
  return y;
}

template <class Out, class In> Out fold_impl(const In& input, const FoldOptions& o) {
  auto g = plan_fold(shape_of(input), o);
  Out y = allocate<Out>(g.batched ? Shape{g.N, g.C, g.H, g.W} : Shape{g.C, g.H, g.W});
  fold(g, input.data(), y.data());
  return y;
}

template <class T> T pad_impl(const T& input, const PadOptions& o) {
  auto g = plan_pad(shape_of(input), o);
  T y = allocate<T>(g.output_shape());
  pad(g, input.data(), y.data());
  return y;
}

}  // namespace

Tensor4 conv2d(const Tensor4& x, const Tensor4& w, const Conv2dOptions& o) { return conv2d_impl<Tensor4>(x, w, nullptr, o); }
Tensor4 conv2d(const Tensor4& x, const Tensor4& w, const Tensor1& b, const Conv2dOptions& o) { return conv2d_impl<Tensor4>(x, w, &b, o); }
Tensor3 conv2d(const Tensor3& x, const Tensor4& w, const Conv2dOptions& o) { return conv2d_impl<Tensor3>(x, w, nullptr, o); }
Tensor3 conv2d(const Tensor3& x, const Tensor4& w, const Tensor1& b, const Conv2dOptions& o) { return conv2d_impl<Tensor3>(x, w, &b, o); }

Tensor4 conv_transpose2d(const Tensor4& x, const Tensor4& w, const ConvTranspose2dOptions& o) { return conv_transpose2d_impl<Tensor4>(x, w, nullptr, o); }
Tensor4 conv_transpose2d(const Tensor4& x, const Tensor4& w, const Tensor1& b, const ConvTranspose2dOptions& o) { return conv_transpose2d_impl<Tensor4>(x, w, &b, o); }
Tensor3 conv_transpose2d(const Tensor3& x, const Tensor4& w, const ConvTranspose2dOptions& o) { return conv_transpose2d_impl<Tensor3>(x, w, nullptr, o); }
Tensor3 conv_transpose2d(const Tensor3& x, const Tensor4& w, const Tensor1& b, const ConvTranspose2dOptions& o) { return conv_transpose2d_impl<Tensor3>(x, w, &b, o); }

Tensor3 unfold(const Tensor4& x, const UnfoldOptions& o) { return unfold_impl<Tensor3>(x, o); }
Tensor2 unfold(const Tensor3& x, const UnfoldOptions& o) { return unfold_impl<Tensor2>(x, o); }
Tensor4 fold(const Tensor3& x, const FoldOptions& o) { return fold_impl<Tensor4>(x, o); }
Tensor3 fold(const Tensor2& x, const FoldOptions& o) { return fold_impl<Tensor3>(x, o); }

Tensor4 pad(const Tensor4& x, const PadOptions& o) { return pad_impl(x, o); }
Tensor3 pad(const Tensor3& x, const PadOptions& o) { return pad_impl(x, o); }
Tensor2 pad(const Tensor2& x, const PadOptions& o) { return pad_impl(x, o); }

Tensor2 kernel_matrix(const Tensor2& kernel, Pair input_size, const KernelMatrixOptions& o) {
  auto g = plan_kernel_matrix(shape_of(kernel), input_size, o);
  Tensor2 m = allocate<Tensor2>(g.output_shape());
  kernel_matrix(g, kernel.data(), m.data());
  return m;
}

Tensor4 bilinear_kernel(int64_t in_channels, int64_t out_channels, int64_t k) {
  check_bilinear_kernel(in_channels, out_channels, k);
  Tensor4 w = allocate<Tensor4>({in_channels, out_channels, k, k});
  bilinear_kernel(in_channels, out_channels, k, w.data());
  return w;
}

namespace {

template <class Out, class In, class W, class O>
Out conv_nd_impl(const In& input, const W& weight, const Tensor1* bias, const O& o, bool transposed) {
  Shape bs = bias ? shape_of(*bias) : Shape{};
  const Shape xs = shape_of(input), wsh = shape_of(weight);
  const Shape* bp = bias ? &bs : nullptr;
  ConvNdGeometry g;
  if constexpr (std::is_same_v<O, Conv1dOptions>) g = plan_conv1d(xs, wsh, bp, o);
  else if constexpr (std::is_same_v<O, Conv3dOptions>) g = plan_conv3d(xs, wsh, bp, o);
  else if constexpr (std::is_same_v<O, ConvTranspose1dOptions>) g = plan_conv_transpose1d(xs, wsh, bp, o);
  else g = plan_conv_transpose3d(xs, wsh, bp, o);
  Out y = allocate<Out>(g.output_shape());
  const float* b = bias ? bias->data() : nullptr;
  if (transposed) conv_transpose_nd(g, input.data(), weight.data(), b, y.data());
  else conv_nd(g, input.data(), weight.data(), b, y.data());
  return y;
}

template <size_t N, class In, class G>
ConvGradients<N> gradients(const In& input, const Tensor4& weight, const G& g) {
  ConvGradients<N> r;
  r.grad_input = allocate<xt::xtensor<float, N>>(shape_of(input));
  r.grad_weight = allocate<Tensor4>(shape_of(weight));
  r.grad_bias = allocate<Tensor1>({g.K});
  return r;
}

template <size_t N, class T> MaxPool2dResult<N> max_pool2d_impl(const T& x, const MaxPool2dOptions& o) {
  auto g = plan_max_pool2d(shape_of(x), o);
  MaxPool2dResult<N> r;
  r.output = allocate<xt::xtensor<float, N>>(g.output_shape());
  r.indices = allocate<xt::xtensor<int32_t, N>>(g.output_shape());
  max_pool2d(g, x.data(), r.output.data(), r.indices.data());
  return r;
}

template <class T> T avg_pool2d_impl(const T& x, const AvgPool2dOptions& o) {
  auto g = plan_avg_pool2d(shape_of(x), o);
  T y = allocate<T>(g.output_shape());
  avg_pool2d(g, x.data(), y.data());
  return y;
}

}  // namespace

Tensor3 conv1d(const Tensor3& x, const Tensor3& w, const Conv1dOptions& o) { return conv_nd_impl<Tensor3>(x, w, nullptr, o, false); }
Tensor3 conv1d(const Tensor3& x, const Tensor3& w, const Tensor1& b, const Conv1dOptions& o) { return conv_nd_impl<Tensor3>(x, w, &b, o, false); }
Tensor2 conv1d(const Tensor2& x, const Tensor3& w, const Conv1dOptions& o) { return conv_nd_impl<Tensor2>(x, w, nullptr, o, false); }
Tensor2 conv1d(const Tensor2& x, const Tensor3& w, const Tensor1& b, const Conv1dOptions& o) { return conv_nd_impl<Tensor2>(x, w, &b, o, false); }
Tensor3 conv_transpose1d(const Tensor3& x, const Tensor3& w, const ConvTranspose1dOptions& o) { return conv_nd_impl<Tensor3>(x, w, nullptr, o, true); }
Tensor3 conv_transpose1d(const Tensor3& x, const Tensor3& w, const Tensor1& b, const ConvTranspose1dOptions& o) { return conv_nd_impl<Tensor3>(x, w, &b, o, true); }
Tensor2 conv_transpose1d(const Tensor2& x, const Tensor3& w, const ConvTranspose1dOptions& o) { return conv_nd_impl<Tensor2>(x, w, nullptr, o, true); }
Tensor2 conv_transpose1d(const Tensor2& x, const Tensor3& w, const Tensor1& b, const ConvTranspose1dOptions& o) { return conv_nd_impl<Tensor2>(x, w, &b, o, true); }
Tensor5 conv3d(const Tensor5& x, const Tensor5& w, const Conv3dOptions& o) { return conv_nd_impl<Tensor5>(x, w, nullptr, o, false); }
Tensor5 conv3d(const Tensor5& x, const Tensor5& w, const Tensor1& b, const Conv3dOptions& o) { return conv_nd_impl<Tensor5>(x, w, &b, o, false); }
Tensor4 conv3d(const Tensor4& x, const Tensor5& w, const Conv3dOptions& o) { return conv_nd_impl<Tensor4>(x, w, nullptr, o, false); }
Tensor4 conv3d(const Tensor4& x, const Tensor5& w, const Tensor1& b, const Conv3dOptions& o) { return conv_nd_impl<Tensor4>(x, w, &b, o, false); }
Tensor5 conv_transpose3d(const Tensor5& x, const Tensor5& w, const ConvTranspose3dOptions& o) { return conv_nd_impl<Tensor5>(x, w, nullptr, o, true); }
Tensor5 conv_transpose3d(const Tensor5& x, const Tensor5& w, const Tensor1& b, const ConvTranspose3dOptions& o) { return conv_nd_impl<Tensor5>(x, w, &b, o, true); }
Tensor4 conv_transpose3d(const Tensor4& x, const Tensor5& w, const ConvTranspose3dOptions& o) { return conv_nd_impl<Tensor4>(x, w, nullptr, o, true); }
Tensor4 conv_transpose3d(const Tensor4& x, const Tensor5& w, const Tensor1& b, const ConvTranspose3dOptions& o) { return conv_nd_impl<Tensor4>(x, w, &b, o, true); }

ConvGradients<4> conv2d_backward(const Tensor4& x, const Tensor4& w, const Tensor4& gy, const Conv2dOptions& o) {
  auto g = plan_conv2d_backward(shape_of(x), shape_of(w), shape_of(gy), o);
  auto r = gradients<4>(x, w, g);
  conv2d_backward(g, x.data(), w.data(), gy.data(), r.grad_input.data(), r.grad_weight.data(), r.grad_bias.data());
  return r;
}
ConvGradients<3> conv2d_backward(const Tensor3& x, const Tensor4& w, const Tensor3& gy, const Conv2dOptions& o) {
  auto g = plan_conv2d_backward(shape_of(x), shape_of(w), shape_of(gy), o);
  auto r = gradients<3>(x, w, g);
  conv2d_backward(g, x.data(), w.data(), gy.data(), r.grad_input.data(), r.grad_weight.data(), r.grad_bias.data());
  return r;
}
ConvGradients<4> conv_transpose2d_backward(const Tensor4& x, const Tensor4& w, const Tensor4& gy, const ConvTranspose2dOptions& o) {
  auto g = plan_conv_transpose2d_backward(shape_of(x), shape_of(w), shape_of(gy), o);
  auto r = gradients<4>(x, w, g);
  conv_transpose2d_backward(g, x.data(), w.data(), gy.data(), r.grad_input.data(), r.grad_weight.data(), r.grad_bias.data());
  return r;
}
ConvGradients<3> conv_transpose2d_backward(const Tensor3& x, const Tensor4& w, const Tensor3& gy, const ConvTranspose2dOptions& o) {
  auto g = plan_conv_transpose2d_backward(shape_of(x), shape_of(w), shape_of(gy), o);
  auto r = gradients<3>(x, w, g);
  conv_transpose2d_backward(g, x.data(), w.data(), gy.data(), r.grad_input.data(), r.grad_weight.data(), r.grad_bias.data());
  return r;
}

MaxPool2dResult<4> max_pool2d(const Tensor4& x, const MaxPool2dOptions& o) { return max_pool2d_impl<4>(x, o); }
MaxPool2dResult<3> max_pool2d(const Tensor3& x, const MaxPool2dOptions& o) { return max_pool2d_impl<3>(x, o); }
Tensor4 avg_pool2d(const Tensor4& x, const AvgPool2dOptions& o) { return avg_pool2d_impl(x, o); }
Tensor3 avg_pool2d(const Tensor3& x, const AvgPool2dOptions& o) { return avg_pool2d_impl(x, o); }

}  // namespace convplay
