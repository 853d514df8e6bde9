// conv1d, conv3d and their transposes on the optimized 2-D operators (conv2d.cpp,
// conv_transpose2d.cpp), as PyTorch runs conv1d:
//  - 1-D: the 2-D operator with H = 1 (same memory layout: [N, C, L] is [N, C, 1, L]).
//  - conv3d: the kD depth taps of one output depth become channels: slice a of input
//    channel c is channel c*kD + a of a 2-D image (a zero slice past the depth padding), and
//    the weight [K, Cg, kD, kH, kW] is then exactly a 2-D weight [K, Cg*kD, kH, kW] (groups
//    stay contiguous). A block of output depths is a batch of such images: one conv2d call,
//    whose [depth, K, OH, OW] output is spread over y[n, K, depth]. Other padding modes pad a
//    copy of the input first.
//  - conv_transpose3d: output depths of one stride phase r = (od + p) mod sD are reached by
//    the same taps A_r (a*dD = r mod sD), reading id = (od + p - a*dD) / sD, so each output
//    depth is a 2-D transposed convolution over the |A_r| slices stacked as channels, with
//    the weights rearranged per phase. Weights holding Inf or NaN go to the reference loops
//    (the zero slices past the input would be multiplied by them, which PyTorch never does).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "convplay/kernels.hpp"
#include "ops/workspace.hpp"
#include "padding_index.hpp"

