// Embind binding of the core: no math here, only moving arguments across the boundary.
//
// Calling convention (kept cheap so a tiny convolution costs about a microsecond: with
// -sDYNAMIC_EXECUTION=0, which strict CSP needs, Embind converts every argument and object
// field through generic code, ~0.2 us each, so a call passes four addresses and nothing else):
//  - JS copies the input tensors into one malloc'd block and, after them, the shapes as int32
//    runs [rank, d0, d1, ...] and the parameters as kParamWords int32 words ("frame").
//  - Option strings ('same', 'reflect', ...) become small codes through parseOption(), which
//    JS calls once per distinct string; an unknown string gets C++'s error message.
//  - A call returns 1 on success: the result lives in a buffer owned here, described by
//    int32 words at resultInfo() = [address, length, rank, d0, d1, ...]; JS copies it out.
//  - Every exception is caught at this edge (never escapes into JS, which would leak
//    wasm stack and heap in this Emscripten version): the call returns 0 and lastError()
//    holds the message, which JS throws as an Error. No emval handle is created per call.
//  - Out of memory is an error like the others, so the error path allocates nothing: the
//    message goes into a fixed buffer and lastError() hands it to JS as a JS string (an emval,
//    on the error path only). std::bad_alloc becomes "<op>: out of memory: ...".
#include <emscripten/bind.h>
#include <malloc.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "convplay/kernels.hpp"

using namespace emscripten;
using convplay::Pair;
using convplay::Shape;

namespace {

// Every option of every operation, already defaulted by the JS layer, as int32 words
// (wasm/convplay.mjs PARAM_WORDS lists the same order).
struct Params {
  int strideH, strideW;
  int paddingKind;  // 0: explicit paddingH/W, 1: 'same', 2: 'valid'
  int paddingH, paddingW;
  int dilationH, dilationW;
  int outputPaddingH, outputPaddingW;
  int kernelH, kernelW;
  int outputH, outputW;  // fold outputSize, kernelMatrix input size
  int groups;
  int mode;              // convplay::PaddingMode as int (conv paddingMode, pad mode)
  int padLeft, padRight, padTop, padBottom;
  float value;           // pad's constant value
  // issue 19's operations (3-D depth; 1-D ops use the W words)
  int strideD, paddingD, dilationD, outputPaddingD;
  int ceilMode, countIncludePad;
  int hasDivisor, divisor;  // avg_pool2d's divisorOverride
};
constexpr int kParamWords = 28;
static_assert(sizeof(Params) == kParamWords * 4, "Params must be kParamWords int32 words");

// Output of the last successful call. Kept between calls (and reused) on purpose: freeing a
// large result after copy-out made the next call's allocations fragment the heap and grow
// WASM memory on every repetition (measured by bench --smoke); cp.releaseMemory() gives it
// back on demand.
std::vector<float> g_result;
int32_t g_result_info[2 + 1 + 8];  // address, length, rank, dims
// The last error message. A fixed buffer, not a std::string: setting it must not allocate,
// because the error may be that the heap is full.
char g_error[1024];

void set_error(const char* message) { std::snprintf(g_error, sizeof g_error, "%s", message); }

// The result buffer could not be allocated: carries its element count into the message.
struct ResultOutOfMemory {
  int64_t elements;
};

constexpr size_t kMaxRank = 8;

const float* as_floats(uintptr_t address) { return reinterpret_cast<const float*>(address); }

// Elements of a shape already validated by planning (so no overflow).
int64_t shape_numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

// Reads the next [rank, dims...] run of a frame; rank -1 means "absent" (no bias).
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
  try {
    g_result.resize(static_cast<size_t>(size));
  } catch (const std::bad_alloc&) {
    throw ResultOutOfMemory{size};
  }
  g_result_info[0] = static_cast<int32_t>(reinterpret_cast<uintptr_t>(g_result.data()));
  g_result_info[1] = static_cast<int32_t>(size);
  g_result_info[2] = static_cast<int32_t>(shape.size());
  for (size_t i = 0; i < shape.size() && i < kMaxRank; ++i)
    g_result_info[3 + i] = static_cast<int32_t>(shape[i]);
  return g_result.data();
}

