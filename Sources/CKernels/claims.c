#include "dp_kernels.h"

int dp_claim(uint64_t *slots, size_t mask, uint64_t value) {
    // 0 marks an empty slot, so it is never held: its claim always succeeds.
    if (value == 0) return 1;
    return __atomic_exchange_n(&slots[value & mask], value, __ATOMIC_RELAXED) != value;
}
