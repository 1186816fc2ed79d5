#include "dp_heap_conf.h"

#include <jemalloc/jemalloc.h>

// Two arenas, not jemalloc's four per core: the workers, the committer and the reading thread
// share two cores' worth of work, and each arena holds on to the pages it freed until they
// decay. On the 256 MB Takeout zip: peak 171 MB with two, 227 MB with the default eight; the
// same wall time (docs/BENCHMARKS-HEAP.md).
const char *malloc_conf = "narenas:2";

int dp_heap_linked(void) {
    int (*volatile ctl)(const char *, void *, size_t *, void *, size_t) = mallctl;
    return ctl != NULL;
}
