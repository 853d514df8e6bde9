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
//    Windows 3 columns wide at column stride 2 (and at most 3 rows) take one fused pass
//    instead (kernels/pool_3rows_k3s2.hpp): rows combined in registers, then the columns
//    through an even/odd deinterleave, with no intermediate row.
//  - Max with indices: the reference's loops with the window bounds computed once per output
//    row and column, taps in the same order, so values and indices are the reference's.
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "convplay/kernels.hpp"
#include "kernels/pool_3rows_k3s2.hpp"
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
// The combined row lives in "row coordinates": index i is input column i - (pw + e), where e
// makes pw + e even for stride 2 (so even columns land in phase 0). Stride 1 reads the row
// itself; stride 2 writes the vertical pass straight into its two phases (a SIMD
// deinterleave); other strides copy the row into its phases.
struct PoolLayout {
  int64_t e, PW, phase_len;
};
PoolLayout pool_layout(const Pool2dGeometry& g, bool is_max) {
  const int64_t dw = is_max ? g.dw : 1, e = g.sw == 2 ? g.pw % 2 : 0;
  const int64_t span = (g.OW - 1) * g.sw + (g.kw - 1) * dw + 1 + e;
  const int64_t PW = std::max(span, g.pw + e + g.W) + 8;
  return {e, PW, (PW + g.sw - 1) / g.sw + 8};
}

int64_t pool_scratch(const Pool2dGeometry& g, bool is_max) {
  const PoolLayout l = pool_layout(g, is_max);
  return l.PW + g.sw * l.phase_len + g.OW + 4;
}

// fast: max for planes without NaN (one instruction; the plane is redone with the exact
// step when its rows held a NaN).
template <bool is_max, bool fast> inline float step(float m, float v) {
  return is_max ? ((v > m || (!fast && v != v)) ? v : m) : m + v;
}
template <bool is_max, bool fast> inline simd::f32x4 step(simd::f32x4 m, simd::f32x4 v) {
  return is_max ? (fast ? simd::larger(m, v) : simd::take_larger_or_nan(m, v)) : simd::add(m, v);
}

