import LakeCore
import LakeParsers

extension ContentValidator {
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
