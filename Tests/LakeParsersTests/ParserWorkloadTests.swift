import LakeParsers
import Testing
import _LakeBenchmarkSupport

/// The benchmark workloads at small sizes: they must parse cleanly and count what they made,
/// so a benchmark never measures a parser that stopped at an error.
@Suite struct ParserWorkloadTests {
    @Test func mboxWorkload() throws {
        let o = try ParserWorkloads.mbox(bytes: 1 << 20)
        #expect(o.bytes >= 1 << 20)
        #expect(o.items > 500)
        // Every message was generated with text; the checksum counts text bytes and attachments.
        #expect(o.checksum > UInt64(o.items) * 50)
    }

    @Test func activityWorkload() throws {
        let o = try ParserWorkloads.activityHTML(bytes: 1 << 20)
        #expect(o.items > 1000)
        #expect(o.bytes >= 1 << 20)
    }

    @Test func jsonWorkload() throws {
        let o = try ParserWorkloads.jsonArray(bytes: 1 << 20)
        #expect(o.items > 3000)
        #expect(o.checksum == UInt64(o.items - 1) * 6)
    }

    /// Records.json: the tape path and the reader path see the same elements, each with its
    /// six members (the tape's checksum adds members and tokens: 6 + 14 per point).
    @Test func recordsJSONWorkloadBothWays() throws {
        let doc = JSONTapeWorkloads.recordsJSON(bytes: 1 << 20)
        let tape = try JSONTapeWorkloads.tapeElements(doc)
        let reader = try JSONTapeWorkloads.readerElements(doc)
        #expect(tape.items > 4000)
        #expect(tape.items == reader.items)
        #expect(reader.checksum == UInt64(reader.items) * 6)
        #expect(tape.checksum == UInt64(tape.items) * 20)
    }
}
