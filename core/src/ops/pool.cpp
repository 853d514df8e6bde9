// max_pool2d / avg_pool2d: the reference's loops per plane, with the window bounds worked out
// once per output row and column (the reference clips every tap) and windows fully inside the
// input taking a loop without clipping. Same order of taps, so results (and indices) are
// identical to the reference.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "convplay/kernels.hpp"

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

}  // namespace

void max_pool2d(const Pool2dGeometry& g, const float* x, float* y, int32_t* indices) {
  if (g.output_size() == 0) return;
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

void avg_pool2d(const Pool2dGeometry& g, const float* x, float* y) {
  if (g.output_size() == 0) return;
  const int64_t W = g.W;
  // per output row / column: clipped window and its size before clipping to the input
  struct Win {
    int64_t start, end, padded;
  };
  auto wins = [](int64_t out, int64_t in, int64_t k, int64_t s, int64_t p) {
    std::vector<Win> r(static_cast<size_t>(out));
    for (int64_t o = 0; o < out; ++o) {
      const int64_t a = o * s - p, e = std::min(a + k, in + p);
      r[static_cast<size_t>(o)] = {std::max<int64_t>(a, 0), std::min(e, in), e - a};
    }
    return r;
  };
  const auto rows = wins(g.OH, g.H, g.kh, g.sh, g.ph);
  const auto cols = wins(g.OW, g.W, g.kw, g.sw, g.pw);
  for (int64_t pl = 0; pl < g.N * g.C; ++pl) {
    const float* xp = x + pl * g.H * W;
    float* yp = y + pl * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      const Win r = rows[static_cast<size_t>(oh)];
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const Win c = cols[static_cast<size_t>(ow)];
        if (r.start >= r.end || c.start >= c.end) {
          yp[oh * g.OW + ow] = 0.0f;
          continue;
        }
        float sum = 0.0f;
        for (int64_t ih = r.start; ih < r.end; ++ih) {
          const float* xr = xp + ih * W;
          for (int64_t iw = c.start; iw < c.end; ++iw) sum += xr[iw];
        }
        const int64_t divisor = g.divisor_override != 0 ? g.divisor_override
                                : g.count_include_pad    ? r.padded * c.padded
                                                         : (r.end - r.start) * (c.end - c.start);
        yp[oh * g.OW + ow] = sum / static_cast<float>(divisor);
      }
    }
  }
}

}  // namespace convplay
