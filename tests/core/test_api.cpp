// The xtensor API: overloads, unbatched input, results independent of the scratch state.
#include <xtensor/xbuilder.hpp>
#include <xtensor/xrandom.hpp>
#include <xtensor/xview.hpp>

#include "convplay/convplay.hpp"
#include "helpers.hpp"

using namespace convplay;

TEST_CASE("unbatched input gives the batched result without the batch dimension") {
  xt::random::seed(3);
  Tensor3 x = xt::random::randn<float>({3, 9, 11});
  Tensor4 w = xt::random::randn<float>({5, 3, 3, 2});
  Tensor1 b = xt::random::randn<float>({5});
  Conv2dOptions o;
  o.padding = Padding(1, 2);
  o.padding_mode = PaddingMode::Reflect;
  Tensor3 y = conv2d(x, w, b, o);
  Tensor4 yb = conv2d(Tensor4(xt::expand_dims(x, 0)), w, b, o);
  REQUIRE(y.shape() == std::array<size_t, 3>{5, 9, 14});
  CHECK(xt::allclose(y, xt::view(yb, 0)));

  ConvTranspose2dOptions t;
  t.stride = Pair(2, 3);
  Tensor4 wt = xt::random::randn<float>({3, 2, 3, 3});
  Tensor3 z = conv_transpose2d(x, wt, t);
  Tensor4 zb = conv_transpose2d(Tensor4(xt::expand_dims(x, 0)), wt, t);
  CHECK(xt::allclose(z, xt::view(zb, 0)));
}

TEST_CASE("N = 0 gives an empty batch of the right shape") {
  Tensor4 x = xt::zeros<float>({0, 2, 5, 5});
  Tensor4 w = xt::ones<float>({4, 2, 3, 3});
  CHECK(conv2d(x, w).shape() == std::array<size_t, 4>{0, 4, 3, 3});
  Tensor4 wt = xt::ones<float>({2, 4, 3, 3});
  CHECK(conv_transpose2d(x, wt).shape() == std::array<size_t, 4>{0, 4, 7, 7});
}

TEST_CASE("inputs are not modified, and calls do not depend on earlier calls") {
  xt::random::seed(4);
  Tensor4 x = xt::random::randn<float>({1, 16, 20, 20});
  Tensor4 w = xt::random::randn<float>({32, 16, 3, 3});
  const Tensor4 x0 = x, w0 = w;
  Conv2dOptions o;
  o.padding = 1;
  Tensor4 first = conv2d(x, w, o);
  conv2d(Tensor4(xt::random::randn<float>({2, 3, 64, 64})), Tensor4(xt::ones<float>({3, 1, 5, 5})),
         [] { Conv2dOptions d; d.groups = 3; return d; }());
  Tensor4 second = conv2d(x, w, o);
  CHECK(x == x0);
  CHECK(w == w0);
  CHECK(first == second);
}

TEST_CASE("'same' padding keeps the size for even kernels and dilation; extra goes bottom/right") {
  Conv2dOptions o;
  o.padding = Padding::same();
  o.dilation = Pair(1, 3);
  auto g = plan_conv2d({1, 1, 6, 7}, {1, 1, 4, 2}, nullptr, o);
  CHECK(g.OH == 6);
  CHECK(g.OW == 7);
  CHECK(g.pad_top == 1);
  CHECK(g.pad_bottom == 2);
  CHECK(g.pad_left == 1);
  CHECK(g.pad_right == 2);
}

TEST_CASE("NaN and Inf propagate as in PyTorch: zero padding is a real zero") {
  Tensor4 x = xt::ones<float>({1, 1, 3, 3});
  Tensor4 w = xt::ones<float>({1, 1, 3, 3});
  w(0, 0, 0, 0) = std::numeric_limits<float>::infinity();
  Conv2dOptions o;
  o.padding = 1;
  Tensor4 y = conv2d(x, w, o);
  CHECK(std::isnan(y(0, 0, 0, 0)));  // inf weight on a padded zero
  CHECK(std::isinf(y(0, 0, 2, 2)));  // inf weight on a real 1
}

TEST_CASE("workspace stays bounded and can be released") {
  Tensor4 x = xt::ones<float>({1, 64, 56, 56});
  Tensor4 w = xt::ones<float>({64, 64, 3, 3});
  Conv2dOptions o;
  o.padding = 1;
  conv2d(x, w, o);
  CHECK(workspace_floats() * 4 <= 16 * 1024 * 1024);
  release_workspace();
  CHECK(workspace_floats() == 0);
}
