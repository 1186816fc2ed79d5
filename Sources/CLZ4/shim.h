#ifndef DATAPUNK_CLZ4_SHIM_H
#define DATAPUNK_CLZ4_SHIM_H
// liblz4: block compression of the warm tier's record batches.
#include <lz4.h>
#endif
