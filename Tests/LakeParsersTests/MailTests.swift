import LakeParsers
import Testing
import _LakeTestSupport

@Suite struct MailTests {
    static let mbox = """
        From 1700000000000000001@xxx Mon Jan 02 15:04:05 +0000 2006\r
        X-GM-THRID: 1700000000000000001\r
        X-Gmail-Labels: Inbox,Opened,Category Personal\r
        From: =?UTF-8?B?UmVuw6kgTcO8bGxlcg==?= <rene@example.org>\r
        To: Ada <ada@example.org>\r
        Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus?=\r
         =?UTF-8?Q?_K=C3=B6ln?= and more\r
        Date: Mon, 2 Jan 2006 16:04:05 +0100\r
        Message-ID: <m1@example.org>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/alternative; boundary="b1"\r
        \r
        --b1\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        Hallo Ada, sch=C3=B6ne Gr=C3=BC=\r
        =C3=9Fe.\r
        >From the archive: this line was quoted.\r
        --b1\r
        Content-Type: text/html; charset=utf-8\r
        \r
        <p>Hallo <b>Ada</b></p>\r
        --b1--\r
        \r
        From 1700000000000000002@xxx Tue Jan 03 09:00:00 +0000 2006\r
        From: ada@example.org\r
        Subject: photo\r
        Content-Type: multipart/mixed; boundary=outer\r
        \r
        --outer\r
        Content-Type: text/html; charset=windows-1252\r
        Content-Transfer-Encoding: 8bit\r
        \r
        <div>Only HTML&nbsp;here</div><script>ignored()</script>\r
        --outer\r
        Content-Type: image/png; name="dot.png"\r
        Content-Disposition: attachment; filename="=?UTF-8?Q?d=C3=B6t.png?="\r
        Content-Transfer-Encoding: base64\r
        \r
        iVBORw0KGgo=\r
        --outer--\r
        \r
        From 1700000000000000003@xxx Sat Jan  7 01:05:34 2006\r
        Subject: no date header, body mentions\r
        \r
        Hello.\r
        From here on, this is body text (no blank line before it).\r
        \r
        >>From two quotes become one.\r

        """.replacingOccurrences(of: "\n", with: "\n")

    static func readAll(_ bytes: [UInt8], chunk: Int, maxMessageBytes: Int = 64 << 20) throws -> [MboxReader.Message] {
        let reader = MboxReader(source: ChunkCursor.chunks(of: bytes, size: chunk), maxMessageBytes: maxMessageBytes)
        var out: [MboxReader.Message] = []
        while let m = try reader.next() { out.append(m) }
        return out
    }

