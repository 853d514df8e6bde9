// Optimized kernels against the reference on thousands of random configurations: every
// parameter, odd sizes, channel counts that are not multiples of 4, all padding modes,
// batched and unbatched input, and non-finite values.
#include <cmath>
#include <cstdio>

#include "convplay/kernels.hpp"
#include "helpers.hpp"
#include "ops/conv_transpose2d.hpp"
#include "ops/implicit_gemm.hpp"

using namespace convplay;
using testing::Rng;

namespace {

// Random values with, sometimes, a NaN or an Inf planted (they must propagate identically).
std::vector<float> random_values(Rng& rng, int64_t n, bool non_finite) {
  auto v = rng.values(n);
  if (non_finite && n > 0) {
    v[rng.uniform(0, n - 1)] = std::numeric_limits<float>::infinity();
    if (rng.chance(0.5)) v[rng.uniform(0, n - 1)] = std::numeric_limits<float>::quiet_NaN();
  }
  return v;
}

struct Counts { int run = 0, rejected = 0, direct = 0, gemm = 0; };

// Runs op with the GEMM path's padded input disabled: the packer that tests coordinates
// (taken for inputs too big to pad) must give the same result on every configuration.
template <class Op>
void without_padded_input(Op op) {
  const int64_t limit = detail::padded_input_limit();
  detail::set_padded_input_limit(0);
  op();
  detail::set_padded_input_limit(limit);
}

}  // namespace

TEST_CASE("conv2d: optimized == reference on 3000 random configurations") {
  Rng rng(20261121);
  Counts n;
  while (n.run < 3000) {
    const int64_t groups = rng.chance(0.6) ? 1 : rng.uniform(1, 4);
    const bool depthwise = rng.chance(0.2);
    const int64_t Cg = depthwise ? 1 : rng.uniform(1, 7);
    const int64_t Kg = depthwise ? rng.uniform(1, 3) : rng.uniform(1, 9);
    const int64_t C = Cg * groups, K = Kg * groups;
    const int64_t N = rng.chance(0.05) ? 0 : rng.uniform(1, 3);
    const bool batched = N != 1 || rng.chance(0.7);
    const int64_t H = rng.uniform(1, 19), W = rng.uniform(1, 23);
    const int64_t kh = rng.uniform(1, 5), kw = rng.uniform(1, 5);
    Conv2dOptions o;
    o.groups = groups;
    o.stride = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
    o.dilation = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
    const int pk = static_cast<int>(rng.uniform(0, 9));
    if (pk == 0) o.padding = Padding::same(), o.stride = 1;
    else if (pk == 1) o.padding = Padding::valid();
    else o.padding = Padding(rng.uniform(0, 3), rng.uniform(0, 3));
    o.padding_mode = static_cast<PaddingMode>(rng.uniform(0, 3));
    const bool has_bias = rng.chance(0.6);
    Shape xs = batched ? Shape{N, C, H, W} : Shape{C, H, W}, ws{K, Cg, kh, kw}, bs{K};
    Conv2dGeometry g;
    try {
      g = plan_conv2d(xs, ws, has_bias ? &bs : nullptr, o);
    } catch (const Error&) {
      ++n.rejected;  // e.g. kernel larger than the padded input, reflect pad >= size
      continue;
    }
    const bool non_finite = rng.chance(0.05);
    auto x = random_values(rng, testing::numel(xs), non_finite);
    auto w = random_values(rng, testing::numel(ws), non_finite && rng.chance(0.5));
    auto b = rng.values(K);
    std::vector<float> want(g.output_size()), got(g.output_size(), -7.0f);
    reference::conv2d(g, x.data(), w.data(), has_bias ? b.data() : nullptr, want.data());
    conv2d(g, x.data(), w.data(), has_bias ? b.data() : nullptr, got.data());
    std::vector<float> unpadded(g.output_size(), -7.0f);
    without_padded_input([&] { conv2d(g, x.data(), w.data(), has_bias ? b.data() : nullptr, unpadded.data()); });
    if (g.output_size() > 0) CHECK_ALL_CLOSE(unpadded.data(), want.data(), g.output_size(), "unpadded packer");
    auto path = choose_conv2d_path(g);
    n.direct += path == Conv2dPath::Direct;
    n.gemm += path == Conv2dPath::Gemm;
    int64_t bad = testing::first_mismatch(got.data(), want.data(), g.output_size());
    if (bad >= 0) {
      FAIL_CHECK("mismatch at ", bad, " x=", format_shape(xs), " w=", format_shape(ws),
                 " stride=", o.stride.h, ",", o.stride.w, " pad=", g.pad_top, ",", g.pad_bottom, ",",
                 g.pad_left, ",", g.pad_right, " dil=", o.dilation.h, ",", o.dilation.w,
                 " groups=", groups, " mode=", to_string(o.padding_mode), " got ", got[bad],
                 " want ", want[bad]);
      break;
    }
    ++n.run;
  }
  MESSAGE("conv2d random: ", n.run, " compared (", n.direct, " direct, ", n.gemm, " gemm), ",
          n.rejected, " rejected as invalid");
  CHECK(n.direct > 300);
  CHECK(n.gemm > 1000);
}

