import Foundation
import LakeCore
import LakeCorpus
import LakePipeline
import LakeValidate

/// Content validation as a benchmark workload: PII detection over strings shaped like export
/// text (MB/s of text), and whole ingests of a generated corpus with the validation on and off
/// (its share of the ingest).
public enum ValidationWorkloads {
    /// A pool of 4,096 strings: export sentences in six languages, one in twelve carrying a PII
    /// value of one of the six types, plus ids, URLs, times and counts as they sit in records.
    public static func textPool() -> [String] {
        var rng = SplitMix64(seed: 11)
        let sentences = [
            "The train was late again, but the coffee was good.", "Llovió todo el día, perfecto para leer en casa.",
            "Wir sind am Fluss entlang gelaufen, bis die Lichter angingen.", "一日中雨だったので、家で本を読みました。",
            "有人知道车站附近有好吃的面包店吗？", "Quelqu'un connaît une bonne boulangerie près de la gare ?",
        ]
        let values = [
            "ana.lima@example.org", "+44 20 7946 0958", "(415) 555-2671", "4111 1111 1111 1111", "219-09-9998",
            "DE89 3704 0044 0532 0130 00", "203.0.113.45", "2001:db8::8a2e:370:7334",
        ]
        let others = [
            "1495839205710508032", "https://t.co/abc123XYZ", "2024-01-15T10:30:00.000Z", "Tue Apr 26 06:16:43 +0000 2016", "68",
            "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
        ]
        return (0..<4096).map { i in
            if i % 3 == 2 { return others[Int(rng.next() % UInt64(others.count))] }
            var s = sentences[Int(rng.next() % UInt64(sentences.count))]
            if rng.next() % 12 == 0 { s += " " + values[Int(rng.next() % UInt64(values.count))] }
            return s
        }
    }

    /// Scans every string of `pool` once; returns the UTF-8 bytes scanned.
    public static func scan(_ pool: [String], scanner: PIIScanner = PIIScanner()) -> Int {
        var bytes = 0, found = 0
        for s in pool {
            bytes += s.utf8.count
            found += scanner.scan(s, field: "text").count
        }
        precondition(found > 0)
        return bytes
    }

    /// The shingle hashes of each string of `pool` with text (ids and counts have too few
    /// characters), as the text hashing takes them before a signature.
    public static func shingleSets(_ pool: [String]) -> [[UInt64]] {
        pool.map { NearDuplicates.shingleHashes(normalized: NearDuplicates.normalized($0)) }.filter { !$0.isEmpty }
    }

    /// The MinHash signature of every set (`NearDuplicates.signature`, the C kernel the
    /// processor runs best); returns how many.
    public static func sign(_ sets: [[UInt64]]) -> Int {
        var low: UInt64 = 0
        for s in sets { low ^= NearDuplicates.signature(hashes: s)[0] }
        precondition(low != 0)
        return sets.count
    }

    /// A generated corpus of `profile` at `scale` in a scratch folder (the caller removes it).
    public static func corpus(profile: String, scale: String) throws -> (folder: String, inputs: [String]) {
        // One folder per profile, replaced by the next run (a suite cannot remove it after its last iteration).
        let dir = NSTemporaryDirectory() + "datapunk-bench-validation-\(profile)"
        try? FileManager.default.removeItem(atPath: dir)
        let manifest = try CorpusGenerator.generate(profile: profile, seed: 3, scale: scale, output: dir)
        return (dir, manifest.inputs.map { dir + "/" + $0.file })
    }

    /// Ingests `inputs` into a fresh lake (removed afterwards) with content validation on or
    /// off; returns the records loaded.
    public static func ingest(_ inputs: [String], validation: Bool, nearDuplicates: Bool = true) throws -> Int {
        var options = IngestOptions()
        options.lakeDirectory = NSTemporaryDirectory() + "datapunk-bench-validation-lake-\(getpid())"
        options.contentValidation = validation
        options.nearDuplicates = nearDuplicates
        try? FileManager.default.removeItem(atPath: options.lakeDirectory)
        defer { try? FileManager.default.removeItem(atPath: options.lakeDirectory) }
        let summary = try IngestJob(options: options).run(inputs: inputs)
        return summary.inputs.reduce(0) { $0 + $1.records }
    }
}
