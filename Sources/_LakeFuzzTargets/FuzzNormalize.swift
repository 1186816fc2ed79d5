import LakeCore
import LakeNormalize
import LakeParsers

extension FuzzTargets {
    /// The default ring, built once: 16 × 2,048 points are hashed and sorted to make one, far
    /// more than a fuzz input costs.
    static let ring = ShardRing(Thresholds())

    /// The normalizers (docs/SPEC.md 5.2-5.9) over arbitrary text: text cleansing, snake_case,
    /// CSV headers and phone numbers are idempotent; geo and locale numbers read back what
    /// they wrote; entity search and language detection never trap and stay in range; when the
    /// input is JSON, flattening then unflattening gives back the pruned snake_case value and
    /// every JSON family's mapper (and Twitter's) either maps it or reports a record error; the
    /// same bytes as an mbox, a vCard file, an iCalendar file and a My Activity page go
    /// through their mappers.
    public static let normalize: Target = { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let clean = TextCleansing.clean(text)
        if TextCleansing.clean(clean) != clean { return "text cleansing is not idempotent" }
        let key = SnakeCase.convert(text)
        if SnakeCase.convert(key) != key { return "snake_case is not idempotent: \(key)" }
        let header = CSVColumns.header(text.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        if CSVColumns.header(header) != header { return "CSV headers are not idempotent: \(header)" }
        if let phone = PhoneNumbers.normalize(text), PhoneNumbers.normalize(phone) != phone {
            return "phone normalization is not idempotent"
        }
        if let p = GeoPoint.parse(text), GeoPoint.parse(p.latitude + "," + p.longitude) != p { return "geo does not read back" }
        for separator: Character in [".", ","] {
            if let n = LocaleNumber.normalize(text, decimalSeparator: separator), LocaleNumber.normalize(n.text, decimalSeparator: ".") != n
            {
                return "locale number \(n.text) does not read back"
            }
        }
        _ = Mojibake.repair(text)
        _ = TextEntities.find(text)
        if let r = LanguageDetector.detect(text), !(0...100).contains(r.confidencePercent) { return "language confidence out of range" }
        let documents = RecordContext(
            input: "fuzz", inputSHA256: String(repeating: "0", count: 64), path: "Takeout/x", user: "fuzz",
            ring: Self.ring)
        let mbox = MboxReader(source: ChunkCursor.chunks(of: Array("From a@b Mon Jan 02 15:04:05 +0000 2006\n".utf8) + bytes, size: 4096))
        var n = 0
        while n < 50, let m = try? mbox.next() {
            _ = MailMapper.map(m, context: documents).canonicalLine()
            n += 1
        }
        let cards = VCardReader(bytes: bytes)
        n = 0
        while n < 50, let card = try? cards.next() {
            _ = DocumentMappers.contact(card, index: n, exportKind: "generic", context: documents).canonicalLine()
            n += 1
        }
        let calendar = ICalendarReader(bytes: bytes)
        n = 0
        while n < 50, let event = try? calendar.nextEvent() {
            do {
                _ = try DocumentMappers.event(event, index: n, exportKind: "generic", context: documents).canonicalLine()
            } catch let e as LakeError where e.scope == .entry {
                // One event rejected with its rule: what the pipeline does too.
            } catch {
                return "the calendar mapper threw something other than a record error: \(error)"
            }
            n += 1
        }
        let page = TakeoutActivityReader(bytes: bytes)
        n = 0
        while n < 50, let a = try? page.next() {
            _ = DocumentMappers.activity(a, index: n, context: documents).canonicalLine()
            n += 1
        }
        guard let value = try? JSONReader.parse(bytes) else { return nil }
        let snake = SnakeCase.convertKeys(value)
        if case .object = snake, Flatten.unflatten(Flatten.flatten(snake)) != (Flatten.prune(snake) ?? .object([])) {
            return "flatten then unflatten does not give back the pruned value"
        }
        let context = RecordContext(
            input: "fuzz", inputSHA256: String(repeating: "0", count: 64), path: "messages/inbox/a_1/message_1.json",
            user: "fuzz", ring: Self.ring)
        for family in ExportMapper.Family.allCases {
            do {
                _ = try ExportMapper.map(family, .init(collection: nil, value: value), index: 0, context: context).canonicalLine()
            } catch is LakeError {
            } catch { return "\(family) threw \(error)" }
        }
        if let problem = tapeMappersAgree(bytes, value, context: context) { return problem }
        for kind in twitterKinds {
            do { _ = try TwitterMapper.map(kind, value, index: 0, context: context).canonicalLine() } catch is LakeError {
            } catch { return "twitter \(kind) threw \(error)" }
        }
        return nil
    }

    static let twitterKinds: [TwitterMapper.FileKind] = [.tweets, .account, .like, .directMessages, .follower, .following, .manifest]

    /// The standardized data written from the tape, and every tape mapper's record, are the
    /// general path's, or the tape path gives way (SPEC 7.1, "Records from the tape").
    static func tapeMappersAgree(_ bytes: [UInt8], _ value: JSONValue, context: RecordContext) -> String? {
        guard let tape = try? JSONTape(bytes: bytes) else { return nil }
        var writer = JSONTapeCanonical()
        var data: [UInt8] = []
        if writer.write(tape, rules: Standardize.tapeRules, into: &data),
            data != CanonicalJSON.encode(Standardize.values(SnakeCase.convertKeys(value)))
        {
            return "standardized data from the tape differs"
        }
        for family in ExportMapper.Family.allCases where ExportMapper.mapsFromTape(family) {
            var scratch = ExportMapper.TapeScratch()
            guard var direct = ExportMapper.mapFromTape(family, tape, index: 0, context: context, scratch: &scratch) else { continue }
            guard let general = try? ExportMapper.map(family, .init(collection: nil, value: value), index: 0, context: context) else {
                return "\(family): the tape mapper took an element the general mapper refuses"
            }
            if direct.data != CanonicalJSON.encode(general.data) { return "\(family): data from the tape differs" }
            direct.record.data = general.data
            if direct.record != general { return "\(family): the record from the tape differs" }
        }
        for kind in twitterKinds where TwitterMapper.mapsFromTape(kind) {
            var scratch = ExportMapper.TapeScratch()
            guard var direct = TwitterMapper.mapFromTape(kind, tape, index: 0, context: context, scratch: &scratch) else { continue }
            guard let general = try? TwitterMapper.map(kind, value, index: 0, context: context) else {
                return "\(kind): the tape mapper took an element the general mapper refuses"
            }
            if direct.data != CanonicalJSON.encode(general.data) { return "\(kind): data from the tape differs" }
            direct.record.data = general.data
            if direct.record != general { return "\(kind): the record from the tape differs" }
        }
        return nil
    }
}
