import Foundation
import LakeCore
import Testing
import _LakeTestSupport

/// Every subcommand with random arguments (seeded; `PROPERTY_SEED` replays one): the exit
/// status is always 0-3, never 4 (a bug) or a signal, and a failure is one line per error.
/// The one deliberate internal error, `DATAPUNK_TEST_INTERNAL_ERROR=1`, gives 4.
@Suite struct CommandLinePropertyTests {
    static let commands: [[String]] = [
        ["ingest"], ["resume"], ["export"], ["inspect"], ["jobs"], ["metrics"], ["corpus", "generate"], ["erase"], ["archive"],
        ["restore"], ["partitions"], ["rebalance"], [],
    ]

    static func vocabulary(_ dir: String) -> [[String]] {
        [
            ["--lake", dir + "/lake"], ["--lake", "/nonexistent/lake"], ["--lake", dir + "/file.txt"], ["--lake", ""],
            ["--user", "ü\nx"], ["--output", dir + "/out"], ["--output", "/dev/full"], ["--output", dir + "/lake"], ["--output", ""],
            ["--format", "xml"], ["--parallel", "0"], ["--parallel", "3"], ["--chunk-size", "abc"], ["--chunk-size", "1MB"],
            ["--max-json-depth", "-1"], ["--max-json-depth", "5000"], ["--max-json-depth", "20"], ["--max-json-bytes", "7"],
            ["--progress", "json"], ["--progress", "bogus"], ["--strict"], ["--queued"], ["--json"], ["--digest-only"],
            ["--profile", "twitter"], ["--profile", "nope"], ["--seed", "x"], ["--seed", "7"], ["--scale", "1KB"], ["--scale", "-3"],
            ["--sha256", "00"], ["--password-file", "/tmp"], ["--alert-webhook", "http://"], ["--ca-file", "/nonexistent"],
            ["--staging", "../x"], [TestPaths.sampleZip], ["/dev/null"], ["/dev/zero"], [dir + "/file.txt"], [dir], ["-"], [""],
            ["not-a-job-id"], ["--help"], ["--version"], ["--no-such-flag"], ["--as-of", "2024-06-15"], ["--as-of", "2024-02-30"],
            ["--shards", "0"], ["--shards", "5"], ["--hot-months", "0"], ["--cold-after-days", "-1"], ["2019-01"], ["--user", "bob"],
        ]
    }

    @Test func randomArgumentsNeverGiveExitFour() throws {
        let dir = TestPaths.scratch("argfuzz")
        defer { TestPaths.remove(dir) }
        FileManager.default.createFile(atPath: dir + "/file.txt", contents: Data("hello\n".utf8))
        #expect(try CommandRunner.run(CommandRunner.datapunk, ["ingest", TestPaths.sampleZip, "--lake", dir + "/lake"]).status == 0)
        let words = Self.vocabulary(dir)
        var runs = 0
        for seed in SeededRandom.seeds(count: 1) {
            var rng = SeededRandom(seed: seed)
            for _ in 0..<220 {
                var args = Self.commands.randomElement(using: &rng)!
                for _ in 0..<Int.random(in: 0...4, using: &rng) { args += words.randomElement(using: &rng)! }
                let r = try CommandRunner.run(CommandRunner.datapunk, args)
                runs += 1
                #expect((0...3).contains(r.status), "seed \(seed): datapunk \(args): \(r.status) \(r.stderrText.suffix(400))")
                #expect(!r.stderrText.contains("rule internal"), "seed \(seed): datapunk \(args): \(r.stderrText.suffix(400))")
            }
        }
        #expect(runs >= 220)
    }

    @Test func theInternalErrorHookGivesFour() throws {
        var env = CommandRunner.environment
        env["DATAPUNK_TEST_INTERNAL_ERROR"] = "1"
        let r = try CommandRunner.run(CommandRunner.datapunk, ["jobs", "--lake", "/nonexistent"], environment: env)
        #expect(r.status == 4 && r.stderrText.contains("rule internal"))
    }
}