TEST_CASE("conv_transpose2d: optimized == reference on 3000 random configurations") {
  Rng rng(424242);
  Counts n;
  int non_finite_weights = 0;
  while (n.run < 3000) {
    const int64_t groups = rng.chance(0.6) ? 1 : rng.uniform(1, 4);
    const int64_t Cg = rng.uniform(1, 7), Kg = rng.uniform(1, 7);
    const int64_t C = Cg * groups;
    const int64_t N = rng.chance(0.05) ? 0 : rng.uniform(1, 3);
    const bool batched = N != 1 || rng.chance(0.7);
    const int64_t H = rng.uniform(1, 11), W = rng.uniform(1, 13);
    const int64_t kh = rng.uniform(1, 5), kw = rng.uniform(1, 5);
    ConvTranspose2dOptions o;
    o.groups = groups;
    o.stride = Pair(rng.uniform(1, 4), rng.uniform(1, 4));
    o.dilation = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
    o.padding = Pair(rng.uniform(0, 3), rng.uniform(0, 3));
    o.output_padding = Pair(rng.uniform(0, 2), rng.uniform(0, 2));
    const bool has_bias = rng.chance(0.6);
    Shape xs = batched ? Shape{N, C, H, W} : Shape{C, H, W}, ws{C, Kg, kh, kw}, bs{Kg * groups};
    ConvTranspose2dGeometry g;
    try {
      g = plan_conv_transpose2d(xs, ws, has_bias ? &bs : nullptr, o);
    } catch (const Error&) {
      ++n.rejected;
      continue;
    }
    const bool non_finite = rng.chance(0.05);
    auto x = random_values(rng, testing::numel(xs), non_finite);
    auto w = random_values(rng, testing::numel(ws), non_finite && rng.chance(0.5));
    auto b = rng.values(g.K);
    std::vector<float> want(g.output_size()), got(g.output_size(), -7.0f);
    const float* bp = has_bias ? b.data() : nullptr;
    reference::conv_transpose2d(g, x.data(), w.data(), bp, want.data());
    conv_transpose2d(g, x.data(), w.data(), bp, got.data());
    std::vector<float> unpadded(g.output_size(), -7.0f);
    without_padded_input([&] { conv_transpose2d(g, x.data(), w.data(), bp, unpadded.data()); });
    if (g.output_size() > 0) CHECK_ALL_CLOSE(unpadded.data(), want.data(), g.output_size(), "unpadded packer");
    const auto path = choose_conv_transpose2d_path(g, w.data());
    n.direct += path == ConvTranspose2dPath::Col2im;
    n.gemm += path == ConvTranspose2dPath::Phases;
    bool finite = true;
    for (float v : w) finite = finite && std::isfinite(v);
    non_finite_weights += !finite;
    // Every path must agree, whichever the operator picked (scatter adds onto y filled with the
    // bias, col2im writes every output: it starts from garbage); the phases differ from PyTorch
    // only where a non-finite weight meets the zeros around x.
    if (g.output_size() > 0) {
      auto from_bias = [&] {
        std::vector<float> y(g.output_size());
        for (int64_t i = 0; i < g.output_size(); ++i) y[i] = bp ? bp[(i / (g.OH * g.OW)) % g.K] : 0.0f;
        return y;
      };
      std::vector<float> scatter = from_bias(), col2im(g.output_size(), -7.0f), phases(g.output_size());
      detail::conv_transpose2d_scatter(g, x.data(), w.data(), bp, scatter.data());
      CHECK_ALL_CLOSE(scatter.data(), want.data(), g.output_size(), "scatter path");
      detail::conv_transpose2d_col2im(g, x.data(), w.data(), bp, col2im.data());
      CHECK_ALL_CLOSE(col2im.data(), want.data(), g.output_size(), "col2im path");
      if (finite) {
        detail::conv_transpose2d_phases(g, x.data(), w.data(), bp, phases.data());
        CHECK_ALL_CLOSE(phases.data(), want.data(), g.output_size(), "phase path");
      }
    }
    int64_t bad = testing::first_mismatch(got.data(), want.data(), g.output_size());
    if (bad >= 0) {
      FAIL_CHECK("mismatch at ", bad, " x=", format_shape(xs), " w=", format_shape(ws),
                 " stride=", o.stride.h, ",", o.stride.w, " pad=", o.padding.h, ",", o.padding.w,
                 " op=", o.output_padding.h, ",", o.output_padding.w, " dil=", o.dilation.h, ",",
                 o.dilation.w, " groups=", groups, " got ", got[bad], " want ", want[bad]);
      break;
    }
    ++n.run;
  }
  MESSAGE("conv_transpose2d random: ", n.run, " compared (operator picked ", n.gemm, " phases, ", n.direct,
          " col2im; every path run on each, ", non_finite_weights, " with non-finite weights), ", n.rejected,
          " rejected as invalid");
  CHECK(n.gemm > 300);
  CHECK(n.direct > 1000);
  CHECK(non_finite_weights > 20);
}