    @Test func splitsMessagesTheSameWayInAnyChunking() throws {
        let bytes = Array(Self.mbox.utf8)
        let whole = try Self.readAll(bytes, chunk: bytes.count)
        #expect(whole.count == 3)
        for size in [1, 2, 17, 4096] { #expect(try Self.readAll(bytes, chunk: size) == whole) }
        #expect(whole[0].envelopeSender == "1700000000000000001@xxx")
        #expect(whole[0].envelopeDate?.iso8601 == "2006-01-02T15:04:05.000Z")
        #expect(whole[2].envelopeDate?.iso8601 == "2006-01-07T01:05:34.000Z")
    }

    @Test func decodesHeadersBodiesAndAttachments() throws {
        let messages = try Self.readAll(Array(Self.mbox.utf8), chunk: 100)
        let first = MailMessage.parse(messages[0].raw)
        #expect(first.from == "René Müller <rene@example.org>")
        #expect(first.subject == "Grüße aus Köln and more")
        #expect(first.date?.iso8601 == "2006-01-02T15:04:05.000Z")
        #expect(first.date?.offsetText == "+01:00")
        #expect(first.gmailLabels == ["Inbox", "Opened", "Category Personal"])
        #expect(first.messageID == "<m1@example.org>")
        #expect(first.textSource == "text/plain")
        #expect(first.text == "Hallo Ada, schöne Grüße.\r\nFrom the archive: this line was quoted.")
        #expect(first.attachments.isEmpty)

        let second = MailMessage.parse(messages[1].raw)
        #expect(second.textSource == "text/html")
        #expect(second.text == "Only HTML\u{A0}here".replacingOccurrences(of: "\u{A0}", with: " "))
        #expect(second.attachments == [.init(filename: "döt.png", contentType: "image/png", size: 8)])

        let third = MailMessage.parse(messages[2].raw)
        #expect(third.date == nil)
        #expect(third.text.contains("From here on, this is body text"))
        #expect(third.text.hasSuffix(">From two quotes become one.\r\n"))
    }

    @Test func oversizedMessagesKeepTheirHeadAndTheRestGoesOn() throws {
        let messages = try Self.readAll(Array(Self.mbox.utf8), chunk: 64, maxMessageBytes: 200)
        #expect(messages.count == 3)
        #expect(messages[0].isOversized)
        #expect(messages[0].raw.count == 200)
        #expect(messages[0].size > 200)
        #expect(MailMessage.parse(messages[0].raw).header("X-GM-THRID") == "1700000000000000001")
    }

    @Test func notAnMboxIsAnError() {
        #expect(throws: MboxReader.FormatError.self) { _ = try Self.readAll(Array("Subject: x\n\nbody\n".utf8), chunk: 10) }
        #expect((try? Self.readAll([], chunk: 10))?.isEmpty == true)
    }

    /// Outlook folds `Content-Type: multipart/mixed;` with a tab before `boundary=`: the
    /// parameter must still be found, so the body is read and the attachment listed.
    @Test func tabFoldedParametersAreUnfolded() {
        let raw = Array(
            """
            From: a@example.org\r
            Subject: tab folded\r
            Content-Type: multipart/mixed;\r
            \tboundary="----=_NextPart_000_0001"\r
            \r
            ------=_NextPart_000_0001\r
            Content-Type: text/plain;\r
            \tcharset="us-ascii"\r
            \r
            The body text.\r
            ------=_NextPart_000_0001\r
            Content-Type: application/pdf;\r
            \tname="report.pdf"\r
            Content-Disposition: attachment;\r
            \tfilename="report.pdf"\r
            Content-Transfer-Encoding: base64\r
            \r
            JVBERi0=\r
            ------=_NextPart_000_0001--\r

            """.utf8)
        let m = MailMessage.parse(raw)
        #expect(m.text == "The body text.")
        #expect(m.attachments.map(\.filename) == ["report.pdf"])
        #expect(m.attachments.first?.contentType == "application/pdf")
    }

    @Test func encodedWordsAndTransferEncodings() {
        #expect(MailHeaders.decodeEncodedWords("=?utf-8?q?a_b?= =?utf-8?q?c?=") == "a bc")
        #expect(MailHeaders.decodeEncodedWords("plain =?bogus") == "plain =?bogus")
        #expect(MailHeaders.decodeEncodedWords("x =?UTF-8?B?w6k=?= y") == "x é y")
        #expect(TransferEncoding.base64(Array("aGVsbG8=".utf8)) == Array("hello".utf8))
        #expect(TransferEncoding.base64(Array("aGVs\r\nbG8".utf8)) == Array("hello".utf8))
        #expect(TransferEncoding.quotedPrintable(Array("a=3Db=\r\nc=ZZ".utf8)) == Array("a=bc=ZZ".utf8))
        #expect(Charsets.decode([0x93, 0x41, 0x94], charset: "windows-1252") == "“A”")
        #expect(Charsets.decode([0xE9], charset: "ISO-8859-1") == "é")
        #expect(Charsets.decode([0xE9], charset: "x-no-such-charset") == nil)
    }

    /// An attachment's size is counted, not decoded: the count is the decoder's, for text of
    /// the alphabet, base64url, line breaks, spaces, other bytes and `=` anywhere.
    @Test func base64CountIsTheDecodedCount() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_".utf8)
        let others: [UInt8] = Array(" \r\n\t=.!".utf8) + [0x00, 0x80, 0xFF]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                Int.random(in: 0..<10, using: &generator) < 8
                    ? alphabet.randomElement(using: &generator)! : others.randomElement(using: &generator)!
            }
            #expect(TransferEncoding.base64Count(text) == TransferEncoding.base64(text).count, "\(text)")
        }
    }
}