// Runs one call of operation `op`; every exception becomes a message in g_error and a 0.
// The out-of-memory messages name what did not fit and the limit: kMaxMemoryMiB is the link's
// -sMAXIMUM_MEMORY=2GB (CMakeLists.txt); the heap grows until then and malloc returns null past it.
constexpr int64_t kMaxMemoryMiB = 2048;
template <class F> int guarded(const char* op, F&& f) {
  try {
    f();
    return 1;
  } catch (const ResultOutOfMemory& e) {
    std::snprintf(g_error, sizeof g_error,
                  "%s: out of memory: the WebAssembly heap could not hold the %lld-element output "
                  "(%lld MiB; the heap grows to at most %lld MiB, shared with everything else)",
                  op, static_cast<long long>(e.elements),
                  static_cast<long long>((e.elements * 4 + (1 << 20) - 1) >> 20),
                  static_cast<long long>(kMaxMemoryMiB));
  } catch (const std::bad_alloc&) {
    std::snprintf(g_error, sizeof g_error,
                  "%s: out of memory: the WebAssembly heap could not hold this call's working "
                  "memory (the heap grows to at most %lld MiB)",
                  op, static_cast<long long>(kMaxMemoryMiB));
  } catch (const std::exception& e) {
    set_error(e.what());
  }
  return 0;
}

const char* padding_name(int kind) { return kind == 1 ? "same" : "valid"; }

convplay::PaddingMode mode_of(int code) {
  if (code < 0 || code > 3) throw convplay::Error("invalid padding mode code");
  return static_cast<convplay::PaddingMode>(code);
}

convplay::Conv2dOptions conv2d_options(const Params& p) {
  convplay::Conv2dOptions o;
  o.stride = Pair(p.strideH, p.strideW);
  o.padding = p.paddingKind == 0 ? convplay::Padding(p.paddingH, p.paddingW)
                                 : convplay::Padding::parse(padding_name(p.paddingKind));
  o.dilation = Pair(p.dilationH, p.dilationW);
  o.groups = p.groups;
  o.padding_mode = mode_of(p.mode);
  return o;
}

