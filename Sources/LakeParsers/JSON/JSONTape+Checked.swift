import LakeCore

/// An element's bytes together with the tape a reader made of them while it checked them under
/// its limits (`JSONReader.nextElementBytes`). A worker loads the tape (`JSONTape.load`)
/// instead of parsing the bytes a second time: the reader's parse is the only one.
///
/// The tape's spans count from the first byte of `bytes`, so it reads them wherever they are
/// handed on.
public struct CheckedJSON: Sendable, Equatable {
    /// The element's bytes, exactly one JSON value.
    public let bytes: [UInt8]
    let words: [UInt64]
    let decoded: [UInt8]
    let deepest: Int

    /// `bytes` parsed under `limits`; nil where the tape refuses them (the reader's error
    /// explains why: `JSONTape.parse`).
    public init?(bytes: [UInt8], limits: JSONLimits = JSONLimits()) {
        var tape = JSONTape()
        guard (try? tape.parse(bytes, limits: limits)) != nil else { return nil }
        self.init(bytes: bytes, tape.storage)
    }

    /// The bytes and a copy of what `storage` holds of them (its spans count from their start).
    init(bytes: [UInt8], _ storage: JSONTapeParser) {
        self.bytes = bytes
        words = Self.copy(storage.words)
        decoded = storage.decoded.isEmpty ? [] : Self.copy(storage.decoded)
        deepest = storage.deepest
    }

    /// A new buffer holding `a`'s elements: the parser's own buffer is reused by its next
    /// parse, so sharing it would make that parse copy it.
    private static func copy<T: BitwiseCopyable>(_ a: [T]) -> [T] {
        [T](unsafeUninitializedCapacity: a.count) { out, n in
            a.withUnsafeBufferPointer { from in
                if let base = from.baseAddress { out.baseAddress!.update(from: base, count: from.count) }
            }
            n = a.count
        }
    }
}

extension JSONTape {
    /// Makes this tape the one `checked` came with, reading its bytes: what `parse` of the same
    /// bytes under the reader's limits gives, without parsing them.
    public mutating func load(_ checked: CheckedJSON) {
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
