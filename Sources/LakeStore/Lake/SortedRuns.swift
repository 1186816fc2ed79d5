import Foundation
import LakeCore

/// Fixed-size values sorted in bounded memory: up to `runLength` are held and sorted at a time;
/// a full buffer goes to a run file as a sorted run, and `forEachSorted` merges the runs. So a
/// B-tree fed from it sees every key once, in order, whatever the total: the catalog's
/// `text_bands` (before `text_signatures`) got 16 rows per text, 160 million for a 10 GB
/// Twitter archive, and inserting them in sorted pages of 160,000 touched a different page for
/// nearly every row; `record_texts` is keyed by random record ids.
///
/// The run file (the values' raw bytes, scratch for one process) is removed when this object
/// goes.
public final class SortedRuns<Element: BitwiseCopyable> {
    @usableFromInline let path: String
    @usableFromInline let runLength: Int
    @usableFromInline let key: (Element) -> UInt64
    @usableFromInline let ordered: (Element, Element) -> Bool
    @usableFromInline var buffer: [Element] = []
    /// Each run's first value and length, in values.
    @usableFromInline var runs: [(start: Int, count: Int)] = []
    @usableFromInline var file: ScratchFile?
    @usableFromInline var written = 0

    /// Values held and sorted at a time by default: 256 Ki (4-8 MB for the stage's values).
    /// Runs of a million band rows lifted the 1 GB Twitter corpus's peak from 189 to 214 MB.
    public static var defaultRunLength: Int { 1 << 18 }

    /// Values sorted by `key`, then by `ordered` (a strict weak order that agrees with `key`:
    /// a smaller key comes first; `RadixSort`). Equal values come back as often as appended,
    /// in no particular order among themselves.
    public init(
        path: String, runLength: Int = defaultRunLength, key: @escaping (Element) -> UInt64,
        by ordered: @escaping (Element, Element) -> Bool
    ) {
        self.path = path
        self.runLength = max(1, runLength)
        self.key = key
        self.ordered = ordered
    }

    @usableFromInline static var size: Int { MemoryLayout<Element>.stride }

    deinit {
        // The run file, if any, goes with `file`; a file of an earlier process is removed too.
        if file == nil { unlink(path) }
    }

    @inlinable public func append(_ value: Element) throws {
        if buffer.count == runLength { try spill() }
        buffer.append(value)
    }

