import Foundation
import LakeCore
import LakeIngest
import LakeParsers
import LakeValidate

/// The fuzz targets' bodies, shared by the libFuzzer executables (Tests/Fuzz) and the replay
/// tests of the ordinary build, so the targets compile and run in every CI run.
/// Not API (underscored target).
///
/// Each target takes one input and returns nil, or a description of a broken property.
/// Parse errors are expected and fine; a crash, hang, or broken property is a finding.
public enum FuzzTargets {
    public typealias Target = @Sendable ([UInt8]) -> String?

    /// Every target by name; the names are the folder names under Corpus/fuzz/.
    public static let all: [(name: String, run: Target)] = [
        ("json", json), ("csv", csv), ("timestamp", timestamp), ("twitter", twitter), ("archive", archive),
        ("mbox", mbox), ("ics", ics), ("vcf", vcf), ("html", html), ("xml", xml), ("metadata", metadata), ("normalize", normalize),
        ("security", security), ("pii", pii), ("schema", schema), ("annotations", annotations),
    ]

    /// The security scan's built-in rules, compiled once.
    static let scanner = try? SecurityScanner(timeoutSeconds: 10)

    /// The security scan (YARA through our C wrapper): any bytes under a data file's, an HTML
    /// page's and an extension-less name; nothing may trap, two scans must agree, and the same
    /// bytes after the EICAR string are never the EICAR file.
    public static let security: Target = { bytes in
        guard let scanner else { return "security: the built-in rules do not compile" }
        for path in ["Takeout/a.json", "Takeout/My Activity/x.html", "IMG_0001.jpg", "tools/run"] {
            let first = (try? scanner.scan(bytes, path: path))?.map(\.rule)
            if first != (try? scanner.scan(bytes, path: path))?.map(\.rule) { return "security: two scans of \(path) differ" }
        }
        let shifted = Array(("x" + String(repeating: "\n", count: 1)).utf8) + bytes
        if (try? scanner.scan(shifted, path: "a.txt"))?.contains(where: { $0.rule == "eicar:eicar_test_file" }) == true {
            return "security: the EICAR rule matched bytes that do not start with the test string"
        }
        return nil
    }

    /// PII detection over the bytes as text (invalid UTF-8 repaired) under three field names:
    /// spans lie inside the text, are ordered, do not overlap, score 0.85-1.00, and the same
    /// scan twice agrees. When the bytes are JSON, content validation of them as a record's
    /// data gives findings whose pointers resolve to strings.
    public static let pii: Target = { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let count = text.unicodeScalars.count
        let scanner = PIIScanner()
        for field in ["text", "phone_number", "order_id"] {
            let spans = scanner.scan(text, field: field)
            if spans != scanner.scan(text, field: field) { return "pii: two scans differ" }
            var last = 0
            for s in spans {
                guard s.start >= last, s.start < s.end, s.end <= count else { return "pii: span \(s) out of place (text of \(count))" }
                guard (PIIScanner.threshold...100).contains(s.score) else { return "pii: score \(s.score) out of range" }
                last = s.end
            }
        }
        if let data = try? JSONReader.parse(bytes, limits: JSONLimits(maxDepth: 32, maxDocumentBytes: 1 << 20)) {
            for f in ContentValidator().findings(in: data) where JSONPointer.resolve(f.field, in: data)?.stringValue == nil {
                return "pii: finding pointer \(f.field) resolves to no string"
            }
        }
        return nil
    }

    /// JSON Schema checks: the bytes as an instance of every shipped schema, and as a schema of
    /// their own (read or refused, never a trap); each check twice must agree, and violations
    /// are capped.
    public static let schema: Target = { bytes in
        guard let value = try? JSONReader.parse(bytes, limits: JSONLimits(maxDepth: 64, maxDocumentBytes: 1 << 20)) else { return nil }
        for (name, s) in ExportSchemas.all.sorted(by: { $0.key < $1.key }) {
            let first = s.validate(value)
            if first != s.validate(value) { return "schema: two checks against \(name) differ" }
            if first.count > JSONSchema.maxViolations { return "schema: more violations than the cap" }
        }
        if let own = try? JSONSchema(value, name: "fuzz") {
            _ = own.validate(value)
            _ = own.validate(.object([.init("a", value)]))
        }
        return nil
    }

