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
};
constexpr int kParamWords = 20;
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
  function("parseOption", &parse_option);
  function("paramWords", &param_words);
  function("resultInfo", &result_info);
  function("lastError", &last_error);
  function("backend", &backend);
  function("heapInUse", &heap_in_use);
  function("releaseMemory", &release_memory);
}
