import LakeCore
import LakeValidate
import Testing

@Suite struct MediaThresholdsTests {
    @Test func eachFormatsThreshold() {
        let t = Thresholds()
        func rules(_ format: String, _ size: Int64, _ metadata: JSONValue?) -> [String] {
            MediaThresholds.check(format: format, size: size, metadata: metadata, thresholds: t).map(\.rule.rawValue)
        }
        let square = { (side: Int) -> JSONValue in .object([.init("height", .number(String(side))), .init("width", .number("10"))]) }
        #expect(rules("jpeg", 10, square(8192)).isEmpty)
        #expect(rules("jpeg", 10, square(8193)) == ["media.dimensions_over_design"])
        #expect(rules("png", 50_000_000, nil).isEmpty && rules("png", 50_000_001, nil) == ["media.size_over_design"])
        #expect(rules("mp4", 10, .object([.init("duration_seconds", .number("14400.000"))])).isEmpty)
        #expect(rules("mp4", 10, .object([.init("duration_seconds", .number("14400.001"))])) == ["media.duration_over_design"])
        // No metadata, or another format: nothing measured, nothing found.
        #expect(rules("jpeg", 10, nil).isEmpty && rules("gif", 1 << 40, square(100_000)).isEmpty)
    }
}
