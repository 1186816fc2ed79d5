import Foundation
import LakeCore
import LakeParsers

/// The schemas that ship for every known export file (`Schemas/*.json`, a package resource;
/// docs/SPEC.md 5.12), by name: `twitter.tweets`, `takeout.activity`, `facebook.post`, …
public enum ExportSchemas {
    /// Every schema, read and checked once.
    public static let all: [String: JSONSchema] = {
        var out: [String: JSONSchema] = [:]
        guard let folder = Bundle.module.url(forResource: "Schemas", withExtension: nil)?.path,
            let files = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else { return out }
        for file in files.sorted() where file.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: folder + "/" + file),
                let document = try? JSONReader.parse(Array(data), limits: JSONLimits(maxDepth: 64, maxDocumentBytes: 1 << 22))
            else { continue }
            for m in document.objectMembers ?? [] where !m.key.hasPrefix("$") {
                // A schema that ships and does not read is a bug: the schema tests catch it.
                if let schema = try? JSONSchema(m.value, name: m.key) { out[m.key] = schema }
            }
        }
        return out
    }()

    /// The names of the schema files' entries, read or not (for the tests).
    public static var declaredNames: [String] {
        guard let folder = Bundle.module.url(forResource: "Schemas", withExtension: nil)?.path,
            let files = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else { return [] }
        return files.sorted().flatMap { file -> [String] in
            guard let data = FileManager.default.contents(atPath: folder + "/" + file),
                let document = try? JSONReader.parse(Array(data), limits: JSONLimits(maxDepth: 64, maxDocumentBytes: 1 << 22))
            else { return ["(unreadable \(file))"] }
            return (document.objectMembers ?? []).map(\.key).filter { !$0.hasPrefix("$") }
        }
    }
}

/// Schema checks of one file's elements (docs/SPEC.md 5.12), as they are read: violations are
/// findings of the file (`schema.violation`), never refusals. Elements are checked on the
/// reader's thread, or on the workers for the families read from the tape, and skipped ones of
/// a resumed file on the reader's thread, so the findings do not depend on interruptions. The
/// counts are kept under a lock and the first violation is the lowest index, whatever thread
/// comes first.
public final class SchemaFindings: @unchecked Sendable {
    let schema: JSONSchema
    private let lock = NSLock()
    private var records = 0
    private var worst = 0
    private var first: (index: Int, violation: JSONSchema.Violation)?

    public init(schema: JSONSchema) { self.schema = schema }

    /// Checks element `index`, read from a tape: the value is built only when it does not fit.
    public func check(_ index: Int, _ tape: JSONTape) {
        if schema.conforms(tape) { return }
        check(index, tape.value())
    }

    /// Checks element `index`.
    public func check(_ index: Int, _ element: JSONValue) {
        let violations = schema.validate(element)
        guard let v = violations.first else { return }
        lock.lock()
        defer { lock.unlock() }
        records += 1
        worst = max(worst, violations.count)
        if first == nil || index < first!.index { first = (index, v) }
    }

    /// The file's finding, if any element broke the schema: the records that did, the most
    /// violations in one, and where the first is.
    public func finding(input: String, entry: String) -> (count: Int, worst: Int, location: String)? {
        guard let first else { return nil }
        return (records, worst, "record \(first.index) \(first.violation) (schema \(schema.name))")
    }
}
