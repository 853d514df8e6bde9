// Each micro-kernel on its own, against a naive loop.
#include <cmath>
#include <cstring>

#include "convplay/kernels.hpp"
#include "helpers.hpp"
#include "kernels/conv2d_direct_rows.hpp"
#include "kernels/gemm_mx8.hpp"
#include "kernels/gemm_pack_a.hpp"
#include "kernels/im2col_pack.hpp"
#include "kernels/rows_pack.hpp"
#include "kernels/simd.hpp"

using namespace convplay;
using testing::Rng;

TEST_CASE("the SIMD backend is the one this build asked for") {
#if defined(CONVPLAY_SIMD_SCALAR)
  CHECK(std::string(simd_backend()) == "scalar");
#elif defined(__wasm_simd128__)
  CHECK(std::string(simd_backend()) == "wasm-simd128");
#elif defined(__SSE2__)
  CHECK(std::string(simd_backend()) == "sse2");
#endif
  MESSAGE("SIMD backend: ", std::string(simd_backend()));
}

template <int MR> void check_gemm_mx8(testing::Rng& rng) {
  for (int it = 0; it < 300; ++it) {
    const int64_t K = rng.uniform(0, 70), lda = K + rng.uniform(0, 3);
    const int64_t step = rng.chance(0.5) ? 1 : rng.uniform(MR, MR + 5);
    auto a = rng.values(MR * (lda + K * step) + 8);
    auto b = rng.values(K * 8);
    const float* rows[MR];
    for (int r = 0; r < MR; ++r) rows[r] = a.data() + r * (step == 1 ? lda : 1);
    std::vector<float> tile(MR * 8, -1.0f);
    kernels::f32_gemm_mx8<MR>(K, rows, step, b.data(), tile.data());
    for (int r = 0; r < MR; ++r)
      for (int j = 0; j < 8; ++j) {
        float want = 0.0f;
        for (int64_t k = 0; k < K; ++k) want += rows[r][k * step] * b[k * 8 + j];
        REQUIRE(testing::close(tile[r * 8 + j], want));
      }
  }
}

TEST_CASE("f32_gemm_mx8 == naive for every tile height, row and strided-column A") {
  Rng rng(5);
  check_gemm_mx8<1>(rng);
  check_gemm_mx8<4>(rng);
  check_gemm_mx8<5>(rng);
  check_gemm_mx8<6>(rng);
}

TEST_CASE("f32_gemm_4x8_adjacent_rows == naive (A rows adjacent, any row step)") {
  Rng rng(55);
  for (int it = 0; it < 300; ++it) {
    const int64_t K = rng.uniform(0, 300), step = rng.uniform(4, 40);
    auto a = rng.values(K * step + 4), b = rng.values(K * 8);
    const kernels::Tile4x8 acc = kernels::f32_gemm_4x8_adjacent_rows(K, a.data(), step, b.data());
    std::vector<float> tile(32, -1.0f);
    acc.store(tile.data());
    for (int r = 0; r < 4; ++r)
      for (int j = 0; j < 8; ++j) {
        float want = 0.0f;
        for (int64_t k = 0; k < K; ++k) want += a[k * step + r] * b[k * 8 + j];
        REQUIRE(testing::close(tile[r * 8 + j], want));
      }
  }
}

TEST_CASE("pack_a_rows and pack_a_columns: [depth][4] panels, zeros past the rows") {
  Rng rng(56);
  for (int it = 0; it < 200; ++it) {
    const int64_t M = rng.uniform(1, 13), depth = rng.uniform(1, 19);
    auto a = rng.values(M * depth);  // row-major [M][depth]
    std::vector<float> panels(kernels::gemm_a_strips(M) * 4 * depth, -9.0f);
    kernels::pack_a_rows(a.data(), M, depth, panels.data());
    for (int64_t m = 0; m < kernels::gemm_a_strips(M) * 4; ++m)
      for (int64_t k = 0; k < depth; ++k)
        REQUIRE(panels[(m / 4) * depth * 4 + k * 4 + m % 4] == (m < M ? a[m * depth + k] : 0.0f));
    // The same matrix stored transposed ([depth][ld], ld >= M), rows [m0, m0 + rows) of it.
    const int64_t ld = M + rng.uniform(0, 5), m0 = rng.uniform(0, M - 1), rows = rng.uniform(1, M - m0);
    auto b = rng.values(depth * ld);
    std::vector<float> cols(kernels::gemm_a_strips(rows) * 4 * depth, -9.0f);
    kernels::pack_a_columns(b.data(), ld, depth, m0, rows, cols.data());
    for (int64_t r = 0; r < kernels::gemm_a_strips(rows) * 4; ++r)
      for (int64_t k = 0; k < depth; ++k)
        REQUIRE(cols[(r / 4) * depth * 4 + k * 4 + r % 4] == (r < rows ? b[k * ld + m0 + r] : 0.0f));
  }
}

