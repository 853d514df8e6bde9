// max_pool2d / avg_pool2d.
//  - Values (max without indices, avg): separable passes per output row, in SIMD: the kH
//    input rows of the window are combined column by column into one row (max: PyTorch's
//    `v > m || isnan(v)` step; avg: the sum), written into a row padded with -inf / 0 on both
//    sides; that row is split into its sW stride phases so each of the kW taps of every output
//    is a contiguous SIMD load, and the taps are combined the same way. Branch-free: the
//    element-by-element loops' unpredictable `v > m` branch made them 7x slower than XNNPACK.
//    Max gives the reference's values (NaN where a window holds one; of equal values the sign
//    of a zero may come from another tap); avg sums columns first, so it rounds differently
//    from the reference's row-major sum (within the tolerance the tests use).
//  - Max with indices: the reference's loops with the window bounds computed once per output
//    row and column, taps in the same order, so values and indices are the reference's.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "convplay/kernels.hpp"
#include "kernels/simd.hpp"
#include "ops/workspace.hpp"

namespace convplay {
namespace {

// First tap (clipped to >= 0 along the dilation) and end of each window along one dimension.
struct Span {
  int64_t start, end;
};
std::vector<Span> spans(int64_t out, int64_t in, int64_t k, int64_t s, int64_t p, int64_t d) {
  std::vector<Span> r(static_cast<size_t>(out));
  for (int64_t o = 0; o < out; ++o) {
    int64_t a = o * s - p;
    const int64_t e = std::min(a + (k - 1) * d + 1, in);
    while (a < 0) a += d;
    r[static_cast<size_t>(o)] = {a, e};
  }
  return r;
}

void max_pool2d_indices(const Pool2dGeometry& g, const float* x, float* y, int32_t* indices) {
  const auto rows = spans(g.OH, g.H, g.kh, g.sh, g.ph, g.dh);
  const auto cols = spans(g.OW, g.W, g.kw, g.sw, g.pw, g.dw);
  const float neg_inf = -std::numeric_limits<float>::infinity();
  const int64_t dh = g.dh, dw = g.dw, W = g.W;
  for (int64_t pl = 0; pl < g.N * g.C; ++pl) {
    const float* xp = x + pl * g.H * W;
    float* yp = y + pl * g.OH * g.OW;
    int32_t* ip = indices ? indices + pl * g.OH * g.OW : nullptr;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      const Span r = rows[static_cast<size_t>(oh)];
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const Span c = cols[static_cast<size_t>(ow)];
        float m = neg_inf;
        int64_t best = r.start * W + c.start;
        for (int64_t ih = r.start; ih < r.end; ih += dh) {
          const float* xr = xp + ih * W;
          for (int64_t iw = c.start; iw < c.end; iw += dw) {
            const float v = xr[iw];
            if (v > m || v != v) {  // larger, or NaN (which then propagates)
              m = v;
              best = ih * W + iw;
            }
          }
        }
        yp[oh * g.OW + ow] = m;
        if (ip) ip[oh * g.OW + ow] = static_cast<int32_t>(best);
      }
    }
  }
}

