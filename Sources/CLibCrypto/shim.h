#ifndef DATAPUNK_CLIBCRYPTO_SHIM_H
#define DATAPUNK_CLIBCRYPTO_SHIM_H
// OpenSSL's libcrypto: SHA-256 with its context a plain C struct, copied by value (record ids
// hash each record's part from a copy of a file's shared state). The SHA256_* functions are
// deprecated in OpenSSL 3 in favour of EVP, whose contexts are allocated; they stay exported,
// and this keeps their declarations free of the deprecation attribute.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#endif
