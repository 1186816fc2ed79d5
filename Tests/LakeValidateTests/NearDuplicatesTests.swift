import Testing

@testable import LakeValidate

@Suite struct NearDuplicatesTests {
    let sentence = "Wir sind am Fluss entlang gelaufen, bis die Lichter angingen."

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
        #expect(sa.count == 64 && sa == NearDuplicates.signature(a))
        let agreeing = zip(sa, sb).filter { $0 == $1 }.count
        #expect(agreeing >= 50, "\(agreeing) of 64")
        #expect(Set(NearDuplicates.bandKeys(sa)).intersection(NearDuplicates.bandKeys(sb)).count >= 1)
        let far = NearDuplicates.signature(NearDuplicates.shingles("Three meetings before lunch is too many."))
        #expect(Set(NearDuplicates.bandKeys(sa)).intersection(NearDuplicates.bandKeys(far)).isEmpty)
    }
}
