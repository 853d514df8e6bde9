#include "kernels/conv2d_direct_rows.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "kernels/conv2d_3x3s1_pairs.hpp"
#include "kernels/simd.hpp"
#include "padding_index.hpp"

namespace convplay::kernels {
namespace {
constexpr int64_t kRun = 32;                  // output pixels per inner step: 8 vectors of 4
constexpr int64_t kBandFloats = 32 * 1024;    // gathered rows per band: 128 KiB, stays in L2 while computed

int64_t padded_width(const Conv2dGeometry& g) { return (g.OW + kRun - 1) / kRun * kRun; }
bool is_3x3s1(const Conv2dGeometry& g) {
  return g.kh == 3 && g.kw == 3 && g.dh == 1 && g.dw == 1 && g.sh == 1;
}
// Input floats one gathered row holds (stride 1 along the width).
int64_t row_span(const Conv2dGeometry& g) { return padded_width(g) + g.dw * (g.kw - 1); }
// Row pitches the 3x3 kernel is also compiled for. With the pitch a compile-time constant its
// 4 input rows are one pointer plus constant offsets: 2-4% faster on P3 and P3dw (fewer
// pointer increments and spills). Rows up to 256 and 512 pixels (the page's image mode
// scales photos to at most 512) round up to them; each pitch adds ~6 KB to the module.
constexpr ptrdiff_t kFixedPitches[] = {260, 516};
// Floats from one gathered row to the next: the span, or for the 3x3 kernel a fixed pitch
// (rows narrower than half of it keep their span: the work is small and the rows short).
int64_t row_pitch(const Conv2dGeometry& g) {
  const int64_t span = row_span(g);
  if (is_3x3s1(g))
    for (const ptrdiff_t p : kFixedPitches)
      if (span <= p && 2 * span > p) return p;
  return span;
}
int64_t rows_for(const Conv2dGeometry& g, int64_t out_rows) {
  return (out_rows - 1) * g.sh + (g.kh - 1) * g.dh + 1;
}
// Output rows per band: as many as fit kBandFloats, at least one. The 3x3 kernel makes two
// rows at a time and a band's odd last row runs with a discarded partner, so its bands are
// even (at least 2, past kBandFloats if need be) unless the band is the whole image.
int64_t band_rows(const Conv2dGeometry& g) {
  int64_t band = g.OH;
  while (band > 1 && g.Cg() * rows_for(g, band) * row_pitch(g) > kBandFloats) band = (band + 1) / 2;
  if (is_3x3s1(g) && band < g.OH) band = std::max<int64_t>(2, band / 2 * 2);
  return band;
}

// Padded row `ih` (input coordinates, may be outside) of one channel, columns
// -pad_left .. -pad_left + span - 1, through the padding mode.
void gather_row(const Conv2dGeometry& g, const float* xc, int64_t ih, int64_t span, float* dst) {
  ih = detail::source_index(ih, g.H, g.mode);
  if (ih < 0) {
    std::fill(dst, dst + span, 0.0f);
    return;
  }
  const float* src = xc + ih * g.W;
  // Columns [lo, hi) read the row directly; the rest go through the mode. Past the real
  // padded width (the run's round-up) the values are never stored: zeros.
  const int64_t lo = std::min<int64_t>(g.pad_left, span);
  const int64_t hi = std::max(lo, std::min<int64_t>(g.pad_left + g.W, span));
  const int64_t real_end = std::min<int64_t>(span, g.W + g.pad_left + g.pad_right);
  for (int64_t t = 0; t < lo; ++t) {
    const int64_t iw = detail::source_index(t - g.pad_left, g.W, g.mode);
    dst[t] = iw < 0 ? 0.0f : src[iw];
  }
  std::memcpy(dst + lo, src + (lo - g.pad_left), sizeof(float) * static_cast<size_t>(hi - lo));
  for (int64_t t = hi; t < span; ++t) {
    const int64_t iw = t < real_end ? detail::source_index(t - g.pad_left, g.W, g.mode) : -1;
    dst[t] = iw < 0 ? 0.0f : src[iw];
  }
}
// out[ch][0 .. 4*V) = bias[ch] + sum over channels c, taps (a, b) of
//   w[ch][c][a][b] * in[c*channel_step + a*row_step + b*dw + 0 .. 4*V)
// for CH output channels (weights taps apart, outputs out_step apart): CH*V accumulators.
template <int CH, int V>
inline void accumulate(const float* in, ptrdiff_t channel_step, ptrdiff_t row_step, ptrdiff_t dw,
                       int64_t channels, ptrdiff_t kh, ptrdiff_t kw, const float* w, ptrdiff_t taps,
                       const float* bias, float* out, ptrdiff_t out_step) {
  using namespace simd;
  f32x4 acc[CH][V];
  for (int ch = 0; ch < CH; ++ch)
    for (int v = 0; v < V; ++v) acc[ch][v] = zero();
  const float* wt = w;
  for (ptrdiff_t c = 0; c < static_cast<ptrdiff_t>(channels); ++c)
    for (ptrdiff_t a = 0; a < kh; ++a) {
      const float* s = in + c * channel_step + a * row_step;
      for (ptrdiff_t b = 0; b < kw; ++b, s += dw, ++wt) {
        f32x4 px[V];
        for (int v = 0; v < V; ++v) px[v] = load(s + 4 * v);
        for (int ch = 0; ch < CH; ++ch) {
          const f32x4 wv = load_splat(wt + ch * taps);
          for (int v = 0; v < V; ++v) acc[ch][v] = mul_add(acc[ch][v], wv, px[v]);
        }
      }
    }
  for (int ch = 0; ch < CH; ++ch) {
    const f32x4 bv = bias ? splat(bias[ch]) : zero();
    for (int v = 0; v < V; ++v) store(out + ch * out_step + 4 * v, bias ? add(acc[ch][v], bv) : acc[ch][v]);
  }
}

// f32_dwconv3x3_pair_pass, compiled for the row pitch when it is one of kFixedPitches.
// Always inlined: out of line, clang unrolled the kernel loops half as far (65-74 V8
// instructions per step instead of 62-65).
inline __attribute__((always_inline)) void pair_pass(bool first, bool last, const float* in, ptrdiff_t rstep,
                                                     const float* w, const float* bias, float* out0, float* out1,
                                                     ptrdiff_t n4) {
  static_assert(sizeof(kFixedPitches) / sizeof(kFixedPitches[0]) == 2, "one branch per fixed pitch");
  if (rstep == kFixedPitches[0])
    f32_dwconv3x3_pair_pass<kFixedPitches[0]>(first, last, in, rstep, w, bias, out0, out1, n4);
  else if (rstep == kFixedPitches[1])
    f32_dwconv3x3_pair_pass<kFixedPitches[1]>(first, last, in, rstep, w, bias, out0, out1, n4);
  else
    f32_dwconv3x3_pair_pass(first, last, in, rstep, w, bias, out0, out1, n4);
}

// Output rows y0, y1 (oh, oh+1) of output channel ko of a 3x3 stride-1 filter from the
// gathered rows (base: input channel 0's row for oh; channels cstep apart): one pass per input
// channel. Whole vectors go straight into the rows; a width that is not a multiple of 4 ends
// with one vector computed into `tail` (8 floats) and copied. y1 may be a scratch row (an odd
// last row's discarded partner, whose tail is not copied: real_y1 false).
void conv3x3_pairs(const float* base, ptrdiff_t cstep, ptrdiff_t rstep, int64_t channels, const float* w,
                   const float* bias, float* y0, float* y1, bool real_y1, int64_t OW, float* tail) {
  const ptrdiff_t n4 = static_cast<ptrdiff_t>(OW / 4), rest = static_cast<ptrdiff_t>(OW % 4);
  for (int64_t c = 0; c < channels; ++c) {
    const bool first = c == 0, last = c == channels - 1;
    const float* in = base + c * cstep;
    pair_pass(first, last, in, rstep, w + 9 * c, bias, y0, y1, n4);
    // The one-vector tail takes the run-time-pitch kernel (fixed-pitch copies would only add code).
    if (rest) f32_dwconv3x3_pair_pass(first, last, in + 4 * n4, rstep, w + 9 * c, bias, tail, tail + 4, 1);
  }
  for (ptrdiff_t t = 0; t < rest; ++t) {
    y0[4 * n4 + t] = tail[t];
    if (real_y1) y1[4 * n4 + t] = tail[4 + t];
  }
}

}  // namespace

// Gathered rows per channel: the band's, plus one (zeros) for the discarded partner of a
// 3x3 band's odd last row, which reads one row past the band.
int64_t rows_per_channel(const Conv2dGeometry& g) { return rows_for(g, band_rows(g)) + (is_3x3s1(g) ? 1 : 0); }

int64_t conv2d_direct_rows_scratch(const Conv2dGeometry& g) {
  return g.Cg() * rows_per_channel(g) * row_pitch(g) + 2 * padded_width(g);
}

void conv2d_direct_rows(const Conv2dGeometry& g, const float* x, const float* w,
                        const float* bias, float* y, float* scratch) {
  using namespace simd;
  const int64_t Cg = g.Cg(), Kg = g.Kg(), HW = g.H * g.W, OHW = g.OH * g.OW;
  const int64_t band = band_rows(g), band_in = rows_per_channel(g);
  // Index arithmetic of the inner loops in ptrdiff_t: 32-bit on wasm32.
  const ptrdiff_t span = static_cast<ptrdiff_t>(row_span(g)), pitch = static_cast<ptrdiff_t>(row_pitch(g));
  const ptrdiff_t OWp = static_cast<ptrdiff_t>(padded_width(g));
  const ptrdiff_t kh = static_cast<ptrdiff_t>(g.kh), kw = static_cast<ptrdiff_t>(g.kw);
  const ptrdiff_t dh = static_cast<ptrdiff_t>(g.dh), dw = static_cast<ptrdiff_t>(g.dw);
  const ptrdiff_t taps = static_cast<ptrdiff_t>(Cg) * kh * kw;
  (void)dw;
  // 3x3, stride 1, dilation 1 (the image filters): two output rows per pass, conv2d_3x3s1_pairs.hpp.
  const bool three_by_three = is_3x3s1(g);
  float* rows = scratch;                           // Cg x band_in gathered rows of `span`, `pitch` apart
  // Two output rows, OWp floats each (3x3: the vector tail, then an odd row's discarded partner).
  float* out = scratch + Cg * band_in * pitch;

  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t grp = 0; grp < g.groups; ++grp) {
      const float* xg = x + (n * g.C + grp * Cg) * HW;
      for (int64_t oh0 = 0; oh0 < g.OH; oh0 += band) {
        const int64_t oh1 = std::min(g.OH, oh0 + band), first = oh0 * g.sh;  // padded row
        const int64_t count = rows_for(g, oh1 - oh0);
        // Gather every input row the band reads once (each is used by up to kh outputs).
        for (int64_t c = 0; c < Cg; ++c) {
          for (int64_t r = 0; r < count; ++r)
            gather_row(g, xg + c * HW, first + r - g.pad_top, span, rows + (c * band_in + r) * pitch);
          if (three_by_three && (oh1 - oh0) % 2) std::fill_n(rows + (c * band_in + count) * pitch, span, 0.0f);
        }
        int64_t oh = oh0;
        // Two rows at a time; an odd last row pairs with a discarded row in `out`, so every
        // output of a 3x3 filter is summed by the same kernel, in the reference's order.
        if (three_by_three)
          for (; oh < oh1; oh += 2) {
            const float* base = rows + (oh - first) * pitch;
            const bool pair = oh + 1 < oh1;
            for (int64_t k = 0; k < Kg; ++k) {
              const int64_t ko = grp * Kg + k;
              float* y0 = y + (n * g.K + ko) * OHW + oh * g.OW;
              conv3x3_pairs(base, static_cast<ptrdiff_t>(band_in) * pitch, pitch, Cg, w + ko * taps,
                            bias ? bias + ko : nullptr, y0, pair ? y0 + g.OW : out + 8, pair, g.OW, out);
            }
          }
        for (; oh < oh1; ++oh) {
          const float* base = rows + (oh * g.sh - first) * pitch;
          // Two output channels per pass share every input load (4 loads feed 32 MACs);
          // a single channel uses runs twice as wide to keep 8 accumulators busy.
          int64_t k = 0;
          for (; k + 2 <= Kg; k += 2) {
            const int64_t ko = grp * Kg + k;
            for (ptrdiff_t o = 0; o < OWp; o += kRun) {
              accumulate<2, 4>(base + o, static_cast<ptrdiff_t>(band_in) * pitch, dh * pitch, dw, Cg, kh, kw,
                               w + ko * taps, taps, bias ? bias + ko : nullptr, out + o, OWp);
              accumulate<2, 4>(base + o + 16, static_cast<ptrdiff_t>(band_in) * pitch, dh * pitch, dw, Cg, kh, kw,
                               w + ko * taps, taps, bias ? bias + ko : nullptr, out + o + 16, OWp);
            }
            for (int64_t j = 0; j < 2; ++j)
              std::memcpy(y + (n * g.K + ko + j) * OHW + oh * g.OW, out + j * OWp,
                          sizeof(float) * static_cast<size_t>(g.OW));
          }
          for (; k < Kg; ++k) {
            const int64_t ko = grp * Kg + k;
            for (ptrdiff_t o = 0; o < OWp; o += kRun)
              accumulate<1, 8>(base + o, static_cast<ptrdiff_t>(band_in) * pitch, dh * pitch, dw, Cg, kh, kw,
                               w + ko * taps, taps, bias ? bias + ko : nullptr, out + o, OWp);
            std::memcpy(y + (n * g.K + ko) * OHW + oh * g.OW, out, sizeof(float) * static_cast<size_t>(g.OW));
          }
        }
      }
    }
}

}  // namespace convplay::kernels
