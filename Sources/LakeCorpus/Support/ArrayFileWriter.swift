import Foundation
import LakeCore

/// Writes a file holding one JSON array element by element (`head`, elements joined by
/// `separator`, `tail`) into a `StagedFile`, so arrays of any length take constant memory.
final class ArrayFileWriter {
    let file: StagedFile
    private let separator: [UInt8]
    private let tail: [UInt8]
    private let emptyTail: [UInt8]
    private let encode: (JSONValue, inout [UInt8]) -> Void
    private(set) var count = 0

    init(
        file: StagedFile, head: [UInt8], separator: [UInt8], tail: [UInt8], emptyTail: [UInt8],
        encode: @escaping (JSONValue, inout [UInt8]) -> Void
    ) {
        self.file = file
        self.separator = separator
        self.tail = tail
        self.emptyTail = emptyTail
        self.encode = encode
        file.write(head)
    }

    func append(_ element: JSONValue) {
        append { encode(element, &$0) }
    }

    /// Appends an element that `body` writes itself (for `JSONStream` writers).
    func append(writing body: (inout [UInt8]) -> Void) {
        file.append { out in
            if count > 0 { out += separator }
            body(&out)
        }
        count += 1
    }

    /// Closes the array and the file; the digest of everything written.
    @discardableResult
    func finish() -> FileDigest {
        file.write(count == 0 ? emptyTail : tail)
        return file.finish()
    }
}
