import LakeCore

extension NearDuplicates {
    /// A normalized text (`NearDuplicates.normalized`: lower-cased, each run of white space one
    /// space, trimmed) as its UTF-8 and its count of scalars: what the shingles and the text
    /// hash are taken of. Built straight from the strings of a record (`append`): an ASCII string
    /// is lower-cased and collapsed byte by byte, with no `String`, no array of scalars and no
    /// second UTF-8 copy; any other goes through the Unicode rules scalar by scalar. The two
    /// give what `normalized` gives of the strings joined by a newline.
    public struct Normalized: Equatable, Sendable {
        public private(set) var utf8: [UInt8] = []
        public private(set) var scalarCount = 0
        /// A white space run is pending: one space goes before the next scalar that is not one.
        private var space = false

        public init() {}

        /// The normalized text of `scalars` (already normalized: no change is made).
        public init(normalized scalars: [Unicode.Scalar]) {
            utf8.reserveCapacity(scalars.count)
            for s in scalars { UTF8.encode(s) { utf8.append($0) } }
            scalarCount = scalars.count
        }

        /// The text's scalars.
        public var scalars: [Unicode.Scalar] { Array(String(decoding: utf8, as: UTF8.self).unicodeScalars) }

        /// Appends a white space (the newline between two joined strings).
        public mutating func appendSpace() { space = space || scalarCount > 0 }

        /// Appends `text`, lower-cased and collapsed.
        public mutating func append(_ text: String) {
            var text = text
            let ascii = text.withUTF8 { bytes -> Bool in
                guard Self.isASCII(bytes) else { return false }
                appendASCII(bytes)
                return true
            }
            if !ascii { for s in Lowercase.scalars(text) { append(scalar: s) } }
        }

        /// Appends ASCII bytes (each below 0x80), lower-cased and collapsed.
        public mutating func appendASCII(_ bytes: UnsafeBufferPointer<UInt8>) {
            utf8.reserveCapacity(utf8.count + bytes.count + 1)
            for b in bytes {
                guard !Self.asciiWhitespace(b) else {
                    appendSpace()
                    continue
                }
                startScalar()
                utf8.append(b &- 0x41 < 26 ? b | 0x20 : b)
            }
        }

        /// Appends an already lower-cased scalar.
        private mutating func append(scalar s: Unicode.Scalar) {
            guard !ScalarClass.isWhitespace(s) else { return appendSpace() }
            startScalar()
            UTF8.encode(s) { utf8.append($0) }
        }

        /// Counts a scalar about to be appended, after the space pending if one is.
        @inline(__always)
        private mutating func startScalar() {
            if space {
                utf8.append(0x20)
                scalarCount += 1
                space = false
            }
            scalarCount += 1
        }

        /// Whether every byte is below 0x80, eight at a time.
        static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let base = bytes.baseAddress else { return true }
            let raw = UnsafeRawPointer(base)
            var i = 0
            let n = bytes.count
            while i + 8 <= n {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
            while i < n {
                if bytes[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }

        /// `ScalarClass.isWhitespace` of an ASCII byte.
        @inline(__always)
        static func asciiWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b &- 0x09 < 5 }
    }

    /// `shingleHashes(normalized:)` of a normalized text as UTF-8: the XXH64 of each run of
    /// `shingleLength` scalars, in text order; of an ASCII text, straight off its bytes.
    public static func shingleHashes(_ text: Normalized) -> [UInt64] {
        let n = text.scalarCount
        guard n > 0 else { return [] }
        return text.utf8.withUnsafeBytes { bytes -> [UInt64] in
            guard n > shingleLength else { return [XXH64.hash(bytes)] }
            var out: [UInt64] = []
            out.reserveCapacity(n - shingleLength + 1)
            if bytes.count == n {
                for i in 0...(n - shingleLength) {
                    out.append(XXH64.hash(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + shingleLength)])))
                }
                return out
            }
            // Where each scalar starts: every byte that is not a continuation byte.
            var starts: [Int] = []
            starts.reserveCapacity(n + 1)
            for (i, b) in bytes.enumerated() where b & 0xC0 != 0x80 { starts.append(i) }
            starts.append(bytes.count)
            for i in 0...(n - shingleLength) {
                out.append(XXH64.hash(UnsafeRawBufferPointer(rebasing: bytes[starts[i]..<starts[i + shingleLength]])))
            }
            return out
        }
    }

    /// `textHash` of a normalized text as UTF-8.
    public static func textHash(_ text: Normalized, scope: String) -> UInt64 {
        var bytes = Array(scope.utf8)
        bytes.reserveCapacity(bytes.count + 1 + text.utf8.count)
        bytes.append(0)
        bytes.append(contentsOf: text.utf8)
        return XXH64.hash(bytes)
    }
}
