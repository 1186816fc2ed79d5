import CKernels
import LakeCore
import LakeParsers
import Testing

@testable import LakeValidate
import _LakeTestSupport

@Suite struct NearDuplicatesTests {
    let sentence = "Wir sind am Fluss entlang gelaufen, bis die Lichter angingen."

    /// The signature is its definition: per permutation, the least `a·x + b` over the shingles.
    @Test func signaturesAreTheMinimumOfEachPermutation() {
        var rng = SplitMix64(seed: 99)
        for n in 0..<200 {
            let shingles = Set((0..<Int(rng.next() % 120)).map { _ in rng.next() })
            let reference = NearDuplicates.permutations.map { p in shingles.map { p.a &* $0 &+ p.b }.min() ?? .max }
            #expect(NearDuplicates.signature(shingles) == reference, "set \(n)")
        }
    }

    /// The C kernel's loops are the definition, whichever one `signature` runs here (AVX-512,
    /// AVX2 or plain), and the AVX2 one wherever the processor has AVX2: on random permutations
    /// and values, none, one, and many values, and on values that make every product wrap or
    /// have a top half of all ones (the AVX2 loop's products are made from 32-bit halves).
    @Test func everyMinHashLoopIsTheDefinition() {
        var rng = SplitMix64(seed: 5)
        for n in 0..<120 {
            let count = 32 * Int(1 + rng.next() % 9)
            let a = (0..<count).map { _ in rng.next() | 1 }, b = (0..<count).map { _ in rng.next() }
            let values = n == 0 ? 0 : n == 1 ? 1 : Int(rng.next() % 300)
            let xs = (0..<values).map { _ in
                n % 3 == 0 ? UInt64.max - rng.next() % 4 : n % 3 == 1 ? rng.next() | 0xFFFF_FFFF_0000_0000 : rng.next()
            }
            let reference = (0..<count).map { i in xs.map { a[i] &* $0 &+ b[i] }.min() ?? .max }
            typealias Kernel = (
                UnsafePointer<UInt64>?, UnsafePointer<UInt64>?, Int, UnsafePointer<UInt64>?, Int, UnsafeMutablePointer<UInt64>?
            ) -> Void
            let avx2: Kernel = { _ = dp_minhash_avx2($0, $1, $2, $3, $4, $5) }
            let kernels: [(String, Kernel)] = [("dispatched", dp_minhash), ("scalar", dp_minhash_scalar), ("AVX2", avx2)]
            for (name, kernel) in kernels {
                // A call for no permutation writes nothing and says whether the loop runs here.
                if name == "AVX2", dp_minhash_avx2(a, b, 0, xs, 0, nil) == 0 { continue }
                var out = [UInt64](repeating: 0, count: count)
                kernel(a, b, count, xs, xs.count, &out)
                let wrong = out.indices.first { out[$0] != reference[$0] }
                #expect(wrong == nil, "\(name) loop, case \(n), vectorized here: \(dp_minhash_vectorized())")
            }
        }
    }

