// Embind binding of the core: no math here, only moving arguments across the boundary.
//
// Calling convention (kept cheap so a tiny convolution costs microseconds, not tens):
//  - JS copies every input tensor into one malloc'd block and passes heap addresses; the
//    shapes go in the same block as int32 runs [rank, d0, d1, ...] ("shape list").
//  - Parameters arrive as one Embind value_object (Params), squoosh-style.
//  - A call returns 1 on success: the result lives in a buffer owned here, described by
//    int32 words at resultInfo() = [address, length, rank, d0, d1, ...]; JS copies it out.
//  - Every exception is caught at this edge (never escapes into JS, which would leak
//    wasm stack and heap in this Emscripten version): the call returns 0 and lastError()
//    holds the message, which JS throws as an Error. No emval handle is created per call.
#include <emscripten/bind.h>
#include <malloc.h>

#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "convplay/kernels.hpp"

using namespace emscripten;
using convplay::Pair;
using convplay::Shape;

namespace {

// Every option of every operation, already defaulted and normalised by the JS layer.
struct Params {
  int strideH = 1, strideW = 1;
  int paddingH = 0, paddingW = 0;
  std::string padding;      // "" (explicit paddingH/W), "same" or "valid"
  int dilationH = 1, dilationW = 1;
  int outputPaddingH = 0, outputPaddingW = 0;
  int kernelH = 1, kernelW = 1;
  int outputH = 1, outputW = 1;  // fold outputSize, kernelMatrix input size
  int groups = 1;
  std::string paddingMode;  // conv: zeros/reflect/replicate/circular; pad: constant/...
  float value = 0.0f;       // pad's constant value
  int padLeft = 0, padRight = 0, padTop = 0, padBottom = 0;
};

std::vector<float> g_result;     // output of the last successful call
int32_t g_result_info[2 + 1 + 8];  // address, length, rank, dims
std::string g_error;

constexpr size_t kMaxRank = 8;

const float* as_floats(uintptr_t address) { return reinterpret_cast<const float*>(address); }

// Reads the next [rank, dims...] run of a shape list; rank -1 means "absent" (no bias).
bool next_shape(const int32_t*& p, Shape& shape) {
  const int32_t rank = *p++;
  shape.clear();
  if (rank < 0) return false;
  if (static_cast<size_t>(rank) > kMaxRank) throw convplay::Error("tensor rank is too large");
  for (int32_t i = 0; i < rank; ++i) shape.push_back(*p++);
  return true;
}

float* prepare_result(const Shape& shape, int64_t size) {
  // A result over 16 MiB is not worth keeping between calls: give the memory back first.
  if (g_result.capacity() > (size_t{4} << 20) && static_cast<size_t>(size) < g_result.capacity() / 4)
    std::vector<float>().swap(g_result);
  g_result.resize(static_cast<size_t>(size));
  g_result_info[0] = static_cast<int32_t>(reinterpret_cast<uintptr_t>(g_result.data()));
  g_result_info[1] = static_cast<int32_t>(size);
  g_result_info[2] = static_cast<int32_t>(shape.size());
  for (size_t i = 0; i < shape.size() && i < kMaxRank; ++i)
    g_result_info[3 + i] = static_cast<int32_t>(shape[i]);
  return g_result.data();
}

template <class F> int guarded(F&& f) {
  try {
    f();
    return 1;
  } catch (const std::bad_alloc&) {
    g_error = "out of memory: the WebAssembly heap could not hold this computation";
  } catch (const std::exception& e) {
    g_error = e.what();
  }
  return 0;
}

convplay::Conv2dOptions conv2d_options(const Params& p) {
  convplay::Conv2dOptions o;
  o.stride = Pair(p.strideH, p.strideW);
  o.padding = p.padding.empty() ? convplay::Padding(p.paddingH, p.paddingW)
                                : convplay::Padding::parse(p.padding);
  o.dilation = Pair(p.dilationH, p.dilationW);
  o.groups = p.groups;
  o.padding_mode = convplay::parse_padding_mode(p.paddingMode);
  return o;
}

convplay::ConvTranspose2dOptions conv_transpose2d_options(const Params& p) {
  if (!p.padding.empty())
    throw convplay::Error("conv_transpose2d: padding='" + p.padding +
                          "' is not supported: conv_transpose2d takes integer padding only");
  convplay::ConvTranspose2dOptions o;
  o.stride = Pair(p.strideH, p.strideW);
  o.padding = Pair(p.paddingH, p.paddingW);
  o.output_padding = Pair(p.outputPaddingH, p.outputPaddingW);
  o.dilation = Pair(p.dilationH, p.dilationW);
  o.groups = p.groups;
  try {
    o.padding_mode = convplay::parse_padding_mode(p.paddingMode);
  } catch (const convplay::Error& e) {
    throw convplay::Error(std::string("conv_transpose2d: ") + e.what());
  }
  return o;
}

template <class O> O sliding_options(const Params& p) {
  O o;
  o.kernel_size = Pair(p.kernelH, p.kernelW);
  o.dilation = Pair(p.dilationH, p.dilationW);
  o.padding = Pair(p.paddingH, p.paddingW);
  o.stride = Pair(p.strideH, p.strideW);
  return o;
}

int conv2d(uintptr_t x, uintptr_t w, uintptr_t b, uintptr_t shapes, const Params& p) {
  return guarded([&] {
    const int32_t* s = reinterpret_cast<const int32_t*>(shapes);
    Shape xs, ws, bs;
    next_shape(s, xs);
    next_shape(s, ws);
    const bool has_bias = next_shape(s, bs);
    auto g = convplay::plan_conv2d(xs, ws, has_bias ? &bs : nullptr, conv2d_options(p));
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::conv2d(g, as_floats(x), as_floats(w), has_bias ? as_floats(b) : nullptr, y);
  });
}

int conv_transpose2d(uintptr_t x, uintptr_t w, uintptr_t b, uintptr_t shapes, const Params& p) {
  return guarded([&] {
    const int32_t* s = reinterpret_cast<const int32_t*>(shapes);
    Shape xs, ws, bs;
    next_shape(s, xs);
    next_shape(s, ws);
    const bool has_bias = next_shape(s, bs);
    auto g = convplay::plan_conv_transpose2d(xs, ws, has_bias ? &bs : nullptr,
                                             conv_transpose2d_options(p));
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::conv_transpose2d(g, as_floats(x), as_floats(w), has_bias ? as_floats(b) : nullptr, y);
  });
}

int unfold(uintptr_t x, uintptr_t shapes, const Params& p) {
  return guarded([&] {
    const int32_t* s = reinterpret_cast<const int32_t*>(shapes);
    Shape xs;
    next_shape(s, xs);
    auto g = convplay::plan_unfold(xs, sliding_options<convplay::UnfoldOptions>(p));
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::unfold(g, as_floats(x), y);
  });
}

int fold(uintptr_t x, uintptr_t shapes, const Params& p) {
  return guarded([&] {
    const int32_t* s = reinterpret_cast<const int32_t*>(shapes);
    Shape xs;
    next_shape(s, xs);
    auto o = sliding_options<convplay::FoldOptions>(p);
    o.output_size = Pair(p.outputH, p.outputW);
    auto g = convplay::plan_fold(xs, o);
    Shape out = g.batched ? Shape{g.N, g.C, g.H, g.W} : Shape{g.C, g.H, g.W};
    float* y = prepare_result(out, g.N * g.C * g.H * g.W);
    convplay::fold(g, as_floats(x), y);
  });
}

int pad(uintptr_t x, uintptr_t shapes, const Params& p) {
  return guarded([&] {
    const int32_t* s = reinterpret_cast<const int32_t*>(shapes);
    Shape xs;
    next_shape(s, xs);
    convplay::PadOptions o;
    o.pad = {p.padLeft, p.padRight, p.padTop, p.padBottom};
    o.mode = convplay::parse_pad_mode(p.paddingMode);
    o.value = p.value;
    auto g = convplay::plan_pad(xs, o);
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::pad(g, as_floats(x), y);
  });
}

int kernel_matrix(uintptr_t k, uintptr_t shapes, const Params& p) {
  return guarded([&] {
    const int32_t* s = reinterpret_cast<const int32_t*>(shapes);
    Shape ks;
    next_shape(s, ks);
    convplay::KernelMatrixOptions o;
    o.stride = Pair(p.strideH, p.strideW);
    o.padding = Pair(p.paddingH, p.paddingW);
    o.dilation = Pair(p.dilationH, p.dilationW);
    auto g = convplay::plan_kernel_matrix(ks, Pair(p.outputH, p.outputW), o);
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::kernel_matrix(g, as_floats(k), y);
  });
}

int bilinear_kernel(int in_channels, int out_channels, int k) {
  return guarded([&] {
    convplay::check_bilinear_kernel(in_channels, out_channels, k);
    float* y = prepare_result({in_channels, out_channels, k, k},
                              int64_t{in_channels} * out_channels * k * k);
    convplay::bilinear_kernel(in_channels, out_channels, k, y);
  });
}

// Output shape (in resultInfo, with length 0) or the reason the configuration is invalid.
int conv2d_output_shape(uintptr_t shapes, const Params& p) {
  return guarded([&] {
    const int32_t* s = reinterpret_cast<const int32_t*>(shapes);
    Shape xs, ws, bs;
    next_shape(s, xs);
    next_shape(s, ws);
    const bool has_bias = next_shape(s, bs);
    auto g = convplay::plan_conv2d(xs, ws, has_bias ? &bs : nullptr, conv2d_options(p));
    prepare_result(g.output_shape(), 0);
  });
}

int conv_transpose2d_output_shape(uintptr_t shapes, const Params& p) {
  return guarded([&] {
    const int32_t* s = reinterpret_cast<const int32_t*>(shapes);
    Shape xs, ws, bs;
    next_shape(s, xs);
    next_shape(s, ws);
    const bool has_bias = next_shape(s, bs);
    auto g = convplay::plan_conv_transpose2d(xs, ws, has_bias ? &bs : nullptr,
                                             conv_transpose2d_options(p));
    prepare_result(g.output_shape(), 0);
  });
}

uintptr_t result_info() { return reinterpret_cast<uintptr_t>(g_result_info); }
std::string last_error() { return g_error; }
std::string backend() { return convplay::simd_backend(); }

// Bytes malloc has handed out and not got back: the leak tests compare it across calls.
int heap_in_use() { return static_cast<int>(mallinfo().uordblks); }

// Gives back the memory kept between calls (result buffer, kernel scratch).
void release_memory() {
  std::vector<float>().swap(g_result);
  std::string().swap(g_error);
  convplay::release_workspace();
}

}  // namespace

