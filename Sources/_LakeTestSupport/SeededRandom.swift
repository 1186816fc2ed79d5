import Foundation
import LakeCore

/// The generator property tests use: `SplitMix64` (LakeCore), plus the seed list that lets a
/// failure be replayed (set `PROPERTY_SEED` to replay one seed; `PROPERTY_COUNT` for more cases).
public typealias SeededRandom = SplitMix64

extension SplitMix64 {
    /// The seeds a property test runs: `PROPERTY_SEED` alone when set, else `count` seeds from 1.
    public static func seeds(count: Int) -> [UInt64] {
        let env = ProcessInfo.processInfo.environment
        if let s = env["PROPERTY_SEED"], let v = UInt64(s) { return [v] }
        let n = env["PROPERTY_COUNT"].flatMap(Int.init) ?? count
        return (1...UInt64(max(1, n))).map { $0 }
    }

    /// A string of up to `maxLength` characters drawn from `alphabet`.
    public mutating func string(from alphabet: [Character], maxLength: Int) -> String {
        let n = Int.random(in: 0...maxLength, using: &self)
        return String((0..<n).map { _ in alphabet.randomElement(using: &self)! })
    }
}
