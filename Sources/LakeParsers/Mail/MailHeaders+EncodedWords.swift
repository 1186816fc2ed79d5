import LakeCore

/// RFC 2047 encoded words decoded on the bytes of plain text (`MailBytes`: every character one
/// scalar, no CR or LF), where the characters `decodeEncodedWordsByCharacters` looks for (`=?`,
/// `?`, `*`, `?=`, space, tab) are single bytes no other scalar holds. The same words, the same
/// text; the character path cost about 17,000 instructions a word, about 40,000 a Gmail
/// message (`MailBytesTests` holds the two to each other).
extension MailHeaders {
    static func decodeEncodedWords(bytes t: MailBytes.Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(t.count)
        var i = 0
        var lastWasEncoded = false
        while i < t.count {
            guard let start = encodedWordStart.withUnsafeBufferPointer({ ByteSearch.first($0, in: t, from: i) }) else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: t[i...]))
                break
            }
            let before = UnsafeBufferPointer(rebasing: t[i..<start])
            if let word = decodeWord(bytes: t, at: start) {
                // Layout space between two encoded words goes (no CR or LF here).
                if !lastWasEncoded || !before.allSatisfy({ $0 == MailBytes.space || $0 == MailBytes.tab }) {
                    out.append(contentsOf: before)
                }
                out.append(contentsOf: word.text.utf8)
                i = word.end
                lastWasEncoded = true
            } else {
                out.append(contentsOf: before)
                out.append(contentsOf: encodedWordStart)
                i = start + 2
                lastWasEncoded = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let encodedWordStart: [UInt8] = Array("=?".utf8), encodedWordEnd: [UInt8] = Array("?=".utf8)

    /// `decodeWord(_:)` of the word at `start` (its `=?`): the decoded text and the index
    /// after its `?=`.
    static func decodeWord(bytes t: MailBytes.Bytes, at start: Int) -> (text: String, end: Int)? {
        let question = UInt8(ascii: "?")
        // =?charset?enc?payload?=
        guard let q1 = (start + 2..<t.count).first(where: { t[$0] == question }),
            let q2 = (q1 + 1..<t.count).first(where: { t[$0] == question })
        else { return nil }
        // The charset is its first piece between `*`s that is not empty (`split`).
        var charset = ""
        var piece = start + 2
        while piece < q1 {
            var pieceEnd = piece
            while pieceEnd < q1 && t[pieceEnd] != UInt8(ascii: "*") { pieceEnd += 1 }
            if pieceEnd > piece {
                charset = MailBytes.string(t, piece..<pieceEnd)
                break
            }
            piece = pieceEnd + 1
        }
        guard let end = encodedWordEnd.withUnsafeBufferPointer({ ByteSearch.first($0, in: t, from: q2 + 1) }) else { return nil }
        let payload = Array(t[(q2 + 1)..<end])
        guard !payload.contains(MailBytes.space), q2 == q1 + 2 else { return nil }
        let bytes: [UInt8]
        switch t[q1 + 1] {
        case UInt8(ascii: "B"), UInt8(ascii: "b"): bytes = TransferEncoding.base64(payload)
        case UInt8(ascii: "Q"), UInt8(ascii: "q"): bytes = TransferEncoding.quotedPrintable(payload, underscoreIsSpace: true)
        default: return nil
        }
        return (Charsets.decodeLossy(bytes, charset: charset), end + 2)
    }
}