TEST_CASE("unfold, fold and pad: optimized == reference on random configurations") {
  Rng rng(7);
  int unfolds = 0, folds = 0, pads = 0;
  for (int it = 0; it < 3000; ++it) {
    UnfoldOptions o;
    o.kernel_size = Pair(rng.uniform(1, 4), rng.uniform(1, 4));
    o.dilation = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
    o.padding = Pair(rng.uniform(0, 3), rng.uniform(0, 3));
    o.stride = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
    const int64_t N = rng.uniform(0, 2), C = rng.uniform(1, 5), H = rng.uniform(1, 12),
                  W = rng.uniform(1, 12);
    UnfoldGeometry g;
    try {
      g = plan_unfold({N, C, H, W}, o);
    } catch (const Error&) {
      continue;
    }
    auto x = rng.values(N * C * H * W);
    std::vector<float> want(g.output_size()), got(g.output_size(), -7.0f);
    reference::unfold(g, x.data(), want.data());
    unfold(g, x.data(), got.data());
    CHECK_ALL_CLOSE(got.data(), want.data(), g.output_size(), "unfold");
    ++unfolds;

    FoldOptions f;
    f.output_size = Pair(H, W);
    f.kernel_size = o.kernel_size;
    f.dilation = o.dilation;
    f.padding = o.padding;
    f.stride = o.stride;
    auto fg = plan_fold(g.output_shape(), f);
    auto cols = rng.values(g.output_size());
    std::vector<float> fwant(N * C * H * W), fgot(N * C * H * W, -7.0f);
    reference::fold(fg, cols.data(), fwant.data());
    fold(fg, cols.data(), fgot.data());
    CHECK_ALL_CLOSE(fgot.data(), fwant.data(), N * C * H * W, "fold");
    ++folds;

    PadOptions p;
    p.mode = static_cast<PaddingMode>(rng.uniform(0, 3));
    for (auto& s : p.pad) s = rng.uniform(p.mode == PaddingMode::Zeros ? -2 : 0, 4);
    p.value = rng.chance(0.3) ? 2.5f : 0.0f;
    PadGeometry pg;
    try {
      pg = plan_pad({N, C, H, W}, p);
    } catch (const Error&) {
      continue;
    }
    std::vector<float> pwant(pg.output_size()), pgot(pg.output_size(), -7.0f);
    reference::pad(pg, x.data(), pwant.data());
    pad(pg, x.data(), pgot.data());
    CHECK_ALL_CLOSE(pgot.data(), pwant.data(), pg.output_size(), "pad");
    ++pads;
  }
  MESSAGE("random: ", unfolds, " unfold, ", folds, " fold, ", pads, " pad configurations");
  CHECK(unfolds > 1000);
  CHECK(pads > 500);
}

TEST_CASE("kernel_matrix: optimized == reference, and M @ x == conv2d(x)") {
  Rng rng(99);
  int run = 0;
  for (int it = 0; it < 800; ++it) {
    KernelMatrixOptions o;
    o.stride = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
    o.padding = Pair(rng.uniform(0, 2), rng.uniform(0, 2));
    o.dilation = Pair(rng.uniform(1, 2), rng.uniform(1, 2));
    // conv2d's string paddings too ('same' only at stride 1: the others are rejected)
    const int64_t kind = rng.uniform(0, 5);
    if (kind == 4) o.padding = Padding::valid();
    if (kind == 5) {
      o.padding = Padding::same();
      if (rng.chance(0.8)) o.stride = 1;
    }
    const int64_t kh = rng.uniform(1, 4), kw = rng.uniform(1, 4), H = rng.uniform(1, 9),
                  W = rng.uniform(1, 9);
    KernelMatrixGeometry g;
    try {
      g = plan_kernel_matrix({kh, kw}, Pair(H, W), o);
    } catch (const Error&) {
      continue;
    }
    auto k = rng.values(kh * kw);
    std::vector<float> want(g.output_size()), got(g.output_size(), -7.0f);
    reference::kernel_matrix(g, k.data(), want.data());
    kernel_matrix(g, k.data(), got.data());
    CHECK_ALL_CLOSE(got.data(), want.data(), g.output_size(), "kernel_matrix");

    Conv2dOptions co;
    co.stride = o.stride;
    co.padding = o.padding;
    co.dilation = o.dilation;
    auto cg = plan_conv2d({1, 1, H, W}, {1, 1, kh, kw}, nullptr, co);
    auto x = rng.values(H * W);
    std::vector<float> y(cg.output_size()), mx(cg.output_size(), 0.0f);
    reference::conv2d(cg, x.data(), k.data(), nullptr, y.data());
    for (int64_t r = 0; r < g.OH * g.OW; ++r)
      for (int64_t c = 0; c < H * W; ++c) mx[r] += got[r * H * W + c] * x[c];
    CHECK_ALL_CLOSE(mx.data(), y.data(), cg.output_size(), "M @ x");
    ++run;
  }
  MESSAGE("kernel_matrix random: ", run, " configurations");
}
