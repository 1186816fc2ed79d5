import LakeCore

// MARK: - Numbers and strings

extension JSONReader {
    // MARK: - Numbers

    func readNumber() throws -> String {
        let start = offset
        scratch.removeAll(keepingCapacity: true)
        func take() throws -> UInt8? {
            guard try ensure() else { return nil }
            let b = buffer[position]
            return b
        }
        func append(_ b: UInt8) throws {
            scratch.append(b)
            position += 1
            if scratch.count > limits.maxNumberLength { throw fail(.numberLimit(limits.maxNumberLength), at: start) }
        }
        func isDigit(_ b: UInt8?) -> Bool { b.map { (0x30...0x39).contains($0) } ?? false }
        func digits() throws -> Int {
            var n = 0
            while isDigit(try take()) {
                try append(buffer[position])
                n += 1
            }
            return n
        }
        if try take() == UInt8(ascii: "-") { try append(UInt8(ascii: "-")) }
        guard let first = try take(), isDigit(first) else { throw fail(.invalidNumber, at: start) }
        if first == UInt8(ascii: "0") {
            try append(first)
        } else {
            _ = try digits()
        }
        if try take() == UInt8(ascii: ".") {
            try append(UInt8(ascii: "."))
            if try digits() == 0 { throw fail(.invalidNumber, at: start) }
        }
        if let e = try take(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            try append(e)
            if let sign = try take(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { try append(sign) }
            if try digits() == 0 { throw fail(.invalidNumber, at: start) }
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    // MARK: - Strings

    /// Reads a string body; the opening quote is already consumed.
    func readString() throws -> String {
        scratch.removeAll(keepingCapacity: true)
        let limit = limits.maxStringBytes
        while true {
            guard try ensure() else { throw fail(.unexpectedEnd) }
            // Fast path: plain ASCII run inside the current chunk.
            var i = position
            let end = buffer.count
            while i < end {
                let b = buffer[i]
                if b < 0x20 || b >= 0x80 || b == 0x22 || b == 0x5C { break }
                i += 1
            }
            if i > position {
                if scratch.count + (i - position) > limit {
                    // Where the byte past the limit is, whatever the chunking.
                    position += limit - scratch.count + 1
                    throw fail(.stringLimit(limit))
                }
                scratch.append(contentsOf: buffer[position..<i])
                position = i
                continue
            }
            let b = buffer[position]
            if b == 0x22 {
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if b == 0x5C {
                position += 1
                try readEscape()
            } else if b < 0x20 {
                throw fail(.controlCharacterInString)
            } else {
                try readUTF8Sequence()
            }
            if scratch.count > limit { throw fail(.stringLimit(limit)) }
        }
    }

    func readUTF8Sequence() throws {
        let start = offset
        let lead = try nextByte()
        guard let (count, lower, upper) = UTF8Sequence.shape(lead: lead) else { throw fail(.invalidUTF8, at: start) }
        scratch.append(lead)
        for k in 0..<count {
            guard try ensure() else { throw fail(.unexpectedEnd) }
            let c = buffer[position]
            let lo: UInt8 = k == 0 ? lower : 0x80
            let hi: UInt8 = k == 0 ? upper : 0xBF
            guard c >= lo && c <= hi else { throw fail(.invalidUTF8, at: start) }
            scratch.append(c)
            position += 1
        }
    }

    func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = JSONTapeParser.hexDigit(try nextByte()) else { throw fail(.invalidEscape, at: offset - 1) }
            v = v << 4 | d
        }
        return v
    }

    func readEscape() throws {
        let start = offset - 1
        let b = try nextByte()
        if let plain = JSONTapeParser.unescaped(b) {
            scratch.append(plain)
            return
        }
        switch b {
        case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xDC00...0xDFFF).contains(code) { throw fail(.loneSurrogate, at: start) }
            if (0xD800...0xDBFF).contains(code) {
                guard try nextByte() == UInt8(ascii: "\\"), try nextByte() == UInt8(ascii: "u") else {
                    throw fail(.loneSurrogate, at: start)
                }
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail(.loneSurrogate, at: start) }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            UTF8Sequence.append(code, to: &scratch)
        default:
            throw fail(.invalidEscape, at: start)
        }
    }
}
