import Foundation
import LakeCore
import LakeParsers

/// CSV header standardization and column typing (docs/SPEC.md 5.5): the seed's
/// `header_standardization {lowercase, special_chars: remove, spaces: underscore}` and
/// `column_typing {inference_sample_size: 1000, type_confidence: 0.95}`.
///
/// ```swift
/// CSVColumns.header(["First Name", "E-mail (work)", "Amount €"])  // ["first_name", "email_work", "amount"]
/// let columns = CSVColumns.infer(header: h, rows: firstRows)         // types per column
/// columns.value(row)                                                   // a JSON object
/// ```
public struct CSVColumns: Sendable, Equatable {
    /// The version recorded in lineage (`normalize.csv`); bump it whenever a rule changes.
    public static let version = "2"
    /// The defaults of `infer` (the design's `csv_inference_rows` and `csv_type_confidence`;
    /// a run sets them through `Thresholds`).
    public static let sampleRows = 1000
    public static let confidence = 0.95

    public enum ColumnType: String, Sendable, Equatable {
        case integer, decimal, boolean, timestamp, string
    }

    public var names: [String]
    public var types: [ColumnType]
    /// The decimal separator of each column's numbers, `.` or `,` (only for integer and decimal columns).
    public var decimalSeparators: [Character]

    /// Standardized header names: NFC, lowercase, each run of white space becomes `_`, every
    /// character but letters, digits and `_` is removed, runs of `_` collapse, `_` trimmed
    /// from both ends. An empty name becomes `column_<position>` (from 1). A name already
    /// taken gets `_2`, `_3`, … (the first free suffix), in column order.
    public static func header(_ raw: [String]) -> [String] {
        var taken = Set<String>()
        var out: [String] = []
        for (i, name) in raw.enumerated() {
            var scalars: [Unicode.Scalar] = []
            for s in name.precomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
                if ScalarClass.isWhitespace(s) {
                    scalars.append("_")
                } else if ScalarClass.isWord(s) {
                    scalars.append(s)
                }
            }
            var collapsed: [Unicode.Scalar] = []
            for s in scalars where !(s == "_" && collapsed.last == "_") { collapsed.append(s) }
            while collapsed.first == "_" { collapsed.removeFirst() }
            while collapsed.last == "_" { collapsed.removeLast() }
            var base = String(scalars: collapsed)
            if base.isEmpty { base = "column_\(i + 1)" }
            out.append(SnakeCase.claim(base, in: &taken))
        }
        return out
    }

    /// Infers each column's type from `rows` (the first `sampleRows` data rows). Empty cells
    /// (after trimming spaces) are not counted. A column takes the first type of integer,
    /// decimal, boolean, timestamp for which at least `confidence` (95%) of its counted cells
    /// qualify (an integer also qualifies as decimal); otherwise, and when it has no counted
    /// cell, string.
    /// The decimal separator: `,` when more counted cells read as comma-decimal numbers
    /// (`1.234,50`, `3,5`) than as dot-decimal numbers with `,` grouping (`1,234.50`); else `.`.
    public static func infer(header: [String], rows: [[String]], sampleRows: Int = sampleRows, confidence: Double = confidence)
        -> CSVColumns
    {
        let names = Self.header(header)
        var types: [ColumnType] = []
        var separators: [Character] = []
        for c in 0..<names.count {
            let cells = rows.prefix(sampleRows).compactMap { c < $0.count ? $0[c].trimming(anyOf: " \t") : nil }.filter { !$0.isEmpty }
            let commaVotes = cells.filter { LocaleNumber.matchesCommaDecimal($0) }.count
            let dotVotes = cells.filter { LocaleNumber.matchesDotGrouped($0) }.count
            let separator: Character = commaVotes > dotVotes ? "," : "."
            separators.append(separator)
            guard !cells.isEmpty else {
                types.append(.string)
                continue
            }
            func share(_ ok: (String) -> Bool) -> Double { Double(cells.filter(ok).count) / Double(cells.count) }
            if share({ LocaleNumber.normalize($0, decimalSeparator: separator)?.isInteger == true }) >= confidence {
                types.append(.integer)
            } else if share({ LocaleNumber.normalize($0, decimalSeparator: separator) != nil }) >= confidence {
                types.append(.decimal)
            } else if share({ Self.boolean($0) != nil }) >= confidence {
                types.append(.boolean)
            } else if share({ Self.isTime($0) }) >= confidence {
                types.append(.timestamp)
            } else {
                types.append(.string)
            }
        }
        return CSVColumns(names: names, types: types, decimalSeparators: separators)
    }

    /// Whether a cell reads as a time. Bare digits never do: a digit string that is no integer
    /// column's (leading zeros: `08123`) is an identifier, a ZIP code or an account number, and
    /// read as epoch seconds it became `1970-01-01T02:15:23.000Z` (csv-spectrum's
    /// `comma_in_quotes.csv`, found by the conformance kit).
    static func isTime(_ s: String) -> Bool {
        !s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (try? Timestamp.parseAny(s)) != nil
    }

    static func boolean(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// One row as a JSON object: each non-empty cell under its column's name, typed. A cell
    /// that does not fit its column's type is kept as the string it was (nothing is lost).
    /// Cells past the header's width go under `column_<position>` names; missing cells are
    /// omitted like empty ones. Timestamps become UTC ISO-8601 with milliseconds.
    public func value(_ row: [String]) -> JSONValue {
        var members: [JSONMember] = []
        var taken = Set(names)
        for (i, raw) in row.enumerated() {
            let cell = raw.trimming(anyOf: " \t")
            if cell.isEmpty { continue }
            let name: String
            if i < names.count {
                name = names[i]
            } else {
                var extra = "column_\(i + 1)"
                while taken.contains(extra) { extra += "_" }
                taken.insert(extra)
                name = extra
            }
            let type = i < types.count ? types[i] : .string
            let separator = i < decimalSeparators.count ? decimalSeparators[i] : "."
            var typed: JSONValue = .string(raw)
            switch type {
            case .integer, .decimal:
                if let n = LocaleNumber.normalize(cell, decimalSeparator: separator) { typed = .number(n.text) }
            case .boolean:
                if let b = Self.boolean(cell) { typed = .bool(b) }
            case .timestamp:
                if Self.isTime(cell), let (t, _) = try? Timestamp.parseAny(cell) { typed = .string(t.iso8601) }
            case .string: break
            }
            members.append(.init(name, typed))
        }
        return .object(members)
    }
}

