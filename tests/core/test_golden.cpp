// PyTorch 1.13 golden vectors (tests/golden/*.json, written by gen.py with python3-torch):
// every case through the optimized kernels and the reference.
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

}  // namespace

TEST_CASE("golden: conv2d") {
  auto doc = testing::load_golden("conv2d.json");
  int cases = 0;
  for (auto& c : doc.at("cases")) {
    auto x = json_tensor(c["input"]), w = json_tensor(c["weight"]), want = json_tensor(c["output"]);
    const bool has_bias = !c["bias"].is_null();
    testing::Tensor b = has_bias ? json_tensor(c["bias"]) : testing::Tensor{};
    auto g = plan_conv2d(x.shape, w.shape, has_bias ? &b.shape : nullptr,
                         testing::conv2d_options(c["options"]));
    const float* bp = has_bias ? b.data.data() : nullptr;
    std::vector<float> got(g.output_size()), ref(g.output_size());
    conv2d(g, x.data.data(), w.data.data(), bp, got.data());
    reference::conv2d(g, x.data.data(), w.data.data(), bp, ref.data());
    check_output("conv2d", c["name"], g.output_shape(), got, want);
    check_output("conv2d reference", c["name"], g.output_shape(), ref, want);
    ++cases;
  }
  MESSAGE("conv2d golden cases: ", cases);
  CHECK(cases >= 100);
}

TEST_CASE("golden: conv_transpose2d") {
  auto doc = testing::load_golden("conv_transpose2d.json");
  int cases = 0;
  for (auto& c : doc.at("cases")) {
    auto x = json_tensor(c["input"]), w = json_tensor(c["weight"]), want = json_tensor(c["output"]);
    const bool has_bias = !c["bias"].is_null();
    testing::Tensor b = has_bias ? json_tensor(c["bias"]) : testing::Tensor{};
    auto g = plan_conv_transpose2d(x.shape, w.shape, has_bias ? &b.shape : nullptr,
                                   testing::conv_transpose2d_options(c["options"]));
    const float* bp = has_bias ? b.data.data() : nullptr;
    std::vector<float> got(g.output_size()), ref(g.output_size());
    conv_transpose2d(g, x.data.data(), w.data.data(), bp, got.data());
    reference::conv_transpose2d(g, x.data.data(), w.data.data(), bp, ref.data());
    check_output("conv_transpose2d", c["name"], g.output_shape(), got, want);
    check_output("conv_transpose2d reference", c["name"], g.output_shape(), ref, want);
    ++cases;
  }
  MESSAGE("conv_transpose2d golden cases: ", cases);
  CHECK(cases >= 80);
}

TEST_CASE("golden: unfold and fold") {
  int cases = 0;
  const auto unfolds = testing::load_golden("unfold.json");
  for (auto& c : unfolds.at("cases")) {
    auto x = json_tensor(c["input"]), want = json_tensor(c["output"]);
    auto g = plan_unfold(x.shape, testing::sliding_options<UnfoldOptions>(c["options"]));
    std::vector<float> got(g.output_size()), ref(g.output_size());
    unfold(g, x.data.data(), got.data());
    reference::unfold(g, x.data.data(), ref.data());
    check_output("unfold", c["name"], g.output_shape(), got, want);
    check_output("unfold reference", c["name"], g.output_shape(), ref, want);
    ++cases;
  }
  const auto folds = testing::load_golden("fold.json");
  for (auto& c : folds.at("cases")) {
    auto x = json_tensor(c["input"]), want = json_tensor(c["output"]);
    auto o = testing::sliding_options<FoldOptions>(c["options"]);
    o.output_size = testing::json_pair(c["options"]["outputSize"]);
    auto g = plan_fold(x.shape, o);
    Shape shape = g.batched ? Shape{g.N, g.C, g.H, g.W} : Shape{g.C, g.H, g.W};
    std::vector<float> got(testing::numel(shape)), ref(testing::numel(shape));
    fold(g, x.data.data(), got.data());
    reference::fold(g, x.data.data(), ref.data());
    check_output("fold", c["name"], shape, got, want);
    check_output("fold reference", c["name"], shape, ref, want);
    ++cases;
  }
  MESSAGE("unfold + fold golden cases: ", cases);
  CHECK(cases >= 40);
}

TEST_CASE("golden: pad") {
  int cases = 0;
  const auto doc = testing::load_golden("pad.json");
  for (auto& c : doc.at("cases")) {
    auto x = json_tensor(c["input"]), want = json_tensor(c["output"]);
    auto g = plan_pad(x.shape, testing::pad_options(c["options"]));
    std::vector<float> got(g.output_size()), ref(g.output_size());
    pad(g, x.data.data(), got.data());
    reference::pad(g, x.data.data(), ref.data());
    check_output("pad", c["name"], g.output_shape(), got, want);
    check_output("pad reference", c["name"], g.output_shape(), ref, want);
    ++cases;
  }
  MESSAGE("pad golden cases: ", cases);
  CHECK(cases >= 20);
}

TEST_CASE("golden: kernel_matrix and bilinear_kernel") {
  int cases = 0;
  const auto matrices = testing::load_golden("kernel_matrix.json");
  for (auto& c : matrices.at("cases")) {
    auto k = json_tensor(c["kernel"]), want = json_tensor(c["output"]);
    const KernelMatrixOptions o = testing::kernel_matrix_options(c["options"]);
    auto g = plan_kernel_matrix(k.shape, testing::json_pair(c["inputSize"]), o);
    std::vector<float> got(g.output_size()), ref(g.output_size());
    kernel_matrix(g, k.data.data(), got.data());
    reference::kernel_matrix(g, k.data.data(), ref.data());
    check_output("kernel_matrix", c["name"], g.output_shape(), got, want);
    check_output("kernel_matrix reference", c["name"], g.output_shape(), ref, want);
    // the matrix is conv2d's: M @ x == conv2d(x, k) with the same options, 'same' included
    Conv2dOptions co;
    co.stride = o.stride;
    co.padding = o.padding;
    co.dilation = o.dilation;
    auto cg = plan_conv2d({1, 1, g.H, g.W}, {1, 1, g.kh, g.kw}, nullptr, co);
    REQUIRE(cg.OH * cg.OW == g.OH * g.OW);
    std::vector<float> x(g.H * g.W), y(cg.output_size()), mx(cg.output_size(), 0.0f);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 7) % 11) - 5.0f;
    reference::conv2d(cg, x.data(), k.data.data(), nullptr, y.data());
    for (int64_t r = 0; r < g.OH * g.OW; ++r)
      for (int64_t col = 0; col < g.H * g.W; ++col) mx[r] += got[r * g.H * g.W + col] * x[col];
    check_output("kernel_matrix M @ x == conv2d", c["name"], cg.output_shape(), mx,
                 testing::Tensor{cg.output_shape(), y});
    ++cases;
  }
  const auto bilinear = testing::load_golden("bilinear_kernel.json");
  for (auto& c : bilinear.at("cases")) {
    const int64_t in = c["in"], out = c["out"], k = c["k"];
    auto want = json_tensor(c["output"]);
    std::vector<float> got(in * out * k * k);
    bilinear_kernel(in, out, k, got.data());
    check_output("bilinear_kernel", std::to_string(in) + "," + std::to_string(out) + "," + std::to_string(k),
                 Shape{in, out, k, k}, got, want);
    ++cases;
  }
  MESSAGE("kernel_matrix + bilinear_kernel golden cases: ", cases);
  CHECK(cases >= 15);
}
