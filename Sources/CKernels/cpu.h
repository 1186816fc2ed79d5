#ifndef DP_CPU_H
#define DP_CPU_H

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
