import LakeCore

/// A design threshold that an input went past (docs/SPEC.md 7.3): measured and reported, not
/// refused. One row per file and rule, with how many records went past it and the worst value.
public struct Finding: Equatable, Sendable {
    public var input: String
    public var entry: String?
    public var rule: String
    /// Records (or files) over the threshold.
    public var count: Int
    /// The largest value measured.
    public var measured: Int64
    public var threshold: Int64
    /// Where the first one is (for example "record 12").
    public var location: String?

    public init(input: String, entry: String?, rule: String, count: Int, measured: Int64, threshold: Int64, location: String?) {
        self.input = input
        self.entry = entry
        self.rule = rule
        self.count = count
        self.measured = measured
        self.threshold = threshold
        self.location = location
    }

    /// One line for the summary: `rule: entry: count over threshold (largest measured, first at location)`.
    public var description: String {
        // Content checks count the records that failed them; thresholds, what went past.
        if threshold == 0, let location {
            return
                "\(rule): \(entry.map { "'\($0)' " } ?? "")\(count) record(s), at most \(measured) problem(s) in one; first at \(location)"
        }
        var text = "\(rule): \(entry.map { "'\($0)' " } ?? "")\(count) over \(threshold) (largest \(measured)"
        if let location { text += ", first at \(location)" }
        return text + ")"
    }
}

extension Lake {
    /// Records a finding; called inside the transaction that records its file.
    public func insertFinding(jobID: String, _ f: Finding) throws {
        try wrap {
            try database.cached(
                "INSERT INTO findings(job_id, input, entry, rule, count, measured, threshold, location) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ).run([
                .text(jobID), .text(f.input), f.entry.map { .text($0) } ?? .null, .text(f.rule), .integer(Int64(f.count)),
                .integer(f.measured), .integer(f.threshold), f.location.map { .text($0) } ?? .null,
            ])
        }
    }

    /// A job's findings, in the order they were recorded.
    public func findings(jobID: String) throws -> [Finding] {
        var out: [Finding] = []
        try wrap {
            try database.prepare(
                "SELECT input, entry, rule, count, measured, threshold, location FROM findings WHERE job_id = ? ORDER BY rowid"
            ).forEachRow([.text(jobID)]) { r in
                out.append(
                    Finding(
                        input: r.text(0) ?? "", entry: r.text(1), rule: r.text(2) ?? "", count: Int(r.int(3)), measured: r.int(4),
                        threshold: r.int(5), location: r.text(6)))
            }
        }
        return out
    }
}
