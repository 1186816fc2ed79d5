import LakeCore

/// A conformance run as text for people, JSON lines for scripts and JUnit XML for CI
/// (docs/SPEC.md 9.2).
public enum ConformReport {
    /// One line per case, then the difference of each failure, then a total line.
    public static func text(_ results: [ConformResult], specVersion: String, level: ConformLevel, mode: ConformMode) -> String {
        var out = "datapunk conform: SPEC \(specVersion), level \(level.rawValue), compare \(mode.rawValue)\n"
        for r in results {
            out += "\(r.verdict.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0))\(r.name) (\(seconds(r.seconds)) s)"
            out += r.verdict == .pass ? "\n" : ": \(r.message)\n"
            if let d = r.difference {
                for f in d.fields { out += "    \(f.pointer): expected \(f.expected), got \(f.got)\n" }
                if !d.missing.isEmpty { out += "    missing: " + d.missing.joined(separator: "; ") + "\n" }
                if !d.extra.isEmpty { out += "    extra: " + d.extra.joined(separator: "; ") + "\n" }
            }
            if r.verdict == .crash || r.verdict == .timeout, !r.stderrTail.isEmpty {
                let tail = r.stderrTail.split(separator: "\n").suffix(3).joined(separator: "\n    ")
                out += "    stderr: \(tail)\n"
            }
        }
        out += totals(results) + "\n"
        return out
    }

    /// `5 cases: 4 pass, 1 fail` (verdicts with no case left out).
    public static func totals(_ results: [ConformResult]) -> String {
        let counts = ConformVerdict.allCases.compactMap { v -> String? in
            let n = results.filter { $0.verdict == v }.count
            return n == 0 ? nil : "\(n) \(v.rawValue)"
        }
        return "\(results.count) case\(results.count == 1 ? "" : "s"): " + (counts.isEmpty ? "none" : counts.joined(separator: ", "))
    }

    /// One canonical JSON object per case, then `{"summary": …}`.
    public static func json(_ results: [ConformResult], specVersion: String, level: ConformLevel, mode: ConformMode) -> String {
        var lines: [String] = []
        for r in results {
            var m: [JSONMember] = [
                .init("case", .string(r.name)), .init("level", .string(r.level.rawValue)), .init("verdict", .string(r.verdict.rawValue)),
                .init("seconds", .number(seconds(r.seconds))), .init("message", .string(r.message)),
            ]
            if let d = r.difference {
                m.append(
                    .init(
                        "difference",
                        .object([
                            .init("line", .number(String(d.line))), .init("record", d.record.map { .string($0) } ?? .null),
                            .init(
                                "fields",
                                .array(
                                    d.fields.map {
                                        .object([
                                            .init("pointer", .string($0.pointer)), .init("expected", .string($0.expected)),
                                            .init("got", .string($0.got)),
                                        ])
                                    })),
                            .init("missing", .array(d.missing.map { .string($0) })), .init("extra", .array(d.extra.map { .string($0) })),
                        ])))
            }
            lines.append(String(decoding: CanonicalJSON.encode(.object(m)), as: UTF8.self))
        }
        var summary: [JSONMember] = [
            .init("spec_version", .string(specVersion)), .init("level", .string(level.rawValue)), .init("compare", .string(mode.rawValue)),
            .init("cases", .number(String(results.count))),
        ]
        for v in ConformVerdict.allCases { summary.append(.init(v.rawValue, .number(String(results.filter { $0.verdict == v }.count)))) }
        lines.append(String(decoding: CanonicalJSON.encode(.object([.init("summary", .object(summary))])), as: UTF8.self))
        return lines.joined(separator: "\n") + "\n"
    }

    /// JUnit XML: a `fail` is a `<failure>`, a crash, timeout or missing output an `<error>`.
    public static func junit(_ results: [ConformResult], specVersion: String, level: ConformLevel, mode: ConformMode) -> String {
        let failures = results.filter { $0.verdict == .fail }.count
        let errors = results.filter { $0.verdict != .fail && $0.verdict != .pass }.count
        let total = results.reduce(0) { $0 + $1.seconds }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites>\n"
        out +=
            "  <testsuite name=\"datapunk-conform\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(seconds(total))\">\n"
        out += "    <properties><property name=\"spec_version\" value=\"\(xml(specVersion))\"/>"
        out +=
            "<property name=\"level\" value=\"\(level.rawValue)\"/><property name=\"compare\" value=\"\(mode.rawValue)\"/></properties>\n"
        for r in results {
            out += "    <testcase classname=\"conform.\(r.level.rawValue)\" name=\"\(xml(r.name))\" time=\"\(seconds(r.seconds))\""
            switch r.verdict {
            case .pass: out += "/>\n"
            case .fail:
                out += ">\n      <failure type=\"fail\" message=\"\(xml(r.message))\">\(xml(details(r)))</failure>\n    </testcase>\n"
            default:
                out +=
                    ">\n      <error type=\"\(r.verdict.rawValue)\" message=\"\(xml(r.message))\">\(xml(r.stderrTail))</error>\n    </testcase>\n"
            }
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func details(_ r: ConformResult) -> String {
        guard let d = r.difference else { return r.message }
        var lines = ["line \(d.line)" + (d.record.map { ", record \($0)" } ?? "")]
        lines += d.fields.map { "\($0.pointer): expected \($0.expected), got \($0.got)" }
        if !d.missing.isEmpty { lines.append("missing: " + d.missing.joined(separator: "; ")) }
        if !d.extra.isEmpty { lines.append("extra: " + d.extra.joined(separator: "; ")) }
        return lines.joined(separator: "\n")
    }

    /// Text escaped for XML attributes and content; characters XML 1.0 forbids are dropped.
    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t", "\r": out.unicodeScalars.append(u)
            default: if u.value >= 0x20 && !(0xFFFE...0xFFFF).contains(u.value) { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Seconds with 3 decimals.
    static func seconds(_ s: Double) -> String {
        let ms = Int((s * 1000).rounded())
        return "\(ms / 1000).\(String(ms % 1000).leftPadded(3))"
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
