import CICU

/// A streaming conversion of one charset to UTF-8 through ICU (`ucnv_convertEx` with a pivot
/// kept between calls, so a character split across two chunks converts whole). Bytes invalid
/// in the charset become U+FFFD.
///
/// ```swift
/// let t = try Transcoder(from: "UTF-16LE")
/// var out = t.convert(chunk1) + t.convert(chunk2)
/// out += t.finish()
/// ```
public final class Transcoder {
    public struct UnknownCharset: Error, Equatable, Sendable, CustomStringConvertible {
        public var charset: String
        public var description: String { "charset '\(charset)' cannot be converted (ICU has no converter for it)" }
    }

    private let converter: OpaquePointer
    /// The converter ICU chose (its canonical name).
    public let charset: String

    public init(from charset: String) throws {
        guard let c = dp_transcoder_open(charset) else { throw UnknownCharset(charset: charset) }
        converter = c
        self.charset = String(cString: dp_transcoder_name(c))
    }

    deinit { dp_transcoder_close(converter) }

    /// Converts the next chunk; a character cut at its end waits for the next call.
    public func convert(_ chunk: [UInt8]) -> [UInt8] { run(chunk, flush: false) }

    /// Flushes what the converter holds (an incomplete last character becomes U+FFFD).
    public func finish() -> [UInt8] { run([], flush: true) }

    private func run(_ input: [UInt8], flush: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 2 + 16)
        var buffer = [UInt8](repeating: 0, count: max(1024, input.count * 3 + 16))
        var position = 0
        input.withUnsafeBytes { raw in
            let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
            while true {
                var consumed: Int32 = 0
                var full: Int32 = 0
                let written = buffer.withUnsafeMutableBytes { o in
                    dp_transcoder_convert(
                        converter, base.map { $0 + position }, Int32(input.count - position), &consumed,
                        o.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(o.count), flush ? 1 : 0, &full)
                }
                // An ICU failure past the substitution callbacks: what was converted stands.
                guard written >= 0 else { return }
                out += buffer[0..<Int(written)]
                position += Int(consumed)
                if full == 0 { return }
            }
        }
        return out
    }
}
