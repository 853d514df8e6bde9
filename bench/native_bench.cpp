// The native build's speed on the benchmark shapes: the raw-pointer operators of
// convplay_core (kernels.hpp) timed without any copies, checked against the reference
// kernels first. bench/bench.mjs runs it and puts its numbers beside the WebAssembly ones.
//
// usage: convplay_native_bench [--smoke] [--min-ms N] [--rounds N] [CASE...]
//   CASE = id:op:C:H:W:K:k:stride:padding:outputPadding:groups  (op = conv | convT)
//   without CASEs, the benchmark's own list below.
// Prints one JSON object per line: {"backend": ...} first, then one per case.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "convplay/kernels.hpp"

namespace {

struct Case {
  std::string id;
  bool transposed = false;
  int64_t C = 1, H = 1, W = 1, K = 1, k = 1, stride = 1, padding = 0, output_padding = 0, groups = 1;
};

const char* const kDefaultCases[] = {
    "P1:conv:1:8:8:1:3:1:1:0:1",        "P2:conv:3:32:32:8:3:1:1:0:1",
    "P3:conv:3:512:512:3:3:1:1:0:1",    "P3dw:conv:3:512:512:3:3:1:1:0:3",
    "P4:conv:64:56:56:64:3:1:1:0:1",    "P5:conv:128:28:28:256:3:2:1:0:1",
    "P6:conv:256:14:14:256:1:1:0:0:1",  "T1:convT:64:28:28:32:4:2:1:0:1",
    "P4t:convT:64:56:56:64:3:1:1:0:1",  "P5t:convT:256:14:14:128:3:2:1:1:1",
    "T2:convT:21:10:15:21:64:32:16:0:1", "T0:convT:1:2:2:1:2:1:0:0:1",
};

Case parse_case(const std::string& spec) {
  std::vector<std::string> f;
  std::stringstream ss(spec);
  for (std::string part; std::getline(ss, part, ':');) f.push_back(part);
  if (f.size() != 11 || (f[1] != "conv" && f[1] != "convT")) {
    std::fprintf(stderr, "bad case '%s' (want id:conv|convT:C:H:W:K:k:stride:padding:outputPadding:groups)\n",
                 spec.c_str());
    std::exit(2);
  }
  Case c;
  c.id = f[0];
  c.transposed = f[1] == "convT";
  int64_t* fields[] = {&c.C, &c.H, &c.W, &c.K, &c.k, &c.stride, &c.padding, &c.output_padding, &c.groups};
  for (int i = 0; i < 9; ++i) *fields[i] = std::stoll(f[2 + i]);
  return c;
}

double now_ms() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(clock::now().time_since_epoch()).count();
}

void fill(std::vector<float>& v, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  for (auto& e : v) e = d(rng);
}

// Largest |a - b| / (1 + |b|): the relative-or-absolute error the JS harness uses too.
double max_error(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(double(a[i]) - double(b[i])) / (1.0 + std::abs(double(b[i]))));
  return worst;
}

struct Timing {
  double median = 0, min = 0, max = 0;
  int iterations = 0;
};

