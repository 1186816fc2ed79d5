import Foundation
import LakeCore
import LakeIngest
import LakeNormalize
import LakeParsers
import LakeStore
import LakeValidate

/// The loading stage for one entry: elements mapped on workers and committed in ordered
/// chunks with checkpoints and metrics (docs/SPEC.md 7.1), a mapper's failure as one record's
/// error row, the failure threshold judged at each commit. Content validation
/// (`ContentValidator`) runs between `map`'s record and the insert.
struct ChunkedLoader {
    let job: IngestJob
    let context: RecordContext
    let entryIndex: Int
    let jobID: String
    let lake: Lake
    /// Called once a file's elements are all read and handed on, while its workers and
    /// committer finish them (the walk reads the next entry ahead: `ArchiveWalk+ReadAhead`).
    var whileFinishing: (() -> Void)? = nil

    /// A CSV entry (docs/SPEC.md 5.5): the dialect sniffed from the first block, the header
    /// row standardized, column types inferred from the first `csvInferenceRows` rows (held while they are
    /// inferred), then every row loaded like the elements of a JSON file.
    func loadCSV(source: @escaping JSONReader.ChunkSource, recordKind: String, exportKind: String) throws -> (
        records: Int, header: [String]
    ) {
        var first: [UInt8]? = try source()
        let sniffed = CSVSniffer.sniff(first ?? [], isComplete: false)
        let reader = CSVReader(
            source: {
                if let f = first {
                    first = nil
                    return f
                }
                return try source()
            }, dialect: sniffed.isConfident ? sniffed.dialect : .rfc4180)
        // A row with nothing in it (Google's CSV files end with blank lines) is no record.
        func nextRow() throws -> [String]? {
            while let row = try reader.nextRecord() {
                if row.contains(where: { !$0.allSatisfy(\.isWhitespace) }) { return row }
            }
            return nil
        }
        let header = try nextRow() ?? []
        var sample: [[String]] = []
        let t = job.options.thresholds
        while sample.count < t.csvInferenceRows, let row = try nextRow() { sample.append(row) }
        let columns = CSVColumns.infer(header: header, rows: sample, sampleRows: t.csvInferenceRows, confidence: t.csvTypeConfidence)
        let records = try load(
            bytesRead: { reader.offset },
            elements: { body in
                var i = 0
                for row in sample {
                    try body(i, row)
                    i += 1
                }
                sample = []
                while let row = try nextRow() {
                    try body(i, row)
                    i += 1
                }
            },
            map: { i, row in
                ExportMapper.mapRow(row, columns: columns, index: i, recordKind: recordKind, exportKind: exportKind, context: context)
            })
        return (records, header)
    }

    /// Maps and loads the elements of one file in chunks (docs/SPEC.md 7.1). `elements` calls
    /// its body with each element and its 0-based index, in order; `bytesRead` says how much
    /// of the entry the reader has consumed, so a chunk ends at the first element boundary past
    /// `ChunkPlan.chunkBytes`, whatever the read block size.
    ///
    /// Three stages run at once: this thread parses and cuts batches; `run.parallelChunks`
    /// workers map and encode each batch (`Parallel.start`); the committer (a `SerialStage`)
    /// inserts the results in element order and commits each chunk with its checkpoint and
    /// metrics in one transaction. Only the committer touches the lake while the file loads.
    /// A checkpoint left by an interrupted run makes the elements it covers be parsed again but
    /// not loaded again. Returns the entry's record count (earlier runs' chunks included).
    /// `map` throws `LakeError` for an element that cannot be mapped: it becomes an error row,
    /// and the failure threshold is judged at each commit.
    func load<Element>(
        bytesRead: @escaping () -> Int64, elements: ((Int, Element) throws -> Void) throws -> Void,
        map: @escaping (Int, Element) throws -> LakeRecord
    ) throws -> Int {
        let validator = validator
        return try loadRows(
            bytesRead: bytesRead, elements: elements,
            row: { i, element in Self.stored(try map(i, element), validator) })
    }

    /// The validation stage for a mapped record: its content checks, before it loads. Only its
    /// stored row and what the counts need go on to the committer.
    static func stored(_ record: LakeRecord, _ validator: ContentValidator?) -> (RecordRow, Lake.ChunkMetrics.Validation.Seen) {
        var record = record
        validator?.validate(&record)
        return (lineCaches.with { RecordRow(record, cache: $0) }, .init(record))
    }

