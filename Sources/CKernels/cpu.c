#include "cpu.h"

int dp_cpu_features(void) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    // Asked from every worker thread: the answer is kept with atomic loads and stores (two
    // threads that both ask first store the same value).
    static int answer = -1;
    int known = __atomic_load_n(&answer, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        int f = __builtin_cpu_supports("avx512f");
        known = (f && __builtin_cpu_supports("avx512dq") ? DP_CPU_AVX512_DQ : 0) |
            (f && __builtin_cpu_supports("avx512vpopcntdq") ? DP_CPU_AVX512_POPCNT : 0) |
            (__builtin_cpu_supports("avx2") ? DP_CPU_AVX2 : 0) | (__builtin_cpu_supports("popcnt") ? DP_CPU_POPCNT : 0);
        __atomic_store_n(&answer, known, __ATOMIC_RELAXED);
    }
    return known;
#else
    return 0;
#endif
}
