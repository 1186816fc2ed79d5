import LakeCore

/// The entry-safety rules: what happens to an archive entry before a byte of its data is read.
/// Refused (with the rule and message its error row gets), only catalogued (directories, and
/// links that stay inside the archive), or read (as a file, or opened as a nested archive).
///
/// ```swift
/// let policy = EntryPolicy(maxFileBytes: 10 << 30, maxDepth: 5, hasPasswords: false)
/// switch policy.decide(entry, depth: 1) { case .refuse(let rule, _, let why): ... }
/// ```
public struct EntryPolicy: Sendable {
    /// The single-file limit checked against the size the archive declares.
    public var maxFileBytes: Int64
    /// Archives are opened to this depth (the input is depth 1).
    public var maxDepth: Int
    /// Whether `--password-file` gave any: without, an encrypted entry is refused unread.
    public var hasPasswords: Bool

    public init(maxFileBytes: Int64, maxDepth: Int, hasPasswords: Bool) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.hasPasswords = hasPasswords
    }

    public enum Decision: Equatable, Sendable {
        /// Read the entry's data; `nestedArchive`: open it as an archive, one level deeper.
        case read(nestedArchive: Bool)
        /// Catalogue it (`skipped`), read nothing.
        case catalogue
        /// Refuse it unread; `size` is what the catalog records (the declared size when it matters).
        case refuse(LakeError.Rule, size: Int64?, message: String)
    }

    /// The rules in order: the name (what the archive's own bytes disagree on, then the path),
    /// links and special files, what is not a file, encryption, the declared size, nesting depth.
    public func decide(_ entry: ArchiveEntry, depth: Int) -> Decision {
        if let problem = entry.nameProblem {
            return .refuse(problem.kind == .nul ? .archiveUnsafePath : .archiveNameMismatch, size: nil, message: problem.message)
        }
        if let reason = Self.unsafePathReason(entry.path) {
            return .refuse(.archiveUnsafePath, size: nil, message: "\(reason); entry refused")
        }
        if let reason = Self.unsafeLinkReason(entry) {
            return .refuse(
                entry.kind == .special ? .archiveSpecialFile : .archiveUnsafeLink, size: nil, message: "\(reason); entry refused")
        }
        guard entry.kind == .file else { return .catalogue }
        if entry.isEncrypted && !hasPasswords {
            return .refuse(
                .archiveEncrypted, size: entry.declaredSize, message: "the entry is encrypted; give its password with --password-file")
        }
        if let declared = entry.declaredSize, declared > maxFileBytes {
            return .refuse(
                .entryTooLarge, size: declared, message: "declared size \(declared) is over the single-file limit of \(maxFileBytes)")
        }
        let nested = Self.isArchiveName(entry.path)
        if nested && depth >= maxDepth {
            return .refuse(
                .archiveNestingLimit, size: entry.declaredSize,
                message: "an archive nested \(depth + 1) deep; archives are opened to depth \(maxDepth)")
        }
        return .read(nestedArchive: nested)
    }

    /// Names of entries opened as nested archives (a lone `.gz` is not: it holds one file).
    public static func isArchiveName(_ path: String) -> Bool {
        let p = path.lowercased()
        return [".zip", ".7z", ".rar", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst"]
            .contains { p.hasSuffix($0) }
    }

    /// Path rules for archive entries: relative, no `..` component, no NUL, no drive letter.
    public static func unsafePathReason(_ path: String) -> String? {
        if path.hasPrefix("/") || path.hasPrefix("\\") { return "absolute path" }
        if path.utf8.contains(0) { return "NUL in path" }
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if parts.contains("..") { return "`..` in path" }
        if let first = parts.first, first.count == 2, first.hasSuffix(":") { return "drive-letter path" }
        return nil
    }

    /// Link and special-file rules: a symbolic or hard link whose target is absolute or climbs
    /// out of the archive's root (resolved from the link's own folder; a hard link's target is
    /// a path from the root), and devices, pipes and sockets, are refused. Links are never
    /// followed either way; a link that stays inside is catalogued as `skipped`.
    public static func unsafeLinkReason(_ entry: ArchiveEntry) -> String? {
        switch entry.kind {
        case .special: return "device, pipe or socket"
        case .symlink, .hardlink:
            guard let target = entry.linkTarget, !target.isEmpty else { return nil }
            if target.hasPrefix("/") || target.hasPrefix("\\") { return "link to an absolute path" }
            var depth = entry.kind == .symlink ? entry.path.split(separator: "/").count - 1 : 0
            for part in target.split(separator: "/") {
                if part == ".." { depth -= 1 } else if part != "." { depth += 1 }
                if depth < 0 { return "link leaving the archive's root" }
            }
            return nil
        default: return nil
        }
    }
}

extension ArchiveError {
    /// The rule a libarchive error is filed under, typed by its text: about encryption,
    /// passwords or passphrases → `archive.encrypted`; "unsupported", "unavailable", "not
    /// supported" → `archive.unsupported`; otherwise `otherwise` (`archive.corrupt` for the
    /// archive or a header, `archive.entry_corrupt` for an entry's data).
    public func rule(otherwise: LakeError.Rule) -> LakeError.Rule {
        let m = message.lowercased()
        if m.contains("encrypt") || m.contains("passphrase") || m.contains("password") || m.contains("decrypt") { return .archiveEncrypted }
        if m.contains("unsupported") || m.contains("unavailable") || m.contains("not supported") { return .archiveUnsupported }
        return otherwise
    }
}
