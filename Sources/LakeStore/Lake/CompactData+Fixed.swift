/// Members whose values come from a short list, stored once in their kind (schema 33, the
/// fixed rule `v` of `CompactData.Rule`; docs/SPEC.md 7.4, "Fixed members").
extension CompactData {
    /// The members the fixed rule is tried on (quotes included): values from a short list in
    /// the formats that have them (Takeout's activities, Chrome's visits, location points, the
    /// mail mapper's `text_source` and `time_source` and a message's Gmail labels, a tweet's
    /// client). Not a per-device or per-site value (`device_tag`, `favicon_url`): there are
    /// as many of those as devices or sites.
    static let fixedNames: [StaticString] = [
        #""activity_controls""#, #""header""#, #""labels""#, #""page_transition""#, #""products""#, #""source""#,
        #""text_source""#, #""time_source""#,
    ]
    /// A longer value, or an object, is stored: a tweet's `source` (its client as a link) takes about 80.
    public static let maxFixedBytes = 128
    /// A kind keeps at most this many sets of names with a fixed value (of `maxShapesPerKind`);
    /// a later record of the kind with yet another stores its fixed members' values.
    public static let maxFixedShapesPerKind = 48

    /// Whether names `keys` hold an entry of the fixed rule.
    static func hasFixed(_ keys: [UInt8]) -> Bool {
        keys.withUnsafeBufferPointer { k in
            var j = 1
            while j < k.count, let end = CompactAnnotations.valueEnd(k, at: j), end < k.count {
                if k[j] == bracket, let nameEnd = CompactAnnotations.scalarEnd(k, at: j + 1), nameEnd < k.count,
                    let (rule, _) = Rule.parse(k, at: nameEnd), case .fixed = rule
                {
                    return true
                }
                guard k[end] == comma else { return false }
                j = end + 1
            }
            return false
        }
    }
}