namespace convplay {
namespace {

// Floats of gathered slices per 2-D call (a block of output depths): 8 MiB.
constexpr int64_t kSliceBlockFloats = 2 * 1024 * 1024;

Conv2dGeometry as_conv2d(const ConvNdGeometry& g) {
  Conv2dGeometry c;
  c.batched = true;
  c.N = g.N; c.C = g.C; c.H = g.in[1]; c.W = g.in[2];
  c.K = g.K;
  c.kh = g.k[1]; c.kw = g.k[2];
  c.sh = g.s[1]; c.sw = g.s[2]; c.dh = g.d[1]; c.dw = g.d[2];
  c.groups = g.groups;
  c.pad_top = g.pad_lo[1]; c.pad_bottom = g.pad_hi[1];
  c.pad_left = g.pad_lo[2]; c.pad_right = g.pad_hi[2];
  c.mode = g.mode;
  c.has_bias = g.has_bias;
  c.OH = g.out[1]; c.OW = g.out[2];
  return c;
}

ConvTranspose2dGeometry as_conv_transpose2d(const ConvNdGeometry& g) {
  ConvTranspose2dGeometry c;
  c.batched = true;
  c.N = g.N; c.C = g.C; c.H = g.in[1]; c.W = g.in[2];
  c.K = g.K;
  c.kh = g.k[1]; c.kw = g.k[2];
  c.sh = g.s[1]; c.sw = g.s[2]; c.dh = g.d[1]; c.dw = g.d[2];
  c.ph = g.pad_lo[1]; c.pw = g.pad_lo[2];
  c.oph = g.out_pad[1]; c.opw = g.out_pad[2];
  c.groups = g.groups;
  c.has_bias = g.has_bias;
  c.OH = g.out[1]; c.OW = g.out[2];
  return c;
}

// x padded in g's mode on all three dimensions, into `out` ([N, C, Dp, Hp, Wp]).
void pad3d(const ConvNdGeometry& g, const float* x, float* out) {
  const int64_t D = g.in[0], H = g.in[1], W = g.in[2];
  const int64_t Dp = D + g.pad_lo[0] + g.pad_hi[0], Hp = H + g.pad_lo[1] + g.pad_hi[1],
                Wp = W + g.pad_lo[2] + g.pad_hi[2];
  for (int64_t p = 0; p < g.N * g.C; ++p)
    for (int64_t a = 0; a < Dp; ++a) {
      const int64_t id = detail::source_index(a - g.pad_lo[0], D, g.mode);
      for (int64_t b = 0; b < Hp; ++b) {
        const int64_t ih = detail::source_index(b - g.pad_lo[1], H, g.mode);
        float* row = out + ((p * Dp + a) * Hp + b) * Wp;
        if (id < 0 || ih < 0) {
          std::fill(row, row + Wp, 0.0f);
          continue;
        }
        const float* src = x + ((p * D + id) * H + ih) * W;
        for (int64_t e = 0; e < Wp; ++e) {
          const int64_t iw = detail::source_index(e - g.pad_lo[2], W, g.mode);
          row[e] = iw < 0 ? 0.0f : src[iw];
        }
      }
    }
}

// Copies out[j] ([K, plane] for block depth j) to y[n, k, depth0 + j*step].
void spread_depths(const float* out, int64_t count, int64_t K, int64_t plane, int64_t OD,
                   int64_t n, const int64_t* depths, float* y) {
  for (int64_t j = 0; j < count; ++j)
    for (int64_t k = 0; k < K; ++k)
      std::memcpy(y + ((n * K + k) * OD + depths[j]) * plane, out + (j * K + k) * plane,
                  static_cast<size_t>(plane) * sizeof(float));
}

void conv3d_zeros(const ConvNdGeometry& g, const float* x, const float* w, const float* bias, float* y) {
  auto& ws = detail::workspace();
  const int64_t D = g.in[0], plane_in = g.in[1] * g.in[2], plane_out = g.out[1] * g.out[2];
  const int64_t kd = g.k[0], image = g.C * kd * plane_in;
  const int64_t block = std::max<int64_t>(1, std::min(g.out[0], kSliceBlockFloats / std::max<int64_t>(image, 1)));
  float* slices = detail::Workspace::get(ws.nd_input, block * image);
  float* out = detail::Workspace::get(ws.nd_output, block * g.K * plane_out);
  std::vector<int64_t> depths(static_cast<size_t>(block));
  Conv2dGeometry c = as_conv2d(g);
  c.C = g.C * kd;
  c.mode = PaddingMode::Zeros;
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t od0 = 0; od0 < g.out[0]; od0 += block) {
      const int64_t count = std::min(block, g.out[0] - od0);
      for (int64_t j = 0; j < count; ++j) {
        const int64_t od = od0 + j;
        depths[static_cast<size_t>(j)] = od;
        for (int64_t ch = 0; ch < g.C; ++ch)
          for (int64_t a = 0; a < kd; ++a) {
            float* dst = slices + j * image + (ch * kd + a) * plane_in;
            const int64_t id = od * g.s[0] - g.pad_lo[0] + a * g.d[0];
            if (id < 0 || id >= D) std::fill(dst, dst + plane_in, 0.0f);
            else std::memcpy(dst, x + ((n * g.C + ch) * D + id) * plane_in, static_cast<size_t>(plane_in) * sizeof(float));
          }
      }
      c.N = count;
      conv2d(c, slices, w, bias, out);
      spread_depths(out, count, g.K, plane_out, g.out[0], n, depths.data(), y);
    }
}

void conv_transpose3d_phases(const ConvNdGeometry& g, const float* x, const float* w,
                             const float* bias, float* y) {
  auto& ws = detail::workspace();
  const int64_t D = g.in[0], plane_in = g.in[1] * g.in[2], plane_out = g.out[1] * g.out[2];
  const int64_t kd = g.k[0], sd = g.s[0], dd = g.d[0], p = g.pad_lo[0], Kg = g.Kg();
  const int64_t khw = g.k[1] * g.k[2], OD = g.out[0];
  ConvTranspose2dGeometry c = as_conv_transpose2d(g);
  for (int64_t r = 0; r < sd; ++r) {
    std::vector<int64_t> taps;
    for (int64_t a = 0; a < kd; ++a)
      if ((a * dd) % sd == r) taps.push_back(a);
    std::vector<int64_t> depths;
    for (int64_t od = 0; od < OD; ++od)
      if ((od + p) % sd == r) depths.push_back(od);
    if (depths.empty()) continue;
    const int64_t m = static_cast<int64_t>(taps.size());
    if (m == 0) {  // no tap reaches these depths: the bias alone, as PyTorch leaves them
      for (int64_t n = 0; n < g.N; ++n)
        for (int64_t od : depths)
          for (int64_t k = 0; k < g.K; ++k) {
            float* dst = y + ((n * g.K + k) * OD + od) * plane_out;
            std::fill(dst, dst + plane_out, bias ? bias[k] : 0.0f);
          }
      continue;
    }
    // weights [C, Kg, kd, kh, kw] -> [C*m, Kg, kh, kw], channel c*m + j holding tap taps[j]
    float* wr = detail::Workspace::get(ws.nd_weights, g.C * m * Kg * khw);
    for (int64_t ch = 0; ch < g.C; ++ch)
      for (int64_t j = 0; j < m; ++j)
        for (int64_t k = 0; k < Kg; ++k)
          std::memcpy(wr + ((ch * m + j) * Kg + k) * khw, w + ((ch * Kg + k) * kd + taps[static_cast<size_t>(j)]) * khw,
                      static_cast<size_t>(khw) * sizeof(float));
    const int64_t image = g.C * m * plane_in;
    const int64_t block = std::max<int64_t>(1, std::min<int64_t>(static_cast<int64_t>(depths.size()),
                                                                 kSliceBlockFloats / std::max<int64_t>(image, 1)));
    float* slices = detail::Workspace::get(ws.nd_input, block * image);
    float* out = detail::Workspace::get(ws.nd_output, block * g.K * plane_out);
    c.C = g.C * m;
    for (int64_t n = 0; n < g.N; ++n)
      for (size_t j0 = 0; j0 < depths.size(); j0 += static_cast<size_t>(block)) {
        const int64_t count = std::min<int64_t>(block, static_cast<int64_t>(depths.size() - j0));
        for (int64_t j = 0; j < count; ++j) {
          const int64_t od = depths[j0 + static_cast<size_t>(j)];
          for (int64_t ch = 0; ch < g.C; ++ch)
            for (int64_t t = 0; t < m; ++t) {
              float* dst = slices + j * image + (ch * m + t) * plane_in;
              const int64_t num = od + p - taps[static_cast<size_t>(t)] * dd;  // = id * sd
              const int64_t id = num / sd;
              if (num < 0 || id >= D) std::fill(dst, dst + plane_in, 0.0f);
              else std::memcpy(dst, x + ((n * g.C + ch) * D + id) * plane_in, static_cast<size_t>(plane_in) * sizeof(float));
            }
        }
        c.N = count;
        conv_transpose2d(c, slices, wr, bias, out);
        spread_depths(out, count, g.K, plane_out, OD, n, depths.data() + j0, y);
      }
  }
}

bool all_finite(const float* v, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    if (!std::isfinite(v[i])) return false;
  return true;
}

}  // namespace

