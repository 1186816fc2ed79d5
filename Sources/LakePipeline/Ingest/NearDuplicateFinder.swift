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
    /// Records hashed per read from the catalog.
    static let page = 2000
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

    /// Fills `record_texts` (and `text_bands`) for the records that have no row yet.
    private func hashNewRecords() throws -> Int {
        var after = "", count = 0
        let writer = try lake.recordTextWriter()
        while true {
            let batch = try lake.unhashedTextRecords(kinds: NearDuplicateText.kinds, after: after, limit: Self.page)
            guard let last = batch.last else { return count }
            for r in batch {
                let text = try Self.text(of: r.canonical, kind: r.kind)
                let scope = r.kind + "\u{0}" + r.user
                try writer.set(id: r.id, hash: text.map { NearDuplicates.textHash($0, scope: scope) }) {
                    NearDuplicates.bandKeys(NearDuplicates.signature(NearDuplicates.shingles(normalized: text ?? [])), scope: scope)
                }
            }
            count += batch.count
            after = last.id
        }
    }

    /// For each first record of a text that has a similar text whose first record is earlier:
    /// the target, the most similar, then the earliest.
    private func similarFirstRecords() throws -> [String: (target: String, similarity: Double)] {
        var pairs: [(UInt64, UInt64)] = []
        try lake.candidateTextPairs { pairs.append(($0, $1)) }
        var firsts: [UInt64: (position: Lake.ExportPosition, shingles: Set<UInt64>)?] = [:]
        func first(_ hash: UInt64) throws -> (position: Lake.ExportPosition, shingles: Set<UInt64>)? {
            if let known = firsts[hash] { return known }
            var entry: (Lake.ExportPosition, Set<UInt64>)?
            if let f = try lake.firstRecord(withText: hash), let text = try Self.text(of: f.canonical, kind: f.kind) {
                entry = (f.position, NearDuplicates.shingles(normalized: text))
            }
            firsts[hash] = entry
            return entry
        }
        var best: [String: (target: Lake.ExportPosition, similarity: Double)] = [:]
        for (a, b) in pairs {
            guard let fa = try first(a), let fb = try first(b) else { continue }
            let similarity = NearDuplicates.jaccard(fa.shingles, fb.shingles)
            guard similarity >= NearDuplicates.threshold else { continue }
            let (later, earlier) = fa.position < fb.position ? (fb.position, fa.position) : (fa.position, fb.position)
            let id = String(decoding: later.id, as: UTF8.self)
            if let current = best[id],
                current.similarity > similarity || (current.similarity == similarity && current.target < earlier)
            {
                continue
            }
            best[id] = (earlier, similarity)
        }
        return best.mapValues { (String(decoding: $0.target.id, as: UTF8.self), $0.similarity) }
    }

    /// The normalized text of a stored record, or nil.
    static func text(of canonical: [UInt8], kind: String) throws -> [Unicode.Scalar]? {
        let record = try JSONReader.parse(canonical, limits: JSONLimits(maxDepth: 256, maxDocumentBytes: 1 << 30))
        return record["data"].flatMap { NearDuplicateText.text(kind: kind, data: $0) }
    }
}
