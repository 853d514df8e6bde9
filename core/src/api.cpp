// The xtensor API: plan (validate) from the shapes, allocate the result, run the optimized
// kernel on the raw buffers.
#include "convplay/convplay.hpp"

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

}  // namespace convplay
