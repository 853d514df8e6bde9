// conv_transpose2d as a GEMM followed by a column-to-image scatter, the way
// PyTorch's slow_conv_transpose2d and ONNX Runtime compute it:
//   cols[Kg*kh*kw x H*W] = W^T[Kg*kh*kw x Cg] . X[Cg x H*W]            (per group)
//   Y[k, ih*s - p + a*d, iw*s - p + b*d] += cols[(k, a, b), (ih, iw)]
// W^T is packed 4 rows at a time (kernels::pack_a_columns) for
// kernels::f32_gemm_4x8_adjacent_rows; X is packed into 8-column panels once.
// The column matrix is kh*kw times the output, so it is made for a block of output channels
// at a time (kColumnBlockFloats: it stays in L2 until scattered). The scatter is SIMD: each
// output channel is summed in stride-phase planes first (outputs oh = q*sh + r, for each
// phase r, are contiguous in q, and so is every tap's contribution along iw), then the
// planes are written into y interleaved, bias added.
// Only products of real input values are formed, so this path also keeps PyTorch's NaN/Inf
// pattern for non-finite weights (the phase path multiplies weights by the zeros around x).
#include <algorithm>
#include <cstddef>
#include <cstring>

#include "convplay/kernels.hpp"
#include "index_math.hpp"
#include "kernels/gemm_mx8.hpp"
#include "kernels/gemm_pack_a.hpp"
#include "kernels/rows_pack.hpp"
#include "kernels/simd.hpp"
#include "ops/conv_transpose2d.hpp"
#include "ops/workspace.hpp"

