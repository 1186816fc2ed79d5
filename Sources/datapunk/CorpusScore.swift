import ArgumentParser
import Foundation
import LakeCore
import LakeCorpus
import LakeParsers

extension Datapunk.Corpus {
    /// `datapunk corpus score`: an export's PII findings against a corpus's answer key.
    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score an export's PII findings against a generated corpus's manifest.json.",
            discussion: """
                Prints, per PII type, the planted values found (tp), the findings that are no planted valid value (fp), \
                the planted valid values missed (fn), precision and recall; then the same for exact and near duplicate \
                pairs. Exit 1 when a type with anything planted or found is under --min.
                """)

        @Option(help: "The corpus's manifest.json.")
        var manifest: String

        @Argument(help: "The export (canonical NDJSON, as `datapunk export` writes it); - for standard input.")
        var export: String

        @Option(help: "The lowest precision and recall that pass (0 to 1).")
        var min: Double = 0

        @Flag(help: "One JSON object per type instead of a table.")
        var json = false

        func run() throws {
            try reporting {
                guard let manifestBytes = FileManager.default.contents(atPath: manifest) else {
                    throw LakeError(.inputNotFound, scope: .usage, input: manifest, message: "cannot read the manifest")
                }
                let root = try JSONReader.parse(Array(manifestBytes), limits: JSONLimits(maxDepth: 16, maxDocumentBytes: 1 << 31))
                let duplicates = DuplicateAnswerKey(manifest: root)
                let key = PIIAnswerKey(manifest: root)
                let handle = export == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: export)
                guard let handle else { throw LakeError(.inputNotFound, scope: .usage, input: export, message: "cannot read the export") }
                var pending: [UInt8] = []
                while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
                    pending += block
                    var start = 0
                    while let nl = pending[start...].firstIndex(of: 0x0A) {
                        if nl > start {
                            let line = Array(pending[start..<nl])
                            try key.add(recordLine: line)
                            try duplicates.add(recordLine: line)
                        }
                        start = nl + 1
                    }
                    pending.removeFirst(start)
                }
                if !pending.isEmpty {
                    try key.add(recordLine: pending)
                    try duplicates.add(recordLine: pending)
                }
                var failed = false
                for r in key.results + duplicates.results {
                    let counted = r.truePositives + r.falsePositives + r.falseNegatives > 0
                    if counted && (r.precision < min || r.recall < min) { failed = true }
                    let p = String(format: "%.4f", r.precision), rc = String(format: "%.4f", r.recall)
                    if json {
                        print(
                            #"{"type":"\#(r.type)","tp":\#(r.truePositives),"fp":\#(r.falsePositives),"fn":\#(r.falseNegatives),"precision":\#(p),"recall":\#(rc)}"#
                        )
                    } else {
                        print(
                            "\(r.type.padding(toLength: 16, withPad: " ", startingAt: 0)) tp \(r.truePositives) fp \(r.falsePositives) fn \(r.falseNegatives) precision \(p) recall \(rc)"
                        )
                    }
                }
                if failed { throw ExitCode(ExitStatus.rejectedItems) }
            }
        }
    }
}