template <class F> Timing time_rounds(F&& call, double min_ms, int rounds) {
  call();  // warm-up (also sizes the workspace)
  int iterations = 1;
  for (;;) {  // calibrate: a round takes at least min_ms
    const double t0 = now_ms();
    for (int i = 0; i < iterations; ++i) call();
    const double ms = now_ms() - t0;
    if (ms >= min_ms || iterations >= (1 << 24)) break;
    iterations = static_cast<int>(std::min<double>(iterations * 100.0,
        std::ceil(iterations * 1.2 * min_ms / std::max(ms, 1e-3))));
  }
  std::vector<double> per_call;
  for (int r = 0; r < rounds; ++r) {
    const double t0 = now_ms();
    for (int i = 0; i < iterations; ++i) call();
    per_call.push_back((now_ms() - t0) / iterations);
  }
  std::sort(per_call.begin(), per_call.end());
  Timing t;
  t.median = per_call[per_call.size() / 2];
  t.min = per_call.front();
  t.max = per_call.back();
  t.iterations = iterations;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  double min_ms = 50;
  int rounds = 7;
  std::vector<Case> cases;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--smoke") smoke = true;
    else if (a == "--min-ms" && i + 1 < argc) min_ms = std::atof(argv[++i]);
    else if (a == "--rounds" && i + 1 < argc) rounds = std::atoi(argv[++i]);
    else cases.push_back(parse_case(a));
  }
  if (cases.empty())
    for (const char* spec : kDefaultCases) cases.push_back(parse_case(spec));
  if (smoke) {
    min_ms = 1;
    rounds = 1;
  }

  std::printf("{\"backend\":\"%s\"}\n", convplay::simd_backend());
  std::fflush(stdout);
  std::mt19937 rng(12345);
  int failures = 0;
  for (const Case& c : cases) {
    const convplay::Shape xs{1, c.C, c.H, c.W};
    std::vector<float> x(static_cast<size_t>(c.C * c.H * c.W));
    std::vector<float> y, ref;
    std::vector<float> w;
    double macs = 0;
    double err = 0;
    Timing t;
    const char* path = "";
    convplay::release_workspace();
    try {
      if (!c.transposed) {
        const convplay::Shape ws{c.K, c.C / c.groups, c.k, c.k};
        convplay::Conv2dOptions o;
        o.stride = c.stride;
        o.padding = c.padding;
        o.groups = c.groups;
        const auto g = convplay::plan_conv2d(xs, ws, nullptr, o);
        w.resize(static_cast<size_t>(ws[0] * ws[1] * ws[2] * ws[3]));
        fill(x, rng);
        fill(w, rng);
        y.assign(static_cast<size_t>(g.output_size()), 0.0f);
        ref.assign(y.size(), 0.0f);
        macs = double(g.K) * g.OH * g.OW * g.Cg() * g.kh * g.kw;
        const auto p = convplay::choose_conv2d_path(g);
        path = p == convplay::Conv2dPath::Direct ? "direct" : p == convplay::Conv2dPath::Gemm ? "gemm" : "empty";
        convplay::reference::conv2d(g, x.data(), w.data(), nullptr, ref.data());
        convplay::conv2d(g, x.data(), w.data(), nullptr, y.data());
        err = max_error(y, ref);
        t = time_rounds([&] { convplay::conv2d(g, x.data(), w.data(), nullptr, y.data()); }, min_ms, rounds);
      } else {
        const convplay::Shape ws{c.C, c.K / c.groups, c.k, c.k};
        convplay::ConvTranspose2dOptions o;
        o.stride = c.stride;
        o.padding = c.padding;
        o.output_padding = c.output_padding;
        o.groups = c.groups;
        const auto g = convplay::plan_conv_transpose2d(xs, ws, nullptr, o);
        w.resize(static_cast<size_t>(ws[0] * ws[1] * ws[2] * ws[3]));
        fill(x, rng);
        fill(w, rng);
        y.assign(static_cast<size_t>(g.output_size()), 0.0f);
        ref.assign(y.size(), 0.0f);
        macs = double(g.C) * g.H * g.W * g.Kg() * g.kh * g.kw;
        path = "transposed";
        convplay::reference::conv_transpose2d(g, x.data(), w.data(), nullptr, ref.data());
        convplay::conv_transpose2d(g, x.data(), w.data(), nullptr, y.data());
        err = max_error(y, ref);
        t = time_rounds([&] { convplay::conv_transpose2d(g, x.data(), w.data(), nullptr, y.data()); },
                        min_ms, rounds);
      }
    } catch (const std::exception& e) {
      std::printf("{\"id\":\"%s\",\"ok\":false,\"error\":\"%s\"}\n", c.id.c_str(), e.what());
      ++failures;
      continue;
    }
    const bool ok = err <= 1e-3;
    if (!ok) ++failures;
    const int64_t workspace_bytes = convplay::workspace_floats() * 4;
    std::printf(
        "{\"id\":\"%s\",\"ok\":%s,\"path\":\"%s\",\"macs\":%.0f,\"maxError\":%.3g,"
        "\"medianMs\":%.6g,\"minMs\":%.6g,\"maxMs\":%.6g,\"iterations\":%d,\"rounds\":%d,"
        "\"gflops\":%.4g,\"workspaceBytes\":%lld}\n",
        c.id.c_str(), ok ? "true" : "false", path, macs, err, t.median, t.min, t.max, t.iterations,
        rounds, 2 * macs / (t.median * 1e6), static_cast<long long>(workspace_bytes));
    std::fflush(stdout);
  }
  return failures == 0 ? 0 : 1;
}
