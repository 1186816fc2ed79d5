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
    }

    public var code: ResultCode
    public var message: String
    public var sql: String?

    /// Busy or locked: another connection holds the lock; trying again later may work.
    public var isTransient: Bool { code.primary == .busy || code.primary == .locked }

    public var description: String {
        "SQLite error \(code.rawValue): \(message)" + (sql.map { " in `\($0)`" } ?? "")
    }

    /// As a pipeline error (an internal one: the lake, not the input, failed).
    public var lakeError: LakeError {
        LakeError(.lakeStorage, scope: .internal, message: description)
    }
}
