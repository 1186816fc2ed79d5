#ifndef DP_CPU_H
#define DP_CPU_H

// The kernels' vector loops (chosen at run time by the features below) are built where the
// compiler can target x86-64 features function by function.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define DP_HAVE_X86_VECTORS 1
#endif

/// AVX-512 F with DQ (the MinHash kernel's 64-bit multiply).
#define DP_CPU_AVX512_DQ 1
/// AVX-512 F with VPOPCNTDQ (the near pass's ring test).
#define DP_CPU_AVX512_POPCNT 2
/// AVX2 (the MinHash kernel's multiply from 32-bit halves, on processors without AVX-512).
#define DP_CPU_AVX2 4
/// POPCNT (the near pass's ring test, one slot at a time, on processors without AVX-512).
#define DP_CPU_POPCNT 8

/// The processor's features among the above, found once.
int dp_cpu_features(void);

#endif
