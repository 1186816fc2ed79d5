import LakeCore
import LakeParsers

/// One case's candidate output against its expected output (docs/SPEC.md 9.2).
///
/// ```swift
/// let c = ConformComparison.compare(expected: golden, got: output, level: .normalize, mode: .bytes)
/// c.passed  // false
/// c.difference?.fields.first  // FieldDifference(pointer: "/occurred_at", expected: "\"…10:00…\"", got: "\"…11:00…\"")
/// ```
public struct ConformComparison: Sendable {
    /// One value that differs inside a record, by JSON pointer; values as canonical JSON
    /// (`absent` when the member is missing on that side).
    public struct FieldDifference: Sendable, Equatable {
        public var pointer: String
        public var expected: String
        public var got: String
        public init(pointer: String, expected: String, got: String) {
            self.pointer = pointer
            self.expected = expected
            self.got = got
        }
    }

    /// Where the two outputs first differ.
    public struct Difference: Error, Sendable {
        /// Line number (1-based) of the first difference, in the projected output.
        public var line: Int
        /// What the record is matched by: `id <id>` or `position <input> <path> #<index>`.
        public var record: String?
        public var summary: String
        public var fields: [FieldDifference] = []
        /// Records expected and not written, and written and not expected (their match keys).
        public var missing: [String] = []
        public var extra: [String] = []
    }

    public var difference: Difference?
    public var passed: Bool { difference == nil }

    /// The most field differences and missing or extra records a difference lists.
    public static let listed = 20

    struct Line {
        /// `id <id>` when the line has an id, its source position, and what names it in a report.
        var id: String?
        var position: String?
        var key: String
        var bytes: [UInt8]
        var value: JSONValue
    }

    /// Compares after projecting both sides to `level` and preparing them for `mode`. A
    /// candidate line that is not JSON fails the case at that line.
    public static func compare(expected: [UInt8], got: [UInt8], level: ConformLevel, mode: ConformMode) -> ConformComparison {
        let want: [Line]
        switch lines(expected, level: level, mode: mode) {
        case .success(let l): want = l
        case .failure(let d): return ConformComparison(difference: Difference(line: d.line, summary: "the expected output: " + d.summary))
        }
        let have: [Line]
        switch lines(got, level: level, mode: mode) {
        case .success(let l): have = l
        case .failure(let d): return ConformComparison(difference: d)
        }
        if want.count == have.count && zip(want, have).allSatisfy({ $0.bytes == $1.bytes }) { return ConformComparison(difference: nil) }
        return ConformComparison(difference: explain(want, have))
    }

