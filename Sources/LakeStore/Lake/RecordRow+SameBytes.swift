import LakeCore

extension RecordRow.Source {
    /// The same input, input SHA-256 and path, byte for byte.
    func sameBytes(_ o: Self) -> Bool {
        SameBytes.same(path, o.path) && SameBytes.same(input, o.input) && SameBytes.same(inputSHA256, o.inputSHA256)
    }
}

extension RecordRow.Kind {
    /// The same kinds, category, data class and lineage, byte for byte. The short names first:
    /// the kinds of one family share their lineage, so it is the last to tell two apart.
    func sameBytes(_ o: Self) -> Bool {
        SameBytes.same(recordKind, o.recordKind) && SameBytes.same(exportKind, o.exportKind) && SameBytes.same(category, o.category)
            && SameBytes.same(dataClass, o.dataClass) && SameBytes.same(lineage, o.lineage)
    }
}

extension RecordRow.Owner {
    /// The same user (byte for byte) and shards.
    func sameBytes(_ o: Self) -> Bool { shards == o.shards && SameBytes.same(user, o.user) }
}

extension String {
    /// `body` over the string's UTF-8 where it lies, or over a copy's when it is not contiguous
    /// (a bridged string). `withUTF8` needs a mutable copy of the string: a retain and a release
    /// per call on the committer's path.
    func withUTF8InPlace<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let r = utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = self
        return copy.withUTF8(body)
    }
}
