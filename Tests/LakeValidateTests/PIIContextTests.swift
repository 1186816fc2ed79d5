import Testing
import _LakeTestSupport

@testable import LakeValidate

/// `PIIContext` scores a candidate from word lists made once as bytes. The definition it must
/// keep is written here plainly, with strings (docs/SPEC.md 5.10, "The words around a
/// candidate"): the field's name and a window of 32 bytes before and 16 after, ASCII letters
/// lower-cased, whole words only, supporting phrases blanked before opposing words are sought.
@Suite struct PIIContextTests {
    enum Definition {
        static func lower(_ bytes: some Sequence<UInt8>) -> [UInt8] { bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }

        static func contains(_ text: [UInt8], _ word: String) -> Bool {
            let w = Array(word.utf8)
            guard !w.isEmpty, text.count >= w.count else { return false }
            for i in 0...(text.count - w.count) where Array(text[i..<(i + w.count)]) == w {
                let before = i == 0 || !PIIText.isAlpha(text[i - 1])
                let after = i + w.count == text.count || !PIIText.isAlpha(text[i + w.count])
                if before && after { return true }
            }
            return false
        }

        static func blank(_ phrase: String, in text: inout [UInt8]) {
            let p = Array(phrase.utf8)
            var i = 0
            while i + p.count <= text.count {
                if Array(text[i..<(i + p.count)]) == p {
                    for k in i..<(i + p.count) { text[k] = 0x20 }
                    i += p.count
                } else {
                    i += 1
                }
            }
        }

        static func delta(_ kind: PIIScanner.Kind, bytes b: [UInt8], field fieldName: String, start: Int, end: Int) -> Int {
            let field = fieldName.utf8.map { $0 == 0x5F ? 0x20 : $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            let words = PIIContext.supporting[kind] ?? []
            let window = lower(b[max(0, start - 32)..<start]) + [0x20] + lower(b[end..<min(b.count, end + 16)])
            let supported = words.contains { contains(field, $0) } || words.contains { contains(window, $0) }
            var d = supported ? 8 : 0
            if kind != .email, kind != .iban {
                var before = lower(b[max(0, start - 32)..<start])
                var name = field
                for phrase in words where phrase.utf8.contains(0x20) {
                    blank(phrase, in: &before)
                    blank(phrase, in: &name)
                }
                if PIIContext.opposing.contains(where: { contains(name, $0) || contains(before, $0) }) { d -= 30 }
            }
            if kind == .email, PIIContext.identifierFields.contains(where: { contains(field, $0) }) { d -= 30 }
            return d
        }
    }

    /// Texts made of the lists' own words (in any case, glued or apart), digits, separators and
    /// non-ASCII letters, with candidates anywhere in them.
    static func text(_ rng: inout SeededRandom) -> [UInt8] {
        let words =
            PIIContext.supporting.values.flatMap { $0 } + PIIContext.opposing + PIIContext.identifierFields + [
                "Tax ID", "SOCIAL  security", "paid", "Phone", "é", "0171 1234567", "+44", "(0)", "_",
            ]
        var out: [UInt8] = []
        for _ in 0..<Int.random(in: 1...14, using: &rng) {
            var w = Array(words.randomElement(using: &rng)!.utf8)
            if Bool.random(using: &rng) { w = w.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 } }
            out += w
            out += [[0x20], [0x2D], [0x3A, 0x20], [], [0x5F], [0x2E]].randomElement(using: &rng)!
        }
        return out
    }

    @Test func scoresAsTheDefinitionSays() {
        var rng = SeededRandom(seed: 0xC0_7E_47)
        let fields = ["text", "phone_number", "message_id", "Email", "tax_id", "order_ref", "uid", "body", "in_reply_to"]
        var supported = 0, opposed = 0
        for _ in 0..<6_000 {
            let bytes = Self.text(&rng)
            let field = fields.randomElement(using: &rng)!
            let start = Int.random(in: 0...bytes.count, using: &rng)
            let end = Int.random(in: start...bytes.count, using: &rng)
            bytes.withUnsafeBufferPointer { b in
                let context = PIIContext(bytes: b, field: field)
                for kind in PIIScanner.Kind.allCases {
                    let want = Definition.delta(kind, bytes: bytes, field: field, start: start, end: end)
                    #expect(
                        context.delta(kind, start: start, end: end) == want,
                        "\(kind) in \(String(decoding: bytes, as: UTF8.self)) at \(start)..<\(end), field \(field)")
                    #expect(context.has(kind, start: start, end: end) == (want == 8 || want == -22))
                    if want > 0 { supported += 1 }
                    if want < 0 { opposed += 1 }
                }
            }
        }
        // The texts reach both sides of every rule.
        #expect(supported > 1_000 && opposed > 1_000, "\(supported) supported, \(opposed) opposed")
    }

    /// Windows of digits and punctuation, the kind around a run of digits, with at most one
    /// word (any kind's, non-ASCII ones included): a window is passed over only when it holds
    /// no byte a word starts with, never when it holds a word.
    @Test func digitWindowsWithOneWordScoreAsTheDefinitionSays() {
        var rng = SeededRandom(seed: 0xD161)
        let words = PIIContext.supporting.values.flatMap { $0 } + PIIContext.opposing
        let filler: [[UInt8]] = ["4155550100", "19.075996", "°", ", ", " ", "-", "(0)", "+44", "ß", "\u{1F4DE}", "é", "_"].map {
            Array($0.utf8)
        }
        var supported = 0
        for _ in 0..<6_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...5, using: &rng) { bytes += filler.randomElement(using: &rng)! }
            let at = bytes.count
            if Int.random(in: 0..<4, using: &rng) > 0 { bytes += Array(words.randomElement(using: &rng)!.utf8) + [0x20] }
            for _ in 0..<Int.random(in: 0...3, using: &rng) { bytes += filler.randomElement(using: &rng)! }
            let start = Int.random(in: at...bytes.count, using: &rng)
            let end = Int.random(in: start...bytes.count, using: &rng)
            bytes.withUnsafeBufferPointer { b in
                let context = PIIContext(bytes: b, field: "value")
                for kind in PIIScanner.Kind.allCases {
                    let want = Definition.delta(kind, bytes: bytes, field: "value", start: start, end: end)
                    let has = context.has(kind, start: start, end: end)
                    #expect(has == (want == 8 || want == -22), "\(kind) in \(String(decoding: bytes, as: UTF8.self)) at \(start)..<\(end)")
                    if has { supported += 1 }
                }
            }
        }
        #expect(supported > 2_000, "\(supported) supported")
    }

    @Test func customPatternsScoreTheirOwnWords() {
        let bytes = Array("our Member No: 12345678 here".utf8)
        bytes.withUnsafeBufferPointer { b in
            let context = PIIContext(bytes: b, field: "notes")
            #expect(context.supports(["member no"], start: 15, end: 23))
            #expect(context.supports(["here"], start: 15, end: 23))
            #expect(context.supports(["member"], start: 24, end: 28))
            #expect(!context.supports(["numbers"], start: 15, end: 23))
        }
    }
}
