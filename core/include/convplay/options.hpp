// Parameters of every operation, with PyTorch's defaults.
// Plain data: validation happens in geometry.cpp when a call is planned.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace convplay {

// Every rejected input throws this; what() names the parameter and the rule,
// e.g. "conv2d: groups=3 must divide in_channels=4".
struct Error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

using Shape = std::vector<int64_t>;

// A (height, width) pair of integers; IntPair in the JS API.
struct Pair {
  int64_t h = 0;
  int64_t w = 0;
  constexpr Pair() = default;
  constexpr Pair(int64_t both) : h(both), w(both) {}  // NOLINT: implicit like PyTorch's int-or-tuple
  constexpr Pair(int64_t hh, int64_t ww) : h(hh), w(ww) {}
};

// How conv2d fills positions outside the input (nn.Conv2d's padding_mode).
enum class PaddingMode { Zeros, Reflect, Replicate, Circular };
PaddingMode parse_padding_mode(const std::string& name);  // throws Error naming paddingMode
const char* to_string(PaddingMode mode);
// F.pad's mode names: 'constant' (Zeros; 'zeros' is accepted too), 'reflect', 'replicate', 'circular'.
PaddingMode parse_pad_mode(const std::string& name);

// conv2d padding: explicit sizes, or PyTorch's 'same' / 'valid' strings.
struct Padding {
  enum class Kind { Explicit, Same, Valid };
  Kind kind = Kind::Explicit;
  Pair size{0, 0};
  constexpr Padding() = default;
  constexpr Padding(int64_t both) : size(both) {}  // NOLINT
  constexpr Padding(Pair p) : size(p) {}           // NOLINT
  constexpr Padding(int64_t h, int64_t w) : size(h, w) {}
  static Padding same() { Padding p; p.kind = Kind::Same; return p; }
  static Padding valid() { Padding p; p.kind = Kind::Valid; return p; }
  static Padding parse(const std::string& name);  // "same" | "valid", else throws
};

struct Conv2dOptions {
  Pair stride{1, 1};
  Padding padding{};
  Pair dilation{1, 1};
  int64_t groups = 1;
  PaddingMode padding_mode = PaddingMode::Zeros;
};

struct ConvTranspose2dOptions {
  Pair stride{1, 1};
  Pair padding{0, 0};
  Pair output_padding{0, 0};
  Pair dilation{1, 1};
  int64_t groups = 1;
  PaddingMode padding_mode = PaddingMode::Zeros;  // only Zeros is valid, as in nn.ConvTranspose2d
};

struct UnfoldOptions {
  Pair kernel_size{1, 1};
  Pair dilation{1, 1};
  Pair padding{0, 0};
  Pair stride{1, 1};
};

struct FoldOptions {
  Pair output_size{1, 1};
  Pair kernel_size{1, 1};
  Pair dilation{1, 1};
  Pair padding{0, 0};
  Pair stride{1, 1};
};

// F.pad on the last two dimensions: pad = {left, right, top, bottom}.
// Negative sizes crop (constant mode only, as in PyTorch).
struct PadOptions {
  std::array<int64_t, 4> pad{0, 0, 0, 0};
  PaddingMode mode = PaddingMode::Zeros;  // Zeros is F.pad's 'constant'
  float value = 0.0f;                     // fill value of constant mode
};

// The matrix of conv2d on one [H, W] plane: padding is conv2d's (an int, a pair, 'same' or 'valid').
struct KernelMatrixOptions {
  Pair stride{1, 1};
  Padding padding{};
  Pair dilation{1, 1};
};

// A (depth, height, width) triple of integers; IntTriple in the JS API.
struct Triple {
  int64_t d = 0, h = 0, w = 0;
  constexpr Triple() = default;
  constexpr Triple(int64_t all) : d(all), h(all), w(all) {}  // NOLINT: int-or-tuple
  constexpr Triple(int64_t dd, int64_t hh, int64_t ww) : d(dd), h(hh), w(ww) {}
};

// conv1d / conv3d padding: explicit sizes, or 'same' / 'valid' (as Padding for conv2d).
struct Padding1 {
  Padding::Kind kind = Padding::Kind::Explicit;
  int64_t size = 0;
  constexpr Padding1() = default;
  constexpr Padding1(int64_t p) : size(p) {}  // NOLINT
  static Padding1 same() { Padding1 p; p.kind = Padding::Kind::Same; return p; }
  static Padding1 valid() { Padding1 p; p.kind = Padding::Kind::Valid; return p; }
};
struct Padding3 {
  Padding::Kind kind = Padding::Kind::Explicit;
  Triple size{0, 0, 0};
  constexpr Padding3() = default;
  constexpr Padding3(int64_t all) : size(all) {}  // NOLINT
  constexpr Padding3(Triple t) : size(t) {}       // NOLINT
  static Padding3 same() { Padding3 p; p.kind = Padding::Kind::Same; return p; }
  static Padding3 valid() { Padding3 p; p.kind = Padding::Kind::Valid; return p; }
};

// nn.Conv1d: input [N, C, L] or [C, L], weight [out, in/groups, k].
struct Conv1dOptions {
  int64_t stride = 1;
  Padding1 padding{};
  int64_t dilation = 1;
  int64_t groups = 1;
  PaddingMode padding_mode = PaddingMode::Zeros;
};

// nn.ConvTranspose1d: weight [in, out/groups, k].
struct ConvTranspose1dOptions {
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t output_padding = 0;
  int64_t dilation = 1;
  int64_t groups = 1;
};

// nn.Conv3d: input [N, C, D, H, W] or [C, D, H, W], weight [out, in/groups, kD, kH, kW].
struct Conv3dOptions {
  Triple stride{1, 1, 1};
  Padding3 padding{};
  Triple dilation{1, 1, 1};
  int64_t groups = 1;
  PaddingMode padding_mode = PaddingMode::Zeros;
};

// nn.ConvTranspose3d: weight [in, out/groups, kD, kH, kW].
struct ConvTranspose3dOptions {
  Triple stride{1, 1, 1};
  Triple padding{0, 0, 0};
  Triple output_padding{0, 0, 0};
  Triple dilation{1, 1, 1};
  int64_t groups = 1;
};

// F.max_pool2d. No stride (the default) means kernel_size, as in PyTorch.
struct MaxPool2dOptions {
  Pair kernel_size{1, 1};
  std::optional<Pair> stride;
  Pair padding{0, 0};
  Pair dilation{1, 1};
  bool ceil_mode = false;
};

// F.avg_pool2d. No stride means kernel_size; divisor_override, when given, must not be 0.
struct AvgPool2dOptions {
  Pair kernel_size{1, 1};
  std::optional<Pair> stride;
  Pair padding{0, 0};
  bool ceil_mode = false;
  bool count_include_pad = true;
  std::optional<int64_t> divisor_override;
};

// Largest number of elements any tensor (input, output or intermediate) may have:
// 2^26 floats = 256 MiB, which allows a 2048x2048 RGB image with room to spare and keeps
// a 32-bit WebAssembly heap (2 GiB maximum) from running out.
constexpr int64_t kMaxElements = int64_t{1} << 26;

}  // namespace convplay