    /// Content metadata: every format's reader over the bytes as head and as tail, and the
    /// office core-properties reader; nothing may trap, and the result must be the same twice.
    public static let metadata: Target = { bytes in
        let head = Array(bytes.prefix(ContentMetadata.headBytes)), tail = Array(bytes.suffix(ContentMetadata.tailBytes))
        var out: [String] = []
        for format in ["html", "png", "gif", "jpeg", "webp", "mp4", "pdf"] {
            out.append(ContentMetadata.extract(format: format, head: head, tail: tail).map(CanonicalJSON.string) ?? "-")
        }
        out.append(ContentMetadata.officeCoreProperties(head).map(CanonicalJSON.string) ?? "-")
        out.append(ContentMetadata.officeAppProperties(head).map(CanonicalJSON.string) ?? "-")
        let again = ["html", "png", "gif", "jpeg", "webp", "mp4", "pdf"].map {
            ContentMetadata.extract(format: $0, head: head, tail: tail).map(CanonicalJSON.string) ?? "-"
        }
        return again == Array(out.prefix(7)) ? nil : "metadata: two runs over the same bytes differ"
    }

    /// Reads everything with `read` over one chunk and over 1-byte and 7-byte chunks; the
    /// results (values or error descriptions) must be the same.
    static func differential(_ bytes: [UInt8], _ name: String, _ read: (@escaping () -> [UInt8]?) -> String) -> String? {
        let whole = read(chunks(bytes, size: max(1, bytes.count)))
        for size in [1, 7] where read(chunks(bytes, size: size)) != whole {
            return "\(name): chunks of \(size) and one chunk disagree"
        }
        return nil
    }

    /// Runs `body` and turns any thrown error into its description.
    static func describe(_ body: () throws -> String) -> String {
        do { return try body() } catch { return "error \(error)" }
    }

    /// mbox: messages split the same way in any chunking; every message's MIME parse succeeds.
    public static let mbox: Target = { bytes in
        differential(bytes, "mbox") { source in
            describe {
                let r = MboxReader(source: source, maxMessageBytes: 1 << 20)
                var out = ""
                while let m = try r.next() {
                    let mail = MailMessage.parse(m.raw)
                    out +=
                        "\(m.index)|\(m.offset)|\(m.envelopeSender)|\(m.raw.count)|\(mail.subject ?? "-")|\(mail.text.count)|\(mail.attachments.count)\n"
                }
                return out
            }
        }
    }

    /// iCalendar: the same events in any chunking.
    public static let ics: Target = { bytes in
        differential(bytes, "ics") { source in
            describe {
                let r = ICalendarReader(source: source)
                var out = ""
                while let e = try r.nextEvent() {
                    out +=
                        "\(e.line)|\(e.summary ?? "-")|\(e.start?.timestamp.iso8601 ?? "-")|\(e.end?.timestamp.iso8601 ?? "-")|\(e.properties.count)\n"
                }
                return out
            }
        }
    }

    /// vCard: the same cards in any chunking.
    public static let vcf: Target = { bytes in
        differential(bytes, "vcf") { source in
            describe {
                let r = VCardReader(source: source)
                var out = ""
                while let c = try r.next() {
                    out += "\(c.line)|\(c.formattedName ?? "-")|\(c.emails.map(\.value))|\(c.phones.map(\.value))|\(c.properties.count)\n"
                }
                return out
            }
        }
    }

    /// Takeout activity HTML: the same entries in any chunking, and HTML-to-text never fails.
    public static let html: Target = { bytes in
        _ = HTMLText.toText(String(decoding: bytes.prefix(1 << 16), as: UTF8.self))
        return differential(bytes, "html") { source in
            describe {
                let r = TakeoutActivityReader(source: source, maxEntryBytes: 1 << 18)
                var out = ""
                while let e = try r.next() {
                    out += "\(e.index)|\(e.header)|\(e.title)|\(e.links.count)|\(e.time?.millis ?? -1)|\(e.products)\n"
                }
                return out
            }
        }
    }

    /// XML: the same events in any chunking; entity expansion stays within its budget.
    public static let xml: Target = { bytes in
        differential(bytes, "xml") { source in
            describe {
                var limits = XMLReader.Limits()
                limits.maxExpansionBytes = 1 << 16
                let r = XMLReader(source: source, limits: limits)
                var out = ""
                var n = 0
                while let e = try r.next(), n < 100_000 {
                    out += "\(e)\n"
                    n += 1
                }
                return out
            }
        }
    }

