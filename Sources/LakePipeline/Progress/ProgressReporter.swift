import Foundation
import LakeCore

/// How an ingest shows progress on stderr.
public enum ProgressMode: String, Sendable, CaseIterable {
    /// `bar` when stderr is a terminal, else `none` (the default).
    case auto
    /// A one-line bar redrawn in place: bytes, records, rate, ETA.
    case bar
    /// One line of text per committed chunk (for logs).
    case plain
    /// One JSON object per line: a `chunk` event per committed chunk, `entry` per finished
    /// entry, `done` at the end.
    case json
    case none
}

/// Reports an ingest's progress. The JSON events are canonical JSON; their fields are in
/// docs/SPEC.md ("Progress events"). Times in them are wall-clock measurements and differ from
/// run to run; nothing in the lake's output depends on them.
final class ProgressReporter {
    let mode: ProgressMode
    private let write: (String) -> Void
    private let started = DispatchTime.now().uptimeNanoseconds
    /// Uncompressed bytes of all entries, when the archive declared them.
    var totalBytes: Int64 = 0
    /// Bytes of finished entries, and of the committed chunks of the entry in progress.
    private(set) var bytesDone: Int64 = 0
    private var entryChunkBytes: Int64 = 0
    private var bytesSoFar: Int64 { bytesDone + entryChunkBytes }
    private(set) var recordsDone = 0
    private var lastDraw: UInt64 = 0

    init(mode: ProgressMode, write: @escaping (String) -> Void = { TerminalLine.writeRaw($0) }) {
        self.mode = mode == .auto ? (isatty(2) == 1 ? .bar : .none) : mode
        self.write = write
    }

    var elapsedSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

    private func emit(_ members: [JSONMember]) {
        write(String(decoding: CanonicalJSON.encode(.object(members)), as: UTF8.self) + "\n")
    }

    private static func n(_ v: Int64) -> JSONValue { .number(String(v)) }

    /// A validation event (json mode only): `validation_start` when a job starts reading,
    /// `security_scan_complete` and `format_verification` when an input's walk ends, with
    /// the counts given.
    func validation(_ event: String, job: String, input: String?, counts: [(String, Int)]) {
        guard mode == .json else { return }
        var members: [JSONMember] = [.init("event", .string(event)), .init("job", .string(job))]
        if let input { members.append(.init("input", .string(input))) }
        members += counts.map { .init($0.0, Self.n(Int64($0.1))) }
        emit(members)
    }

    /// A committed chunk.
    func chunk(job: String, input: String, entry: String, entryIndex: Int, chunk: Int, elements: Int, records: Int, bytes: Int64) {
        recordsDone += records
        entryChunkBytes += bytes
        switch mode {
        case .json:
            emit([
                .init("event", .string("chunk")), .init("job", .string(job)), .init("input", .string(input)),
                .init("entry", .string(entry)),
                .init("entry_index", Self.n(Int64(entryIndex))), .init("chunk", Self.n(Int64(chunk))),
                .init("elements", Self.n(Int64(elements))),
                .init("records", Self.n(Int64(records))), .init("bytes", Self.n(bytes)), .init("records_done", Self.n(Int64(recordsDone))),
                .init("bytes_done", Self.n(bytesSoFar)), .init("total_bytes", Self.n(totalBytes)),
                .init("elapsed_ms", Self.n(Int64(elapsedSeconds * 1000))),
            ])
        case .bar: draw(force: false)
        case .plain:
            write(
                "datapunk: \(TerminalLine.escape(entry)) chunk \(chunk): \(records) records (\(recordsDone) in all), "
                    + String(format: "%.1f MiB read, %.1f s\n", Double(bytesSoFar) / 1_048_576, elapsedSeconds))
        case .none, .auto: break
        }
    }

    /// An entry is finished (loaded, stored or rejected) after `bytes` of it were read.
    func entry(input: String, entry: String, status: FileStatus, bytes: Int64) {
        bytesDone += bytes
        entryChunkBytes = 0
        switch mode {
        case .json:
            emit([
                .init("event", .string("entry")), .init("input", .string(input)), .init("entry", .string(entry)),
                .init("status", .string(status.rawValue)),
                .init("bytes", Self.n(bytes)), .init("bytes_done", Self.n(bytesDone)),
            ])
        case .bar: draw(force: false)
        case .plain, .none, .auto: break
        }
    }

    /// A step of the duplicate stage ended (`DuplicateLinker.Step`), with its count: a `json`
    /// event or a `plain` line; the bar is not redrawn.
    func duplicateStep(job: String, step: String, count: Int) {
        switch mode {
        case .json:
            emit([
                .init("event", .string("duplicate_step")), .init("job", .string(job)), .init("step", .string(step)),
                .init("count", Self.n(Int64(count))), .init("elapsed_ms", Self.n(Int64(elapsedSeconds * 1000))),
            ])
        case .plain:
            write("datapunk: duplicate stage: \(step) \(count), " + String(format: "%.1f s\n", elapsedSeconds))
        case .bar, .none, .auto: break
        }
    }

    func done(job: String, state: JobState) {
        switch mode {
        case .json:
            emit([
                .init("event", .string("done")), .init("job", .string(job)), .init("state", .string(state.rawValue)),
                .init("records_done", Self.n(Int64(recordsDone))), .init("bytes_done", Self.n(bytesDone)),
                .init("elapsed_ms", Self.n(Int64(elapsedSeconds * 1000))),
            ])
        case .bar:
            draw(force: true)
            write("\n")
        case .plain:
            write(
                "datapunk: job \(job) \(state.rawValue): \(recordsDone) records, "
                    + String(format: "%.1f MiB, %.1f s\n", Double(bytesDone) / 1_048_576, elapsedSeconds))
        case .none, .auto: break
        }
    }

    /// The bar, at most every 100 ms: `[#####.....]  45%  12.3 MiB  4567 records  3.2 MiB/s  ETA 0:12`.
    private func draw(force: Bool) {
        let now = DispatchTime.now().uptimeNanoseconds
        if !force && now - lastDraw < 100_000_000 { return }
        lastDraw = now
        let seconds = max(elapsedSeconds, 0.001)
        let rate = Double(bytesSoFar) / seconds
        var line = "\r"
        if totalBytes > 0 {
            let share = min(1, Double(bytesSoFar) / Double(totalBytes))
            let filled = Int(share * 20)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "] "
            line += String(format: "%3d%%  ", Int(share * 100))
        }
        line += String(format: "%.1f MiB  %d records  %.1f MiB/s", Double(bytesSoFar) / 1_048_576, recordsDone, rate / 1_048_576)
        if totalBytes > 0, rate > 0 {
            let left = Int(Double(max(0, totalBytes - bytesSoFar)) / rate)
            line += String(format: "  ETA %d:%02d", left / 60, left % 60)
        }
        write(line)
    }
}
