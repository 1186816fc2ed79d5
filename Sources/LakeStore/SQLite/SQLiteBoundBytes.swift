/// Bytes a statement's parameters point at while it waits to run (`SQLiteStatement
/// .keepBoundBytes`): each text or blob bound is copied once into blocks this object owns and
/// bound with `SQLITE_STATIC`, so SQLite neither copies it again nor allocates for it. Bound with
/// `SQLITE_TRANSIENT` instead, SQLite allocated a buffer per value, copied into it and freed it at
/// the next bind: three or four allocations per record the committer inserts.
///
/// The statement empties this once it has run (and on `reset`); its parameters may then still
/// point into the blocks kept for the next values, memory that stays the statement's, and the
/// next round binds every parameter again before it runs (the record inserter's does). Before
/// a block a parameter may point into is freed, the statement clears its bindings (`frees`):
/// clearing them every time cost more than the allocations saved. A value the statement holds
/// in place (no reference to count per bind), not copyable: one owner frees the blocks.
struct SQLiteBoundBytes: ~Copyable {
    /// The size of a block; a value larger than a quarter of it gets a block of its own, freed
    /// when emptied.
    static let blockSize = 64 << 10
    private var blocks: [UnsafeMutableRawPointer] = []
    /// The block being filled (an index into `blocks`) and the bytes used in it.
    private var current = 0
    private var used = 0
    private var large: [UnsafeMutableRawPointer] = []

    deinit {
        for b in blocks { b.deallocate() }
        for b in large { b.deallocate() }
    }

    /// A copy of `bytes` that stays until `empty`; a non-null pointer even for no bytes.
    mutating func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        let n = bytes.count
        if n > Self.blockSize / 4 {
            let b = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 8)
            b.copyMemory(from: bytes.baseAddress!, byteCount: n)
            large.append(b)
            return UnsafeRawPointer(b)
        }
        if blocks.isEmpty || used + n > Self.blockSize {
            if !blocks.isEmpty { current += 1 }
            if current == blocks.count { blocks.append(.allocate(byteCount: Self.blockSize, alignment: 8)) }
            used = 0
        }
        let at = blocks[current] + used
        if n > 0 { at.copyMemory(from: bytes.baseAddress!, byteCount: n) }
        used += n
        return UnsafeRawPointer(at)
    }

    /// Whether `empty` frees a block (a large value's, or any but the first).
    var frees: Bool { !large.isEmpty || blocks.count > 1 }

    /// Forgets every copy: the first block is kept for the next values, the others freed. A
    /// statement of 32 location points binds about 2 KB (a 16-byte id, 45 bytes of data, a
    /// 9-byte entity list per row); the inserter has up to 32 statements (one per row count),
    /// so together they keep 2 MB at most.
    mutating func empty() {
        for b in large { b.deallocate() }
        large.removeAll(keepingCapacity: true)
        if blocks.count > 1 {
            for b in blocks[1...] { b.deallocate() }
            blocks.removeSubrange(1...)
        }
        (current, used) = (0, 0)
    }
}