template <bool is_max>
void pool_rows(const Pool2dGeometry& g, const float* x, float* y, float* scratch) {
  using namespace simd;
  const float fill = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
  const int64_t W = g.W, sw = g.sw, dw = is_max ? g.dw : 1, dh = is_max ? g.dh : 1;
  const PoolLayout l = pool_layout(g, is_max);
  const int64_t PW = l.PW, phase_len = l.phase_len, e = l.e, left = g.pw + e;
  float* row = scratch;                    // PW
  float* phases = scratch + PW;            // sw x phase_len
  float* acc = phases + sw * phase_len;    // OW + 4
  std::fill(row, row + PW, fill);
  std::fill(phases, phases + sw * phase_len, fill);
  const float* taps_from = sw == 1 ? row : phases;  // stride 1 reads the row itself
  const int64_t taps_len = sw == 1 ? 0 : phase_len;
  float* ph0 = phases + (left / 2);             // stride 2: where input column 0 lands
  float* ph1 = phases + phase_len + (left / 2);
  const f32x4 vfill = splat(fill);
  // avg: per output column, the window's width clipped to the padded input and to the input
  std::vector<float> div_padded(static_cast<size_t>(g.OW)), div_inside(static_cast<size_t>(g.OW));
  for (int64_t ow = 0; ow < g.OW; ++ow) {
    const int64_t a = ow * g.sw - g.pw, end = std::min(a + g.kw, W + g.pw);
    div_padded[static_cast<size_t>(ow)] = static_cast<float>(end - a);
    div_inside[static_cast<size_t>(ow)] = static_cast<float>(std::min(end, W) - std::max<int64_t>(a, 0));
  }
  std::vector<int64_t> empty_cols;
  for (int64_t ow = 0; ow < g.OW; ++ow)
    if (div_inside[static_cast<size_t>(ow)] <= 0.0f) empty_cols.push_back(ow);
  // One plane; with `fast` (max only) it returns whether its rows held a NaN.
  auto plane = [&](auto fast_tag, int64_t pl) -> bool {
    constexpr bool fast = decltype(fast_tag)::value;
    f32x4 seen = zero();
    bool seen_scalar = false;
    const float* xp = x + pl * g.H * W;
    float* yp = y + pl * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      const int64_t h0 = oh * g.sh - g.ph;
      const int64_t hend = is_max ? std::min(h0 + (g.kh - 1) * dh + 1, g.H) : std::min(h0 + g.kh, g.H + g.ph);
      const int64_t last = std::min(hend, g.H);
      int64_t first = h0;
      while (first < 0) first += dh;
      // 1. the window's rows combined column by column
      const float* r0 = xp + first * W;
      const bool empty = first >= last;
      int64_t q = 0;
      if (sw == 2) {
        for (; q + 8 <= W && !empty; q += 8) {
          f32x4 m0 = load(r0 + q), m1 = load(r0 + q + 4);
          if (fast) seen = nan_seen(nan_seen(seen, m0), m1);
          for (int64_t ih = first + dh; ih < last; ih += dh) {
            const f32x4 v0 = load(xp + ih * W + q), v1 = load(xp + ih * W + q + 4);
            if (fast) seen = nan_seen(nan_seen(seen, v0), v1);
            m0 = step<is_max, fast>(m0, v0);
            m1 = step<is_max, fast>(m1, v1);
          }
          f32x4 even, odd;
          deinterleave(m0, m1, even, odd);
          store(ph0 + q / 2, even);
          store(ph1 + q / 2, odd);
        }
      } else {
        float* r = row + left;
        for (; q + 4 <= W && !empty; q += 4) {
          f32x4 m = load(r0 + q);
          if (fast) seen = nan_seen(seen, m);
          for (int64_t ih = first + dh; ih < last; ih += dh) {
            const f32x4 v = load(xp + ih * W + q);
            if (fast) seen = nan_seen(seen, v);
            m = step<is_max, fast>(m, v);
          }
          store(r + q, m);
        }
      }
      for (; q < W; ++q) {
        float m = fill;
        if (!empty) {
          m = r0[q];
          if (fast) seen_scalar = seen_scalar || m != m;
          for (int64_t ih = first + dh; ih < last; ih += dh) {
            const float v = xp[ih * W + q];
            if (fast) seen_scalar = seen_scalar || v != v;
            m = step<is_max, fast>(m, v);
          }
        }
        if (sw == 2) (q % 2 == 0 ? ph0 : ph1)[q / 2] = m;
        else row[left + q] = m;
      }
      if (sw > 2)  // stride phases of the row: phase p holds row[j * sw + p]
        for (int64_t p = 0; p < sw; ++p) {
          float* ph = phases + p * phase_len;
          for (int64_t j = 0; j * sw + p < PW; ++j) ph[j] = row[j * sw + p];
        }
      // 2. the kW taps of each output: tap b of output ow reads phase (b*dw + e) % sw at
      //    ow + (b*dw + e) / sw
      float* out = yp + oh * g.OW;
      float* dst = is_max ? out : acc;
      int64_t ow = 0;
      for (; ow + 4 <= g.OW; ow += 4) {
        f32x4 m = is_max ? vfill : zero();
        for (int64_t b = 0; b < g.kw; ++b) {
          const int64_t t = b * dw + e;
          m = step<is_max, fast>(m, load(taps_from + (t % sw) * taps_len + ow + t / sw));
        }
        store(dst + ow, m);
      }
      for (; ow < g.OW; ++ow) {
        float m = fill;
        for (int64_t b = 0; b < g.kw; ++b) {
          const int64_t t = b * dw + e;
          m = step<is_max, fast>(m, taps_from[(t % sw) * taps_len + ow + t / sw]);
        }
        dst[ow] = m;
      }
      if (is_max) continue;
      const int64_t rows_padded = hend - h0, rows_inside = last - std::max<int64_t>(h0, 0);
      if (rows_inside <= 0) {
        std::fill(out, out + g.OW, 0.0f);
        continue;
      }
      // three plain loops (clang vectorizes each division loop)
      if (g.divisor_override != 0) {
        const float d = static_cast<float>(g.divisor_override);
        for (int64_t o = 0; o < g.OW; ++o) out[o] = acc[o] / d;
      } else if (g.count_include_pad) {
        const float rp = static_cast<float>(rows_padded);
        for (int64_t o = 0; o < g.OW; ++o) out[o] = acc[o] / (rp * div_padded[static_cast<size_t>(o)]);
      } else {
        const float ri = static_cast<float>(rows_inside);
        for (int64_t o = 0; o < g.OW; ++o) out[o] = acc[o] / (ri * div_inside[static_cast<size_t>(o)]);
      }
      for (int64_t o : empty_cols) out[o] = 0.0f;  // windows past the input (ceil mode): 0
    }
    return fast && (seen_scalar || any_lane(seen));
  };
  for (int64_t pl = 0; pl < g.N * g.C; ++pl) {
    if (!is_max) {
      plane(std::false_type{}, pl);
    } else if (plane(std::true_type{}, pl)) {
      plane(std::false_type{}, pl);  // a NaN: the exact step, so it propagates as in PyTorch
    }
  }
}

