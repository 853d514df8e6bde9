// Issue 19's optimized operators against the reference kernels on thousands of random
// configurations (this suite runs with the SSE2 kernels and with the scalar fallback):
// conv1d / conv_transpose1d (the 2-D operators with H = 1), conv3d (depth slices as
// channels of conv2d), conv_transpose3d (stride phases over conv_transpose2d), the backward
// passes (conv_transpose2d + ghost-cell folding, the gradWeight GEMM) and pooling. The
// backward configurations also check gradInput == conv_transpose2d(gradOutput, w) with the
// output_padding that restores the shape, wherever the padding is zeros on both sides.
#include "convplay/kernels.hpp"
#include "helpers.hpp"

using namespace convplay;
using testing::Rng;

namespace {

PaddingMode random_mode(Rng& rng) {
  const int64_t m = rng.uniform(0, 5);
  return m <= 2 ? PaddingMode::Zeros : static_cast<PaddingMode>(m - 2);
}

// A value set with a few exact zeros, so sums of mixed signs are exercised.
std::vector<float> values(Rng& rng, int64_t n) {
  auto v = rng.values(n);
  for (auto& e : v)
    if (rng.chance(0.05)) e = 0.0f;
  return v;
}

void compare(const char* what, const std::vector<float>& got, const std::vector<float>& want,
             const std::string& config) {
  INFO(what, " ", config);
  REQUIRE(got.size() == want.size());
  CHECK_ALL_CLOSE(got.data(), want.data(), static_cast<int64_t>(want.size()), what);
}

std::string describe(const ConvNdGeometry& g) {
  std::string s = format_shape(g.input_shape()) + " w " + format_shape(g.weight_shape()) + " s";
  for (int i = 0; i < 3; ++i) s += " " + std::to_string(g.s[i]);
  s += " d";
  for (int i = 0; i < 3; ++i) s += " " + std::to_string(g.d[i]);
  s += " p";
  for (int i = 0; i < 3; ++i) s += " " + std::to_string(g.pad_lo[i]) + "/" + std::to_string(g.pad_hi[i]);
  return s + " g " + std::to_string(g.groups) + " mode " + to_string(g.mode);
}

void run_conv_nd(Rng& rng, const ConvNdGeometry& g) {
  auto x = values(rng, testing::numel(g.input_shape()));
  auto w = values(rng, testing::numel(g.weight_shape()));
  auto b = values(rng, g.K);
  const float* bp = g.has_bias ? b.data() : nullptr;
  std::vector<float> got(g.output_size(), -7.0f), want(g.output_size(), -7.0f);
  if (g.transposed) {
    conv_transpose_nd(g, x.data(), w.data(), bp, got.data());
    reference::conv_transpose_nd(g, x.data(), w.data(), bp, want.data());
  } else {
    conv_nd(g, x.data(), w.data(), bp, got.data());
    reference::conv_nd(g, x.data(), w.data(), bp, want.data());
  }
  compare(g.transposed ? "conv_transpose_nd" : "conv_nd", got, want, describe(g));
}

}  // namespace

