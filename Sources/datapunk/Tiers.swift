import ArgumentParser
import Foundation
import LakeCore
import LakePipeline
import LakeStore

extension Datapunk {
    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move monthly partitions to the warm (LZ4) and cold (zstd) tiers by their age on a given date.",
            discussion: """
                Relative to --as-of (so the result depends on the date given, not on today): the newest \
                --hot-months months stay in the catalog; older ones go warm (their own SQLite file, LZ4 batches); a \
                month that ended --cold-after-days or more before the date goes cold (one zstd file). Undated records \
                stay hot. Export reads every tier; `datapunk restore PARTITION` brings one back.
                """)

        @OptionGroup var lake: LakeOptions

        @Option(name: .customLong("as-of"), help: "The date the ages are counted to, YYYY-MM-DD.")
        var asOf: String

        @Option(help: "Months that stay hot, the month of --as-of included.")
        var hotMonths = 3

        @Option(help: "Days after a month's end from which it goes cold.")
        var coldAfterDays = 365

        @Flag(help: "Print a line on standard error as each partition is committed.")
        var progress = false

        func validate() throws {
            guard Lake.parseDay(asOf) != nil else { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
            guard hotMonths >= 1, coldAfterDays >= 0 else {
                throw ValidationError("--hot-months must be 1 or more, --cold-after-days 0 or more")
            }
        }

        func run() throws {
            var policy = Lake.TierPolicy()
            policy.hotMonths = hotMonths
            policy.coldAfterDays = coldAfterDays
            let moves = try reporting {
                try LakeMaintenance.archive(try lake.open(), asOf: Lake.parseDay(asOf)!, policy: policy) { m in
                    // One line per partition committed, as it happens (tests kill at these marks).
                    if progress {
                        FileHandle.standardError.write(Data("archive: \(m.partition) \(m.from) -> \(m.to) committed\n".utf8))
                    }
                }
            }
            let out = StandardOutput()
            for m in moves { out.write("\(m.partition)  \(m.from) -> \(m.to)  \(m.records) records\n") }
            out.write("\(moves.count) partition(s) moved\n")
            try reporting { try out.flush() }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bring a warm or cold partition back to the hot tier.")

        @OptionGroup var lake: LakeOptions

        @Argument(help: "The partition, YYYY-MM (as `datapunk partitions` lists it).")
        var partition: String

        func run() throws {
            let n = try reporting { try LakeMaintenance.restore(try lake.open(), partition: partition) }
            let out = StandardOutput()
            out.write("restored \(TerminalLine.escape(partition)): \(n) records\n")
            try reporting { try out.flush() }
        }
    }

    struct Partitions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the lake's monthly partitions: tier, records, file, hashes.")

        @OptionGroup var lake: LakeOptions

        func run() throws {
            let (hot, files) = try reporting {
                let store = try lake.open()
                return (try store.hotPartitionCounts(), try store.partitions())
            }
            let out = StandardOutput()
            for (name, n) in hot.sorted(by: { $0.key < $1.key }) { out.write("\(name)  hot  \(n) records\n") }
            for p in files {
                out.write("\(p.name)  \(p.tier)  \(p.records) records  \(p.bytes) bytes  \(p.file)  sha256 \(p.fileSHA256)\n")
            }
            try reporting { try out.flush() }
        }
    }
}

extension Datapunk {
    struct Rebalance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Place every user on a ring of N shards; only users whose shards change are rewritten.",
            discussion: "Later ingests into this lake use the same shard count. Prints the users moved and the records per primary shard.")

        @OptionGroup var lake: LakeOptions

        @Option(help: "The number of shards (1 to 4096).")
        var shards: Int

        func validate() throws {
            guard (1...4096).contains(shards) else { throw ValidationError("--shards must be between 1 and 4096") }
        }

        func run() throws {
            let c = try reporting { try LakeMaintenance.rebalance(try lake.open(), shards: shards) }
            let out = StandardOutput()
            out.write("users \(c.users), moved \(c.moved) (primary \(c.primaryMoved)), records rewritten \(c.records)\n")
            out.write("records per primary shard: \(c.load.map(String.init).joined(separator: " "))\n")
            try reporting { try out.flush() }
        }
    }
}
