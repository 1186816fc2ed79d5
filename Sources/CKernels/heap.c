#include "dp_kernels.h"

#if defined(__GLIBC__)
#include <malloc.h>

int dp_heap_configure(size_t mmap_threshold, int arenas) {
    // A fixed threshold also stops glibc from raising it (up to 32 MiB) each time a mapped
    // block is freed, which sent later large buffers into the arenas for good.
    int ok = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    if (arenas > 0) ok = mallopt(M_ARENA_MAX, arenas) && ok;
    return ok ? 1 : 0;
}

int dp_heap_release(void) { return malloc_trim(0); }

size_t dp_heap_usable_size(void *p) { return malloc_usable_size(p); }

#else

int dp_heap_configure(size_t mmap_threshold, int arenas) {
    (void)mmap_threshold;
    (void)arenas;
    return 0;
}

int dp_heap_release(void) { return 0; }

size_t dp_heap_usable_size(void *p) {
    (void)p;
    return 0;
}

#endif
