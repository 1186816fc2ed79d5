import CMagic

// The only file that calls libmagic. Docs: https://man7.org/linux/man-pages/man3/libmagic.3.html

/// The corresponding C constant is `MAGIC_MIME_TYPE`.
let c_MAGIC_MIME_TYPE: Int32 = Int32(MAGIC_MIME_TYPE)
/// The corresponding C function is `magic_open`.
func c_magic_open(_ flags: Int32) -> OpaquePointer? { magic_open(flags) }
/// The corresponding C function is `magic_close`.
func c_magic_close(_ m: OpaquePointer) { magic_close(m) }
/// The corresponding C function is `magic_load` (nil: the system's default database).
func c_magic_load(_ m: OpaquePointer) -> Int32 { magic_load(m, nil) }
/// The corresponding C function is `magic_buffer`.
func c_magic_buffer(_ m: OpaquePointer, _ p: UnsafeRawPointer?, _ n: Int) -> String? {
    magic_buffer(m, p, n).map { String(cString: $0) }
}
/// The corresponding C function is `magic_file`.
func c_magic_file(_ m: OpaquePointer, _ path: String) -> String? { magic_file(m, path).map { String(cString: $0) } }
/// The corresponding C function is `magic_error`.
func c_magic_error(_ m: OpaquePointer) -> String? { magic_error(m).map { String(cString: $0) } }
