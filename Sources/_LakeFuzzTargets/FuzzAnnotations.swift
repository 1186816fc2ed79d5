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
        if let broken = entities(bytes) { return broken }
        if let broken = coded(bytes) { return broken }
        if let broken = shapedData(bytes) { return broken }
        let language = CompactAnnotations.language
        return inverse(
            "a language", { CompactAnnotations.expandObject($0, language) }, { CompactAnnotations.compactObject($0, language) })
    }

    /// Languages and relationships stored with codes (schema 28), and PII findings (34), with the data split off as for
    /// entities: compacting expands back to exactly what was given, and what expands compacts
    /// to a form that expands to the same bytes.
    static func coded(_ bytes: [UInt8]) -> String? {
        var data = Array(#"{"from":"a@b.c","id":"1","lang":"es","to":"7","where":{"lat":1,"lng":2}}"#.utf8)
        var value = bytes
        if let nul = bytes.firstIndex(of: 0) {
            data = Array(bytes[..<nul])
            value = Array(bytes[(nul + 1)...])
        }
        let pairs: [(String, ([UInt8], [UInt8]) -> [UInt8], ([UInt8], [UInt8]) -> [UInt8])] = [
            ("a language", CompactAnnotations.compactLanguage, CompactAnnotations.expandLanguage),
            ("relationships", CompactAnnotations.compactRelationships, CompactAnnotations.expandRelationships),
            ("PII findings", CompactAnnotations.compactPII, CompactAnnotations.expandPII),
        ]
        for (name, compact, expand) in pairs {
            let expanded = expand(value, data)
            if expanded != value && expand(compact(expanded, data), data) != expanded {
                return "annotations: \(name) expanded to bytes whose compact form expands to others"
            }
            let compacted = compact(value, data)
            if compacted != value && expand(compacted, data) != value {
                return "annotations: \(name) compacted to bytes that do not expand back"
            }
        }
        return nil
    }

    /// `data` stored without its member names (`CompactData`, schemas 29, 31 and 33), for a record
    /// at each of `fuzzClocks` (members they give back are derived): the bytes shaped
    /// expand back to exactly themselves; split at a NUL into values and names, what expands
    /// shapes to a form that expands to the same bytes.
    static func shapedData(_ bytes: [UInt8]) -> String? {
        for (millis, offset) in fuzzClocks {
            for fixing in [true, false] {
                if let shaped = CompactData.shape(bytes, millis: millis, offset: offset, fixing: fixing),
                    CompactData.expand(shaped.data, keys: shaped.keys, millis: millis, offset: offset) != bytes
                {
                    return "data: shaped to values and names that do not expand back (fixing: \(fixing))"
                }
            }
            guard let nul = bytes.firstIndex(of: 0) else { continue }
            let values = Array(bytes[..<nul]), keys = Array(bytes[(nul + 1)...])
            if let expanded = CompactData.expand(values, keys: keys, millis: millis, offset: offset),
                let again = CompactData.shape(expanded, millis: millis, offset: offset),
                CompactData.expand(again.data, keys: again.keys, millis: millis, offset: offset) != expanded
            {
                return "data: expanded to an object whose shaped form expands to other bytes"
            }
        }
        return nil
    }

    /// The time the data fuzzing gives its records: 2020-08-20T07:19:34.138Z.
    static let fuzzMillis: Int64 = 1_597_907_974_138
    /// The times and offsets the data is shaped with: none, one with milliseconds, and a whole
    /// second at +02:30 (the rules of seconds, Twitter's text and a mail's date then apply).
    static let fuzzClocks: [(Int64?, Int?)] = [(nil, nil), (fuzzMillis, nil), (fuzzMillis - 138, 150)]

    /// Entities stored with codes and references to the row's data (schemas 24 and 27): the bytes
    /// up to a NUL are the data (a fixed one with points and strings at the top level and inside
    /// when there is none), the rest the stored list. Compacting expands back to exactly what was
    /// given; what expands compacts to a form that expands to the same bytes (a list stored by
    /// schema 23, with strings only, means the same once compacted again).
    static func entities(_ bytes: [UInt8]) -> String? {
        var data = Array(#"{"e":{"u":[{"a":"y","b":{"lat":3,"lng":4}}]},"geo":{"lat":1.5,"lng":-2},"t":"x","u":"https://a"}"#.utf8)
        var list = bytes
        if let nul = bytes.firstIndex(of: 0) {
            data = Array(bytes[..<nul])
            list = Array(bytes[(nul + 1)...])
        }
        let expanded = CompactAnnotations.expandEntities(list, data: data)
        if expanded != list,
            CompactAnnotations.expandEntities(CompactAnnotations.compactEntities(expanded, data: data), data: data) != expanded
        {
            return "annotations: entities expanded to bytes whose compact form expands to others"
        }
        let compacted = CompactAnnotations.compactEntities(list, data: data)
        if compacted != list && CompactAnnotations.expandEntities(compacted, data: data) != list {
            return "annotations: entities compacted to bytes that do not expand back"
        }
        return nil
    }
}
