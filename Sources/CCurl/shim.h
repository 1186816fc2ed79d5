#ifndef DATAPUNK_CCURL_SHIM_H
#define DATAPUNK_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, and Swift cannot call
// variadic C functions. Each wrapper below fixes one argument type.

/// curl_easy_setopt with a `long` argument (CURLOPT_FOLLOWLOCATION, CURLOPT_FAILONERROR, ...).
static inline CURLcode datapunk_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt with a `curl_off_t` argument (CURLOPT_RESUME_FROM_LARGE, ...).
static inline CURLcode datapunk_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt with a string argument (CURLOPT_URL, CURLOPT_USERAGENT, ...); curl copies it.
static inline CURLcode datapunk_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt with a pointer argument (CURLOPT_WRITEDATA, CURLOPT_ERRORBUFFER, CURLOPT_HTTPHEADER, ...).
static inline CURLcode datapunk_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// The signature of CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION callbacks.
typedef size_t (*datapunk_curl_write_callback)(char *data, size_t size, size_t count, void *context);

/// curl_easy_setopt with a write or header callback.
static inline CURLcode datapunk_curl_setopt_write_function(CURL *handle, CURLoption option, datapunk_curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// curl_easy_getinfo for a `long` result (CURLINFO_RESPONSE_CODE, ...).
static inline CURLcode datapunk_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
#endif
