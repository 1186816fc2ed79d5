import CArchive

// The only file in LakeIngest that calls libarchive. Each wrapper names its C function.
// libarchive's docs: https://github.com/libarchive/libarchive/wiki/ManualPages

/// The corresponding C function is `archive_read_new`.
func c_archive_read_new() -> OpaquePointer? {
    _ = c_archive_utf8_locale
    return archive_read_new()
}
/// The corresponding C function is `archive_read_free`.
func c_archive_read_free(_ a: OpaquePointer) { _ = archive_read_free(a) }
/// The corresponding C function is `archive_read_support_filter_all`.
func c_archive_read_support_filter_all(_ a: OpaquePointer) -> Int32 { archive_read_support_filter_all(a) }
/// The corresponding C function is `archive_read_support_format_all`.
func c_archive_read_support_format_all(_ a: OpaquePointer) -> Int32 { archive_read_support_format_all(a) }
/// The corresponding C function is `archive_read_set_format_option` with no value: the
/// option turned off (`iso9660`, `joliet`).
func c_archive_read_disable_format_option(_ a: OpaquePointer, _ format: String, _ option: String) -> Int32 {
    archive_read_set_format_option(a, format, option, nil)
}
/// The corresponding C function is `archive_read_add_passphrase`.
func c_archive_read_add_passphrase(_ a: OpaquePointer, _ p: String) -> Int32 { archive_read_add_passphrase(a, p) }
/// The corresponding C function is `archive_read_open_filename`.
func c_archive_read_open_filename(_ a: OpaquePointer, _ path: String, _ block: Int) -> Int32 {
    archive_read_open_filename(a, path, block)
}
/// A byte stream libarchive pulls blocks from (a nested archive, read out of its container's
/// entry). Each block is copied into `buffer`, which stays valid until the next pull.
final class ArchiveStream {
    let next: () throws -> [UInt8]?
    var buffer: UnsafeMutableRawBufferPointer
    var error: Error?

    init(_ next: @escaping () throws -> [UInt8]?) {
        self.next = next
        buffer = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { buffer.deallocate() }
}

/// Opens `a` on `stream` (kept alive by the caller while the archive is read). The
/// corresponding C function is `archive_read_open` with a read callback.
func c_archive_read_open_stream(_ a: OpaquePointer, _ stream: ArchiveStream) -> Int32 {
    let read: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t = {
        _, client, out in
        let s = Unmanaged<ArchiveStream>.fromOpaque(client!).takeUnretainedValue()
        do {
            guard let block = try s.next(), !block.isEmpty else { return 0 }
            if block.count > s.buffer.count {
                s.buffer.deallocate()
                s.buffer = .allocate(byteCount: block.count, alignment: 16)
            }
            block.withUnsafeBytes { s.buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: block.count) }
            out?.pointee = UnsafeRawPointer(s.buffer.baseAddress!)
            return la_ssize_t(block.count)
        } catch {
            s.error = error
            return -1
        }
    }
    return archive_read_open(a, Unmanaged.passUnretained(stream).toOpaque(), nil, read, nil)
}
/// The corresponding C function is `archive_read_next_header`.
func c_archive_read_next_header(_ a: OpaquePointer, _ e: UnsafeMutablePointer<OpaquePointer?>) -> Int32 {
    archive_read_next_header(a, e)
}
/// The corresponding C function is `archive_read_data`.
func c_archive_read_data(_ a: OpaquePointer, _ buf: UnsafeMutableRawPointer, _ n: Int) -> Int {
    archive_read_data(a, buf, n)
}
/// The corresponding C function is `archive_read_data_skip`.
func c_archive_read_data_skip(_ a: OpaquePointer) -> Int32 { archive_read_data_skip(a) }
/// The corresponding C function is `archive_error_string`.
func c_archive_error_string(_ a: OpaquePointer) -> String? { archive_error_string(a).map { String(cString: $0) } }
/// Bytes read from the underlying file so far. The corresponding C function is `archive_filter_bytes` (filter -1).
func c_archive_filter_bytes_read(_ a: OpaquePointer) -> Int64 { archive_filter_bytes(a, -1) }
/// The corresponding C function is `archive_format_name`.
func c_archive_format_name(_ a: OpaquePointer) -> String? { archive_format_name(a).map { String(cString: $0) } }
/// The corresponding C function is `archive_filter_name` (filter 0, the outermost).
func c_archive_filter_name(_ a: OpaquePointer) -> String? { archive_filter_name(a, 0).map { String(cString: $0) } }

