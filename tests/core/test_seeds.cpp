// Every worked example of ../shared/seeds/README.md, through the xtensor API.
#include <xtensor/xbuilder.hpp>
#include <xtensor/xio.hpp>
#include <xtensor/xview.hpp>

#include "convplay/convplay.hpp"
#include "helpers.hpp"

using namespace convplay;

namespace {
template <class A, class B> void check_equal(const A& got, const B& want) {
  REQUIRE(got.shape() == want.shape());
  for (size_t i = 0; i < got.size(); ++i)
    CHECK_MESSAGE(testing::close(got.data()[i], want.data()[i]), "element ", i, " got ", got.data()[i]);
}
}  // namespace

TEST_CASE("seed 004: 3x3 arange with a 2x2 ones kernel gives [[12,16],[24,28]]") {
  Tensor4 x = xt::reshape_view(xt::arange<float>(1, 10), {1, 1, 3, 3});
  Tensor4 w = xt::ones<float>({1, 1, 2, 2});
  Tensor4 want = {{{{12, 16}, {24, 28}}}};
  check_equal(conv2d(x, w), want);
}

TEST_CASE("seed 004: transposing [[12,16],[24,28]] with 3x3 ones") {
  Tensor4 y = {{{{12, 16}, {24, 28}}}};
  Tensor4 w = xt::ones<float>({1, 1, 3, 3});
  Tensor4 want = {{{{12, 28, 28, 16}, {36, 80, 80, 44}, {36, 80, 80, 44}, {24, 52, 52, 28}}}};
  check_equal(conv_transpose2d(y, w), want);
}

TEST_CASE("seed 004: conv is a 4x16 sparse matrix and convT its 16x4 transpose") {
  Tensor2 k = xt::ones<float>({3, 3});
  Tensor2 m = kernel_matrix(k, {4, 4});
  REQUIRE(m.shape() == std::array<size_t, 2>{4, 16});
  Tensor2 x = xt::reshape_view(xt::arange<float>(16), {4, 4});
  Tensor3 y = conv2d(Tensor3(xt::reshape_view(x, {1, 4, 4})), Tensor4(xt::ones<float>({1, 1, 3, 3})));
  for (size_t r = 0; r < 4; ++r) {
    float dot = 0;
    for (size_t c = 0; c < 16; ++c) dot += m(r, c) * x.data()[c];
    CHECK(dot == doctest::Approx(y.data()[r]));
  }
  // M^T @ y equals conv_transpose2d(y)
  Tensor3 yt = conv_transpose2d(y, Tensor4(xt::ones<float>({1, 1, 3, 3})));
  for (size_t c = 0; c < 16; ++c) {
    float dot = 0;
    for (size_t r = 0; r < 4; ++r) dot += m(r, c) * y.data()[r];
    CHECK(dot == doctest::Approx(yt.data()[c]));
  }
}

TEST_CASE("seed 001: d2l transposed convolution examples") {
  Tensor4 X = {{{{0, 1}, {2, 3}}}};
  Tensor4 K = {{{{0, 1}, {2, 3}}}};
  check_equal(conv_transpose2d(X, K), Tensor4{{{{0, 0, 1}, {0, 4, 6}, {4, 12, 9}}}});
  ConvTranspose2dOptions p1;
  p1.padding = 1;
  check_equal(conv_transpose2d(X, K, p1), Tensor4{{{{4}}}});
  ConvTranspose2dOptions s2;
  s2.stride = 2;
  check_equal(conv_transpose2d(X, K, s2),
              Tensor4{{{{0, 0, 0, 1}, {0, 0, 2, 3}, {0, 2, 0, 3}, {4, 6, 6, 9}}}});
}

TEST_CASE("seed 001: tconv(conv(X)).shape == X.shape for matching parameters") {
  testing::Rng rng(1);
  Tensor4 X = xt::zeros<float>({1, 10, 16, 16});
  Tensor4 Wc = xt::zeros<float>({20, 10, 5, 5});
  Tensor4 Wt = xt::zeros<float>({20, 10, 5, 5});
  Conv2dOptions c;
  c.padding = 2;
  c.stride = 3;
  ConvTranspose2dOptions t;
  t.padding = 2;
  t.stride = 3;
  Tensor4 Y = conv2d(X, Wc, c);
  CHECK(conv_transpose2d(Y, Wt, t).shape() == X.shape());
}