    /// Band keys and text hashes are their definitions (lakes store them, so they must not
    /// change): the top 32 bits of XXH64 of the scope, a NUL, the band's number and its rows in
    /// little-endian; XXH64 of the scope, a NUL and the text's UTF-8. On random signatures, scopes and texts.
    @Test func bandKeysAndTextHashesAreTheirDefinitions() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("aé \u{0}😀가z".unicodeScalars)
        for n in 0..<300 {
            let signature = (0..<(NearDuplicates.bands * NearDuplicates.rows)).map { _ in rng.next() }
            let scope = String(String.UnicodeScalarView((0..<Int(rng.next() % 6)).map { _ in alphabet[Int(rng.next() % 7)] }))
            let reference = (0..<NearDuplicates.bands).map { band in
                var bytes = Array(scope.utf8) + [0, UInt8(band)]
                for v in signature[(band * NearDuplicates.rows)..<((band + 1) * NearDuplicates.rows)] {
                    withUnsafeBytes(of: v.littleEndian) { bytes += $0 }
                }
                return UInt32(XXH64.hash(bytes) >> 32)
            }
            #expect(NearDuplicates.bandKeys(signature, scope: scope) == reference, "signature \(n)")
            let text = (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % 7)] }
            let expected = XXH64.hash(Array(scope.utf8) + [0] + Array(String(String.UnicodeScalarView(text)).utf8))
            #expect(NearDuplicates.textHash(text, scope: scope) == expected, "text \(n)")
        }
    }

    /// A random text of fewer than `under` scalars over five (so shingles repeat).
    static func repetitiveText(_ rng: inout SplitMix64, under: UInt64) -> [Unicode.Scalar] {
        let alphabet = Array("ab é😀".unicodeScalars)
        return (0..<Int(rng.next() % under)).map { _ in alphabet[Int(rng.next() % 5)] }
    }

    /// The shingle hashes with repeats give the shingle set, its sorted array and its
    /// signature, on random texts with repeated runs (and texts shorter than one shingle).
    @Test func shingleHashesGiveTheSetItsSortedArrayAndItsSignature() {
        var rng = SplitMix64(seed: 12)
        for n in 0..<300 {
            let text = Self.repetitiveText(&rng, under: 60)
            let hashes = NearDuplicates.shingleHashes(normalized: text)
            let set = NearDuplicates.shingles(normalized: text)
            #expect(Set(hashes) == set && hashes.count == (text.isEmpty ? 0 : max(1, text.count - NearDuplicates.shingleLength + 1)))
            #expect(NearDuplicates.sortedShingles(normalized: text) == set.sorted(), "text \(n)")
            #expect(NearDuplicates.signature(hashes: hashes) == NearDuplicates.signature(set), "text \(n)")
        }
    }

    /// `distinctCount` is `Set(values).count`: on the shingles of random texts, and on random
    /// values with many repeats, zeros among them, in sizes around the table's growth points.
    @Test func distinctCountIsTheSetsCount() {
        var rng = SplitMix64(seed: 13)
        for n in 0..<300 {
            let text = Self.repetitiveText(&rng, under: 400)
            let hashes = NearDuplicates.shingleHashes(normalized: text)
            #expect(NearDuplicates.distinctCount(hashes) == Set(hashes).count, "text \(n)")
        }
        for size in [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 500, 4097] {
            let pool = (0..<max(1, size / 3)).map { _ in rng.next() % 4 == 0 ? 0 : rng.next() }
            let values = (0..<size).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }
            #expect(NearDuplicates.distinctCount(values) == Set(values).count, "size \(size)")
        }
    }

    @Test func aPlantedNearCopyIsOverTheThresholdAndOthersAreNot() {
        let a = NearDuplicates.shingles(sentence)
        // The generator's near copy: one character added.
        #expect(NearDuplicates.jaccard(a, NearDuplicates.shingles(sentence + "!")) >= NearDuplicates.threshold)
        // Case and white space do not count.
        #expect(
            NearDuplicates.jaccard(a, NearDuplicates.shingles("  WIR sind am Fluss   entlang gelaufen, bis die Lichter angingen.")) == 1)
        // A hashtag more is no near copy; another sentence is far.
        #expect(NearDuplicates.jaccard(a, NearDuplicates.shingles(sentence + " #reading")) < NearDuplicates.threshold)
        #expect(NearDuplicates.jaccard(a, NearDuplicates.shingles("The train was late again, but the coffee was good.")) < 0.1)
        #expect(NearDuplicates.shingles("hey") == NearDuplicates.shingles("HEY"))
        #expect(NearDuplicates.jaccard([], []) == 1)
    }

    @Test func signaturesEstimateTheSimilarityAndBandsCatchNearCopies() {
        let a = NearDuplicates.shingles(sentence), b = NearDuplicates.shingles(sentence + "!")
        let sa = NearDuplicates.signature(a), sb = NearDuplicates.signature(b)
        #expect(sa.count == 256 && sa == NearDuplicates.signature(a))
        // Jaccard 0.98: about 251 of 256 minima agree.
        let agreeing = zip(sa, sb).filter { $0 == $1 }.count
        #expect(agreeing >= 230, "\(agreeing) of 256")
        #expect(Set(NearDuplicates.bandKeys(sa)).intersection(NearDuplicates.bandKeys(sb)).count >= 1)
        let far = NearDuplicates.signature(NearDuplicates.shingles("Three meetings before lunch is too many."))
        #expect(Set(NearDuplicates.bandKeys(sa)).intersection(NearDuplicates.bandKeys(far)).isEmpty)
    }

    @Test func scopesKeepKindsAndUsersApart() {
        let s = NearDuplicates.signature(NearDuplicates.shingles(sentence))
        #expect(NearDuplicates.bandKeys(s, scope: "tweet\u{0}ada") == NearDuplicates.bandKeys(s, scope: "tweet\u{0}ada"))
        #expect(Set(NearDuplicates.bandKeys(s, scope: "tweet\u{0}ada")).isDisjoint(with: NearDuplicates.bandKeys(s, scope: "tweet\u{0}bo")))
        let text = NearDuplicates.normalized(sentence)
        #expect(NearDuplicates.textHash(text, scope: "post\u{0}ada") != NearDuplicates.textHash(text, scope: "comment\u{0}ada"))
        #expect(NearDuplicates.similarityText(1) == "1.00" && NearDuplicates.similarityText(52.0 / 53) == "0.98")
        #expect(NearDuplicates.similarityText(0.99999) == "0.99" && NearDuplicates.similarityText(0.95) == "0.95")
    }

    /// The compared text of each kind: its fields joined, normalized; short texts and other
    /// kinds take no part.
    @Test func theTextOfEachKind() throws {
        func text(_ kind: String, _ json: String) throws -> String? {
            let tape = try JSONTape(bytes: Array(json.utf8))
            return NearDuplicateText.text(kind: kind, tape: tape).map { String(decoding: $0.utf8, as: UTF8.self) }
        }
        #expect(try text("tweet", #"{"full_text": "The train was  LATE again", "id": "1"}"#) == "the train was late again")
        #expect(
            try text("post", #"{"data": [{"post": "We walked along the river"}, {"post": "until the lights"}], "timestamp": 1}"#)
                == "we walked along the river until the lights")
        #expect(
            try text("comment", #"{"data": [{"comment": {"comment": "Finally finished the book", "author": "A"}}]}"#)
                == "finally finished the book")
        #expect(try text("message", #"{"content": "Does anyone know a bakery?"}"#) == "does anyone know a bakery?")
        #expect(try text("email", #"{"subject": "Hello there", "text": "See you at the station"}"#) == "hello there see you at the station")
        #expect(
            try text("activity", #"{"title": "Watched a video", "title_url": "https://youtu.be/x"}"#)
                == "watched a video https://youtu.be/x")
        #expect(try text("tweet", #"{"full_text": "ok thanks"}"#) == nil)
        #expect(try text("location", #"{"full_text": "a text long enough to compare"}"#) == nil)
        #expect(try text("tweet", #"{"id": "1"}"#) == nil)
        // Escapes decoded; only strings count; of a repeated name, the last; `*` only on arrays.
        #expect(try text("tweet", #"{"full_text": "caf\u00e9 \"noir\" on the corner", "text": 12}"#) == "café \"noir\" on the corner")
        #expect(try text("message", #"{"content": "first version of it", "content": "second version of it"}"#) == "second version of it")
        #expect(try text("post", #"{"data": {"post": "a post that is not in an array"}}"#) == nil)
        #expect(try text("comment", #"{"data": [{"comment": "not an object but long"}, 3, null]}"#) == nil)
        #expect(try text("tweet", "[]") == nil && text("tweet", #""a string long enough to count""#) == nil)
    }

    /// The early-stopping comparison agrees with the plain Jaccard on every pair: reported
    /// exactly when at 0.95 or more, with the same value.
    @Test func similarityIfNearAgreesWithJaccard() {
        var rng = SplitMix64(seed: 5)
        let base = "Wir sind am Fluss entlang gelaufen, bis die Lichter angingen, und dann nach Hause."
        for _ in 0..<2000 {
            var a = Array(base.unicodeScalars), b = a
            for _ in 0..<rng.int(in: 0...3) { b.insert("xyzäö!".unicodeScalars.randomElement(using: &rng)!, at: rng.int(in: 0...b.count)) }
            if rng.chance(0.3) { a.removeLast(rng.int(in: 0...4)) }
            let ta = String(String.UnicodeScalarView(a)), tb = String(String.UnicodeScalarView(b))
            let plain = NearDuplicates.jaccard(NearDuplicates.shingles(ta), NearDuplicates.shingles(tb))
            let fast = NearDuplicates.similarityIfNear(
                NearDuplicates.sortedShingles(normalized: NearDuplicates.normalized(ta)),
                NearDuplicates.sortedShingles(normalized: NearDuplicates.normalized(tb)))
            #expect(fast == (plain >= NearDuplicates.threshold ? plain : nil), "\(ta) | \(tb)")
            // The size filter the duplicate stage applies first never drops a near pair.
            let (na, nb) = (NearDuplicates.shingles(ta).count, NearDuplicates.shingles(tb).count)
            #expect(NearDuplicates.sizesAllowNear(na, nb) || plain < NearDuplicates.threshold, "\(ta) | \(tb)")
        }
        // Sizes alone: 19 and 20 shingles can be near (19/20 = 0.95), 18 and 20 cannot.
        #expect(NearDuplicates.sizesAllowNear(19, 20) && !NearDuplicates.sizesAllowNear(18, 20))
        #expect(NearDuplicates.sizesAllowNear(0, 0) && !NearDuplicates.sizesAllowNear(1, 0))
        #expect(NearDuplicates.similarityIfNear([], []) == 1 && NearDuplicates.similarityIfNear([1], []) == nil)
    }

    /// The range of sizes that can be near is exactly the sizes `sizesAllowNear` lets through,
    /// for every size up to 1,500 and several thresholds (at 0.5 and more, a near set is at
    /// most twice as large).
    @Test func nearSizesIsTheRangeTheSizeCheckAllows() {
        for t in [0.95, 0.5, 0.8, 0.99, 1.0] {
            for y in 0...1500 {
                let allowed = (0...(2 * y + 10)).filter { NearDuplicates.sizesAllowNear($0, y, threshold: t) }
                let range = NearDuplicates.nearSizes(y, threshold: t)
                let same = range?.lowerBound == allowed.first && range?.upperBound == allowed.last && range?.count == allowed.count
                #expect(same || (range == nil && allowed.isEmpty), "threshold \(t), size \(y): \(String(describing: range))")
            }
        }
        #expect(NearDuplicates.nearSizes(20) == 19...21 && NearDuplicates.nearSizes(0) == 0...0)
    }

    /// The text read off a record's canonical `data` (`text(kind:canonical:limits:)`) is the
    /// tape's text, for every kind: the goldens' records, then random objects with the fields'
    /// names holding strings with escapes, non-ASCII and control characters, other types,
    /// containers and empty strings, canonical or with whitespace (which goes through the tape).
    @Test func theTextOffCanonicalDataIsTheTapesText() throws {
        let kinds = NearDuplicateText.kinds + ["location"]
        // The kinds whose fields are all top-level members: tweet, email, message, activity.
        let topLevel = NearDuplicateText.fields.filter { $0.paths.allSatisfy { $0.count == 1 } }.map { f in
            f.paths.map { Array($0[0].utf8) }
        }
        #expect(topLevel.count == 4)
        /// Checks every kind; returns how many top-level kinds read `data` without the tape.
        func same(_ data: [UInt8]) throws -> Int {
            for kind in kinds {
                let tape = NearDuplicateText.text(kind: kind, tape: try JSONTape(bytes: data))
                #expect(try NearDuplicateText.text(kind: kind, canonical: data, limits: JSONLimits()) == tape, "\(kind)")
            }
            return topLevel.filter { NearDuplicateText.topLevelText(data, $0) != nil }.count
        }
        let records = try Golden.forEachData { data throws in
            // Every kind whose fields are top-level members reads canonical data without the tape.
            #expect(try same(CanonicalJSON.encode(data)) == 4)
        }
        #expect(records > 900)
        var rng = SplitMix64(seed: 49)
        let names = ["full_text", "text", "subject", "title", "title_url", "content", "id", "data", "a"]
        let pieces = ["the train was late", " again", "\"", "\\", "\n", "caf\u{E9}", "\u{1F600}", "\u{1}", "/", "", "ok then, fine"]
        func string() -> String { (0..<rng.int(in: 0...6)).map { _ in rng.pick(pieces) }.joined() }
        func value(_ depth: Int) -> JSONValue {
            switch rng.int(in: 0...(depth > 1 ? 3 : 5)) {
            case 0, 1, 2: return .string(string())
            case 3: return rng.chance(0.5) ? .number("12") : (rng.chance(0.5) ? .null : .bool(true))
            case 4: return .array((0..<rng.int(in: 0...3)).map { _ in value(depth + 1) })
            default: return .object((0..<rng.int(in: 0...3)).map { _ in JSONMember(rng.pick(names), value(depth + 1)) })
            }
        }
        var fast = 0
        for _ in 0..<3000 {
            var members: [JSONMember] = []
            for name in names where rng.chance(0.4) { members.append(JSONMember(name, value(0))) }
            let canonical = CanonicalJSON.encode(.object(members))
            fast += try same(canonical)
            // Whitespace after a colon or a comma: not canonical, read through the tape all the same.
            let spaced = canonical.flatMap { b in b == UInt8(ascii: ",") || b == UInt8(ascii: ":") ? [b, 0x20] : [b] }
            if (try? JSONTape(bytes: spaced)) != nil { _ = try same(spaced) }
        }
        #expect(fast == 3000 * 4)
    }
}