/// The corresponding C function is `archive_entry_pathname_utf8`, falling back to `archive_entry_pathname`.
func c_archive_entry_pathname(_ e: OpaquePointer) -> String? {
    if let p = archive_entry_pathname_utf8(e) { return String(cString: p) }
    return archive_entry_pathname(e).map { String(cString: $0) }
}
/// The corresponding C function is `archive_entry_size_is_set` / `archive_entry_size`.
func c_archive_entry_size(_ e: OpaquePointer) -> Int64? { archive_entry_size_is_set(e) != 0 ? archive_entry_size(e) : nil }
/// The corresponding C function is `archive_entry_filetype`.
func c_archive_entry_filetype(_ e: OpaquePointer) -> UInt32 { UInt32(archive_entry_filetype(e)) }
/// The corresponding C function is `archive_entry_perm`.
func c_archive_entry_perm(_ e: OpaquePointer) -> UInt32 { UInt32(archive_entry_perm(e)) }
/// The corresponding C function is `archive_entry_mtime` (0 when unset).
func c_archive_entry_mtime(_ e: OpaquePointer) -> Int64? { archive_entry_mtime_is_set(e) != 0 ? Int64(archive_entry_mtime(e)) : nil }
/// The corresponding C function is `archive_entry_symlink`.
func c_archive_entry_symlink(_ e: OpaquePointer) -> String? { archive_entry_symlink(e).map { String(cString: $0) } }
/// The corresponding C function is `archive_entry_hardlink`.
func c_archive_entry_hardlink(_ e: OpaquePointer) -> String? { archive_entry_hardlink(e).map { String(cString: $0) } }
/// The corresponding C function is `archive_entry_is_encrypted`.
func c_archive_entry_is_encrypted(_ e: OpaquePointer) -> Bool { archive_entry_is_encrypted(e) != 0 }

// Writing (used for fixtures and, later, cold storage).

