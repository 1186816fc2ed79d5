import ArgumentParser
import Foundation
import LakeCore
import LakeStore
import LakeValidate

extension Datapunk {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the lake's records as canonical NDJSON (docs/SPEC.md), one per line.")

        @OptionGroup var lake: LakeOptions

        @Option(help: "Output format. Only ndjson exists.")
        var format: String = "ndjson"

        @Option(help: "Write to this file instead of stdout (replaced atomically).")
        var output: String?

        @Option(help: "Only this user's records.")
        var user: String?

        @Option(
            help:
                "Write the export's manifest here: SPEC version, records, SHA-256 (docs/SPEC.md 7). Default with --output: OUTPUT.manifest.json."
        )
        var manifest: String?

        @Flag(help: "Write no manifest beside --output.")
        var noManifest = false

        @Flag(help: "Mask every PII finding's text as [REDACTED:<TYPE>] (and email and phone entities); docs/SPEC.md 5.10.")
        var redact = false

        func validate() throws {
            if format != "ndjson" { throw ValidationError("--format: only ndjson is supported") }
            if output?.isEmpty == true { throw ValidationError("--output: give a file name") }
            if manifest?.isEmpty == true { throw ValidationError("--manifest: give a file name") }
            if manifest != nil && noManifest { throw ValidationError("--manifest and --no-manifest exclude each other") }
        }

        /// Every record line of the lake (redacted when asked), in export order, each also
        /// counted and hashed into `manifest`.
        static func lines(
            _ store: Lake, user: String?, redact: Bool, manifest: inout ExportManifest, _ body: ([UInt8]) throws -> Void
        ) throws {
            try store.export(user: user) { line in
                let out = redact ? try Redaction.redact(line) : line
                manifest.add(out)
                try body(out)
            }
        }

        /// The lines, each ending in a line feed, into `out`.
        static func lines(_ store: Lake, user: String?, redact: Bool, manifest: inout ExportManifest, to out: StandardOutput) throws {
            try lines(store, user: user, redact: redact, manifest: &manifest) { line in
                out.write(line)
                out.write([0x0A])
            }
        }

        /// Refuses a path inside the lake (it would overwrite the catalog).
        static func refuseInsideLake(_ path: String, _ store: Lake) throws {
            let lakeRoot = URL(fileURLWithPath: store.directory).resolvingSymlinksInPath().path
            let folder = (path as NSString).deletingLastPathComponent
            let parent = URL(fileURLWithPath: folder.isEmpty ? "." : folder).resolvingSymlinksInPath().path
            if parent == lakeRoot || parent.hasPrefix(lakeRoot + "/") {
                throw LakeError(
                    .outputRefused, scope: .usage, input: path,
                    message: "is inside the lake '\(store.directory)'; write the export elsewhere")
            }
        }

        /// Writes the export to `output` through a temporary file beside it (mode 0600) and a
        /// rename, so the file is whole or absent. Refused: an existing folder, and any path
        /// inside the lake. Every failed write is an error.
        static func write(_ store: Lake, user: String?, redact: Bool, to output: String, manifest: inout ExportManifest) throws {
            var st = stat()
            if stat(output, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
                throw LakeError(.outputRefused, scope: .usage, input: output, message: "is a folder; give a file name")
            }
            // A device or a pipe (`/dev/stdout`, a FIFO) is written to in place: renaming a file
            // over it would replace the device node.
            if stat(output, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
                let fd = open(output, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw LakeError(.outputWrite, scope: .input, input: output, message: "cannot open: \(String(cString: strerror(errno)))")
                }
                defer { close(fd) }
                let out = StandardOutput(fd: fd, name: output)
                try Self.lines(store, user: user, redact: redact, manifest: &manifest, to: out)
                try out.flush()
                return
            }
            try Self.refuseInsideLake(output, store)
            try AtomicFile.write(output) { out in
                try Self.lines(store, user: user, redact: redact, manifest: &manifest, to: out)
            }
        }

        func run() throws {
            try reporting {
                let store = try lake.open()
                // The default sidecar goes beside a file, never beside a device or a pipe.
                var st = stat()
                let toFile = output.map { stat($0, &st) != 0 || st.st_mode & S_IFMT == S_IFREG } ?? false
                let manifestPath = noManifest ? nil : manifest ?? (toFile ? output.map { $0 + ".manifest.json" } : nil)
                if let manifestPath { try Self.refuseInsideLake(manifestPath, store) }
                var sidecar = ExportManifest(kept: manifestPath != nil)
                if let output {
                    try Self.write(store, user: user, redact: redact, to: output, manifest: &sidecar)
                } else {
                    let out = StandardOutput()
                    try Self.lines(store, user: user, redact: redact, manifest: &sidecar, to: out)
                    try out.flush()
                }
                if let manifestPath {
                    let json = sidecar.json(user: user, redacted: redact)
                    try AtomicFile.write(manifestPath) { $0.write(json) }
                }
            }
        }
    }
}
