import LakeStore

extension FuzzTargets {
    /// The stored annotations (`CompactAnnotations`, docs/SPEC.md 7.4) over arbitrary bytes, as
    /// a damaged or hand-edited catalog could hold them, under every annotation's forms: reading
    /// never traps; what it expands compacts back to exactly the stored bytes, and what it
    /// compacts expands back to exactly the bytes given (nothing is lost or invented either way).
    public static let annotations: Target = { bytes in
        let lists = [
            ("entities", CompactAnnotations.entities), ("pii", CompactAnnotations.pii),
            ("relationships", CompactAnnotations.relationships),
        ]
        for (name, forms) in lists {
            let expanded = CompactAnnotations.expandList(bytes, forms)
            if expanded != bytes && CompactAnnotations.compactList(expanded, forms) != bytes {
                return "annotations: \(name) expanded to bytes that do not compact back"
            }
            let compacted = CompactAnnotations.compactList(bytes, forms)
            if compacted != bytes && CompactAnnotations.expandList(compacted, forms) != bytes {
                return "annotations: \(name) compacted to bytes that do not expand back"
            }
        }
        let forms = CompactAnnotations.language
        let expanded = CompactAnnotations.expandObject(bytes, forms)
        if expanded != bytes && CompactAnnotations.compactObject(expanded, forms) != bytes {
            return "annotations: a language expanded to bytes that do not compact back"
        }
        let compacted = CompactAnnotations.compactObject(bytes, forms)
        if compacted != bytes && CompactAnnotations.expandObject(compacted, forms) != bytes {
            return "annotations: a language compacted to bytes that do not expand back"
        }
        return nil
    }
}
