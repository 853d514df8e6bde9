// The small SIMD abstraction every micro-kernel is written against: a 4 x float32 vector.
// Backends: WebAssembly SIMD (wasm_simd128.h, the product), SSE2 (native x86 builds, so
// native tests and benchmarks run the same kernels), and a plain scalar fallback that any
// compiler accepts. Define CONVPLAY_SIMD_SCALAR to force the fallback (the scalar WASM build
// and the native "SIMD and scalar agree" tests use it).
// Baseline WASM SIMD has no fused multiply-add, so mul_add is a mul and an add on every backend
// and they all round the same way, except one: CONVPLAY_SIMD_RELAXED (the relaxed-SIMD WASM
// build, issue 22) makes mul_add f32x4.relaxed_madd, one instruction that the engine fuses
// (one rounding) where the CPU has FMA. That build differs from the others by rounding only.
#pragma once

#if defined(__wasm_simd128__) && !defined(CONVPLAY_SIMD_SCALAR)
#include <wasm_simd128.h>
#define CONVPLAY_SIMD_WASM 1
#if defined(CONVPLAY_SIMD_RELAXED) && !defined(__wasm_relaxed_simd__)
#error "CONVPLAY_SIMD_RELAXED needs -mrelaxed-simd"
#endif
#elif (defined(__SSE2__) || defined(_M_X64)) && !defined(CONVPLAY_SIMD_SCALAR)
#include <emmintrin.h>
#define CONVPLAY_SIMD_SSE2 1
#endif

namespace convplay::simd {

#if defined(CONVPLAY_SIMD_WASM)
#if defined(CONVPLAY_SIMD_RELAXED)
constexpr const char* kBackend = "wasm-relaxed-simd";
#else
constexpr const char* kBackend = "wasm-simd128";
#endif
struct f32x4 { v128_t v; };
inline f32x4 load(const float* p) { return {wasm_v128_load(p)}; }
inline void store(float* p, f32x4 a) { wasm_v128_store(p, a.v); }
inline f32x4 splat(float s) { return {wasm_f32x4_splat(s)}; }
inline f32x4 load_splat(const float* p) { return {wasm_v128_load32_splat(p)}; }
inline f32x4 zero() { return {wasm_f32x4_const(0.0f, 0.0f, 0.0f, 0.0f)}; }
inline f32x4 add(f32x4 a, f32x4 b) { return {wasm_f32x4_add(a.v, b.v)}; }
inline f32x4 mul(f32x4 a, f32x4 b) { return {wasm_f32x4_mul(a.v, b.v)}; }
template <int L> inline f32x4 lane_splat(f32x4 a) {
  return {wasm_i32x4_shuffle(a.v, a.v, L, L, L, L)};
}
#elif defined(CONVPLAY_SIMD_SSE2)
constexpr const char* kBackend = "sse2";
struct f32x4 { __m128 v; };
inline f32x4 load(const float* p) { return {_mm_loadu_ps(p)}; }
inline void store(float* p, f32x4 a) { _mm_storeu_ps(p, a.v); }
inline f32x4 splat(float s) { return {_mm_set1_ps(s)}; }
inline f32x4 load_splat(const float* p) { return {_mm_load1_ps(p)}; }
inline f32x4 zero() { return {_mm_setzero_ps()}; }
inline f32x4 add(f32x4 a, f32x4 b) { return {_mm_add_ps(a.v, b.v)}; }
inline f32x4 mul(f32x4 a, f32x4 b) { return {_mm_mul_ps(a.v, b.v)}; }
template <int L> inline f32x4 lane_splat(f32x4 a) {
  return {_mm_shuffle_ps(a.v, a.v, _MM_SHUFFLE(L, L, L, L))};
}
#else
constexpr const char* kBackend = "scalar";
struct f32x4 { float v[4]; };
inline f32x4 load(const float* p) { return {{p[0], p[1], p[2], p[3]}}; }
inline void store(float* p, f32x4 a) { for (int i = 0; i < 4; ++i) p[i] = a.v[i]; }
inline f32x4 splat(float s) { return {{s, s, s, s}}; }
inline f32x4 load_splat(const float* p) { return splat(*p); }
inline f32x4 zero() { return splat(0.0f); }
inline f32x4 add(f32x4 a, f32x4 b) {
  return {{a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2], a.v[3] + b.v[3]}};
}
inline f32x4 mul(f32x4 a, f32x4 b) {
  return {{a.v[0] * b.v[0], a.v[1] * b.v[1], a.v[2] * b.v[2], a.v[3] * b.v[3]}};
}
template <int L> inline f32x4 lane_splat(f32x4 a) { return splat(a.v[L]); }
#endif

