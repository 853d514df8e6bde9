// Every rule PyTorch enforces is enforced, and the message names the parameter.
// tests/golden/errors.json holds the cases PyTorch itself rejected (with its message).
#include "convplay/convplay.hpp"
#include "helpers.hpp"

using namespace convplay;

namespace {

// Runs the planning of one errors.json case; returns the message thrown, or "" if accepted.
// Cases that only the JS API can express (string padding for conv_transpose2d, pad lists
// that are not 4 long) return "js-only".
std::string plan_case(const nlohmann::json& c) {
  const std::string op = c["op"];
  auto shape = [](const nlohmann::json& j) {
    Shape s;
    for (auto& d : j) s.push_back(d.get<int64_t>());
    return s;
  };
  try {
    Shape x = shape(c["input_shape"]);
    const auto& o = c["options"];
    if (op == "conv2d" || op == "conv_transpose2d") {
      Shape w = shape(c["weight_shape"]);
      Shape b;
      const bool has_bias = !c["bias_shape"].is_null();
      if (has_bias) b = shape(c["bias_shape"]);
      if (op == "conv2d") {
        plan_conv2d(x, w, has_bias ? &b : nullptr, testing::conv2d_options(o));
      } else {
        if (o["padding"].is_string()) return "js-only";
        plan_conv_transpose2d(x, w, has_bias ? &b : nullptr, testing::conv_transpose2d_options(o));
      }
    } else if (op == "unfold") {
      plan_unfold(x, testing::sliding_options<UnfoldOptions>(o));
    } else if (op == "fold") {
      auto f = testing::sliding_options<FoldOptions>(o);
      f.output_size = testing::json_pair(o["outputSize"]);
      plan_fold(x, f);
    } else if (op == "pad") {
      if (o["pad"].size() != 4) return "js-only";
      PadOptions p;
      for (size_t i = 0; i < 4; ++i) p.pad[i] = o["pad"][i].get<int64_t>();
      p.mode = parse_pad_mode(o["mode"]);
      p.value = testing::json_float(o["value"]);
      plan_pad(x, p);
    } else if (op == "conv1d" || op == "conv3d" || op == "conv_transpose1d" || op == "conv_transpose3d") {
      Shape w = shape(c["weight_shape"]);
      Shape b;
      const bool has_bias = !c["bias_shape"].is_null();
      if (has_bias) b = shape(c["bias_shape"]);
      const Shape* bp = has_bias ? &b : nullptr;
      if (op == "conv1d") plan_conv1d(x, w, bp, testing::conv1d_options(o));
      else if (op == "conv3d") plan_conv3d(x, w, bp, testing::conv3d_options(o));
      else if (op == "conv_transpose1d") plan_conv_transpose1d(x, w, bp, testing::conv_transpose1d_options(o));
      else plan_conv_transpose3d(x, w, bp, testing::conv_transpose3d_options(o));
    } else if (op == "conv2d_backward") {
      plan_conv2d_backward(x, shape(c["weight_shape"]), shape(c["grad_output_shape"]), testing::conv2d_options(o));
    } else if (op == "conv_transpose2d_backward") {
      plan_conv_transpose2d_backward(x, shape(c["weight_shape"]), shape(c["grad_output_shape"]),
                                     testing::conv_transpose2d_options(o));
    } else if (op == "max_pool2d") {
      plan_max_pool2d(x, testing::max_pool2d_options(o));
    } else if (op == "avg_pool2d") {
      plan_avg_pool2d(x, testing::avg_pool2d_options(o));
    } else if (op == "kernel_matrix") {
      Shape k = shape(c["kernel_shape"]);
      plan_kernel_matrix(k, convplay::Pair(x.at(0), x.at(1)), testing::kernel_matrix_options(o));
    } else {
      FAIL("unknown op " << op);
    }
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

template <class F> std::string message_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("errors.json: every configuration PyTorch rejects is rejected, naming the parameter") {
  int checked = 0, js_only = 0;
  const auto doc = testing::load_golden("errors.json");
  for (auto& c : doc.at("cases")) {
    const std::string name = c["name"], param = c["param"];
    const std::string message = plan_case(c);
    if (message == "js-only") {
      ++js_only;
      continue;
    }
    INFO(name, ": torch said \"", c["torch_message"].get<std::string>(), "\"");
    CHECK_MESSAGE(!message.empty(), name, " was accepted");
    CHECK_MESSAGE(message.find(param) != std::string::npos, name, ": \"", message,
                  "\" does not name ", param);
    ++checked;
  }
  MESSAGE("errors.json: ", checked, " rejected with the parameter named, ", js_only,
          " left to the JS tests");
  CHECK(checked >= 140);
}

TEST_CASE("error messages state the rule with the numbers") {
  Conv2dOptions g3;
  g3.groups = 3;
  CHECK(message_of([&] { plan_conv2d({1, 4, 5, 5}, {6, 1, 3, 3}, nullptr, g3); }) ==
        "conv2d: groups=3 must divide in_channels=4 (input of shape [1, 4, 5, 5])");
  Conv2dOptions s0;
  s0.stride = Pair(0, 1);
  CHECK(message_of([&] { plan_conv2d({1, 1, 5, 5}, {1, 1, 3, 3}, nullptr, s0); }) ==
        "conv2d: stride=(0, 1) must be positive (>= 1) in both dimensions");
  ConvTranspose2dOptions op;
  op.output_padding = 1;
  CHECK(message_of([&] { plan_conv_transpose2d({1, 1, 5, 5}, {1, 1, 3, 3}, nullptr, op); })
            .find("outputPadding=(1, 1) must be smaller than either stride=(1, 1) or dilation=(1, 1)") !=
        std::string::npos);
  ConvTranspose2dOptions reflect;
  reflect.padding_mode = PaddingMode::Reflect;
  CHECK(message_of([&] { plan_conv_transpose2d({1, 1, 5, 5}, {1, 1, 3, 3}, nullptr, reflect); })
            .find("only 'zeros' padding mode") != std::string::npos);
  CHECK(message_of([] { parse_padding_mode("mirror"); }) ==
        "paddingMode='mirror' must be one of 'zeros', 'reflect', 'replicate', 'circular'");
  CHECK(message_of([] { Padding::parse("full"); }).find("padding='full'") == 0);
  KernelMatrixOptions km;
  km.padding = Padding::same();
  km.stride = Pair(1, 2);
  CHECK(message_of([&] { plan_kernel_matrix({3, 3}, Pair(5, 5), km); }) ==
        "kernel_matrix: padding='same' is not supported for strided convolutions (stride=(1, 2) must be 1)");
}

TEST_CASE("issue 19's operations: messages start with the op, name the parameter and its value, state the rule") {
  Conv1dOptions s2;
  s2.padding = Padding1::same();
  s2.stride = 2;
  CHECK(message_of([&] { plan_conv1d({1, 2, 6}, {3, 2, 3}, nullptr, s2); }) ==
        "conv1d: padding='same' is not supported for strided convolutions (stride=2 must be 1)");
  Conv3dOptions d0;
  d0.dilation = Triple(1, 0, 1);
  CHECK(message_of([&] { plan_conv3d({1, 1, 4, 4, 4}, {1, 1, 2, 2, 2}, nullptr, d0); }) ==
        "conv3d: dilation=(1, 0, 1) must be positive (>= 1) in every dimension");
  CHECK(message_of([] { plan_conv2d_backward({1, 2, 5, 5}, {3, 2, 3, 3}, {1, 3, 4, 4}, {}); }) ==
        "conv2d_backward: gradOutput of shape [1, 3, 4, 4] must have the forward output's shape "
        "[1, 3, 3, 3] (input [1, 2, 5, 5], weight [3, 2, 3, 3])");
  Conv2dOptions g3;
  g3.groups = 3;
  CHECK(message_of([&] { plan_conv2d_backward({1, 4, 5, 5}, {6, 1, 3, 3}, {1, 6, 3, 3}, g3); }) ==
        "conv2d_backward: groups=3 must divide in_channels=4 (input of shape [1, 4, 5, 5])");
  MaxPool2dOptions mp;
  mp.kernel_size = 2;
  mp.padding = Pair(2, 0);
  CHECK(message_of([&] { plan_max_pool2d({1, 1, 5, 5}, mp); }) ==
        "max_pool2d: padding=(2, 0) must be at most half of kernelSize=(2, 2) in each dimension");
  AvgPool2dOptions ap;
  ap.kernel_size = 2;
  ap.divisor_override = 0;
  CHECK(message_of([&] { plan_avg_pool2d({1, 1, 5, 5}, ap); }) == "avg_pool2d: divisorOverride=0 must not be zero");
  ConvTranspose3dOptions op;
  op.output_padding = Triple(0, 1, 0);
  CHECK(message_of([&] { plan_conv_transpose3d({1, 1, 3, 3, 3}, {1, 1, 2, 2, 2}, nullptr, op); }) ==
        "conv_transpose3d: outputPadding=(0, 1, 0) must be smaller than either stride=(1, 1, 1) or "
        "dilation=(1, 1, 1) in each dimension");
  // ceil mode: the last window must start inside the input or the left padding
  MaxPool2dOptions ceil;
  ceil.kernel_size = 2;
  ceil.stride = Pair(2, 2);
  ceil.padding = 1;
  ceil.ceil_mode = true;
  CHECK(plan_max_pool2d({1, 1, 5, 5}, ceil).OH == 3);  // not 4: a 4th window would start at 6 >= 5 + 1
  auto shape = max_pool2d_output_shape({1, 1, 5, 5}, ceil);
  CHECK(shape.ok);
  CHECK(shape.shape == Shape{1, 1, 3, 3});
  CHECK_FALSE(conv3d_output_shape({1, 1, 2, 2, 2}, {1, 1, 3, 3, 3}, nullptr, {}).ok);
  CHECK(conv_transpose1d_output_shape({2, 5}, {2, 3, 4}, nullptr, [] {
          ConvTranspose1dOptions t;
          t.stride = 2;
          return t;
        }()).shape == Shape{3, 12});
}

TEST_CASE("sizes beyond the limit are rejected before any allocation") {
  // 2048x2048 RGB is allowed
  CHECK_NOTHROW(plan_conv2d({1, 3, 2048, 2048}, {3, 1, 3, 3}, nullptr, [] {
    Conv2dOptions o;
    o.groups = 3;
    o.padding = 1;
    return o;
  }()));
  CHECK(message_of([] { plan_conv2d({1, 3, 1 << 20, 1 << 20}, {1, 3, 1, 1}, nullptr, {}); })
            .find("has more than 67108864 elements") != std::string::npos);
  // the output is what overflows: FCN x32 upsampling of a 512x512 map
  ConvTranspose2dOptions fcn;
  fcn.stride = 32;
  fcn.padding = 16;
  CHECK(message_of([&] { plan_conv_transpose2d({1, 21, 512, 512}, {21, 21, 64, 64}, nullptr, fcn); })
            .find("the output of shape") != std::string::npos);
  // int64 overflow in the product of dimensions saturates instead of wrapping
  CHECK(message_of([] { plan_unfold({int64_t{1} << 40, int64_t{1} << 40, 3, 3}, {}); })
            .find("more than") != std::string::npos);
  Conv2dOptions huge;
  huge.dilation = Pair(int64_t{1} << 40, 1);
  CHECK(message_of([&] { plan_conv2d({1, 1, 5, 5}, {1, 1, 3, 3}, nullptr, huge); })
            .find("dilation=") != std::string::npos);
  CHECK(message_of([] { plan_kernel_matrix({3, 3}, Pair(4096, 4096), {}); })
            .find("kernel matrix") != std::string::npos);
  CHECK(message_of([] { bilinear_kernel(3, 2, 4); }).find("in_channels=3 and out_channels=2") !=
        std::string::npos);
}

TEST_CASE("the non-throwing shape helpers report the same verdict") {
  Conv2dOptions o;
  o.padding = Padding::same();
  auto ok = conv2d_output_shape({2, 3, 7, 9}, {4, 3, 4, 2}, nullptr, o);
  CHECK(ok.ok);
  CHECK(ok.shape == Shape{2, 4, 7, 9});
  o.stride = 2;
  auto bad = conv2d_output_shape({2, 3, 7, 9}, {4, 3, 4, 2}, nullptr, o);
  CHECK_FALSE(bad.ok);
  CHECK(bad.error.find("padding='same' is not supported for strided convolutions") != std::string::npos);
  ConvTranspose2dOptions t;
  t.stride = 2;
  t.output_padding = 1;
  auto tshape = conv_transpose2d_output_shape({4, 4}, {1, 1, 3, 3}, nullptr, t);
  CHECK_FALSE(tshape.ok);  // 2-D input
  tshape = conv_transpose2d_output_shape({1, 4, 4}, {1, 1, 3, 3}, nullptr, t);
  CHECK(tshape.ok);
  CHECK(tshape.shape == Shape{1, 10, 10});
}
