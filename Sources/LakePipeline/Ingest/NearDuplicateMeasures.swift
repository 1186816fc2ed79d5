import Foundation
import LakeCore
import LakeStore
import LakeValidate

extension NearDuplicateFinder {
    /// A text's shingle count and fingerprint (`NearDuplicateRing`).
    typealias Measure = (size: Int, fingerprint: NearDuplicateRing.Fingerprint)

    /// The measure of a text's shingles, given in any order and with repeats
    /// (`NearDuplicates.shingleHashes`): how many distinct ones, and their fingerprint.
    static func measure(_ shingles: [UInt64]) -> Measure {
        (NearDuplicates.distinctCount(shingles), NearDuplicateRing.fingerprint(shingles))
    }

    /// A text's measure for the ring test (`NearDuplicateRing`): how many distinct shingles it
    /// has and their fingerprint.
    struct TextMeasure: BitwiseCopyable {
        var text: UInt64
        var size: Int
        var p0: UInt64, p1: UInt64, p2: UInt64, p3: UInt64

        init(text: UInt64, _ m: Measure) {
            self.text = text
            size = m.size
            (p0, p1, p2, p3) = (m.fingerprint[0], m.fingerprint[1], m.fingerprint[2], m.fingerprint[3])
        }

        var fingerprint: NearDuplicateRing.Fingerprint { .init(p0, p1, p2, p3) }
    }

    /// The measures of the texts hashed in this run, taken while the hashing had each text in
    /// hand (`TextHashing`), so that the near pass need not read a record of each text back
    /// from the catalog (`measureMembers`). On the 10 GB Twitter corpus those were ten million
    /// reads at random of a 16 GB catalog, one thread, about 650 s of a 680 s near pass.
    ///
    /// Filled by one thread, then read by another once that one has finished (after `join`).
    /// A text hashed by an earlier run has no measure here: the near pass reads its record.
    final class TextMeasures: @unchecked Sendable {
        private let runs: SortedRuns<TextMeasure>
        private var cursor: SortedRuns<TextMeasure>.Cursor?
        private var current: TextMeasure?

        /// Runs of 65,536 measures (3 MB) while hashing, by text as signed integers (the order
        /// the shared buckets' members come in, `Lake.sharedBandMembers`); the merge then reads
        /// 64 KiB of each.
        init(path: String) {
            runs = SortedRuns(path: path, runLength: 1 << 16, key: { Lake.signedOrder($0.text) }) {
                Lake.signedOrder($0.text) < Lake.signedOrder($1.text)
            }
        }

        /// A text's measure (`NearDuplicateFinder.measure`).
        func add(text: UInt64, _ measure: Measure) throws { try runs.append(TextMeasure(text: text, measure)) }

        /// The measure of `text` (shingle count and fingerprint), nil when no text of that hash
        /// was hashed in this run. Asked in ascending order of text hash (as signed integers),
        /// each at most once: the measures are read once, in that order.
        func measure(of text: UInt64) throws -> Measure? {
            if cursor == nil {
                cursor = try runs.sorted()
                current = try cursor?.next()
            }
            let wanted = Lake.signedOrder(text)
            while let c = current, Lake.signedOrder(c.text) < wanted { current = try cursor?.next() }
            guard let c = current, c.text == text else { return nil }
            return (c.size, c.fingerprint)
        }
    }
}
