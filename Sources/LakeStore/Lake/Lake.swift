import Foundation
import LakeCore
import LakeParsers

/// A lake: a folder holding `catalog.sqlite` (jobs, files, errors, records) and `staging/`
/// for downloads. Schema in docs/SPEC.md, "The lake".
///
/// ```swift
/// let lake = try Lake(directory: "./lake", create: true)
/// try lake.export { line in print(String(decoding: line, as: UTF8.self)) }
/// ```
public final class Lake {
    /// The catalog's schema version a new lake gets (`LakeSchema` lists every migration).
    public static var schemaVersion: Int { LakeSchema.version }
    /// Where a lake is when none is named: `./lake`.
    public static let defaultDirectory = "./lake"
    public let directory: String
    /// The catalog. Only LakeStore speaks SQL: everything else asks the lake.
    let database: SQLiteDatabase
    /// The references of record rows, cached (`RecordRefs`).
    let refs = RecordRefs()
    /// The record inserters' statements, handed from one inserter to the next (an ingest
    /// makes one per file).
    let insertStatements = StatementPool()
    /// The files loads have stored rows of while there is no `records_id` (`Lake+BulkIndexes`).
    var claims = FileClaims.State.unknown
    /// Retries of a write transaction that found the database busy (`begin`, `commit`).
    public var retry = Backoff()
    /// Called before each retry with the failed attempt's number and its error.
    public var onRetry: ((Int, Error) -> Void)?
    public var stagingDirectory: String { directory + "/staging" }
    /// The duplicate stage's scratch files in staging (`SortedRuns`), removed when the stage
    /// ends; a killed process leaves them to the next one (and `erase`). `nearDuplicates` is the
    /// SQLite file the near pass kept before its runs: removed as a leftover only.
    public var scratchFiles: ScratchFiles { ScratchFiles(staging: stagingDirectory) }

    public struct ScratchFiles: Sendable {
        let staging: String
        public var nearDuplicates: String { staging + "/near-duplicates.sqlite" }
        /// Every text's band keys in partitions by band, the texts' hashes by ordinal, the
        /// shared buckets' members by text, and a large partition's runs (`SharedBands`).
        public var textBands: String { staging + "/text-bands.blocks" }
        public var textHashes: String { staging + "/text-hashes.column" }
        public var textBandsShared: String { staging + "/text-bands-shared.runs" }
        public func textBandRuns(lane: Int) -> String { staging + "/text-bands-\(lane).runs" }
        /// The band keys' runs of versions before `SharedBands`: removed as a leftover only.
        public var oldTextBands: String { staging + "/text-bands.runs" }
        public var textSignatures: String { staging + "/text-signatures.runs" }
        public var textRows: String { staging + "/text-rows.runs" }
        public var links: String { staging + "/links.runs" }
        public var nearHits: String { staging + "/near-hits.runs" }
        /// The near pass's shared-bucket members by text, of versions before the members came
        /// in that order (`sharedBandMembers`): removed as a leftover only.
        public var nearMembers: String { staging + "/near-members.runs" }
        /// The near pass's members by band, and its candidate pairs.
        public var nearBands: String { staging + "/near-bands.runs" }
        public var nearCandidates: String { staging + "/near-candidates.runs" }
        /// Each text's shingle count and fingerprint, taken while hashing, by text.
        public var textMeasures: String { staging + "/text-measures.runs" }

        /// The files of earlier versions' near passes, which no run of this one writes: the
        /// pass removes them when it starts.
        public var earlierVersions: [String] { [nearDuplicates, nearMembers, oldTextBands] }

        /// Every one, for removing what a killed stage left.
        public var all: [String] {
            [
                nearDuplicates, oldTextBands, textBands, textHashes, textBandsShared, textBandRuns(lane: 0), textBandRuns(lane: 1),
                textSignatures, textRows, links, nearHits, nearMembers, nearBands, nearCandidates, textMeasures,
            ]
        }
    }

    /// Every one of `scratchFiles`, for removing what a killed stage left.
    public var allScratchFiles: [String] { scratchFiles.all }
    public var catalogPath: String { directory + "/catalog.sqlite" }

