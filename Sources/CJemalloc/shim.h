#ifndef DATAPUNK_CJEMALLOC_SHIM_H
#define DATAPUNK_CJEMALLOC_SHIM_H
// jemalloc: the `datapunk` command's allocator (Sources/DatapunkHeap). Only its control
// interface is used by name; linking it makes it serve every malloc of the process.
#include <jemalloc/jemalloc.h>
#endif
