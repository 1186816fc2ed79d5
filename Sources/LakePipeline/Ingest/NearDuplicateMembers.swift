import Foundation
import LakeCore
import LakeStore
import LakeValidate

/// The steps of the near pass (`NearDuplicateFinder.forEachSimilar`) around its comparing,
/// each reading its input once and in order:
/// 1. `measureMembers`: the shared buckets' members from the lake, by text
///    (`Lake.sharedBandMembers`), each text's shingle count and fingerprint, from one record of
///    it, given to each of its members, sorted by band for the comparing (`SortedRuns`);
/// 2. `verify`: the pairs the comparing could not rule out, their shingles compared.
///
/// Before, every member's shingles went to a SQLite scratch file and were read back at random
/// in band order: on a 2.6 GB Takeout archive, 10,983,967 members of 3,390,934 texts read
/// 2-5 KB each at random, about three times per text, for 46,204 pairs worth comparing.
extension NearDuplicateFinder {
    /// Each member of a shared bucket (`Lake.sharedBandMembers`, by text) with its text's
    /// shingle count and fingerprint, sorted by band, then text (both as signed integers). A text
    /// hashed in this run has its measure in `measures`; another's record is found on this
    /// thread (one query each, any record of it: all have its normalized text) while the last
    /// page of texts is shingled on all cores.
    func measureMembers(reader: Lake.FirstTextReader, measures: TextMeasures? = nil) throws -> SortedRuns<NearMember> {
        // Keyed by band alone: three passes of the radix sort, not six. The members come by
        // text, and the sort keeps the order of equal keys' values, so a run's members of one
        // band are in text order already, which the order below checks in one pass.
        let byBand = SortedRuns<NearMember>(path: lake.scratchFiles.nearBands, runLength: bandRunLength, key: { $0.band }) {
            $0.band != $1.band ? $0.band < $1.band : Lake.signedOrder($0.text) < Lake.signedOrder($1.text)
        }
        typealias Page = (texts: [UInt64], ends: [Int], bands: [UInt64])
        typealias Measuring = (page: Page, known: [Measure?], measured: Parallel.Pending<Measure>)
        var page: Page = ([], [], [])
        var pending: Measuring?
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        func write(_ done: Measuring) throws {
            // The texts measured from their records, in page order, fill the texts not known.
            var measured = try done.measured.wait().makeIterator()
            var start = 0
            for i in done.page.texts.indices {
                guard let (size, print) = done.known[i] ?? measured.next() else {
                    preconditionFailure("each text without a measure has one measured from its record")
                }
                for band in done.page.bands[start..<done.page.ends[i]] {
                    try byBand.append(NearMember(band: band, text: done.page.texts[i], size: size, fingerprint: print))
                }
                start = done.page.ends[i]
            }
        }
        func flush() throws {
            guard !page.texts.isEmpty else { return }
            // The page's texts ascend as signed integers (the members come by text): the measures
            // are read in that order.
            let known = try page.texts.map { try measures?.measure(of: $0) }
            let records = try page.texts.indices.filter { known[$0] == nil }.map { try reader.anyRecord(withText: page.texts[$0]) }
            let next = (page, known, Parallel.start(records, workers: workers, Self.measured))
            page = ([], [], [])
            if let pending { try write(pending) }
            pending = next
            try checkStop()
        }
        var count = 0
        do {
            try lake.sharedBandMembers(stop: checkStop) { text, band in
                count += 1
                if count % 65_536 == 0 { try checkStop() }
                if text != page.texts.last {
                    if page.texts.count == Self.page { try flush() }
                    page.texts.append(text)
                    page.ends.append(page.bands.count)
                }
                page.bands.append(band)
                page.ends[page.ends.count - 1] = page.bands.count
            }
            try flush()
        } catch {
            _ = try? pending?.measured.wait()
            throw error
        }
        if let pending { try write(pending) }
        return byBand
    }

    /// A text's shingle count and fingerprint from a record of it; -1 for no record.
    static func measured(_ record: (kind: String, data: [UInt8])?) throws -> Measure {
        guard let record, let text = try text(ofData: record.data, kind: record.kind) else { return (-1, .init()) }
        return measure(NearDuplicates.shingleHashes(text))
    }

    /// The bytes `verify` keeps of later texts' first records at most (about).
    static let verifyCacheBytes = 8 << 20

    /// About the bytes an export position holds (its arrays' storage and headers).
    static func bytes(of p: Lake.ExportPosition) -> Int { 5 * 32 + p.input.count + p.inputSHA256.count + p.path.count + p.id.count }

    /// Compares the shingles of each candidate pair (`NearDuplicatePass`) and notes the near ones
    /// in `hits`, by their first records' order. A pair sharing several bands is compared once.
    /// The texts' first records are read from the lake as the pairs come (by their earlier
    /// member), the later members' through a cache of about `verifyCacheBytes`.
    func verify(_ candidates: SortedRuns<NearCandidate>, reader: Lake.FirstTextReader, into hits: NearDuplicateHits) throws {
        typealias First = (position: Lake.ExportPosition, shingles: [UInt64])
        func first(_ hash: UInt64) throws -> First? {
            guard let found = try reader.first(withText: hash), let text = try Self.text(ofData: found.data, kind: found.kind) else {
                return nil
            }
            return (found.position, NearDuplicates.sortedShingles(text))
        }
        // The later texts' first records, read once while their pairs pass: a text's shingles
        // and position are about a kilobyte, so the cache is emptied past `verifyCacheBytes`
        // (65,536 texts at a time lifted the 10 GB Takeout's peak by 57 MB).
        var cache: [UInt64: First?] = [:]
        var cached = 0
        var last: NearCandidate?
        var a: (hash: UInt64, first: First?)?
        var count = 0
        try candidates.forEachSorted { pair in
            defer { last = pair }
            guard last.map({ $0.a != pair.a || $0.b != pair.b }) ?? true else { return }
            count += 1
            if count % 4096 == 0 { try checkStop() }
            if a?.hash != pair.a { a = (pair.a, try first(pair.a)) }
            if cache[pair.b] == nil {
                let b = try first(pair.b)
                let size = 64 + (b.map { 8 * $0.shingles.count + Self.bytes(of: $0.position) } ?? 0)
                if cached + size > Self.verifyCacheBytes {
                    cache.removeAll()
                    cached = 0
                }
                cache[pair.b] = .some(b)
                cached += size
            }
            guard let x = a?.first, let y = cache[pair.b] ?? nil,
                let similarity = NearDuplicates.similarityIfNear(x.shingles, y.shingles)
            else { return }
            // Which of the two first records comes later decides the link's direction.
            let aEarlier = x.position < y.position
            try hits.add(later: aEarlier ? pair.b : pair.a, earlier: aEarlier ? pair.a : pair.b, similarity: similarity)
        }
    }
}
