import Foundation
import LakeCore
import LakeParsers
import LakeStore
import LakeValidate

/// Near-duplicate text records (docs/SPEC.md 5.11), for the duplicate stage. Records of the
/// text kinds get their normalized text hashed within their kind and user, once; each new
/// distinct text gets its MinHash band keys. Then, over the whole lake:
/// - a record whose text equals an earlier record's (export order) links to the first record
///   with that text, similarity `1.00`;
/// - the first record of a text links to the earlier first record of the text most similar to
///   it at Jaccard 0.95 or more among those sharing a band key, the earliest on ties.
///
/// The links depend on the lake's records alone, not on the order jobs brought them.
struct NearDuplicateFinder {
    static let method = "minhash"
    /// Within one band bucket each text is compared with at most this many texts before it (in
    /// hash order): a safety limit on the pairs a bucket of thousands of alike texts costs.
    static let bucketWindow = 1000
    /// Records hashed per read from the catalog.
    static let page = 10_000
    var lake: Lake
    /// The bucket window of this pass (`bucketWindow`, or a smaller one for a test).
    var window = Self.bucketWindow
    /// The measures of the texts hashed in this run, when the hashing took them (`TextHashing`).
    var measures: TextMeasures?
    /// Members per batch handed to the comparing thread (`NearDuplicatePass`).
    var batchSize = 4096
    /// Members sorted by band in memory at a time (`measureMembers`; fewer for a test): 128 Ki
    /// of 48 bytes, 6 MiB, and as much again while a run is sorted. The near pass's memory
    /// peaks while it measures the members; at 256 Ki the 10 GB Twitter corpus's peak was
    /// 209 MB.
    var bandRunLength = 1 << 17
    /// Whether `links` runs the near pass on another thread through a second connection while
    /// this one finds identical texts (`NearPassInBackground`): only when the caller's open
    /// transaction has written nothing, since that connection sees only what was committed.
    var passBeside = false
    /// Called between pages and every few thousand rows: throws to stop the pass (a job
    /// paused; the stage's transaction then rolls back).
    var checkStop: () throws -> Void = {}
    /// Told when each of its steps ends (`DuplicateLinker.Step`).
    var onStep: (DuplicateLinker.Step, Int) -> Void = { _, _ in }
    /// Told of every pair in a bucket window with a record on both sides, by text hash,
    /// earlier member first (for a test).
    var compared: ((UInt64, UInt64) -> Void)?

    /// Gives `wanted` each near link wanted now (a record at most once, with its row), over the texts
    /// `hashNewRecords` hashed (this run or before): the identical texts, then the near ones.
    /// With `passBeside`, the near pass runs on another thread while the identical texts are
    /// found (`NearPassInBackground`).
    func links(_ wanted: (String, Lake.DuplicateLink, _ rowid: Int64?) throws -> Void) throws {
        var similar = 0
        try run(
            beside: {
                var identical = 0
                try lake.identicalTextRecords { id, first, rowid in
                    try wanted(id, .init(target: first, similarity: NearDuplicates.similarityText(1), method: Self.method), rowid)
                    identical += 1
                }
                onStep(.identicalTexts, identical)
                try checkStop()
            },
            then: { id, target, similarity, rowid in
                try wanted(id, .init(target: target, similarity: NearDuplicates.similarityText(similarity), method: Self.method), rowid)
                similar += 1
                if similar % 65_536 == 0 { try checkStop() }
            })
        onStep(.nearTexts, similar)
    }

    /// Fills `record_texts` and `text_signatures` for the records that have no row yet; returns how
    /// many it hashed.
    func hashNewRecords() throws -> Int {
        // No record is added meanwhile (one writer): once these are hashed, all are.
        let last = try lake.lastRecordRowid()
        let writer = try lake.recordTextWriter()
        let count = try Self.hash(from: lake, into: writer, stop: checkStop)
        return try write(writer, hashed: count, through: last, merged: 0)
    }

    /// Writes what `writer` holds (`count` records hashed, every text record through rowid
    /// `last`); returns `count`. When the merge removed records meanwhile (`merged`), a row goes
    /// in only while its rowid still names its record, and the mark stays below any record
    /// left without a row: one the merge made again from a sighting may have been given the
    /// rowid of a record it removed.
    func write(_ writer: Lake.RecordTextWriter, hashed count: Int, through last: Int64, merged: Int) throws -> Int {
        try writer.finish(checkStop, verifying: merged > 0)
        var last = last
        if merged > 0 {
            try lake.forgetUnusedSignatures()
            // Not above the rows left: a new record takes the largest rowid plus one.
            last = min(last, try lake.lastRecordRowid())
            let unhashed = try lake.firstUnhashedTextRecord(
                kinds: NearDuplicateText.kinds, after: try lake.textsHashedThrough(), through: last)
            if let unhashed { last = unhashed - 1 }
        }
        try lake.setTextsHashedThrough(last)
        onStep(.hashTexts, count)
        return count
    }

