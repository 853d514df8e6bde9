// Parameters of every operation, with PyTorch's defaults.
// Plain data: validation happens in geometry.cpp when a call is planned.
#pragma once

#include <array>
#include <cstdint>
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

// Largest number of elements any tensor (input, output or intermediate) may have:
// 2^26 floats = 256 MiB, which allows a 2048x2048 RGB image with room to spare and keeps
// a 32-bit WebAssembly heap (2 GiB maximum) from running out.
constexpr int64_t kMaxElements = int64_t{1} << 26;

}  // namespace convplay
