import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore

/// How a mapper's failure becomes one record's error row (`ChunkedLoader` does the loading).
extension IngestJob {
    /// A parser error's text without the rule it starts with (the error line names the rule once).
    static func reason(_ description: String, rule: String) -> String {
        guard description.hasPrefix(rule) else { return description }
        let rest = description.dropFirst(rule.count).drop { $0 == ":" || $0 == " " }
        return rest.isEmpty ? "the file does not parse" : String(rest)
    }

    /// A mapper's failure as the error row of one record: a `LakeError` keeps its rule, a
    /// parser's or timestamp error gets its own, anything else is `record.invalid`; the
    /// location names the record when the mapper did not.
    static func recordError(_ error: Error, index: Int) -> LakeError {
        var e: LakeError
        switch error {
        case let x as LakeError: e = x
        case let x as JSONError:
            e = x.lakeError()
            e.location = "record \(index), byte \(x.offset)"
        case let x as TimestampError: e = x.lakeError()
        case let x as ParserError: e = LakeError(.init(x.rule), scope: .entry, message: reason(x.description, rule: x.rule))
        default: e = LakeError(.recordInvalid, scope: .entry, message: "\(error)")
        }
        e.scope = .entry
        if e.location == nil { e.location = "record \(index)" }
        return e
    }
}
