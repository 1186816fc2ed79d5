import LakeCore
import LakeParsers

/// Which records take part in near-duplicate detection, and the text compared (docs/SPEC.md
/// 5.11): records of the text kinds below, their named `data` fields joined by a newline,
/// normalized by `NearDuplicates.normalized`. Texts shorter than `minimumScalars` after that
/// are left out: "ok", "thanks!" and "lol" say nothing about whether two records are the same.
///
/// ```swift
/// NearDuplicateText.text(kind: "tweet", tape: try JSONTape(bytes: data))  // "the train was late again. https://t.co/…"
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

    /// The normalized text of a record of `kind` whose `data` is on `tape`, or nil when the kind
    /// takes no part or the text is shorter than `minimumScalars`. Read off the tape, without
    /// building its values; of two members of one name (not in canonical data), the last.
    public static func text(kind: String, tape: JSONTape) -> [Unicode.Scalar]? {
        guard let paths = pathsByKind[kind], tape.count > 0 else { return nil }
        var parts: [String] = []
        for path in paths { collect(tape, 0, path.map { Array($0.utf8) }[...], into: &parts) }
        let normalized = NearDuplicates.normalized(parts.joined(separator: "\n"))
        return normalized.count >= minimumScalars ? normalized : nil
    }

    private static let star = Array("*".utf8)

    private static func collect(_ tape: JSONTape, _ i: Int, _ path: ArraySlice<[UInt8]>, into parts: inout [String]) {
        guard let step = path.first else {
            if tape.kind(i) == .string {
                let s = tape.string(i)
                if !s.isEmpty { parts.append(s) }
            }
            return
        }
        switch tape.kind(i) {
        case .arrayStart where step == star:
            var e = i + 1
            for _ in 0..<tape.childCount(i) {
                collect(tape, e, path.dropFirst(), into: &parts)
                e = tape.after(e)
            }
        case .objectStart where step != star:
            var k = i + 1, found: Int?
            for _ in 0..<tape.childCount(i) {
                if tape.withBytes(k, { $0.elementsEqual(step) }) { found = k + 1 }
                k = tape.after(k + 1)
            }
            if let found { collect(tape, found, path.dropFirst(), into: &parts) }
        default: return
        }
    }
}
