import Foundation
import LakeCore
import LakeParsers

/// A PII type of the user's, from a pattern file (docs/SPEC.md 5.10, `--pii-patterns FILE`):
/// a regular expression (ICU syntax), an optional check digit rule, a score and supporting
/// words.
///
/// ```json
/// {"sets": [{"name": "healthcare", "patterns": [
///   {"type": "US_NPI", "pattern": "\\b[12][0-9]{9}\\b", "check": "npi", "score": 0.80, "context": ["npi"]}]}]}
/// ```
public struct CustomPIIPattern: @unchecked Sendable {
    /// The check digit rules a pattern may name.
    public enum Check: String, Sendable, CaseIterable {
        case none
        /// Luhn over the digits.
        case luhn
        /// US National Provider Identifier: Luhn over `80840` and the ten digits.
        case npi
        /// US DEA registration: two letters, seven digits; (d1+d3+d5) + 2(d2+d4+d6) ends in d7.
        case dea
        /// UK NHS number: ten digits, weights 10 to 2, check digit 11 - sum mod 11 (11 reads 0, 10 is invalid).
        case nhs
        /// US ABA routing number: weights 3, 7, 1, sum divisible by 10.
        case aba
    }

    public let set: String
    public let type: String
    public let check: Check
    /// Hundredths.
    public let score: Int
    public let context: [String]
    let regex: NSRegularExpression

    /// Reads every pattern of a pattern file; a file that does not read is `config.invalid`.
    public static func load(file path: String) throws -> [CustomPIIPattern] {
        func invalid(_ why: String) -> LakeError {
            LakeError(.piiPatternsInvalid, scope: .usage, input: path, message: "PII patterns: \(why)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw invalid("cannot read the file") }
        let root: JSONValue
        do { root = try JSONReader.parse(Array(data)) } catch { throw invalid("not JSON: \(error)") }
        var out: [CustomPIIPattern] = []
        for set in root["sets"]?.arrayValue ?? [] {
            guard let name = set["name"]?.stringValue else { throw invalid("a set without a \"name\"") }
            for p in set["patterns"]?.arrayValue ?? [] {
                guard let type = p["type"]?.stringValue, !type.isEmpty,
                    type.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F })
                else { throw invalid("set \(name): a pattern's \"type\" must be upper-case letters, digits and _") }
                guard let pattern = p["pattern"]?.stringValue, let regex = try? NSRegularExpression(pattern: pattern) else {
                    throw invalid("set \(name), type \(type): \"pattern\" is missing or not a regular expression")
                }
                let checkName = p["check"]?.stringValue ?? "none"
                guard let check = Check(rawValue: checkName) else {
                    throw invalid("set \(name), type \(type): unknown check \"\(checkName)\" (one of \(Check.allCases.map(\.rawValue)))")
                }
                guard case .number(let s)? = p["score"], let score = Double(s), (0...1).contains(score) else {
                    throw invalid("set \(name), type \(type): \"score\" must be a number from 0 to 1")
                }
                let words = (p["context"]?.arrayValue ?? []).compactMap(\.stringValue).map { $0.lowercased() }
                out.append(
                    CustomPIIPattern(set: name, type: type, check: check, score: Int((score * 100).rounded()), context: words, regex: regex)
                )
            }
        }
        guard !out.isEmpty else { throw invalid("no patterns (expected {\"sets\": [{\"name\", \"patterns\": [...]}]})") }
        return out
    }

    /// SHA-256 over the pattern files (names and bytes, in the order given): part of the job id.
    public static func digest(ofFiles files: [String]) throws -> String {
        guard let digest = FileDigester.sha256(namesAndBytesOf: files) else {
            throw LakeError(.piiPatternsInvalid, scope: .usage, message: "PII patterns: a file cannot be read")
        }
        return digest
    }

    /// Spans of this pattern in `text` (whose UTF-8 is `bytes`), as byte offsets, scored.
    func find(in text: String, bytes: UnsafeBufferPointer<UInt8>, field: String) -> [PIIScanner.Span] {
        let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty else { return [] }
        do {
            let words = PIIContext(bytes: bytes, field: field)
            return matches.compactMap { m -> PIIScanner.Span? in
                guard let r = Range(m.range, in: text), !r.isEmpty, passes(text[r]) else { return nil }
                let start = text.utf8.distance(from: text.startIndex, to: r.lowerBound)
                let end = text.utf8.distance(from: text.startIndex, to: r.upperBound)
                let supported = words.supports(context, start: start, end: end)
                return PIIScanner.Span(type: type, start: start, end: end, score: min(100, score + (supported ? 8 : 0)))
            }
        }
    }

    func passes(_ match: Substring) -> Bool {
        let d = match.unicodeScalars.compactMap { $0.properties.numericType != nil ? Int($0.value) - 0x30 : nil }.filter {
            (0...9).contains($0)
        }
        switch check {
        case .none: return true
        case .luhn: return PIIChecks.luhn(d.map(UInt8.init))
        case .npi: return d.count == 10 && PIIChecks.luhn(([8, 0, 8, 4, 0] + d).map(UInt8.init))
        case .dea:
            guard d.count == 7 else { return false }
            return ((d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]
        case .nhs:
            guard d.count == 10 else { return false }
            let sum = (0..<9).reduce(0) { $0 + d[$1] * (10 - $1) }
            let check = 11 - sum % 11
            return check != 10 && (check == 11 ? 0 : check) == d[9]
        case .aba:
            guard d.count == 9 else { return false }
            let w = [3, 7, 1, 3, 7, 1, 3, 7, 1]
            return zip(d, w).reduce(0) { $0 + $1.0 * $1.1 } % 10 == 0
        }
    }
}
