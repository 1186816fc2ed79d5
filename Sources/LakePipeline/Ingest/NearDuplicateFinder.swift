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
    /// Records hashed per read from the catalog (and band rows sorted per write).
    static let page = 10_000
    let lake: Lake

    /// The near links wanted now, by record id; `hashed` counts the records hashed this run.
    func links() throws -> (links: [String: Lake.DuplicateLink], hashed: Int) {
        let hashed = try hashNewRecords()
        var out: [String: Lake.DuplicateLink] = [:]
        try lake.identicalTextRecords { id, first in
            out[id] = .init(target: first, similarity: NearDuplicates.similarityText(1), method: Self.method)
        }
        for (id, best) in try similarFirstRecords() {
            out[id] = .init(target: best.target, similarity: NearDuplicates.similarityText(best.similarity), method: Self.method)
        }
        return (out, hashed)
    }

    /// Fills `record_texts` (and `text_bands`) for the records that have no row yet: each page's
    /// texts parsed and hashed on all cores, written in order by this thread while the workers
    /// hash the next page.
    private func hashNewRecords() throws -> Int {
        typealias Row = (id: String, hash: UInt64?, bands: [UInt64])
        var cursor: Lake.TextCursor? = Lake.TextCursor(), count = 0
        let writer = try lake.recordTextWriter()
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var hashing: Parallel.Pending<Row>?
        repeat {
            var next: Parallel.Pending<Row>?
            if let after = cursor {
                let (batch, following) = try lake.unhashedTextRecords(kinds: NearDuplicateText.kinds, after: after, limit: Self.page)
                cursor = following
                if !batch.isEmpty { next = Parallel.start(batch, workers: workers, Self.hashed) }
            }
            if let page = try hashing?.wait() {
                try writer.set(page)
                count += page.count
            }
            hashing = next
        } while hashing != nil
        return count
    }

    /// A record's text hash and band keys (`NearDuplicates`), nil for a record with no text.
    static func hashed(_ r: Lake.TextRecord) throws -> (id: String, hash: UInt64?, bands: [UInt64]) {
        guard let text = try text(ofData: r.data, kind: r.kind) else { return (r.id, nil, []) }
        let scope = r.kind + "\u{0}" + r.user
        let bands = NearDuplicates.bandKeys(NearDuplicates.signature(hashes: NearDuplicates.shingleHashes(normalized: text)), scope: scope)
        return (r.id, NearDuplicates.textHash(text, scope: scope), bands)
    }

    /// A text's first record and sorted shingles, loaded once per pass.
    private struct First {
        var position: Lake.ExportPosition
        var shingles: [UInt64]
    }

    /// For each first record of a text that has a similar text whose first record is earlier:
    /// the target, the most similar, then the earliest.
    private func similarFirstRecords() throws -> [String: (target: String, similarity: Double)] {
        var firsts: [First] = []
        var index: [UInt64: Int] = [:]  // -1: no record has the text any more
        let reader = try lake.firstTextReader()
        func first(_ hash: UInt64) throws -> Int {
            if let known = index[hash] { return known }
            var at = -1
            if let f = try reader.first(withText: hash), let text = try Self.text(ofData: f.data, kind: f.kind) {
                at = firsts.count
                firsts.append(First(position: f.position, shingles: NearDuplicates.sortedShingles(normalized: text)))
            }
            index[hash] = at
            return at
        }
        var best: [String: (target: Lake.ExportPosition, similarity: Double)] = [:]
        // A pair sharing several bands is compared once per band: the same similarity, so the
        // same outcome.
        func compare(_ fa: First, _ fb: First) {
            guard let similarity = NearDuplicates.similarityIfNear(fa.shingles, fb.shingles) else { return }
            let (later, earlier) = fa.position < fb.position ? (fb.position, fa.position) : (fa.position, fb.position)
            let id = String(decoding: later.id, as: UTF8.self)
            if let current = best[id],
                current.similarity > similarity || (current.similarity == similarity && current.target <= earlier)
            {
                return
            }
            best[id] = (earlier, similarity)
        }
        try lake.textBandBuckets { bucket in
            let members = try bucket.map { try first($0) }
            for j in 1..<members.count where members[j] >= 0 {
                for i in max(0, j - Self.bucketWindow)..<j where members[i] >= 0 { compare(firsts[members[i]], firsts[members[j]]) }
            }
        }
        return best.mapValues { (String(decoding: $0.target.id, as: UTF8.self), $0.similarity) }
    }

    /// The normalized text of a stored record, from its `data`, or nil.
    static func text(ofData data: [UInt8], kind: String) throws -> [Unicode.Scalar]? {
        NearDuplicateText.text(kind: kind, data: try JSONReader.parse(data, limits: .canonicalLines))
    }
}
