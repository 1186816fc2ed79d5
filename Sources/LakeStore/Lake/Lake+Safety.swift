import Foundation
import LakeCore

extension Lake {
    /// The catalog's SQLite `application_id` ("DPLK"): how a lake is told from any other folder
    /// holding a `catalog.sqlite` (docs/SPEC.md 7, "The lake").
    public static let applicationID: Int32 = 0x4450_4C4B

    /// Whether `directory` is a lake: it holds a `catalog.sqlite` whose header carries the
    /// lake's application id (catalogs made before it had one: the `jobs` table's name in the
    /// first page).
    public static func isLake(_ directory: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: directory + "/catalog.sqlite") else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4096) else { return false }
        // A catalog being created (or cut short by a kill): SQLite keeps its first pages in the
        // write-ahead log until a checkpoint, so the file itself can still be empty.
        if head.count < 100 { return head.isEmpty || FileManager.default.fileExists(atPath: directory + "/catalog.sqlite-wal") }
        let bytes = [UInt8](head)
        guard bytes.starts(with: Array("SQLite format 3\0".utf8)) else { return false }
        let id = bytes[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        if id == UInt32(bitPattern: applicationID) { return true }
        return id == 0 && bytes.indices.contains(200) && String(decoding: bytes, as: UTF8.self).contains("CREATE TABLE jobs(")
    }

    /// Checks the folder a lake is to be created in: missing, empty, or a lake already.
    /// - Throws: `lake.not_a_lake` for a folder that holds other files.
    static func checkLakeFolder(_ directory: String) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw LakeError(
                .lakeNotALake, scope: .usage, input: directory, message: "is a file, not a lake folder; give --lake a new or empty folder")
        }
        if fm.fileExists(atPath: directory + "/catalog.sqlite") {
            if isLake(directory) { return }
            throw LakeError(
                .lakeNotALake, scope: .usage, input: directory,
                message: "holds a catalog.sqlite that is not a lake's; give --lake a new or empty folder to start a lake")
        }
        let others = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter { $0 != "staging" }
        if !others.isEmpty {
            throw LakeError(
                .lakeNotALake, scope: .usage, input: directory,
                message:
                    "holds other files (\(others.sorted().prefix(3).joined(separator: ", "))) and no lake; give --lake a new or empty folder to start a lake"
            )
        }
    }

    /// An existing lake's catalog must hold a lake: a file cut to 0 bytes (with no log beside
    /// it) is a damaged catalog, not an empty lake.
    static func checkCatalog(_ directory: String) throws {
        let catalog = directory + "/catalog.sqlite"
        let size = ((try? FileManager.default.attributesOfItem(atPath: catalog))?[.size] as? NSNumber)?.int64Value ?? -1
        if size == 0 && !FileManager.default.fileExists(atPath: catalog + "-wal") {
            throw LakeError(.lakeCorrupt, scope: .input, input: directory, message: "the catalog is empty (0 bytes): the lake was damaged")
        }
    }

    /// An existing lake's catalog must hold a lake's tables; one opened read-only is read as it
    /// is, so its schema must be this version's.
    func checkSchema(upgradable: Bool) throws {
        let current = try checkNotNewer()
        if current == 0 {
            throw LakeError(.lakeCorrupt, scope: .input, input: directory, message: "the catalog holds no lake tables")
        }
        if !upgradable && current < Self.schemaVersion {
            throw LakeError(
                .lakeReadOnly, scope: .input, input: directory,
                message:
                    "the lake's catalog is version \(current) and cannot be upgraded to \(Self.schemaVersion) read-only; open it writable once"
            )
        }
    }

    /// The catalog's schema version, unless it is later than this build's: a later version may
    /// store rows in forms this one would misread (schema 23's compact annotations would be
    /// exported as they are stored), so no command reads or writes it.
    @discardableResult
    func checkNotNewer() throws -> Int {
        let current = try LakeSchema.currentVersion(database)
        if current > Self.schemaVersion {
            throw LakeError(
                .lakeNewerVersion, scope: .input, input: directory,
                message:
                    "the lake's catalog is version \(current), newer than this datapunk's \(Self.schemaVersion); use a datapunk of that version or later"
            )
        }
        return current
    }

    /// Nothing the lake writes may be a symbolic link planted there (it would be followed and
    /// the data written elsewhere): the catalog, its log files, the staging folder and the writers' marks.
    static func checkNoLinks(_ directory: String) throws {
        for name in [
            "catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "catalog.sqlite-journal", "staging", "writers", "quarantine",
        ] {
            var st = stat()
            if lstat(directory + "/" + name, &st) == 0, st.st_mode & S_IFMT == S_IFLNK {
                throw LakeError(
                    .lakeUnsafeLink, scope: .input, input: directory,
                    message: "'\(name)' in the lake is a symbolic link; remove it (the lake never follows links)")
            }
        }
    }
}