convplay::ConvTranspose2dOptions conv_transpose2d_options(const Params& p) {
  if (p.paddingKind != 0)
    throw convplay::Error(std::string("conv_transpose2d: padding='") + padding_name(p.paddingKind) +
                          "' is not supported: conv_transpose2d takes integer padding only");
  convplay::ConvTranspose2dOptions o;
  o.stride = Pair(p.strideH, p.strideW);
  o.padding = Pair(p.paddingH, p.paddingW);
  o.output_padding = Pair(p.outputPaddingH, p.outputPaddingW);
  o.dilation = Pair(p.dilationH, p.dilationW);
  o.groups = p.groups;
  o.padding_mode = mode_of(p.mode);
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

// A frame: the shapes of the call's tensors, then the Params words.
struct Frame {
  std::vector<Shape> shapes;
  bool present[3] = {false, false, false};
  Params p;
  Frame(uintptr_t address, int tensors) {
    const int32_t* s = reinterpret_cast<const int32_t*>(address);
    shapes.resize(static_cast<size_t>(tensors));
    for (int i = 0; i < tensors; ++i) present[i] = next_shape(s, shapes[static_cast<size_t>(i)]);
    std::memcpy(&p, s, sizeof(Params));
  }
  const Shape* bias() const { return present[2] ? &shapes[2] : nullptr; }
};

// The two convolutions' plans from a frame [input, weight, bias?]; shared by the calls and
// their output-shape queries.
convplay::Conv2dGeometry plan_conv2d(const Frame& f) {
  return convplay::plan_conv2d(f.shapes[0], f.shapes[1], f.bias(), conv2d_options(f.p));
}
convplay::ConvTranspose2dGeometry plan_conv_transpose2d(const Frame& f) {
  return convplay::plan_conv_transpose2d(f.shapes[0], f.shapes[1], f.bias(), conv_transpose2d_options(f.p));
}

int conv2d(uintptr_t x, uintptr_t w, uintptr_t b, uintptr_t frame) {
  return guarded("conv2d", [&] {
    const Frame f(frame, 3);
    auto g = plan_conv2d(f);
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::conv2d(g, as_floats(x), as_floats(w), f.bias() ? as_floats(b) : nullptr, y);
  });
}

int conv_transpose2d(uintptr_t x, uintptr_t w, uintptr_t b, uintptr_t frame) {
  return guarded("conv_transpose2d", [&] {
    const Frame f(frame, 3);
    auto g = plan_conv_transpose2d(f);
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::conv_transpose2d(g, as_floats(x), as_floats(w), f.bias() ? as_floats(b) : nullptr, y);
  });
}

int unfold(uintptr_t x, uintptr_t frame) {
  return guarded("unfold", [&] {
    Frame f(frame, 1);
    const Shape& xs = f.shapes[0];
    const Params& p = f.p;
    auto g = convplay::plan_unfold(xs, sliding_options<convplay::UnfoldOptions>(p));
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::unfold(g, as_floats(x), y);
  });
}

int fold(uintptr_t x, uintptr_t frame) {
  return guarded("fold", [&] {
    Frame f(frame, 1);
    const Shape& xs = f.shapes[0];
    const Params& p = f.p;
    auto o = sliding_options<convplay::FoldOptions>(p);
    o.output_size = Pair(p.outputH, p.outputW);
    auto g = convplay::plan_fold(xs, o);
    Shape out = g.batched ? Shape{g.N, g.C, g.H, g.W} : Shape{g.C, g.H, g.W};
    float* y = prepare_result(out, g.N * g.C * g.H * g.W);
    convplay::fold(g, as_floats(x), y);
  });
}

int pad(uintptr_t x, uintptr_t frame) {
  return guarded("pad", [&] {
    Frame f(frame, 1);
    const Shape& xs = f.shapes[0];
    const Params& p = f.p;
    convplay::PadOptions o;
    o.pad = {p.padLeft, p.padRight, p.padTop, p.padBottom};
    o.mode = mode_of(p.mode);
    o.value = p.value;
    auto g = convplay::plan_pad(xs, o);
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::pad(g, as_floats(x), y);
  });
}

int kernel_matrix(uintptr_t k, uintptr_t frame) {
  return guarded("kernel_matrix", [&] {
    Frame f(frame, 1);
    const Shape& ks = f.shapes[0];
    const Params& p = f.p;
    convplay::KernelMatrixOptions o;
    o.stride = Pair(p.strideH, p.strideW);
    o.padding = p.paddingKind == 0 ? convplay::Padding(p.paddingH, p.paddingW)
                                   : convplay::Padding::parse(padding_name(p.paddingKind));
    o.dilation = Pair(p.dilationH, p.dilationW);
    auto g = convplay::plan_kernel_matrix(ks, Pair(p.outputH, p.outputW), o);
    float* y = prepare_result(g.output_shape(), g.output_size());
    convplay::kernel_matrix(g, as_floats(k), y);
  });
}

int bilinear_kernel(int in_channels, int out_channels, int k) {
  return guarded("bilinear_kernel", [&] {
    convplay::check_bilinear_kernel(in_channels, out_channels, k);
    float* y = prepare_result({in_channels, out_channels, k, k},
                              int64_t{in_channels} * out_channels * k * k);
    convplay::bilinear_kernel(in_channels, out_channels, k, y);
  });
}

// Output shape (in resultInfo, with length 0) or the reason the configuration is invalid.
int conv2d_output_shape(uintptr_t frame) {
  return guarded("conv2d", [&] {
    prepare_result(plan_conv2d(Frame(frame, 3)).output_shape(), 0);
  });
}

int conv_transpose2d_output_shape(uintptr_t frame) {
  return guarded("conv_transpose2d", [&] {
    prepare_result(plan_conv_transpose2d(Frame(frame, 3)).output_shape(), 0);
  });
}

// --- issue 19's operations -------------------------------------------------------------

convplay::Conv1dOptions conv1d_options(const Params& p) {
  convplay::Conv1dOptions o;
  o.stride = p.strideW;
  o.padding = p.paddingKind == 0 ? convplay::Padding1(p.paddingW)
              : p.paddingKind == 1 ? convplay::Padding1::same() : convplay::Padding1::valid();
  o.dilation = p.dilationW;
  o.groups = p.groups;
  o.padding_mode = mode_of(p.mode);
  return o;
}

convplay::Conv3dOptions conv3d_options(const Params& p) {
  convplay::Conv3dOptions o;
  o.stride = convplay::Triple(p.strideD, p.strideH, p.strideW);
  o.padding = p.paddingKind == 0 ? convplay::Padding3(convplay::Triple(p.paddingD, p.paddingH, p.paddingW))
              : p.paddingKind == 1 ? convplay::Padding3::same() : convplay::Padding3::valid();
  o.dilation = convplay::Triple(p.dilationD, p.dilationH, p.dilationW);
  o.groups = p.groups;
  o.padding_mode = mode_of(p.mode);
  return o;
}

void integer_padding_only(const char* op, const Params& p) {
  if (p.paddingKind != 0)
    throw convplay::Error(std::string(op) + ": padding='" + padding_name(p.paddingKind) +
                          "' is not supported: " + op + " takes integer padding only");
  if (p.mode != 0)
    throw convplay::Error(std::string(op) + ": paddingMode='" + convplay::to_string(mode_of(p.mode)) +
                          "' is not supported: only 'zeros' padding mode is supported for " + op);
}

convplay::ConvTranspose1dOptions conv_transpose1d_options(const Params& p) {
  integer_padding_only("conv_transpose1d", p);
  convplay::ConvTranspose1dOptions o;
  o.stride = p.strideW;
  o.padding = p.paddingW;
  o.output_padding = p.outputPaddingW;
  o.dilation = p.dilationW;
  o.groups = p.groups;
  return o;
}

convplay::ConvTranspose3dOptions conv_transpose3d_options(const Params& p) {
  integer_padding_only("conv_transpose3d", p);
  convplay::ConvTranspose3dOptions o;
  o.stride = convplay::Triple(p.strideD, p.strideH, p.strideW);
  o.padding = convplay::Triple(p.paddingD, p.paddingH, p.paddingW);
  o.output_padding = convplay::Triple(p.outputPaddingD, p.outputPaddingH, p.outputPaddingW);
  o.dilation = convplay::Triple(p.dilationD, p.dilationH, p.dilationW);
  o.groups = p.groups;
  return o;
}

// Pool strides: strideD = 1 marks a stride as given (strideH/W); 0 means PyTorch's default, the
// kernel size.
convplay::MaxPool2dOptions max_pool2d_options(const Params& p) {
  convplay::MaxPool2dOptions o;
  o.kernel_size = Pair(p.kernelH, p.kernelW);
  if (p.strideD) o.stride = Pair(p.strideH, p.strideW);
  o.padding = Pair(p.paddingH, p.paddingW);
  o.dilation = Pair(p.dilationH, p.dilationW);
  o.ceil_mode = p.ceilMode != 0;
  return o;
}

convplay::AvgPool2dOptions avg_pool2d_options(const Params& p) {
  convplay::AvgPool2dOptions o;
  o.kernel_size = Pair(p.kernelH, p.kernelW);
  if (p.strideD) o.stride = Pair(p.strideH, p.strideW);
  o.padding = Pair(p.paddingH, p.paddingW);
  o.ceil_mode = p.ceilMode != 0;
  o.count_include_pad = p.countIncludePad != 0;
  if (p.hasDivisor) o.divisor_override = p.divisor;
  return o;
}

convplay::ConvNdGeometry plan_nd(int op, const Frame& f) {
  switch (op) {
    case 0: return convplay::plan_conv1d(f.shapes[0], f.shapes[1], f.bias(), conv1d_options(f.p));
    case 1: return convplay::plan_conv_transpose1d(f.shapes[0], f.shapes[1], f.bias(), conv_transpose1d_options(f.p));
    case 2: return convplay::plan_conv3d(f.shapes[0], f.shapes[1], f.bias(), conv3d_options(f.p));
    default: return convplay::plan_conv_transpose3d(f.shapes[0], f.shapes[1], f.bias(), conv_transpose3d_options(f.p));
  }
}
const char* nd_name(int op) {
  static const char* names[] = {"conv1d", "conv_transpose1d", "conv3d", "conv_transpose3d"};
  return names[op < 0 || op > 3 ? 3 : op];
}

// op: 0 conv1d, 1 conv_transpose1d, 2 conv3d, 3 conv_transpose3d.
int conv_nd(int op, uintptr_t x, uintptr_t w, uintptr_t b, uintptr_t frame) {
  return guarded(nd_name(op), [&] {
    const Frame f(frame, 3);
    auto g = plan_nd(op, f);
    float* y = prepare_result(g.output_shape(), g.output_size());
    const float* bp = f.bias() ? as_floats(b) : nullptr;
    if (g.transposed) convplay::conv_transpose_nd(g, as_floats(x), as_floats(w), bp, y);
    else convplay::conv_nd(g, as_floats(x), as_floats(w), bp, y);
  });
}

int conv_nd_output_shape(int op, uintptr_t frame) {
  return guarded(nd_name(op), [&] { prepare_result(plan_nd(op, Frame(frame, 3)).output_shape(), 0); });
}

// The three gradients in one result: [gradInput | gradWeight | gradBias], described as a
// 1-D result; JS cuts it by the input's, weight's and [out_channels] sizes.
// transposed: 0 conv2d, 1 conv_transpose2d.
int conv2d_backward(int transposed, uintptr_t x, uintptr_t w, uintptr_t gy, uintptr_t frame) {
  return guarded(transposed ? "conv_transpose2d_backward" : "conv2d_backward", [&] {
    const Frame f(frame, 3);
    if (!transposed) {
      auto g = convplay::plan_conv2d_backward(f.shapes[0], f.shapes[1], f.shapes[2], conv2d_options(f.p));
      const int64_t nx = shape_numel(f.shapes[0]), nw = shape_numel(f.shapes[1]);  // planned: no overflow
      float* r = prepare_result({nx + nw + g.K}, nx + nw + g.K);
      convplay::conv2d_backward(g, as_floats(x), as_floats(w), as_floats(gy), r, r + nx, r + nx + nw);
    } else {
      auto g = convplay::plan_conv_transpose2d_backward(f.shapes[0], f.shapes[1], f.shapes[2],
                                                        conv_transpose2d_options(f.p));
      const int64_t nx = shape_numel(f.shapes[0]), nw = shape_numel(f.shapes[1]);
      float* r = prepare_result({nx + nw + g.K}, nx + nw + g.K);
      convplay::conv_transpose2d_backward(g, as_floats(x), as_floats(w), as_floats(gy), r, r + nx, r + nx + nw);
    }
  });
}

// The gradients' validity: the input's shape (gradInput's), or the reason.
int conv2d_backward_output_shape(int transposed, uintptr_t frame) {
  return guarded(transposed ? "conv_transpose2d_backward" : "conv2d_backward", [&] {
    const Frame f(frame, 3);
    if (!transposed) convplay::plan_conv2d_backward(f.shapes[0], f.shapes[1], f.shapes[2], conv2d_options(f.p));
    else convplay::plan_conv_transpose2d_backward(f.shapes[0], f.shapes[1], f.shapes[2], conv_transpose2d_options(f.p));
    prepare_result(f.shapes[0], 0);
  });
}

// op: 0 max_pool2d, 1 max_pool2d with indices (result [output | indices as int32]), 2 avg_pool2d.
int pool2d(int op, uintptr_t x, uintptr_t frame) {
  return guarded(op == 2 ? "avg_pool2d" : "max_pool2d", [&] {
    const Frame f(frame, 1);
    auto g = op == 2 ? convplay::plan_avg_pool2d(f.shapes[0], avg_pool2d_options(f.p))
                     : convplay::plan_max_pool2d(f.shapes[0], max_pool2d_options(f.p));
    const int64_t n = g.output_size();
    float* y = prepare_result(g.output_shape(), op == 1 ? 2 * n : n);
    if (op == 2) convplay::avg_pool2d(g, as_floats(x), y);
    else convplay::max_pool2d(g, as_floats(x), y, op == 1 ? reinterpret_cast<int32_t*>(y + n) : nullptr);
  });
}

int pool2d_output_shape(int op, uintptr_t frame) {
  return guarded(op == 2 ? "avg_pool2d" : "max_pool2d", [&] {
    const Frame f(frame, 1);
    auto g = op == 2 ? convplay::plan_avg_pool2d(f.shapes[0], avg_pool2d_options(f.p))
                     : convplay::plan_max_pool2d(f.shapes[0], max_pool2d_options(f.p));
    prepare_result(g.output_shape(), 0);
  });
}

// Code of an option string: kind 0 = conv2d padding ('same' 1, 'valid' 2), 1 = paddingMode,
// 2 = pad's mode. Unknown strings return -1 with the reason in lastError().
int parse_option(int kind, std::string name) {
  int code = -1;
  guarded("option", [&] {
    if (kind == 0) code = convplay::Padding::parse(name).kind == convplay::Padding::Kind::Same ? 1 : 2;
    else if (kind == 1) code = static_cast<int>(convplay::parse_padding_mode(name));
    else code = static_cast<int>(convplay::parse_pad_mode(name));
  });
  return code;
}

int param_words() { return kParamWords; }

uintptr_t result_info() { return reinterpret_cast<uintptr_t>(g_result_info); }
// A JS string made from the buffer in JS (no allocation in the heap, which may be full).
val last_error() { return val(static_cast<const char*>(g_error)); }
std::string backend() { return convplay::simd_backend(); }

// Bytes malloc has handed out and not got back: the leak tests compare it across calls.
int heap_in_use() { return static_cast<int>(mallinfo().uordblks); }

// Gives back the memory kept between calls (result buffer, kernel scratch).
void release_memory() {
  std::vector<float>().swap(g_result);
  convplay::release_workspace();
}

}  // namespace

EMSCRIPTEN_BINDINGS(convplay) {
  function("conv2d", &conv2d);
  function("convTranspose2d", &conv_transpose2d);
  function("unfold", &unfold);
  function("fold", &fold);
  function("pad", &pad);
  function("kernelMatrix", &kernel_matrix);
  function("bilinearKernel", &bilinear_kernel);
  function("conv2dOutputShape", &conv2d_output_shape);
  function("convTranspose2dOutputShape", &conv_transpose2d_output_shape);
  function("convNd", &conv_nd);
  function("convNdOutputShape", &conv_nd_output_shape);
  function("conv2dBackward", &conv2d_backward);
  function("conv2dBackwardOutputShape", &conv2d_backward_output_shape);
  function("pool2d", &pool2d);
  function("pool2dOutputShape", &pool2d_output_shape);
  function("parseOption", &parse_option);
  function("paramWords", &param_words);
  function("resultInfo", &result_info);
  function("lastError", &last_error);
  function("backend", &backend);
  function("heapInUse", &heap_in_use);
  function("releaseMemory", &release_memory);
}
