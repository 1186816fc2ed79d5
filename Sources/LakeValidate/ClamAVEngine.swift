import CClamAV
import Foundation
import LakeCore

/// ClamAV (libclamav) as a second engine of the security scan: every signature database in a
/// folder, loaded and compiled once; scans of in-memory bytes may run on several threads.
///
/// ```swift
/// let engine = try ClamAVEngine(folder: ClamAVEngine.defaultDatabase)
/// try engine.scan(bytes, path: "data/x.json")  // "Eicar-Signature" or nil
/// ```
public final class ClamAVEngine: @unchecked Sendable {
    /// Why the engine could not start (no database, an unreadable folder): the scan goes on
    /// without it and says so.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    private let engine: OpaquePointer
    public let folder: String
    public let signatures: Int

    /// libclamav's version.
    public static var version: String { String(cString: dp_clamav_version()) }
    /// The folder libclamav was built to read signatures from (/var/lib/clamav on Debian).
    public static var defaultDatabase: String { String(cString: dp_clamav_default_database()) }

    /// - Throws: `Unavailable` when the folder holds no signature database or ClamAV fails to
    ///   load it.
    public init(folder: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw Unavailable(description: "no signature database folder \(folder)")
        }
        var count: UInt32 = 0
        var error = [CChar](repeating: 0, count: 512)
        guard let e = dp_clamav_open(folder, &count, &error, Int32(error.count)) else {
            throw Unavailable(description: "no usable signature database in \(folder): \(String(cBuffer: error))")
        }
        engine = e
        self.folder = folder
        signatures = Int(count)
    }

    deinit { dp_clamav_close(engine) }

    /// The name of the signature `bytes` (the file at `path` in its export) match, or nil.
    /// - Throws: `LakeError` `security.scan_failed` (scope entry) when ClamAV fails.
    public func scan(_ bytes: [UInt8], path: String) throws -> String? {
        var found = [CChar](repeating: 0, count: 512)
        let r = bytes.withUnsafeBufferPointer { dp_clamav_scan(engine, $0.baseAddress, $0.count, path, &found, Int32(found.count)) }
        if r < 0 {
            throw LakeError(.securityScanFailed, scope: .entry, entry: path, message: "ClamAV failed: \(String(cBuffer: found))")
        }
        return r == 1 ? String(cBuffer: found) : nil
    }

    /// What identifies the signatures loaded, for the job's configuration: ClamAV's version,
    /// the signature count, and SHA-256 over the folder's file names and sizes.
    public var identity: String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        var listing: [UInt8] = []
        for name in names {
            let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? Int) ?? 0
            listing += Array("\(name)\t\(size)\n".utf8)
        }
        return "\(Self.version):\(signatures):\(FileDigester.sha256(listing))"
    }
}