/// The corresponding C function is `archive_write_new`.
func c_archive_write_new() -> OpaquePointer? {
    _ = c_archive_utf8_locale
    return archive_write_new()
}
/// The corresponding C function is `archive_write_free`.
func c_archive_write_free(_ a: OpaquePointer) { _ = archive_write_free(a) }
/// The corresponding C function is `archive_write_set_format_zip`.
func c_archive_write_set_format_zip(_ a: OpaquePointer) -> Int32 { archive_write_set_format_zip(a) }
/// The corresponding C function is `archive_write_set_format_pax_restricted`.
func c_archive_write_set_format_pax_restricted(_ a: OpaquePointer) -> Int32 { archive_write_set_format_pax_restricted(a) }
/// The corresponding C function is `archive_write_add_filter_gzip`.
func c_archive_write_add_filter_gzip(_ a: OpaquePointer) -> Int32 { archive_write_add_filter_gzip(a) }
/// The corresponding C functions are `archive_write_add_filter_bzip2`, `_xz`, `_zstd`.
func c_archive_write_add_filter(_ a: OpaquePointer, _ name: String) -> Int32 {
    switch name {
    case "bzip2": return archive_write_add_filter_bzip2(a)
    case "xz": return archive_write_add_filter_xz(a)
    case "zstd": return archive_write_add_filter_zstd(a)
    default: return archive_write_add_filter_none(a)
    }
}
/// The corresponding C function is `archive_write_set_format_7zip`.
func c_archive_write_set_format_7zip(_ a: OpaquePointer) -> Int32 { archive_write_set_format_7zip(a) }
/// The corresponding C function is `archive_write_set_passphrase`.
func c_archive_write_set_passphrase(_ a: OpaquePointer, _ p: String) -> Int32 { archive_write_set_passphrase(a, p) }
/// The corresponding C function is `archive_write_set_options`.
func c_archive_write_set_options(_ a: OpaquePointer, _ options: String) -> Int32 { archive_write_set_options(a, options) }
/// The corresponding C function is `archive_write_open_filename`.
func c_archive_write_open_filename(_ a: OpaquePointer, _ path: String) -> Int32 { archive_write_open_filename(a, path) }
/// The corresponding C function is `archive_write_header`.
func c_archive_write_header(_ a: OpaquePointer, _ e: OpaquePointer) -> Int32 { archive_write_header(a, e) }
/// The corresponding C function is `archive_write_data`.
func c_archive_write_data(_ a: OpaquePointer, _ buf: UnsafeRawPointer, _ n: Int) -> Int { archive_write_data(a, buf, n) }
/// The corresponding C function is `archive_write_close`.
func c_archive_write_close(_ a: OpaquePointer) -> Int32 { archive_write_close(a) }
/// The corresponding C function is `archive_entry_new`.
func c_archive_entry_new() -> OpaquePointer? { archive_entry_new() }
/// The corresponding C function is `archive_entry_free`.
func c_archive_entry_free(_ e: OpaquePointer) { archive_entry_free(e) }
/// The corresponding C functions are `archive_entry_set_pathname_utf8`, `_set_size`, `_set_filetype`, `_set_perm`, `_set_mtime`.
func c_archive_entry_set(_ e: OpaquePointer, path: String, size: Int64, type: UInt32, perm: UInt32, mtime: Int64) {
    archive_entry_set_pathname_utf8(e, path)
    archive_entry_set_size(e, size)
    archive_entry_set_filetype(e, type)
    archive_entry_set_perm(e, perm)
    archive_entry_set_mtime(e, time_t(mtime), 0)
}
/// The corresponding C function is `archive_entry_unset_size`.
func c_archive_entry_unset_size(_ e: OpaquePointer) { archive_entry_unset_size(e) }
/// The corresponding C function is `archive_entry_set_hardlink_utf8`.
func c_archive_entry_set_hardlink(_ e: OpaquePointer, _ target: String) { archive_entry_set_hardlink_utf8(e, target) }
/// The corresponding C function is `archive_entry_set_symlink_utf8`.
func c_archive_entry_set_symlink(_ e: OpaquePointer, _ target: String) { archive_entry_set_symlink_utf8(e, target) }

let c_ARCHIVE_OK: Int32 = 0
let c_ARCHIVE_EOF: Int32 = 1
let c_ARCHIVE_RETRY: Int32 = -10
let c_ARCHIVE_WARN: Int32 = -20
let c_ARCHIVE_FATAL: Int32 = -30

#if canImport(Glibc)
    import Glibc
#endif

/// libarchive converts entry names between UTF-8 and the locale's multibyte encoding; under
/// the "C"/"POSIX" locale that conversion fails for non-ASCII names, and its zip and pax
/// writers then dereference a NULL name. Once per process, before the first archive call, a
/// C/POSIX character-type locale is switched to C.UTF-8 (which glibc always provides).
let c_archive_utf8_locale: Void = {
    let current = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
    if current == "C" || current == "POSIX" { _ = setlocale(LC_CTYPE, "C.UTF-8") }
}()
/// Whether the archive being read is a zip (its format code, masked to the base format, is
/// `ARCHIVE_FORMAT_ZIP`). The corresponding C function is `archive_format`.
func c_archive_format_is_zip(_ a: OpaquePointer) -> Bool { archive_format(a) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_ZIP }
