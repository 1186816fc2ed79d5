import Foundation
import LakeCore

/// Writes a file holding one JSON array element by element (`head`, elements joined by
/// `separator`, `tail`), hashing as it goes, so files of any size are written in constant memory.
final class ArrayFileWriter {
    private let handle: UnsafeMutablePointer<FILE>
    private let separator: [UInt8]
    private let tail: [UInt8]
    private let emptyTail: [UInt8]
    private let encode: (JSONValue, inout [UInt8]) -> Void
    private let digest = FileDigester()
    private(set) var count = 0

    init(path: String, head: [UInt8], separator: [UInt8], tail: [UInt8], emptyTail: [UInt8],
         encode: @escaping (JSONValue, inout [UInt8]) -> Void) throws {
        guard let f = fopen(path, "wb") else { throw LakeError(.lakeStorage, scope: .internal, message: "cannot write \(path)") }
        handle = f
        self.separator = separator
        self.tail = tail
        self.emptyTail = emptyTail
        self.encode = encode
        write(head)
    }

    private func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        digest.update(bytes)
    }

    func append(_ element: JSONValue) {
        var out: [UInt8] = count == 0 ? [] : separator
        encode(element, &out)
        write(out)
        count += 1
    }

    /// Closes the array and the file; the digest of everything written.
    func finish() -> FileDigest {
        write(count == 0 ? emptyTail : tail)
        fclose(handle)
        return digest.finish()
    }
}
