#include "dp_kernels.h"
#include "cpu.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define DP_HAVE_AVX512 1
#endif

void dp_minhash_scalar(const uint64_t *a, const uint64_t *b, size_t count, const uint64_t *xs, size_t n, uint64_t *out) {
    // Four permutations per pass over the values: four independent minimums.
    for (size_t i = 0; i + 4 <= count; i += 4) {
        uint64_t m0 = UINT64_MAX, m1 = UINT64_MAX, m2 = UINT64_MAX, m3 = UINT64_MAX;
        for (size_t k = 0; k < n; k++) {
            uint64_t x = xs[k], v0 = a[i] * x + b[i], v1 = a[i + 1] * x + b[i + 1];
            uint64_t v2 = a[i + 2] * x + b[i + 2], v3 = a[i + 3] * x + b[i + 3];
            m0 = v0 < m0 ? v0 : m0;
            m1 = v1 < m1 ? v1 : m1;
            m2 = v2 < m2 ? v2 : m2;
            m3 = v3 < m3 ? v3 : m3;
        }
        out[i] = m0;
        out[i + 1] = m1;
        out[i + 2] = m2;
        out[i + 3] = m3;
    }
}

#ifdef DP_HAVE_AVX512
// 32 permutations per pass: four vectors of eight lanes, so four multiplications are in flight
// while each waits on its latency.
__attribute__((target("avx512f,avx512dq"))) static void minhash_avx512(
    const uint64_t *a, const uint64_t *b, size_t count, const uint64_t *xs, size_t n, uint64_t *out) {
    for (size_t i = 0; i + 32 <= count; i += 32) {
        __m512i a0 = _mm512_loadu_si512(a + i), a1 = _mm512_loadu_si512(a + i + 8);
        __m512i a2 = _mm512_loadu_si512(a + i + 16), a3 = _mm512_loadu_si512(a + i + 24);
        __m512i b0 = _mm512_loadu_si512(b + i), b1 = _mm512_loadu_si512(b + i + 8);
        __m512i b2 = _mm512_loadu_si512(b + i + 16), b3 = _mm512_loadu_si512(b + i + 24);
        __m512i m0 = _mm512_set1_epi64(-1), m1 = m0, m2 = m0, m3 = m0;
        for (size_t k = 0; k < n; k++) {
            __m512i x = _mm512_set1_epi64((long long)xs[k]);
            m0 = _mm512_min_epu64(m0, _mm512_add_epi64(_mm512_mullo_epi64(a0, x), b0));
            m1 = _mm512_min_epu64(m1, _mm512_add_epi64(_mm512_mullo_epi64(a1, x), b1));
            m2 = _mm512_min_epu64(m2, _mm512_add_epi64(_mm512_mullo_epi64(a2, x), b2));
            m3 = _mm512_min_epu64(m3, _mm512_add_epi64(_mm512_mullo_epi64(a3, x), b3));
        }
        _mm512_storeu_si512(out + i, m0);
        _mm512_storeu_si512(out + i + 8, m1);
        _mm512_storeu_si512(out + i + 16, m2);
        _mm512_storeu_si512(out + i + 24, m3);
    }
}
#endif

int dp_minhash_vectorized(void) { return (dp_cpu_features() & DP_CPU_AVX512_DQ) != 0; }

void dp_minhash(const uint64_t *a, const uint64_t *b, size_t count, const uint64_t *xs, size_t n, uint64_t *out) {
#ifdef DP_HAVE_AVX512
    if (dp_minhash_vectorized()) {
        minhash_avx512(a, b, count, xs, n, out);
        return;
    }
#endif
    dp_minhash_scalar(a, b, count, xs, n, out);
}
