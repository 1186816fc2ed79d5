import Foundation
import LakeCore

/// The near pairs one pass finds (`NearDuplicateFinder`), as often as found (once per band a
/// pair shares within the window), kept in bounded memory: sorted runs in the lake's staging
/// folder (`SortedRuns`), 24 bytes a pair. At the end each later text's best earlier text is
/// picked (the most similar, then the earliest first record) and named by its first
/// record's id. Before, the best of each was held in a dictionary
/// with its target's whole export position, growing with the lake's near links (111,467 on
/// the 10 GB Twitter corpus; the stage's peak there went from 221 MB to 194 MB with this and
/// the ring, docs/BENCHMARKS-DUPLICATES.md).
public final class NearDuplicateHits {
    struct Hit {
        /// The text hashes of the pair: the one whose first record comes later, and the other.
        var later: UInt64
        var earlier: UInt64
        var similarity: Double
    }

    private let runs: SortedRuns<Hit>

    public init(lake: Lake) throws {
        try lake.makeStagingDirectory()
        runs = SortedRuns(path: lake.scratchFiles.nearHits, key: { $0.later }) { a, b in
            if a.later != b.later { return a.later < b.later }
            if a.similarity != b.similarity { return a.similarity > b.similarity }
            return a.earlier < b.earlier
        }
    }

    /// Notes a near pair: the texts `later` and `earlier` (by their first records' export
    /// order) at `similarity`.
    public func add(later: UInt64, earlier: UInt64, similarity: Double) throws {
        try runs.append(Hit(later: later, earlier: earlier, similarity: similarity))
    }

    /// Calls `body(record, target, similarity, rowid)` once for each later text's first record
    /// (`rowid`: its row, when `position` gives it), in
    /// text-hash order: the target is the first record of the most similar earlier text, the
    /// earliest in export order on ties (their positions from `position`, nil for a text with
    /// no record).
    public func forEachBest(
        position: (UInt64) throws -> Lake.ExportPosition?,
        _ body: (_ record: String, _ target: String, _ similarity: Double, _ rowid: Int64?) throws -> Void
    ) throws {
        var later: UInt64?
        var best: [UInt64] = []
        var similarity = 0.0
        func flush() throws {
            guard let later, !best.isEmpty else { return }
            guard let record = try position(later) else { return }
            var target: Lake.ExportPosition?
            for hash in best {
                if let p = try position(hash), target.map({ p < $0 }) ?? true { target = p }
            }
            guard let target else { return }
            try body(String(decoding: record.id, as: UTF8.self), String(decoding: target.id, as: UTF8.self), similarity, record.rowid)
        }
        // Sorted by later text, then most similar first: a later text's best pairs are the
        // first of its group with the group's first similarity.
        try runs.forEachSorted { hit in
            if hit.later != later {
                try flush()
                later = hit.later
                similarity = hit.similarity
                best = [hit.earlier]
            } else if hit.similarity == similarity && best.last != hit.earlier {
                best.append(hit.earlier)
            }
        }
        try flush()
    }
}
