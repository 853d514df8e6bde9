// PyTorch 1.13 golden vectors of issue 19's operations (conv1d, conv_transpose1d, conv3d,
// conv_transpose3d, the conv2d / conv_transpose2d backward passes from torch.autograd,
// max_pool2d with indices, avg_pool2d): every case through the optimized operator and the
// reference. The backward cases also check gradInput == conv_transpose2d(gradOutput, w)
// with the output_padding that restores the input's shape (zero padding).
#include "convplay/kernels.hpp"
#include "helpers.hpp"

using namespace convplay;
using testing::json_tensor;

namespace {

void check_output(const char* op, const std::string& name, const Shape& got_shape,
                  const std::vector<float>& got, const testing::Tensor& want) {
  INFO(op, " case ", name);
  REQUIRE_MESSAGE(got_shape == want.shape, "shape ", format_shape(got_shape), " want ",
                  format_shape(want.shape));
  CHECK_ALL_CLOSE(got.data(), want.data.data(), static_cast<int64_t>(want.data.size()), name);
}

template <class Plan> int run_conv_nd_file(const char* file, bool transposed, Plan plan) {
  const auto doc = testing::load_golden(file);
  int cases = 0;
  for (auto& c : doc.at("cases")) {
    auto x = json_tensor(c["input"]), w = json_tensor(c["weight"]), want = json_tensor(c["output"]);
    const bool has_bias = !c["bias"].is_null();
    testing::Tensor b = has_bias ? json_tensor(c["bias"]) : testing::Tensor{};
    ConvNdGeometry g = plan(x.shape, w.shape, has_bias ? &b.shape : nullptr, c["options"]);
    const float* bp = has_bias ? b.data.data() : nullptr;
    std::vector<float> got(g.output_size(), -7.0f), ref(g.output_size(), -7.0f);
    if (transposed) {
      conv_transpose_nd(g, x.data.data(), w.data.data(), bp, got.data());
      reference::conv_transpose_nd(g, x.data.data(), w.data.data(), bp, ref.data());
    } else {
      conv_nd(g, x.data.data(), w.data.data(), bp, got.data());
      reference::conv_nd(g, x.data.data(), w.data.data(), bp, ref.data());
    }
    check_output(file, c["name"], g.output_shape(), got, want);
    check_output(file, std::string(c["name"]) + " (reference)", g.output_shape(), ref, want);
    ++cases;
  }
  MESSAGE(std::string(file), " golden cases: ", cases);
  return cases;
}

}  // namespace

TEST_CASE("golden: conv1d and conv_transpose1d") {
  CHECK(run_conv_nd_file("conv1d.json", false, [](const Shape& x, const Shape& w, const Shape* b, const nlohmann::json& o) {
          return plan_conv1d(x, w, b, testing::conv1d_options(o));
        }) >= 20);
  CHECK(run_conv_nd_file("conv_transpose1d.json", true, [](const Shape& x, const Shape& w, const Shape* b, const nlohmann::json& o) {
          return plan_conv_transpose1d(x, w, b, testing::conv_transpose1d_options(o));
        }) >= 10);
}

TEST_CASE("golden: conv3d and conv_transpose3d") {
  CHECK(run_conv_nd_file("conv3d.json", false, [](const Shape& x, const Shape& w, const Shape* b, const nlohmann::json& o) {
          return plan_conv3d(x, w, b, testing::conv3d_options(o));
        }) >= 20);
  CHECK(run_conv_nd_file("conv_transpose3d.json", true, [](const Shape& x, const Shape& w, const Shape* b, const nlohmann::json& o) {
          return plan_conv_transpose3d(x, w, b, testing::conv_transpose3d_options(o));
        }) >= 10);
}

