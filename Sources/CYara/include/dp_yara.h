#ifndef DATAPUNK_DP_YARA_H
#define DATAPUNK_DP_YARA_H
// The calls datapunk-lake makes into YARA (Debian's libyara-dev), behind plain C types.
//
// A C target rather than a module map of <yara.h>: YARA's rule and match lists are walked
// with C macros (yr_rule_metas_foreach...) Swift cannot see, and its headers pull in OpenSSL
// and pthread types Swift does not need. yara.c includes YARA's headers; this header exposes
// none of YARA's types.
#include <stddef.h>
#include <stdint.h>

typedef struct dp_yara_compiler dp_yara_compiler;
typedef struct dp_yara_rules dp_yara_rules;

/// yr_initialize, once per process (later calls do nothing). Returns 0 on success.
int dp_yara_initialize(void);

/// A compiler with the external string variables every datapunk rule may use, all empty:
/// `extension` (the entry's, lowercased, no dot), `path` (the entry's path in its export).
dp_yara_compiler *dp_yara_compiler_create(void);
/// Adds rule source text under `name_space`; `file_name` names it in errors. Returns the
/// number of errors; the first one is written to `error` ("file:line: message").
int dp_yara_compiler_add(dp_yara_compiler *c, const char *source, const char *name_space, const char *file_name, char *error,
                         int32_t capacity);
/// The compiled rules (NULL when the compiler had errors); the compiler is freed either way.
dp_yara_rules *dp_yara_compiler_finish(dp_yara_compiler *c);

/// The number of rules.
int32_t dp_yara_rules_count(const dp_yara_rules *r);
void dp_yara_rules_destroy(dp_yara_rules *r);

/// Scans `data[0..<size]` with `extension` and `path` set. Each matching rule is written to
/// `matches` as `namespace:identifier\n` while it fits (`*truncated` is 1 when one did not).
/// Returns the number of matching rules, or -(YARA error code) on a failure (a timeout:
/// -ERROR_SCAN_TIMEOUT).
int32_t dp_yara_scan(dp_yara_rules *r, const uint8_t *data, size_t size, const char *extension, const char *path, int32_t timeout_seconds,
                     char *matches, int32_t capacity, int *truncated);
#endif
