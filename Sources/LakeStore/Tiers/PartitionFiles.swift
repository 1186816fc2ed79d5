#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LakeCore

/// The files of warm and cold partitions (docs/SPEC.md 7, "Tiers"). Both hold one month's
/// records in export order, as `PartitionCodec` records, with the dictionary of the values
/// they refer to:
/// - warm, `<lake>/partitions/<YYYY-MM>.warm.sqlite`: an SQLite database with `dictionary(bytes)`
///   and `batches(seq, records, raw, lz4)`, each batch about 64 KiB of records compressed as one
///   LZ4 block;
/// - cold, `<lake>/partitions/<YYYY-MM>.cold.zst`: one zstd frame holding `DPLKCOLD`, the codec
///   version, the dictionary and the records (each length-prefixed, then a 0).
/// Files are written under a temporary name (0600, never through a link), synced, then renamed.
enum PartitionFiles {
    static let batchBytes = 64 * 1024
    static let coldMagic = Array("DPLKCOLD".utf8)
    static let zstdLevel: Int32 = 19
    /// A warm file's SQLite application id: "DPLW".
    static let warmApplicationID: Int32 = 0x4450_4C57

    enum Tier: String, Sendable { case warm, cold }

    static func fileName(_ partition: String, _ tier: Tier) -> String {
        tier == .warm ? "\(partition).warm.sqlite" : "\(partition).cold.zst"
    }

    /// Receives a partition's records in export order and writes them to `path`.
    final class Sink {
        let tier: Tier
        let path: String
        private var pending = PartitionCodec.Writer()
        private var pendingRecords = 0
        private(set) var records = 0
        private let raw = FileDigester()
        private var warm: (db: SQLiteDatabase, insert: SQLiteStatement)?
        private var cold: (fd: Int32, writer: Compression.ZstdWriter)?

