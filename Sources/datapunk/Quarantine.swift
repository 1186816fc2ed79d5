import ArgumentParser
import Foundation
import LakeCore
import LakeStore

extension Datapunk {
    /// The files the security scan quarantined: list them, show one, release one (a copy out of
    /// the lake, for a person who decided it is safe; the quarantined bytes stay).
    struct Quarantine: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, show or release the files the security scan quarantined.",
            subcommands: [List.self, Show.self, Release.self], defaultSubcommand: List.self)

        /// The rows of the file with this SHA-256 (any case).
        /// - Throws: `quarantine.not_found` (usage) when there is none.
        static func rows(_ sha256: String, in store: Lake) throws -> [Lake.QuarantineRow] {
            let rows = try store.quarantined().filter { $0.sha256 == sha256.lowercased() }
            guard !rows.isEmpty else {
                throw LakeError(.quarantineNotFound, scope: .usage, input: sha256, message: "no quarantined file has this SHA-256")
            }
            return rows
        }

        static func json(_ q: Lake.QuarantineRow, lake: Lake) -> JSONValue {
            .object([
                .init("sha256", .string(q.sha256)), .init("xxh64", .string(q.xxh64)), .init("size", .number(String(q.size))),
                .init("job_id", .string(q.jobID)), .init("input", .string(q.input)), .init("entry_index", .number(String(q.entryIndex))),
                .init("path", .string(q.path)), .init("engine", .string(q.engine)), .init("rules", .string(q.rules)),
                .init("quarantined_at", .string(q.quarantinedAt)), .init("stored", .string(lake.quarantinePath(sha256: q.sha256))),
                .init("released_at", q.releasedAt.map { .string($0) } ?? .null),
                .init("released_to", q.releasedTo.map { .string($0) } ?? .null),
            ])
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "One line per quarantined file (or canonical JSON with --json).")
            @OptionGroup var lake: LakeOptions
            @Flag(help: "Print one canonical JSON object per file.")
            var json = false

            func run() throws {
                try reporting {
                    let store = try lake.open()
                    let out = StandardOutput()
                    for q in try store.quarantined() {
                        if json {
                            out.write(CanonicalJSON.encode(Quarantine.json(q, lake: store)))
                            out.write("\n")
                        } else {
                            let released = q.releasedTo.map { "  released to \(TerminalLine.escape($0))" } ?? ""
                            out.write(
                                "\(q.sha256)  \(q.size)  \(q.engine):\(q.rules)  \(TerminalLine.escape(q.input)):\(TerminalLine.escape(q.path))\(released)\n"
                            )
                        }
                    }
                    try out.flush()
                }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Everything recorded about one quarantined file, as canonical JSON.")
            @Argument(help: "The file's SHA-256 (as `quarantine list` prints it).")
            var sha256: String
            @OptionGroup var lake: LakeOptions

            func run() throws {
                try reporting {
                    let store = try lake.open()
                    let out = StandardOutput()
                    for q in try Quarantine.rows(sha256, in: store) {
                        out.write(CanonicalJSON.encode(Quarantine.json(q, lake: store)))
                        out.write("\n")
                    }
                    try out.flush()
                }
            }
        }

        struct Release: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Copy a quarantined file out to a folder (0600, under its original name) and record that it was released.")
            @Argument(help: "The file's SHA-256.")
            var sha256: String
            @Option(help: "The folder to copy it into (outside the lake; created if missing).")
            var to: String
            @OptionGroup var lake: LakeOptions

            func run() throws {
                try reporting {
                    let store = try lake.open()
                    let digest = sha256.lowercased()
                    let q = try Quarantine.rows(digest, in: store)[0]
                    let folder = URL(fileURLWithPath: to).standardizedFileURL.path
                    let lakeRoot = URL(fileURLWithPath: store.directory).standardizedFileURL.path
                    if folder == lakeRoot || folder.hasPrefix(lakeRoot + "/") {
                        throw LakeError(.outputRefused, scope: .usage, input: to, message: "is inside the lake; release the file elsewhere")
                    }
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    let name = (q.path as NSString).lastPathComponent
                    let destination = folder + "/" + (name.isEmpty ? digest : name)
                    guard !FileManager.default.fileExists(atPath: destination) else {
                        throw LakeError(
                            .outputRefused, scope: .usage, input: destination, message: "exists already; nothing is overwritten")
                    }
                    guard let bytes = FileManager.default.contents(atPath: store.quarantinePath(sha256: digest)) else {
                        throw LakeError(
                            .lakeCorrupt, scope: .input, input: digest, message: "the quarantined bytes are missing from the lake")
                    }
                    guard FileManager.default.createFile(atPath: destination, contents: bytes, attributes: [.posixPermissions: 0o600])
                    else {
                        throw LakeError(.outputWrite, scope: .input, input: destination, message: "cannot be written")
                    }
                    try store.markReleased(sha256: digest, to: destination)
                    try store.appendAudit(command: "quarantine release", jobID: q.jobID, counts: [("files", 1)])
                    let out = StandardOutput()
                    out.write("released \(digest) to \(TerminalLine.escape(destination))\n")
                    try out.flush()
                }
            }
        }
    }
}
