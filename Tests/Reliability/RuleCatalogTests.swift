import Foundation
import Testing
import _LakeTestSupport

/// Every rule name the sources can raise is listed in docs/SPEC.md (section 7.3): a rule
/// added without its documentation fails here.
@Suite struct RuleCatalogTests {
    static func ruleNames(in text: String) -> Set<String> {
        var out = Set<String>()
        let patterns = [
            #"Rule\("([a-z_]+\.[a-z_.]+)"\)"#, #"\.init\("([a-z_]+\.[a-z_]+)"\)"#, #"rule: "([a-z_]+\.[a-z_]+)""#,
            #"case [a-zA-Z]+ = "([a-z_]+\.[a-z_]+)""#, #"var rule: String \{ "([a-z_]+\.[a-z_]+)" \}"#,
        ]
        for pattern in patterns {
            let regex = try! NSRegularExpression(pattern: pattern)
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let r = Range(m.range(at: 1), in: text) { out.insert(String(text[r])) }
            }
        }
        return out
    }

    @Test func everyRuleIsInTheSpec() throws {
        let sources = TestPaths.root + "/Sources"
        var rules = Set<String>()
        let walker = FileManager.default.enumerator(atPath: sources)
        while let path = walker?.nextObject() as? String {
            guard path.hasSuffix(".swift"), !path.hasPrefix("_Lake") else { continue }
            rules.formUnion(Self.ruleNames(in: String(decoding: TestPaths.read(sources + "/" + path), as: UTF8.self)))
        }
        #expect(rules.count >= 60, "\(rules.count) rules found")
        let spec = String(decoding: TestPaths.read(TestPaths.root + "/docs/SPEC.md"), as: UTF8.self)
        let missing = rules.filter { !spec.contains("`\($0)`") }.sorted()
        #expect(missing.isEmpty, "not in docs/SPEC.md: \(missing)")
    }

    /// And the other way: every rule section 7.3 lists is one the sources name (except the
    /// ones it marks as not raised yet), so the list is the closed catalogue of rules.
    @Test func everyRuleInTheSpecIsRaised() throws {
        let spec = String(decoding: TestPaths.read(TestPaths.root + "/docs/SPEC.md"), as: UTF8.self)
        let section = try #require(spec.range(of: "### 7.3 Rules").map { String(spec[$0.upperBound...].prefix { $0 != "#" }) })
        let regex = try NSRegularExpression(pattern: "`([a-z_]+\\.[a-z_.]+)`")
        var listed = Set<String>()
        for m in regex.matches(in: section, range: NSRange(section.startIndex..., in: section)) {
            if let r = Range(m.range(at: 1), in: section) { listed.insert(String(section[r])) }
        }
        let notYet = Set<String>()
        #expect(listed.count >= 70, "\(listed.count)")
        var sources = ""
        let root = TestPaths.root + "/Sources"
        let walker = FileManager.default.enumerator(atPath: root)
        while let path = walker?.nextObject() as? String {
            guard path.hasSuffix(".swift"), !path.hasPrefix("_Lake") else { continue }
            sources += String(decoding: TestPaths.read(root + "/" + path), as: UTF8.self)
        }
        let unraised = listed.subtracting(notYet).filter { !sources.contains("\"\($0)\"") }.sorted()
        #expect(unraised.isEmpty, "listed in SPEC 7.3, named nowhere in Sources: \(unraised)")
        #expect(notYet.allSatisfy { section.contains("`\($0)`") })
    }
}