    /// Opens the lake in `directory`; with `create`, makes the folder and schema if missing.
    /// - Throws: `LakeError` (`lake.not_found` when it does not exist and `create` is false;
    ///   `lake.storage` for SQLite failures).
    public init(directory: String, create: Bool) throws {
        self.directory = directory
        let fm = FileManager.default
        let catalog = directory + "/catalog.sqlite"
        try Self.checkNoLinks(directory)
        if !fm.fileExists(atPath: catalog) {
            guard create else {
                throw LakeError(
                    .lakeMissing, scope: .usage, input: directory, message: "no lake here (no catalog.sqlite); run `datapunk ingest` first")
            }
            try Self.checkLakeFolder(directory)
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw LakeError(.lakeStorage, scope: .input, input: directory, message: "cannot create the lake folder: \(error)")
            }
        } else if create {
            try Self.checkLakeFolder(directory)
            if access(directory, W_OK) != 0 || access(catalog, W_OK) != 0 {
                throw LakeError(
                    .lakeReadOnly, scope: .input, input: directory,
                    message: "the lake cannot be written (\(String(cString: strerror(errno)))); export, jobs and metrics still read it")
            }
        }
        let isNew = !fm.fileExists(atPath: catalog)
        if !create { try Self.checkCatalog(directory) }
        // A lake that cannot be written (a read-only folder or file) is still read: export,
        // jobs and metrics work on it.
        let readOnly = !create && (access(directory, W_OK) != 0 || access(catalog, W_OK) != 0)
        do {
            database = try SQLiteDatabase(path: catalog, readOnly: readOnly)
            // The application id goes into the file's own header before WAL mode starts, so a
            // lake is recognisable from its first page even while its pages sit in the log. The
            // page size too: it is fixed once the first page is written (see `pageSize`).
            if isNew {
                try database.execute("PRAGMA page_size=\(Self.pageSize); PRAGMA application_id=\(Self.applicationID);")
            }
            if !create { try checkSchema(upgradable: !readOnly) } else if !isNew { try checkNotNewer() }
            if !readOnly { try migrate() }
        } catch let e as SQLiteError {
            throw e.lakeError.located(input: directory)
        }
    }

    private func migrate() throws {
        // busy_timeout: a second datapunk on the same lake waits for the first one's transaction (up
        // to 5 s, retried by SQLite with backoff) instead of failing with SQLITE_BUSY.
        // secure_delete: deleted rows are overwritten, not left in free space (erase relies on it).
        // cache_size: 32 MiB of pages, so the random-order id and content-hash indexes of a large
        // load mostly stay in memory.
        try database.execute(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON; PRAGMA cache_size=\(Self.cacheSize);"
        )
        try LakeSchema.migrate(database)
        try Self.settleVacuum(database)
    }

    /// The page size of a new catalog. 16 KiB instead of SQLite's 4: a quarter of the pages, so
    /// a quarter of the WAL frames, each written, read back and copied by its own system call,
    /// and a quarter of the cells moved across page splits. On the 256 MB Takeout zip an ingest
    /// took 8-22% less wall time and a third less system time, and the catalog was 2% smaller
    /// (docs/BENCHMARKS-PAGES.md). A lake keeps the page size it was created with.
    static let pageSize = 16384

    /// The page cache of a lake's own connection, in SQLite's units (negative: KiB).
    static let cacheSize = -32768
    /// The page cache while indexes are built (`sortingForIndexes`).
    static let sortingCacheSize = -2048

    /// A second connection to this lake for reading on another thread while this one writes
    /// (WAL: it sees what was committed when each of its reads began), with a page cache of
    /// 4 MiB instead of 32: it reads in order, and its pages add to the process's memory.
    public func readingConnection() throws -> Lake {
        let reader = try Lake(directory: directory, create: false)
        try reader.wrap { try reader.database.execute("PRAGMA cache_size=-4096;") }
        return reader
    }

    /// The current time as the catalog writes times: UTC ISO-8601 with milliseconds
    /// (`YYYY-MM-DDTHH:MM:SS.mmmZ`).
    public static func now() -> String { time(Date()) }

    /// `date` as the catalog writes times, written by `Timestamp`. An `ISO8601DateFormatter`
    /// made for each (ICU builds a formatter, about 0.1 ms) took a tenth of the reading thread
    /// of a Takeout of 3,381 files: every file and chunk notes when it started.
    public static func time(_ date: Date) -> String {
        // The nearest millisecond, as the formatter wrote them.
        Timestamp(millis: Int64((date.timeIntervalSince1970 * 1000).rounded()), offsetSeconds: nil).iso8601
    }

    /// Turns SQLite errors into pipeline errors.
    public func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SQLiteError { throw e.lakeError.located(input: directory) }
    }

    /// Copies the WAL's pages into the catalog and empties it (`wal_checkpoint(TRUNCATE)`),
    /// outside a transaction: after a large one, so later reads find their pages in the file
    /// rather than through the WAL's index.
    public func checkpointWAL() throws {
        try wrap { try database.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// `database.inTransaction` with errors turned into pipeline errors.
    public func inTransaction(_ body: () throws -> Void) throws {
        do {
            try wrap {
                try database.inTransaction {
                    try body()
                    return .commit
                }
            }
            refs.committed()
        } catch {
            refs.rolledBack()
            throw error
        }
    }
}
