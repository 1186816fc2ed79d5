import LakeCore
import Testing

@Suite struct IdentityTests {
    @Test func jobIDIsAVersion4ShapedUUIDFromContent() {
        let config = Thresholds().jsonValue
        let a = Identity.jobID(inputSHA256: ["aa", "bb"], configuration: config)
        #expect(a == Identity.jobID(inputSHA256: ["aa", "bb"], configuration: config))
        let chars = Array(a)
        #expect(chars.count == 36)
        #expect(chars[8] == "-" && chars[13] == "-" && chars[18] == "-" && chars[23] == "-")
        #expect(chars[14] == "4")
        #expect("89ab".contains(chars[19]))
        #expect(a != Identity.jobID(inputSHA256: ["bb", "aa"], configuration: config))
        var other = Thresholds()
        other.maxJSONDepth = 11
        #expect(a != Identity.jobID(inputSHA256: ["aa", "bb"], configuration: other.jsonValue))
    }

    /// Every setting in `Thresholds.fields` is in the job id, and a job's stored configuration
    /// gives it back (`apply`); how a run goes (`RunSettings`) is in neither.
    @Test func everyOutputSettingIsInTheJobIDAndComesBack() {
        let base = Identity.jobID(inputSHA256: ["aa"], configuration: Thresholds().jsonValue)
        #expect(Thresholds.fields.count == Set(Thresholds.fields.map(\.name)).count)
        for (name, field) in Thresholds.fields {
            var changed = Thresholds()
            switch field {
            case .int64(let p): changed[keyPath: p] += 1
            case .int(let p): changed[keyPath: p] += 1
            case .double(let p): changed[keyPath: p] /= 2
            case .bool(let p): changed[keyPath: p].toggle()
            }
            #expect(Identity.jobID(inputSHA256: ["aa"], configuration: changed.jsonValue) != base, "\(name)")
            var restored = Thresholds()
            restored.apply(configuration: changed.jsonValue)
            #expect(restored == changed, "\(name)")
        }
        let text = CanonicalJSON.string(Thresholds().jsonValue)
        #expect(!text.contains("chunk_size") && !text.contains("parallel") && !text.contains("retr") && !text.contains("alert"))
    }

    @Test func recordIDFollowsTheSpecFormula() {
        let id = Identity.recordID(inputSHA256: "abc", path: "data/tweets.js", index: 3, user: "ana", contentHash: "0123456789abcdef")
        #expect(id == String(FileDigester.sha256(Array("abc\ndata/tweets.js\n3\nana\n0123456789abcdef".utf8)).prefix(32)))
        #expect(id != Identity.recordID(inputSHA256: "abc", path: "data/tweets.js", index: 4, user: "ana", contentHash: "0123456789abcdef"))
        #expect(id != Identity.recordID(inputSHA256: "abc", path: "data/tweets.js", index: 3, user: "bob", contentHash: "0123456789abcdef"))
    }

    /// Ids made from a file's shared hashing state (`RecordIDPrefix`, what the workers use) are
    /// the formula's, over prefixes shorter and longer than SHA-256's 64-byte block, indexes
    /// of every length (and a negative one, and the least), users and paths of any text (some
    /// longer than a block); and one prefix used for many ids gives each the same id as a fresh
    /// one.
    @Test func recordIDsFromASharedPrefixAreTheFormulas() {
        var rng = SystemRandomNumberGenerator()
        let texts = [
            "", "a", "ü/ñ", String(repeating: "x", count: 63), String(repeating: "é", count: 70), "Takeout/Records.json",
            String(repeating: "z", count: 300),
        ]
        for _ in 0..<300 {
            let sha = String(repeating: "f", count: Int.random(in: 0...130, using: &rng))
            let path = texts.randomElement(using: &rng)!
            let prefix = RecordIDPrefix(inputSHA256: sha, path: path)
            for _ in 0..<4 {
                let index = [0, 9, 10, Int.random(in: 0...Int.max, using: &rng), -Int.random(in: 1...99, using: &rng), Int.min]
                    .randomElement(
                        using: &rng)!
                let user = texts.randomElement(using: &rng)!, hash = texts.randomElement(using: &rng)!
                let material = Array("\(sha)\n\(path)\n\(index)\n\(user)\n\(hash)".utf8)
                let expected = Hex.string(Array(FileDigester.sha256Bytes(material).prefix(16)))
                #expect(prefix.id(index: index, user: user, contentHash: hash) == expected)
                #expect(Identity.recordID(inputSHA256: sha, path: path, index: index, user: user, contentHash: hash) == expected)
            }
        }
    }