void conv_nd(const ConvNdGeometry& g, const float* x, const float* w, const float* bias, float* y) {
  if (g.output_size() == 0) return;
  if (g.dims == 1 || (g.k[0] == 1 && g.in[0] == 1 && g.pad_lo[0] == 0 && g.pad_hi[0] == 0)) {
    conv2d(as_conv2d(g), x, w, bias, y);  // one depth (1-D: [N, C, 1, L])
    return;
  }
  if (g.mode == PaddingMode::Zeros) {
    conv3d_zeros(g, x, w, bias, y);
    return;
  }
  ConvNdGeometry z = g;  // pad a copy in the mode, then a zero-padding convolution of it
  z.mode = PaddingMode::Zeros;
  for (int i = 0; i < 3; ++i) {
    z.in[i] = g.in[i] + g.pad_lo[i] + g.pad_hi[i];
    z.pad_lo[i] = z.pad_hi[i] = 0;
  }
  std::vector<float> padded(static_cast<size_t>(g.N * g.C * z.in_plane()));
  pad3d(g, x, padded.data());
  conv3d_zeros(z, padded.data(), w, bias, y);
}

void conv_transpose_nd(const ConvNdGeometry& g, const float* x, const float* w, const float* bias,
                       float* y) {
  if (g.output_size() == 0) return;
  if (g.dims == 1) {
    conv_transpose2d(as_conv_transpose2d(g), x, w, bias, y);
    return;
  }
  if (!all_finite(w, g.C * g.Kg() * g.taps())) {
    reference::conv_transpose_nd(g, x, w, bias, y);
    return;
  }
  conv_transpose3d_phases(g, x, w, bias, y);
}

}  // namespace convplay
