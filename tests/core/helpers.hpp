// Shared by the core tests: tolerant comparison (NaN == NaN, same-signed Inf), golden JSON
// reading, and a deterministic RNG.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "convplay/geometry.hpp"

namespace testing {

// The contract: within 1e-4 absolute + 1e-4 relative of PyTorch.
inline bool close(float got, float want, float atol = 1e-4f, float rtol = 1e-4f) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::isinf(want)) return got == want;
  if (!std::isfinite(got)) return false;
  return std::fabs(got - want) <= atol + rtol * std::fabs(want);
}

// Index of the first mismatch, or -1.
inline int64_t first_mismatch(const float* got, const float* want, int64_t n, float atol = 1e-4f,
                              float rtol = 1e-4f) {
  for (int64_t i = 0; i < n; ++i)
    if (!close(got[i], want[i], atol, rtol)) return i;
  return -1;
}

#define CHECK_ALL_CLOSE(got, want, n, what)                                                 \
  do {                                                                                      \
    int64_t bad_ = ::testing::first_mismatch((got), (want), (n));                           \
    CHECK_MESSAGE(bad_ < 0, what, " element ", bad_, ": got ", (bad_ < 0 ? 0 : (got)[bad_]), \
                  " want ", (bad_ < 0 ? 0 : (want)[bad_]));                                 \
  } while (0)

struct Tensor {
  convplay::Shape shape;
  std::vector<float> data;
};

inline float json_float(const nlohmann::json& v) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "nan") return std::numeric_limits<float>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<float>::infinity();
    if (s == "-inf") return -std::numeric_limits<float>::infinity();
    FAIL("unknown float string " << s);
  }
  return v.get<float>();
}

inline Tensor json_tensor(const nlohmann::json& t) {
  Tensor r;
  for (auto& d : t.at("shape")) r.shape.push_back(d.get<int64_t>());
  for (auto& v : t.at("data")) r.data.push_back(json_float(v));
  return r;
}

inline nlohmann::json load_golden(const std::string& file) {
  std::ifstream in(std::string(CONVPLAY_GOLDEN_DIR) + "/" + file);
  REQUIRE_MESSAGE(in.good(), "missing golden file ", file);
  return nlohmann::json::parse(in);
}

inline convplay::Pair json_pair(const nlohmann::json& v) {
  if (v.is_number()) return convplay::Pair(v.get<int64_t>());
  return convplay::Pair(v.at(0).get<int64_t>(), v.at(1).get<int64_t>());
}

// conv2d's padding as JSON: an int, [h, w], "same" or "valid".
inline convplay::Padding json_padding(const nlohmann::json& v) {
  if (v.is_string()) return convplay::Padding::parse(v.get<std::string>());
  return convplay::Padding(json_pair(v));
}

inline convplay::KernelMatrixOptions kernel_matrix_options(const nlohmann::json& o) {
  convplay::KernelMatrixOptions r;
  if (o.contains("stride")) r.stride = json_pair(o["stride"]);
  if (o.contains("padding")) r.padding = json_padding(o["padding"]);
  if (o.contains("dilation")) r.dilation = json_pair(o["dilation"]);
  return r;
}

inline convplay::Conv2dOptions conv2d_options(const nlohmann::json& o) {
  convplay::Conv2dOptions r;
  if (o.contains("stride")) r.stride = json_pair(o["stride"]);
  if (o.contains("dilation")) r.dilation = json_pair(o["dilation"]);
  if (o.contains("groups")) r.groups = o["groups"].get<int64_t>();
  if (o.contains("paddingMode")) r.padding_mode = convplay::parse_padding_mode(o["paddingMode"]);
  if (o.contains("padding")) {
    if (o["padding"].is_string()) r.padding = convplay::Padding::parse(o["padding"]);
    else r.padding = convplay::Padding(json_pair(o["padding"]));
  }
  return r;
}

inline convplay::ConvTranspose2dOptions conv_transpose2d_options(const nlohmann::json& o) {
  convplay::ConvTranspose2dOptions r;
  if (o.contains("stride")) r.stride = json_pair(o["stride"]);
  if (o.contains("padding")) r.padding = json_pair(o["padding"]);
  if (o.contains("outputPadding")) r.output_padding = json_pair(o["outputPadding"]);
  if (o.contains("dilation")) r.dilation = json_pair(o["dilation"]);
  if (o.contains("groups")) r.groups = o["groups"].get<int64_t>();
  if (o.contains("paddingMode")) r.padding_mode = convplay::parse_padding_mode(o["paddingMode"]);
  return r;
}

template <class T> inline T sliding_options(const nlohmann::json& o) {
  T r;
  if (o.contains("kernelSize")) r.kernel_size = json_pair(o["kernelSize"]);
  if (o.contains("dilation")) r.dilation = json_pair(o["dilation"]);
  if (o.contains("padding")) r.padding = json_pair(o["padding"]);
  if (o.contains("stride")) r.stride = json_pair(o["stride"]);
  return r;
}

