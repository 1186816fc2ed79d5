import Foundation
import LakeCore
import LakeParsers

/// Members a row need not store (schema 31, docs/SPEC.md 7.4, "Derived members"): a top-level
/// member whose value the record's other stored parts give back byte for byte. Its value is
/// stored as `0` and its entry in `keys` is an array of its name and its rule:
///
/// | entry | the value made again |
/// |---|---|
/// | `["time","t"]` | the record's time as its canonical text, a string (`"2022-05-31T07:19:55.482Z"`) |
/// | `["timestamp_ms","ms"]` | the record's time in milliseconds since 1970, a string of its digits |
/// | `["timestamp_ms","n"]` | the same, as a number |
/// | `["timestamp","s"]` | the record's time in whole seconds since 1970, a number |
/// | `["date","rfc"]` | the record's time in whole seconds at its source offset as a mail's `Date` header writes it (`"Sun, 9 Apr 2017 09:10:13 +0000"`) |
/// | `["created_at","tw"]` | the record's time in whole seconds as Twitter writes it, a string (`"Wed Oct 10 20:19:24 +0000 2018"`) |
/// | `["geo","e7",3,4]` | the point (SPEC 5.4) of the E7 members of index 3 and 4 (`latitude_e7`, `longitude_e7`), as normalization writes it |
/// | `["header","v","YouTube"]` | the value after `"v"`, the same in every row of the kind (schema 33) |
///
/// A member is derived only when the rule gives back exactly its bytes, so reading is exact.
/// The time rules are tried on members named `created_at`, `date`, `time`, `timestamp` and
/// `timestamp_ms` only, and need a time stored as milliseconds (`StoredTime`; `rfc`
/// an offset stored as minutes too, `StoredOffset`); the point rule on
/// `geo` only; the fixed rule `v` on the members `fixedNames` lists, whose values the formats
/// take from a short list (a Takeout activity's `header`, a tweet's `source`), when the value is
/// not an object and takes at most `maxFixedBytes`: each value is then a kind of its own, at
/// most `maxFixedShapesPerKind` of them per kind (`RecordRefs`). A location point stores
/// `[888,-1563555467,0,509437480,69792710,0,0]` under
/// `["accuracy","device_tag",["geo","e7",3,4],"latitude_e7","longitude_e7",["source","v","WIFI"],["timestamp_ms","ms"]]`.
extension CompactData {
    /// How a derived member is made again. Sendable for the table of rules by name, which
    /// holds no `fixed` one: a fixed rule's bytes are only read during the call that found them.
    enum Rule: Equatable, @unchecked Sendable {
        case text, millisText, millis, seconds, twitter, mailDate
        /// The point of the members of these indexes.
        case e7(lat: Int, lng: Int)
        /// These bytes, the member's value in every row of the kind (they point into the
        /// object or the names being read).
        case fixed(UnsafeBufferPointer<UInt8>)

        static func == (a: Rule, b: Rule) -> Bool {
            switch (a, b) {
            case (.fixed(let x), .fixed(let y)): return SameBytes.same(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y))
            case (.e7(let a1, let b1), .e7(let a2, let b2)): return a1 == a2 && b1 == b2
            case (.text, .text), (.millisText, .millisText), (.millis, .millis), (.seconds, .seconds), (.twitter, .twitter),
                (.mailDate, .mailDate):
                return true
            default: return false
            }
        }

        /// The most bytes `writeSuffix` writes for a rule `CompactData.rule` finds: a fixed
        /// value of `maxFixedBytes`, with `,"v",` and `]`.
        static let maxSuffixBytes = maxFixedBytes + 6

        /// At least the bytes `writeSuffix` writes (`,"e7",` and two indexes of up to 20
        /// digits, a comma and `]`: 48).
        var suffixCapacity: Int {
            if case .fixed(let value) = self { return value.count + 6 }
            return 48
        }