        init(tier: Tier, path: String, dictionary: PartitionCodec.Dictionary) throws {
            self.tier = tier
            self.path = path
            unlink(path)
            var header = PartitionCodec.Writer()
            dictionary.encode(into: &header)
            switch tier {
            case .warm:
                let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw Self.cannot(path) }
                close(fd)
                let db = try SQLiteDatabase(path: path)
                try db.execute(
                    """
                    PRAGMA journal_mode=OFF; PRAGMA application_id=\(PartitionFiles.warmApplicationID);
                    CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
                    CREATE TABLE dictionary(bytes BLOB NOT NULL);
                    CREATE TABLE batches(
                        seq INTEGER PRIMARY KEY, records INTEGER NOT NULL, raw INTEGER NOT NULL, xxh64 INTEGER NOT NULL, lz4 BLOB NOT NULL);
                    BEGIN;
                    """)
                try db.prepare("INSERT INTO meta VALUES ('codec', ?)").run([.integer(Int64(PartitionCodec.version))])
                try db.prepare("INSERT INTO dictionary VALUES (?)").run([.blob(header.bytes)])
                warm = (db, try db.prepare("INSERT INTO batches(records, raw, xxh64, lz4) VALUES (?, ?, ?, ?)"))
            case .cold:
                let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw Self.cannot(path) }
                let writer = Compression.ZstdWriter(fd: fd, level: PartitionFiles.zstdLevel)
                cold = (fd, writer)
                var start = PartitionCodec.Writer()
                start.bytes = PartitionFiles.coldMagic
                start.varint(PartitionCodec.version)
                start.data(header.bytes)
                try emit(start.bytes)
            }
        }

        static func cannot(_ path: String) -> LakeError {
            LakeError(
                errno == ELOOP ? .lakeUnsafeLink : errno == ENOSPC ? .lakeDiskFull : .lakeStorage, scope: .input,
                message: "cannot create \(path): \(String(cString: strerror(errno)))")
        }

        private func emit(_ bytes: [UInt8]) throws {
            raw.update(bytes)
            try cold?.writer.write(bytes)
        }

        func add(_ s: RecordStorage.Stored, idDerived: Bool) throws {
            var one = PartitionCodec.Writer()
            PartitionCodec.encode(s, idDerived: idDerived, into: &one)
            pending.data(one.bytes)
            pendingRecords += 1
            records += 1
            if pending.bytes.count >= PartitionFiles.batchBytes { try flush() }
        }

        private func flush() throws {
            guard pendingRecords > 0 else { return }
            if let warm {
                raw.update(pending.bytes)
                try warm.insert.run([
                    .integer(Int64(pendingRecords)), .integer(Int64(pending.bytes.count)),
                    .integer(Int64(bitPattern: XXH64.hash(pending.bytes))), .blob(Compression.lz4(pending.bytes)),
                ])
            } else {
                try emit(pending.bytes)
            }
            pending = PartitionCodec.Writer()
            pendingRecords = 0
        }

        /// Writes what is left, syncs the file and returns the SHA-256 of the records' bytes.
        func finish() throws -> String {
            try flush()
            if let warm {
                try warm.db.execute("COMMIT")
                self.warm = nil
            }
            if let cold {
                try emit([0])
                try cold.writer.finish()
                let ok = fsync(cold.fd) == 0
                close(cold.fd)
                self.cold = nil
                guard ok else { throw Self.cannot(path) }
            } else {
                let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                if fd >= 0 {
                    _ = fsync(fd)
                    close(fd)
                }
            }
            return raw.finish().sha256
        }

        func abandon() {
            warm = nil
            if let cold { close(cold.fd) }
            cold = nil
            unlink(path)
        }
    }

    /// Reads a partition file's records back in their order.
    final class Source {
        private(set) var dictionary = PartitionCodec.Dictionary()
        private var reader = PartitionCodec.Reader([])
        private var warm: (db: SQLiteDatabase, batches: SQLiteStatement)?
        private var cold: (fd: Int32, reader: Compression.ZstdReader, buffer: [UInt8])?
        private var ended = false

        init(tier: Tier, path: String) throws {
            switch tier {
            case .warm:
                let db = try SQLiteDatabase(path: path, readOnly: true)
                var codec: Int64 = -1
                try db.prepare("SELECT value FROM meta WHERE key = 'codec'").forEachRow { codec = $0.int(0) }
                guard codec == Int64(PartitionCodec.version) else { throw Compression.damaged("codec version \(codec)") }
                var header: [UInt8] = []
                try db.prepare("SELECT bytes FROM dictionary").forEachRow { header = $0.bytes(0) }
                var r = PartitionCodec.Reader(header)
                dictionary = try PartitionCodec.Dictionary.decode(&r)
                warm = (db, try db.prepare("SELECT raw, lz4, xxh64 FROM batches ORDER BY seq"))
            case .cold:
                let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                guard fd >= 0 else { throw Compression.damaged("\(path) cannot be opened") }
                let z = Compression.ZstdReader(fd: fd)
                cold = (fd, z, [])
                try fill(PartitionFiles.coldMagic.count + 64)
                guard Array(reader.bytes.prefix(PartitionFiles.coldMagic.count)) == PartitionFiles.coldMagic else {
                    throw Compression.damaged("not a cold partition")
                }
                reader.position = PartitionFiles.coldMagic.count
                guard try reader.varint() == PartitionCodec.version else { throw Compression.damaged("codec version") }
                let length = try reader.varint()
                try fill(Int(length) + 16)
                var d = PartitionCodec.Reader(try reader.take(length))
                dictionary = try PartitionCodec.Dictionary.decode(&d)
            }
        }

        deinit { if let cold { close(cold.fd) } }

        /// Makes sure `count` unread bytes are buffered (fewer only at the end of the file).
        private func fill(_ count: Int) throws {
            guard let c = cold else { return }
            var rest = Array(reader.bytes[reader.position...])
            while rest.count < count {
                let more = try c.reader.read(max: max(count - rest.count, 256 * 1024))
                if more.isEmpty { break }
                rest += more
            }
            reader = PartitionCodec.Reader(rest)
        }

        /// The next record (see `PartitionCodec.decode`), or nil at the end.
        func next() throws -> (stored: RecordStorage.Stored, idDerived: Bool)? {
            while !ended {
                if let warm {
                    if reader.atEnd {
                        guard try warm.batches.step() else {
                            ended = true
                            return nil
                        }
                        let batch = try Compression.unlz4(warm.batches.bytes(1), size: Int(warm.batches.int(0)))
                        guard XXH64.hash(batch) == UInt64(bitPattern: warm.batches.int(2)) else {
                            throw Compression.damaged("a batch no longer matches its XXH64")
                        }
                        reader = PartitionCodec.Reader(batch)
                        continue
                    }
                    var one = PartitionCodec.Reader(try reader.data())
                    return try PartitionCodec.decode(&one)
                }
                try fill(10)
                let length = try reader.varint()
                if length == 0 {
                    ended = true
                    return nil
                }
                try fill(Int(length))
                var one = PartitionCodec.Reader(try reader.take(length))
                return try PartitionCodec.decode(&one)
            }
            return nil
        }
    }
}
