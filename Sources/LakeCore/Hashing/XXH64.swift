/// XXH64 (seed 0) through libxxhash, one-shot or streaming.
///
/// ```swift
/// XXH64.hash([])                     // 0xEF46DB3751D8E999
/// let h = XXH64(); h.update(bytes); h.digest()
/// ```
/// See https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md
public final class XXH64 {
    /// The libxxhash state this object owns and frees.
    public typealias State = OpaquePointer
    private let state: State

    public init() {
        guard let s = c_xxh64_createState() else { preconditionFailure("XXH64_createState: out of memory") }
        state = s
        _ = c_xxh64_reset(state, 0)
    }

    deinit { c_xxh64_freeState(state) }

    /// Feeds bytes. The corresponding C function is `XXH64_update`.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        _ = c_xxh64_update(state, bytes.baseAddress, bytes.count)
    }

    /// Feeds bytes.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Starts over (seed 0). The corresponding C function is `XXH64_reset`.
    public func reset() { _ = c_xxh64_reset(state, 0) }

    /// The digest of everything fed so far. The corresponding C function is `XXH64_digest`.
    public func digest() -> UInt64 { c_xxh64_digest(state) }

    /// One-shot XXH64 of `bytes`. The corresponding C function is `XXH64`.
    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { c_xxh64($0.baseAddress, $0.count, 0) }
    }

    /// One-shot XXH64 of raw bytes.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 { c_xxh64(bytes.baseAddress, bytes.count, 0) }

    /// One-shot XXH64 of a string's UTF-8 bytes.
    public static func hash(_ text: String) -> UInt64 { hash(Array(text.utf8)) }
}
