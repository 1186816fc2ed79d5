/// Classic uuencoding (`begin MODE NAME` … `end`), as libarchive's test archives are stored.
/// Each line starts with its byte count (character − 32, mod 64); an over-long line is cut to
/// that count; a backquote stands for 0.
public enum UUDecode {
    public static func decode(_ text: [UInt8]) -> (name: String, bytes: [UInt8])? {
        var lines = text.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> ArraySlice<UInt8> in
            line.last == 0x0D ? line.dropLast() : line
        }[...]
        while let first = lines.first, !first.starts(with: Array("begin ".utf8)) { lines.removeFirst() }
        guard let header = lines.popFirst() else { return nil }
        let words = String(decoding: header, as: UTF8.self).split(separator: " ", maxSplits: 2)
        guard words.count == 3 else { return nil }
        var out: [UInt8] = []
        for line in lines {
            if line.elementsEqual(Array("end".utf8)) { break }
            guard let first = line.first else { continue }
            let count = Int((first &- 32) & 63)
            if count == 0 { continue }
            var chars = Array(line.dropFirst()).map { ($0 &- 32) & 63 }
            while chars.count % 4 != 0 { chars.append(0) }
            var decoded: [UInt8] = []
            var i = 0
            while i + 3 < chars.count {
                let (a, b, c, d) = (chars[i], chars[i + 1], chars[i + 2], chars[i + 3])
                decoded += [(a << 2) | (b >> 4), (b << 4) | (c >> 2), (c << 6) | d]
                i += 4
            }
            out += decoded.prefix(count)
        }
        return (String(words[2]), out)
    }
}