    static func lines(_ bytes: [UInt8], level: ConformLevel, mode: ConformMode) -> Result<[Line], Difference> {
        var out: [Line] = []
        var number = 0
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            if raw.isEmpty { continue }
            let value: JSONValue
            do {
                value = try JSONReader.parse(Array(raw), limits: .canonicalLines)
            } catch {
                return .failure(Difference(line: number, summary: "line \(number) is not JSON: \(error)"))
            }
            guard let projected = level.project(value) else { continue }
            let prepared = mode.prepare(projected)
            let (id, position) = keys(value)
            out.append(
                Line(
                    id: id, position: position, key: id ?? position ?? other(value), bytes: CanonicalJSON.encode(prepared), value: prepared)
            )
        }
        return .success(out)
    }

    /// A line's id key (`id <id>`) and position key (`position <input> <path> #<index>`), when
    /// it has them. Lines are matched by id and, failing that, by position: below `full` the
    /// expected side has no ids.
    static func keys(_ v: JSONValue) -> (id: String?, position: String?) {
        let id = v["id"]?.stringValue.map { "id " + $0 }
        guard let s = v["source"] else { return (id, nil) }
        let index: String
        if case .number(let n)? = s["index"] { index = n } else { index = "?" }
        return (id, "position \(s["input"]?.stringValue ?? "?") \(s["path"]?.stringValue ?? "?") #\(index)")
    }

    /// What names a line with neither: its refusal, else its canonical text.
    static func other(_ v: JSONValue) -> String {
        if let r = v["refused"] {
            return "refusal \(r["input"]?.stringValue ?? "?") \(r["entry"]?.stringValue ?? "-") \(r["rule"]?.stringValue ?? "?")"
        }
        return "line " + String(decoding: CanonicalJSON.encode(v), as: UTF8.self)
    }

    static func explain(_ want: [Line], _ have: [Line]) -> Difference {
        func index(_ lines: [Line]) -> (byID: [String: Int], byPosition: [String: Int], byOther: [String: Int]) {
            var out: ([String: Int], [String: Int], [String: Int]) = ([:], [:], [:])
            for (i, l) in lines.enumerated().reversed() {
                if let id = l.id { out.0[id] = i }
                if let p = l.position { out.1[p] = i }
                if l.id == nil && l.position == nil { out.2[l.key] = i }
            }
            return out
        }
        func match(_ l: Line, in x: (byID: [String: Int], byPosition: [String: Int], byOther: [String: Int])) -> Int? {
            if let id = l.id, let i = x.byID[id] { return i }
            if let p = l.position, let i = x.byPosition[p] { return i }
            return l.id == nil && l.position == nil ? x.byOther[l.key] : nil
        }
        let haveIndex = index(have), wantIndex = index(want)
        var d = Difference(line: 0, summary: "")
        d.missing = want.filter { match($0, in: haveIndex) == nil }.map(\.key)
        d.extra = have.filter { match($0, in: wantIndex) == nil }.map(\.key)
        let first = (0..<min(want.count, have.count)).first { want[$0].bytes != have[$0].bytes } ?? min(want.count, have.count)
        d.line = first + 1
        if first < want.count {
            let w = want[first]
            d.record = w.key
            if let j = match(w, in: haveIndex) {
                d.fields = fieldDifferences(w.value, have[j].value)
                if d.fields.isEmpty {
                    d.summary = "record \(first + 1) (\(w.key)) is line \(j + 1) of the output: the records are out of order"
                } else {
                    d.summary = "record \(first + 1) (\(w.key)) differs in \(d.fields.count) value(s)"
                }
            } else {
                d.summary = "record \(first + 1) (\(w.key)) is missing"
            }
        } else {
            d.record = have[first].key
            d.summary = "the output has \(have.count - want.count) record(s) more than expected, from line \(first + 1)"
        }
        if !d.missing.isEmpty || !d.extra.isEmpty { d.summary += "; \(d.missing.count) missing, \(d.extra.count) extra" }
        d.missing = Array(d.missing.prefix(listed))
        d.extra = Array(d.extra.prefix(listed))
        return d
    }

    /// The values that differ between two records, depth first, members in key order.
    public static func fieldDifferences(_ a: JSONValue, _ b: JSONValue, pointer: String = "") -> [FieldDifference] {
        var out: [FieldDifference] = []
        func text(_ v: JSONValue?) -> String { v.map { String(decoding: CanonicalJSON.encode($0), as: UTF8.self) } ?? "absent" }
        func walk(_ a: JSONValue?, _ b: JSONValue?, _ p: String) {
            guard out.count < listed else { return }
            switch (a, b) {
            case (.object(let x)?, .object(let y)?):
                let keys = Set(x.map(\.key)).union(y.map(\.key)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                for k in keys { walk(a?[k], b?[k], p + "/" + JSONPointer.escape(k)) }
            case (.array(let x)?, .array(let y)?):
                for i in 0..<max(x.count, y.count) { walk(i < x.count ? x[i] : nil, i < y.count ? y[i] : nil, p + "/\(i)") }
            default:
                if a != b { out.append(FieldDifference(pointer: p.isEmpty ? "/" : p, expected: text(a), got: text(b))) }
            }
        }
        walk(a, b, pointer)
        return out
    }
}