    public static func target(named name: String) -> Target? { all.first { $0.name == name }?.run }

    static func chunks(_ bytes: [UInt8], size: Int) -> () -> [UInt8]? { ChunkCursor.chunks(of: bytes, size: size) }

    static func parseJSON(_ make: () -> JSONReader) -> Result<JSONValue, JSONError> {
        let r = make()
        do {
            let v = try r.readValue()
            _ = try r.next()
            return .success(v)
        } catch let e as JSONError {
            return .failure(e)
        } catch {
            return .failure(JSONError(.unexpectedEnd, offset: -1, line: -1))
        }
    }

    /// JSON: the streaming path (chunks of 1 and 13 bytes) and the tape agree with the whole-buffer path;
    /// what parses re-serializes canonically, re-parses to the same value, and canonical output
    /// is a fixed point.
    public static let json: Target = { bytes in
        let limits = JSONLimits(maxDepth: 64, maxStringBytes: 1 << 20, maxDocumentBytes: 1 << 22)
        let whole = parseJSON { JSONReader(bytes: bytes, limits: limits) }
        for size in [1, 13] {
            let streamed = parseJSON { JSONReader(source: chunks(bytes, size: size), limits: limits) }
            if streamed != whole { return "streaming (chunks of \(size)) and whole-buffer parses disagree" }
        }
        let taped: Result<JSONValue, JSONError>
        do throws(JSONError) { taped = .success(try JSONTape(bytes: bytes, limits: limits).value()) } catch { taped = .failure(error) }
        if taped != whole { return "the tape and the reader disagree" }
        guard case .success(let value) = whole else { return nil }
        let canonical = CanonicalJSON.encode(value)
        if let tape = try? JSONTape(bytes: bytes, limits: limits) {
            var writer = JSONTapeCanonical()
            var out: [UInt8] = []
            if writer.write(tape, into: &out), out != canonical { return "the tape's canonical JSON differs from the value's" }
        }
        guard case .success(let again) = parseJSON({ JSONReader(bytes: canonical, limits: limits) }) else {
            return "canonical output does not parse: \(String(decoding: canonical.prefix(200), as: UTF8.self))"
        }
        if CanonicalJSON.encode(again) != canonical { return "canonical JSON is not a fixed point" }
        return nil
    }

    /// CSV: chunked and whole reads agree; what reads writes back and re-reads to the same
    /// records; the sniffer returns a confidence in 0...1.
    public static let csv: Target = { bytes in
        func readAll(_ r: CSVReader) -> Result<[[String]], CSVError> {
            var rows: [[String]] = []
            do {
                while let row = try r.nextRecord() {
                    rows.append(row)
                    if rows.count > 100_000 { break }
                }
                return .success(rows)
            } catch let e as CSVError { return .failure(e) } catch {
                return .failure(CSVError(kind: .rowLimit, offset: -1, line: -1, record: -1))
            }
        }
        let sniffed = CSVSniffer.sniff(Array(bytes.prefix(4096)), isComplete: bytes.count <= 4096)
        if !(0...1).contains(sniffed.confidence) { return "sniffer confidence \(sniffed.confidence) outside 0...1" }
        let dialect = sniffed.dialect
        let whole = readAll(CSVReader(bytes: bytes, dialect: dialect))
        let streamed = readAll(CSVReader(source: chunks(bytes, size: 3), dialect: dialect))
        if whole != streamed { return "chunked and whole CSV reads disagree" }
        guard case .success(let rows) = whole else { return nil }
        var writeDialect = dialect
        writeDialect.hasBOM = false
        let written = CSVWriter(dialect: writeDialect).encode(rows)
        guard case .success(let back) = readAll(CSVReader(bytes: written, dialect: writeDialect)) else {
            return "written CSV does not read back"
        }
        if back != rows { return "CSV write/read round trip changed the records" }
        return nil
    }

