// conv_transpose2d by stride-phase decomposition (sub-pixel convolution), so a
// transposed convolution runs on the same implicit-GEMM micro-kernel as a forward one.
//
// In one dimension, output oh receives x[ih] * w[a] whenever oh + p = ih*s + a*d. Split the
// outputs by phase r = (oh + p) mod s and write oh + p = q*s + r: the taps that reach phase r
// are those with a*d = r (mod s), and they read ih = q - (a*d - r)/s. Those taps form an
// arithmetic progression, so with the kernel flipped each phase is an ordinary stride-1
// correlation over x with dilation (a_step*d)/s, evaluated on the q grid and stored every
// s-th output. Phases no tap reaches keep the bias, exactly as PyTorch's col2im leaves them.
// Each output belongs to one phase, so nothing is scattered or added twice, and the
// im2col columns of a phase are only Cin*Jh*Jw deep (Jh*Jw = the taps of that phase).
// Phases whose correlations read x identically (same taps count, dilation, offset and
// extent: a "class") share one im2col and run as one GEMM with their sub-kernels stacked as
// rows: FCN's k64 s32 has 1024 phases but only 4 classes.
#include <algorithm>
#include <cstddef>
#include <tuple>
#include <vector>

#include "convplay/kernels.hpp"
#include "index_math.hpp"
#include "ops/conv_transpose2d.hpp"
#include "ops/implicit_gemm.hpp"
#include "ops/workspace.hpp"

namespace convplay::detail {
namespace {

// The taps of one dimension that reach one output phase, and where that phase's outputs are.
struct Phase {
  int64_t r = 0;
  std::vector<int64_t> taps;  // kernel indices a, ascending
  int64_t dilation = 1;       // of the sub-correlation over x
  int64_t offset = 0;         // x index of flipped tap 0 at q = 0 is q - offset
  int64_t q_lo = 0, q_hi = -1;  // outputs oh = q*s + r - p for q in [q_lo, q_hi]
};

std::vector<Phase> phases(int64_t k, int64_t s, int64_t d, int64_t p, int64_t out) {
  std::vector<Phase> list;
  for (int64_t a = 0; a < k; ++a) {
    const int64_t r = (a * d) % s;
    auto it = std::find_if(list.begin(), list.end(), [&](const Phase& ph) { return ph.r == r; });
    if (it == list.end()) {
      list.push_back(Phase{});
      it = list.end() - 1;
      it->r = r;
    }
    it->taps.push_back(a);
  }
  for (auto& ph : list) {
    const int64_t J = static_cast<int64_t>(ph.taps.size());
    ph.offset = (ph.taps.back() * d - ph.r) / s;
    ph.dilation = J > 1 ? (ph.taps[1] - ph.taps[0]) * d / s : 1;
    ph.q_lo = -floor_div(ph.r - p, s);  // ceil((p - r) / s)
    ph.q_hi = floor_div(out - 1 + p - ph.r, s);
  }
  return list;
}

// Phases of one dimension that share an im2col: same taps count, dilation, and x window.
std::vector<std::vector<const Phase*>> classes(const std::vector<Phase>& list) {
  std::vector<std::vector<const Phase*>> out;
  auto key = [](const Phase& p) {
    return std::make_tuple(p.taps.size(), p.dilation, p.offset - p.q_lo, p.q_hi - p.q_lo);
  };
  for (const Phase& p : list) {
    if (p.q_lo > p.q_hi) continue;  // no output in this phase
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& c) { return key(*c[0]) == key(p); });
    if (it == out.end()) out.push_back({&p});
    else it->push_back(&p);
  }
  return out;
}

// dst[c*JJ + t] = src[c*c_step + tap[t]]: one stacked sub-kernel row. The common tap counts
// (1, 2, 4: stride-2 kernels of size 2-4, FCN's 2x2) keep their taps in registers; in V8 the
// generic loop spent 11% of P5t here.
template <int J>
void gather_taps_fixed(const float* src, ptrdiff_t c_step, ptrdiff_t channels, const ptrdiff_t* tap, float* dst) {
  ptrdiff_t t[J];
  for (int k = 0; k < J; ++k) t[k] = tap[k];
  for (ptrdiff_t c = 0; c < channels; ++c, src += c_step, dst += J)
    for (int k = 0; k < J; ++k) dst[k] = src[t[k]];
}
void gather_taps(const float* src, ptrdiff_t c_step, ptrdiff_t channels, const ptrdiff_t* tap, ptrdiff_t JJ,
                 float* dst) {
  switch (JJ) {
    case 1: return gather_taps_fixed<1>(src, c_step, channels, tap, dst);
    case 2: return gather_taps_fixed<2>(src, c_step, channels, tap, dst);
    case 4: return gather_taps_fixed<4>(src, c_step, channels, tap, dst);
    default:
      for (ptrdiff_t c = 0; c < channels; ++c, src += c_step)
        for (ptrdiff_t k = 0; k < JJ; ++k) *dst++ = src[tap[k]];
  }
}

}  // namespace

