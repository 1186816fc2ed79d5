import LakeCore
import LakeParsers

/// Generated inputs and the loops that read them, for Benchmarks/ and for the scaling tests.
/// Not API (underscored target).
public enum ParserWorkloads {
    /// What a workload read: items and bytes, so the work cannot be optimized away.
    public struct Outcome: Sendable, Equatable {
        public var items: Int
        public var bytes: Int64
        public var checksum: UInt64
    }

    /// A chunk source repeating `unit(i)` for i = 0, 1, … until `bytes` are produced, in chunks
    /// of about 1 MiB. Deterministic; memory is one chunk.
    public static func repeating(bytes: Int64, prefix: [UInt8] = [], suffix: [UInt8] = [], unit: @escaping (Int) -> [UInt8])
        -> (source: () -> [UInt8]?, produced: () -> Int64)
    {
        var produced: Int64 = 0
        var i = 0
        var sentPrefix = false
        var done = false
        let source: () -> [UInt8]? = {
            if done { return nil }
            var chunk: [UInt8] = []
            chunk.reserveCapacity((1 << 20) + 8192)
            if !sentPrefix {
                chunk += prefix
                sentPrefix = true
            }
            while chunk.count < 1 << 20 && produced + Int64(chunk.count) < bytes {
                chunk += unit(i)
                i += 1
            }
            if produced + Int64(chunk.count) >= bytes {
                chunk += suffix
                done = true
            }
            produced += Int64(chunk.count)
            return chunk
        }
        return (source, { produced })
    }

    /// A Gmail-style mbox of about `bytes`: multipart messages with a quoted-printable text
    /// part, an HTML part and every fifth a small base64 attachment.
    public static func mbox(bytes: Int64) throws -> Outcome {
        let (source, produced) = repeating(bytes: bytes, unit: mboxMessage)
        let reader = MboxReader(source: source)
        var items = 0
        var checksum: UInt64 = 0
        while let m = try reader.next() {
            let mail = MailMessage.parse(m.raw)
            checksum = checksum &+ UInt64(mail.text.utf8.count) &+ UInt64(mail.attachments.count)
            items += 1
        }
        return Outcome(items: items, bytes: produced(), checksum: checksum)
    }

    /// Message `i` of `mbox(bytes:)`, with its `From ` line: multipart, a quoted-printable text
    /// part, an HTML part and every fifth a small base64 attachment.
    public static func mboxMessage(_ i: Int) -> [UInt8] {
        let attachment = String(
            repeating: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n", count: 20)
        let extra =
            i % 5 == 0
            ? "--b\(i)\r\nContent-Type: image/png; name=\"p\(i).png\"\r\nContent-Disposition: attachment; filename=\"p\(i).png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\(attachment)"
            : ""
        return Array(
            """
            From 17000000000\(i)@xxx Mon Jan 02 15:04:05 +0000 2006\r
            X-GM-THRID: 17000000000\(i)\r
            X-Gmail-Labels: Inbox,Opened\r
            From: =?UTF-8?B?UmVuw6kgTcO8bGxlcg==?= <rene@example.org>\r
            To: ada@example.org\r
            Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_Nummer_\(i)?=\r
            Date: Mon, 2 Jan 2006 16:04:05 +0100\r
            Content-Type: multipart/mixed; boundary="b\(i)"\r
            \r
            --b\(i)\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Hallo Ada, sch=C3=B6ne Gr=C3=BC=C3=9Fe aus K=C3=B6ln. Message \(i) of the benchmark mailbox, with =\r
            a soft line break and enough text to look like mail.\r
            >From the archive.\r
            --b\(i)\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <div>Hallo <b>Ada</b>, message \(i).</div>\r
            \(extra)--b\(i)--\r
            \r

            """.utf8)
    }

    /// A legacy Takeout My Activity page of about `bytes`.
    public static func activityHTML(bytes: Int64) throws -> Outcome {
        let head = Array("<html><head><meta charset=\"UTF-8\"><title>My Activity</title></head><body><div class=\"mdl-grid\">".utf8)
        let (source, produced) = repeating(bytes: bytes, prefix: head, suffix: Array("</div></body></html>".utf8)) { i in
            Array(
                """
                <div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid"><div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">YouTube<br></p></div><div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">Watched&nbsp;<a href="https://www.youtube.com/watch?v=v\(i)&amp;t=1">Video number \(i) &amp; more</a><br><a href="https://www.youtube.com/channel/UC\(i % 97)">Channel \(i % 97)</a><br>Jan \(i % 28 + 1), 2021, \(i % 12 + 1):54:12 PM BST</div><div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div><div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>&emsp;YouTube<br></div></div></div>

                """.utf8)
        }
        let reader = TakeoutActivityReader(source: source)
        var items = 0
        var checksum: UInt64 = 0
        while let e = try reader.next() {
            checksum = checksum &+ UInt64(e.time?.millis ?? 0) &+ UInt64(e.links.count)
            items += 1
        }
        return Outcome(items: items, bytes: produced(), checksum: checksum)
    }

    /// A top-level JSON array of about `bytes` of My Activity-shaped objects, read element by element.
    public static func jsonArray(bytes: Int64) throws -> Outcome {
        let (source, produced) = repeating(bytes: bytes, prefix: Array("[".utf8), suffix: Array("{}]".utf8)) { i in
            Array(
                """
                {"header":"Search","title":"Searched for lake \(i)","titleUrl":"https://www.google.com/search?q\\u003dlake+\(i)\\u0026hl\\u003den","time":"2021-12-13T03:04:05.\(i % 1000)Z","products":["Search"],"activityControls":["Web \\u0026 App Activity"]},
                """.utf8)
        }
        let reader = JSONReader(source: source, limits: JSONLimits(maxDepth: 10, maxDocumentBytes: .max))
        guard try reader.next() == .beginArray else { return Outcome(items: 0, bytes: 0, checksum: 0) }
        var items = 0
        var checksum: UInt64 = 0
        while true {
            let t = try reader.next()
            if t == .endArray { break }
            let v = try reader.readValue(first: t)
            checksum = checksum &+ UInt64(v.objectMembers?.count ?? 0)
            items += 1
        }
        return Outcome(items: items, bytes: produced(), checksum: checksum)
    }
}
