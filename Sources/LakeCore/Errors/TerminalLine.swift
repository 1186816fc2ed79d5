#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line for a terminal or a log (docs/SPEC.md 7, "Errors"): text from an export (entry
/// names, messages quoting a file) can hold line breaks and escape sequences; written raw it
/// could forge extra `datapunk:` lines or drive the terminal. Control characters (C0, DEL, C1)
/// and the Unicode line and paragraph separators become `\u{XX}`, so one error is one line.
public enum TerminalLine {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            switch s.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029:
                out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            default:
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// Writes `text` and a line feed to standard error with `write(2)`: a closed or full
    /// standard error loses the line, never the process.
    public static func writeError(_ text: String) { writeRaw(text + "\n") }

    /// Writes `text` as it is to standard error (progress lines that redraw with `\r`).
    public static func writeRaw(_ text: String) { _ = writeAll(2, Array(text.utf8)) }

    /// `write(2)` until every byte is out, again after `EINTR`. Returns nil, or the `errno`
    /// of the failure (a full disk, a closed pipe).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var done = 0
        return bytes.withUnsafeBytes { raw -> Int32? in
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { return errno }
                if n == 0 { return EIO }
                done += n
            }
            return nil
        }
    }
}