EMSCRIPTEN_BINDINGS(convplay) {
  value_object<Params>("Params")
      .field("strideH", &Params::strideH)
      .field("strideW", &Params::strideW)
      .field("paddingH", &Params::paddingH)
      .field("paddingW", &Params::paddingW)
      .field("padding", &Params::padding)
      .field("dilationH", &Params::dilationH)
      .field("dilationW", &Params::dilationW)
      .field("outputPaddingH", &Params::outputPaddingH)
      .field("outputPaddingW", &Params::outputPaddingW)
      .field("kernelH", &Params::kernelH)
      .field("kernelW", &Params::kernelW)
      .field("outputH", &Params::outputH)
      .field("outputW", &Params::outputW)
      .field("groups", &Params::groups)
      .field("paddingMode", &Params::paddingMode)
      .field("value", &Params::value)
      .field("padLeft", &Params::padLeft)
      .field("padRight", &Params::padRight)
      .field("padTop", &Params::padTop)
      .field("padBottom", &Params::padBottom);
  function("conv2d", &conv2d);
  function("convTranspose2d", &conv_transpose2d);
  function("unfold", &unfold);
  function("fold", &fold);
  function("pad", &pad);
  function("kernelMatrix", &kernel_matrix);
  function("bilinearKernel", &bilinear_kernel);
  function("conv2dOutputShape", &conv2d_output_shape);
  function("convTranspose2dOutputShape", &conv_transpose2d_output_shape);
  function("resultInfo", &result_info);
  function("lastError", &last_error);
  function("backend", &backend);
  function("heapInUse", &heap_in_use);
  function("releaseMemory", &release_memory);
}