    /// Timestamps: whatever parses formats as ISO-8601, and that parses back to the same instant.
    public static let timestamp: Target = { bytes in
        guard bytes.count <= 256, let text = String(validating: bytes, as: UTF8.self) else { return nil }
        guard let (t, _) = try? Timestamp.parseAny(text) else { return nil }
        guard let back = try? Timestamp.parseISO8601(t.iso8601) else { return "\(t.iso8601) does not parse back" }
        if back.millis != t.millis { return "ISO round trip moved \(t.millis) to \(back.millis)" }
        if t.millis < Timestamp.minMillis || t.millis > Timestamp.maxMillis { return "instant outside the supported range" }
        return nil
    }

    /// Twitter `.js` files: the header and every element agree between 1-byte chunks and one
    /// chunk, and between elements read as values and handed on as bytes (with the reader's tape).
    public static let twitter: Target = { bytes in
        func read(_ size: Int, raw: Bool = false) -> String {
            do {
                let limits = JSONLimits(maxDepth: 32, maxDocumentBytes: 1 << 22)
                let f = try TwitterJSFile(source: chunks(bytes, size: size), limits: limits)
                var out = "\(f.header.globalName)|\(f.header.part.map(String.init) ?? "-")|\(f.header.length)"
                if raw {
                    try f.forEachRawElement(rejected: { _, e in throw e }) { i, e in
                        switch e {
                        case .raw(let checked):
                            // The tape the reader handed on, loaded as a worker loads it.
                            var tape = JSONTape()
                            try tape.load(checked, limits: limits)
                            out += "|\(i):" + CanonicalJSON.string(tape.value())
                        case .value(let v): out += "|\(i):" + CanonicalJSON.string(v)
                        }
                    }
                } else {
                    try f.forEachElement { i, v in out += "|\(i):" + CanonicalJSON.string(v) }
                }
                return out
            } catch let e as JSONError {
                return "json \(e)"
            } catch let e as LakeError {
                return "lake \(e.rule.rawValue) \(e.location ?? "")"
            } catch {
                return "other \(error)"
            }
        }
        let whole = read(max(1, bytes.count))
        let small = read(1)
        if whole != small { return "chunked and whole Twitter reads disagree" }
        return read(max(1, bytes.count), raw: true) == whole ? nil : "Twitter elements as bytes and as values disagree"
    }

    /// Archives through libarchive: reading every entry never crashes; and the same archive read
    /// through `ReadAheadSource`, reading ahead at each entry's end by a limit the bytes pick,
    /// gives the same entries, blocks, counts and errors at every step.
    public static let archive: Target = { bytes in
        let path = NSTemporaryDirectory() + "datapunk-fuzz-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).bin"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return nil }
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let plain = try? ArchiveReader(path: path) else { return nil }
        let first = walk(plain) { _ in nil }
        // Ahead by a limit the last byte picks per entry, and by whole entries.
        let limits = [0, 1, 4096, 1 << 20]
        let seed = bytes.last.map(Int.init) ?? 0
        for pick in [{ (n: Int) in limits[(seed + n) % limits.count] }, { _ in 64 << 20 }] {
            guard let inner = try? ArchiveReader(path: path) else { return "archive: opened once, not twice" }
            let ahead = walk(ReadAheadSource(inner), ahead: pick)
            if ahead != first { return "archive: read ahead, the reader saw \(ahead.count) steps, not the archive's \(first.count)" }
        }
        return nil
    }

    /// What a reader sees walking `source`: entries, blocks, ends and errors, with the counts
    /// after each; after entry `n`'s data ends, `ahead(n)` bytes of the next are read ahead.
    static func walk(_ source: EntrySource, ahead: (Int) -> Int?) -> [String] {
        var out: [String] = []
        func step(_ s: String) { out.append("\(s) \(source.rawBytesRead ?? -1) \(source.failed)") }
        var total = 0
        for n in 0..<1000 where total < 64 << 20 {
            let entry: ArchiveEntry?
            do { entry = try source.nextEntry() } catch {
                step("header error \(error)")
                break
            }
            guard let entry else { break }
            step("entry \(entry.path)")
            while true {
                do {
                    guard let chunk = try source.readChunk() else {
                        step("end")
                        if let limit = ahead(n) { _ = (source as? ReadAheadSource)?.readAhead(upTo: limit) { _ in true } }
                        break
                    }
                    total += chunk.count
                    step("block \(chunk.count) \(chunk.first ?? 0) \(chunk.last ?? 0)")
                    if total >= 64 << 20 { break }
                } catch {
                    step("data error \(error)")
                    break
                }
            }
            if source.failed { break }
        }
        return out
    }
}
