import Foundation
import LakeCore

/// What one profile generated; the planted PII and duplicates went to the `ManifestRecorder`.
struct ProfileResult {
    var inputs: [CorpusManifest.Input] = []
    var users: [String] = []
    var nullRates: [String: CorpusManifest.NullRate] = [:]
    var refused: [CorpusManifest.Refusal] = []
    /// Entries that go past a design threshold: loaded, and reported as findings.
    var findings: [CorpusManifest.Refusal] = []
    /// Uncompressed bytes of the files in the archives (for throughput figures).
    var contentBytes: Int64 = 0
}

/// One user's export to generate: who, with which stream, recording into which segment.
struct UserPlan: @unchecked Sendable {
    var person: TwitterProfile.Person
    /// 0 for the first user of a profile, 1 for the second, …
    var index: Int
    var rng: SplitMix64
    var segment: ManifestRecorder.Segment
}

/// What one user's export produced: its archives (still compressing in their builders) and
/// null-rate counts.
struct UserExport: @unchecked Sendable {
    var archives: [(input: CorpusManifest.Input, builder: ArchiveBuilder)] = []
    var nullRates: [String: CorpusManifest.NullRate] = [:]
}

extension ProfileResult {
    /// Plans one export per user (person and stream drawn from `rng` in user order, one recorder
    /// segment each), generates them on their own threads at once, then waits for every
    /// archive in order and fills in its SHA-256. The output does not depend on scheduling.
    static func generateUsers(
        _ users: Int, rng: inout SplitMix64, recorder: ManifestRecorder, _ export: @escaping @Sendable (inout UserPlan) throws -> UserExport
    ) throws -> ProfileResult {
        var result = ProfileResult()
        var plans: [UserPlan] = []
        for i in 0..<users {
            let person = TwitterProfile.person(&rng)
            result.users.append(person.username)
            plans.append(UserPlan(person: person, index: i, rng: SplitMix64(seed: rng.next()), segment: try recorder.segment()))
        }
        let frozen = plans
        let exports = try Parallel.run(users) { i in
            var plan = frozen[i]
            return try export(&plan)
        }
        for e in exports {
            result.nullRates.merge(e.nullRates) { a, _ in a }
            for a in e.archives {
                result.contentBytes += a.builder.contentBytes
                var input = a.input
                input.sha256 = try a.builder.close().sha256
                result.inputs.append(input)
            }
        }
        return result
    }
}

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
    public static func parseScale(_ text: String) -> Int64? { ByteSize.parse(text) }

    /// Generates `profile` into `output` (created if needed) and writes `output/manifest.json`.
    /// - Throws: `LakeError` (usage) for an unknown profile or scale.
    @discardableResult
    public static func generate(profile: String, seed: UInt64, scale: String, output: String) throws -> CorpusManifest {
        guard let bytes = parseScale(scale) else {
            throw LakeError(.corpusScale, scope: .usage, message: "scale must look like 512KB, 10MB or 1GB")
        }
        guard profiles.contains(profile) else {
            throw LakeError(
                .corpusProfile, scope: .usage, message: "unknown profile '\(profile)'; available: \(profiles.joined(separator: ", "))")
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let recorder = try ManifestRecorder(output: output)
        var manifest = CorpusManifest(profile: profile, seed: seed, scale: scale)
        // Each profile draws from its own stream, so adding a profile never changes another's output.
        func stream(_ name: String) -> SplitMix64 { SplitMix64(seed: seed ^ XXH64.hash("profile:\(name)")) }
        func run(_ name: String, _ budget: Int64) throws -> ProfileResult {
            switch name {
            case "adversarial": return try AdversarialProfile(rng: stream(name), targetBytes: budget).generate(output: output)
            case "google-takeout":
                return try TakeoutProfile(rng: stream(name), targetBytes: budget, recorder: recorder).generate(output: output)
            case "facebook": return try FacebookProfile(rng: stream(name), targetBytes: budget, recorder: recorder).generate(output: output)
            default: return try TwitterProfile(rng: stream(name), targetBytes: budget, recorder: recorder).generate(output: output)
            }
        }
        // mixed: every export kind for several users in one folder, each with a third of the scale.
        let parts = profile == "mixed" ? ["twitter", "facebook", "google-takeout"] : [profile]
        let budget = profile == "mixed" ? max(64 * 1024, bytes / 3) : bytes
        for name in parts {
            let r = try run(name, budget)
            manifest.users += r.users
            manifest.inputs += r.inputs
            manifest.refused += r.refused
            manifest.findings += r.findings
            manifest.nullRates.merge(r.nullRates) { a, _ in a }
            manifest.contentBytes += r.contentBytes
        }
        try recorder.write(&manifest, to: output + "/manifest.json")
        return manifest
    }
}