// Transposes the 4x4 matrix whose rows are r0..r3 (in place).
inline void transpose4(f32x4& r0, f32x4& r1, f32x4& r2, f32x4& r3) {
#if defined(CONVPLAY_SIMD_WASM)
  const v128_t t0 = wasm_i32x4_shuffle(r0.v, r1.v, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0.v, r1.v, 2, 6, 3, 7);
  const v128_t t2 = wasm_i32x4_shuffle(r2.v, r3.v, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2.v, r3.v, 2, 6, 3, 7);
  r0.v = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5);
  r1.v = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
  r2.v = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5);
  r3.v = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
#elif defined(CONVPLAY_SIMD_SSE2)
  _MM_TRANSPOSE4_PS(r0.v, r1.v, r2.v, r3.v);
#else
  f32x4* r[4] = {&r0, &r1, &r2, &r3};
  for (int i = 0; i < 4; ++i)
    for (int j = i + 1; j < 4; ++j) {
      const float t = r[i]->v[j];
      r[i]->v[j] = r[j]->v[i];
      r[j]->v[i] = t;
    }
#endif
}

// Keeps v where it is in the instruction stream (a no-op that the optimizer must assume
// changes v). clang for WebAssembly otherwise moves a kernel's loads and products ahead of
// the adds that consume them, V8 keeps its wasm order, and the extra live vectors spill:
// sequencing the 3x3 kernel's loads measured 6% faster in V8. Other compilers: nothing.
#if defined(CONVPLAY_SIMD_WASM) && defined(__clang__)
#define CONVPLAY_SEQUENCE(x) __asm__ volatile("" : "+r"((x).v))
#else
#define CONVPLAY_SEQUENCE(x) ((void)0)
#endif

// Stores x's current value to p (where the kernel stores it again later): a side effect that
// wasm-opt cannot move computations across. wasm-opt sinks a value used once into its use,
// so a kernel's second accumulator chain ends up after the first one's store, every input
// vector the chains share stays live, and V8 spills them (the 3x3 kernel spilled five).
// Pinning the partial sums after the middle input rows keeps the chains interleaved (three
// stores per step): P3 4-6% faster, P3dw 1-3%; pinning after every row was slower.
// (CONVPLAY_SEQUENCE works on clang's output only; wasm-opt never sees the asm.) Other
// backends: nothing.
#if defined(CONVPLAY_SIMD_WASM)
#define CONVPLAY_PIN(p, x) (*reinterpret_cast<volatile v128_t*>(p) = (x).v)
#else
#define CONVPLAY_PIN(p, x) ((void)(p), (void)(x))
#endif

// Max pooling's step, PyTorch's `if (v > m || isnan(v)) m = v` lane by lane: v when it is
// larger than m or NaN, else m (so NaN propagates and, of equal values, m is kept).
inline f32x4 take_larger_or_nan(f32x4 m, f32x4 v) {
#if defined(CONVPLAY_SIMD_WASM)
  const v128_t take = wasm_v128_or(wasm_f32x4_gt(v.v, m.v), wasm_f32x4_ne(v.v, v.v));
  return {wasm_v128_bitselect(v.v, m.v, take)};
#elif defined(CONVPLAY_SIMD_SSE2)
  const __m128 take = _mm_or_ps(_mm_cmpgt_ps(v.v, m.v), _mm_cmpunord_ps(v.v, v.v));
  return {_mm_or_ps(_mm_and_ps(take, v.v), _mm_andnot_ps(take, m.v))};
#else
  f32x4 r;
  for (int i = 0; i < 4; ++i) r.v[i] = (v.v[i] > m.v[i] || v.v[i] != v.v[i]) ? v.v[i] : m.v[i];
  return r;
#endif
}

// v where v > m, else m, lane by lane (NaN: m) -- PyTorch's max step exactly when v is not NaN
// (of equal values, zeros of either sign included, m is kept). One instruction:
// f32x4.pmax(m, v) is m < v ? v : m; SSE2's maxps(v, m) is v > m ? v : m.
inline f32x4 larger(f32x4 m, f32x4 v) {
#if defined(CONVPLAY_SIMD_WASM)
  return {wasm_f32x4_pmax(m.v, v.v)};
#elif defined(CONVPLAY_SIMD_SSE2)
  return {_mm_max_ps(v.v, m.v)};
#else
  f32x4 r;
  for (int i = 0; i < 4; ++i) r.v[i] = v.v[i] > m.v[i] ? v.v[i] : m.v[i];
  return r;
#endif
}

// A lane mask that accumulates "some lane of some v was NaN", and its test.
inline f32x4 nan_seen(f32x4 seen, f32x4 v) {
#if defined(CONVPLAY_SIMD_WASM)
  return {wasm_v128_or(seen.v, wasm_f32x4_ne(v.v, v.v))};
#elif defined(CONVPLAY_SIMD_SSE2)
  return {_mm_or_ps(seen.v, _mm_cmpunord_ps(v.v, v.v))};
#else
  f32x4 r;
  for (int i = 0; i < 4; ++i) r.v[i] = (seen.v[i] != 0.0f || v.v[i] != v.v[i]) ? 1.0f : 0.0f;
  return r;
#endif
}
inline bool any_lane(f32x4 mask) {
#if defined(CONVPLAY_SIMD_WASM)
  return wasm_v128_any_true(mask.v);
#elif defined(CONVPLAY_SIMD_SSE2)
  return _mm_movemask_ps(mask.v) != 0;
#else
  return mask.v[0] != 0.0f || mask.v[1] != 0.0f || mask.v[2] != 0.0f || mask.v[3] != 0.0f;
#endif
}

