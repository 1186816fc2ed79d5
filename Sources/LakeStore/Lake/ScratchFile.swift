import Foundation
import LakeCore

/// A scratch file of raw values in the staging folder, for one process: created owner-only and
/// not through a link, removed when this object goes.
@usableFromInline final class ScratchFile {
    @usableFromInline let path: String
    @usableFromInline let fd: Int32

    @usableFromInline init(path: String) throws {
        self.path = path
        unlink(path)
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Self.failure("cannot create", path) }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    @usableFromInline func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        try Self.write(fd, bytes, at: offset, path: path)
    }
    @usableFromInline func read(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        try Self.read(fd, into: bytes, at: offset, path: path)
    }

    /// Writes all of `bytes` at `offset` of `fd`.
    @usableFromInline static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws {
        try whole(bytes.count, "cannot write", path) { pwrite(fd, bytes.baseAddress! + $0, bytes.count - $0, off_t(offset + $0)) }
    }

    /// Fills `bytes` from `offset` of `fd`: an error if the file ends first.
    @usableFromInline static func read(_ fd: Int32, into bytes: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws {
        try whole(bytes.count, "cannot read", path) { pread(fd, bytes.baseAddress! + $0, bytes.count - $0, off_t(offset + $0)) }
    }

    /// Calls `step` with the bytes done so far until `count` are done; `step` gives how many it
    /// did, 0 or less for none (an error).
    @usableFromInline static func whole(_ count: Int, _ what: String, _ path: String, _ step: (Int) -> Int) throws {
        var done = 0
        while done < count {
            let n = step(done)
            guard n > 0 else { throw failure(what, path) }
            done += n
        }
    }

    @usableFromInline static func failure(_ what: String, _ path: String) -> LakeError {
        LakeError(.lakeStorage, scope: .input, input: path, message: "\(what) the scratch file: \(String(cString: strerror(errno)))")
    }
}

/// 64-bit values appended in order, then read back by their place: the values wait in a
/// buffer of 64 KiB and go to a scratch file when it fills; they are read back a block at a
/// time.
final class ScratchColumn {
    static let blockLength = 8192
    private let path: String
    private var file: ScratchFile?
    private var buffer: [UInt64] = []
    private(set) var count = 0

    init(path: String) { self.path = path }

    func append(_ value: UInt64) throws {
        if buffer.count == Self.blockLength { try flush() }
        buffer.append(value)
        count += 1
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        if file == nil { file = try ScratchFile(path: path) }
        let at = (count - buffer.count) * 8
        try buffer.withUnsafeBytes { try file!.write($0, at: at) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A reader of every value appended; none is appended after.
    func reader() throws -> Reader {
        if file == nil { return Reader(file: nil, block: buffer, count: count) }
        try flush()
        return Reader(file: file, block: [], count: count)
    }

    struct Reader {
        let file: ScratchFile?
        var block: [UInt64]
        var first = 0
        let count: Int

        init(file: ScratchFile?, block: [UInt64], count: Int) {
            (self.file, self.block, self.count) = (file, block, count)
            if file != nil { first = -ScratchColumn.blockLength }
        }

        /// The value at place `i` (below `count`): cheapest in ascending order.
        mutating func value(at i: Int) throws -> UInt64 {
            precondition(i >= 0 && i < count, "a place of the column")
            if i < first || i >= first + block.count, let file {
                first = i / ScratchColumn.blockLength * ScratchColumn.blockLength
                let n = min(ScratchColumn.blockLength, count - first)
                block = [UInt64](repeating: 0, count: n)
                try block.withUnsafeMutableBytes { try file.read(into: $0, at: first * 8) }
            }
            return block[i - first]
        }
    }
}
