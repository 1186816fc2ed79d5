#ifndef DATAPUNK_CARCHIVE_SHIM_H
#define DATAPUNK_CARCHIVE_SHIM_H
// libarchive, read and write. Nothing here needs a wrapper yet: the file-type
// constants (AE_IFREG, ...) are cast macros Swift cannot import, so the Swift
// side uses their octal values (see ArchiveCalls.swift).
#include <archive.h>
#include <archive_entry.h>
#endif
