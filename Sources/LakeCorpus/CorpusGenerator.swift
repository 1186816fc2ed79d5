import Foundation
import LakeCore

/// `datapunk corpus generate`: synthetic exports with their answer key (`manifest.json`).
///
/// ```swift
/// let manifest = try CorpusGenerator.generate(profile: "twitter", seed: 1, scale: "1MB", output: "out")
/// ```
/// The same profile, seed and scale give byte-identical files on any machine: content comes
/// from `SplitMix64` with specified range mapping, archive entries get a fixed time and order.
public enum CorpusGenerator {
    public static let version = "1"
    /// Profiles this version generates.
    public static let profiles = ["twitter", "facebook", "google-takeout", "adversarial", "mixed"]

    /// `512KB`, `10MB`, `1GB` (binary multiples) or a plain byte count.
    public static func parseScale(_ text: String) -> Int64? {
        let upper = text.uppercased()
        let units: [(String, Int64)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            guard let n = Int64(upper.dropLast(suffix.count)), n > 0 else { return nil }
            return n * factor
        }
        return Int64(upper).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Generates `profile` into `output` (created if needed) and writes `output/manifest.json`.
    /// - Throws: `LakeError` (usage) for an unknown profile or scale.
    @discardableResult
    public static func generate(profile: String, seed: UInt64, scale: String, output: String) throws -> CorpusManifest {
        guard let bytes = parseScale(scale) else {
            throw LakeError(.init("corpus.scale"), scope: .usage, message: "scale must look like 512KB, 10MB or 1GB")
        }
        guard profiles.contains(profile) else {
            throw LakeError(.init("corpus.profile"), scope: .usage, message: "unknown profile '\(profile)'; available: \(profiles.joined(separator: ", "))")
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        // Each profile draws from its own stream, so adding a profile never changes another's output.
        let rng = SplitMix64(seed: seed ^ XXH64.hash("profile:\(profile)"))
        let manifest: CorpusManifest
        switch profile {
        case "adversarial":
            let r = try AdversarialProfile(rng: rng, targetBytes: bytes).generate(output: output)
            var m = CorpusManifest(
                profile: profile, seed: seed, scale: scale, users: ["adversary"], inputs: r.inputs, pii: [], duplicates: [], nullRates: [:])
            m.refused = r.refused.map { .init(file: $0.file, entry: $0.entry, rule: $0.rule, note: $0.note) }
            manifest = m
        case "mixed":
            // Every export kind for several users, in one folder: each profile with its own
            // stream and a third of the scale.
            let share = max(64 * 1024, bytes / 3)
            let t = try TwitterProfile(rng: SplitMix64(seed: seed ^ XXH64.hash("profile:twitter")), targetBytes: share).generate(output: output)
            let f = try FacebookProfile(rng: SplitMix64(seed: seed ^ XXH64.hash("profile:facebook")), targetBytes: share).generate(output: output)
            let g = try TakeoutProfile(rng: SplitMix64(seed: seed ^ XXH64.hash("profile:google-takeout")), targetBytes: share).generate(output: output)
            manifest = CorpusManifest(
                profile: profile, seed: seed, scale: scale, users: t.users + f.users + g.users, inputs: t.inputs + f.inputs + g.inputs,
                pii: t.pii + f.pii + g.pii, duplicates: t.duplicates, nullRates: t.nullRates.merging(f.nullRates) { a, _ in a }.merging(g.nullRates) { a, _ in a })
        case "google-takeout":
            let r = try TakeoutProfile(rng: rng, targetBytes: bytes).generate(output: output)
            manifest = CorpusManifest(
                profile: profile, seed: seed, scale: scale, users: r.users, inputs: r.inputs, pii: r.pii, duplicates: [], nullRates: r.nullRates)
        case "facebook":
            let r = try FacebookProfile(rng: rng, targetBytes: bytes).generate(output: output)
            manifest = CorpusManifest(
                profile: profile, seed: seed, scale: scale, users: r.users, inputs: r.inputs, pii: r.pii, duplicates: [], nullRates: r.nullRates)
        default:
            let r = try TwitterProfile(rng: rng, targetBytes: bytes).generate(output: output)
            manifest = CorpusManifest(
                profile: profile, seed: seed, scale: scale, users: r.users, inputs: r.inputs, pii: r.pii, duplicates: r.duplicates,
                nullRates: r.nullRates)
        }
        _ = FileManager.default.createFile(atPath: output + "/manifest.json", contents: Data(manifest.jsonBytes))
        return manifest
    }
}
