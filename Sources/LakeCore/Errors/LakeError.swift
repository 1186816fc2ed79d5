/// The one error type that crosses stage boundaries: it names the input, the entry inside
/// it, the rule that was broken and where, so the CLI can print one clear line.
///
/// ```swift
/// throw LakeError(.inputNotFound, scope: .input, input: "x.zip", message: "no such file")
/// // datapunk: input 'x.zip': rule input.not_found: no such file
/// ```
///
/// Personal data never goes into `message`; parsers report positions, not values.
public struct LakeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// How much of the work the error takes down; the CLI maps this to an exit status.
    public enum Scope: String, Sendable, Equatable {
        /// One entry (a file inside an export, a record) was rejected; the rest went on. Exit 1.
        case entry
        /// The input was refused as a whole. Exit 3.
        case input
        /// The command line was wrong. Exit 2.
        case usage
        /// A bug or an environment failure (disk full, database locked for good). Exit 4.
        case `internal`
    }

    public var rule: Rule
    public var scope: Scope
    public var input: String?
    public var entry: String?
    /// Where inside the entry, for example "byte 812, line 14".
    public var location: String?
    public var message: String

    public init(
        _ rule: Rule, scope: Scope, input: String? = nil, entry: String? = nil,
        location: String? = nil, message: String
    ) {
        self.rule = rule
        self.scope = scope
        self.input = input
        self.entry = entry
        self.location = location
        self.message = message
    }

    /// The same error with the input and entry filled in where they were missing.
    public func located(input: String? = nil, entry: String? = nil) -> LakeError {
        var copy = self
        if copy.input == nil { copy.input = input }
        if copy.entry == nil { copy.entry = entry }
        return copy
    }

    /// One line: control characters in names and messages are escaped (`TerminalLine`).
    public var description: String {
        var parts: [String] = []
        if let input { parts.append("input '\(input)'") }
        if let entry { parts.append("entry '\(entry)'") }
        parts.append("rule \(rule.rawValue)")
        var text = parts.joined(separator: ": ") + ": " + message
        if let location { text += " (\(location))" }
        return TerminalLine.escape(text)
    }
}