TEST_CASE("golden: conv2d_backward (torch.autograd), and gradInput == conv_transpose2d(gradOutput, w)") {
  const auto doc = testing::load_golden("conv2d_backward.json");
  int cases = 0, identities = 0;
  for (auto& c : doc.at("cases")) {
    auto x = json_tensor(c["input"]), w = json_tensor(c["weight"]), gy = json_tensor(c["gradOutput"]);
    const Conv2dOptions o = testing::conv2d_options(c["options"]);
    auto g = plan_conv2d_backward(x.shape, w.shape, gy.shape, o);
    for (int impl = 0; impl < 2; ++impl) {
      std::vector<float> gx(x.data.size(), -7.0f), gw(w.data.size(), -7.0f), gb(g.K, -7.0f);
      (impl ? reference::conv2d_backward : conv2d_backward)(g, x.data.data(), w.data.data(), gy.data.data(),
                                                             gx.data(), gw.data(), gb.data());
      const std::string name = std::string(c["name"]) + (impl ? " (reference)" : "");
      check_output("gradInput", name, x.shape, gx, json_tensor(c["gradInput"]));
      check_output("gradWeight", name, w.shape, gw, json_tensor(c["gradWeight"]));
      check_output("gradBias", name, Shape{g.K}, gb, json_tensor(c["gradBias"]));
    }
    // the identity the page teaches: zero padding, the same padding on both sides
    if (g.mode == PaddingMode::Zeros && g.pad_top == g.pad_bottom && g.pad_left == g.pad_right) {
      ConvTranspose2dOptions t;
      t.stride = Pair(g.sh, g.sw);
      t.padding = Pair(g.pad_top, g.pad_left);
      t.dilation = Pair(g.dh, g.dw);
      t.groups = g.groups;
      t.output_padding = Pair(g.H + 2 * g.pad_top - ((g.OH - 1) * g.sh + g.dh * (g.kh - 1) + 1),
                              g.W + 2 * g.pad_left - ((g.OW - 1) * g.sw + g.dw * (g.kw - 1) + 1));
      auto tg = plan_conv_transpose2d(gy.shape, w.shape, nullptr, t);
      REQUIRE(tg.output_shape() == x.shape);
      std::vector<float> back(tg.output_size());
      conv_transpose2d(tg, gy.data.data(), w.data.data(), nullptr, back.data());
      check_output("conv_transpose2d(gradOutput, w) == gradInput", c["name"], tg.output_shape(), back,
                   json_tensor(c["gradInput"]));
      ++identities;
    }
    ++cases;
  }
  MESSAGE("conv2d_backward golden cases: ", cases, " (", identities, " also through the identity)");
  CHECK(cases >= 20);
  CHECK(identities >= 8);
}

TEST_CASE("golden: conv_transpose2d_backward (torch.autograd)") {
  const auto doc = testing::load_golden("conv_transpose2d_backward.json");
  int cases = 0;
  for (auto& c : doc.at("cases")) {
    auto x = json_tensor(c["input"]), w = json_tensor(c["weight"]), gy = json_tensor(c["gradOutput"]);
    auto g = plan_conv_transpose2d_backward(x.shape, w.shape, gy.shape,
                                            testing::conv_transpose2d_options(c["options"]));
    for (int impl = 0; impl < 2; ++impl) {
      std::vector<float> gx(x.data.size(), -7.0f), gw(w.data.size(), -7.0f), gb(g.K, -7.0f);
      (impl ? reference::conv_transpose2d_backward : conv_transpose2d_backward)(
          g, x.data.data(), w.data.data(), gy.data.data(), gx.data(), gw.data(), gb.data());
      const std::string name = std::string(c["name"]) + (impl ? " (reference)" : "");
      check_output("gradInput", name, x.shape, gx, json_tensor(c["gradInput"]));
      check_output("gradWeight", name, w.shape, gw, json_tensor(c["gradWeight"]));
      check_output("gradBias", name, Shape{g.K}, gb, json_tensor(c["gradBias"]));
    }
    ++cases;
  }
  MESSAGE("conv_transpose2d_backward golden cases: ", cases);
  CHECK(cases >= 8);
}

TEST_CASE("golden: max_pool2d (values and indices) and avg_pool2d") {
  int cases = 0;
  const auto max_doc = testing::load_golden("max_pool2d.json"), avg_doc = testing::load_golden("avg_pool2d.json");
  for (auto& c : max_doc.at("cases")) {
    auto x = json_tensor(c["input"]), want = json_tensor(c["output"]);
    auto g = plan_max_pool2d(x.shape, testing::max_pool2d_options(c["options"]));
    for (int impl = 0; impl < 2; ++impl) {
      std::vector<float> y(g.output_size(), -7.0f);
      std::vector<int32_t> idx(g.output_size(), -7);
      (impl ? reference::max_pool2d : max_pool2d)(g, x.data.data(), y.data(), idx.data());
      const std::string name = std::string(c["name"]) + (impl ? " (reference)" : "");
      check_output("max_pool2d", name, g.output_shape(), y, want);
      std::vector<int32_t> want_idx;
      for (auto& v : c["indices"]) want_idx.push_back(v.get<int32_t>());
      CHECK_MESSAGE(idx == want_idx, name, ": indices differ");
    }
    std::vector<float> values(g.output_size(), -7.0f);  // without indices: the SIMD passes
    max_pool2d(g, x.data.data(), values.data(), nullptr);
    check_output("max_pool2d without indices", c["name"], g.output_shape(), values, want);
    ++cases;
  }
  for (auto& c : avg_doc.at("cases")) {
    auto x = json_tensor(c["input"]), want = json_tensor(c["output"]);
    auto g = plan_avg_pool2d(x.shape, testing::avg_pool2d_options(c["options"]));
    for (int impl = 0; impl < 2; ++impl) {
      std::vector<float> y(g.output_size(), -7.0f);
      (impl ? reference::avg_pool2d : avg_pool2d)(g, x.data.data(), y.data());
      check_output("avg_pool2d", std::string(c["name"]) + (impl ? " (reference)" : ""), g.output_shape(), y, want);
    }
    ++cases;
  }
  MESSAGE("max_pool2d + avg_pool2d golden cases: ", cases);
  CHECK(cases >= 35);
}
