import LakeCore
import LakeParsers

extension ContentValidator {
    /// `validate` of a record whose `data` is on `tape` (its canonical JSON) rather than in
    /// `record.data`: the same `pii`, lineage and data class. False, with `record` as it was,
    /// when strings of two members have findings: the general walk lists them in the stored
    /// order of the members, this one would in canonical order; the caller then validates the
    /// record's value. A record has findings in one string at most nearly always (6% of the
    /// generated tweets have one, none two).
    public func validate(_ record: inout LakeRecord, data tape: JSONTape) -> Bool {
        if findsNothing(in: tape) {
            apply([], to: &record)
            return true
        }
        var path: [Int] = []
        var found: [Finding]?
        guard tape.count > 0, oneString(tape, 0, field: -1, path: &path, found: &found), let found else { return false }
        apply(found, to: &record)
        return true
    }

    /// The walk of `findsNothing` keeping the path (key tokens, or -1 - n for element n): the
    /// findings of the first string with any, as `findings` gives them; false at a second.
    private func oneString(_ t: JSONTape, _ i: Int, field: Int, path: inout [Int], found: inout [Finding]?) -> Bool {
        switch t.kind(i) {
        case .string:
            let spans = scanner.scan(t.string(i), field: field < 0 ? "" : t.string(field))
            guard !spans.isEmpty else { return true }
            guard found == nil else { return false }
            let pointer = path.map { "/" + ($0 < 0 ? String(-1 - $0) : JSONPointer.escape(t.string($0))) }.joined()
            found = spans.map { Finding(field: pointer, span: $0) }
        case .arrayStart:
            var j = i + 1, n = 0
            while t.kind(j) != .arrayEnd {
                path.append(-1 - n)
                defer { path.removeLast() }
                if !oneString(t, j, field: field, path: &path, found: &found) { return false }
                j = t.after(j)
                n += 1
            }
        case .objectStart:
            var j = i + 1
            while t.kind(j) == .key {
                path.append(j)
                defer { path.removeLast() }
                if !oneString(t, j + 1, field: j, path: &path, found: &found) { return false }
                j = t.after(j + 1)
            }
        default: break
        }
        return true
    }

    /// Whether `findings(in:)` of the `data` on `tape` is empty: every string scanned under the
    /// key of the member it belongs to, as `findings` does. Only the order of findings differs
    /// between the two walks (canonical member order here, stored order there), so a record with
    /// any finding is validated on its value instead.
    public func findsNothing(in tape: JSONTape) -> Bool {
        tape.count == 0 || nothing(tape, 0, field: -1)
    }

    /// `field`: the token of the key the value is under (-1: none, the field ""), made a
    /// String only when a string value is scanned: most members of a record are numbers.
    private func nothing(_ t: JSONTape, _ i: Int, field: Int) -> Bool {
        switch t.kind(i) {
        case .string: return scanner.scan(t.string(i), field: field < 0 ? "" : t.string(field)).isEmpty
        case .arrayStart:
            var j = i + 1
            while t.kind(j) != .arrayEnd {
                if !nothing(t, j, field: field) { return false }
                j = t.after(j)
            }
        case .objectStart:
            var j = i + 1
            while t.kind(j) == .key {
                if !nothing(t, j + 1, field: j) { return false }
                j = t.after(j + 1)
            }
        default: break
        }
        return true
    }
}
