/// SplitMix64: a small, fast, seedable generator so property tests print a seed that replays
/// the failing case exactly (set `PROPERTY_SEED` to replay; `PROPERTY_COUNT` for more cases).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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

import Foundation