void conv_transpose2d_phases(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                             const float* bias, float* y) {
  const int64_t OHW = g.OH * g.OW, Cg = g.Cg(), Kg = g.Kg(), taps = g.kh * g.kw;
  const auto row_phases = phases(g.kh, g.sh, g.dh, g.ph, g.OH);
  const auto col_phases = phases(g.kw, g.sw, g.dw, g.pw, g.OW);
  // The GEMMs write every output of the phases taps reach, bias included. Only when some
  // outputs belong to no such phase (a stride larger than the dilated kernel's reach) is the
  // output filled with the bias first: for FCN's 13 MB output that fill was 4% of the call.
  auto covered = [](const std::vector<Phase>& list) {
    int64_t n = 0;
    for (const Phase& p : list) n += std::max<int64_t>(0, p.q_hi - p.q_lo + 1);
    return n;
  };
  if (covered(row_phases) != g.OH || covered(col_phases) != g.OW) fill_with_bias(g, bias, y);
  auto& ws = workspace();
  for (const auto& rc : classes(row_phases))
    for (const auto& cc : classes(col_phases)) {
      const Phase &ph = *rc[0], &pw = *cc[0];
      const int64_t Jh = static_cast<int64_t>(ph.taps.size()), Jw = static_cast<int64_t>(pw.taps.size());
      const int64_t R = static_cast<int64_t>(rc.size()), Cc = static_cast<int64_t>(cc.size());
      Conv2dGeometry sub;  // the class as a stride-1 conv2d of one image and one group
      sub.N = 1;
      sub.C = Cg;
      sub.H = g.H;
      sub.W = g.W;
      sub.K = Kg * R * Cc;  // rows (ko, row phase i, col phase j)
      sub.kh = Jh;
      sub.kw = Jw;
      sub.dh = ph.dilation;
      sub.dw = pw.dilation;
      sub.pad_top = ph.offset - ph.q_lo;  // may be negative: the window starts inside x
      sub.pad_left = pw.offset - pw.q_lo;
      sub.OH = ph.q_hi - ph.q_lo + 1;
      sub.OW = pw.q_hi - pw.q_lo + 1;
      const int64_t depth = Cg * Jh * Jw, M = sub.K;

      // Stacked sub-kernels, flipped and transposed to conv2d's [M][Cg][Jh][Jw] per group,
      // written in destination order: the writes stream, and the reads of neighbouring rows
      // (adjacent column phases) fall in the same source lines. (Source order, one kernel at a
      // time, scattered every write Cg*Jh*Jw floats apart: 10-16% of T2 and P5t, measured.)
      float* wsub = Workspace::get(ws.weights, g.groups * M * depth);
      // Per (i, j): the source taps. ptrdiff_t: 32-bit on wasm32, where int64 indices cost wraps.
      std::vector<ptrdiff_t> tap_index(static_cast<size_t>(R * Cc * Jh * Jw));
      for (int64_t i = 0; i < R; ++i)
        for (int64_t j = 0; j < Cc; ++j)
          for (int64_t a = 0; a < Jh; ++a)
            for (int64_t b = 0; b < Jw; ++b) {
              const auto& th = rc[static_cast<size_t>(i)]->taps;
              const auto& tw = cc[static_cast<size_t>(j)]->taps;
              tap_index[static_cast<size_t>(((i * Cc + j) * Jh + a) * Jw + b)] = static_cast<ptrdiff_t>(
                  th[static_cast<size_t>(Jh - 1 - a)] * g.kw + tw[static_cast<size_t>(Jw - 1 - b)]);
            }
      const ptrdiff_t JJ = static_cast<ptrdiff_t>(Jh * Jw), c_step = static_cast<ptrdiff_t>(Kg * taps);
      const ptrdiff_t channels = static_cast<ptrdiff_t>(Cg);
      float* dst = wsub;
      for (int64_t grp = 0; grp < g.groups; ++grp)
        for (int64_t ko = 0; ko < Kg; ++ko)
          for (int64_t ij = 0; ij < R * Cc; ++ij, dst += channels * JJ) {
            const ptrdiff_t* tap = tap_index.data() + ij * JJ;
            gather_taps(w + (grp * Cg * Kg + ko) * taps, c_step, channels, tap, JJ, dst);
          }
      // Where each row's first output lies, and its bias (per group).
      std::vector<int64_t> row_offset(static_cast<size_t>(M));
      std::vector<float> row_bias(bias ? static_cast<size_t>(M) : 0);
      for (int64_t ko = 0; ko < Kg; ++ko)
        for (int64_t i = 0; i < R; ++i)
          for (int64_t j = 0; j < Cc; ++j) {
            const Phase &a = *rc[static_cast<size_t>(i)], &b = *cc[static_cast<size_t>(j)];
            row_offset[static_cast<size_t>((ko * R + i) * Cc + j)] =
                ko * OHW + (a.q_lo * g.sh + a.r - g.ph) * g.OW + (b.q_lo * g.sw + b.r - g.pw);
          }
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        if (bias)
          for (int64_t m = 0; m < M; ++m) row_bias[static_cast<size_t>(m)] = bias[grp * Kg + m / (R * Cc)];
        const float* a_panels = implicit_gemm_pack_weights(sub, wsub + grp * M * depth);
        for (int64_t n = 0; n < g.N; ++n) {
          GemmOutput out{y + (n * g.K + grp * Kg) * OHW, row_offset.data(), bias ? row_bias.data() : nullptr,
                         g.sh * g.OW, g.sw};
          implicit_gemm_conv(sub, x + (n * g.C + grp * Cg) * g.H * g.W, a_panels, out);
        }
      }
    }
}

}  // namespace convplay::detail
