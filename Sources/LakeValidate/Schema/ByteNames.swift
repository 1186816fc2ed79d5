/// A schema node's property or required names as UTF-8 bytes laid end to end, for matching an
/// object's keys on a tape (`JSONSchema.Node.objectConformsByBytes`): one buffer and one list
/// of ends, so a key is compared with every name without a retain per name (an array of
/// names, each its own array, cost a retain and a release of each name for each key).
struct ByteNames {
    private var bytes: [UInt8] = []
    /// Where each name ends in `bytes`.
    private var ends: [Int] = []

    init(_ names: [String]) {
        for name in names {
            bytes += name.utf8
            ends.append(bytes.count)
        }
    }

    var count: Int { ends.count }

    /// Calls `body` with the index of each name whose bytes are `key`'s, in order.
    func forEachMatch(_ key: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            ends.withUnsafeBufferPointer { ends in
                var start = 0
                for (i, end) in ends.enumerated() {
                    if end - start == key.count && UnsafeBufferPointer(rebasing: all[start..<end]).elementsEqual(key) { body(i) }
                    start = end
                }
            }
        }
    }
}
