import Foundation
import Testing
import _LakeTestSupport

/// The `datapunk` command runs on jemalloc with two arenas (Sources/DatapunkHeap): the
/// executable links it and gives its settings, `Heap` finds it serving malloc. The libraries
/// and the test processes keep the C library's malloc (`HeapTests`).
@Suite struct HeapEndToEndTests {
    static func version(_ environment: [String: String] = CommandRunner.environment) throws -> [String] {
        let r = try CommandRunner.run(CommandRunner.datapunk, ["--version"], environment: environment)
        #expect(r.status == 0, "\(r.stderrText)")
        return r.stdoutText.split(separator: "\n").map(String.init)
    }

    @Test func theCommandRunsOnJemallocWithTwoArenas() throws {
        let lines = try Self.version()
        try #require(lines.count == 2, "\(lines)")
        #expect(lines[0] == "0.1.0")
        // jemalloc's own default on this machine would be four arenas per core.
        #expect(lines[1].hasPrefix("heap: jemalloc 5."), "\(lines[1])")
        #expect(lines[1].hasSuffix(", 2 arenas"), "\(lines[1])")
    }

    /// MALLOC_CONF goes on top of the executable's settings, as jemalloc documents.
    @Test func theEnvironmentOverridesTheSettings() throws {
        var environment = CommandRunner.environment
        environment["MALLOC_CONF"] = "narenas:3"
        let lines = try Self.version(environment)
        #expect(lines.last?.hasSuffix(", 3 arenas") == true, "\(lines)")
    }
}