inline convplay::PadOptions pad_options(const nlohmann::json& o) {
  convplay::PadOptions r;
  auto p = o.at("pad");
  for (size_t i = 0; i < 4; ++i) r.pad[i] = i < p.size() ? p[i].get<int64_t>() : 0;
  std::string mode = o.value("mode", std::string("constant"));
  r.mode = mode == "constant" ? convplay::PaddingMode::Zeros : convplay::parse_padding_mode(mode);
  if (o.contains("value")) r.value = json_float(o["value"]);
  return r;
}

// --- issue 19's operations ---
inline convplay::Triple json_triple(const nlohmann::json& v) {
  if (v.is_number()) return convplay::Triple(v.get<int64_t>());
  return convplay::Triple(v.at(0).get<int64_t>(), v.at(1).get<int64_t>(), v.at(2).get<int64_t>());
}

inline convplay::Conv1dOptions conv1d_options(const nlohmann::json& o) {
  convplay::Conv1dOptions r;
  if (o.contains("stride")) r.stride = o["stride"].get<int64_t>();
  if (o.contains("dilation")) r.dilation = o["dilation"].get<int64_t>();
  if (o.contains("groups")) r.groups = o["groups"].get<int64_t>();
  if (o.contains("paddingMode")) r.padding_mode = convplay::parse_padding_mode(o["paddingMode"]);
  if (o.contains("padding")) {
    if (o["padding"].is_string()) {
      auto p = convplay::Padding::parse(o["padding"]);
      r.padding = p.kind == convplay::Padding::Kind::Same ? convplay::Padding1::same() : convplay::Padding1::valid();
    } else {
      r.padding = convplay::Padding1(o["padding"].get<int64_t>());
    }
  }
  return r;
}

inline convplay::Conv3dOptions conv3d_options(const nlohmann::json& o) {
  convplay::Conv3dOptions r;
  if (o.contains("stride")) r.stride = json_triple(o["stride"]);
  if (o.contains("dilation")) r.dilation = json_triple(o["dilation"]);
  if (o.contains("groups")) r.groups = o["groups"].get<int64_t>();
  if (o.contains("paddingMode")) r.padding_mode = convplay::parse_padding_mode(o["paddingMode"]);
  if (o.contains("padding")) {
    if (o["padding"].is_string()) {
      auto p = convplay::Padding::parse(o["padding"]);
      r.padding = p.kind == convplay::Padding::Kind::Same ? convplay::Padding3::same() : convplay::Padding3::valid();
    } else {
      r.padding = convplay::Padding3(json_triple(o["padding"]));
    }
  }
  return r;
}

inline convplay::ConvTranspose1dOptions conv_transpose1d_options(const nlohmann::json& o) {
  convplay::ConvTranspose1dOptions r;
  if (o.contains("stride")) r.stride = o["stride"].get<int64_t>();
  if (o.contains("padding")) r.padding = o["padding"].get<int64_t>();
  if (o.contains("outputPadding")) r.output_padding = o["outputPadding"].get<int64_t>();
  if (o.contains("dilation")) r.dilation = o["dilation"].get<int64_t>();
  if (o.contains("groups")) r.groups = o["groups"].get<int64_t>();
  return r;
}

inline convplay::ConvTranspose3dOptions conv_transpose3d_options(const nlohmann::json& o) {
  convplay::ConvTranspose3dOptions r;
  if (o.contains("stride")) r.stride = json_triple(o["stride"]);
  if (o.contains("padding")) r.padding = json_triple(o["padding"]);
  if (o.contains("outputPadding")) r.output_padding = json_triple(o["outputPadding"]);
  if (o.contains("dilation")) r.dilation = json_triple(o["dilation"]);
  if (o.contains("groups")) r.groups = o["groups"].get<int64_t>();
  return r;
}

inline convplay::MaxPool2dOptions max_pool2d_options(const nlohmann::json& o) {
  convplay::MaxPool2dOptions r;
  r.kernel_size = json_pair(o.at("kernelSize"));
  if (o.contains("stride")) r.stride = json_pair(o["stride"]);
  if (o.contains("padding")) r.padding = json_pair(o["padding"]);
  if (o.contains("dilation")) r.dilation = json_pair(o["dilation"]);
  if (o.contains("ceilMode")) r.ceil_mode = o["ceilMode"].get<bool>();
  return r;
}

inline convplay::AvgPool2dOptions avg_pool2d_options(const nlohmann::json& o) {
  convplay::AvgPool2dOptions r;
  r.kernel_size = json_pair(o.at("kernelSize"));
  if (o.contains("stride")) r.stride = json_pair(o["stride"]);
  if (o.contains("padding")) r.padding = json_pair(o["padding"]);
  if (o.contains("ceilMode")) r.ceil_mode = o["ceilMode"].get<bool>();
  if (o.contains("countIncludePad")) r.count_include_pad = o["countIncludePad"].get<bool>();
  if (o.contains("divisorOverride") && !o["divisorOverride"].is_null())
    r.divisor_override = o["divisorOverride"].get<int64_t>();
  return r;
}

struct Rng {
  std::mt19937 gen;
  explicit Rng(uint32_t seed) : gen(seed) {}
  int64_t uniform(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(gen); }
  bool chance(double p) { return std::bernoulli_distribution(p)(gen); }
  std::vector<float> values(int64_t n) {
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(n));
    for (auto& x : v) x = d(gen);
    return v;
  }
};

inline int64_t numel(const convplay::Shape& s) {
  int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

}  // namespace testing
