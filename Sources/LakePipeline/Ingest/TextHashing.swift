import Foundation
import CKernels
import LakeCore
import LakeStore
import LakeValidate

extension NearDuplicateFinder {
    /// The text records with no `record_texts` row, read and hashed on another thread through a
    /// second connection to the catalog, while this one goes on: after a first load, it builds
    /// the deferred record indexes (`Lake.buildRecordIndexes`, one core for seconds, tens of
    /// minutes at 10 GB) and merges records seen again. What is hashed waits in the writer's
    /// sorted runs; `finish` writes it on the lake's own connection, in its transaction.
    ///
    /// The reading connection sees the lake as the load committed it: no job adds records
    /// before `finish` (one writer). A record the merge deletes meanwhile was read all the
    /// same, and a sighting the merge makes a record again may be given its rowid: `finish`
    /// writes a row only while its rowid still names its record (`NearDuplicateFinder.write`).
    final class TextHashing: @unchecked Sendable {
        private let reader: Lake
        private let writer: Lake.RecordTextWriter
        private let last: Int64
        /// Each text's measure for the near pass, taken as it is hashed; read after `finish`.
        let measures: TextMeasures
        private let thread: StageThread<Int>

        /// Starts reading `finder`'s lake on a thread of its own.
        init(_ finder: NearDuplicateFinder) throws {
            last = try finder.lake.lastRecordRowid()
            let writer = try finder.lake.recordTextWriter()
            let reader = try finder.lake.readingConnection()
            let measures = TextMeasures(path: finder.lake.scratchFiles.textMeasures)
            (self.writer, self.reader, self.measures) = (writer, reader, measures)
            thread = StageThread(stageStop: finder.checkStop) { checkStop in
                // Smaller pages than the stage's own: the index build's memory is in use too.
                try NearDuplicateFinder.hash(from: reader, into: writer, measures: measures, page: 2_500, stop: checkStop)
            }
        }

        /// Waits for the hashing, then writes its rows (`merged`: records the merge removed
        /// meanwhile, whose rows go) and notes the texts hashed through the last record read.
        func finish(_ finder: NearDuplicateFinder, merged: Int) throws -> Int {
            try finder.write(writer, hashed: try thread.join(), through: last, merged: merged)
        }

        /// Stops the reading thread and waits for it: a stage that ends early (paused, failed)
        /// leaves nothing running. Nothing after `finish`.
        func cancel() { thread.cancel() }
    }

    /// Starts hashing the text records with no `record_texts` row on another thread.
    func startHashing() throws -> TextHashing { try TextHashing(self) }

    /// Reads the text records with no `record_texts` row from `reader`, page by page, hashes
    /// them on all cores and gives them to `writer` (and each text's measure to `measures`);
    /// returns how many. A text's keys and measure are taken once while `claims` holds it
    /// (nil: for every record). `stop` between pages.
    static func hash(
        from reader: Lake, into writer: Lake.RecordTextWriter, measures: TextMeasures? = nil, page: Int = page,
        claims: TextClaims? = TextClaims(), stop: () throws -> Void
    ) throws -> Int {
        var cursor: Lake.TextCursor? = Lake.TextCursor(), count = 0
        try pipelined(
            read: {
                guard let after = cursor else { return nil }
                let (batch, following) = try reader.unhashedTextRecords(kinds: NearDuplicateText.kinds, after: after, limit: page)
                cursor = following
                return batch
            }, { try hashed($0, claims: claims) },
            write: { rows in
                try writer.set(rows.map { ($0.rowid, $0.id, $0.hash, $0.bands) })
                if let measures {
                    for r in rows { if let hash = r.hash, let measure = r.measure { try measures.add(text: hash, measure) } }
                }
                count += rows.count
            }, stop: stop)
        return count
    }
}

/// The texts whose keys and measure a record of this hashing run gives (`NearDuplicateFinder.hashed`),
/// claimed by text hash from any hashing thread (`dp_claim`): 2^19 slots, 4 MiB. A record
/// whose text holds its slot takes no signature. Every record a run reads is written by it (or
/// none, when it stops), so the claimed record's keys and measure go in with the rest; a text
/// pushed out of its slot by another is merely signed again.
final class TextClaims: @unchecked Sendable {
    static let slots = 1 << 19
    private let table: UnsafeMutablePointer<UInt64>

    init() {
        table = .allocate(capacity: Self.slots)
        table.initialize(repeating: 0, count: Self.slots)
    }

    deinit { table.deallocate() }

    /// True when the caller is to sign `text` (the first claim of it in its slot); false when
    /// another record of the run has.
    func claim(_ text: UInt64) -> Bool { dp_claim(table, Self.slots - 1, text) != 0 }
}
