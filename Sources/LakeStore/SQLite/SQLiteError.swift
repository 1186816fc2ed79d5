import Foundation
import LakeCore

/// A SQLite failure: the result code, SQLite's message and the statement (never its arguments,
/// which may hold personal data).
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A SQLite result code (extended codes included). https://www.sqlite.org/rescode.html
    public struct ResultCode: RawRepresentable, Sendable, Hashable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// The primary code (the low 8 bits), so `SQLITE_CONSTRAINT_UNIQUE` matches `.constraint`.
        public var primary: ResultCode { ResultCode(rawValue: rawValue & 0xFF) }
        /// The corresponding C constant is `SQLITE_BUSY`.
        public static let busy = ResultCode(rawValue: 5)
        /// The corresponding C constant is `SQLITE_LOCKED`.
        public static let locked = ResultCode(rawValue: 6)
        /// The corresponding C constant is `SQLITE_CONSTRAINT`.
        public static let constraint = ResultCode(rawValue: 19)
        /// The corresponding C constant is `SQLITE_CANTOPEN`.
        public static let cantOpen = ResultCode(rawValue: 14)
        /// The corresponding C constant is `SQLITE_NOTADB`.
        public static let notADatabase = ResultCode(rawValue: 26)
        /// The corresponding C constant is `SQLITE_FULL`.
        public static let full = ResultCode(rawValue: 13)
        /// The corresponding C constant is `SQLITE_PERM`.
        public static let permission = ResultCode(rawValue: 3)
        /// The corresponding C constant is `SQLITE_READONLY`.
        public static let readOnly = ResultCode(rawValue: 8)
        /// The corresponding C constant is `SQLITE_IOERR`.
        public static let ioError = ResultCode(rawValue: 10)
        /// The corresponding C constant is `SQLITE_CORRUPT`.
        public static let corrupt = ResultCode(rawValue: 11)
    }

    public var code: ResultCode
    public var message: String
    public var sql: String?

    /// Busy or locked: another connection holds the lock; trying again later may work.
    public var isTransient: Bool { code.primary == .busy || code.primary == .locked }

    public var description: String {
        "SQLite error \(code.rawValue): \(message)" + (sql.map { " in `\($0)`" } ?? "")
    }

    /// As a pipeline error. The conditions of the machine (a full disk, a read-only or locked
    /// lake, a damaged catalog) have rules of their own and exit 3 (docs/SPEC.md 7, "Errors");
    /// anything else is an internal error (exit 4).
    public var lakeError: LakeError {
        let reason = message.replacingOccurrences(of: "\n", with: " ")
        switch code.primary {
        case .full: return LakeError(.lakeDiskFull, scope: .input, message: "the lake's disk is full (\(reason))")
        case .readOnly, .permission:
            return LakeError(
                .lakeReadOnly, scope: .input, message: "the lake cannot be written (\(reason)); export, jobs and metrics still read it")
        case .corrupt, .notADatabase: return LakeError(.lakeCorrupt, scope: .input, message: "the catalog is damaged (\(reason))")
        case .busy, .locked:
            return LakeError(
                .lakeLocked, scope: .input, message: "another datapunk is writing to this lake (\(reason)); try again when it is done")
        case .cantOpen, .ioError:
            return LakeError(.lakeUnreadable, scope: .input, message: "the catalog cannot be read or written (\(reason))")
        default: return LakeError(.lakeStorage, scope: .internal, message: description)
        }
    }
}
