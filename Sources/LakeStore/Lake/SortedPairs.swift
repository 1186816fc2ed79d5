import Foundation
import LakeCore

/// Pairs of 64-bit keys sorted in bounded memory: up to `runLength` are held and sorted at a
/// time; a full buffer goes to a run file as a sorted run, and `forEachSorted` merges the runs.
/// So a B-tree fed from it sees every key once, in order, whatever the total: the catalog's
/// `text_bands` gets 16 rows per text, 160 million for a 10 GB Twitter archive, and inserting
/// them in sorted pages of 160,000 touched a different page for nearly every row.
///
/// The run file (raw native-endian words, scratch for one process) is removed when this object
/// goes.
final class SortedPairs {
    typealias Pair = (UInt64, UInt64)
    let path: String
    let runLength: Int
    private var buffer: [Pair] = []
    /// Each run's first pair and length, in pairs.
    private var runs: [(start: Int, count: Int)] = []
    private var fd: Int32 = -1
    private var written = 0

    init(path: String, runLength: Int = 1 << 20) {
        self.path = path
        self.runLength = max(1, runLength)
    }

    deinit {
        if fd >= 0 { close(fd) }
        unlink(path)
    }

    func append(_ a: UInt64, _ b: UInt64) throws {
        if buffer.count == runLength { try spill() }
        buffer.append((a, b))
    }

    private static func ordered(_ x: Pair, _ y: Pair) -> Bool { x.0 != y.0 ? x.0 < y.0 : x.1 < y.1 }

    private func spill() throws {
        buffer.sort(by: Self.ordered)
        if fd < 0 {
            unlink(path)
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else { throw Self.failure("cannot create", path) }
        }
        try buffer.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t((written * 16) + done))
                guard n > 0 else { throw Self.failure("cannot write", path) }
                done += n
            }
        }
        runs.append((written, buffer.count))
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    static func failure(_ what: String, _ path: String) -> LakeError {
        LakeError(.lakeStorage, scope: .input, input: path, message: "\(what) the run file: \(String(cString: strerror(errno)))")
    }

    /// Calls `body` with every pair appended, in order (equal pairs as often as appended), then
    /// starts over empty.
    func forEachSorted(_ body: (UInt64, UInt64) throws -> Void) throws {
        defer {
            buffer.removeAll(keepingCapacity: true)
            runs.removeAll()
            written = 0
        }
        if runs.isEmpty {
            buffer.sort(by: Self.ordered)
            for p in buffer { try body(p.0, p.1) }
            return
        }
        if !buffer.isEmpty { try spill() }
        buffer = []
        let readers = runs.map { RunReader(fd: fd, start: $0.start, count: $0.count) }
        // A binary heap of run indexes, by each run's current pair.
        var heap: [Int] = []
        func less(_ i: Int, _ j: Int) -> Bool { Self.ordered(readers[i].current, readers[j].current) }
        func down(_ from: Int) {
            var at = from
            while true {
                let l = 2 * at + 1, r = l + 1
                var least = at
                if l < heap.count && less(heap[l], heap[least]) { least = l }
                if r < heap.count && less(heap[r], heap[least]) { least = r }
                if least == at { return }
                heap.swapAt(at, least)
                at = least
            }
        }
        for (i, r) in readers.enumerated() where try r.advance() { heap.append(i) }
        for i in stride(from: heap.count / 2, through: 0, by: -1) { down(i) }
        while let top = heap.first {
            try body(readers[top].current.0, readers[top].current.1)
            if try !readers[top].advance() {
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
            }
            down(0)
        }
    }

    /// One run read back through a buffer of 4,096 pairs.
    private final class RunReader {
        let fd: Int32
        var next: Int
        let end: Int
        var block: [Pair] = []
        var at = 0
        var current: Pair = (0, 0)

        init(fd: Int32, start: Int, count: Int) {
            self.fd = fd
            next = start
            end = start + count
        }

        /// Moves to the run's next pair; false at its end.
        func advance() throws -> Bool {
            if at == block.count {
                let n = min(4096, end - next)
                guard n > 0 else { return false }
                // One buffer per run, shortened only for the run's last block.
                if block.count != n { block = [Pair](repeating: (0, 0), count: n) }
                try block.withUnsafeMutableBytes { bytes in
                    var done = 0
                    while done < bytes.count {
                        let got = pread(fd, bytes.baseAddress! + done, bytes.count - done, off_t(next * 16 + done))
                        guard got > 0 else { throw SortedPairs.failure("cannot read", "run file") }
                        done += got
                    }
                }
                next += n
                at = 0
            }
            current = block[at]
            at += 1
            return true
        }
    }
}
