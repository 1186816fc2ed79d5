import Foundation
import LakeCore
import Testing
import _LakeTestSupport

/// The design's media thresholds through the CLI: a JPEG past 8192 pixels a side, a PNG past
/// 50 MB and an MP4 past 4 hours are findings on the file (exit 0), refusals under --strict.
@Suite struct MediaThresholdEndToEndTests {
    static func dp(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(CommandRunner.datapunk, args) }
    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    /// SOI, a JFIF APP0, a baseline SOF0 of `side`×`side`, EOI.
    static func jpeg(side: Int) -> [UInt8] {
        [0xFF, 0xD8, 0xFF, 0xE0] + be16(16) + Array("JFIF".utf8) + [0, 1, 1, 0] + be16(1) + be16(1) + [0, 0]
            + [0xFF, 0xC0] + be16(17) + [8] + be16(side) + be16(side) + [3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1] + [0xFF, 0xD9]
    }

    /// An `ftyp` box, then a `moov` box holding a version-0 `mvhd` of `seconds` at timescale 1000.
    static func mp4(seconds: Int) -> [UInt8] {
        let ftyp = be32(20) + Array("ftypisom".utf8) + be32(512) + Array("isom".utf8)
        let mvhd =
            be32(108) + Array("mvhd".utf8) + [0, 0, 0, 0] + be32(0) + be32(0) + be32(1000) + be32(seconds * 1000)
            + [UInt8](repeating: 0, count: 80)
        return ftyp + be32(8 + mvhd.count) + Array("moov".utf8) + mvhd
    }

    static func folder(_ dir: String) throws -> String {
        let input = dir + "/in/Takeout/Google Photos"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try Data(Self.jpeg(side: 9000)).write(to: URL(fileURLWithPath: input + "/huge.jpg"))
        try Data(Self.jpeg(side: 4000)).write(to: URL(fileURLWithPath: input + "/fine.jpg"))
        try Data(Self.mp4(seconds: 5 * 3600)).write(to: URL(fileURLWithPath: input + "/long.mp4"))
        try Data(Self.mp4(seconds: 60)).write(to: URL(fileURLWithPath: input + "/short.mp4"))
        var png: [UInt8] =
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + Array("IHDR".utf8) + be32(4) + be32(4) + [8, 6, 0, 0, 0]
        png += [UInt8](repeating: 0, count: 50_000_100 - png.count)
        try Data(png).write(to: URL(fileURLWithPath: input + "/big.png"))
        return dir + "/in"
    }

    @Test func findingsByDefaultRefusalsUnderStrict() throws {
        let dir = TestPaths.scratch("media")
        defer { TestPaths.remove(dir) }
        let input = try Self.folder(dir)
        let r = try Self.dp(["ingest", input, "--lake", dir + "/lake"])
        #expect(r.status == 0, "\(r.stderrText)")
        let findings = r.stdoutText.split(separator: "\n").filter { $0.contains("finding media.") }.map(String.init).sorted()
        #expect(findings.count == 3, "\(r.stdoutText)")
        #expect(
            findings.contains { $0.contains("media.dimensions_over_design: 'Takeout/Google Photos/huge.jpg' 1 over 8192 (largest 9000") })
        #expect(
            findings.contains { $0.contains("media.duration_over_design: 'Takeout/Google Photos/long.mp4' 1 over 14400 (largest 18000") })
        #expect(
            findings.contains { $0.contains("media.size_over_design: 'Takeout/Google Photos/big.png' 1 over 50000000 (largest 50000100") })

        let metrics = try Self.dp(["metrics", "--lake", dir + "/lake"]).stdoutText
        #expect(metrics.contains("datapunk_findings{rule=\"media.dimensions_over_design\"} 1\n"), "\(metrics)")
        let strict = try Self.dp(["ingest", input, "--lake", dir + "/strict", "--strict"])
        #expect(strict.status == 1)
        let lines = strict.stderrText.split(separator: "\n")
        #expect(
            lines.count == 3 && lines.contains { $0.contains("entry 'Takeout/Google Photos/huge.jpg': rule media.dimensions_over_design") },
            "\(strict.stderrText)")
        #expect(!strict.stderrText.contains("fine.jpg") && !strict.stderrText.contains("short.mp4"))
    }
}
