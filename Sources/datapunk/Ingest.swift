import ArgumentParser
import Foundation
import LakeCore
import LakeCorpus
import LakePipeline
import LakeStore

extension ProgressMode: ExpressibleByArgument {}

/// `100MB`, `64KB`, `1GB` (binary multiples) or a plain byte count.

/// How a job runs, for `ingest` and `resume`: none of it changes the output.
struct RunOptions: ParsableArguments {
    @Option(
        name: .customLong("rules"),
        help: "A folder of your own YARA rules (.yar), scanned with the built-in ones; may be repeated. Part of the job.")
    var rules: [String] = []

    @Option(
        name: .customLong("clamav-db"),
        help: "ClamAV's signature database folder (default: ClamAV's own, used when it is there). Part of the job.")
    var clamavDB: String?

    @Flag(name: .customLong("no-clamav"), help: "Do not scan with ClamAV even when a signature database is there.")
    var noClamAV = false

    @Option(
        name: .customLong("pii-patterns"),
        help: "A JSON file of your own PII patterns (docs/SPEC.md 5.10), found with the built-in types; may be repeated. Part of the job.")
    var piiPatterns: [String] = []

    @Option(help: "Workers mapping records (default 4; any value gives the same output).")
    var parallel: Int?

    @Option(help: "Input bytes per chunk, the unit of commit, checkpoint and progress: 100MB, 1MB, 65536 (default 100MB).")
    var chunkSize: String?

    @Option(
        help:
            "Progress on stderr: auto (a bar on a terminal, else nothing), bar, plain (a line per chunk), json (an event per chunk), none.")
    var progress: ProgressMode = .auto

    @Option(help: "Post alerts (error rate over 5%, a chunk slower than 5 minutes, memory over 80%) as JSON to this http(s) URL.")
    var alertWebhook: String?

    @Option(help: "Seconds one libarchive read may take before the archive counts as stalled: the job fails, exit 3 (default 60).")
    var archiveTimeout: Double?

    @Option(help: "Staging folder for downloads and standard input, inside the lake (a relative path; default staging).")
    var staging: String?

    @Option(help: "A file whose lines are passwords for encrypted archive entries, tried in order (never stored in the lake).")
    var passwordFile: String?

    func validate() throws {
        if let p = parallel, !(1...64).contains(p) { throw ValidationError("--parallel must be 1 to 64") }
        if let c = chunkSize, ByteSize.parse(c) == nil { throw ValidationError("--chunk-size must look like 100MB, 1MB or 65536") }
        if let s = staging, s.isEmpty || s.hasPrefix("/") || s.split(separator: "/").contains("..") {
            throw ValidationError("--staging must be a relative folder inside the lake, without ..")
        }
        if let f = passwordFile, !isReadableRegularFile(f) { throw ValidationError("--password-file: \(f) is not a readable file") }
        if let a = archiveTimeout, !(a > 0) { throw ValidationError("--archive-timeout must be more than 0 seconds") }
        if let u = alertWebhook,
            !(u.hasPrefix("http://") || u.hasPrefix("https://")) || URLComponents(string: alertWebhook ?? "")?.host?.isEmpty != false
        {
            throw ValidationError("--alert-webhook must be an http:// or https:// URL with a host")
        }
    }

