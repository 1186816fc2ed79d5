import LakeCore
import LakeParsers

/// The mapper of JSON no family claims (docs/SPEC.md 5.3).
extension Mapped {
    /// Any other JSON element: standardized, then flattened (SPEC 5.3). `data.collection`
    /// names the top-level member it came from, when there was one.
    mutating func generic(collection: String?) {
        standardize(raw, kind: "generic")
        data = Flatten.flatten(data)
        if case .object = data {} else { data = .object([.init("value", data)]) }
        if let collection { data = .object([.init("collection", .string(collection))] + (data.objectMembers ?? [])) }
        lineage.append(.init("normalize.flatten", version: Flatten.version))
        var texts: [String] = []
        for m in data.objectMembers ?? [] { if let s = m.value.stringValue { texts.append(s) } }
        textEntities(texts)
        finishEntities()
    }
}
