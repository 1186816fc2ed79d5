#ifndef DATAPUNK_CXXHASH_SHIM_H
#define DATAPUNK_CXXHASH_SHIM_H
// libxxhash: XXH64 one-shot and streaming state.
#include <xxhash.h>
#endif