    func apply(to options: inout IngestOptions) {
        options.notice = { TerminalLine.writeError("datapunk: " + $0) }
        options.ruleFolders = rules
        options.piiPatternFiles = piiPatterns
        options.clamav = noClamAV ? .off : clamavDB.map { .database($0) } ?? .auto
        if let p = parallel { options.run.parallelChunks = p }
        if let c = chunkSize.flatMap(ByteSize.parse) { options.run.chunkSizeBytes = c }
        if let a = archiveTimeout { options.run.archiveCallTimeoutSeconds = a }
        options.stagingFolder = staging
        if let f = passwordFile, let data = FileManager.default.contents(atPath: f) {
            // One password per line, LF or CR LF (a CR LF pair is one `Character`: splitting at
            // "\n" alone kept a Windows-written file as one password).
            options.passphrases = String(decoding: data, as: UTF8.self)
                .split(omittingEmptySubsequences: true, whereSeparator: { $0.unicodeScalars.allSatisfy { $0 == "\n" || $0 == "\r" } })
                .map(String.init)
        }
        options.progress = progress
        options.alertWebhook = alertWebhook
        // SIGINT and SIGTERM pause the job at the next chunk boundary instead of killing it.
        let stop = StopRequest()
        stop.installSignalHandlers()
        options.stop = stop
    }
}