// The even and odd lanes of the 8 floats a, b: {a0, a2, b0, b2} and {a1, a3, b1, b3}.
inline void deinterleave(f32x4 a, f32x4 b, f32x4& even, f32x4& odd) {
#if defined(CONVPLAY_SIMD_WASM)
  even.v = wasm_i32x4_shuffle(a.v, b.v, 0, 2, 4, 6);
  odd.v = wasm_i32x4_shuffle(a.v, b.v, 1, 3, 5, 7);
#elif defined(CONVPLAY_SIMD_SSE2)
  even.v = _mm_shuffle_ps(a.v, b.v, _MM_SHUFFLE(2, 0, 2, 0));
  odd.v = _mm_shuffle_ps(a.v, b.v, _MM_SHUFFLE(3, 1, 3, 1));
#else
  even = {{a.v[0], a.v[2], b.v[0], b.v[2]}};
  odd = {{a.v[1], a.v[3], b.v[1], b.v[3]}};
#endif
}

// {a3, b0, b1, b2}: b shifted up one lane with a's last lane coming in (the previous
// vector's last element, e.g. the left neighbour of each lane of b).
inline f32x4 shift_in_last(f32x4 a, f32x4 b) {
#if defined(CONVPLAY_SIMD_WASM)
  return {wasm_i32x4_shuffle(a.v, b.v, 3, 4, 5, 6)};
#elif defined(CONVPLAY_SIMD_SSE2)
  const __m128 t = _mm_shuffle_ps(a.v, b.v, _MM_SHUFFLE(0, 0, 3, 3));  // {a3, a3, b0, b0}
  return {_mm_shuffle_ps(t, b.v, _MM_SHUFFLE(2, 1, 2, 0))};
#else
  return {{a.v[3], b.v[0], b.v[1], b.v[2]}};
#endif
}

inline f32x4 div(f32x4 a, f32x4 b) {
#if defined(CONVPLAY_SIMD_WASM)
  return {wasm_f32x4_div(a.v, b.v)};
#elif defined(CONVPLAY_SIMD_SSE2)
  return {_mm_div_ps(a.v, b.v)};
#else
  return {{a.v[0] / b.v[0], a.v[1] / b.v[1], a.v[2] / b.v[2], a.v[3] / b.v[3]}};
#endif
}

// True when some lane of v is NaN.
inline bool any_nan(f32x4 v) {
#if defined(CONVPLAY_SIMD_WASM)
  return wasm_v128_any_true(wasm_f32x4_ne(v.v, v.v));
#elif defined(CONVPLAY_SIMD_SSE2)
  return _mm_movemask_ps(_mm_cmpunord_ps(v.v, v.v)) != 0;
#else
  return v.v[0] != v.v[0] || v.v[1] != v.v[1] || v.v[2] != v.v[2] || v.v[3] != v.v[3];
#endif
}

// acc + a * b: two rounded operations on every backend but the relaxed-SIMD one, where it is
// f32x4.relaxed_madd(a, b, acc) = a * b + acc (fused where the CPU has FMA, else unfused: the
// engine chooses, which is why that build is not bit-reproducible across machines).
// clang 16+ has the final builtin. clang 14 (Emscripten 3.1.6) has only the prototype
// "f32x4.fma" (opcode 0xaf); wasm/relax-opcodes.mjs rewrites it to relaxed_madd (0x105) after the
// link. Both take (a, b, c) in stack order and the final instruction computes a * b + c, so the
// operands are passed as (a, b, acc) either way (tests/node/relaxed.test.mjs checks the result).
#if defined(CONVPLAY_SIMD_WASM) && defined(CONVPLAY_SIMD_RELAXED)
#if __has_builtin(__builtin_wasm_relaxed_madd_f32x4)
inline f32x4 mul_add(f32x4 acc, f32x4 a, f32x4 b) {
  return {__builtin_wasm_relaxed_madd_f32x4(a.v, b.v, acc.v)};
}
#else
inline f32x4 mul_add(f32x4 acc, f32x4 a, f32x4 b) { return {__builtin_wasm_fma_f32x4(a.v, b.v, acc.v)}; }
#endif
#else
inline f32x4 mul_add(f32x4 acc, f32x4 a, f32x4 b) { return add(acc, mul(a, b)); }
#endif

}  // namespace convplay::simd
