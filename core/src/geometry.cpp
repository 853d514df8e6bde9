// Validation of every call, rule by rule as PyTorch 1.13 checks them, and output shapes.
// Messages start with the operation, name the parameter with its value, and state the rule.
#include "convplay/geometry.hpp"

#include <algorithm>

namespace convplay {
namespace {

[[noreturn]] void fail(const char* op, const std::string& message) {
  throw Error(std::string(op) + ": " + message);
}

std::string pair_str(Pair p) {
  return "(" + std::to_string(p.h) + ", " + std::to_string(p.w) + ")";
}

std::string pair_str(int64_t h, int64_t w) { return pair_str(Pair(h, w)); }

// Element count of a shape, or fail when it is negative or exceeds kMaxElements.
// The product of the non-zero dimensions is bounded too: an empty tensor like [2^40, 0, 3]
// would otherwise overflow later arithmetic and loop over 2^40 empty planes (both found by
// the fuzzer).
int64_t checked_numel(const char* op, const char* what, const Shape& shape) {
  int64_t n = 1, nonzero = 1;
  for (int64_t d : shape) {
    if (d < 0) fail(op, std::string(what) + " of shape " + format_shape(shape) +
                            " has a negative dimension");
    if (d == 0) {
      n = 0;
      continue;
    }
    nonzero = nonzero > kMaxElements / d ? kMaxElements + 1 : nonzero * d;  // saturate
    n = n > kMaxElements / d ? kMaxElements + 1 : n * d;
  }
  if (n > kMaxElements || nonzero > kMaxElements)
    fail(op, std::string(what) + " of shape " + format_shape(shape) + " has more than " +
                 std::to_string(kMaxElements) + " elements" + (n == 0 ? " in its non-empty dimensions" : "") +
                 " (the size limit)");
  return n;
}

void check_output_limit(const char* op, const Shape& out) {
  checked_numel(op, "the output", out);
}

// A parameter that must be >= 1 (stride, dilation, kernel_size) or >= 0 (padding).
void check_positive(const char* op, const char* name, Pair p) {
  if (p.h <= 0 || p.w <= 0)
    fail(op, std::string(name) + "=" + pair_str(p) + " must be positive (>= 1) in both dimensions");
}
void check_non_negative(const char* op, const char* name, Pair p) {
  if (p.h < 0 || p.w < 0)
    fail(op, std::string(name) + "=" + pair_str(p) + " must not be negative");
}

// Guard against absurd parameters before any arithmetic can overflow.
constexpr int64_t kMaxParam = int64_t{1} << 24;
void check_not_huge(const char* op, const char* name, Pair p) {
  if (p.h > kMaxParam || p.w > kMaxParam)
    fail(op, std::string(name) + "=" + pair_str(p) + " is larger than the limit " +
                 std::to_string(kMaxParam));
}

// Checks shared by conv2d and conv_transpose2d; returns (batched, N, C, H, W).
struct Input4 { bool batched; int64_t N, C, H, W; };
Input4 check_conv_input(const char* op, const Shape& input, const Shape& weight) {
  if (input.size() != 3 && input.size() != 4)
    fail(op, "input must be 3-D [C, H, W] (unbatched) or 4-D [N, C, H, W] (batched), but got input of shape " +
                 format_shape(input));
  if (weight.size() != 4)
    fail(op, "weight must be 4-D, but got weight of shape " + format_shape(weight));
  checked_numel(op, "input", input);
  checked_numel(op, "weight", weight);
  Input4 r{};
  r.batched = input.size() == 4;
  size_t o = r.batched ? 1 : 0;
  r.N = r.batched ? input[0] : 1;
  r.C = input[o];
  r.H = input[o + 1];
  r.W = input[o + 2];
  if (r.H == 0 || r.W == 0 || (r.C == 0 && r.N != 0))
    fail(op, "input of shape " + format_shape(input) +
                 " has an empty channel or spatial dimension (only the batch may be 0)");
  return r;
}

// conv's channel rules, in PyTorch's order: groups divides out_channels (weight.shape[0]), which
// is at least 1; groups divides in_channels C, and C = weight.shape[1] * groups. Returns
// out_channels.
int64_t check_conv_channels(const char* op, const Shape& input, const Shape& weight, int64_t C,
                            int64_t groups) {
  const int64_t K = weight[0];
  if (K % groups != 0)
    fail(op, "groups=" + std::to_string(groups) + " must divide out_channels=" +
                 std::to_string(K) + " (weight.shape[0] of weight " + format_shape(weight) + ")");
  if (K == 0)
    fail(op, "weight of shape " + format_shape(weight) + " has out_channels=0 (weight.shape[0]); it must be at least 1");
  if (C % groups != 0)
    fail(op, "groups=" + std::to_string(groups) + " must divide in_channels=" +
                 std::to_string(C) + " (input of shape " + format_shape(input) + ")");
  if (C != weight[1] * groups)
    fail(op, "input of shape " + format_shape(input) + " has in_channels=" + std::to_string(C) +
                 ", but weight of shape " + format_shape(weight) + " with groups=" +
                 std::to_string(groups) + " expects in_channels = weight.shape[1] * groups = " +
                 std::to_string(weight[1] * groups));
  return K;
}

// The transposed convolutions' channel rules: weight is [in, out/groups, ...] (`layout` says so
// in the message). Returns out_channels = weight.shape[1] * groups.
int64_t check_conv_transpose_channels(const char* op, const Shape& weight, int64_t C,
                                      int64_t groups, const char* layout) {
  if (weight[0] % groups != 0)
    fail(op, "groups=" + std::to_string(groups) + " must divide in_channels=" +
                 std::to_string(weight[0]) + " (weight.shape[0] of weight " + format_shape(weight) + ")");
  if (C != weight[0])
    fail(op, "input has in_channels=" + std::to_string(C) + " but weight " +
                 format_shape(weight) + " expects in_channels=" + std::to_string(weight[0]) +
                 " (weight.shape[0]; " + layout + ")");
  const int64_t K = weight[1] * groups;
  if (K == 0 || C == 0)
    fail(op, "weight of shape " + format_shape(weight) + " has no channels; in_channels and out_channels/groups must be at least 1");
  return K;
}

// bias, when given, is 1-D with out_channels elements.
bool check_bias(const char* op, const Shape* bias, int64_t K) {
  if (!bias) return false;
  if (bias->size() != 1 || (*bias)[0] != K)
    fail(op, "bias must be 1-D with out_channels=" + std::to_string(K) +
                 " elements, but got bias of shape " + format_shape(*bias));
  return true;
}

// conv2d's padding (explicit, 'valid', or 'same' with PyTorch's split: total =
// dilation * (kernel - 1), the extra element of an odd total at the bottom / right).
// 'same' needs stride 1. Explicit sizes are validated by the caller.
void resolve_padding(const char* op, const Padding& padding, Pair stride, int64_t kh, int64_t kw,
                     int64_t dh, int64_t dw, int64_t& top, int64_t& bottom, int64_t& left,
                     int64_t& right) {
  switch (padding.kind) {
    case Padding::Kind::Valid: top = bottom = left = right = 0; break;
    case Padding::Kind::Explicit:
      top = bottom = padding.size.h;
      left = right = padding.size.w;
      break;
    case Padding::Kind::Same: {
      if (stride.h != 1 || stride.w != 1)
        fail(op, "padding='same' is not supported for strided convolutions (stride=" +
                     pair_str(stride) + " must be 1)");
      int64_t th = dh * (kh - 1), tw = dw * (kw - 1);
      top = th / 2; bottom = th - th / 2;
      left = tw / 2; right = tw - tw / 2;
      break;
    }
  }
}

}  // namespace

std::string format_shape(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

PaddingMode parse_padding_mode(const std::string& name) {
  if (name == "zeros") return PaddingMode::Zeros;
  if (name == "reflect") return PaddingMode::Reflect;
  if (name == "replicate") return PaddingMode::Replicate;
  if (name == "circular") return PaddingMode::Circular;
  throw Error("paddingMode='" + name +
              "' must be one of 'zeros', 'reflect', 'replicate', 'circular'");
}

const char* to_string(PaddingMode mode) {
  switch (mode) {
    case PaddingMode::Zeros: return "zeros";
    case PaddingMode::Reflect: return "reflect";
    case PaddingMode::Replicate: return "replicate";
    case PaddingMode::Circular: return "circular";
  }
  return "?";
}

PaddingMode parse_pad_mode(const std::string& name) {
  if (name == "constant" || name == "zeros") return PaddingMode::Zeros;
  if (name == "reflect" || name == "replicate" || name == "circular") return parse_padding_mode(name);
  throw Error("pad: mode='" + name + "' must be one of 'constant', 'reflect', 'replicate', 'circular'");
}

Padding Padding::parse(const std::string& name) {
  if (name == "same") return same();
  if (name == "valid") return valid();
  throw Error("padding='" + name + "' is invalid: a string padding must be 'same' or 'valid'");
}

Shape Conv2dGeometry::output_shape() const {
  return batched ? Shape{N, K, OH, OW} : Shape{K, OH, OW};
}
Shape ConvTranspose2dGeometry::output_shape() const {
  return batched ? Shape{N, K, OH, OW} : Shape{K, OH, OW};
}
Shape UnfoldGeometry::output_shape() const {
  return batched ? Shape{N, C * kh * kw, OH * OW} : Shape{C * kh * kw, OH * OW};
}
Shape PadGeometry::output_shape() const {
  Shape s = input_shape;
  s[s.size() - 2] = OH;
  s[s.size() - 1] = OW;
  return s;
}

Conv2dGeometry plan_conv2d(const Shape& input, const Shape& weight, const Shape* bias,
                           const Conv2dOptions& o) {
  const char* op = "conv2d";
  Input4 in = check_conv_input(op, input, weight);
  Conv2dGeometry g;
  g.batched = in.batched;
  g.N = in.N; g.C = in.C; g.H = in.H; g.W = in.W;
  g.K = weight[0];
  g.kh = weight[2];
  g.kw = weight[3];
  g.mode = o.padding_mode;

  check_positive(op, "stride", o.stride);
  check_positive(op, "dilation", o.dilation);
  check_not_huge(op, "stride", o.stride);
  check_not_huge(op, "dilation", o.dilation);
  if (o.padding.kind == Padding::Kind::Explicit) {
    check_non_negative(op, "padding", o.padding.size);
    check_not_huge(op, "padding", o.padding.size);
  }
  if (o.groups <= 0)
    fail(op, "groups=" + std::to_string(o.groups) + " must be positive");
  g.groups = o.groups;
  g.sh = o.stride.h; g.sw = o.stride.w;
  g.dh = o.dilation.h; g.dw = o.dilation.w;

  check_conv_channels(op, input, weight, g.C, g.groups);
  if (g.kh == 0 || g.kw == 0)
    fail(op, "weight of shape " + format_shape(weight) + " has an empty kernel");
  g.has_bias = check_bias(op, bias, g.K);

  resolve_padding(op, o.padding, o.stride, g.kh, g.kw, g.dh, g.dw, g.pad_top, g.pad_bottom,
                  g.pad_left, g.pad_right);

  // Non-zero padding modes pad the input with F.pad first; its limits apply.
  int64_t pmax_h = std::max(g.pad_top, g.pad_bottom), pmax_w = std::max(g.pad_left, g.pad_right);
  if (g.mode == PaddingMode::Reflect && (pmax_h >= g.H || pmax_w >= g.W))
    fail(op, "paddingMode='reflect' needs padding smaller than the input size, but padding=" +
                 pair_str(pmax_h, pmax_w) + " and input size is " + pair_str(g.H, g.W));
  if (g.mode == PaddingMode::Circular && (pmax_h > g.H || pmax_w > g.W))
    fail(op, "paddingMode='circular' needs padding at most the input size (it may wrap around only once), but padding=" +
                 pair_str(pmax_h, pmax_w) + " and input size is " + pair_str(g.H, g.W));

  int64_t hp = g.H + g.pad_top + g.pad_bottom, wp = g.W + g.pad_left + g.pad_right;
  int64_t ekh = g.dh * (g.kh - 1) + 1, ekw = g.dw * (g.kw - 1) + 1;
  if (ekh > hp || ekw > wp)
    fail(op, "the kernel of weight " + format_shape(weight) + " with dilation=" + pair_str(o.dilation) +
                 " spans " + pair_str(ekh, ekw) + ", larger than the padded input size " +
                 pair_str(hp, wp) + ": the kernel can't be greater than the padded input");
  g.OH = (hp - ekh) / g.sh + 1;
  g.OW = (wp - ekw) / g.sw + 1;
  check_output_limit(op, g.output_shape());
  if (g.mode != PaddingMode::Zeros)
    checked_numel(op, "the padded input", Shape{g.N, g.C, hp, wp});
  return g;
}

ConvTranspose2dGeometry plan_conv_transpose2d(const Shape& input, const Shape& weight,
                                              const Shape* bias,
                                              const ConvTranspose2dOptions& o) {
  const char* op = "conv_transpose2d";
  if (o.padding_mode != PaddingMode::Zeros)
    fail(op, std::string("paddingMode='") + to_string(o.padding_mode) +
                 "' is not supported: only 'zeros' padding mode is supported for conv_transpose2d");
  Input4 in = check_conv_input(op, input, weight);
  ConvTranspose2dGeometry g;
  g.batched = in.batched;
  g.N = in.N; g.C = in.C; g.H = in.H; g.W = in.W;
  g.kh = weight[2];
  g.kw = weight[3];

  check_positive(op, "stride", o.stride);
  check_positive(op, "dilation", o.dilation);
  check_non_negative(op, "padding", o.padding);
  check_non_negative(op, "outputPadding", o.output_padding);
  check_not_huge(op, "stride", o.stride);
  check_not_huge(op, "dilation", o.dilation);
  check_not_huge(op, "padding", o.padding);
  check_not_huge(op, "outputPadding", o.output_padding);
  if (o.groups <= 0)
    fail(op, "groups=" + std::to_string(o.groups) + " must be positive");
  g.groups = o.groups;
  g.sh = o.stride.h; g.sw = o.stride.w;
  g.dh = o.dilation.h; g.dw = o.dilation.w;
  g.ph = o.padding.h; g.pw = o.padding.w;
  g.oph = o.output_padding.h; g.opw = o.output_padding.w;

  g.K = check_conv_transpose_channels(op, weight, g.C, g.groups,
                                      "conv_transpose2d weights are [in, out/groups, kH, kW]");
  if (g.kh == 0 || g.kw == 0)
    fail(op, "weight of shape " + format_shape(weight) + " has an empty kernel");
  g.has_bias = check_bias(op, bias, g.K);
  // output_padding resolves the floor of the forward formula, so it must stay below the
  // stride or the dilation, per dimension.
  if ((g.oph >= g.sh && g.oph >= g.dh) || (g.opw >= g.sw && g.opw >= g.dw))
    fail(op, "outputPadding=" + pair_str(o.output_padding) +
                 " must be smaller than either stride=" + pair_str(o.stride) +
                 " or dilation=" + pair_str(o.dilation) + " in each dimension");

  g.OH = (g.H - 1) * g.sh - 2 * g.ph + g.dh * (g.kh - 1) + g.oph + 1;
  g.OW = (g.W - 1) * g.sw - 2 * g.pw + g.dw * (g.kw - 1) + g.opw + 1;
  if (g.OH <= 0 || g.OW <= 0)
    fail(op, "output size " + pair_str(g.OH, g.OW) +
                 " = (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1 is not positive for input size " +
                 pair_str(g.H, g.W) + ", padding=" + pair_str(o.padding) + " is too large");
  check_output_limit(op, g.output_shape());
  return g;
}

namespace {
// Shared by unfold and fold (PyTorch's im2col_shape_check / col2im_shape_check).
void check_sliding(const char* op, Pair kernel, Pair dilation, Pair padding, Pair stride) {
  check_positive(op, "kernelSize", kernel);
  check_positive(op, "dilation", dilation);
  check_non_negative(op, "padding", padding);
  check_positive(op, "stride", stride);
  check_not_huge(op, "kernelSize", kernel);
  check_not_huge(op, "dilation", dilation);
  check_not_huge(op, "padding", padding);
  check_not_huge(op, "stride", stride);
}

void sliding_blocks(const char* op, UnfoldGeometry& g, const char* size_name) {
  g.OH = (g.H + 2 * g.ph - (g.dh * (g.kh - 1) + 1)) / g.sh + 1;
  g.OW = (g.W + 2 * g.pw - (g.dw * (g.kw - 1) + 1)) / g.sw + 1;
  if (g.H + 2 * g.ph < g.dh * (g.kh - 1) + 1 || g.W + 2 * g.pw < g.dw * (g.kw - 1) + 1 ||
      g.OH < 1 || g.OW < 1)
    fail(op, std::string("kernelSize=") + pair_str(g.kh, g.kw) + " with dilation=" +
                 pair_str(g.dh, g.dw) + ", padding=" + pair_str(g.ph, g.pw) + " and stride=" +
                 pair_str(g.sh, g.sw) + " on " + size_name + " " + pair_str(g.H, g.W) +
                 " gives a grid of sliding blocks of " + pair_str(g.OH, g.OW) +
                 ", but it must be at least (1, 1)");
}
}  // namespace

UnfoldGeometry plan_unfold(const Shape& input, const UnfoldOptions& o) {
  const char* op = "unfold";
  check_sliding(op, o.kernel_size, o.dilation, o.padding, o.stride);
  if (input.size() != 3 && input.size() != 4)
    fail(op, "input must be 3-D [C, H, W] or 4-D [N, C, H, W], but got input of shape " +
                 format_shape(input));
  checked_numel(op, "input", input);
  UnfoldGeometry g;
  g.batched = input.size() == 4;
  size_t b = g.batched ? 1 : 0;
  g.N = g.batched ? input[0] : 1;
  g.C = input[b]; g.H = input[b + 1]; g.W = input[b + 2];
  if (g.C == 0 || g.H == 0 || g.W == 0)
    fail(op, "input of shape " + format_shape(input) +
                 " has an empty channel or spatial dimension (only the batch may be 0)");
  g.kh = o.kernel_size.h; g.kw = o.kernel_size.w;
  g.dh = o.dilation.h; g.dw = o.dilation.w;
  g.ph = o.padding.h; g.pw = o.padding.w;
  g.sh = o.stride.h; g.sw = o.stride.w;
  sliding_blocks(op, g, "input size");
  check_output_limit(op, g.output_shape());
  return g;
}

FoldGeometry plan_fold(const Shape& input, const FoldOptions& o) {
  const char* op = "fold";
  check_sliding(op, o.kernel_size, o.dilation, o.padding, o.stride);
  check_positive(op, "outputSize", o.output_size);
  check_not_huge(op, "outputSize", o.output_size);
  if (input.size() != 2 && input.size() != 3)
    fail(op, "input must be 2-D [C*kH*kW, L] or 3-D [N, C*kH*kW, L], but got input of shape " +
                 format_shape(input));
  checked_numel(op, "input", input);
  FoldGeometry g;
  g.batched = input.size() == 3;
  size_t b = g.batched ? 1 : 0;
  g.N = g.batched ? input[0] : 1;
  int64_t rows = input[b], L = input[b + 1];
  if (rows == 0 || L == 0)
    fail(op, "input of shape " + format_shape(input) +
                 " has an empty dimension (only the batch may be 0)");
  g.kh = o.kernel_size.h; g.kw = o.kernel_size.w;
  g.dh = o.dilation.h; g.dw = o.dilation.w;
  g.ph = o.padding.h; g.pw = o.padding.w;
  g.sh = o.stride.h; g.sw = o.stride.w;
  g.H = o.output_size.h; g.W = o.output_size.w;
  if (rows % (g.kh * g.kw) != 0)
    fail(op, "input.shape[" + std::to_string(b) + "]=" + std::to_string(rows) +
                 " must be divisible by the product of kernelSize=" + pair_str(o.kernel_size) +
                 " (" + std::to_string(g.kh * g.kw) + ")");
  g.C = rows / (g.kh * g.kw);
  sliding_blocks(op, g, "outputSize");
  if (g.OH * g.OW != L)
    fail(op, "input.shape[" + std::to_string(b + 1) + "]=" + std::to_string(L) +
                 " must equal the number of sliding blocks " + std::to_string(g.OH) + " * " +
                 std::to_string(g.OW) + " = " + std::to_string(g.OH * g.OW) + " for outputSize=" +
                 pair_str(o.output_size) + ", kernelSize=" + pair_str(o.kernel_size) +
                 ", dilation=" + pair_str(o.dilation) + ", padding=" + pair_str(o.padding) +
                 ", stride=" + pair_str(o.stride));
  Shape out = g.batched ? Shape{g.N, g.C, g.H, g.W} : Shape{g.C, g.H, g.W};
  check_output_limit(op, out);
  return g;
}

PadGeometry plan_pad(const Shape& input, const PadOptions& o) {
  const char* op = "pad";
  if (input.size() < 2)
    fail(op, "input must have at least 2 dimensions (the last two are padded), but got input of shape " +
                 format_shape(input));
  checked_numel(op, "input", input);
  PadGeometry g;
  g.input_shape = input;
  g.planes = 1;
  for (size_t i = 0; i + 2 < input.size(); ++i) g.planes *= input[i];
  g.H = input[input.size() - 2];
  g.W = input[input.size() - 1];
  g.left = o.pad[0]; g.right = o.pad[1]; g.top = o.pad[2]; g.bottom = o.pad[3];
  g.mode = o.mode;
  g.value = o.value;
  for (int64_t p : o.pad)
    if (p > kMaxParam || p < -kMaxParam)
      fail(op, "pad=(" + std::to_string(o.pad[0]) + ", " + std::to_string(o.pad[1]) + ", " +
                   std::to_string(o.pad[2]) + ", " + std::to_string(o.pad[3]) +
                   ") has a size beyond the limit " + std::to_string(kMaxParam));
  std::string pads = "pad=(" + std::to_string(g.left) + ", " + std::to_string(g.right) + ", " +
                     std::to_string(g.top) + ", " + std::to_string(g.bottom) + ")";
  if (g.mode != PaddingMode::Zeros) {
    if (g.value != 0.0f)
      fail(op, "value=" + std::to_string(g.value) + " is only used by mode='constant', not mode='" +
                   std::string(to_string(g.mode)) + "'");
    if (g.left < 0 || g.right < 0 || g.top < 0 || g.bottom < 0)
      fail(op, pads + ": negative padding (cropping) is only supported in 'constant' mode");
    if (input.size() < 3 || input.size() > 4)
      fail(op, std::string("mode='") + to_string(g.mode) +
                   "' pads 3-D or 4-D input, but got input of shape " + format_shape(input));
    bool empty = g.H == 0 || g.W == 0;
    for (size_t i = 1; i + 2 < input.size(); ++i) empty = empty || input[i] == 0;
    if (empty)
      fail(op, std::string("mode='") + to_string(g.mode) +
                   "' needs non-empty dimensions (except the batch), but got input of shape " +
                   format_shape(input));
    if (g.mode == PaddingMode::Reflect &&
        (g.left >= g.W || g.right >= g.W || g.top >= g.H || g.bottom >= g.H))
      fail(op, pads + " with mode='reflect' must be smaller than the input size " +
                   pair_str(g.H, g.W) + " in each dimension");
    if (g.mode == PaddingMode::Circular &&
        (g.left > g.W || g.right > g.W || g.top > g.H || g.bottom > g.H))
      fail(op, pads + " with mode='circular' must be at most the input size " + pair_str(g.H, g.W) +
                   " (it may wrap around only once)");
  }
  g.OH = g.H + g.top + g.bottom;
  g.OW = g.W + g.left + g.right;
  if (g.OH < 0 || g.OW < 0)
    fail(op, pads + " on input size " + pair_str(g.H, g.W) + " gives a negative output size " +
                 pair_str(g.OH, g.OW));
  check_output_limit(op, g.output_shape());
  return g;
}

KernelMatrixGeometry plan_kernel_matrix(const Shape& kernel, Pair input_size,
                                        const KernelMatrixOptions& o) {
  const char* op = "kernel_matrix";
  if (kernel.size() != 2)
    fail(op, "kernel must be 2-D [kH, kW], but got kernel of shape " + format_shape(kernel));
  checked_numel(op, "kernel", kernel);
  check_positive(op, "inputSize", input_size);
  check_positive(op, "stride", o.stride);
  check_positive(op, "dilation", o.dilation);
  check_not_huge(op, "inputSize", input_size);
  check_not_huge(op, "stride", o.stride);
  check_not_huge(op, "dilation", o.dilation);
  if (o.padding.kind == Padding::Kind::Explicit) {
    check_non_negative(op, "padding", o.padding.size);
    check_not_huge(op, "padding", o.padding.size);
  }
  KernelMatrixGeometry g;
  g.kh = kernel[0]; g.kw = kernel[1];
  if (g.kh == 0 || g.kw == 0)
    fail(op, "kernel of shape " + format_shape(kernel) + " is empty");
  g.H = input_size.h; g.W = input_size.w;
  g.sh = o.stride.h; g.sw = o.stride.w;
  g.dh = o.dilation.h; g.dw = o.dilation.w;
  resolve_padding(op, o.padding, o.stride, g.kh, g.kw, g.dh, g.dw, g.pad_top, g.pad_bottom,
                  g.pad_left, g.pad_right);
  const int64_t hp = g.H + g.pad_top + g.pad_bottom, wp = g.W + g.pad_left + g.pad_right;
  int64_t ekh = g.dh * (g.kh - 1) + 1, ekw = g.dw * (g.kw - 1) + 1;
  if (ekh > hp || ekw > wp)
    fail(op, "kernel size " + pair_str(g.kh, g.kw) + " with dilation=" + pair_str(o.dilation) +
                 " spans " + pair_str(ekh, ekw) + ", larger than the padded input size " +
                 pair_str(hp, wp));
  g.OH = (hp - ekh) / g.sh + 1;
  g.OW = (wp - ekw) / g.sw + 1;
  // OH*OW*H*W can overflow int64 only for absurd sizes; check factor by factor.
  checked_numel(op, "the kernel matrix", Shape{g.OH * g.OW, g.H * g.W});
  return g;
}

ShapeCheck conv2d_output_shape(const Shape& input, const Shape& weight, const Shape* bias,
                               const Conv2dOptions& options) {
  ShapeCheck r;
  try {
    r.shape = plan_conv2d(input, weight, bias, options).output_shape();
    r.ok = true;
  } catch (const Error& e) {
    r.error = e.what();
  }
  return r;
}

ShapeCheck conv_transpose2d_output_shape(const Shape& input, const Shape& weight,
                                         const Shape* bias,
                                         const ConvTranspose2dOptions& options) {
  ShapeCheck r;
  try {
    r.shape = plan_conv_transpose2d(input, weight, bias, options).output_shape();
    r.ok = true;
  } catch (const Error& e) {
    r.error = e.what();
  }
  return r;
}


// --- conv1d, conv3d and their transposes ---------------------------------------------------
namespace {

// A per-dimension value as the message shows it: "3" for a 1-D op, "(1, 2, 3)" for 3-D.
std::string dims_str(int dims, const int64_t* v) {
  if (dims == 1) return std::to_string(v[2]);
  return "(" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ", " + std::to_string(v[2]) + ")";
}

struct NdOptions {
  int64_t s[3] = {1, 1, 1}, d[3] = {1, 1, 1}, p[3] = {0, 0, 0}, op[3] = {0, 0, 0};
  Padding::Kind kind = Padding::Kind::Explicit;
  int64_t groups = 1;
  PaddingMode mode = PaddingMode::Zeros;
};

void check_nd(const char* op, int dims, const char* name, const int64_t* v, int64_t lo) {
  for (int i = 3 - dims; i < 3; ++i) {
    if (v[i] < lo)
      fail(op, std::string(name) + "=" + dims_str(dims, v) +
                   (lo == 1 ? (dims == 1 ? " must be positive (>= 1)" : " must be positive (>= 1) in every dimension")
                            : " must not be negative"));
    if (v[i] > kMaxParam)
      fail(op, std::string(name) + "=" + dims_str(dims, v) + " is larger than the limit " +
                   std::to_string(kMaxParam));
  }
}

ConvNdGeometry plan_conv_nd(const char* op, int dims, bool transposed, const Shape& input,
                            const Shape& weight, const Shape* bias, const NdOptions& o) {
  const size_t rank = static_cast<size_t>(dims);
  const std::string in_names = dims == 1 ? "2-D [C, L] (unbatched) or 3-D [N, C, L] (batched)"
                                         : "4-D [C, D, H, W] (unbatched) or 5-D [N, C, D, H, W] (batched)";
  if (input.size() != rank + 1 && input.size() != rank + 2)
    fail(op, "input must be " + in_names + ", but got input of shape " + format_shape(input));
  if (weight.size() != rank + 2)
    fail(op, std::string("weight must be ") + (dims == 1 ? "3-D" : "5-D") +
                 (transposed ? " [in, out/groups, " : " [out, in/groups, ") +
                 (dims == 1 ? "k]" : "kD, kH, kW]") + ", but got weight of shape " + format_shape(weight));
  checked_numel(op, "input", input);
  checked_numel(op, "weight", weight);
  ConvNdGeometry g;
  g.dims = dims;
  g.transposed = transposed;
  g.batched = input.size() == rank + 2;
  const size_t b = g.batched ? 1 : 0;
  g.N = g.batched ? input[0] : 1;
  g.C = input[b];
  bool empty = g.C == 0 && g.N != 0;
  for (int i = 0; i < dims; ++i) {
    g.in[3 - dims + i] = input[b + 1 + static_cast<size_t>(i)];
    g.k[3 - dims + i] = weight[2 + static_cast<size_t>(i)];
    empty = empty || input[b + 1 + static_cast<size_t>(i)] == 0;
  }
  if (empty)
    fail(op, "input of shape " + format_shape(input) +
                 " has an empty channel or spatial dimension (only the batch may be 0)");
  check_nd(op, dims, "stride", o.s, 1);
  check_nd(op, dims, "dilation", o.d, 1);
  if (o.kind == Padding::Kind::Explicit) check_nd(op, dims, "padding", o.p, 0);
  if (transposed) check_nd(op, dims, "outputPadding", o.op, 0);
  if (o.groups <= 0) fail(op, "groups=" + std::to_string(o.groups) + " must be positive");
  g.groups = o.groups;
  g.mode = o.mode;
  for (int i = 0; i < 3; ++i) {
    g.s[i] = o.s[i];
    g.d[i] = o.d[i];
  }
  g.K = transposed ? check_conv_transpose_channels(op, weight, g.C, g.groups,
                                                  "transposed convolution weights are [in, out/groups, ...]")
                   : check_conv_channels(op, input, weight, g.C, g.groups);
  if (g.taps() == 0) fail(op, "weight of shape " + format_shape(weight) + " has an empty kernel");
  g.has_bias = check_bias(op, bias, g.K);

  if (transposed) {
    for (int i = 3 - dims; i < 3; ++i)
      if (o.op[i] >= o.s[i] && o.op[i] >= o.d[i])
        fail(op, "outputPadding=" + dims_str(dims, o.op) + " must be smaller than either stride=" +
                     dims_str(dims, o.s) + " or dilation=" + dims_str(dims, o.d) +
                     (dims == 1 ? "" : " in each dimension"));
    for (int i = 0; i < 3; ++i) {
      g.pad_lo[i] = g.pad_hi[i] = o.p[i];
      g.out_pad[i] = o.op[i];
      g.out[i] = (g.in[i] - 1) * g.s[i] - 2 * o.p[i] + g.d[i] * (g.k[i] - 1) + o.op[i] + 1;
    }
    for (int i = 3 - dims; i < 3; ++i)
      if (g.out[i] <= 0)
        fail(op, "output size " + dims_str(dims, g.out) +
                     " = (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1 is not positive for input size " +
                     dims_str(dims, g.in) + ", padding=" + dims_str(dims, o.p) + " is too large");
    check_output_limit(op, g.output_shape());
    return g;
  }

  for (int i = 0; i < 3; ++i) {
    switch (o.kind) {
      case Padding::Kind::Valid: break;
      case Padding::Kind::Explicit: g.pad_lo[i] = g.pad_hi[i] = o.p[i]; break;
      case Padding::Kind::Same: {
        if (o.s[0] != 1 || o.s[1] != 1 || o.s[2] != 1)
          fail(op, "padding='same' is not supported for strided convolutions (stride=" +
                       dims_str(dims, o.s) + " must be 1)");
        const int64_t total = g.d[i] * (g.k[i] - 1);
        g.pad_lo[i] = total / 2;
        g.pad_hi[i] = total - total / 2;
        break;
      }
    }
  }
  int64_t pmax[3];
  for (int i = 0; i < 3; ++i) pmax[i] = std::max(g.pad_lo[i], g.pad_hi[i]);
  for (int i = 3 - dims; i < 3; ++i) {
    if (g.mode == PaddingMode::Reflect && pmax[i] >= g.in[i])
      fail(op, "paddingMode='reflect' needs padding smaller than the input size, but padding=" +
                   dims_str(dims, pmax) + " and input size is " + dims_str(dims, g.in));
    if (g.mode == PaddingMode::Circular && pmax[i] > g.in[i])
      fail(op, "paddingMode='circular' needs padding at most the input size (it may wrap around only once), but padding=" +
                   dims_str(dims, pmax) + " and input size is " + dims_str(dims, g.in));
  }
  int64_t padded[3], ek[3];
  for (int i = 0; i < 3; ++i) {
    padded[i] = g.in[i] + g.pad_lo[i] + g.pad_hi[i];
    ek[i] = g.d[i] * (g.k[i] - 1) + 1;
  }
  for (int i = 3 - dims; i < 3; ++i)
    if (ek[i] > padded[i])
      fail(op, "the kernel of weight " + format_shape(weight) + " with dilation=" + dims_str(dims, o.d) +
                   " spans " + dims_str(dims, ek) + ", larger than the padded input size " +
                   dims_str(dims, padded) + ": the kernel can't be greater than the padded input");
  for (int i = 0; i < 3; ++i) g.out[i] = (padded[i] - ek[i]) / g.s[i] + 1;
  check_output_limit(op, g.output_shape());
  if (g.mode != PaddingMode::Zeros)
    checked_numel(op, "the padded input", Shape{g.N, g.C, padded[0], padded[1], padded[2]});
  return g;
}

NdOptions nd1(int64_t s, int64_t p, int64_t d, int64_t op, int64_t groups) {
  NdOptions r;
  r.s[2] = s; r.p[2] = p; r.d[2] = d; r.op[2] = op;
  r.groups = groups;
  return r;
}
NdOptions nd3(Triple s, Triple p, Triple d, Triple op, int64_t groups) {
  NdOptions r;
  const Triple* t[4] = {&s, &p, &d, &op};
  int64_t* dst[4] = {r.s, r.p, r.d, r.op};
  for (int j = 0; j < 4; ++j) {
    dst[j][0] = t[j]->d; dst[j][1] = t[j]->h; dst[j][2] = t[j]->w;
  }
  r.groups = groups;
  return r;
}

template <class F> ShapeCheck shape_check(F&& plan) {
  ShapeCheck r;
  try {
    r.shape = plan();
    r.ok = true;
  } catch (const Error& e) {
    r.error = e.what();
  }
  return r;
}

// A plan of the forward op, its messages re-labelled with the backward op's name.
template <class F> auto relabel(const char* from, const char* to, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    std::string m = e.what(), prefix = std::string(from) + ": ";
    if (m.compare(0, prefix.size(), prefix) == 0) m = std::string(to) + ": " + m.substr(prefix.size());
    throw Error(m);
  }
}

}  // namespace

Shape ConvNdGeometry::input_shape() const {
  Shape s = batched ? Shape{N, C} : Shape{C};
  for (int i = 3 - dims; i < 3; ++i) s.push_back(in[i]);
  return s;
}
Shape ConvNdGeometry::weight_shape() const {
  Shape s = transposed ? Shape{C, Kg()} : Shape{K, Cg()};
  for (int i = 3 - dims; i < 3; ++i) s.push_back(k[i]);
  return s;
}
Shape ConvNdGeometry::output_shape() const {
  Shape s = batched ? Shape{N, K} : Shape{K};
  for (int i = 3 - dims; i < 3; ++i) s.push_back(out[i]);
  return s;
}

ConvNdGeometry plan_conv1d(const Shape& input, const Shape& weight, const Shape* bias,
                           const Conv1dOptions& o) {
  NdOptions n = nd1(o.stride, o.padding.size, o.dilation, 0, o.groups);
  n.kind = o.padding.kind;
  n.mode = o.padding_mode;
  return plan_conv_nd("conv1d", 1, false, input, weight, bias, n);
}
ConvNdGeometry plan_conv3d(const Shape& input, const Shape& weight, const Shape* bias,
                           const Conv3dOptions& o) {
  NdOptions n = nd3(o.stride, o.padding.size, o.dilation, 0, o.groups);
  n.kind = o.padding.kind;
  n.mode = o.padding_mode;
  return plan_conv_nd("conv3d", 3, false, input, weight, bias, n);
}
ConvNdGeometry plan_conv_transpose1d(const Shape& input, const Shape& weight, const Shape* bias,
                                     const ConvTranspose1dOptions& o) {
  return plan_conv_nd("conv_transpose1d", 1, true, input, weight, bias,
                      nd1(o.stride, o.padding, o.dilation, o.output_padding, o.groups));
}
ConvNdGeometry plan_conv_transpose3d(const Shape& input, const Shape& weight, const Shape* bias,
                                     const ConvTranspose3dOptions& o) {
  return plan_conv_nd("conv_transpose3d", 3, true, input, weight, bias,
                      nd3(o.stride, o.padding, o.dilation, o.output_padding, o.groups));
}

Conv2dGeometry plan_conv2d_backward(const Shape& input, const Shape& weight,
                                    const Shape& grad_output, const Conv2dOptions& o) {
  const char* op = "conv2d_backward";
  Conv2dGeometry g = relabel("conv2d", op, [&] { return plan_conv2d(input, weight, nullptr, o); });
  g.has_bias = true;  // nn.Conv2d with a bias: gradBias is [out_channels]
  if (grad_output != g.output_shape())
    fail(op, "gradOutput of shape " + format_shape(grad_output) +
                 " must have the forward output's shape " + format_shape(g.output_shape()) +
                 " (input " + format_shape(input) + ", weight " + format_shape(weight) + ")");
  return g;
}

ConvTranspose2dGeometry plan_conv_transpose2d_backward(const Shape& input, const Shape& weight,
                                                       const Shape& grad_output,
                                                       const ConvTranspose2dOptions& o) {
  const char* op = "conv_transpose2d_backward";
  ConvTranspose2dGeometry g = relabel("conv_transpose2d", op,
                                      [&] { return plan_conv_transpose2d(input, weight, nullptr, o); });
  g.has_bias = true;
  if (grad_output != g.output_shape())
    fail(op, "gradOutput of shape " + format_shape(grad_output) +
                 " must have the forward output's shape " + format_shape(g.output_shape()) +
                 " (input " + format_shape(input) + ", weight " + format_shape(weight) + ")");
  return g;
}

// --- pooling ----------------------------------------------------------------------------------
namespace {

// PyTorch's pooling_output_shape: floor (or ceil) division, and in ceil mode the last window
// must start inside the input or the left padding.
int64_t pooled_size(int64_t in, int64_t k, int64_t p, int64_t s, int64_t d, bool ceil_mode) {
  const int64_t num = in + 2 * p - d * (k - 1) - 1 + (ceil_mode ? s - 1 : 0);
  int64_t q = num / s;
  if ((num % s != 0) && ((num < 0) != (s < 0))) --q;  // round toward negative infinity
  int64_t out = q + 1;
  if (ceil_mode && (out - 1) * s >= in + p) --out;
  return out;
}

Pool2dGeometry plan_pool2d(const char* op, const Shape& input, Pair kernel,
                           const std::optional<Pair>& stride_option, Pair padding, Pair dilation,
                           bool ceil_mode) {
  check_positive(op, "kernelSize", kernel);
  check_not_huge(op, "kernelSize", kernel);
  const Pair stride = stride_option ? *stride_option : kernel;  // PyTorch's default: the kernel
  check_positive(op, "stride", stride);
  check_not_huge(op, "stride", stride);
  check_non_negative(op, "padding", padding);
  check_not_huge(op, "padding", padding);
  check_positive(op, "dilation", dilation);
  check_not_huge(op, "dilation", dilation);
  if (padding.h > kernel.h / 2 || padding.w > kernel.w / 2)
    fail(op, "padding=" + pair_str(padding) + " must be at most half of kernelSize=" +
                 pair_str(kernel) + " in each dimension");
  if (input.size() != 3 && input.size() != 4)
    fail(op, "input must be 3-D [C, H, W] (unbatched) or 4-D [N, C, H, W] (batched), but got input of shape " +
                 format_shape(input));
  checked_numel(op, "input", input);
  Pool2dGeometry g;
  g.batched = input.size() == 4;
  const size_t b = g.batched ? 1 : 0;
  g.N = g.batched ? input[0] : 1;
  g.C = input[b]; g.H = input[b + 1]; g.W = input[b + 2];
  if (g.C == 0 || g.H == 0 || g.W == 0)
    fail(op, "input of shape " + format_shape(input) +
                 " has an empty channel or spatial dimension (only the batch may be 0)");
  g.kh = kernel.h; g.kw = kernel.w;
  g.sh = stride.h; g.sw = stride.w;
  g.ph = padding.h; g.pw = padding.w;
  g.dh = dilation.h; g.dw = dilation.w;
  g.ceil_mode = ceil_mode;
  g.OH = pooled_size(g.H, g.kh, g.ph, g.sh, g.dh, ceil_mode);
  g.OW = pooled_size(g.W, g.kw, g.pw, g.sw, g.dw, ceil_mode);
  if (g.OH < 1 || g.OW < 1)
    fail(op, "kernelSize=" + pair_str(kernel) + " with stride=" + pair_str(stride) + ", padding=" +
                 pair_str(padding) + ", dilation=" + pair_str(dilation) + " and ceilMode=" +
                 (ceil_mode ? "true" : "false") + " on input size " + pair_str(g.H, g.W) +
                 " gives an output of " + pair_str(g.OH, g.OW) + ", but it must be at least (1, 1)");
  check_output_limit(op, g.output_shape());
  return g;
}

}  // namespace

Pool2dGeometry plan_max_pool2d(const Shape& input, const MaxPool2dOptions& o) {
  return plan_pool2d("max_pool2d", input, o.kernel_size, o.stride, o.padding, o.dilation, o.ceil_mode);
}

Pool2dGeometry plan_avg_pool2d(const Shape& input, const AvgPool2dOptions& o) {
  const char* op = "avg_pool2d";
  if (o.divisor_override && *o.divisor_override == 0)
    fail(op, "divisorOverride=0 must not be zero");
  if (o.divisor_override && (*o.divisor_override > kMaxParam || *o.divisor_override < -kMaxParam))
    fail(op, "divisorOverride=" + std::to_string(*o.divisor_override) + " is beyond the limit " +
                 std::to_string(kMaxParam));
  Pool2dGeometry g = plan_pool2d(op, input, o.kernel_size, o.stride, o.padding, Pair(1, 1), o.ceil_mode);
  g.count_include_pad = o.count_include_pad;
  g.divisor_override = o.divisor_override.value_or(0);
  return g;
}

ShapeCheck conv1d_output_shape(const Shape& input, const Shape& weight, const Shape* bias,
                               const Conv1dOptions& o) {
  return shape_check([&] { return plan_conv1d(input, weight, bias, o).output_shape(); });
}
ShapeCheck conv3d_output_shape(const Shape& input, const Shape& weight, const Shape* bias,
                               const Conv3dOptions& o) {
  return shape_check([&] { return plan_conv3d(input, weight, bias, o).output_shape(); });
}
ShapeCheck conv_transpose1d_output_shape(const Shape& input, const Shape& weight,
                                         const Shape* bias, const ConvTranspose1dOptions& o) {
  return shape_check([&] { return plan_conv_transpose1d(input, weight, bias, o).output_shape(); });
}
ShapeCheck conv_transpose3d_output_shape(const Shape& input, const Shape& weight,
                                         const Shape* bias, const ConvTranspose3dOptions& o) {
  return shape_check([&] { return plan_conv_transpose3d(input, weight, bias, o).output_shape(); });
}
ShapeCheck max_pool2d_output_shape(const Shape& input, const MaxPool2dOptions& o) {
  return shape_check([&] { return plan_max_pool2d(input, o).output_shape(); });
}
ShapeCheck avg_pool2d_output_shape(const Shape& input, const AvgPool2dOptions& o) {
  return shape_check([&] { return plan_avg_pool2d(input, o).output_shape(); });
}

}  // namespace convplay
