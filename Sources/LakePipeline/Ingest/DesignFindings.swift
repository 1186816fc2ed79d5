import Foundation
import LakeCore
import LakeParsers
import LakeStore

/// The design's JSON thresholds (depth 10 per record, 100 MB per file) measured on one file as
/// it is read (docs/SPEC.md 7.3). Past them is a finding recorded with the file, not a refusal;
/// under `strict` a record past the depth is rejected alone and a file past the size is refused.
///
/// Records are measured on the reader's thread as they are parsed (skipped ones of a resumed
/// file too, so the findings do not depend on interruptions); the mapping workers ask
/// `refusal(index:)` for the strict rejections.
final class DesignFindings: @unchecked Sendable {
    private let thresholds: Thresholds
    private let input: String
    private let entry: String
    private let lock = NSLock()
    private var deep = (count: 0, deepest: 0, first: Int?.none)
    /// Strict only: the records over the depth, with their depth.
    private var refused: [Int: Int] = [:]

    init(_ thresholds: Thresholds, input: String, entry: String) {
        self.thresholds = thresholds
        self.input = input
        self.entry = entry
    }

    /// Measures record `index`, just read by `reader`.
    func saw(_ index: Int, _ reader: JSONReader) {
        let depth = reader.lastValue.depth
        guard depth > thresholds.designJSONDepth else { return }
        lock.lock()
        defer { lock.unlock() }
        deep.count += 1
        deep.deepest = max(deep.deepest, depth)
        deep.first = min(deep.first ?? index, index)
        if thresholds.strict { refused[index] = depth }
    }

    /// Under `strict`, the error that rejects record `index`; nil when it is kept.
    func refusal(index: Int) -> LakeError? {
        guard thresholds.strict else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard let depth = refused[index] else { return nil }
        return LakeError(
            .jsonDepthOverDesign, scope: .entry, location: "record \(index)",
            message: "nested \(depth) deep, over the design's depth of \(thresholds.designJSONDepth) (--strict)")
    }

    /// The findings of the whole file of `bytes` bytes.
    /// - Throws: under `strict`, `json.size_over_design` for a file over the design's size.
    func findings(fileBytes bytes: Int64) throws -> [Finding] {
        var out: [Finding] = []
        if deep.count > 0 {
            out.append(
                Finding(
                    input: input, entry: entry, rule: "json.depth_over_design", count: deep.count, measured: Int64(deep.deepest),
                    threshold: Int64(thresholds.designJSONDepth), location: deep.first.map { "record \($0)" }))
        }
        if bytes > thresholds.designJSONBytes {
            if thresholds.strict {
                throw LakeError(
                    .jsonSizeOverDesign, scope: .entry, input: input, entry: entry,
                    message: "\(bytes) bytes, over the design's JSON file size of \(thresholds.designJSONBytes) (--strict)")
            }
            out.append(
                Finding(
                    input: input, entry: entry, rule: "json.size_over_design", count: 1, measured: bytes,
                    threshold: thresholds.designJSONBytes, location: nil))
        }
        return out
    }
}
