#ifndef DATAPUNK_HEAP_CONF_H
#define DATAPUNK_HEAP_CONF_H

/// jemalloc's settings for the `datapunk` command, read by jemalloc before main (the symbol
/// `malloc_conf`; the environment's MALLOC_CONF goes on top of it).
extern const char *malloc_conf;

/// 1: this executable is linked with jemalloc (a reference to it, so no linker drops it).
int dp_heap_linked(void);

#endif