TEST_CASE("im2col_pack_b and im2col_pack_b_padded == reference pad + unfold, in panels of 8") {
  Rng rng(6);
  int run = 0;
  for (int it = 0; it < 400; ++it) {
    Conv2dOptions o;
    o.stride = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
    o.dilation = Pair(rng.uniform(1, 2), rng.uniform(1, 2));
    o.padding = Padding(rng.uniform(0, 2), rng.uniform(0, 2));
    o.padding_mode = static_cast<PaddingMode>(rng.uniform(0, 3));
    const int64_t C = rng.uniform(1, 4), H = rng.uniform(2, 12), W = rng.uniform(2, 20);
    const int64_t kh = rng.uniform(1, 3), kw = rng.uniform(1, 3);
    Conv2dGeometry g;
    try {
      g = plan_conv2d({1, C, H, W}, {1, C, kh, kw}, nullptr, o);
    } catch (const Error&) {
      continue;
    }
    auto x = rng.values(C * H * W);
    // expected: unfold of the padded input
    PadGeometry pg = plan_pad({1, C, H, W}, [&] {
      PadOptions p;
      p.pad = {g.pad_left, g.pad_right, g.pad_top, g.pad_bottom};
      p.mode = g.mode;
      return p;
    }());
    std::vector<float> xp(pg.output_size());
    reference::pad(pg, x.data(), xp.data());
    UnfoldOptions uo;
    uo.kernel_size = Pair(kh, kw);
    uo.dilation = o.dilation;
    uo.stride = o.stride;
    auto ug = plan_unfold({1, C, pg.OH, pg.OW}, uo);
    std::vector<float> cols(ug.output_size());
    reference::unfold(ug, xp.data(), cols.data());
    const int64_t rows = C * kh * kw, P = g.OH * g.OW;
    const int64_t p0 = rng.uniform(0, P - 1), count = rng.uniform(1, P - p0);
    std::vector<float> panels(((count + 7) / 8) * 8 * rows, -9.0f);
    kernels::im2col_pack_b(g, x.data(), p0, count, panels.data());
    for (int64_t q = 0; q < (count + 7) / 8 * 8; ++q)
      for (int64_t r = 0; r < rows; ++r) {
        const float got = panels[(q / 8) * rows * 8 + r * 8 + q % 8];
        const float want = q < count ? cols[r * P + p0 + q] : 0.0f;
        REQUIRE(got == want);
      }
    // The packer over the padded copy of the input: the same valid columns (past `count` a
    // panel holds whatever its copies left; the caller never stores those).
    std::vector<float> padded(kernels::padded_input_floats(g), -5.0f), from_padded(panels.size() + 8, -9.0f);
    const auto xpv = kernels::padded_input_build(g, x.data(), padded.data());
    kernels::im2col_pack_b_padded(g, xpv, p0, count, from_padded.data());
    for (int64_t q = 0; q < count; ++q)
      for (int64_t r = 0; r < rows; ++r)
        REQUIRE(from_padded[(q / 8) * rows * 8 + r * 8 + q % 8] == cols[r * P + p0 + q]);
    ++run;
  }
  CHECK(run > 200);
}

TEST_CASE("rows_pack_b copies columns into panels and zero-fills the tail") {
  Rng rng(8);
  for (int it = 0; it < 100; ++it) {
    const int64_t depth = rng.uniform(1, 9), cols = rng.uniform(1, 40);
    auto m = rng.values(depth * cols);
    const int64_t p0 = rng.uniform(0, cols - 1), count = rng.uniform(1, cols - p0);
    std::vector<float> panels(((count + 7) / 8) * 8 * depth, -9.0f);
    kernels::rows_pack_b(m.data(), depth, cols, p0, count, panels.data());
    for (int64_t q = 0; q < (count + 7) / 8 * 8; ++q)
      for (int64_t k = 0; k < depth; ++k)
        REQUIRE(panels[(q / 8) * depth * 8 + k * 8 + q % 8] == (q < count ? m[k * cols + p0 + q] : 0.0f));
  }
}

TEST_CASE("conv2d_direct_rows == reference conv2d (depthwise, multipliers, small dense)") {
  Rng rng(9);
  int run = 0;
  for (int it = 0; it < 600; ++it) {
    const int64_t groups = rng.uniform(1, 4), Cg = rng.uniform(1, 3), Kg = rng.uniform(1, 4);
    Conv2dOptions o;
    o.groups = groups;
    o.stride = Pair(rng.uniform(1, 3), 1);
    o.dilation = Pair(rng.uniform(1, 3), rng.uniform(1, 3));
    o.padding = rng.chance(0.2) ? Padding::same() : Padding(rng.uniform(0, 3), rng.uniform(0, 3));
    if (o.padding.kind == Padding::Kind::Same) o.stride = 1;
    o.padding_mode = static_cast<PaddingMode>(rng.uniform(0, 3));
    const int64_t H = rng.uniform(1, 14), W = rng.uniform(1, 40), kh = rng.uniform(1, 5),
                  kw = rng.uniform(1, 5);
    Conv2dGeometry g;
    try {
      g = plan_conv2d({2, Cg * groups, H, W}, {Kg * groups, Cg, kh, kw}, nullptr, o);
    } catch (const Error&) {
      continue;
    }
    auto x = rng.values(2 * Cg * groups * H * W), w = rng.values(Kg * groups * Cg * kh * kw),
         b = rng.values(Kg * groups);
    std::vector<float> want(g.output_size()), got(g.output_size(), -9.0f),
        scratch(kernels::conv2d_direct_rows_scratch(g));
    reference::conv2d(g, x.data(), w.data(), b.data(), want.data());
    kernels::conv2d_direct_rows(g, x.data(), w.data(), b.data(), got.data(), scratch.data());
    CHECK_ALL_CLOSE(got.data(), want.data(), g.output_size(), "direct rows");
    ++run;
  }
  CHECK(run > 300);
}

