// The README's C++ example: seed 004 forwards and back.
#include <convplay/convplay.hpp>
#include <iostream>
#include <xtensor/xbuilder.hpp>
#include <xtensor/xio.hpp>

int main() {
  xt::xtensor<float, 4> x = xt::reshape_view(xt::arange<float>(1, 10), {1, 1, 3, 3});
  xt::xtensor<float, 4> k = xt::ones<float>({1, 1, 2, 2});
  auto y = convplay::conv2d(x, k);  // [[12, 16], [24, 28]]
  std::cout << y << "\n";

  convplay::ConvTranspose2dOptions up;
  up.stride = 2;
  auto z = convplay::conv_transpose2d(y, k, up);  // 4x4: each value stamped into a 2x2 block
  std::cout << z << "\n";

  try {
    convplay::Conv2dOptions bad;
    bad.groups = 3;
    convplay::conv2d(x, k, bad);
  } catch (const convplay::Error& e) {
    std::cout << e.what() << "\n";  // conv2d: groups=3 must divide out_channels=1 ...
  }
  return y(0, 0, 1, 1) == 28.0f && z(0, 0, 3, 3) == 28.0f ? 0 : 1;
}
