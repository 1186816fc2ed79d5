#include "dp_icu.h"
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

struct dp_transcoder {
    UConverter *source;
    UConverter *target;
    UChar pivot[4096];
    UChar *pivotSource;
    UChar *pivotTarget;
    int started;
};

dp_transcoder *dp_transcoder_open(const char *charset) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter *source = ucnv_open(charset, &status);
    // ICU answers some unknown names with its default converter and a warning: not a match.
    if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING) {
        if (source) ucnv_close(source);
        return NULL;
    }
    status = U_ZERO_ERROR;
    UConverter *target = ucnv_open("UTF-8", &status);
    if (U_FAILURE(status)) {
        ucnv_close(source);
        return NULL;
    }
    dp_transcoder *t = calloc(1, sizeof *t);
    if (!t) {
        ucnv_close(source);
        ucnv_close(target);
        return NULL;
    }
    t->source = source;
    t->target = target;
    t->pivotSource = t->pivotTarget = t->pivot;
    return t;
}

void dp_transcoder_close(dp_transcoder *t) {
    if (!t) return;
    ucnv_close(t->source);
    ucnv_close(t->target);
    free(t);
}

const char *dp_transcoder_name(const dp_transcoder *t) {
    UErrorCode status = U_ZERO_ERROR;
    const char *name = ucnv_getName(t->source, &status);
    return U_FAILURE(status) ? "" : name;
}

int32_t dp_transcoder_convert(dp_transcoder *t, const char *input, int32_t inputLength, int32_t *consumed,
                              char *output, int32_t outputCapacity, int flush, int *full) {
    UErrorCode status = U_ZERO_ERROR;
    const char *source = input;
    char *target = output;
    ucnv_convertEx(t->target, t->source, &target, output + outputCapacity, &source, input + inputLength, t->pivot,
                   &t->pivotSource, &t->pivotTarget, t->pivot + sizeof t->pivot / sizeof t->pivot[0],
                   t->started ? 0 : 1, flush ? 1 : 0, &status);
    t->started = 1;
    *consumed = (int32_t)(source - input);
    *full = status == U_BUFFER_OVERFLOW_ERROR;
    if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR) return -1;
    return (int32_t)(target - output);
}

int32_t dp_iana_for_windows_zone(const char *windowsID, char *result, int32_t capacity) {
    UChar winid[128];
    UChar iana[128];
    int32_t length = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(winid, 128, &length, windowsID, -1, &status);
    if (U_FAILURE(status) || length == 0) return 0;
    int32_t found = ucal_getTimeZoneIDForWindowsID(winid, length, NULL, iana, 128, &status);
    if (U_FAILURE(status) || found <= 0) return 0;
    int32_t written = 0;
    u_strToUTF8(result, capacity, &written, iana, found, &status);
    if (U_FAILURE(status) || written >= capacity) return 0;
    result[written] = 0;
    return written;
}

int64_t dp_nfc_utf8(const char *input, int32_t length, char *output, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    if (U_FAILURE(status)) return -2;
    // UTF-16 takes at most one unit per UTF-8 byte; texts up to 2 KiB stay on the stack.
    UChar small[2048], normalizedSmall[4096];
    UChar *text = length <= 2048 ? small : malloc(sizeof(UChar) * (size_t)length);
    UChar *normalized = NULL;
    int64_t result = -2;
    if (!text) return -2;
    int32_t units = 0;
    u_strFromUTF8(text, length > 2048 ? length : 2048, &units, input, length, &status);
    if (U_FAILURE(status)) goto done;
    if (unorm2_spanQuickCheckYes(nfc, text, units, &status) == units && U_SUCCESS(status)) {
        result = -1;
        goto done;
    }
    if (U_FAILURE(status)) goto done;
    if (!output) {
        // Asked whether there is work: a bound on the NFC's UTF-8 length (three times its text's).
        result = (int64_t)length * 3 + 4;
        goto done;
    }
    // NFC of a text is at most three times its length in UTF-16 (Unicode's stated bound).
    int32_t room = units * 3 + 1;
    normalized = room <= 4096 ? normalizedSmall : malloc(sizeof(UChar) * (size_t)room);
    if (!normalized) goto done;
    int32_t normalizedUnits = unorm2_normalize(nfc, text, units, normalized, room, &status);
    if (U_FAILURE(status)) goto done;
    int32_t written = 0;
    u_strToUTF8(output, capacity, &written, normalized, normalizedUnits, &status);
    if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR) goto done;
    result = written;
done:
    if (text != small) free(text);
    if (normalized && normalized != normalizedSmall) free(normalized);
    return result;
}

int dp_nfc_boundary_before(uint32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    return U_SUCCESS(status) && unorm2_hasBoundaryBefore(nfc, (UChar32)c) ? 1 : 0;
}
