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
        // Most records have no finding: the first walk keeps no path, the second runs only
        // for a record with one.
        if findsNothing(in: tape) {
            apply([], to: &record)
            return true
        }
        var path: [Int]? = []
        var found: [Finding]?
        guard strings(tape, 0, field: -1, path: &path, found: &found), let found else { return false }
        apply(found, to: &record)
        return true
    }

    /// Whether `findings(in:)` of the `data` on `tape` is empty: every string scanned under the
    /// key of the member it belongs to, as `findings` does.
    public func findsNothing(in tape: JSONTape) -> Bool {
        var path: [Int]?
        var found: [Finding]?
        return tape.count == 0 || strings(tape, 0, field: -1, path: &path, found: &found)
    }

    /// Scans the strings of the value at `i` as `findings` does. `field`: the token of the key
    /// the value is under (-1: none, the field ""), made a String only when a string value is
    /// scanned: most members of a record are numbers. Without a `path`, false at the first
    /// string with a finding. With one (key tokens, or -1 - n for element n), the findings of
    /// the first such string go to `found`, with their pointer; false at a second.
    private func strings(_ t: JSONTape, _ i: Int, field: Int, path: inout [Int]?, found: inout [Finding]?) -> Bool {
        switch t.kind(i) {
        case .string:
            let spans = scanner.scan(t.string(i), field: field < 0 ? "" : t.string(field))
            guard !spans.isEmpty else { return true }
            guard let keys = path, found == nil else { return false }
            let pointer = keys.map { "/" + ($0 < 0 ? String(-1 - $0) : JSONPointer.escape(t.string($0))) }.joined()
            found = spans.map { Finding(field: pointer, span: $0) }
        case .arrayStart:
            var j = i + 1, n = 0
            while t.kind(j) != .arrayEnd {
                path?.append(-1 - n)
                defer { path?.removeLast() }
                if !strings(t, j, field: field, path: &path, found: &found) { return false }
                j = t.after(j)
                n += 1
            }
        case .objectStart:
            var j = i + 1
            while t.kind(j) == .key {
                path?.append(j)
                defer { path?.removeLast() }
                if !strings(t, j + 1, field: j, path: &path, found: &found) { return false }
                j = t.after(j + 1)
            }
        default: break
        }
        return true
    }
}
