#include "dp_kernels.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// jemalloc, when the executable links it (the `datapunk` command does: Sources/DatapunkHeap),
// is found at run time by its control interface, so this library links no allocator of its
// own: tests and fuzz targets keep the C library's malloc.
typedef int (*dp_mallctl_fn)(const char *name, void *old, size_t *old_length, void *new_value, size_t new_length);
static dp_mallctl_fn dp_mallctl;
static pthread_once_t dp_mallctl_once = PTHREAD_ONCE_INIT;

static void dp_find_mallctl(void) {
    dp_mallctl_fn found = (dp_mallctl_fn)dlsym(RTLD_DEFAULT, "mallctl");
    if (found == NULL) return;
    // Present is not enough: it must be the allocator that serves this process's malloc.
    // Its count of the bytes this thread allocated has to grow with a block malloc gives.
    uint64_t before = 0, after = 0;
    size_t length = sizeof(uint64_t);
    if (found("thread.allocated", &before, &length, NULL, 0) != 0) return;
    void *volatile probe = malloc(1 << 16);
    length = sizeof(uint64_t);
    int rc = found("thread.allocated", &after, &length, NULL, 0);
    free(probe);
    if (rc == 0 && after >= before + (1 << 16)) dp_mallctl = found;
}

static dp_mallctl_fn dp_jemalloc(void) {
    pthread_once(&dp_mallctl_once, dp_find_mallctl);
    return dp_mallctl;
}

int dp_heap_is_jemalloc(void) { return dp_jemalloc() != NULL; }

// Every arena's unused dirty pages back to the system (4096: MALLCTL_ARENAS_ALL). 1 when the
// purge ran, 0 when it failed, -1 when jemalloc does not serve malloc.
static int dp_jemalloc_purge(void) {
    dp_mallctl_fn ctl = dp_jemalloc();
    if (ctl == NULL) return -1;
    return ctl("arena.4096.purge", NULL, NULL, NULL, 0) == 0 ? 1 : 0;
}

int dp_heap_describe(char *out, size_t capacity) {
    dp_mallctl_fn ctl = dp_jemalloc();
    if (ctl != NULL) {
        const char *version = "?";
        unsigned arenas = 0;
        size_t length = sizeof(version);
        ctl("version", &version, &length, NULL, 0);
        length = sizeof(arenas);
        ctl("opt.narenas", &arenas, &length, NULL, 0);
        return snprintf(out, capacity, "jemalloc %s, %u arenas", version, arenas);
    }
#if defined(__GLIBC__)
    return snprintf(out, capacity, "glibc malloc");
#else
    return snprintf(out, capacity, "the C library's malloc");
#endif
}

#if defined(__GLIBC__)
#include <malloc.h>

int dp_heap_configure(size_t mmap_threshold, int arenas) {
    // jemalloc took its settings from the executable (`malloc_conf`) before main.
    if (dp_jemalloc() != NULL) return 0;
    // A fixed threshold also stops glibc from raising it (up to 32 MiB) each time a mapped
    // block is freed, which sent later large buffers into the arenas for good.
    int ok = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    if (arenas > 0) ok = mallopt(M_ARENA_MAX, arenas) && ok;
    return ok ? 1 : 0;
}

int dp_heap_release(void) {
    int purged = dp_jemalloc_purge();
    return purged >= 0 ? purged : malloc_trim(0);
}

size_t dp_heap_usable_size(void *p) { return malloc_usable_size(p); }

#else

int dp_heap_configure(size_t mmap_threshold, int arenas) {
    (void)mmap_threshold;
    (void)arenas;
    return 0;
}

int dp_heap_release(void) { return dp_jemalloc_purge() == 1 ? 1 : 0; }

size_t dp_heap_usable_size(void *p) {
    (void)p;
    return 0;
}

#endif