/// Numbers as written in CSV cells, in either convention, rewritten as JSON numbers with the
/// digits kept (`1.234,50` with `,` as decimal separator → `1234.50`; nothing is rounded).
public enum LocaleNumber {
    public struct Normalized: Equatable, Sendable {
        public var text: String
        public var isInteger: Bool
    }

    /// `cell` as a JSON number, or nil when it is not a number in the convention whose decimal
    /// separator is `decimalSeparator` (the other of `.`/`,` may group thousands, in groups of
    /// exactly 3 digits after a first group of 1 to 3). A leading `-` or `+` is allowed (`+`
    /// dropped); a plain JSON number with an exponent (`1.5e3`) is accepted as written when
    /// the separator is `.`; integers with leading zeros (`007`, zip codes) are not numbers.
    public static func normalize(_ cell: String, decimalSeparator: Character) -> Normalized? {
        let group: Character = decimalSeparator == "." ? "," : "."
        var s = Substring(cell)
        var sign = ""
        if s.first == "-" || s.first == "+" {
            sign = s.first == "-" ? "-" : ""
            s = s.dropFirst()
        }
        if decimalSeparator == ".", let exp = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            // Scientific notation: only the plain JSON form.
            let mantissa = s[..<exp], exponent = s[s.index(after: exp)...]
            guard let m = normalize(String(mantissa), decimalSeparator: "."), !m.text.contains(","),
                isExponent(exponent)
            else { return nil }
            return Normalized(text: sign + m.text + "e" + exponent, isInteger: false)
        }
        let parts = s.split(separator: decimalSeparator, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : nil
        if let fraction, fraction.isEmpty || !fraction.allSatisfy(\.isASCIIDigit) { return nil }
        var digits = ""
        if whole.contains(group) {
            let groups = whole.split(separator: group, omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count), first.allSatisfy(\.isASCIIDigit), first.first != "0",
                groups.dropFirst().allSatisfy({ $0.count == 3 && $0.allSatisfy(\.isASCIIDigit) })
            else { return nil }
            digits = groups.joined()
        } else {
            guard !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), whole == "0" || whole.first != "0" else { return nil }
            digits = String(whole)
        }
        if let fraction { return Normalized(text: sign + digits + "." + fraction, isInteger: false) }
        return Normalized(text: (digits == "0" ? "" : sign) + digits, isInteger: true)
    }

    static func isExponent(_ e: Substring) -> Bool {
        var e = e
        if e.first == "-" || e.first == "+" { e = e.dropFirst() }
        return !e.isEmpty && e.allSatisfy(\.isASCIIDigit)
    }

    /// `1.234,50`, `1.234`-style grouping with a `,` fraction, or `3,5`.
    static func matchesCommaDecimal(_ s: String) -> Bool {
        s.contains(",") && normalize(s, decimalSeparator: ",") != nil && normalize(s, decimalSeparator: ".") == nil
    }

    /// `1,234.50` or `1,234`: `,` grouping under the `.` convention only.
    static func matchesDotGrouped(_ s: String) -> Bool {
        s.contains(",") && normalize(s, decimalSeparator: ".") != nil && normalize(s, decimalSeparator: ",") == nil
    }
}
