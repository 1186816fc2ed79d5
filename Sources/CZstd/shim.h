#ifndef DATAPUNK_CZSTD_SHIM_H
#define DATAPUNK_CZSTD_SHIM_H
// libzstd: streaming compression of the cold tier's partition archives.
#include <zstd.h>
#endif