TEST_CASE("conv2d_direct_rows, 3x3 stride 1 (two-row kernels) == reference conv2d, bit for bit") {
  // Every channel product the direct path takes (Cg*Kg <= 32), widths around multiples of 4
  // (a vector tail) and up to 600, odd heights (a last single row), bands split by height,
  // every padding mode and pads wider than the input, bias or none. Compared bit for bit, so
  // the sign of zero counts: some inputs are mostly +-0 with weights <= 0 and biases of -0,
  // where sums of -0 products must come out +0 as the reference's do.
  Rng rng(33);
  int run = 0, depthwise = 0, wide_runs = 0, zero_outputs = 0;
  for (int it = 0; it < 1500; ++it) {
    // Some rows wide enough for the kernel's compile-time pitches (widths 129-256 and
    // 257-512 are gathered 260 and 516 floats apart), and wider (a run-time pitch again),
    // with up to 16 channels: bands of a few rows.
    const bool wide = rng.chance(0.15);
    const int64_t groups = rng.uniform(1, 3), Cg = rng.chance(0.4) ? 1 : rng.uniform(1, wide ? 16 : 4);
    const int64_t Kg = rng.uniform(1, std::min<int64_t>(8, 32 / Cg));
    Conv2dOptions o;
    o.groups = groups;
    o.padding = rng.chance(0.3) ? Padding::same()
                : Padding(rng.uniform(0, rng.chance(0.2) ? 9 : 2), rng.uniform(0, rng.chance(0.2) ? 9 : 2));
    o.padding_mode = static_cast<PaddingMode>(rng.uniform(0, 3));
    const int64_t N = rng.uniform(1, 2), H = wide ? rng.uniform(1, 12) : rng.uniform(1, 17),
                  W = wide ? rng.uniform(100, 600) : rng.uniform(1, 45);
    const bool has_bias = rng.chance(0.5);
    const Shape bs{Kg * groups};
    Conv2dGeometry g;
    try {
      g = plan_conv2d({N, Cg * groups, H, W}, {Kg * groups, Cg, 3, 3}, has_bias ? &bs : nullptr, o);
    } catch (const Error&) {
      continue;
    }
    REQUIRE(choose_conv2d_path(g) == Conv2dPath::Direct);
    auto x = rng.values(N * Cg * groups * H * W), w = rng.values(Kg * groups * Cg * 9), b = rng.values(Kg * groups);
    const bool signed_zeros = rng.chance(0.2);
    if (signed_zeros) {
      for (auto& v : x)
        if (rng.chance(0.85)) v = rng.chance(0.9) ? 0.0f : -0.0f;
      for (auto& v : w) v = rng.chance(0.3) ? -0.0f : -std::fabs(v);
      for (auto& v : b)
        if (rng.chance(0.5)) v = -0.0f;
    }
    std::vector<float> want(g.output_size()), got(g.output_size(), -9.0f),
        scratch(kernels::conv2d_direct_rows_scratch(g));
    const float* bp = has_bias ? b.data() : nullptr;
    reference::conv2d(g, x.data(), w.data(), bp, want.data());
    kernels::conv2d_direct_rows(g, x.data(), w.data(), bp, got.data(), scratch.data());
    int64_t bad = -1;
    for (int64_t i = 0; i < g.output_size() && bad < 0; ++i)
      if (std::memcmp(&got[i], &want[i], sizeof(float)) != 0) bad = i;
    for (int64_t i = 0; i < g.output_size(); ++i) zero_outputs += signed_zeros && want[i] == 0.0f;
    CHECK_MESSAGE(bad < 0, "x ", N, "x", Cg * groups, "x", H, "x", W, " Kg ", Kg, " groups ", groups, " element ",
                  bad, ": got ", bad < 0 ? 0.0f : got[bad], " want ", bad < 0 ? 0.0f : want[bad]);
    depthwise += Cg == 1 && Kg == 1;
    wide_runs += wide;
    ++run;
  }
  CHECK(run > 1000);
  CHECK(depthwise > 60);
  CHECK(wide_runs > 150);
  CHECK(zero_outputs > 10000);  // zero outputs from +-0 inputs
}