    @Test func contentHashIgnoresKeyOrderButNotValues() {
        let a: JSONValue = .object([.init("a", .number("1")), .init("b", .string("x"))])
        let b: JSONValue = .object([.init("b", .string("x")), .init("a", .number("1"))])
        let c: JSONValue = .object([.init("a", .number("1.0")), .init("b", .string("x"))])
        #expect(Identity.contentHash(a) == Identity.contentHash(b))
        #expect(Identity.contentHash(a) != Identity.contentHash(c))
    }
}

@Suite struct ShardRingTests {
    let ring = ShardRing(shardCount: 16, virtualNodes: 64, replicationFactor: 2)

    @Test func twoDistinctShardsDeterministically() {
        for i in 0..<200 {
            let s = ring.shards(for: "user-\(i)")
            #expect(s.count == 2)
            #expect(s[0] != s[1])
            #expect(s.allSatisfy { (0..<16).contains($0) })
            #expect(s == ShardRing(shardCount: 16, virtualNodes: 64, replicationFactor: 2).shards(for: "user-\(i)"))
        }
    }

    /// Point `(s, v)` sits at XXH64 of `"shard:<s>:vnode:<v>"`: a ring made from those texts
    /// by the rule gives every user the same primary shard (and the ring of the default
    /// thresholds, made once per process, is that ring).
    @Test func pointsSitWhereTheirTextsHash() {
        for (shards, nodes) in [(16, 64), (3, 1_100), (16, 2_048)] {
            var points: [(UInt64, Int)] = []
            for s in 0..<shards { for v in 0..<nodes { points.append((XXH64.hash("shard:\(s):vnode:\(v)"), s)) } }
            points.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            var thresholds = Thresholds()
            (thresholds.shardCount, thresholds.shardVirtualNodes) = (shards, nodes)
            let made = ShardRing(thresholds)
            #expect(made.shards(for: "x") == ShardRing(thresholds).shards(for: "x"))
            for i in 0..<2_000 {
                let key = XXH64.hash("user:u\(i)")
                let primary = (points.first { $0.0 >= key } ?? points[0]).1
                #expect(made.shards(for: "u\(i)")[0] == primary, "\(shards)x\(nodes) u\(i)")
            }
        }
    }

    @Test func usersSpreadOverAllShards() {
        var counts = [Int](repeating: 0, count: 16)
        for i in 0..<16_000 { counts[ring.shards(for: "u\(i)")[0]] += 1 }
        // 1000 expected per shard; 64 virtual nodes keep every shard within ±40%.
        #expect(counts.allSatisfy { $0 > 600 && $0 < 1400 }, "\(counts)")
    }

    @Test func addingAShardMovesFewUsers() {
        let bigger = ShardRing(shardCount: 17, virtualNodes: 64, replicationFactor: 2)
        var moved = 0
        for i in 0..<10_000 where ring.shards(for: "u\(i)")[0] != bigger.shards(for: "u\(i)")[0] { moved += 1 }
        // Consistent hashing moves about 1/17 of the users; modulo hashing would move ~94%.
        #expect(moved > 200 && moved < 1200, "moved \(moved)")
        for i in 0..<10_000 {
            let before = ring.shards(for: "u\(i)")[0]
            let after = bigger.shards(for: "u\(i)")[0]
            if before != after { #expect(after == 16) }
        }
    }
}
