/// The canonical JSON of a record's lists, written in their members' fixed sorted order: the
/// bytes `CanonicalJSON.encode` gives for `lineageValue`, `entitiesValue`,
/// `relationshipsValue` and `languageValue`, without building those values or sorting keys.
/// Every stored row needs them (`RecordRow`); `LakeRecordCanonicalTests` compares the two.
extension LakeRecord {
    public var lineageJSON: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(lineage.count * 48)
        Self.list(lineage, into: &out) { step, out in
            Self.member("step", step.step, first: true, into: &out)
            Self.member("version", step.version, into: &out)
        }
        return out
    }

    public var entitiesJSON: [UInt8] {
        var out: [UInt8] = []
        // The syntax is 35 bytes an entity: one allocation unless a value needs escapes.
        out.reserveCapacity(entities.reduce(2) { $0 + 35 + $1.kind.utf8.count + $1.method.utf8.count + $1.value.utf8.count })
        Self.list(entities, into: &out) { e, out in
            Self.member("kind", e.kind, first: true, into: &out)
            Self.member("method", e.method, into: &out)
            Self.member("value", e.value, into: &out)
        }
        return out
    }

    public var relationshipsJSON: [UInt8] {
        var out: [UInt8] = []
        Self.list(relationships, into: &out) { r, out in
            out.append(contentsOf: #""confidence":"#.utf8)
            out.append(contentsOf: r.confidence.utf8)
            Self.member("method", r.method, into: &out)
            Self.member("target", r.target, into: &out)
            Self.member("type", r.type, into: &out)
        }
        return out
    }

    /// Nil for a record without a language (`languageValue` is null).
    public var languageJSON: [UInt8]? {
        guard let language else { return nil }
        var out: [UInt8] = [UInt8(ascii: "{")]
        Self.member("code", language, first: true, into: &out)
        if let c = languageConfidence {
            out.append(contentsOf: #","confidence":"#.utf8)
            out.append(contentsOf: c.utf8)
        }
        if let m = languageMethod {
            Self.member("method", m, into: &out)
        } else {
            out.append(contentsOf: #","method":null"#.utf8)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `[{…},{…}]`, each object's members written by `body`.
    private static func list<T>(_ items: [T], into out: inout [UInt8], _ body: (T, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            body(item, &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `"key":"value"` (a comma before it unless it is the first), the value in NFC and escaped.
    private static func member(_ key: StaticString, _ value: String, first: Bool = false, into out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
        CanonicalJSON.writeString(value, into: &out)
    }
}
