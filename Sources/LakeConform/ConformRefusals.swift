import LakeCore

/// Refusal lines (docs/SPEC.md 9.2): `{"refused":{"entry","input","rule"}}`, one per refused
/// input (entry null) or entry, the input by its file name.
public enum ConformRefusals {
    /// The distinct refusal lines of `errors`, in canonical JSON, sorted by their bytes.
    public static func lines(_ errors: [LakeError]) -> [[UInt8]] {
        let lines = Set(errors.map { e in line(input: e.input ?? "", entry: e.entry, rule: e.rule.rawValue) })
        return lines.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// One refusal line; `input` is reduced to its last path component.
    public static func line(input: String, entry: String?, rule: String) -> [UInt8] {
        let name = input.split(separator: "/").last.map(String.init) ?? input
        return CanonicalJSON.encode(
            .object([
                .init(
                    "refused",
                    .object([
                        .init("entry", entry.map { .string($0) } ?? .null), .init("input", .string(name)), .init("rule", .string(rule)),
                    ])
                )
            ]))
    }
}