TEST_CASE("random: conv1d and conv_transpose1d, optimized == reference") {
  Rng rng(1901);
  int conv = 0, convt = 0;
  for (int it = 0; it < 2500; ++it) {
    const int64_t groups = rng.chance(0.3) ? rng.uniform(2, 3) : 1;
    const int64_t C = groups * rng.uniform(1, 4), K = groups * rng.uniform(1, 4);
    const int64_t k = rng.uniform(1, 5), L = rng.uniform(1, 24), N = rng.uniform(0, 2) == 0 ? 1 : rng.uniform(1, 2);
    const bool batched = rng.chance(0.8), bias = rng.chance(0.7);
    Shape b{K};
    try {
      if (it % 2 == 0) {
        Conv1dOptions o;
        o.stride = rng.uniform(1, 3);
        o.dilation = rng.uniform(1, 3);
        o.groups = groups;
        o.padding_mode = random_mode(rng);
        const int64_t pk = rng.uniform(0, 5);
        o.padding = pk == 0 ? Padding1::same() : pk == 1 ? Padding1::valid() : Padding1(rng.uniform(0, 3));
        if (pk == 0 && rng.chance(0.8)) o.stride = 1;
        Shape xs = batched ? Shape{N, C, L} : Shape{C, L};
        run_conv_nd(rng, plan_conv1d(xs, {K, C / groups, k}, bias ? &b : nullptr, o));
        ++conv;
      } else {
        ConvTranspose1dOptions o;
        o.stride = rng.uniform(1, 4);
        o.dilation = rng.uniform(1, 3);
        o.padding = rng.uniform(0, 3);
        o.output_padding = rng.uniform(0, 2);
        o.groups = groups;
        Shape xs = batched ? Shape{N, C, L} : Shape{C, L};
        run_conv_nd(rng, plan_conv_transpose1d(xs, {C, K / groups, k}, bias ? &b : nullptr, o));
        ++convt;
      }
    } catch (const Error&) {
      // an invalid draw (kernel over the padded input, output_padding >= stride, ...)
    }
  }
  MESSAGE("random conv1d: ", conv, ", conv_transpose1d: ", convt, " configurations");
  CHECK(conv > 700);
  CHECK(convt > 500);
}

TEST_CASE("random: conv3d and conv_transpose3d, optimized == reference") {
  Rng rng(1903);
  int conv = 0, convt = 0;
  for (int it = 0; it < 1600; ++it) {
    const int64_t groups = rng.chance(0.25) ? 2 : 1;
    const int64_t C = groups * rng.uniform(1, 3), K = groups * rng.uniform(1, 3);
    const Triple k(rng.uniform(1, 3), rng.uniform(1, 3), rng.uniform(1, 3));
    const Shape sp{rng.uniform(1, 6), rng.uniform(1, 6), rng.uniform(1, 7)};
    const bool batched = rng.chance(0.8), bias = rng.chance(0.7);
    const int64_t N = rng.uniform(1, 2);
    Shape xs = batched ? Shape{N, C, sp[0], sp[1], sp[2]} : Shape{C, sp[0], sp[1], sp[2]};
    Shape b{K};
    auto tri = [&](int64_t lo, int64_t hi) { return Triple(rng.uniform(lo, hi), rng.uniform(lo, hi), rng.uniform(lo, hi)); };
    try {
      if (it % 2 == 0) {
        Conv3dOptions o;
        o.stride = tri(1, 2);
        o.dilation = tri(1, 2);
        o.groups = groups;
        o.padding_mode = random_mode(rng);
        const int64_t pk = rng.uniform(0, 5);
        o.padding = pk == 0 ? Padding3::same() : pk == 1 ? Padding3::valid() : Padding3(tri(0, 2));
        if (pk == 0 && rng.chance(0.8)) o.stride = 1;
        run_conv_nd(rng, plan_conv3d(xs, {K, C / groups, k.d, k.h, k.w}, bias ? &b : nullptr, o));
        ++conv;
      } else {
        ConvTranspose3dOptions o;
        o.stride = tri(1, 3);
        o.dilation = tri(1, 2);
        o.padding = tri(0, 2);
        o.output_padding = tri(0, 1);
        o.groups = groups;
        run_conv_nd(rng, plan_conv_transpose3d(xs, {C, K / groups, k.d, k.h, k.w}, bias ? &b : nullptr, o));
        ++convt;
      }
    } catch (const Error&) {
    }
  }
  MESSAGE("random conv3d: ", conv, ", conv_transpose3d: ", convt, " configurations");
  CHECK(conv > 400);
  CHECK(convt > 300);
}

