#ifndef DATAPUNK_DP_ICU_H
#define DATAPUNK_DP_ICU_H
// The calls datapunk-lake makes into ICU (Debian's libicu-dev), behind plain C types.
//
// Why a C target and not a system-library module map like the other C libraries: Swift's
// Foundation on Linux carries its own copy of ICU's headers (module _FoundationICU), and a
// second module declaring the same C types (UErrorCode...) cannot be imported beside it. ICU
// also renames every entry point with its major version through macros Swift cannot see
// (ucnv_open -> ucnv_open_72). So icu.c includes ICU's headers and this header exposes none
// of ICU's types.
#include <stdint.h>

typedef struct dp_transcoder dp_transcoder;

/// Opens a converter from `charset` to UTF-8; NULL when ICU has no converter of that name.
dp_transcoder *dp_transcoder_open(const char *charset);
void dp_transcoder_close(dp_transcoder *t);
/// ICU's canonical name of the source charset.
const char *dp_transcoder_name(const dp_transcoder *t);
/// Converts `input[0..<inputLength]` into `output` (capacity `outputCapacity`), keeping a
/// character cut at the end for the next call unless `flush`. Returns the bytes written, or
/// -1 on an ICU error. `*consumed` is how much of the input was read and `*full` is 1 when
/// the output filled up first: call again with the rest (and `flush` again if it was set).
int32_t dp_transcoder_convert(dp_transcoder *t, const char *input, int32_t inputLength, int32_t *consumed,
                              char *output, int32_t outputCapacity, int flush, int *full);

/// The IANA zone CLDR's windowsZones maps a Windows zone name (UTF-8) to, written to `result`
/// (UTF-8, NUL-terminated). Returns its length, or 0 when the name is not a Windows zone.
int32_t dp_iana_for_windows_zone(const char *windowsID, char *result, int32_t capacity);

/// Unicode Normalization Form C of the UTF-8 text `input[0..<length]` (ICU's NFC normalizer, the
/// Unicode version of Debian's ICU). Returns -1 when the text is NFC already (nothing is
/// written); else the length in bytes of its NFC, written to `output` when it is at most
/// `capacity` (call again with that capacity otherwise); -2 when ICU fails (text that is not
/// UTF-8). With no `output` (NULL) it only checks: -1, or a bound on that length, without
/// normalizing.
int64_t dp_nfc_utf8(const char *input, int32_t length, char *output, int32_t capacity);

/// 1 when NFC never joins code point `c` with what comes before it (ICU's boundary): a text
/// cut there normalizes as the two parts normalized one after the other.
int dp_nfc_boundary_before(uint32_t c);
#endif