@Suite struct MailAddressTests {
    @Test func readsNamesQuotesCommentsAndGroups() {
        let list = MailAddresses.parse(
            #""Doe, Jane" <Jane@Example.ORG>, bob@example.com (Bob, the builder), Team: carol@EXAMPLE.net, dave@x.io;, undisclosed-recipients:;"#
        )
        #expect(list.map(\.address) == ["Jane@example.org", "bob@example.com", "carol@example.net", "dave@x.io"])
        #expect(list.map(\.name) == ["Doe, Jane", nil, nil, nil])
    }

    @Test func escapedQuotesAndAngleBracketsInNames() {
        let list = MailAddresses.parse(#""A \"B\" C" <abc@d.e>, <only@angle.org>, no-at-sign, @x, y@"#)
        #expect(list.map(\.address) == ["abc@d.e", "only@angle.org"])
        #expect(list.first?.name == #"A "B" C"#)
    }

    @Test func manyAddressesAreCapped() {
        let value = (0..<1500).map { "u\($0)@x.org" }.joined(separator: ", ")
        #expect(MailAddresses.parse(value).count == MailAddresses.maxAddresses)
    }
}

@Suite struct MboxSeparatorTests {
    /// Gmail's Takeout puts some `From ` separators right after a body line (google-takeout-to-
    /// sqlite's small.gmail.mbox lost two of six messages to this); prose starting with "From "
    /// and quoted `>From ` lines stay body text.
    @Test func separatorsWithoutAnEmptyLineBefore() throws {
        let mbox =
            "From 1@xxx Wed Mar 23 01:57:00 +0000 2016\r\nSubject: a\r\n\r\nNothing worse\r\n"
            + "From 2@xxx Mon Mar 22 09:41:09 -0800 1993\r\nSubject: b\r\n\r\nFrom here on, body text.\r\n>From quoted\r\n"
        let reader = MboxReader(bytes: Array(mbox.utf8))
        var subjects: [String?] = []
        var last: MailMessage?
        while let m = try reader.next() {
            last = MailMessage.parse(m.raw)
            subjects.append(last?.subject)
        }
        #expect(subjects == ["a", "b"])
        #expect(last?.text.contains("From here on, body text.") == true)
        #expect(last?.text.contains("From quoted") == true)
    }
}

@Suite struct MailHeaderLimitTests {
    /// Headers past 1 MiB are cut there and the message kept (a 45 MB folded header once took
    /// 725 MB to read; it now peaks at 142 MB for the whole ingest, docs/SPEC.md 5.1).
    @Test func overlongHeadersAreCut() {
        var raw = Array("From: a@b.c\nSubject: start\n".utf8)
        let fold = Array(" folded continuation of a very long subject header line\n".utf8)
        while raw.count < 3 << 20 { raw += fold }
        raw += Array("To: x@y.z\n\nbody text\n".utf8)
        let m = MailMessage.parse(raw)
        #expect(m.truncatedHeaders)
        #expect(m.from == "a@b.c")
        #expect(m.text.hasPrefix("body text"))
        #expect((m.subject?.utf8.count ?? 0) <= MailMessage.maxHeaderBytes)
        #expect(!MailMessage.parse(Array("From: a@b.c\n\nx".utf8)).truncatedHeaders)
    }
}