TEST_CASE("random: conv2d_backward and conv_transpose2d_backward, optimized == reference, and the identity") {
  Rng rng(1905);
  int conv = 0, convt = 0, identities = 0;
  for (int it = 0; it < 1600; ++it) {
    const int64_t groups = rng.chance(0.3) ? rng.uniform(2, 3) : 1;
    const int64_t C = groups * rng.uniform(1, 3), K = groups * rng.uniform(1, 3);
    const int64_t kh = rng.uniform(1, 4), kw = rng.uniform(1, 4), H = rng.uniform(1, 9), W = rng.uniform(1, 9);
    const int64_t N = rng.uniform(1, 2);
    const bool batched = rng.chance(0.8);
    Shape xs = batched ? Shape{N, C, H, W} : Shape{C, H, W};
    try {
      if (it % 2 == 0) {
        Conv2dOptions o;
        o.stride = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
        o.dilation = Pair(rng.uniform(1, 2), rng.uniform(1, 2));
        o.groups = groups;
        o.padding_mode = random_mode(rng);
        const int64_t pk = rng.uniform(0, 5);
        o.padding = pk == 0 ? Padding::same() : pk == 1 ? Padding::valid() : Padding(rng.uniform(0, 2), rng.uniform(0, 2));
        if (pk == 0 && rng.chance(0.8)) o.stride = 1;
        const Shape ws{K, C / groups, kh, kw};
        auto fg = plan_conv2d(xs, ws, nullptr, o);
        auto g = plan_conv2d_backward(xs, ws, fg.output_shape(), o);
        auto x = values(rng, testing::numel(xs)), w = values(rng, testing::numel(ws)),
             gy = values(rng, fg.output_size());
        std::vector<float> gx(x.size(), -7.0f), gw(w.size(), -7.0f), gb(K, -7.0f);
        std::vector<float> rx(x.size()), rw(w.size()), rb(K);
        conv2d_backward(g, x.data(), w.data(), gy.data(), gx.data(), gw.data(), gb.data());
        reference::conv2d_backward(g, x.data(), w.data(), gy.data(), rx.data(), rw.data(), rb.data());
        const std::string cfg = format_shape(xs) + " w " + format_shape(ws) + " mode " + to_string(g.mode);
        compare("conv2d gradInput", gx, rx, cfg);
        compare("conv2d gradWeight", gw, rw, cfg);
        compare("conv2d gradBias", gb, rb, cfg);
        if (g.mode == PaddingMode::Zeros && g.pad_top == g.pad_bottom && g.pad_left == g.pad_right) {
          ConvTranspose2dOptions t;
          t.stride = o.stride;
          t.padding = Pair(g.pad_top, g.pad_left);
          t.dilation = o.dilation;
          t.groups = groups;
          t.output_padding = Pair(g.H + 2 * g.pad_top - ((g.OH - 1) * g.sh + g.dh * (g.kh - 1) + 1),
                                  g.W + 2 * g.pad_left - ((g.OW - 1) * g.sw + g.dw * (g.kw - 1) + 1));
          auto tg = plan_conv_transpose2d(fg.output_shape(), ws, nullptr, t);
          REQUIRE(tg.output_shape() == xs);
          std::vector<float> back(tg.output_size());
          reference::conv_transpose2d(tg, gy.data(), w.data(), nullptr, back.data());
          compare("conv_transpose2d(gradOutput, w) == gradInput", back, rx, cfg);
          ++identities;
        }
        ++conv;
      } else {
        ConvTranspose2dOptions o;
        o.stride = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
        o.dilation = Pair(rng.uniform(1, 2), rng.uniform(1, 2));
        o.padding = Pair(rng.uniform(0, 2), rng.uniform(0, 2));
        o.output_padding = Pair(rng.uniform(0, 1), rng.uniform(0, 1));
        o.groups = groups;
        const Shape ws{C, K / groups, kh, kw};
        auto fg = plan_conv_transpose2d(xs, ws, nullptr, o);
        auto g = plan_conv_transpose2d_backward(xs, ws, fg.output_shape(), o);
        auto x = values(rng, testing::numel(xs)), w = values(rng, testing::numel(ws)),
             gy = values(rng, fg.output_size());
        std::vector<float> gx(x.size(), -7.0f), gw(w.size(), -7.0f), gb(K, -7.0f);
        std::vector<float> rx(x.size()), rw(w.size()), rb(K);
        conv_transpose2d_backward(g, x.data(), w.data(), gy.data(), gx.data(), gw.data(), gb.data());
        reference::conv_transpose2d_backward(g, x.data(), w.data(), gy.data(), rx.data(), rw.data(), rb.data());
        const std::string cfg = format_shape(xs) + " w " + format_shape(ws);
        compare("conv_transpose2d gradInput", gx, rx, cfg);
        compare("conv_transpose2d gradWeight", gw, rw, cfg);
        compare("conv_transpose2d gradBias", gb, rb, cfg);
        ++convt;
      }
    } catch (const Error&) {
    }
  }
  MESSAGE("random conv2d_backward: ", conv, " (", identities, " through the identity), conv_transpose2d_backward: ",
          convt, " configurations");
  CHECK(conv > 450);
  CHECK(identities > 200);
  CHECK(convt > 400);
}

