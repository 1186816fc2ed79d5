#ifndef DP_KERNELS_H
#define DP_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// MinHash minimums: for each i < count, out[i] = the least a[i] * x + b[i] (64-bit wrapping)
/// over the n values in xs, or UINT64_MAX when n is 0. count must be a multiple of 32. Uses
/// AVX-512 (F and DQ) when the processor has it, else AVX2 when it has that, else plain C; all
/// give the same values.
void dp_minhash(const uint64_t *a, const uint64_t *b, size_t count, const uint64_t *xs, size_t n, uint64_t *out);

/// Which loop dp_minhash runs on this processor: 1 AVX-512, 2 AVX2, 0 the plain C loop.
int dp_minhash_vectorized(void);

/// The AVX2 loop alone (for tests): 1 when it ran, 0 (out untouched) when the processor has no AVX2.
int dp_minhash_avx2(const uint64_t *a, const uint64_t *b, size_t count, const uint64_t *xs, size_t n, uint64_t *out);

/// The plain C loop alone (for tests that compare it with the vector one).
void dp_minhash_scalar(const uint64_t *a, const uint64_t *b, size_t count, const uint64_t *xs, size_t n, uint64_t *out);

/// The near pass's ring test (NearDuplicateRing.forEachCandidate): writes to `out`, in order,
/// each slot i < count whose size lies in [lo, hi] and whose fingerprint (w0[i] ... w3[i])
/// has at most slack_a[size - lo] bits that pb0...pb3 lack, while they have at most
/// slack_b[size - lo] bits the slot's lacks; returns how many. Uses AVX-512 (F and VPOPCNTDQ)
/// when the processor has it, else plain C (built for POPCNT where it has that); all give the
/// same slots.
size_t dp_near_candidates(
    const int64_t *sizes, const uint64_t *w0, const uint64_t *w1, const uint64_t *w2, const uint64_t *w3, size_t count,
    uint64_t pb0, uint64_t pb1, uint64_t pb2, uint64_t pb3, int64_t lo, int64_t hi,
    const int64_t *slack_a, const int64_t *slack_b, uint32_t *out);

/// Which loop dp_near_candidates runs on this processor: 1 AVX-512, 2 the plain C loop built
/// for POPCNT, 0 the plain C loop.
int dp_near_candidates_vectorized(void);

/// The plain C loop built for POPCNT alone (for tests), or the plain one where the processor
/// has no POPCNT.
size_t dp_near_candidates_popcnt(
    const int64_t *sizes, const uint64_t *w0, const uint64_t *w1, const uint64_t *w2, const uint64_t *w3, size_t count,
    uint64_t pb0, uint64_t pb1, uint64_t pb2, uint64_t pb3, int64_t lo, int64_t hi,
    const int64_t *slack_a, const int64_t *slack_b, uint32_t *out);

/// The plain C loop alone (for tests that compare it with the vector one).
size_t dp_near_candidates_scalar(
    const int64_t *sizes, const uint64_t *w0, const uint64_t *w1, const uint64_t *w2, const uint64_t *w3, size_t count,
    uint64_t pb0, uint64_t pb1, uint64_t pb2, uint64_t pb3, int64_t lo, int64_t hi,
    const int64_t *slack_a, const int64_t *slack_b, uint32_t *out);

/// A claim on `value` in a table of mask + 1 slots (a power of two, zeroed), from any thread:
/// the slot value & mask is given `value`; returns 0 when it held `value` already (claimed
/// before, by this thread or another), 1 otherwise (the first claim, or one after another value
/// took the slot, or `value` 0). So of the claims of one value, the first returns 1, and each
/// later one 0 unless another value came between them.
int dp_claim(uint64_t *slots, size_t mask, uint64_t value);

/// glibc malloc's policy for this process: blocks of `mmap_threshold` bytes or more are mapped
/// on their own (and unmapped when freed), and at most `arenas` arenas (0: glibc's default).
/// 1 when glibc took both, 0 otherwise (on another C library, or when jemalloc serves malloc:
/// it took its settings from the executable's `malloc_conf`).
int dp_heap_configure(size_t mmap_threshold, int arenas);

/// Gives the free memory of every arena back to the system: jemalloc's purge of every arena
/// when it serves malloc, else malloc_trim(0). 1 when some was (jemalloc: when the purge ran).
int dp_heap_release(void);

/// 1 when jemalloc serves this process's malloc (the executable links it), 0 otherwise.
int dp_heap_is_jemalloc(void);

/// The allocator serving malloc, as text (`jemalloc 5.3.0-…, 2 arenas`, `glibc malloc`),
/// written to `out` as snprintf does; returns snprintf's count.
int dp_heap_describe(char *out, size_t capacity);

/// The bytes the block at p can hold (malloc_usable_size): a block mapped on its own is
/// rounded up to whole pages, one from an arena by 16 bytes at most. 0 off glibc.
size_t dp_heap_usable_size(void *p);

#endif
