#include "dp_kernels.h"
#include "cpu.h"

// The parameters every loop of the ring test takes (dp_near_candidates in dp_kernels.h), and
// the same names passed on.
#define NEAR_PARAMS                                                                                                    \
    const int64_t *sizes, const uint64_t *w0, const uint64_t *w1, const uint64_t *w2, const uint64_t *w3, size_t count, \
        uint64_t pb0, uint64_t pb1, uint64_t pb2, uint64_t pb3, int64_t lo, int64_t hi, const int64_t *slack_a,         \
        const int64_t *slack_b, uint32_t *out
#define NEAR_ARGS sizes, w0, w1, w2, w3, count, pb0, pb1, pb2, pb3, lo, hi, slack_a, slack_b, out

// One slot's test: its size in [lo, hi] and neither fingerprint with more bits of its own than
// its text may lack.
static inline int near_candidate(
    int64_t sa, const uint64_t *pa, const uint64_t *pb, int64_t lo, int64_t hi, const int64_t *slack_a, const int64_t *slack_b) {
    if (sa < lo || sa > hi) return 0;
    int64_t only_a = 0, only_b = 0;
    for (int w = 0; w < 4; w++) {
        only_a += __builtin_popcountll(pa[w] & ~pb[w]);
        only_b += __builtin_popcountll(pb[w] & ~pa[w]);
    }
    return only_a <= slack_a[sa - lo] && only_b <= slack_b[sa - lo];
}

// The slots in order, one at a time: inlined into each loop below, so that the one built for
// POPCNT counts bits with its instruction (the baseline x86-64 target has none, and counts
// them with a dozen shifts, masks and adds per word).
static inline __attribute__((always_inline)) size_t near_candidates_loop(NEAR_PARAMS) {
    size_t found = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t pa[4] = {w0[i], w1[i], w2[i], w3[i]}, pb[4] = {pb0, pb1, pb2, pb3};
        if (near_candidate(sizes[i], pa, pb, lo, hi, slack_a, slack_b)) out[found++] = (uint32_t)i;
    }
    return found;
}

size_t dp_near_candidates_scalar(NEAR_PARAMS) {
    return near_candidates_loop(NEAR_ARGS);
}

#ifdef DP_HAVE_X86_VECTORS
__attribute__((target("popcnt"))) static size_t near_candidates_popcnt(NEAR_PARAMS) {
    return near_candidates_loop(NEAR_ARGS);
}
#endif

size_t dp_near_candidates_popcnt(NEAR_PARAMS) {
#ifdef DP_HAVE_X86_VECTORS
    if (dp_cpu_features() & DP_CPU_POPCNT)
        return near_candidates_popcnt(NEAR_ARGS);
#endif
    return dp_near_candidates_scalar(NEAR_ARGS);
}

#ifdef DP_HAVE_X86_VECTORS
// Eight slots per step: the size range as a mask, the slacks gathered by size, the bits of
// each side's own counted with VPOPCNTQ, the passing slots' numbers compressed into `out`.
__attribute__((target("avx512f,avx512vpopcntdq"))) static size_t near_candidates_avx512(NEAR_PARAMS) {
    const __m512i vlo = _mm512_set1_epi64(lo), vhi = _mm512_set1_epi64(hi);
    const __m512i b0 = _mm512_set1_epi64((long long)pb0), b1 = _mm512_set1_epi64((long long)pb1);
    const __m512i b2 = _mm512_set1_epi64((long long)pb2), b3 = _mm512_set1_epi64((long long)pb3);
    const __m512i lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    size_t found = 0;
    for (size_t i = 0; i < count; i += 8) {
        __mmask8 live = count - i >= 8 ? 0xFF : (__mmask8)((1u << (count - i)) - 1);
        __m512i s = _mm512_maskz_loadu_epi64(live, sizes + i);
        __mmask8 m = _mm512_mask_cmpge_epi64_mask(live, s, vlo) & _mm512_cmple_epi64_mask(s, vhi);
        if (!m) continue;
        __m512i at = _mm512_sub_epi64(s, vlo);
        __m512i sla = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), m, at, slack_a, 8);
        __m512i slb = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), m, at, slack_b, 8);
        __m512i a0 = _mm512_maskz_loadu_epi64(live, w0 + i), a1 = _mm512_maskz_loadu_epi64(live, w1 + i);
        __m512i a2 = _mm512_maskz_loadu_epi64(live, w2 + i), a3 = _mm512_maskz_loadu_epi64(live, w3 + i);
        __m512i only_a = _mm512_add_epi64(
            _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_andnot_si512(b0, a0)), _mm512_popcnt_epi64(_mm512_andnot_si512(b1, a1))),
            _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_andnot_si512(b2, a2)), _mm512_popcnt_epi64(_mm512_andnot_si512(b3, a3))));
        __m512i only_b = _mm512_add_epi64(
            _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_andnot_si512(a0, b0)), _mm512_popcnt_epi64(_mm512_andnot_si512(a1, b1))),
            _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_andnot_si512(a2, b2)), _mm512_popcnt_epi64(_mm512_andnot_si512(a3, b3))));
        m = _mm512_mask_cmple_epi64_mask(m, only_a, sla) & _mm512_cmple_epi64_mask(only_b, slb);
        if (!m) continue;
        __m512i index = _mm512_add_epi64(lanes, _mm512_set1_epi64((long long)i));
        _mm512_mask_cvtepi64_storeu_epi32(out + found, (__mmask8)((1u << __builtin_popcount(m)) - 1),
            _mm512_maskz_compress_epi64(m, index));
        found += (size_t)__builtin_popcount(m);
    }
    return found;
}
#endif

int dp_near_candidates_vectorized(void) {
    int f = dp_cpu_features();
    return (f & DP_CPU_AVX512_POPCNT) ? 1 : (f & DP_CPU_POPCNT) ? 2 : 0;
}

size_t dp_near_candidates(NEAR_PARAMS) {
#ifdef DP_HAVE_X86_VECTORS
    switch (dp_near_candidates_vectorized()) {
    case 1: return near_candidates_avx512(NEAR_ARGS);
    case 2: return near_candidates_popcnt(NEAR_ARGS);
    default: break;
    }
#endif
    return dp_near_candidates_scalar(NEAR_ARGS);
}