extension LakeError {
    /// A named rule; the raw value is stable and documented in docs/SPEC.md.
    public struct Rule: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let inputNotFound = Rule("input.not_found")
        public static let inputUnreadable = Rule("input.unreadable")
        public static let inputUnsupported = Rule("input.unsupported_format")
        public static let inputTooLarge = Rule("input.too_large")
        public static let batchTooLarge = Rule("input.batch_too_large")
        public static let inputHashMismatch = Rule("input.sha256_mismatch")
        public static let downloadFailed = Rule("download.failed")
        public static let archiveCorrupt = Rule("archive.corrupt")
        public static let archiveEntryCorrupt = Rule("archive.entry_corrupt")
        public static let archiveUnsafePath = Rule("archive.unsafe_path")
        /// A zip entry whose central-directory name is not its local header's.
        public static let archiveNameMismatch = Rule("archive.name_mismatch")
        public static let archiveTooLarge = Rule("archive.too_large")
        public static let archiveEncrypted = Rule("archive.encrypted")
        public static let archiveUnsupported = Rule("archive.unsupported")
        public static let archiveStalled = Rule("archive.stalled")
        public static let archiveUnsafeLink = Rule("archive.unsafe_link")
        public static let archiveSpecialFile = Rule("archive.special_file")
        public static let archiveRatioLimit = Rule("archive.ratio_limit")
        public static let archiveDeclaredSize = Rule("archive.declared_size")
        public static let archiveEntryLimit = Rule("archive.entry_limit")
        public static let archiveNestingLimit = Rule("archive.nesting_limit")
        public static let entryTooLarge = Rule("entry.too_large")
        public static let twitterWrapper = Rule("twitter.wrapper")
        public static let twitterRecord = Rule("twitter.record")
        /// An element of a JSON export file that its mapper cannot read (not an object where one is needed).
        public static let recordInvalid = Rule("record.invalid")
        public static let timestampInvalid = Rule("timestamp.invalid")
        public static let lakeStorage = Rule("lake.storage")
        public static let lakeMissing = Rule("lake.not_found")
        public static let lakeDiskFull = Rule("lake.disk_full")
        public static let lakeReadOnly = Rule("lake.read_only")
        public static let lakeCorrupt = Rule("lake.corrupt")
        /// The catalog was written by a later schema than this build's (its rows may be in forms this build misreads).
        public static let lakeNewerVersion = Rule("lake.newer_version")
        public static let lakeLocked = Rule("lake.locked")
        public static let lakeUnsafeLink = Rule("lake.unsafe_link")
        public static let lakeUnreadable = Rule("lake.unreadable")
        /// `--lake` names a folder that holds other files and no lake.
        public static let lakeNotALake = Rule("lake.not_a_lake")
        /// `restore` names a partition the lake holds in no warm or cold file.
        public static let partitionNotFound = Rule("partition.not_found")
        /// Standard output or an `--output` file could not be written (disk full, closed).
        public static let outputWrite = Rule("output.write_failed")
        /// `--output` names a place the result must not go (inside the lake, an existing folder).
        public static let outputRefused = Rule("output.refused")
        public static let internalError = Rule("internal")
        public static let inputSpecialFile = Rule("input.special_file")
        public static let inputChanged = Rule("input.changed")
        public static let jobInterrupted = Rule("job.interrupted")
        public static let jobInputsChanged = Rule("job.inputs_changed")
        public static let jobFailureThreshold = Rule("job.failure_threshold")
        public static let jobNotFound = Rule("job.not_found")
        public static let jobNotResumable = Rule("job.not_resumable")
        public static let alertWebhookFailed = Rule("alert.webhook_failed")
        /// Findings: measured past a design threshold, loaded all the same (refused under `--strict`).
        public static let jsonDepthOverDesign = Rule("json.depth_over_design")
        public static let jsonSizeOverDesign = Rule("json.size_over_design")
        /// Findings of format verification: a JPEG side past 8192 pixels, a PNG past 50 MB, an
        /// MP4/MOV past 4 hours.
        public static let mediaDimensionsOverDesign = Rule("media.dimensions_over_design")
        public static let mediaSizeOverDesign = Rule("media.size_over_design")
        public static let mediaDurationOverDesign = Rule("media.duration_over_design")
        /// The security scan (validation stage): a rule file that does not compile, a scan that
        /// ran too long or failed.
        public static let securityRulesInvalid = Rule("security.rules_invalid")
        /// An entry the security scan matched: quarantined, never parsed.
        public static let securityMalwareSignature = Rule("security.malware_signature")
        /// `datapunk quarantine show|release` of a SHA-256 no quarantined file has.
        public static let quarantineNotFound = Rule("quarantine.not_found")
        public static let securityScanTimeout = Rule("security.scan_timeout")
        public static let securityScanFailed = Rule("security.scan_failed")
        /// A schema that ships does not read (a bug), and a record that breaks its file's schema (a finding).
        public static let schemaInvalid = Rule("schema.invalid")
        public static let schemaViolation = Rule("schema.violation")
        /// A CSV header with an empty or repeated column name, or a known file missing its columns (a finding).
        public static let csvHeader = Rule("csv.header")
        /// An entry read by its name (a `.json`, a `.csv`) whose bytes carry another format's
        /// signature (PNG, zip, PDF…): refused before it is parsed.
        public static let detectionExtensionMismatch = Rule("detection.extension_mismatch")
        /// A `--pii-patterns` file that does not read, or a pattern in it that does not compile.
        public static let piiPatternsInvalid = Rule("pii.patterns_invalid")
        public static let corpusScale = Rule("corpus.scale")
        public static let corpusProfile = Rule("corpus.profile")
    }
}