// Windows 3 columns wide at column stride 2 (dilation 1) and at most 3 rows: one fused pass per
// output row (kernels/pool_3rows_k3s2.hpp). Rows outside the input or the window are a row of
// fills, so the kernel always combines three rows.
template <bool is_max>
bool pool_k3s2_applies(const Pool2dGeometry& g) {
  return g.kw == 3 && g.sw == 2 && g.kh <= 3 && (!is_max || g.dw == 1) && (is_max || g.dh == 1);
}

int64_t pool_k3s2_scratch(const Pool2dGeometry& g) { return g.W + 4 + 2 * (g.OW + 4); }

template <bool is_max>
void pool_k3s2_planes(const Pool2dGeometry& g, const float* x, float* y, float* scratch) {
  using namespace simd;
  const float fill = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
  const int64_t W = g.W, H = g.H, OW = g.OW;
  float* fill_row = scratch;  // W fills
  // avg: the divisor of each output column of an output row, for two rows (a pair), each
  // remembering the row factor it was computed for
  float* divisors[2] = {scratch + W + 4, scratch + W + 4 + OW + 4};
  float divisors_for[2] = {-1.0f, -1.0f};
  std::fill(fill_row, fill_row + W, fill);
  // avg: per output column, the window's width clipped to the padded input and to the input
  std::vector<float> div_padded, div_inside;
  std::vector<int64_t> empty_cols;
  if (!is_max) {
    div_padded.resize(static_cast<size_t>(OW));
    div_inside.resize(static_cast<size_t>(OW));
    for (int64_t ow = 0; ow < OW; ++ow) {
      const int64_t a = ow * g.sw - g.pw, end = std::min(a + g.kw, W + g.pw);
      div_padded[static_cast<size_t>(ow)] = static_cast<float>(end - a);
      div_inside[static_cast<size_t>(ow)] = static_cast<float>(std::min(end, W) - std::max<int64_t>(a, 0));
      if (div_inside[static_cast<size_t>(ow)] <= 0.0f) empty_cols.push_back(ow);
    }
  }
  // The input rows of output row oh at their window positions (fill_row outside the input);
  // returns how many are inside.
  auto window_rows = [&](const float* xp, int64_t oh, const float** rows) {
    int n = 0;
    for (int64_t i = 0; i < g.kh; ++i) {
      const int64_t ih = oh * g.sh - g.ph + i * g.dh;
      const bool inside = ih >= 0 && ih < H;
      rows[i] = inside ? xp + ih * W : fill_row;
      n += inside;
    }
    for (int64_t i = g.kh; i < 3; ++i) rows[i] = fill_row;
    return n;
  };
  // avg: output row oh's divisors in divisors[slot] (recomputed when the row factor changes)
  auto row_divisors = [&](int64_t oh, int inside, int slot) -> const float* {
    if (is_max) return nullptr;
    const int64_t h0 = oh * g.sh - g.ph, hend = std::min(h0 + g.kh, H + g.ph);
    const float factor = g.divisor_override != 0 ? 0.0f
                         : g.count_include_pad  ? static_cast<float>(hend - h0)
                                                : static_cast<float>(inside);
    float* d = divisors[slot];
    if (factor != divisors_for[slot]) {
      for (int64_t o = 0; o < OW; ++o)
        d[o] = g.divisor_override != 0 ? static_cast<float>(g.divisor_override)
               : g.count_include_pad  ? factor * div_padded[static_cast<size_t>(o)]
                                      : factor * div_inside[static_cast<size_t>(o)];
      divisors_for[slot] = factor;
    }
    return d;
  };
  // avg: a window of padding rows only (ceil mode) gives 0, and so do windows past the input
  auto avg_edges = [&](float* out, int inside) {
    if (is_max) return;
    if (inside == 0) std::fill(out, out + OW, 0.0f);
    else
      for (int64_t o : empty_cols) out[o] = 0.0f;
  };
  // Pairs of output rows share a row when the rows advance by 2 with 3 rows per window.
  const bool pairs = g.sh == 2 && g.kh == 3 && g.dh == 1;
  auto plane = [&](auto fast_tag, int64_t pl) -> bool {
    constexpr bool fast = decltype(fast_tag)::value;
    f32x4 nan_sum = zero();
    bool nan_scalar = false;
    const float* xp = x + pl * H * W;
    float* yp = y + pl * g.OH * OW;
    int64_t oh = 0;
    if (pairs)
      for (; oh + 2 <= g.OH; oh += 2) {
        const float* rows[5];
        const int na = window_rows(xp, oh, rows), nb = window_rows(xp, oh + 1, rows + 2);
        float* out_a = yp + oh * OW;
        float* out_b = out_a + OW;
        const float* div_a = row_divisors(oh, na, 0);
        const float* div_b = row_divisors(oh + 1, nb, 1);
        if (oh == 0)
          f32_pool_5rows_k3s2_2x_deinterleave<is_max, fast, true>(rows, W, g.pw, OW, div_a, div_b, out_a, out_b,
                                                                  nan_sum, nan_scalar);
        else
          f32_pool_5rows_k3s2_2x_deinterleave<is_max, fast, false>(rows, W, g.pw, OW, div_a, div_b, out_a, out_b,
                                                                   nan_sum, nan_scalar);
        avg_edges(out_a, na);
        avg_edges(out_b, nb);
      }
    for (; oh < g.OH; ++oh) {
      const float* rows[3];
      const int n = window_rows(xp, oh, rows);
      float* out = yp + oh * OW;
      f32_pool_3rows_k3s2_deinterleave<is_max, fast>(rows[0], rows[1], rows[2], W, g.pw, OW, row_divisors(oh, n, 0),
                                                     out, nan_sum, nan_scalar);
      avg_edges(out, n);
    }
    return fast && (nan_scalar || any_nan(nan_sum));
  };
  for (int64_t pl = 0; pl < g.N * g.C; ++pl) {
    if (!is_max) {
      plane(std::false_type{}, pl);
    } else if (plane(std::true_type{}, pl)) {
      plane(std::false_type{}, pl);  // a NaN (or +inf and -inf): the exact step, as PyTorch
    }
  }
}

}  // namespace

void max_pool2d(const Pool2dGeometry& g, const float* x, float* y, int32_t* indices) {
  if (g.output_size() == 0) return;
  if (indices) {
    max_pool2d_indices(g, x, y, indices);
    return;
  }
  auto& ws = detail::workspace();
  if (pool_k3s2_applies<true>(g))
    pool_k3s2_planes<true>(g, x, y, detail::Workspace::get(ws.rows, pool_k3s2_scratch(g)));
  else
    pool_rows<true>(g, x, y, detail::Workspace::get(ws.rows, pool_scratch(g, true)));
}

void avg_pool2d(const Pool2dGeometry& g, const float* x, float* y) {
  if (g.output_size() == 0) return;
  auto& ws = detail::workspace();
  if (pool_k3s2_applies<false>(g))
    pool_k3s2_planes<false>(g, x, y, detail::Workspace::get(ws.rows, pool_k3s2_scratch(g)));
  else
    pool_rows<false>(g, x, y, detail::Workspace::get(ws.rows, pool_scratch(g, false)));
}

}  // namespace convplay
