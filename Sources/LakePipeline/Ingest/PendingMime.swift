import Foundation
import LakeIngest

/// libmagic's MIME type of an entry's first bytes, worked out on another thread while the entry
/// is parsed, mapped and committed. libmagic tries every text file's first 4 KB against its
/// patterns (about 8 million instructions a file, a third of them glibc's `regexec`); on the
/// reading thread that held up every small file's chain of reading, mapping and committing,
/// with a core idle. `value` waits for the answer, which is the one `magic` gives on the
/// reading thread: the same bytes, the same detector (which answers one question at a time).
/// The entry's end waits for it (`value` or `wait`), on the walk's thread, when it is written
/// (`ArchiveWalk+Completions`).
final class PendingMime: @unchecked Sendable {
    private let group = DispatchGroup()
    private var answer: String?

    init(_ sample: [UInt8], magic: MagicDetector) {
        group.enter()
        let detector = UncheckedDetector(magic)
        DispatchQueue.global().async {
            self.answer = detector.magic.mimeType(of: sample)
            self.group.leave()
        }
    }

    /// The MIME type, once libmagic has answered.
    var value: String {
        group.wait()
        return answer ?? "application/octet-stream"
    }

    /// Waits for libmagic to answer.
    func wait() { group.wait() }

    /// The detector, handed to the one thread that asks it while the walk waits.
    private struct UncheckedDetector: @unchecked Sendable {
        let magic: MagicDetector
        init(_ magic: MagicDetector) { self.magic = magic }
    }
}
