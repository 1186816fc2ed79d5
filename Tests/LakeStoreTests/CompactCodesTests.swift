import Foundation
import LakeCore
@testable import LakeStore
import Testing
import _LakeTestSupport

/// A language's and a relationship's values coded against tables and the row's data (schema
/// 28, `CompactAnnotations.Code`): every annotation expands back to its canonical bytes, a
/// value is coded only where a table or the data gives it back, and a code that names nothing
/// never passes for a value.
@Suite struct CompactCodesTests {
    static let tweet = Array(
        #"{"full_text":"@ren yes","id":"2","in_reply_to_status_id":"1","in_reply_to_status_id_str":"1","lang":"es","place":{"lat":1,"lng":2}}"#
            .utf8)

    /// Each form's codes are those of its values, in the forms' order (a form is found by its
    /// value count, and its codes by the same index).
    @Test func everyFormHasACodePerValue() {
        #expect(CompactAnnotations.languageCodes.map(\.count) == CompactAnnotations.language.map(\.names.count))
        #expect(CompactAnnotations.relationshipCodes.map(\.count) == CompactAnnotations.relationships.map(\.names.count))
    }

    /// A tweet's language and reply, as the catalog stores them.
    @Test func aTweetsLanguageAndReplyAreStoredAsNumbers() {
        let language = Array(#"{"code":"es","method":"source"}"#.utf8)
        #expect(CompactAnnotations.compactLanguage(language, data: Self.tweet) == Array("[4,0]".utf8))
        #expect(CompactAnnotations.expandLanguage(Array("[4,0]".utf8), data: Self.tweet) == language)
        let reply = Array(#"[{"confidence":1,"method":"source","target":"1","type":"reply_to"}]"#.utf8)
        #expect(CompactAnnotations.compactRelationships(reply, data: Self.tweet) == Array("[[1,0,2,0]]".utf8))
        #expect(CompactAnnotations.expandRelationships(Array("[[1,0,2,0]]".utf8), data: Self.tweet) == reply)
        // A detected language keeps its code (no member gives it) and its confidence.
        let detected = Array(#"{"code":"en","confidence":0.93,"method":"detected"}"#.utf8)
        #expect(CompactAnnotations.compactLanguage(detected, data: Self.tweet) == Array(#"["en",0.93,1]"#.utf8))
        #expect(CompactAnnotations.expandLanguage(Array(#"["en",0.93,1]"#.utf8), data: Self.tweet) == detected)
        // A point's "X,Y" is a target too, read back as the string.
        let near = Array(#"[{"confidence":0.5,"method":"other","target":"1,2","type":"near"}]"#.utf8)
        #expect(CompactAnnotations.compactRelationships(near, data: Self.tweet) == Array(#"[[0.5,"other",5,"near"]]"#.utf8))
        #expect(CompactAnnotations.expandRelationships(Array(#"[[0.5,"other",5,"near"]]"#.utf8), data: Self.tweet) == near)
    }

    /// Random languages and relationship lists against random data: each compacts to something
    /// no longer that expands to the canonical bytes; a table's entries and the data's strings
    /// are stored as numbers, everything else as it is.
    @Test func randomAnnotationsRoundTrip() throws {
        var rng = SeededRandom(seed: 0xC0DE5)
        let words = ["es", "1", "source", "x", "reply_to", "detected", "7", "a\"b", "é", "minhash"]
        var coded = 0
        for n in 0..<600 {
            var members: [JSONMember] = []
            for k in 0..<Int.random(in: 0...4, using: &rng) {
                members.append(JSONMember("k\(k)", Bool.random(using: &rng) ? .string(words.randomElement(using: &rng)!) : .number("3")))
            }
            let data = CanonicalJSON.encode(.object(members))
            let held = Set(members.compactMap { $0.value.stringValue })
            func word() -> JSONValue {
                Int.random(in: 0..<8, using: &rng) == 0 ? .null : .string(words.randomElement(using: &rng)!)
            }
            var language: [JSONMember] = [JSONMember("code", word())]
            if Bool.random(using: &rng) { language.append(JSONMember("confidence", .number("0.5"))) }
            language.append(JSONMember("method", word()))
            let canonicalLanguage = CanonicalJSON.encode(.object(language))
            let storedLanguage = CompactAnnotations.compactLanguage(canonicalLanguage, data: data)
            #expect(storedLanguage.count < canonicalLanguage.count, "record \(n)")
            #expect(CompactAnnotations.expandLanguage(storedLanguage, data: data) == canonicalLanguage, "record \(n)")
            let list = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                JSONValue.object([
                    JSONMember("confidence", .number("1")), JSONMember("method", word()), JSONMember("target", word()),
                    JSONMember("type", word()),
                ])
            }
            let canonical = CanonicalJSON.encode(.array(list))
            let stored = CompactAnnotations.compactRelationships(canonical, data: data)
            #expect(CompactAnnotations.expandRelationships(stored, data: data) == canonical, "record \(n)")
            guard case .array(let items) = try JSONValueReader.parse(stored) else {
                Issue.record("record \(n): not an array")
                continue
            }
            for (item, object) in zip(items, list) {
                guard case .array(let v) = item, v.count == 4 else {
                    Issue.record("record \(n): a relationship is not four values")
                    continue
                }
                let isNumber = { (x: JSONValue) in if case .number = x { true } else { false } }
                let method = object["method"]?.stringValue, target = object["target"]?.stringValue, type = object["type"]?.stringValue
                #expect(isNumber(v[1]) == CompactAnnotations.relationshipMethods.names.contains(method ?? "\u{0}"), "record \(n)")
                #expect(isNumber(v[2]) == held.contains(target ?? "\u{0}"), "record \(n)")
                #expect(isNumber(v[3]) == CompactAnnotations.relationshipTypes.names.contains(type ?? "\u{0}"), "record \(n)")
                if isNumber(v[2]) { coded += 1 }
            }
        }
        #expect(coded > 100)
    }

    /// A stored form given to compact again is left as it is, coded or not (the `annotations`
    /// fuzz target found an older compact list coded on a second pass: it then expanded to
    /// objects, not to the bytes given).
    @Test func aCompactFormIsNotCodedAgain() {
        for stored in [#"[[1,"minhash","0123","duplicate_of"]]"#, "[[1,0,2,0]]", "[]"] {
            #expect(CompactAnnotations.compactRelationships(Array(stored.utf8), data: Self.tweet) == Array(stored.utf8))
        }
        for stored in [#"["es","source"]"#, "[4,0]", "null"] {
            #expect(CompactAnnotations.compactLanguage(Array(stored.utf8), data: Self.tweet) == Array(stored.utf8))
        }
    }

    /// A number where a code would go keeps the annotation canonical (no version ever wrote
    /// one there, and it would read back as a code); a code that names nothing, or a stored
    /// form of no known length, is left as it is.
    @Test func numbersWhereCodesGoAndBadCodes() {
        for canonical in [#"{"code":5,"method":"source"}"#, #"{"code":"es","method":0}"#] {
            #expect(CompactAnnotations.compactLanguage(Array(canonical.utf8), data: Self.tweet) == Array(canonical.utf8))
        }
        let numbered = #"[{"confidence":1,"method":"source","target":2,"type":"reply_to"}]"#
        #expect(CompactAnnotations.compactRelationships(Array(numbered.utf8), data: Self.tweet) == Array(numbered.utf8))
        for bad in ["[6,0]", "[4,4]", "[04,0]", "[-1,0]", "[4,0.5]", "[9,0.5,0]"] {
            #expect(CompactAnnotations.expandLanguage(Array(bad.utf8), data: Self.tweet) == Array(bad.utf8), "\(bad)")
        }
        for bad in ["[[1,4,2,0]]", "[[1,0,2,6]]", "[[1,0,9,0]]", "[[1,0,5,0],[1,0,2,0]]x", "[[1,0,2]]"] {
            #expect(CompactAnnotations.expandRelationships(Array(bad.utf8), data: Self.tweet) == Array(bad.utf8), "\(bad)")
        }
    }
}