// The separable SIMD passes (see the top of the file): max (is_max) or the sum of avg.
template <bool is_max>
void pool_rows(const Pool2dGeometry& g, const float* x, float* y, float* scratch) {
  using namespace simd;
  const float fill = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
  const int64_t W = g.W, sw = g.sw, dw = is_max ? g.dw : 1, dh = is_max ? g.dh : 1;
  // padded row: pw fill cells, the W combined columns, then fill up to the last tap read
  const int64_t span = (g.OW - 1) * sw + (g.kw - 1) * dw + 1;
  const int64_t PW = std::max(span, g.pw + W) + 8;
  const int64_t phase_len = (PW + sw - 1) / sw + 8;
  float* row = scratch;               // PW
  float* phases = scratch + PW;       // sw x phase_len
  float* acc = phases + sw * phase_len;  // OW + 4
  for (int64_t q = 0; q < PW; ++q) row[q] = fill;
  const f32x4 vfill = splat(fill);
  // avg: per output column, the window's width clipped to the padded input and to the input
  std::vector<float> div_padded(static_cast<size_t>(g.OW)), div_inside(static_cast<size_t>(g.OW));
  for (int64_t ow = 0; ow < g.OW; ++ow) {
    const int64_t a = ow * g.sw - g.pw, e = std::min(a + g.kw, W + g.pw);
    div_padded[static_cast<size_t>(ow)] = static_cast<float>(e - a);
    div_inside[static_cast<size_t>(ow)] = static_cast<float>(std::min(e, W) - std::max<int64_t>(a, 0));
  }
  for (int64_t pl = 0; pl < g.N * g.C; ++pl) {
    const float* xp = x + pl * g.H * W;
    float* yp = y + pl * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      const int64_t h0 = oh * g.sh - g.ph;
      const int64_t hend = std::min(h0 + (g.kh - 1) * dh + 1, is_max ? g.H : std::min(h0 + g.kh, g.H + g.ph));
      int64_t first = h0;
      while (first < 0) first += dh;
      float* r = row + g.pw;
      // the window's rows, column by column
      int64_t q = 0;
      if (first >= std::min(hend, g.H)) {
        for (; q < W; ++q) r[q] = fill;
      } else {
        const float* r0 = xp + first * W;
        for (; q + 4 <= W; q += 4) {
          f32x4 m = load(r0 + q);
          for (int64_t ih = first + dh; ih < std::min(hend, g.H); ih += dh) {
            const f32x4 v = load(xp + ih * W + q);
            m = is_max ? take_larger_or_nan(m, v) : add(m, v);
          }
          store(r + q, m);
        }
        for (; q < W; ++q) {
          float m = r0[q];
          for (int64_t ih = first + dh; ih < std::min(hend, g.H); ih += dh) {
            const float v = xp[ih * W + q];
            m = is_max ? ((v > m || v != v) ? v : m) : m + v;
          }
          r[q] = m;
        }
      }
      // stride phases of the padded row: phase p holds row[j * sw + p]
      for (int64_t p = 0; p < sw; ++p) {
        float* ph = phases + p * phase_len;
        int64_t j = 0;
        for (; j * sw + p < PW; ++j) ph[j] = row[j * sw + p];
        for (; j < phase_len; ++j) ph[j] = fill;
      }
      // the kW taps of each output: tap b of output ow reads phase (b*dw) % sw at ow + (b*dw) / sw
      int64_t ow = 0;
      for (; ow + 4 <= g.OW; ow += 4) {
        f32x4 m = is_max ? vfill : zero();
        for (int64_t b = 0; b < g.kw; ++b) {
          const int64_t t = b * dw;
          const f32x4 v = load(phases + (t % sw) * phase_len + ow + t / sw);
          m = is_max ? take_larger_or_nan(m, v) : add(m, v);
        }
        store(acc + ow, m);
      }
      for (; ow < g.OW; ++ow) {
        float m = fill;
        for (int64_t b = 0; b < g.kw; ++b) {
          const int64_t t = b * dw;
          const float v = phases[(t % sw) * phase_len + ow + t / sw];
          m = is_max ? ((v > m || v != v) ? v : m) : m + v;
        }
        acc[ow] = m;
      }
      float* out = yp + oh * g.OW;
      if (is_max) {
        std::copy(acc, acc + g.OW, out);
        continue;
      }
      const int64_t rows_padded = hend - h0, rows_inside = std::min(hend, g.H) - std::max<int64_t>(h0, 0);
      if (rows_inside <= 0) {
        std::fill(out, out + g.OW, 0.0f);
        continue;
      }
      for (int64_t o = 0; o < g.OW; ++o) {
        const float cols_inside = div_inside[static_cast<size_t>(o)];
        float divisor = g.divisor_override != 0 ? static_cast<float>(g.divisor_override)
                        : g.count_include_pad ? static_cast<float>(rows_padded) * div_padded[static_cast<size_t>(o)]
                                              : static_cast<float>(rows_inside) * cols_inside;
        out[o] = cols_inside <= 0.0f ? 0.0f : acc[o] / divisor;
      }
    }
  }
}

int64_t pool_scratch(const Pool2dGeometry& g, bool is_max) {
  const int64_t dw = is_max ? g.dw : 1;
  const int64_t span = (g.OW - 1) * g.sw + (g.kw - 1) * dw + 1;
  const int64_t PW = std::max(span, g.pw + g.W) + 8;
  const int64_t phase_len = (PW + g.sw - 1) / g.sw + 8;
  return PW + g.sw * phase_len + g.OW + 4;
}

}  // namespace

void max_pool2d(const Pool2dGeometry& g, const float* x, float* y, int32_t* indices) {
  if (g.output_size() == 0) return;
  if (indices) {
    max_pool2d_indices(g, x, y, indices);
    return;
  }
  auto& ws = detail::workspace();
  pool_rows<true>(g, x, y, detail::Workspace::get(ws.rows, pool_scratch(g, true)));
}

void avg_pool2d(const Pool2dGeometry& g, const float* x, float* y) {
  if (g.output_size() == 0) return;
  auto& ws = detail::workspace();
  pool_rows<false>(g, x, y, detail::Workspace::get(ws.rows, pool_scratch(g, false)));
}

}  // namespace convplay
