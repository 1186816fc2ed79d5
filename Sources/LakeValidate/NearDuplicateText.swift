import LakeCore

/// Which records take part in near-duplicate detection, and the text compared (docs/SPEC.md
/// 5.11): records of the text kinds below, their named `data` fields joined by a newline,
/// normalized by `NearDuplicates.normalized`. Texts shorter than `minimumScalars` after that
/// are left out: "ok", "thanks!" and "lol" say nothing about whether two records are the same.
///
/// ```swift
/// NearDuplicateText.text(kind: "tweet", data: record["data"]!)  // "the train was late again. https://t.co/…"
/// ```
public enum NearDuplicateText {
    /// The fields compared per record kind, as paths under `data`; `*` stands for every element
    /// of an array.
    public static let fields: [(kind: String, paths: [[String]])] = [
        ("activity", [["title"], ["title_url"]]),
        ("comment", [["data", "*", "comment", "comment"]]),
        ("email", [["subject"], ["text"]]),
        ("message", [["content"]]),
        ("post", [["data", "*", "post"]]),
        ("tweet", [["full_text"], ["text"]]),
    ]
    public static let kinds = fields.map(\.kind)
    public static let minimumScalars = 16
    private static let pathsByKind = Dictionary(uniqueKeysWithValues: fields.map { ($0.kind, $0.paths) })

    /// The normalized text of a record of `kind`, or nil when the kind takes no part or the text
    /// is shorter than `minimumScalars`.
    public static func text(kind: String, data: JSONValue) -> [Unicode.Scalar]? {
        guard let paths = pathsByKind[kind] else { return nil }
        var parts: [String] = []
        for path in paths { collect(data, path[...], into: &parts) }
        let normalized = NearDuplicates.normalized(parts.joined(separator: "\n"))
        return normalized.count >= minimumScalars ? normalized : nil
    }

    private static func collect(_ value: JSONValue, _ path: ArraySlice<String>, into parts: inout [String]) {
        guard let step = path.first else {
            if let s = value.stringValue, !s.isEmpty { parts.append(s) }
            return
        }
        if step == "*" {
            for element in value.arrayValue ?? [] { collect(element, path.dropFirst(), into: &parts) }
        } else if let next = value[step] {
            collect(next, path.dropFirst(), into: &parts)
        }
    }
}
