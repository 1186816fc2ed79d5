import LakeCore
import LakeParsers

/// Takeout's mail, calendar and contacts: Gmail's mbox (each sender's address planted as PII),
/// one calendar, one vCard file (each card's address and phone planted).
extension TakeoutProfile {
    func writeMailCalendarContacts(
        person: TwitterProfile.Person, names: Names, unit: Int64, parts: [ArchiveBuilder], partNames: [String], span: ClosedRange<Int64>,
        rng: inout SplitMix64, recorder: ManifestRecorder.Segment, add: (StagedFile, Int, String, Int) throws -> Void
    ) throws {
        func time() -> Int64 { span.lowerBound + Int64(rng.int(in: 0...Int(span.upperBound - span.lowerBound))) }
        // Gmail mbox, with each sender's address as planted PII.
        let mboxPath = "Takeout/\(names.mail)/\(names.mbox)"
        let mbox = try parts[0].open(mboxPath)
        var mails = 0
        while mbox.written < unit * 3 {
            let t = time()
            let from = rng.email(first: rng.pick(Vocabulary.firstNames), last: rng.pick(Vocabulary.lastNames))
            let subject = rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!)
            let spelled = Vocabulary.spelled(subject)
            let (y, mo, d) = Civil.civilFromDays(t / 86_400_000)
            let secs = (t / 1000) % 86_400
            let clock = "\(Self.two(secs / 3600)):\(Self.two(secs / 60 % 60)):\(Self.two(secs % 60))"
            let weekday = TwitterProfile.days[Int(((t / 86_400_000 + 3) % 7 + 7) % 7)]
            let month = TwitterProfile.months[Int(mo - 1)]
            var dateBytes: [UInt8] = []
            Timestamp.appendMailDate(t, offsetMinutes: 0, into: &dateBytes)
            let date = String(decoding: dateBytes, as: UTF8.self)
            mbox.write(
                """
                From \(rng.digits(19))@xxx \(weekday) \(month) \(Self.two(d)) \(clock) +0000 \(y)\r
                X-GM-THRID: \(rng.digits(19))\r
                X-Gmail-Labels: \(rng.pick(["Inbox,Opened", "Archived,Category Updates", "Sent", "Spam"]))\r
                From: =?UTF-8?B?\(Vocabulary.spelled(rng.pick(Vocabulary.firstNames)).base64)?= <\(from.value)>\r
                To: \(person.email.value)\r
                Subject: =?UTF-8?B?\(spelled.base64)?=\r
                Date: \(date)\r
                Message-ID: <\(rng.digits(12))@mail.example.org>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/alternative; boundary="b\(mails)"\r
                \r
                --b\(mails)\r
                Content-Type: text/plain; charset=UTF-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                \(spelled.quotedPrintable)\r
                \r
                https://mail.example.org/r/\(rng.code(10))\r
                --b\(mails)\r
                Content-Type: text/html; charset=UTF-8\r
                Content-Transfer-Encoding: base64\r
                \r
                \(spelled.htmlBase64)\r
                --b\(mails)--\r
                \r

                """)
            recorder.plant(.init(file: partNames[0], entry: mboxPath, index: mails, field: "from", planted: from))
            // The owner's own address is personal data too.
            recorder.plant(.init(file: partNames[0], entry: mboxPath, index: mails, field: "to", planted: person.email))
            mails += 1
        }
        try add(mbox, 0, "email", mails)

        // Calendar and contacts.
        let ics = try parts[1].open("Takeout/\(names.calendar)/\(person.email.value).ics")
        ics.write("BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n")
        var events = 0
        while ics.written < unit / 2 {
            var stamp: [UInt8] = []
            TwitterProfile.appendISO(time(), into: &stamp)
            let compact =
                String(decoding: stamp.prefix(19).filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ":") }, as: UTF8.self) + "Z"
            ics.write(
                "BEGIN:VEVENT\r\nDTSTART:\(compact)\r\nDTEND:\(compact)\r\nUID:\(rng.digits(26))@google.com\r\nSUMMARY:\(Vocabulary.spelled(rng.pick(Vocabulary.sentences[rng.pick(Vocabulary.languages)]!)).ics)\r\nLOCATION:\(rng.pick(Vocabulary.places).name)\r\nEND:VEVENT\r\n"
            )
            events += 1
        }
        ics.write("END:VCALENDAR\r\n")
        try add(ics, 1, "calendar_event", events)
        let vcfPath = "Takeout/\(names.contacts)/\(names.allContacts)/\(names.allContacts).vcf"
        let vcf = try parts[0].open(vcfPath)
        var contacts = 0
        while vcf.written < unit / 3 {
            let first = rng.pick(Vocabulary.firstNames), last = rng.pick(Vocabulary.lastNames)
            let email = rng.email(first: first, last: last)
            let phone = rng.phone()
            // A UID per card: two contacts drawn alike (same name, address and phone) are still two
            // cards, and the answer key lists no duplicates it did not plant.
            let uid = String((0..<32).map { _ in Array("0123456789abcdef")[rng.int(in: 0...15)] })
            vcf.write(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:\(uid)\r\nFN:\(first) \(last)\r\nN:\(last);\(first);;;\r\nEMAIL;TYPE=INTERNET:\(email.value)\r\nTEL;TYPE=CELL:\(phone.value)\r\nEND:VCARD\r\n"
            )
            recorder.plant(.init(file: partNames[0], entry: vcfPath, index: contacts, field: "email", planted: email))
            recorder.plant(.init(file: partNames[0], entry: vcfPath, index: contacts, field: "tel", planted: phone))
            contacts += 1
        }
        try add(vcf, 0, "contact", contacts)
    }
}