    @inlinable func spill() throws {
        RadixSort.sort(&buffer, key: key, by: ordered)
        if file == nil { file = try ScratchFile(path: path) }
        try buffer.withUnsafeBytes { try file!.write($0, at: written * Self.size) }
        runs.append((written, buffer.count))
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with every value appended, in order, then starts over empty.
    @inlinable public func forEachSorted(_ body: (Element) throws -> Void) throws {
        // Values appended meanwhile go to runs after the ones being read, and stay; with none,
        // the file is written from its start again.
        defer { if runs.isEmpty { written = 0 } }
        var cursor = try sorted()
        while let value = try cursor.next() { try body(value) }
    }

    /// The values appended, in order, one `next()` at a time (for walking two sorted streams
    /// side by side); this starts over empty at once (values appended later go to runs after
    /// the ones the cursor reads).
    @inlinable public func sorted() throws -> Cursor {
        defer {
            buffer = []
            runs.removeAll()
        }
        if runs.isEmpty {
            RadixSort.sort(&buffer, key: key, by: ordered)
            return try Cursor(held: buffer, readers: [], ordered: ordered)
        }
        if !buffer.isEmpty { try spill() }
        return try Cursor(
            held: [], readers: runs.map { RunReader<Element>(fd: file!.fd, start: $0.start, count: $0.count, key: key) }, ordered: ordered)
    }

    /// A merge of sorted runs (or of one sorted buffer held in memory), by a tree of losers: a
    /// value taken costs one comparison per level, against two in a binary heap, and the runs'
    /// current keys sit side by side (`keys`) rather than in each reader (the heap's sifting was
    /// a fifth of the near pass).
    public struct Cursor {
        @usableFromInline let held: [Element]
        @usableFromInline var heldAt = 0
        @usableFromInline var readers: [RunReader<Element>]
        @usableFromInline let ordered: (Element, Element) -> Bool
        /// Each run's current key (`UInt64.max` once it has no value left, and `live` false).
        @usableFromInline var keys: [UInt64]
        @usableFromInline var live: [Bool]
        /// `losers[n]`, for node n in 1..<runs, is the run that lost the match there; run i is
        /// leaf `runs + i`, and node n's parent is n / 2.
        @usableFromInline var losers: [Int]
        /// The run holding the least current value.
        @usableFromInline var winner = 0
        /// Whether `next` gave the winner's value last: advanced at the following call.
        @usableFromInline var taken = false

        @inlinable init(held: [Element], readers: [RunReader<Element>], ordered: @escaping (Element, Element) -> Bool) throws {
            self.held = held
            self.readers = readers
            self.ordered = ordered
            let runs = readers.count
            keys = [UInt64](repeating: .max, count: runs)
            live = [Bool](repeating: false, count: runs)
            losers = [Int](repeating: 0, count: max(runs, 1))
            for i in 0..<runs where try self.readers[i].advance() {
                keys[i] = self.readers[i].currentKey
                live[i] = true
            }
            guard runs > 1 else { return }
            // Each node's winner, from the leaves up; each node keeps its loser.
            var winners = [Int](repeating: 0, count: 2 * runs)
            for i in 0..<runs { winners[runs + i] = i }
            for n in stride(from: runs - 1, through: 1, by: -1) {
                let a = winners[2 * n], b = winners[2 * n + 1]
                let (ka, kb) = (keys[a], keys[b])
                if kb < ka || (kb == ka && tie(b, a)) {
                    winners[n] = b
                    losers[n] = a
                } else {
                    winners[n] = a
                    losers[n] = b
                }
            }
            winner = winners[1]
        }

        /// Whether run i's current value comes before run j's when their keys are equal (a run
        /// with none comes last).
        @inlinable func tie(_ i: Int, _ j: Int) -> Bool {
            guard live[i] else { return false }
            guard live[j] else { return true }
            return ordered(readers[i].current, readers[j].current)
        }

        /// The next value in order; nil after the last.
        @inlinable public mutating func next() throws -> Element? {
            if readers.isEmpty {
                guard heldAt < held.count else { return nil }
                heldAt += 1
                return held[heldAt - 1]
            }
            if taken {
                taken = false
                var w = winner
                if try readers[w].advance() {
                    keys[w] = readers[w].currentKey
                } else {
                    (keys[w], live[w]) = (.max, false)
                }
                // The matches on the way from its leaf to the root, played again: keys first,
                // the values only when the keys are equal.
                var kw = keys[w]
                var n = (w + readers.count) / 2
                while n >= 1 {
                    let other = losers[n]
                    let ko = keys[other]
                    if ko < kw || (ko == kw && tie(other, w)) {
                        losers[n] = w
                        (w, kw) = (other, ko)
                    }
                    n /= 2
                }
                winner = w
            }
            guard live[winner] else { return nil }
            taken = true
            return readers[winner].current
        }
    }
}

/// One run of a `SortedRuns` file read back through a buffer of 64 KiB (4,096 values of 16
/// bytes; a merge of hundreds of runs of larger values held megabytes per run). A struct the
/// merge keeps in an array: as a class, every read of its position was checked for exclusive
/// access at run time (`swift_beginAccess`, an eighth of the text hashing's merge).
@usableFromInline struct RunReader<Element: BitwiseCopyable> {
    @usableFromInline let fd: Int32
    @usableFromInline var next: Int
    @usableFromInline let end: Int
    @usableFromInline let key: (Element) -> UInt64
    @usableFromInline var block: [Element] = []
    @usableFromInline var at = 0
    /// The value moved to (after an `advance` that returned true), and its key.
    @usableFromInline var current: Element { block[at - 1] }
    @usableFromInline var currentKey: UInt64 = 0

    @inlinable init(fd: Int32, start: Int, count: Int, key: @escaping (Element) -> UInt64) {
        self.fd = fd
        next = start
        end = start + count
        self.key = key
    }

    /// Moves to the run's next value; false at its end.
    @usableFromInline static var blockLength: Int { max(16, 65_536 / MemoryLayout<Element>.stride) }

    @inlinable mutating func advance() throws -> Bool {
        if at == block.count {
            let n = min(Self.blockLength, end - next)
            guard n > 0 else { return false }
            // One buffer per run, shortened only for the run's last block (its bytes are
            // all read over before use).
            if block.count != n { block = Array(unsafeUninitializedCapacity: n) { _, count in count = n } }
            try block.withUnsafeMutableBytes {
                try ScratchFile.read(fd, into: $0, at: next * MemoryLayout<Element>.stride, path: "run file")
            }
            next += n
            at = 0
        }
        at += 1
        currentKey = key(block[at - 1])
        return true
    }
}
