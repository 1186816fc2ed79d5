import LakeCore

/// An element's bytes together with the tape a reader made of them while it checked them under
/// its limits (`JSONReader.nextElementBytes`). A worker loads the tape (`JSONTape.load`)
/// instead of parsing the bytes a second time: the reader's parse is the only one.
///
/// The tape's spans count from the first byte of `bytes`, so it reads them wherever they are
/// handed on. A tape of more than `maxTapeRatio` times its element's bytes (16 bytes a token:
/// an array of one-digit numbers takes eight times its text) is not kept, so the elements in
/// flight hold at most three times their text; the worker then parses the bytes under the file's
/// limits (`JSONTape.load`).
public struct CheckedJSON: Sendable, Equatable {
    /// The element's bytes, exactly one JSON value.
    public let bytes: [UInt8]
    /// The tape's words, decoded strings and depth; no words when the tape was not kept (a
    /// tape has two words at least). Plain stored arrays: an element is copied into and out of
    /// batches, and an optional struct here was copied through the run time's value witnesses.
    let words: [UInt64]
    let decoded: [UInt8]
    let deepest: Int

    /// The most bytes of tape kept for each byte of the element.
    public static let maxTapeRatio = 2

    /// Whether the tape came with the bytes (else `JSONTape.load` parses them).
    public var keepsTape: Bool { !words.isEmpty }

    /// The bytes and a copy of what `storage` holds of them (its spans count from their start),
    /// unless that is more than `maxTapeRatio` times the bytes.
    init(bytes: [UInt8], _ storage: JSONTapeParser) {
        self.bytes = bytes
        guard storage.words.count * 8 + storage.decoded.count <= Self.maxTapeRatio * bytes.count else {
            (words, decoded, deepest) = ([], [], 0)
            return
        }
        words = Self.copy(storage.words)
        decoded = storage.decoded.isEmpty ? [] : Self.copy(storage.decoded)
        deepest = storage.deepest
    }

    /// A new buffer holding `a`'s elements: the parser's own buffer is reused by its next
    /// parse, so sharing it would make that parse copy it. Made from a buffer pointer, which
    /// the compiler specializes: `init(unsafeUninitializedCapacity:)` allocates through the
    /// standard library's unspecialized `_allocateBufferUninitialized`, which looks the storage
    /// type up at run time (about 450 instructions more per array, twice per element).
    private static func copy<T: BitwiseCopyable>(_ a: [T]) -> [T] {
        a.withUnsafeBufferPointer { Array($0) }
    }
}

extension JSONTape {
    /// Makes this tape the one `checked` came with, reading its bytes: what `parse` of the same
    /// bytes gives, without parsing them when the tape was kept. Else they are parsed under
    /// `limits`: the reader's, or looser ones (the reader counted the element's depth from the
    /// array it lies in).
    /// - Throws: what `parse` throws (never, for bytes the reader checked under these limits or
    ///   tighter ones).
    public mutating func load(_ checked: CheckedJSON, limits: JSONLimits) throws(JSONError) {
        guard checked.keepsTape else { return try parse(checked.bytes, limits: limits) }
        input = checked.bytes
        storage.words = checked.words
        storage.decoded = checked.decoded
        storage.deepest = checked.deepest
    }

    /// Parses `bytes[range]` as `parse` does, with spans counted from the range's start, and
    /// gives the range's bytes with the tape made of them. This tape then holds no input.
    mutating func checked(_ bytes: [UInt8], range: Range<Int>, limits: JSONLimits) throws(JSONError) -> CheckedJSON {
        let ok = bytes.withUnsafeBufferPointer { storage.parse(UnsafeBufferPointer(rebasing: $0[range]), base: 0, limits: limits) }
        input = []
        guard ok else { throw Self.exactError(Array(bytes[range]), limits: limits, at: storage.failure) }
        return CheckedJSON(bytes: Array(bytes[range]), storage)
    }
}
