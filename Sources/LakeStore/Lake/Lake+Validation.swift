import LakeCore

extension Lake.ChunkMetrics {
    /// A chunk's content validation counts: records with a PII finding, the findings by type,
    /// the records by data class.
    public struct Validation: Equatable, Sendable {
        public var piiRecords = 0
        public var piiFindings: [String: Int] = [:]
        public var dataClasses: [String: Int] = [:]
        public init() {}

        /// What the counts need of one record: taken where the record is mapped, so the
        /// record itself need not travel to the committer.
        public struct Seen: Sendable {
            public var piiTypes: [String]
            public var dataClass: String?
            public init(_ r: borrowing LakeRecord) {
                piiTypes = r.pii.map { $0["type"]?.stringValue ?? "" }
                dataClass = r.dataClass
            }
        }

        /// Counts one stored record.
        public mutating func count(_ s: Seen) {
            if !s.piiTypes.isEmpty { piiRecords += 1 }
            for t in s.piiTypes { piiFindings[t, default: 0] += 1 }
            if let c = s.dataClass { dataClasses[c, default: 0] += 1 }
        }
    }
}

extension Lake {
    /// Content validation's counts (docs/SPEC.md 5.10), summed over committed chunks.
    public struct ValidationCounts: Equatable, Sendable {
        public var piiRecords = 0
        /// By PII type, sorted.
        public var findingsByType: [String: Int] = [:]
        /// By data class, sorted.
        public var recordsByDataClass: [String: Int] = [:]
        public var findings: Int { findingsByType.values.reduce(0, +) }
        public init() {}
    }

    /// The counts of one job (and one of its inputs), or of the whole lake.
    public func validationCounts(jobID: String? = nil, input: String? = nil) throws -> ValidationCounts {
        var c = ValidationCounts()
        var conditions: [String] = [], values: [SQLiteValue] = []
        if let jobID {
            conditions.append("job_id = ?")
            values.append(.text(jobID))
        }
        if let input {
            conditions.append("input = ?")
            values.append(.text(input))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        try wrap {
            try database.prepare("SELECT coalesce(sum(pii_records), 0) FROM chunks" + filter).forEachRow(values) {
                c.piiRecords = Int($0.int(0))
            }
            for (column, path) in [("pii_findings", \ValidationCounts.findingsByType), ("data_classes", \.recordsByDataClass)] {
                try database.prepare("SELECT j.key, sum(j.value) FROM chunks, json_each(chunks.\(column)) AS j\(filter) GROUP BY j.key")
                    .forEachRow(values) { c[keyPath: path][$0.text(0) ?? ""] = Int($0.int(1)) }
            }
        }
        return c
    }

    /// `{"A":1,"B":2}`, keys sorted: a chunk's counts as stored.
    static func countsObject(_ counts: [String: Int]) -> String {
        CanonicalJSON.string(.object(counts.sorted { $0.key < $1.key }.map { JSONMember($0.key, .number(String($0.value))) }))
    }
}
