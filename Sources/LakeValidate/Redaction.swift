import LakeCore
import LakeParsers

/// `datapunk export --redact` (docs/SPEC.md 5.10): every PII finding's text in `data` replaced
/// by the mask `[REDACTED:<TYPE>]`, the findings moved onto their masks, `email` and `phone`
/// entity values masked, and the lineage step `export.redact` 1 added. The record's `id` and
/// `content_hash` stay those of the stored record.
///
/// ```swift
/// Redaction.redact(line)  // {"data":{"t":"mail [REDACTED:EMAIL_ADDRESS]"},...}
/// ```
public enum Redaction {
    public static func mask(_ type: String) -> String { "[REDACTED:\(type)]" }

    /// The redacted form of one canonical record line.
    public static func redact(_ line: [UInt8]) throws -> [UInt8] {
        guard case .object(var members) = try JSONReader.parse(line, limits: .canonicalLines)
        else { return line }
        func index(_ key: String) -> Int? { members.firstIndex { $0.key == key } }
        guard let p = index("pii"), let d = index("data"), case .array(let findings) = members[p].value else { return line }
        var data = members[d].value
        // Per string, its findings from the last to the first, so earlier offsets stay right.
        var byField: [String: [(Int, Int, String, Int)]] = [:]
        for (k, f) in findings.enumerated() {
            guard let field = f["field"]?.stringValue, let type = f["type"]?.stringValue, case .number(let s)? = f["start"],
                case .number(let e)? = f["end"], let start = Int(s), let end = Int(e)
            else { continue }
            byField[field, default: []].append((start, end, type, k))
        }
        var moved = findings
        for (field, spans) in byField {
            data = replacing(in: data, at: JSONPointer.tokens(field)[...]) { text in
                var scalars = Array(text.unicodeScalars)
                var shift: [Int: (Int, Int)] = [:]
                for (start, end, type, k) in spans.sorted(by: { $0.0 > $1.0 }) where start <= end && end <= scalars.count {
                    let m = Array(mask(type).unicodeScalars)
                    scalars.replaceSubrange(start..<end, with: m)
                    // Later masks (already placed) move by this one's change in length.
                    for (j, r) in shift { shift[j] = (r.0 + m.count - (end - start), r.1 + m.count - (end - start)) }
                    shift[k] = (start, start + m.count)
                }
                for (k, r) in shift { moved[k] = moved[k].setting("start", .number(String(r.0))).setting("end", .number(String(r.1))) }
                return String(scalars: scalars)
            }
        }
        members[d].value = data
        members[p].value = .array(moved)
        if let e = index("entities"), case .array(let entities) = members[e].value {
            members[e].value = .array(
                entities.map { entity in
                    switch entity["kind"]?.stringValue {
                    case "email": return entity.setting("value", .string(mask("EMAIL_ADDRESS")))
                    case "phone": return entity.setting("value", .string(mask("PHONE_NUMBER")))
                    default: return entity
                    }
                })
        }
        if let l = index("lineage"), case .array(let steps) = members[l].value {
            members[l].value = .array(steps + [.object([.init("step", .string("export.redact")), .init("version", .string("1"))])])
        }
        return CanonicalJSON.encode(.object(members))
    }

    /// `value` with the string at `path` replaced by `change(string)`.
    static func replacing(in value: JSONValue, at path: ArraySlice<String>, _ change: (String) -> String) -> JSONValue {
        guard let token = path.first else {
            if case .string(let s) = value { return .string(change(s)) }
            return value
        }
        switch value {
        case .object(var members):
            if let i = members.firstIndex(where: { $0.key == token }) {
                members[i].value = replacing(in: members[i].value, at: path.dropFirst(), change)
            }
            return .object(members)
        case .array(var items):
            if let i = Int(token), items.indices.contains(i) { items[i] = replacing(in: items[i], at: path.dropFirst(), change) }
            return .array(items)
        default: return value
        }
    }
}
