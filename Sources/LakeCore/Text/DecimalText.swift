/// An integer's decimal digits as JSON and SQLite write them (a `-` first when negative), made
/// on the stack for the caller to read: no string or array per integer.
///
/// ```swift
/// DecimalText.withDigits(of: -300) { Array($0) }  // "-300" as bytes
/// ```
public enum DecimalText {
    /// `body` with the digits of `n`, followed by a newline when `newline`.
    @inline(__always)
    public static func withDigits<R>(of n: Int64, newline: Bool = false, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        // 32 bytes: 19 digits, a sign and a newline fit.
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &buffer) { b in
            var i = b.count
            if newline {
                i -= 1
                b[i] = 0x0A
            }
            var magnitude = n.magnitude
            repeat {
                i -= 1
                b[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if n < 0 {
                i -= 1
                b[i] = UInt8(ascii: "-")
            }
            return try body(UnsafeRawBufferPointer(rebasing: b[i...]))
        }
    }
}
