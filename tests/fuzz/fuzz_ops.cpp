// libFuzzer harness over the core: random parameters and shapes (valid or not) into the
// validation and every operation; whenever a call is accepted, the optimized kernel must
// match the reference. Built with AddressSanitizer and UndefinedBehaviorSanitizer
// (CMake option CONVPLAY_FUZZ, see scripts/fuzz.sh).
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "convplay/kernels.hpp"

using namespace convplay;

namespace {

// Work cap per input (every tensor and every loop nest), so the fuzzer explores shapes
// instead of burning time on big ones; the core itself accepts them.
constexpr int64_t kMaxWork = 100000;

int64_t dim(FuzzedDataProvider& in, int64_t lo, int64_t hi) {
  // Mostly small; sometimes a hostile value (negative, zero, huge) to probe validation.
  switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0: return -in.ConsumeIntegralInRange<int64_t>(0, 3);
    case 1: return in.ConsumeIntegralInRange<int64_t>(int64_t{1} << 20, int64_t{1} << 40);
    default: return in.ConsumeIntegralInRange<int64_t>(lo, hi);
  }
}

Pair pair(FuzzedDataProvider& in, int64_t lo, int64_t hi) { return Pair(dim(in, lo, hi), dim(in, lo, hi)); }

std::vector<float> values(FuzzedDataProvider& in, int64_t n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) {
    const int kind = in.ConsumeIntegralInRange<int>(0, 40);
    if (kind == 0) x = std::numeric_limits<float>::infinity();
    else if (kind == 1) x = std::numeric_limits<float>::quiet_NaN();
    // Large but moderate: with huge finite values (1e30 beside 1.5) a sum cancels or
    // overflows depending on the summation order, which no two implementations (PyTorch's
    // included) share; the fuzzer found exactly that, twice.
    else if (kind == 2) x = -4096.0f;
    else if (kind == 3) x = 4096.0f;
    else x = static_cast<float>(in.ConsumeIntegralInRange<int>(-64, 64)) / 16.0f;
  }
  return v;
}

// Equal up to float rounding: `scale` is the sum of the absolute values of the terms
// summed into this output (the reference run on |x|, |w|, |b|), which bounds the error of
// any summation order; NaN and Inf must match exactly.
bool same(float a, float b, float scale) {
  if (std::isnan(b)) return std::isnan(a);
  if (std::isinf(b)) return a == b;
  if (!std::isfinite(scale)) return std::isfinite(a);  // overflow in |terms| only
  return std::fabs(a - b) <= 1e-4f + 1e-4f * scale;
}

std::vector<float> absolute(std::vector<float> v) {
  for (auto& x : v) x = std::fabs(x);
  return v;
}

std::string g_context;  // the call being checked, printed with a mismatch

void compare(const char* op, const std::vector<float>& got, const std::vector<float>& want,
             const std::vector<float>& scale) {
  for (size_t i = 0; i < want.size(); ++i)
    if (!same(got[i], want[i], scale.empty() ? 0.0f : scale[i])) {
      std::fprintf(stderr, "%s: optimized %g != reference %g at %zu; %s\n", op, got[i], want[i], i,
                   g_context.c_str());
      std::abort();
    }
}

