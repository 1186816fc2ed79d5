import LakeCore
import LakeParsers

/// Mappers for the non-JSON files of Takeout (docs/SPEC.md 5.8): vCard contacts
/// (`+Contacts`), iCalendar events (`+Calendar`), and My Activity in its legacy HTML form
/// (`+Activity`); what they share is here.
public enum DocumentMappers {
    public static let version = "1"

    /// The raw form hashed for `content_hash`: the content lines as `[name, {parameters}, value]`.
    static func raw(_ lines: [ContentLine]) -> JSONValue {
        .array(
            lines.map { line in
                .array([
                    .string(line.name), .object(line.parameters.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) }),
                    .string(line.value),
                ])
            })
    }

    static func clean(_ s: String?) -> JSONValue { s.map { .string(TextCleansing.clean($0)) } ?? .null }

    /// A record whose reader found a problem in it is rejected alone: the first problem's rule,
    /// the record's index and the line go into the error (the value itself does not).
    static func rejectIfBroken(_ problems: [RecordProblem], index: Int) throws {
        guard let p = problems.first else { return }
        throw LakeError(.init(p.rule), scope: .entry, location: "record \(index), line \(p.line)", message: p.reason)
    }

    static func finish(_ data: [JSONMember]) -> JSONValue { Flatten.prune(.object(data)) ?? .object([]) }

    static func lineage(_ parse: String, _ kind: String, parseVersion: String = version) -> [LakeRecord.LineageStep] {
        [
            .init(parse, version: parseVersion), .init("map.google-takeout.\(kind)", version: version),
            .init("normalize.text", version: TextCleansing.version),
        ]
    }
}
