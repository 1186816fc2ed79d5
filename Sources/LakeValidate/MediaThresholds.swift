import LakeCore

/// The design's media thresholds (format verification): a JPEG larger than 8192×8192 pixels, a
/// PNG over 50 MB, an MP4/MOV longer than 4 hours. Measured from the content metadata the
/// receipt stage extracts (`files.metadata`) and the file's size; each is a finding on the
/// file, a refusal only under `--strict`.
public enum MediaThresholds {
    /// One threshold a file went past.
    public struct Excess: Equatable, Sendable {
        public var rule: LakeError.Rule
        public var measured: Int64
        public var threshold: Int64
    }

    /// What `format` (detection's word), `size` and `metadata` go past under `t`.
    public static func check(format: String, size: Int64, metadata: JSONValue?, thresholds t: Thresholds) -> [Excess] {
        var out: [Excess] = []
        func number(_ key: String) -> Double? {
            if case .number(let n)? = metadata?[key] { return Double(n) }
            return nil
        }
        switch format {
        case "jpeg":
            let side = max(number("width") ?? 0, number("height") ?? 0)
            if side > Double(t.designImageSide) {
                out.append(Excess(rule: .mediaDimensionsOverDesign, measured: Int64(side), threshold: Int64(t.designImageSide)))
            }
        case "png":
            if size > t.designPNGBytes { out.append(Excess(rule: .mediaSizeOverDesign, measured: size, threshold: t.designPNGBytes)) }
        case "mp4":
            if let seconds = number("duration_seconds"), seconds > Double(t.designVideoSeconds) {
                out.append(Excess(rule: .mediaDurationOverDesign, measured: Int64(seconds), threshold: Int64(t.designVideoSeconds)))
            }
        default: break
        }
        return out
    }
}