// avg_pool2d of x with random count_include_pad and divisor_override, optimized against the
// reference (shared by the random pooling tests).
static void check_avg_pool2d(Rng& rng, const Shape& xs, Pair k, std::optional<Pair> s, Pair p, bool ceil, const std::vector<float>& x, const char* label) {
  AvgPool2dOptions o;
  o.kernel_size = k;
  o.stride = s;
  o.padding = p;
  o.ceil_mode = ceil;
  o.count_include_pad = rng.chance(0.5);
  if (rng.chance(0.2)) o.divisor_override = rng.uniform(1, 5) * (rng.chance(0.2) ? -1 : 1);
  auto g = plan_avg_pool2d(xs, o);
  std::vector<float> y(g.output_size(), -7.0f), ry(g.output_size(), -7.0f);
  avg_pool2d(g, x.data(), y.data());
  reference::avg_pool2d(g, x.data(), ry.data());
  compare(label, y, ry, format_shape(xs));
}

TEST_CASE("random: max_pool2d (with and without indices) and avg_pool2d, optimized == reference") {
  Rng rng(1907);
  int maxes = 0, avgs = 0;
  for (int it = 0; it < 4000; ++it) {
    const Pair k(rng.uniform(1, 4), rng.uniform(1, 4));
    const Shape xs = rng.chance(0.8) ? Shape{rng.uniform(0, 2), rng.uniform(1, 3), rng.uniform(1, 12), rng.uniform(1, 12)}
                                     : Shape{rng.uniform(1, 3), rng.uniform(1, 12), rng.uniform(1, 12)};
    const Pair p(rng.uniform(0, k.h / 2), rng.uniform(0, k.w / 2));
    std::optional<Pair> s;
    if (rng.chance(0.7)) s = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
    const bool ceil = rng.chance(0.4);
    auto x = values(rng, testing::numel(xs));
    for (auto& v : x) {
      if (rng.chance(0.02)) v = std::numeric_limits<float>::quiet_NaN();
      else if (rng.chance(0.02)) v = -std::numeric_limits<float>::infinity();
      else if (rng.chance(0.1)) v = 0.5f;  // ties
    }
    try {
      if (it % 2 == 0) {
        MaxPool2dOptions o;
        o.kernel_size = k;
        o.stride = s;
        o.padding = p;
        o.dilation = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
        o.ceil_mode = ceil;
        auto g = plan_max_pool2d(xs, o);
        std::vector<float> y(g.output_size(), -7.0f), ry(g.output_size(), -7.0f);
        std::vector<int32_t> i(g.output_size(), -7), ri(g.output_size(), -7);
        max_pool2d(g, x.data(), y.data(), i.data());
        reference::max_pool2d(g, x.data(), ry.data(), ri.data());
        compare("max_pool2d", y, ry, format_shape(xs));
        CHECK(i == ri);
        std::vector<float> v(g.output_size(), -7.0f);  // values only: the separable SIMD passes
        max_pool2d(g, x.data(), v.data(), nullptr);
        compare("max_pool2d without indices", v, ry, format_shape(xs));
        ++maxes;
      } else {
        check_avg_pool2d(rng, xs, k, s, p, ceil, x, "avg_pool2d");
        ++avgs;
      }
    } catch (const Error&) {
    }
  }
  MESSAGE("random max_pool2d: ", maxes, ", avg_pool2d: ", avgs, " configurations");
  CHECK(maxes > 1200);
  CHECK(avgs > 1200);
}