int64_t numel(const Shape& s) {
  int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

Shape shape(FuzzedDataProvider& in, size_t rank, int64_t hi) {
  Shape s;
  for (size_t i = 0; i < rank; ++i) s.push_back(dim(in, 0, hi));
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const int op = in.ConsumeIntegralInRange<int>(0, 8);
  try {
    if (op == 0) {  // conv2d
      const size_t rank = in.ConsumeIntegralInRange<size_t>(2, 5);
      Shape xs = shape(in, rank, 9), ws = shape(in, in.ConsumeIntegralInRange<size_t>(3, 5), 5), bs{dim(in, 0, 9)};
      Conv2dOptions o;
      o.stride = pair(in, 1, 3);
      o.dilation = pair(in, 1, 3);
      o.groups = dim(in, 1, 4);
      const int pk = in.ConsumeIntegralInRange<int>(0, 5);
      o.padding = pk == 0 ? Padding::same() : pk == 1 ? Padding::valid() : Padding(pair(in, 0, 3));
      o.padding_mode = static_cast<PaddingMode>(in.ConsumeIntegralInRange<int>(0, 3));
      const bool has_bias = in.ConsumeBool();
      auto g = plan_conv2d(xs, ws, has_bias ? &bs : nullptr, o);
      // The reference pads a copy of the input: bound that too (huge padding with a huge
      // stride is a valid, small convolution of a huge padded input).
      const int64_t padded = g.N * g.C * (g.H + g.pad_top + g.pad_bottom) * (g.W + g.pad_left + g.pad_right);
      if (g.output_size() * g.Cg() * g.kh * g.kw > kMaxWork || numel(xs) > kMaxWork || padded > kMaxWork ||
          numel(ws) > kMaxWork)
        return 0;
      auto x = values(in, numel(xs)), w = values(in, numel(ws)), b = values(in, g.K);
      std::vector<float> got(g.output_size()), want(g.output_size());
      conv2d(g, x.data(), w.data(), has_bias ? b.data() : nullptr, got.data());
      reference::conv2d(g, x.data(), w.data(), has_bias ? b.data() : nullptr, want.data());
      std::vector<float> scale(g.output_size());
      auto ax = absolute(x), aw = absolute(w), ab = absolute(b);
      reference::conv2d(g, ax.data(), aw.data(), has_bias ? ab.data() : nullptr, scale.data());
      compare("conv2d", got, want, scale);
    } else if (op == 1) {  // conv_transpose2d
      const size_t rank = in.ConsumeIntegralInRange<size_t>(2, 5);
      Shape xs = shape(in, rank, 7), ws = shape(in, in.ConsumeIntegralInRange<size_t>(3, 5), 5), bs{dim(in, 0, 9)};
      ConvTranspose2dOptions o;
      o.stride = pair(in, 1, 4);
      o.dilation = pair(in, 1, 3);
      o.padding = pair(in, 0, 3);
      o.output_padding = pair(in, 0, 3);
      o.groups = dim(in, 1, 4);
      if (in.ConsumeIntegralInRange<int>(0, 20) == 0) o.padding_mode = PaddingMode::Reflect;
      const bool has_bias = in.ConsumeBool();
      auto g = plan_conv_transpose2d(xs, ws, has_bias ? &bs : nullptr, o);
      g_context = "x=" + format_shape(xs) + " w=" + format_shape(ws) + " stride=" + std::to_string(g.sh) + "," +
                  std::to_string(g.sw) + " pad=" + std::to_string(g.ph) + "," + std::to_string(g.pw) +
                  " op=" + std::to_string(g.oph) + "," + std::to_string(g.opw) + " dil=" + std::to_string(g.dh) +
                  "," + std::to_string(g.dw) + " groups=" + std::to_string(g.groups);
      if (numel(xs) * g.Kg() * g.kh * g.kw > kMaxWork || g.output_size() > kMaxWork || numel(ws) > kMaxWork) return 0;
      auto x = values(in, numel(xs)), w = values(in, numel(ws)), b = values(in, g.K);
      static const char* const kPathNames[] = {"empty", "phases", "col2im", "scatter"};
      g_context += std::string(" path=") + kPathNames[static_cast<int>(choose_conv_transpose2d_path(g, w.data()))] +
                   " bias=" + (has_bias ? "yes" : "no");
      std::vector<float> got(g.output_size()), want(g.output_size());
      conv_transpose2d(g, x.data(), w.data(), has_bias ? b.data() : nullptr, got.data());
      reference::conv_transpose2d(g, x.data(), w.data(), has_bias ? b.data() : nullptr, want.data());
      std::vector<float> scale(g.output_size());
      auto ax = absolute(x), aw = absolute(w), ab = absolute(b);
      reference::conv_transpose2d(g, ax.data(), aw.data(), has_bias ? ab.data() : nullptr, scale.data());
      compare("conv_transpose2d", got, want, scale);
    } else if (op == 2 || op == 3) {  // unfold, fold
      UnfoldOptions u;
      u.kernel_size = pair(in, 1, 4);
      u.dilation = pair(in, 1, 3);
      u.padding = pair(in, 0, 3);
      u.stride = pair(in, 1, 3);
      if (op == 2) {
        Shape xs = shape(in, in.ConsumeIntegralInRange<size_t>(2, 5), 9);
        auto g = plan_unfold(xs, u);
        if (g.output_size() > kMaxWork || numel(xs) > kMaxWork) return 0;
        auto x = values(in, numel(xs));
        std::vector<float> got(g.output_size()), want(g.output_size());
        unfold(g, x.data(), got.data());
        reference::unfold(g, x.data(), want.data());
        compare("unfold", got, want, {});
      } else {
        FoldOptions f;
        f.output_size = pair(in, 1, 12);
        f.kernel_size = u.kernel_size;
        f.dilation = u.dilation;
        f.padding = u.padding;
        f.stride = u.stride;
        Shape xs = shape(in, in.ConsumeIntegralInRange<size_t>(1, 4), 40);
        auto g = plan_fold(xs, f);
        const int64_t n = g.N * g.C * g.H * g.W;
        if (n > kMaxWork || numel(xs) > kMaxWork) return 0;
        auto x = values(in, numel(xs));
        std::vector<float> got(n), want(n);
        fold(g, x.data(), got.data());
        reference::fold(g, x.data(), want.data());
        std::vector<float> scale(n);
        auto ax = absolute(x);
        reference::fold(g, ax.data(), scale.data());
        compare("fold", got, want, scale);
      }
    } else if (op == 4) {  // pad
      Shape xs = shape(in, in.ConsumeIntegralInRange<size_t>(1, 5), 8);
      PadOptions p;
      for (auto& v : p.pad) v = in.ConsumeIntegralInRange<int64_t>(-4, 6);
      p.mode = static_cast<PaddingMode>(in.ConsumeIntegralInRange<int>(0, 3));
      p.value = in.ConsumeBool() ? 0.0f : 1.5f;
      auto g = plan_pad(xs, p);
      if (g.output_size() > kMaxWork || numel(xs) > kMaxWork) return 0;
      auto x = values(in, numel(xs));
      std::vector<float> got(g.output_size()), want(g.output_size());
      pad(g, x.data(), got.data());
      reference::pad(g, x.data(), want.data());
      compare("pad", got, want, {});
    } else if (op == 6) {  // conv1d, conv_transpose1d, conv3d, conv_transpose3d
      const int sub = in.ConsumeIntegralInRange<int>(0, 3);
      const bool three = sub >= 2, transposed = sub % 2 == 1;
      const size_t rank = in.ConsumeIntegralInRange<size_t>(three ? 3 : 1, three ? 6 : 4);
      Shape xs = shape(in, rank, 7), ws = shape(in, in.ConsumeIntegralInRange<size_t>(2, 6), 4), bs{dim(in, 0, 6)};
      const bool has_bias = in.ConsumeBool();
      auto tri = [&](int64_t lo, int64_t hi) { return Triple(dim(in, lo, hi), dim(in, lo, hi), dim(in, lo, hi)); };
      const int pk = in.ConsumeIntegralInRange<int>(0, 4);
      const int64_t groups = dim(in, 1, 3);
      const PaddingMode mode = static_cast<PaddingMode>(in.ConsumeIntegralInRange<int>(0, 3));
      ConvNdGeometry g;
      if (sub == 0) {
        Conv1dOptions o;
        o.stride = dim(in, 1, 3);
        o.dilation = dim(in, 1, 3);
        o.padding = pk == 0 ? Padding1::same() : pk == 1 ? Padding1::valid() : Padding1(dim(in, 0, 3));
        o.groups = groups;
        o.padding_mode = mode;
        g = plan_conv1d(xs, ws, has_bias ? &bs : nullptr, o);
      } else if (sub == 1) {
        ConvTranspose1dOptions o;
        o.stride = dim(in, 1, 3);
        o.dilation = dim(in, 1, 3);
        o.padding = dim(in, 0, 3);
        o.output_padding = dim(in, 0, 2);
        o.groups = groups;
        g = plan_conv_transpose1d(xs, ws, has_bias ? &bs : nullptr, o);
      } else if (sub == 2) {
        Conv3dOptions o;
        o.stride = tri(1, 2);
        o.dilation = tri(1, 2);
        o.padding = pk == 0 ? Padding3::same() : pk == 1 ? Padding3::valid() : Padding3(tri(0, 2));
        o.groups = groups;
        o.padding_mode = mode;
        g = plan_conv3d(xs, ws, has_bias ? &bs : nullptr, o);
      } else {
        ConvTranspose3dOptions o;
        o.stride = tri(1, 3);
        o.dilation = tri(1, 2);
        o.padding = tri(0, 2);
        o.output_padding = tri(0, 1);
        o.groups = groups;
        g = plan_conv_transpose3d(xs, ws, has_bias ? &bs : nullptr, o);
      }
      const int64_t nx = numel(g.input_shape()), nw = numel(g.weight_shape());
      const int64_t work = transposed ? nx * g.Kg() * g.taps() : g.output_size() * g.Cg() * g.taps();
      int64_t padded = g.N * g.C;
      for (int i = 0; i < 3; ++i) padded *= g.in[i] + g.pad_lo[i] + g.pad_hi[i];
      if (g.output_size() > kMaxWork || nx > kMaxWork || nw > kMaxWork || work > kMaxWork || padded > kMaxWork ||
          g.N * g.C > kMaxWork)
        return 0;
      auto x = values(in, nx), w = values(in, nw), b = values(in, g.K);
      const float* bp = has_bias ? b.data() : nullptr;
      g_context = "conv_nd " + std::to_string(sub) + " " + format_shape(g.input_shape()) + " w " + format_shape(g.weight_shape());
      std::vector<float> got(g.output_size()), want(g.output_size()), scale(g.output_size());
      auto ax = absolute(x), aw = absolute(w), ab = absolute(b);
      if (transposed) {
        conv_transpose_nd(g, x.data(), w.data(), bp, got.data());
        reference::conv_transpose_nd(g, x.data(), w.data(), bp, want.data());
        reference::conv_transpose_nd(g, ax.data(), aw.data(), has_bias ? ab.data() : nullptr, scale.data());
      } else {
        conv_nd(g, x.data(), w.data(), bp, got.data());
        reference::conv_nd(g, x.data(), w.data(), bp, want.data());
        reference::conv_nd(g, ax.data(), aw.data(), has_bias ? ab.data() : nullptr, scale.data());
      }
      compare("conv_nd", got, want, scale);
    } else if (op == 7) {  // conv2d_backward, conv_transpose2d_backward
      const bool transposed = in.ConsumeBool();
      const size_t rank = in.ConsumeIntegralInRange<size_t>(2, 5);
      Shape xs = shape(in, rank, 8), ws = shape(in, in.ConsumeIntegralInRange<size_t>(3, 5), 4);
      std::vector<float> gx, gw, gb, rx, rw, rb, sx, sw, sb;
      Shape gys;
      if (!transposed) {
        Conv2dOptions o;
        o.stride = pair(in, 1, 3);
        o.dilation = pair(in, 1, 2);
        const int pk = in.ConsumeIntegralInRange<int>(0, 4);
        o.padding = pk == 0 ? Padding::same() : pk == 1 ? Padding::valid() : Padding(pair(in, 0, 2));
        o.groups = dim(in, 1, 3);
        o.padding_mode = static_cast<PaddingMode>(in.ConsumeIntegralInRange<int>(0, 3));
        gys = plan_conv2d(xs, ws, nullptr, o).output_shape();
        if (in.ConsumeIntegralInRange<int>(0, 15) == 0) gys = shape(in, gys.size(), 6);  // probe the gradOutput rule
        auto g = plan_conv2d_backward(xs, ws, gys, o);
        const int64_t HP = g.H + g.pad_top + g.pad_bottom, WP = g.W + g.pad_left + g.pad_right;
        if (numel(xs) > kMaxWork || numel(ws) > kMaxWork || g.output_size() * g.Cg() * g.kh * g.kw > kMaxWork ||
            g.N * g.C * HP * WP > kMaxWork)
          return 0;
        auto x = values(in, numel(xs)), w = values(in, numel(ws)), gy = values(in, numel(gys));
        gx.resize(x.size()); gw.resize(w.size()); gb.resize(g.K);
        rx = gx; rw = gw; rb = gb;
        g_context = "conv2d_backward " + format_shape(xs) + " w " + format_shape(ws);
        conv2d_backward(g, x.data(), w.data(), gy.data(), gx.data(), gw.data(), gb.data());
        reference::conv2d_backward(g, x.data(), w.data(), gy.data(), rx.data(), rw.data(), rb.data());
        sx = gx; sw = gw; sb = gb;
        auto ax = absolute(x), aw = absolute(w), agy = absolute(gy);
        reference::conv2d_backward(g, ax.data(), aw.data(), agy.data(), sx.data(), sw.data(), sb.data());
      } else {
        ConvTranspose2dOptions o;
        o.stride = pair(in, 1, 3);
        o.dilation = pair(in, 1, 2);
        o.padding = pair(in, 0, 2);
        o.output_padding = pair(in, 0, 2);
        o.groups = dim(in, 1, 3);
        gys = plan_conv_transpose2d(xs, ws, nullptr, o).output_shape();
        auto g = plan_conv_transpose2d_backward(xs, ws, gys, o);
        if (numel(xs) > kMaxWork || numel(ws) > kMaxWork || numel(gys) > kMaxWork ||
            numel(xs) * g.Kg() * g.kh * g.kw > kMaxWork ||
            g.N * g.K * (g.OH + 2 * g.ph) * (g.OW + 2 * g.pw) > kMaxWork)
          return 0;
        auto x = values(in, numel(xs)), w = values(in, numel(ws)), gy = values(in, numel(gys));
        gx.resize(x.size()); gw.resize(w.size()); gb.resize(g.K);
        rx = gx; rw = gw; rb = gb;
        g_context = "conv_transpose2d_backward " + format_shape(xs) + " w " + format_shape(ws);
        conv_transpose2d_backward(g, x.data(), w.data(), gy.data(), gx.data(), gw.data(), gb.data());
        reference::conv_transpose2d_backward(g, x.data(), w.data(), gy.data(), rx.data(), rw.data(), rb.data());
        sx = gx; sw = gw; sb = gb;
        auto ax = absolute(x), aw = absolute(w), agy = absolute(gy);
        reference::conv_transpose2d_backward(g, ax.data(), aw.data(), agy.data(), sx.data(), sw.data(), sb.data());
      }
      // summation orders differ (GEMM blocks, ghost folding): scaled by the sums of |terms|
      compare("backward gradInput", gx, rx, sx);
      compare("backward gradWeight", gw, rw, sw);
      compare("backward gradBias", gb, rb, sb);
    } else if (op == 8) {  // max_pool2d, avg_pool2d
      const bool is_max = in.ConsumeBool();
      Shape xs = shape(in, in.ConsumeIntegralInRange<size_t>(2, 5), 9);
      const Pair k = pair(in, 1, 4);
      std::optional<Pair> s;
      if (in.ConsumeBool()) s = pair(in, 1, 3);
      const Pair p = pair(in, 0, 2);
      Pool2dGeometry g;
      if (is_max) {
        MaxPool2dOptions o;
        o.kernel_size = k; o.stride = s; o.padding = p; o.dilation = pair(in, 1, 3);
        o.ceil_mode = in.ConsumeBool();
        g = plan_max_pool2d(xs, o);
      } else {
        AvgPool2dOptions o;
        o.kernel_size = k; o.stride = s; o.padding = p;
        o.ceil_mode = in.ConsumeBool();
        o.count_include_pad = in.ConsumeBool();
        if (in.ConsumeBool()) o.divisor_override = dim(in, -3, 5);
        g = plan_avg_pool2d(xs, o);
      }
      if (numel(xs) > kMaxWork || g.output_size() * g.kh * g.kw > kMaxWork || g.N * g.C > kMaxWork) return 0;
      auto x = values(in, numel(xs));
      g_context = std::string(is_max ? "max_pool2d " : "avg_pool2d ") + format_shape(xs);
      std::vector<float> got(g.output_size()), want(g.output_size());
      if (is_max) {
        std::vector<int32_t> gi(g.output_size()), ri(g.output_size());
        max_pool2d(g, x.data(), got.data(), gi.data());
        reference::max_pool2d(g, x.data(), want.data(), ri.data());
        if (gi != ri) {
          std::fprintf(stderr, "max_pool2d: indices differ; %s\n", g_context.c_str());
          std::abort();
        }
        compare("max_pool2d", got, want, {});
      } else {
        avg_pool2d(g, x.data(), got.data());
        reference::avg_pool2d(g, x.data(), want.data());
        compare("avg_pool2d", got, want, {});
      }
    } else {  // kernel_matrix
      Shape ks = shape(in, in.ConsumeIntegralInRange<size_t>(1, 3), 4);
      KernelMatrixOptions o;
      o.stride = pair(in, 1, 3);
      const int pk = in.ConsumeIntegralInRange<int>(0, 4);  // conv2d's padding kinds
      o.padding = pk == 0 ? Padding::same() : pk == 1 ? Padding::valid() : Padding(pair(in, 0, 2));
      o.dilation = pair(in, 1, 2);
      auto g = plan_kernel_matrix(ks, pair(in, 1, 10), o);
      // The loops visit every tap of every output position (a 2^25-tall kernel with matching
      // padding is valid and small in output: found as a timeout).
      if (g.output_size() > kMaxWork || g.OH * g.OW * g.kh * g.kw > kMaxWork || numel(ks) > kMaxWork) return 0;
      auto k = values(in, numel(ks));
      std::vector<float> got(g.output_size()), want(g.output_size());
      kernel_matrix(g, k.data(), got.data());
      reference::kernel_matrix(g, k.data(), want.data());
      compare("kernel_matrix", got, want, {});
    }
  } catch (const Error&) {
    // rejected with a message: the expected outcome for most hostile inputs
  }
  return 0;
}