namespace convplay::detail {
namespace {

using kernels::kGemmMR;
using kernels::kGemmNR;
// Column-matrix floats made per block of output channels: 256 KiB, half of a 512 KiB L2.
constexpr int64_t kColumnBlockFloats = 64 * 1024;

struct Col2imSizes {
  int64_t P8;        // input pixels (GEMM columns), rounded up to whole tiles
  int64_t channels;  // output channels per block
  int64_t QH, QW;    // rows and columns of one stride-phase plane
  int64_t plane;     // QH * QW
};
Col2imSizes col2im_sizes(const ConvTranspose2dGeometry& g) {
  Col2imSizes z;
  const int64_t taps = g.kh * g.kw;
  z.P8 = (g.H * g.W + kGemmNR - 1) / kGemmNR * kGemmNR;
  // The column block fits kColumnBlockFloats; a multiple of 4 channels when there are more,
  // so that a block's rows are whole micro-kernel tiles (for any kh*kw).
  z.channels = std::max<int64_t>(1, kColumnBlockFloats / (taps * z.P8));
  if (z.channels >= 4) z.channels -= z.channels % 4;
  z.channels = std::min(z.channels, g.Kg());
  // Phase (r, c) of an output channel holds oh = q*sh + r, ow = v*sw + c.
  z.QH = (g.OH + g.sh - 1) / g.sh;
  z.QW = (g.OW + g.sw - 1) / g.sw;
  z.plane = z.QH * z.QW;
  return z;
}

// cols[r][p] (rows P8 apart) = sum_k A[r][k] B[k][p] for `rows` rows: one B panel (Cg x 8)
// stays in L1 while every strip of A passes over it.
void gemm_columns(int64_t Cg, const float* a_panels, int64_t rows, const float* b_panels, int64_t P8,
                  float* cols, float* tile) {
  const int64_t strips = kernels::gemm_a_strips(rows);
  for (int64_t q0 = 0; q0 < P8; q0 += kGemmNR) {
    const float* b = b_panels + q0 * Cg;
    for (int64_t s = 0; s < strips; ++s) {
      const int64_t r0 = s * kGemmMR, mr = std::min(kGemmMR, rows - r0);
      const kernels::Tile4x8 acc = kernels::f32_gemm_4x8_adjacent_rows(Cg, a_panels + s * Cg * kGemmMR, kGemmMR, b);
      float* c = cols + r0 * P8 + q0;
      if (mr == kGemmMR) {
        for (int64_t r = 0; r < kGemmMR; ++r) {
          simd::store(c + r * P8, acc.c[r][0]);
          simd::store(c + r * P8 + 4, acc.c[r][1]);
        }
      } else {
        acc.store(tile);
        for (int64_t r = 0; r < mr; ++r) std::memcpy(c + r * P8, tile + r * kGemmNR, sizeof(float) * kGemmNR);
      }
    }
  }
}

// dst[0 .. n) += src[0 .. n)
inline void add_row(float* dst, const float* src, ptrdiff_t n) {
  ptrdiff_t i = 0;
  for (; i + 4 <= n; i += 4) simd::store(dst + i, simd::add(simd::load(dst + i), simd::load(src + i)));
  for (; i < n; ++i) dst[i] += src[i];
}

// Output row y_row (OW floats) = bias + its column phases, interleaved:
// y_row[q*sw + c] = bias + phase[c * phase_step + q].
void write_interleaved(float* y_row, const float* phase, int64_t phase_step, int64_t sw, int64_t OW, float bias) {
  const simd::f32x4 bv = simd::splat(bias);
  ptrdiff_t ox = 0;
  const ptrdiff_t n = static_cast<ptrdiff_t>(OW);
  if (sw == 1)
    for (; ox + 4 <= n; ox += 4) simd::store(y_row + ox, simd::add(bv, simd::load(phase + ox)));
#if defined(CONVPLAY_SIMD_WASM) || defined(CONVPLAY_SIMD_SSE2)
  if (sw == 2) {
    // Four outputs of each phase make eight interleaved outputs.
    const float *even = phase, *odd = phase + phase_step;
    for (; ox + 8 <= n; ox += 8, even += 4, odd += 4) {
      const simd::f32x4 e = simd::load(even), o = simd::load(odd);
#if defined(CONVPLAY_SIMD_WASM)
      const simd::f32x4 lo{wasm_i32x4_shuffle(e.v, o.v, 0, 4, 1, 5)}, hi{wasm_i32x4_shuffle(e.v, o.v, 2, 6, 3, 7)};
#else
      const simd::f32x4 lo{_mm_unpacklo_ps(e.v, o.v)}, hi{_mm_unpackhi_ps(e.v, o.v)};
#endif
      simd::store(y_row + ox, simd::add(bv, lo));
      simd::store(y_row + ox + 4, simd::add(bv, hi));
    }
  }
#endif
  for (; ox < n; ++ox) y_row[ox] = bias + phase[(ox % sw) * phase_step + ox / sw];
}

// y_k (one output channel) = bias + its taps' column rows (cols_k: kh*kw rows, P8 apart): each
// tap summed into its stride-phase plane, contiguous along iw, then the planes interleaved into
// y_k (every output: the planes cover the whole channel, zero where no tap reaches).
void scatter_channel(const ConvTranspose2dGeometry& g, const Col2imSizes& z, const float* cols_k, float* phases,
                     float* saved, float bias, float* y_k) {
  std::fill(phases, phases + g.sh * g.sw * z.plane, 0.0f);
  for (int64_t t = 0; t < g.kh * g.kw; ++t) {
    const float* c_row = cols_k + t * z.P8;
    const int64_t ty = (t / g.kw) * g.dh - g.ph, tx = (t % g.kw) * g.dw - g.pw;
    const int64_t dy = floor_div(ty, g.sh), dx = floor_div(tx, g.sw);
    float* ph = phases + ((ty - dy * g.sh) * g.sw + (tx - dx * g.sw)) * z.plane;
    // Input pixels whose output lands inside the planes: 0 <= ih + dy < QH, same along w.
    const int64_t ih0 = std::max<int64_t>(0, -dy), ih1 = std::min(g.H, z.QH - dy);
    const int64_t iw0 = std::max<int64_t>(0, -dx), iw1 = std::min(g.W, z.QW - dx);
    if (iw1 <= iw0) continue;
    // Planes as wide as the input and a column shift of at most one: the tap's rows are one
    // run. Shifted by one, each row's element that falls off the plane (iw = W-1 going right,
    // 0 going left) lands on the next (previous) row's first (last) column instead, a column
    // this tap never reaches: those columns are saved before and restored after, bit for bit.
    // Row by row, T1's and P5t's taps were 448 and 252 short runs per channel.
    const int64_t W = g.W;
    if (z.QW == W && dx >= -1 && dx <= 1 && ih1 > ih0) {
      const int64_t first = (ih0 + dy) * W + dx, last = (ih1 + dy) * W + dx;  // plane range [first, last)
      const int64_t lo = std::max<int64_t>(first, 0), hi = std::min(last, z.QH * W);
      const int64_t column = dx > 0 ? 0 : W - 1;  // the column the wrapped elements land on
      const int64_t r0 = std::max<int64_t>(0, ih0 + dy + (dx > 0 ? 1 : -1)), r1 = std::min(z.QH, ih1 + dy + (dx > 0 ? 1 : -1));
      if (dx != 0)
        for (int64_t r = r0; r < r1; ++r) saved[r] = ph[r * W + column];
      add_row(ph + lo, c_row + ih0 * W + (lo - first), static_cast<ptrdiff_t>(hi - lo));
      if (dx != 0)
        for (int64_t r = r0; r < r1; ++r) ph[r * W + column] = saved[r];
      continue;
    }
    for (int64_t ih = ih0; ih < ih1; ++ih)
      add_row(ph + (ih + dy) * z.QW + iw0 + dx, c_row + ih * g.W + iw0, static_cast<ptrdiff_t>(iw1 - iw0));
  }
  for (int64_t oh = 0; oh < g.OH; ++oh)
    write_interleaved(y_k + oh * g.OW, phases + ((oh % g.sh) * g.sw) * z.plane + (oh / g.sh) * z.QW, z.plane, g.sw,
                      g.OW, bias);
}

}  // namespace

bool conv_transpose2d_col2im_preferred(const ConvTranspose2dGeometry& g) {
  // Measured against the phases in V8 (interleaved A/B): 1.06-1.8x faster for stride-2
  // kernels that overlap (k4 s2 of DCGAN/U-Net decoders, k3 s2 op1), slower for stride 1
  // (one phase, an ordinary convolution: 0.83-0.91x) and for kernels no larger than the
  // stride (k3 s3 0.61x, FCN's k64 s32 0.66x: the column matrix is kh*kw times the output and
  // does not fit L2 for a single channel).
  const bool strided = g.sh > 1 || g.sw > 1;
  const bool overlapping = (g.kh - 1) * g.dh + 1 > g.sh || (g.kw - 1) * g.dw + 1 > g.sw;
  return strided && overlapping && g.kh * g.kw * col2im_sizes(g).P8 <= kColumnBlockFloats;
}

int64_t conv_transpose2d_col2im_floats(const ConvTranspose2dGeometry& g) {
  const Col2imSizes z = col2im_sizes(g);
  const int64_t rows = z.channels * g.kh * g.kw;
  return g.Cg() * z.P8 + rows * z.P8 + g.sh * g.sw * z.plane + z.QH + kernels::gemm_a_strips(rows) * kGemmMR * g.Cg() +
         kGemmMR * kGemmNR;
}

void conv_transpose2d_col2im(const ConvTranspose2dGeometry& g, const float* x, const float* w, const float* bias,
                             float* y) {
  const int64_t OHW = g.OH * g.OW, Cg = g.Cg(), Kg = g.Kg(), taps = g.kh * g.kw, M = Kg * taps, P = g.H * g.W;
  const Col2imSizes z = col2im_sizes(g);
  auto& ws = workspace();
  float* b_panels = Workspace::get(ws.panels, Cg * z.P8);
  float* cols = Workspace::get(ws.rows, z.channels * taps * z.P8);
  float* phases = Workspace::get(ws.padded, g.sh * g.sw * z.plane + z.QH);
  float* saved = phases + g.sh * g.sw * z.plane;  // one column of a plane (scatter_channel)
  float* a_panels = Workspace::get(ws.a_panels, kernels::gemm_a_strips(z.channels * taps) * kGemmMR * Cg);
  float* tile = Workspace::get(ws.tile, kGemmMR * kGemmNR);

  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t grp = 0; grp < g.groups; ++grp) {
      const float* wg = w + grp * Cg * M;
      float* yg = y + (n * g.K + grp * Kg) * OHW;
      kernels::rows_pack_b(x + (n * g.C + grp * Cg) * P, Cg, P, 0, P, b_panels);
      for (int64_t k0 = 0; k0 < Kg; k0 += z.channels) {
        const int64_t k1 = std::min(Kg, k0 + z.channels), rows = (k1 - k0) * taps;
        kernels::pack_a_columns(wg, M, Cg, k0 * taps, rows, a_panels);
        gemm_columns(Cg, a_panels, rows, b_panels, z.P8, cols, tile);
        for (int64_t k = k0; k < k1; ++k) scatter_channel(g, z, cols + (k - k0) * taps * z.P8, phases, saved,
                          bias ? bias[grp * Kg + k] : 0.0f, yg + k * OHW);
      }
    }
}

}  // namespace convplay::detail