// The fused kernel of windows 3 columns wide at column stride 2 (kernels/pool_3rows_k3s2.hpp)
// on rows wide enough for its SIMD loop (W up to 45: 0 to 9 groups of 4 outputs plus every
// right-edge remainder), both column paddings, 1-3 rows at any row stride and (max) row
// dilation, ceil mode, and values with NaN, +-inf (both infinities in one plane: the fast
// pass's NaN check then raises a false alarm), ties and signed zeros. Max must equal the
// reference exactly (NaN where the reference has NaN; zeros compared by value); avg within the
// usual tolerance, with every divisor rule.
TEST_CASE("random: pooling k3 s2 fused kernel == reference (wide rows, NaN, inf)") {
  Rng rng(1931);
  int maxes = 0, avgs = 0, with_nan = 0;
  for (int it = 0; it < 6000; ++it) {
    const int64_t kh = rng.uniform(1, 3);
    const Shape xs = rng.chance(0.8) ? Shape{rng.uniform(1, 2), rng.uniform(1, 3), rng.uniform(1, 9), rng.uniform(1, 45)}
                                     : Shape{rng.uniform(1, 3), rng.uniform(1, 9), rng.uniform(1, 45)};
    const Pair k(kh, 3), p(rng.uniform(0, kh / 2), rng.uniform(0, 1)), s(rng.uniform(1, 3), 2);
    const bool ceil = rng.chance(0.4);
    auto x = values(rng, testing::numel(xs));
    const double nan_rate = rng.chance(0.3) ? 0.01 : 0.0, inf_rate = rng.chance(0.3) ? 0.03 : 0.0;
    for (auto& v : x) {
      if (rng.chance(nan_rate)) v = std::numeric_limits<float>::quiet_NaN();
      else if (rng.chance(inf_rate)) v = rng.chance(0.5) ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
      else if (rng.chance(0.1)) v = 0.5f;                 // ties
      else if (rng.chance(0.05)) v = rng.chance(0.5) ? 0.0f : -0.0f;
    }
    with_nan += nan_rate > 0;
    try {
      if (it % 2 == 0) {
        MaxPool2dOptions o;
        o.kernel_size = k;
        o.stride = s;
        o.padding = p;
        o.dilation = Pair(rng.uniform(1, 2), 1);
        o.ceil_mode = ceil;
        auto g = plan_max_pool2d(xs, o);
        std::vector<float> y(g.output_size(), -7.0f), ry(g.output_size(), -7.0f);
        max_pool2d(g, x.data(), y.data(), nullptr);
        reference::max_pool2d(g, x.data(), ry.data(), nullptr);
        int64_t bad = -1;
        for (size_t i = 0; i < y.size() && bad < 0; ++i)
          if (!(y[i] == ry[i] || (std::isnan(y[i]) && std::isnan(ry[i])))) bad = static_cast<int64_t>(i);
        INFO("max_pool2d k3 s2 ", format_shape(xs), " kh ", kh, " p ", p.h, "/", p.w, " s ", s.h, " ceil ", ceil);
        CHECK_MESSAGE(bad < 0, "element ", bad, ": got ", bad < 0 ? 0.0f : y[static_cast<size_t>(bad)], " want ",
                      bad < 0 ? 0.0f : ry[static_cast<size_t>(bad)]);
        ++maxes;
      } else {
        check_avg_pool2d(rng, xs, k, s, p, ceil, x, "avg_pool2d k3 s2");
        ++avgs;
      }
    } catch (const Error&) {
    }
  }
  MESSAGE("random k3 s2 pooling: max ", maxes, ", avg ", avgs, " configurations, ", with_nan, " with NaN");
  CHECK(maxes > 2000);
  CHECK(avgs > 2000);
}
