import CYara
import Foundation
import LakeCore

/// The security scan of the validation stage: YARA rules over a file's bytes, then ClamAV's
/// signatures when a database is there (`ClamAVEngine`). The rules that
/// ship with datapunk (`Rules/`: the EICAR test file, executables and scripts under a data
/// file's extension, Office macros, HTML that runs script) are compiled once, with any rule
/// files a user adds (`--rules DIR`). Rules see two external variables: `extension` (the
/// entry's, lowercased, without the dot) and `path` (the entry's path in its export).
///
/// ```swift
/// let scanner = try SecurityScanner()
/// let matches = try scanner.scan(bytes, path: "data/photo.jpg")   // [] for a real photo
/// ```
/// The compiled rules are shared: `scan` may run on several threads at once.
public final class SecurityScanner: @unchecked Sendable {
    /// One rule that matched.
    public struct Match: Equatable, Sendable, CustomStringConvertible {
        /// `yara` or `clamav`.
        public var engine: String
        /// `namespace:identifier`: the namespace is the rule file's name without `.yar`.
        public var rule: String
        public var description: String { "\(engine):\(rule)" }
    }

    private let rules: OpaquePointer
    /// ClamAV, when it runs (a signature database was found), after YARA on the same bytes.
    public let clamav: ClamAVEngine?
    /// The rule files compiled, built-in ones first (by file name), then the user's.
    public let ruleFiles: [String]
    public let ruleCount: Int
    /// How much of a file is scanned: its first 16 MiB (the whole of nearly every file in an
    /// export); what lies past it is not.
    public static let window = 16 << 20
    /// A scan running longer than this stops with `security.scan_timeout`.
    public let timeoutSeconds: Int32

    /// The folder of rules that ship with datapunk.
    public static var builtInRules: String? { Bundle.module.url(forResource: "Rules", withExtension: nil)?.path }

    /// Compiles the built-in rules and every `.yar`/`.yara` file in `userRuleFolders`.
    /// - Throws: `LakeError` `security.rules_invalid` (scope usage) naming the file and line of
    ///   the first error, or when a folder cannot be read.
    public init(userRuleFolders: [String] = [], includeBuiltIn: Bool = true, timeoutSeconds: Int32 = 300, clamav: ClamAVEngine? = nil)
        throws
    {
        self.clamav = clamav
        var files: [String] = []
        if includeBuiltIn {
            guard let folder = Self.builtInRules else {
                throw LakeError(.securityRulesInvalid, scope: .internal, message: "the built-in rules are missing from the package")
            }
            files += try Self.ruleFiles(in: folder)
        }
        for folder in userRuleFolders { files += try Self.ruleFiles(in: folder) }
        guard let compiler = dp_yara_compiler_create() else {
            throw LakeError(.securityRulesInvalid, scope: .internal, message: "YARA could not be initialised")
        }
        var firstError: String?
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                firstError = firstError ?? "\(file): cannot be read"
                continue
            }
            let source = String(decoding: data, as: UTF8.self)
            let space = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            var error = [CChar](repeating: 0, count: 1024)
            let count = dp_yara_compiler_add(compiler, source, space, file, &error, Int32(error.count))
            if count > 0 && firstError == nil { firstError = String(cBuffer: error) }
        }
        let compiled = dp_yara_compiler_finish(compiler)
        guard firstError == nil, let compiled else {
            throw LakeError(
                .securityRulesInvalid, scope: .usage, message: "a rule file does not compile: \(firstError ?? "YARA refused the rules")")
        }
        rules = compiled
        ruleFiles = files
        ruleCount = Int(dp_yara_rules_count(compiled))
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { dp_yara_rules_destroy(rules) }

    /// SHA-256 over the user's rule files (their names and bytes, in compile order): it goes
    /// into the job id, since other rules can quarantine other files.
    public static func digest(ofRuleFolders folders: [String]) throws -> String {
        let files = try folders.flatMap { try ruleFiles(in: $0) }
        guard let digest = FileDigester.sha256(namesAndBytesOf: files) else {
            throw LakeError(.securityRulesInvalid, scope: .usage, message: "a rule file cannot be read")
        }
        return digest
    }

    /// The rule files of `folder` (`.yar`, `.yara`), sorted by name so the order is the same everywhere.
    static func ruleFiles(in folder: String) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw LakeError(.securityRulesInvalid, scope: .usage, input: folder, message: "the rules folder cannot be read")
        }
        return names.filter { $0.hasSuffix(".yar") || $0.hasSuffix(".yara") }.sorted().map { folder + "/" + $0 }
    }

    /// The rules `bytes` (the whole file at `path` in its export) match, in rule order.
    /// - Throws: `LakeError` `security.scan_timeout` (scope entry) past the timeout, or
    ///   `security.scan_failed` when YARA fails otherwise.
    public func scan(_ bytes: [UInt8], path: String) throws -> [Match] {
        let name = (path as NSString).lastPathComponent
        let dot = name.lastIndex(of: ".")
        let ext = dot.map { String(name[name.index(after: $0)...]).lowercased() } ?? ""
        var out = [CChar](repeating: 0, count: 4096)
        var truncated: Int32 = 0
        let n = bytes.withUnsafeBufferPointer { buffer in
            dp_yara_scan(rules, buffer.baseAddress, buffer.count, ext, path, timeoutSeconds, &out, Int32(out.count), &truncated)
        }
        if n < 0 {
            // ERROR_SCAN_TIMEOUT is 26 in YARA 4.
            let timeout = n == -26
            throw LakeError(
                timeout ? .securityScanTimeout : .securityScanFailed, scope: .entry, entry: path,
                message: timeout ? "the YARA scan ran past \(timeoutSeconds) s" : "YARA failed with error \(-n)")
        }
        var matches = String(cBuffer: out).split(separator: "\n").map { Match(engine: "yara", rule: String($0)) }
        if truncated != 0 { matches.append(Match(engine: "yara", rule: "(more rules matched)")) }
        if let clamav, let signature = try clamav.scan(bytes, path: path) { matches.append(Match(engine: "clamav", rule: signature)) }
        return matches
    }
}