        /// Writes the entry's bytes after the member's name (`,"t"]`, `,"e7",3,4]`) at the start
        /// of `out`, which holds at least `suffixCapacity`; returns how many.
        func writeSuffix(into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
            precondition(out.count >= suffixCapacity)
            // Written without nested functions that change `n`: recursive ones had each access
            // to it checked at run time (`swift_beginAccess`), several per member.
            var n = 0
            switch self {
            case .text: n = Self.put(#","t"]"#, out, at: 0)
            case .millisText: n = Self.put(#","ms"]"#, out, at: 0)
            case .millis: n = Self.put(#","n"]"#, out, at: 0)
            case .seconds: n = Self.put(#","s"]"#, out, at: 0)
            case .twitter: n = Self.put(#","tw"]"#, out, at: 0)
            case .mailDate: n = Self.put(#","rfc"]"#, out, at: 0)
            case .fixed(let value):
                n = Self.put(#","v","#, out, at: 0)
                if let from = value.baseAddress { (out.baseAddress! + n).update(from: from, count: value.count) }
                n += value.count
                out[n] = closeBracket
                n += 1
            case .e7(let lat, let lng):
                n = Self.put(#","e7","#, out, at: 0)
                n = Self.decimal(lat, into: out, at: n)
                out[n] = comma
                n = Self.decimal(lng, into: out, at: n + 1)
                out[n] = closeBracket
                n += 1
            }
            return n
        }

        /// Copies `s` into `out` at `at`; returns the index after it.
        @inline(__always)
        private static func put(_ s: StaticString, _ out: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
            (out.baseAddress! + at).update(from: s.utf8Start, count: s.utf8CodeUnitCount)
            return at + s.utf8CodeUnitCount
        }

        /// Writes `v` (a member's index) in decimal into `out` at `at`; returns the index after it.
        private static func decimal(_ v: Int, into out: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
            DecimalText.withDigits(of: Int64(v)) { digits in
                UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: out[at..<(at + digits.count)])).copyMemory(from: digits)
                return at + digits.count
            }
        }

        /// The rule of an entry's bytes after its name's (`writeSuffix`'s), and where they end;
        /// nil when they are no rule's.
        static func parse(_ k: UnsafeBufferPointer<UInt8>, at i: Int) -> (rule: Rule, end: Int)? {
            guard i + 1 < k.count, k[i] == comma, let nameEnd = CompactAnnotations.scalarEnd(k, at: i + 1), nameEnd < k.count else {
                return nil
            }
            let name = (i + 1)..<nameEnd
            if k[nameEnd] == closeBracket {
                return names.first { same(k, name, $0.name) }.map { ($0.rule, nameEnd + 1) }
            }
            if same(k, name, #""v""#), k[nameEnd] == comma, let end = CompactAnnotations.valueEnd(k, at: nameEnd + 1), end < k.count,
                k[end] == closeBracket
            {
                return (.fixed(UnsafeBufferPointer(rebasing: k[(nameEnd + 1)..<end])), end + 1)
            }
            guard same(k, name, #""e7""#), let (lat, a) = index(k, at: nameEnd), k[a] == comma, let (lng, b) = index(k, at: a),
                k[b] == closeBracket
            else { return nil }
            return (.e7(lat: lat, lng: lng), b + 1)
        }

        /// The rules written by name alone, quotes included (made once: an array literal in
        /// `parse` would be made at every call).
        static let names: [(rule: Rule, name: StaticString)] = [
            (.text, #""t""#), (.millisText, #""ms""#), (.millis, #""n""#), (.seconds, #""s""#), (.twitter, #""tw""#),
            (.mailDate, #""rfc""#),
        ]

        /// The index after the comma at `i`, read as a stored index is (`CompactAnnotations.decimal`),
        /// and where it ends.
        private static func index(_ k: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, Int)? {
            guard k[i] == comma else { return nil }
            var j = i + 1
            while j < k.count, k[j] >= zero, k[j] <= zero + 9 { j += 1 }
            guard j < k.count, let v = CompactAnnotations.decimal(UnsafeBufferPointer(rebasing: k[(i + 1)..<j])) else { return nil }
            return (v, j)
        }
    }

    /// The rule that gives back the value `d[value]` of member number `index`, named
    /// `d[name]`, of the object `d` (its members after it start at `value.upperBound`), for a
    /// record whose time is `millis` at `offset` minutes from UTC; nil when none does.
    static func rule(
        _ d: UnsafeBufferPointer<UInt8>, index: Int, name: Range<Int>, value: Range<Int>, millis: Int64?, offset: Int?,
        fixing: Bool = true
    ) -> Rule? {
        guard let named = ruleName(d, name) else { return nil }
        if named == .fixed {
            guard fixing, value.count <= maxFixedBytes, d[value.lowerBound] != brace else { return nil }
            return .fixed(UnsafeBufferPointer(rebasing: d[value]))
        }
        if named == .time {
            guard let millis else { return nil }
            if value.count == 26, d[value.lowerBound] == quote, d[value.upperBound - 1] == quote,
                StoredTime.millis(UnsafeBufferPointer(rebasing: d[(value.lowerBound + 1)..<(value.upperBound - 1)])) == millis
            {
                return .text
            }
            if value.count > 2, d[value.lowerBound] == quote, d[value.upperBound - 1] == quote,
                isDecimal(d, (value.lowerBound + 1)..<(value.upperBound - 1), millis)
            {
                return .millisText
            }
            if isDecimal(d, value, millis) { return .millis }
            if millis % 1000 == 0 {
                // Whether a string value's text, inside its quotes, is the one written.
                let inside = { (text: UnsafeBufferPointer<UInt8>) in same(d, (value.lowerBound + 1)..<(value.upperBound - 1), text) }
                if isDecimal(d, value, millis / 1000) { return .seconds }
                if value.count == Timestamp.twitterLength + 2, d[value.lowerBound] == quote,
                    written(Timestamp.twitterLength, { Timestamp.writeTwitter(millis, into: $0) }, inside) == true
                {
                    return .twitter
                }
                if let offset, value.count > 2, value.count <= Timestamp.mailDateMaxLength + 2, d[value.lowerBound] == quote,
                    written(Timestamp.mailDateMaxLength, { Timestamp.writeMailDate(millis, offsetMinutes: offset, into: $0) }, inside)
                        == true
                {
                    return .mailDate
                }
            }
        }
        guard named == .geo, d[value.lowerBound] == brace,
            let (latRange, latAfter) = member(d, latitudeName, after: value.upperBound),
            let (lngRange, lngAfter) = member(d, longitudeName, after: value.upperBound),
            let lat = integer(d, latRange), let lng = integer(d, lngRange)
        else { return nil }
        return withPoint(lat, lng) { same(d, value, $0) } ? .e7(lat: index + latAfter, lng: index + lngAfter) : nil
    }

    /// Calls `body` with the `geo` bytes of the point of E7 values `lat` and `lng`, made on the stack.
    static func withPoint<T>(_ lat: Int64, _ lng: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let (a, b) = (MicroDegrees.fromE7(lat), MicroDegrees.fromE7(lng))
        let n = MicroDegrees.pointLength(latMicro: a, lngMicro: b)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { out in
            MicroDegrees.writePoint(latMicro: a, lngMicro: b, into: out)
            return body(UnsafeBufferPointer(out))
        }
    }

    /// Calls `body` with the text `write` writes (its length, nil for none) into `capacity`
    /// bytes on the stack (`Timestamp.writeTwitter`, `writeMailDate`); nil when it writes none.
    static func written<T>(
        _ capacity: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Int?, _ body: (UnsafeBufferPointer<UInt8>) -> T
    ) -> T? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { out in
            write(out).map { body(UnsafeBufferPointer(rebasing: out[0..<$0])) }
        }
    }

    /// Appends the value `rule` makes again for a record whose time is `millis` (at `offset`
    /// minutes from UTC) and whose
    /// stored values are `v`; false when it needs what is missing.
    static func appendValue(
        _ rule: Rule, millis: Int64?, offset: Int?, values v: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]
    ) -> Bool {
        /// Appends what `write` appends between quotes; false when it appends nothing.
        func quoted(_ write: (inout [UInt8]) -> Void) -> Bool {
            let start = out.count
            out.append(quote)
            write(&out)
            guard out.count > start + 1 else { return false }
            out.append(quote)
            return true
        }
        if case .fixed(let value) = rule {
            out.append(contentsOf: value)
            return true
        }
        if case .e7(let a, let b) = rule {
            guard let lat = integer(v, element(v, a)), let lng = integer(v, element(v, b)) else { return false }
            MicroDegrees.appendPoint(latMicro: MicroDegrees.fromE7(lat), lngMicro: MicroDegrees.fromE7(lng), to: &out)
            return true
        }
        guard let millis else { return false }
        // Seconds, Twitter's text and the mail date hold whole seconds only.
        guard rule == .text || rule == .millisText || rule == .millis || millis % 1000 == 0 else { return false }
        switch rule {
        case .text: return quoted { StoredTime.write(millis, into: &$0) }
        case .millisText: return quoted { $0.append(contentsOf: String(millis).utf8) }
        case .millis: out.append(contentsOf: String(millis).utf8)
        case .seconds: out.append(contentsOf: String(millis / 1000).utf8)
        case .twitter: return quoted { Timestamp.appendTwitter(millis, into: &$0) }
        case .mailDate:
            guard let offset else { return false }
            return quoted { Timestamp.appendMailDate(millis, offsetMinutes: offset, into: &$0) }
        case .e7, .fixed: return false
        }
        return true
    }

    /// Element `n` of the array `v`; nil when it has no such element.
    static func element(_ v: UnsafeBufferPointer<UInt8>, _ n: Int) -> Range<Int>? {
        var i = 1
        for k in 0...n {
            guard i < v.count, let end = CompactAnnotations.valueEnd(v, at: i), end < v.count else { return nil }
            if k == n { return i..<end }
            guard v[end] == comma else { return nil }
            i = end + 1
        }
        return nil
    }

    /// The members the time rules are tried on (quotes included): the views then read every
    /// other member as stored, with no rule in their SQL (`LakeViews.value`).
    static let timeNames: [StaticString] = [#""created_at""#, #""date""#, #""time""#, #""timestamp""#, #""timestamp_ms""#]
    static let geoName: StaticString = #""geo""#
    /// Which rules a member's name is tried with.
    enum RuleName { case fixed, time, geo }

    /// The names the rules are tried on (quotes included), by their length: entry n holds the
    /// names of n bytes. Most members have a name of a length none has (no comparison), and
    /// the rest are compared with the few of theirs (checking the fixed and time lists in
    /// turn compared each name with all thirteen, 73 calls a location point).
    static let ruleNamesByLength: [[(name: StaticString, rule: RuleName)]] = {
        let all = fixedNames.map { ($0, RuleName.fixed) } + timeNames.map { ($0, .time) } + [(geoName, .geo)]
        var table = [[(name: StaticString, rule: RuleName)]](repeating: [], count: all.map { $0.0.utf8CodeUnitCount }.max()! + 1)
        for (name, rule) in all { table[name.utf8CodeUnitCount].append((name, rule)) }
        return table
    }()

    /// The rules the member named `d[name]` (quotes included) is tried with; nil for none.
    static func ruleName(_ d: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> RuleName? {
        let table = ruleNamesByLength
        guard name.count < table.count else { return nil }
        for entry in table[name.count] where same(d, name, entry.name) { return entry.rule }
        return nil
    }
    static let latitudeName: StaticString = #""latitude_e7""#
    static let longitudeName: StaticString = #""longitude_e7""#

    /// The value of member `name` (quotes included) among the members of the object `d` that
    /// start after the comma at `from`, and how many members after the one before `from` it
    /// is (1 for the next); nil when none has it.
    static func member(_ d: UnsafeBufferPointer<UInt8>, _ name: StaticString, after from: Int) -> (Range<Int>, Int)? {
        var i = from, n = 0
        while i < d.count, d[i] == comma {
            guard let keyEnd = CompactAnnotations.scalarEnd(d, at: i + 1), keyEnd < d.count,
                let end = CompactAnnotations.valueEnd(d, at: keyEnd + 1)
            else { return nil }
            n += 1
            if same(d, (i + 1)..<keyEnd, name) { return ((keyEnd + 1)..<end, n) }
            i = end
        }
        return nil
    }

    /// A JSON integer as SQLite reads it back exactly: an optional minus, then 1 to 15 digits
    /// with no leading zero (nor `-0`).
    static func integer(_ d: UnsafeBufferPointer<UInt8>, _ range: Range<Int>?) -> Int64? {
        guard let range, !range.isEmpty else { return nil }
        let negative = d[range.lowerBound] == minus
        let digits = (range.lowerBound + (negative ? 1 : 0))..<range.upperBound
        guard (1...15).contains(digits.count), d[digits.lowerBound] != zero || (digits.count == 1 && !negative) else { return nil }
        var v: Int64 = 0
        for i in digits {
            guard d[i] >= zero, d[i] <= zero + 9 else { return nil }
            v = v * 10 + Int64(d[i] - zero)
        }
        return negative ? -v : v
    }

    /// Whether `d[range]` is exactly the decimal digits of `n` (a minus first when negative).
    static func isDecimal(_ d: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ n: Int64) -> Bool {
        var rest = n.magnitude
        var p = range.upperBound
        repeat {
            p -= 1
            guard p >= range.lowerBound, d[p] == zero + UInt8(rest % 10) else { return false }
            rest /= 10
        } while rest > 0
        if n < 0 {
            p -= 1
            guard p >= range.lowerBound, d[p] == minus else { return false }
        }
        return p == range.lowerBound
    }

    /// `SameBytes.same` of `d[range]` and a name.
    static func same(_ d: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ s: StaticString) -> Bool {
        same(d, range, UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    static func same(_ d: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        SameBytes.same(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: d[range])), UnsafeRawBufferPointer(other))
    }

    static let minus = UInt8(ascii: "-"), zero = UInt8(ascii: "0")
}

extension CompactData {
    /// `expand` of values and names with derived members (`Rule`): each entry in turn, a
    /// derived one's value made again. Nil when the two do not fit together, a derived
    /// member's stored value is not `0`, or its rule cannot make it.
    static func expandDerived(_ v: UnsafeBufferPointer<UInt8>, _ k: UnsafeBufferPointer<UInt8>, millis: Int64?, offset: Int?) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(v.count + k.count + 64)
        out.append(brace)
        var i = 1, j = 1
        while true {
            guard j < k.count, let end = CompactAnnotations.valueEnd(v, at: i), end < v.count else { return nil }
            let next: Int
            if k[j] == quote {
                guard let keyEnd = CompactAnnotations.scalarEnd(k, at: j), keyEnd < k.count else { return nil }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: k[j..<keyEnd]))
                out.append(colon)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: v[i..<end]))
                next = keyEnd
            } else {
                guard k[j] == bracket, j + 1 < k.count, let nameEnd = CompactAnnotations.scalarEnd(k, at: j + 1), nameEnd < k.count,
                    let (rule, entryEnd) = Rule.parse(k, at: nameEnd), end == i + 1, v[i] == zero
                else { return nil }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: k[(j + 1)..<nameEnd]))
                out.append(colon)
                guard appendValue(rule, millis: millis, offset: offset, values: v, to: &out) else { return nil }
                next = entryEnd
            }
            guard next < k.count else { return nil }
            switch (k[next], v[end]) {
            case (comma, comma):
                out.append(comma)
                j = next + 1
                i = end + 1
            case (closeBracket, closeBracket):
                guard next + 1 == k.count, end + 1 == v.count else { return nil }
                out.append(closeBrace)
                return out
            default: return nil
            }
        }
    }
}
