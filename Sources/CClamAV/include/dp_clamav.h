#ifndef DATAPUNK_DP_CLAMAV_H
#define DATAPUNK_DP_CLAMAV_H
// The calls datapunk-lake makes into ClamAV (Debian's libclamav-dev), behind plain C types.
//
// A C target rather than a module map of <clamav.h>: the scan options are a C struct of bit
// fields set with macros, and the memory map calls take callbacks Swift does not need.
#include <stddef.h>
#include <stdint.h>

typedef struct dp_clamav dp_clamav;

/// ClamAV's version ("1.4.6").
const char *dp_clamav_version(void);
/// The signature database folder ClamAV was built to use (/var/lib/clamav on Debian).
const char *dp_clamav_default_database(void);

/// Starts an engine with every signature database in `folder` (`.cvd`, `.cld`, `.cud`, `.ndb`,
/// `.hdb`, `.ldb`, …) and compiles it. Returns NULL, with the reason in `error`, when ClamAV
/// cannot start, the folder cannot be read, or it holds no signature. `*signatures` is the
/// number loaded.
dp_clamav *dp_clamav_open(const char *folder, uint32_t *signatures, char *error, int32_t capacity);
void dp_clamav_close(dp_clamav *engine);

/// Scans `data[0..<size]` (named `name` in ClamAV's logic: the extension counts). Returns 1
/// with the signature's name in `virus` when one matched, 0 when clean, or -(ClamAV's error
/// code) with its message in `virus`.
int32_t dp_clamav_scan(dp_clamav *engine, const uint8_t *data, size_t size, const char *name, char *virus, int32_t capacity);
#endif
