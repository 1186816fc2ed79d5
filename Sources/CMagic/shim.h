#ifndef DATAPUNK_CMAGIC_SHIM_H
#define DATAPUNK_CMAGIC_SHIM_H
// libmagic: magic_open / magic_load / magic_buffer / magic_file.
#include <magic.h>
#endif
