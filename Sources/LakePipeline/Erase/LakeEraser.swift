#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LakeCore
import LakeStore

/// `datapunk erase --user ID` (docs/SPEC.md 7, "Erase"): the user's records and their jobs'
/// files, findings, errors, quarantined files and staging leftovers go, in one transaction with
/// the duplicate stage run again (links that pointed at an erased record move or go) and an
/// audit row; then the catalog is vacuumed and its log truncated, so no byte of what went
/// stays in the lake folder. It holds the lake as its writer, like an ingest, and refuses to
/// start while another writer is at work.
public struct LakeEraser {
    public let lake: Lake

    public init(lake: Lake) { self.lake = lake }

    /// `progress` hears each step (`rows`, `committed`, `compacted`) once it is done.
    public func erase(user: String, progress: (String) -> Void = { _ in }) throws -> Lake.EraseCounts {
        try LakeMaintenance.exclusively(lake, command: "erase") { try eraseHoldingTheLake(user: user, progress: progress) }
    }

    private func eraseHoldingTheLake(user: String, progress announce: (String) -> Void) throws -> Lake.EraseCounts {
        func progress(_ step: String) {
            announce(step)
            TestHooks.killAfter(step: step)
        }
        var counts = Lake.EraseCounts()
        try lake.inTransaction {
            counts = try lake.eraseRows(user: user)
            progress("rows")
            _ = try DuplicateLinker(lake: lake).run()
            try lake.appendAudit(command: "erase", user: user, counts: counts.counts)
        }
        try lake.removeOrphanPartitionFiles()
        for sha in counts.quarantineFiles { unlink(lake.quarantinePath(sha256: sha)) }
        for input in counts.inputs where !input.isEmpty && !input.contains("/") && input != "." && input != ".." {
            let leftover = lake.stagingDirectory + "/" + input
            var info = stat()
            // Only a regular file of the lake's own staging; never through a link.
            if lstat(leftover, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { unlink(leftover) }
        }
        // Scratch a killed duplicate stage left: it names records and inputs.
        for path in lake.allScratchFiles { unlink(path) }
        progress("committed")
        try lake.compact()
        progress("compacted")
        return counts
    }
}
