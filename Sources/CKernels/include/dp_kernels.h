#ifndef DP_KERNELS_H
#define DP_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// MinHash minimums: for each i < count, out[i] = the least a[i] * x + b[i] (64-bit wrapping)
/// over the n values in xs, or UINT64_MAX when n is 0. count must be a multiple of 32. Uses
/// AVX-512 (F and DQ) when the processor has it, plain C otherwise; both give the same values.
void dp_minhash(const uint64_t *a, const uint64_t *b, size_t count, const uint64_t *xs, size_t n, uint64_t *out);

/// 1 when dp_minhash runs on AVX-512 on this processor, 0 when it runs the plain C loop.
int dp_minhash_vectorized(void);

/// The plain C loop alone (for tests that compare it with the vector one).
void dp_minhash_scalar(const uint64_t *a, const uint64_t *b, size_t count, const uint64_t *xs, size_t n, uint64_t *out);

#endif