    /// Pages from `read` (nil or empty: no more) transformed on all cores while this thread reads
    /// the next page, then written in order by this thread; `stop` between pages.
    static func pipelined<T, R>(
        read: () throws -> [T]?, _ transform: @escaping (T) throws -> R, write: ([R]) throws -> Void, stop: () throws -> Void
    ) throws {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var pending: Parallel.Pending<R>?
        var reading = true
        repeat {
            var next: Parallel.Pending<R>?
            if reading {
                if let batch = try read(), !batch.isEmpty {
                    next = Parallel.start(batch, workers: workers, transform)
                } else {
                    reading = false
                }
            }
            if let page = try pending?.wait() { try write(page) }
            pending = next
            if pending != nil { try stop() }
        } while pending != nil
    }

    /// A record's text hash and band keys (`NearDuplicates`), nil for a record with no text,
    /// and its text's measure (nil for none). When `claims` says another record of the run has
    /// the same text (hash), the keys and measure are that record's to give: nil here.
    static func hashed(_ r: Lake.TextRecord, claims: TextClaims? = nil) throws -> (
        rowid: Int64, id: String, hash: UInt64?, bands: [UInt32]?, measure: Measure?
    ) {
        // Read off the compact form when it can be: expanding every record to canonical JSON
        // first was a seventh of the hashing workers' time at 10 GB.
        let text: NearDuplicates.Normalized?
        if let compact = r.stored.compact, let answered = NearDuplicateText.text(kind: r.kind, values: compact.values, keys: compact.keys) {
            text = answered
        } else {
            text = try Self.text(ofData: try r.stored.canonical(), kind: r.kind)
        }
        guard let text else { return (r.rowid, r.id, nil, [], nil) }
        let scope = r.kind + "\u{0}" + r.user
        let hash = NearDuplicates.textHash(text, scope: scope)
        // A text's keys and measure depend on it alone: a repeat of it (a search made again,
        // a copied post) takes no signature of its own.
        if let claims, !claims.claim(hash) { return (r.rowid, r.id, hash, nil, nil) }
        // Repeats and order change no minimum, no distinct count and no fingerprint: the
        // shingles are hashed once and neither sorted nor made distinct.
        let shingles = NearDuplicates.shingleHashes(text)
        let bands = NearDuplicates.bandKeys(NearDuplicates.signature(hashes: shingles), scope: scope)
        return (r.rowid, r.id, hash, bands, measure(shingles))
    }

    /// For each first record of a text that has a similar text whose first record is earlier:
    /// the target, the most similar, then the earliest (`body(record, target, similarity,
    /// rowid)`, `rowid` the record's row, in text-hash order). The shared buckets' members are
    /// sorted by text on disk, each text measured once (shingle count and fingerprint), and the
    /// members sorted again by band (`NearDuplicateMembers`). Each bucket is then read in order, holding only the last
    /// `window` members, compared on another thread (`NearDuplicatePass`) while this one reads
    /// the next members. Only the pairs that comparing cannot rule out have their shingles read
    /// and compared; the near ones wait in sorted runs (`NearDuplicateHits`).
    func forEachSimilar(_ body: (String, String, Double, Int64?) throws -> Void) throws { try similar().forEachBest(body) }

    /// The pairs `forEachSimilar` gives, found: the near ones wait in sorted runs.
    func similar() throws -> SimilarTexts {
        // The scratch files of an earlier version, if a killed pass left them.
        for path in lake.scratchFiles.earlierVersions { unlink(path) }
        try lake.makeStagingDirectory()
        let reader = try lake.firstTextReader()
        let byBand = try measureMembers(reader: reader, measures: measures)
        let candidates = SortedRuns<NearCandidate>(path: lake.scratchFiles.nearCandidates, key: { $0.a }) {
            $0.a != $1.a ? $0.a < $1.a : $0.b < $1.b
        }
        var seen = 0
        try NearDuplicatePass.run(window: window, batchSize: batchSize, candidates: candidates, compared: compared) { member in
            try byBand.forEachSorted {
                seen += 1
                if seen % 65_536 == 0 { try checkStop() }
                try member($0)
            }
        }
        let hits = try NearDuplicateHits(lake: lake)
        try verify(candidates, reader: reader, into: hits)
        return SimilarTexts(hits: hits, reader: reader)
    }

    /// The near pairs a pass found, and the reader of the texts' first records that orders them.
    struct SimilarTexts {
        let hits: NearDuplicateHits
        let reader: Lake.FirstTextReader

        /// Each later text's best earlier text, as `forEachSimilar` gives them.
        func forEachBest(_ body: (String, String, Double, Int64?) throws -> Void) throws {
            try hits.forEachBest(position: { try reader.first(withText: $0)?.position }, body)
        }
    }

    /// The normalized text of a stored record, from its `data`, or nil.
    static func text(ofData data: [UInt8], kind: String) throws -> NearDuplicates.Normalized? {
        try NearDuplicateText.text(kind: kind, canonical: data, limits: .canonicalLines)
    }
}
