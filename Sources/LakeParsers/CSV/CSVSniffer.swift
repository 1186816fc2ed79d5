/// Guesses a CSV dialect from a sample (docs/SPEC.md, "CSV dialect sniffing").
///
/// For each candidate delimiter (`,` `;` tab `|`) the sample is read with RFC 4180 quoting;
/// the last record is dropped when the sample is cut mid-file. The modal field count `k` of
/// the records and the share of records that have exactly `k` fields (consistency) are
/// computed. A delimiter qualifies when `k >= 2`. The winner has the highest consistency, ties
/// broken by higher `k`, then by the candidate order above. Confidence is the winner's
/// consistency, halved when another delimiter reaches the same consistency with the same `k`.
/// Below the threshold (0.95 by default) the result says so and the dialect falls back to
/// RFC 4180 (comma, double quote) with the detected line terminator and BOM.
///
/// ```swift
/// let s = CSVSniffer.sniff(Array("a;b\n1;2\n".utf8), isComplete: true)
/// s.dialect.delimiter  // ';'
/// s.confidence         // 1.0
/// ```
public enum CSVSniffer {
    public struct Result: Sendable, Equatable {
        public var dialect: CSVDialect
        public var confidence: Double
        /// False when confidence was under the threshold and RFC 4180 was assumed.
        public var isConfident: Bool
    }

    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]

    public static func sniff(_ sample: [UInt8], isComplete: Bool, threshold: Double = 0.95) -> Result {
        var bytes = sample
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if hasBOM { bytes.removeFirst(3) }
        let terminator = lineTerminator(bytes)
        let quote: UInt8 = UInt8(ascii: "\"")

        struct Score { var delimiter: UInt8; var k: Int; var consistency: Double; var rows: [[String]] }
        var scores: [Score] = []
        for d in candidates {
            var rows = parseLenient(bytes, delimiter: d, quote: quote)
            if !isComplete, rows.count > 1 { rows.removeLast() }
            guard !rows.isEmpty else { continue }
            var counts: [Int: Int] = [:]
            for r in rows { counts[r.count, default: 0] += 1 }
            let (k, n) = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key < b.key }!
            scores.append(Score(delimiter: d, k: k, consistency: k >= 2 ? Double(n) / Double(rows.count) : 0, rows: rows))
        }
        let ranked = scores.enumerated().sorted { a, b in
            if a.element.consistency != b.element.consistency { return a.element.consistency > b.element.consistency }
            if a.element.k != b.element.k { return a.element.k > b.element.k }
            return a.offset < b.offset
        }.map(\.element)
        guard let best = ranked.first, best.consistency > 0 else {
            return Result(
                dialect: CSVDialect(lineTerminator: terminator, hasHeader: true, hasBOM: hasBOM), confidence: 0, isConfident: false)
        }
        var confidence = best.consistency
        if ranked.count > 1, ranked[1].consistency == best.consistency, ranked[1].k == best.k { confidence /= 2 }
        let header = looksLikeHeader(best.rows)
        if confidence < threshold {
            return Result(
                dialect: CSVDialect(lineTerminator: terminator, hasHeader: header, hasBOM: hasBOM), confidence: confidence,
                isConfident: false)
        }
        return Result(
            dialect: CSVDialect(delimiter: best.delimiter, quote: quote, lineTerminator: terminator, hasHeader: header, hasBOM: hasBOM),
            confidence: confidence, isConfident: true)
    }

    /// The first line break outside quotes: CRLF, LF or CR (LF when there is none).
    static func lineTerminator(_ b: [UInt8]) -> CSVDialect.LineTerminator {
        var inQuotes = false
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes {
                if c == 0x0D { return i + 1 < b.count && b[i + 1] == 0x0A ? .crlf : (i + 1 < b.count ? .cr : .crlf) }
                if c == 0x0A { return .lf }
            }
            i += 1
        }
        return .lf
    }

    /// RFC 4180 parsing that never fails (a sample may be cut anywhere).
    static func parseLenient(_ b: [UInt8], delimiter: UInt8, quote: UInt8) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var i = 0
        func endField() { row.append(String(decoding: field, as: UTF8.self)); field.removeAll() }
        while i < b.count {
            let c = b[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < b.count, b[i + 1] == quote { field.append(quote); i += 1 } else { inQuotes = false }
                } else {
                    field.append(c)
                }
            } else if c == quote && field.isEmpty {
                inQuotes = true
            } else if c == delimiter {
                endField()
            } else if c == 0x0A || c == 0x0D {
                if c == 0x0D, i + 1 < b.count, b[i + 1] == 0x0A { i += 1 }
                endField()
                rows.append(row)
                row = []
            } else {
                field.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }

    /// A header row: all fields non-empty and distinct, none numeric, while some column has a
    /// numeric value below it; or, with no numbers anywhere, fields that never repeat in their
    /// column below. One row alone counts as a header.
    static func looksLikeHeader(_ rows: [[String]]) -> Bool {
        guard let first = rows.first else { return false }
        guard rows.count > 1 else { return true }
        func numeric(_ s: String) -> Bool { Double(s.trimmingCharacters(in: " ")) != nil }
        if first.contains(where: { $0.isEmpty }) || Set(first).count != first.count || first.contains(where: numeric) { return false }
        let body = rows.dropFirst()
        let anyNumeric = body.contains { r in r.contains(where: numeric) }
        if anyNumeric { return true }
        for (c, name) in first.enumerated() where body.contains(where: { c < $0.count && $0[c] == name }) { return false }
        return true
    }
}
