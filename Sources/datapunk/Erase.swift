import ArgumentParser
import Foundation
import LakeCore
import LakePipeline
import LakeStore

extension Datapunk {
    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase one user from the lake: their records, files, findings, quarantined files and staging leftovers.",
            discussion: """
                The user's records go, and everything of the jobs that were theirs (ingested with --user ID, or whose \
                every record is theirs). Duplicate links are recomputed, an audit row is added (naming the user by \
                SHA-256 only), and the catalog is vacuumed so no deleted byte stays in the lake folder. Refused while \
                another datapunk writes to the lake.
                """)

        @OptionGroup var lake: LakeOptions

        @Option(help: "The user id, as `export --user` takes it.")
        var user: String

        @Flag(help: "Print a line on standard error as each step ends (rows, committed, compacted).")
        var progress = false

        func run() throws {
            let counts = try reporting {
                let store = try Lake(directory: lake.lake, create: false)
                return try LakeEraser(lake: store).erase(user: user) { step in
                    if progress { FileHandle.standardError.write(Data("erase: \(step)\n".utf8)) }
                }
            }
            let out = StandardOutput()
            let line = counts.counts.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            out.write("erased \(TerminalLine.escape(user)): \(line)\n")
            try reporting { try out.flush() }
        }
    }
}
