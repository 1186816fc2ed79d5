import LakeCore
import LakeIngest
import Testing

/// The entry-safety rules on their own: every decision, and the order the rules are applied in.
@Suite struct EntryPolicyTests {
    static let policy = EntryPolicy(maxFileBytes: 1000, maxDepth: 3, hasPasswords: false)

    static func entry(
        _ path: String, _ kind: ArchiveEntry.Kind = .file, size: Int64? = 10, link: String? = nil, encrypted: Bool = false,
        problem: EntryNameProblem? = nil
    ) -> ArchiveEntry {
        ArchiveEntry(
            path: path, kind: kind, declaredSize: size, permissions: 0o644, modified: nil, linkTarget: link, isEncrypted: encrypted,
            nameProblem: problem)
    }

    static func rule(_ d: EntryPolicy.Decision) -> String? {
        if case .refuse(let rule, _, _) = d { return rule.rawValue }
        return nil
    }

    @Test(
        arguments: [
            ("data/tweets.js", nil), ("/etc/passwd", "archive.unsafe_path"), ("\\windows\\x", "archive.unsafe_path"),
            ("a/../../b", "archive.unsafe_path"), ("a\\..\\b", "archive.unsafe_path"), ("C:/x.json", "archive.unsafe_path"),
            ("a\u{0}b", "archive.unsafe_path"), ("..data/x", nil), ("a/./b", nil),
        ] as [(String, String?)])
    func paths(path: String, expected: String?) {
        #expect(Self.rule(Self.policy.decide(Self.entry(path), depth: 1)) == expected)
    }

    @Test(
        arguments: [
            ("a/link", ArchiveEntry.Kind.symlink, "../b", nil), ("a/link", .symlink, "../../b", "archive.unsafe_link"),
            ("link", .symlink, "/etc/shadow", "archive.unsafe_link"), ("a/b/link", .symlink, "./../../c", nil),
            ("x", .hardlink, "a/../../y", "archive.unsafe_link"), ("x", .hardlink, "a/y", nil),
            ("dev", .special, nil, "archive.special_file"),
        ] as [(String, ArchiveEntry.Kind, String?, String?)])
    func links(path: String, kind: ArchiveEntry.Kind, target: String?, expected: String?) {
        let d = Self.policy.decide(Self.entry(path, kind, link: target), depth: 1)
        #expect(Self.rule(d) == expected)
        if expected == nil { #expect(d == .catalogue) }
    }

    @Test func directoriesAreCataloguedOnly() {
        #expect(Self.policy.decide(Self.entry("data/", .directory), depth: 1) == .catalogue)
    }

    @Test func encryptionSizeAndNesting() {
        #expect(Self.rule(Self.policy.decide(Self.entry("a.json", encrypted: true), depth: 1)) == "archive.encrypted")
        var withPasswords = Self.policy
        withPasswords.hasPasswords = true
        #expect(withPasswords.decide(Self.entry("a.json", encrypted: true), depth: 1) == .read(nestedArchive: false))
        // The declared size: over the limit refused, with that size recorded; unknown read.
        #expect(
            Self.policy.decide(Self.entry("big.json", size: 1001), depth: 1)
                == .refuse(
                    .entryTooLarge, size: 1001,
                    message: "declared size 1001 is over the single-file limit of 1000"))
        #expect(Self.policy.decide(Self.entry("big.json", size: nil), depth: 1) == .read(nestedArchive: false))
        // Archives nest to depth 3: one found at depth 2 is opened, at depth 3 refused.
        #expect(Self.policy.decide(Self.entry("x/inner.TAR.GZ"), depth: 2) == .read(nestedArchive: true))
        #expect(Self.rule(Self.policy.decide(Self.entry("x/inner.zip"), depth: 3)) == "archive.nesting_limit")
        #expect(Self.policy.decide(Self.entry("x/one.gz"), depth: 3) == .read(nestedArchive: false))
    }

    /// The name rules come first: a NUL or a disagreeing central directory refuses even what
    /// would be refused for another reason.
    @Test func nameProblemsComeFirst() {
        let nul = EntryNameProblem(kind: .nul, central: "a\\0.json", local: "a\\0.json")
        let mismatch = EntryNameProblem(kind: .mismatch, central: "safe.json", local: "../evil.json")
        #expect(Self.rule(Self.policy.decide(Self.entry("a", problem: nul), depth: 1)) == "archive.unsafe_path")
        #expect(Self.rule(Self.policy.decide(Self.entry("../evil.json", problem: mismatch), depth: 1)) == "archive.name_mismatch")
        #expect(Self.rule(Self.policy.decide(Self.entry("/abs", .symlink, link: "/x"), depth: 1)) == "archive.unsafe_path")
    }

    @Test func libarchiveErrorsAreTypedByTheirText() {
        func rule(_ message: String) -> String {
            ArchiveError(code: .fatal, message: message, path: "a.zip", entry: nil).rule(otherwise: .archiveCorrupt).rawValue
        }
        #expect(rule("Passphrase required for this entry") == "archive.encrypted")
        #expect(rule("Decryption is unsupported") == "archive.encrypted")
        #expect(rule("RAR solid archive support unavailable") == "archive.unsupported")
        #expect(rule("Truncated ZIP file data") == "archive.corrupt")
    }
}