TEST_CASE("seed 001: FCN bilinear kernel and x2 upsampling with k=4 s=2 p=1") {
  Tensor4 w = bilinear_kernel(3, 3, 4);
  // 1-D tent for k=4: factor 2, center 1.5 -> [0.25, 0.75, 0.75, 0.25]
  CHECK(w(0, 0, 0, 0) == doctest::Approx(0.0625));
  CHECK(w(0, 0, 1, 1) == doctest::Approx(0.5625));
  CHECK(w(0, 1, 1, 1) == 0.0f);
  Tensor4 x = xt::ones<float>({1, 3, 5, 7});
  ConvTranspose2dOptions o;
  o.stride = 2;
  o.padding = 1;
  Tensor4 y = conv_transpose2d(x, w, o);
  REQUIRE(y.shape() == std::array<size_t, 4>{1, 3, 10, 14});
  // A constant image stays constant in the interior after bilinear upsampling.
  CHECK(y(0, 1, 4, 6) == doctest::Approx(1.0));
  // FCN x32: k=64, s=32, p=16 maps 10x15 to 320x480
  ConvTranspose2dOptions fcn;
  fcn.stride = 32;
  fcn.padding = 16;
  auto g = plan_conv_transpose2d({1, 21, 10, 15}, {21, 21, 64, 64}, nullptr, fcn);
  CHECK(g.OH == 320);
  CHECK(g.OW == 480);
}

TEST_CASE("seed 002: dilation on a 5x5 arange with a 3x3 ones kernel") {
  Tensor4 x = xt::reshape_view(xt::arange<float>(25), {1, 1, 5, 5});
  Tensor4 w = xt::ones<float>({1, 1, 3, 3});
  check_equal(conv2d(x, w), Tensor4{{{{54, 63, 72}, {99, 108, 117}, {144, 153, 162}}}});
  Conv2dOptions d2;
  d2.dilation = 2;
  check_equal(conv2d(x, w, d2), Tensor4{{{{108}}}});
}

TEST_CASE("seed 002: the four padding modes on a 4x4 arange") {
  Tensor3 x = xt::reshape_view(xt::arange<float>(16), {1, 4, 4});
  PadOptions o;
  o.pad = {1, 1, 1, 1};
  o.mode = PaddingMode::Zeros;
  CHECK(pad(x, o)(0, 0, 0) == 0.0f);
  o.mode = PaddingMode::Reflect;
  Tensor3 r = pad(x, o);
  CHECK(r(0, 0, 0) == 5.0f);   // reflects x[1][1]
  CHECK(r(0, 5, 5) == 10.0f);  // x[2][2]
  o.mode = PaddingMode::Replicate;
  Tensor3 p = pad(x, o);
  CHECK(p(0, 0, 0) == 0.0f);
  CHECK(p(0, 5, 5) == 15.0f);
  o.mode = PaddingMode::Circular;
  Tensor3 c = pad(x, o);
  CHECK(c(0, 0, 0) == 15.0f);  // wraps to x[3][3]
  CHECK(c(0, 5, 5) == 0.0f);
}

TEST_CASE("seed 003: transposed conv output sizes") {
  ConvTranspose2dOptions o;
  o.stride = 2;
  auto g = plan_conv_transpose2d({1, 1, 5, 5}, {1, 1, 3, 3}, nullptr, o);
  CHECK(g.OH == 11);
  o.output_padding = 1;
  g = plan_conv_transpose2d({1, 1, 4, 4}, {1, 1, 3, 3}, nullptr, o);
  CHECK(g.OH == 10);
}

TEST_CASE("seed 000: unfold of [2,5,3,4] with kernel (2,3) gives [2,30,4]") {
  Tensor4 x = xt::reshape_view(xt::arange<float>(2 * 5 * 3 * 4), {2, 5, 3, 4});
  UnfoldOptions o;
  o.kernel_size = {2, 3};
  Tensor3 y = unfold(x, o);
  REQUIRE(y.shape() == std::array<size_t, 3>{2, 30, 4});
  CHECK(y(0, 0, 0) == 0.0f);
  CHECK(y(0, 5, 3) == x(0, 0, 2, 3));  // row (c=0, a=1, b=2), block (1, 1)
  // conv == W . unfold(x)
  Tensor4 w = xt::reshape_view(xt::arange<float>(7 * 30) / 100.0f, {7, 5, 2, 3});
  Tensor4 ref = conv2d(x, w);
  for (size_t n = 0; n < 2; ++n)
    for (size_t k = 0; k < 7; ++k)
      for (size_t l = 0; l < 4; ++l) {
        float s = 0;
        for (size_t r = 0; r < 30; ++r) s += w.data()[k * 30 + r] * y(n, r, l);
        CHECK(s == doctest::Approx(ref.data()[(n * 7 + k) * 4 + l]).epsilon(1e-5));
      }
}