    /// The line caches of the workers on the general path (the tape path keeps one in its
    /// scratch): one per worker at a time.
    static let lineCaches = ScratchPool { RecordRow.LineCache() }

    /// The content validation the job asked for, if any.
    var validator: ContentValidator? { job.options.contentValidation ? job.validator : nil }

    /// A worker's row on its way to the committer, by reference (`Lake.HeldRow`), with what
    /// content validation saw in it.
    final class MappedRow: Lake.HeldRow, @unchecked Sendable {
        let seen: Lake.ChunkMetrics.Validation.Seen
        init(row: RecordRow, seen: Lake.ChunkMetrics.Validation.Seen) {
            self.seen = seen
            super.init(row)
        }
    }

    /// `load` for a route whose workers make stored rows themselves (`row`, validated
    /// already), such as the mappers that read a `JSONTape`. `skipped` sees each element an
    /// earlier run committed, which is parsed again but not loaded again.
    func loadRows<Element>(
        bytesRead: @escaping () -> Int64, elements: ((Int, Element) throws -> Void) throws -> Void,
        skipped: ((Int, Element) -> Void)? = nil,
        row: @escaping (Int, Element) throws -> (RecordRow, Lake.ChunkMetrics.Validation.Seen)
    ) throws -> Int {
        let resumed =
            try lake.checkpoint(jobID: jobID, input: context.input, entryIndex: entryIndex)
            ?? Lake.Checkpoint(elements: 0, chunks: 0, records: 0, failures: 0)
        let inserter = try lake.recordInserter(jobID: jobID)
        // Batches being mapped hold their elements (and tapes): at most `mappingBatches` at
        // once. Mapped batches waiting for the committer hold only their rows, up to
        // `committerBytes` of the elements they came from: the workers go on while a commit
        // writes its chunk and SQLite checkpoints the WAL. With the committer's queue two items
        // deep, they stopped within a few batches, and one core idled for the commit.
        let mapping = DispatchSemaphore(value: ChunkPlan.mappingBatches)
        let committer = SerialStage(label: "datapunk.committer", budget: ChunkPlan.committerBytes)

        // The committer's state: touched only by work items on the committer's thread.
        var done = resumed
        var open = false
        var chunkRecords = 0
        var chunkFailures = 0
        var chunkValidation = Lake.ChunkMetrics.Validation()
        var failures = resumed.failures

        // This thread's state.
        var plan = ChunkPlan(configured: job.options.run.chunkSizeBytes, availableMemory: ProcessMetrics.recentAvailableMemoryBytes())
        var batch: [(Int, Element)] = []
        batch.reserveCapacity(ChunkPlan.batchElements)
        var chunkStart = (element: resumed.elements, bytes: bytesRead(), time: DispatchTime.now().uptimeNanoseconds, at: Lake.now())
        var batchStart = chunkStart.bytes
        var lastBytes = chunkStart.bytes
        var nextElement = resumed.elements

        func flush() throws {
            guard !batch.isEmpty else { return }
            mapping.wait()
            let mapped = Parallel.start(batch, workers: job.options.run.parallelChunks, whenDone: { mapping.signal() }) {
                i, element -> Result<MappedRow, LakeError> in
                do {
                    let (row, seen) = try row(i, element)
                    return .success(MappedRow(row: row, seen: seen))
                } catch {
                    // One bad record costs one record, whatever its mapper threw.
                    return .failure(IngestJob.recordError(error, index: i))
                }
            }
            batch = []
            batch.reserveCapacity(ChunkPlan.batchElements)
            let weight = ChunkPlan.committerWeight(bytes: bytesRead() - batchStart)
            batchStart = bytesRead()
            try committer.submit(weight: weight) { [self] in
                // After a stop the open chunk is rolled back anyway: its batches are not awaited.
                if job.stopRequested() { throw JobPaused() }
                if !open {
                    try lake.begin()
                    open = true
                    TestHooks.stopInTransaction()
                }
                let results = try mapped.wait()
                // The batch's rows go in by multi-row statements (`Lake.RecordInserter.insertBatch`).
                let rows = results.reduce(0) { n, r in if case .success = r { n + 1 } else { n } }
                try inserter.insertBatch(count: rows) {
                    // The batch counts into locals: the committer's captured state had each
                    // access checked at run time (`swift_beginAccess`), several per row.
                    var (records, failed, validation) = (0, 0, Lake.ChunkMetrics.Validation())
                    swap(&validation, &chunkValidation)
                    defer {
                        (chunkRecords, chunkFailures) = (chunkRecords + records, chunkFailures + failed)
                        swap(&validation, &chunkValidation)
                    }
                    for result in results {
                        switch result {
                        case .success(let mapped):
                            try mapped.insert(into: inserter)
                            records += 1
                            validation.count(mapped.seen)
                        case .failure(let e):
                            // A failed element becomes an error row of the same chunk.
                            try lake.insertError(
                                jobID: jobID,
                                LakeError(
                                    e.rule, scope: .entry, input: context.input, entry: context.path,
                                    location: e.location, message: e.message))
                            failed += 1
                        }
                    }
                }
            }
        }
        func commitChunk() throws {
            try flush()
            let start = chunkStart
            let end = (element: nextElement, bytes: bytesRead())
            try committer.submit { [self] in
                guard open else { return }
                if job.stopRequested() { throw JobPaused() }
                failures += chunkFailures
                done = Lake.Checkpoint(
                    elements: end.element, chunks: done.chunks + 1, records: done.records + chunkRecords, failures: failures)
                let bytes = end.bytes - start.bytes
                var m = Lake.ChunkMetrics(
                    input: context.input, entryIndex: entryIndex, chunk: done.chunks - 1, path: context.path, firstElement: start.element,
                    elements: end.element - start.element, records: chunkRecords, failures: chunkFailures, bytes: bytes,
                    startedAt: start.at,
                    durationMillis: Double(DispatchTime.now().uptimeNanoseconds - start.time) / 1e6)
                let usage = ProcessMetrics.sample()
                m.peakRSSKiB = usage.peakRSSKiB
                m.cpuMillis = usage.cpuMillis
                m.readBytes = usage.readBytes
                m.writeBytes = usage.writeBytes
                m.validation = chunkValidation
                try lake.saveCheckpoint(jobID: jobID, input: context.input, entryIndex: entryIndex, done)
                try lake.insertChunk(jobID: jobID, m)
                try lake.commit()
                open = false
                chunkRecords = 0
                chunkFailures = 0
                chunkValidation = Lake.ChunkMetrics.Validation()
                job.progress.chunk(
                    job: jobID, input: context.input, entry: context.path, entryIndex: entryIndex, chunk: m.chunk, elements: m.elements,
                    records: m.records, bytes: bytes)
                job.alerts?.check(job: jobID, chunk: m, usage: usage)
                if job.options.stop?.signal != nil { throw JobPaused() }
                // The failure threshold, judged on everything this file has had so far.
                let seen = done.records + failures
                if seen >= job.options.run.failureThresholdMinimumRecords,
                    Double(failures) > job.options.run.maxRecordFailureRate * Double(seen)
                {
                    throw LakeError(
                        .jobFailureThreshold, scope: .input, input: context.input, entry: context.path,
                        message:
                            "\(failures) of \(seen) records failed, more than the \(Int(job.options.run.maxRecordFailureRate * 100))% failure threshold; job stopped"
                    )
                }
            }
            chunkStart = (end.element, end.bytes, DispatchTime.now().uptimeNanoseconds, Lake.now())
            plan.availableMemory = ProcessMetrics.recentAvailableMemoryBytes()
        }

        do {
            try elements { i, element in
                let now = bytesRead()
                plan.saw(elementBytes: now - lastBytes)
                lastBytes = now
                if i < resumed.elements {
                    // Committed by an earlier run: parsed again, not loaded again, not counted.
                    chunkStart.bytes = now
                    batchStart = now
                    skipped?(i, element)
                    return
                }
                batch.append((i, element))
                nextElement = i + 1
                if batch.count >= ChunkPlan.batchElements || now - batchStart >= plan.batchBytes { try flush() }
                if now - chunkStart.bytes >= plan.chunkBytes { try commitChunk() }
            }
            try commitChunk()
            whileFinishing?()
            try committer.finish()
        } catch {
            // Whatever failed, the committer is idle before the caller rolls back.
            committer.drain()
            throw committer.error ?? error
        }
        return done.records
    }

    /// Elements from a reader's `next`, numbered from 0.
    static func counted<T>(_ next: @escaping () throws -> T?) -> (((Int, T) throws -> Void) throws -> Void) {
        { body in
            var i = 0
            while let element = try next() {
                try body(i, element)
                i += 1
            }
        }
    }
}
