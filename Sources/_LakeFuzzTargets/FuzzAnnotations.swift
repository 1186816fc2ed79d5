import LakeStore

extension FuzzTargets {
    /// The stored annotations (`CompactAnnotations`, docs/SPEC.md 7.4) over arbitrary bytes, as
    /// a damaged or hand-edited catalog could hold them, under every annotation's forms: reading
    /// never traps; what it expands compacts back to exactly the stored bytes, and what it
    /// compacts expands back to exactly the bytes given (nothing is lost or invented either way).
    public static let annotations: Target = { bytes in
        typealias Form = CompactAnnotations.Form
        func inverse(_ name: String, _ expand: ([UInt8]) -> [UInt8], _ compact: ([UInt8]) -> [UInt8]) -> String? {
            let expanded = expand(bytes)
            if expanded != bytes && compact(expanded) != bytes { return "annotations: \(name) expanded to bytes that do not compact back" }
            let compacted = compact(bytes)
            if compacted != bytes && expand(compacted) != bytes { return "annotations: \(name) compacted to bytes that do not expand back" }
            return nil
        }
        let lists: [(String, [Form])] = [
            ("entities", CompactAnnotations.entities), ("pii", CompactAnnotations.pii),
            ("relationships", CompactAnnotations.relationships),
        ]
        for (name, forms) in lists {
            if let broken = inverse(name, { CompactAnnotations.expandList($0, forms) }, { CompactAnnotations.compactList($0, forms) }) {
                return broken
            }
        }
        let language = CompactAnnotations.language
        return inverse(
            "a language", { CompactAnnotations.expandObject($0, language) }, { CompactAnnotations.compactObject($0, language) })
    }
}