extension Datapunk {
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Ingest one export (an archive, a folder, - for stdin, or an http/https/file URL; several Takeout parts together) into a lake.",
            discussion: """
                Mapped: Twitter/X archives (tweets, likes, account, followers, every other window.YTD file \
                as generic records); Google Takeout (mail, My Activity in JSON and HTML, Location History, \
                Semantic Location, Timeline, Chrome, Photos sidecars, contacts, calendars, and any other \
                JSON or CSV, with its time); Facebook (posts, comments, reactions, friends, messages); and \
                single .eml, .ics, .vcf, JSON and CSV files. Folders named in the account's language are \
                recognised by content; UTF-16 files and declared charsets are converted. Any archive format \
                libarchive reads is opened in place, never unpacked; every entry is hashed (SHA-256, XXH64) \
                and typed (libmagic + content check) in the catalog, and scanned with YARA before it is \
                parsed: one a rule matches is quarantined in the lake, never loaded (datapunk quarantine). \
                Unsafe paths and links, encrypted \
                entries without --password-file and corrupt entries are refused by name, and one bad record \
                costs that record only, while the rest loads. Re-running the same ingest continues an \
                unfinished job and does nothing for a finished one; an element another export of the same \
                account already brought (two Takeouts a month apart) is kept once, the record first in \
                export order naming the others in its lineage (docs/SPEC.md 5.11). Exit status: 0 all loaded, 1 some \
                entries or records rejected (or paused by SIGINT/SIGTERM), 2 usage, 3 an input, the lake or \
                the machine refused (docs/SPEC.md 7.3), 4 a bug.
                """)

        @Argument(help: "The export: archive or folder paths, - for standard input, or http://, https:// or file:// URLs.")
        var inputs: [String]

        @OptionGroup var lake: LakeOptions

        @Option(help: "The user the records belong to (default: the account in the export).")
        var user: String?

        @Option(help: "Expected SHA-256 (hex) of the input (a file, standard input or a download); a mismatch refuses it.")
        var sha256: String?

        @Option(help: "PEM file of the certificate authorities to check https inputs against, instead of the system's.")
        var caFile: String?

        @Option(
            name: .customLong("netrc-file"),
            help:
                "A netrc file (machine HOST login USER password PASS) with the credentials of URL inputs; credentials in a URL are used but never stored or printed."
        )
        var netrcFile: String?

        @OptionGroup var how: RunOptions

        @Flag(help: "Only queue the job (inputs are received and hashed); `datapunk resume --queued` runs the queue.")
        var enqueue = false

        @Option(help: "Priority in the queue: \(JobPriority.allCases.map(\.rawValue).joined(separator: ", ")).")
        var priority: JobPriority = .normal

        @Option(
            help:
                "Safety limit: the deepest nesting of one JSON record, refused past it (default 256, at most \(Self.depthCeiling)). The design's depth of 10 is reported as a finding."
        )
        var maxJsonDepth: Int?

        @Option(
            help:
                "Safety limit: the largest single JSON record in bytes, refused past it (default 67108864). The design's 100 MB file size is reported as a finding."
        )
        var maxJsonBytes: Int64?

        @Flag(
            help: "The design's thresholds refuse instead of being findings: a JSON record nested deeper than 10, a JSON file over 100 MB.")
        var strict = false

        /// Every recursive stage holds this depth on a worker thread's stack (IngestEndToEndTests).
        static let depthCeiling = 1000

        func validate() throws {
            if let sha256, sha256.count != 64 || !sha256.allSatisfy(\.isHexDigit) {
                throw ValidationError("--sha256 must be 64 hexadecimal digits")
            }
            if let d = maxJsonDepth, d < 1 || d > Self.depthCeiling {
                throw ValidationError("--max-json-depth must be between 1 and \(Self.depthCeiling)")
            }
            if let b = maxJsonBytes, b < 1 { throw ValidationError("--max-json-bytes must be at least 1") }
            if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw ValidationError("--ca-file \(caFile) is not a readable file")
            }
            if let netrcFile, !isReadableRegularFile(netrcFile) {
                throw ValidationError("--netrc-file \(netrcFile) is not a readable file")
            }
        }

        func run() throws {
            var options = IngestOptions()
            options.lakeDirectory = lake.lake
            options.user = user
            options.expectedSHA256 = sha256
            options.caFile = caFile
            options.netrcFile = netrcFile
            if let d = maxJsonDepth { options.thresholds.maxJSONDepth = d }
            if let b = maxJsonBytes { options.thresholds.maxJSONBytes = b }
            options.thresholds.strict = strict
            how.apply(to: &options)
            options.enqueue = enqueue
            options.priority = priority
            try Self.report(IngestJob(options: options), inputs: inputs)
        }

        /// Runs `job` and prints its summary; the exit status follows DESIGN.md.
        static func report(_ job: IngestJob, inputs: [String]) throws {
            let summary = try reporting { try job.run(inputs: inputs) }
            let out = StandardOutput()
            out.write(
                "job \(summary.jobID): \(summary.state.rawValue)\(summary.alreadyComplete ? " (already ingested; nothing done)" : "")\n")
            for i in summary.inputs {
                out.write("input \(i.name): \(i.format), \(i.size) bytes, sha256 \(i.sha256)\n")
                out.write(
                    "  \(i.files) files, \(i.parsedFiles) parsed, \(i.records) records, \(i.rejectedFiles) rejected"
                        + (i.rejectedRecords > 0 ? ", \(i.rejectedRecords) records rejected" : "")
                        + (i.quarantinedFiles > 0 ? ", \(i.quarantinedFiles) quarantined" : "")
                        + (i.mergedRecords > 0 ? ", \(i.mergedRecords) merged into the same records of another export" : "") + "\n")
                if i.validation.piiRecords > 0 {
                    let types = i.validation.findingsByType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                    out.write("  \(i.validation.piiRecords) records with PII: \(types.joined(separator: ", "))\n")
                }
            }
            if !summary.securityEngines.isEmpty { out.write("security scan: \(summary.securityEngines.joined(separator: "; "))\n") }
            // Design thresholds gone past: reported, nothing refused (docs/SPEC.md 7.3).
            for f in summary.findings { out.write("  finding \(f.description)\n") }
            try reporting { try out.flush() }
            for e in summary.errors {
                TerminalLine.writeError("datapunk: \(e)")
            }
            if summary.state == .queued { return }
            if summary.state == .paused {
                TerminalLine.writeError("datapunk: job \(summary.jobID) paused; continue with `datapunk resume \(summary.jobID)`")
                throw ExitCode(ExitStatus.rejectedItems)
            }
            for e in summary.alertFailures {
                TerminalLine.writeError("datapunk: alert not delivered: \(e)")
            }
            if !summary.errors.isEmpty { throw ExitCode(ExitStatus.rejectedItems) }
        }
    }
}

/// A file that exists, is not a folder (or a device), and can be read.
func isReadableRegularFile(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG && access(path, R_OK) == 0
}

extension JobPriority: ExpressibleByArgument {}
