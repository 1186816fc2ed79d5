import LakeCore
import LakeParsers
@testable import LakeNormalize
import Testing
import _LakeTestSupport

@Suite struct MailMapperTests {
    let context = RecordContext(
        input: "takeout.zip", inputSHA256: String(repeating: "a", count: 64),
        path: "Takeout/Mail/All mail Including Spam and Trash.mbox", user: "u", ring: ShardRing(Thresholds()))

    func messages(_ text: String) throws -> [MboxReader.Message] {
        let reader = MboxReader(bytes: Array(text.utf8))
        var out: [MboxReader.Message] = []
        while let m = try reader.next() { out.append(m) }
        return out
    }

    @Test func mapsHeadersTextAttachmentsAndEntities() throws {
        let mbox = """
            From 1234@xxx Mon Mar  4 09:15:00 +0000 2024
            X-GM-THRID: 1791
            X-Gmail-Labels: Inbox,Opened, Category Personal
            From: =?UTF-8?Q?S=C3=B8ren?= <Soren@Example.DE>
            To: "Doe, Jane" <jane@example.org>, bob@example.com (Bob)
            Cc: undisclosed-recipients:;
            Subject: Lunch\u{7} plans
            Date: Mon, 4 Mar 2024 10:15:00 +0100
            Message-ID: <m1@example.de>
            Content-Type: multipart/mixed; boundary=XX

            --XX
            Content-Type: text/plain; charset=utf-8

              See you at noon.\r
            --XX
            Content-Type: application/pdf; name=menu.pdf
            Content-Transfer-Encoding: base64

            aGVsbG8=
            --XX--

            """
        let m = try #require(try messages(mbox).first)
        let r = MailMapper.map(m, context: context)
        #expect(r.recordKind == "email" && r.category == "communication" && r.exportKind == "google-takeout")
        #expect(r.occurredAt == "2024-03-04T09:15:00.000Z" && r.sourceOffset == "+01:00")
        #expect(r.data["subject"]?.stringValue == "Lunch plans")
        #expect(r.data["from"]?.stringValue == "Søren <Soren@Example.DE>")
        #expect(r.data["text"]?.stringValue == "See you at noon.")
        #expect(r.data["labels"] == .array([.string("Inbox"), .string("Opened"), .string("Category Personal")]))
        #expect(r.data["thread_id"]?.stringValue == "1791" && r.data["time_source"]?.stringValue == "date_header")
        #expect(r.data["cc"]?.stringValue == "undisclosed-recipients:;")
        let attachments = try #require(r.data["attachments"]?.arrayValue)
        #expect(attachments.count == 1 && attachments[0]["filename"]?.stringValue == "menu.pdf" && attachments[0]["size"] == .number("5"))
        #expect(r.entities.map(\.kind) == ["email", "email", "email", "person", "person"])
        #expect(r.entities.map(\.value) == ["Soren@example.de", "jane@example.org", "bob@example.com", "Søren", "Doe, Jane"])
        #expect(r.contentHash == Hex.string(XXH64.hash(m.raw)))
        #expect(
            r.lineage.map(\.step) == [
                "parse.mbox", "parse.mime", "map.mail.message", "normalize.text", "normalize.timestamp", "enrich.language",
            ])
        #expect(r.language != nil && ["detected", "fallback"].contains(r.languageMethod ?? "") && r.languageConfidence != nil)
    }

    @Test func withoutADateHeaderTheEnvelopeDateIsUsedInUTC() throws {
        let m = try #require(try messages("From x@y Tue Feb 27 23:59:59 2024\nSubject: s\n\nb\n").first)
        let r = MailMapper.map(m, context: context)
        #expect(r.occurredAt == "2024-02-27T23:59:59.000Z" && r.sourceOffset == nil)
        #expect(r.data["time_source"]?.stringValue == "envelope")
        // Empty values are left out: no from, no to, no attachments.
        #expect(r.data["from"] == nil && r.data["attachments"] == nil && r.entities.isEmpty)
    }

    @Test func anOversizedMessageIsKeptTruncatedAndSaysSo() throws {
        let body = String(repeating: "x", count: 300) + "\n"
        let reader = MboxReader(bytes: Array(("From x@y Tue Feb 27 23:59:59 2024\nSubject: big\n\n" + body).utf8), maxMessageBytes: 100)
        let m = try #require(try reader.next())
        let r = MailMapper.map(m, context: context)
        #expect(r.data["truncated"] == .bool(true) && r.data["size"] == .number(String(m.size)))
    }

    @Test func outsideTakeoutTheExportKindIsMail() {
        #expect(MailMapper.exportKind(path: "inbox.mbox") == "mail")
        #expect(MailMapper.exportKind(path: "Takeout/Mail/x.mbox") == "google-takeout")
    }
}
