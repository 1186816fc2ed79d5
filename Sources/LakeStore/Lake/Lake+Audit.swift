#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import LakeCore

/// The audit log (docs/SPEC.md 7, "Audit"): one row per command that changed the lake — when,
/// which operating-system account and process, what, and its counts. Rows are only ever
/// added: triggers refuse an UPDATE or DELETE. No row holds a user's data: a user a command
/// was about is named by the SHA-256 of their id, so an erased user leaves no identifier.
extension Lake {
    public struct AuditRow: Equatable, Sendable {
        public var seq: Int64
        public var at: String
        public var actor: String
        public var command: String
        public var jobID: String?
        /// SHA-256 (hex) of the user id the command was about, or nil.
        public var subject: String?
        /// Canonical JSON object of counts.
        public var counts: String
    }

    /// Who runs this process: `<account>(uid <n>) pid <p>`.
    static var actor: String {
        let uid = geteuid()
        let name = getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "?"
        return "\(TerminalLine.escape(name))(uid \(uid)) pid \(getpid())"
    }

    /// The SHA-256 (hex) that stands for `user` in the audit log.
    public static func auditSubject(_ user: String) -> String { Hex.string(FileDigester.sha256Bytes(Array(user.utf8))) }

    /// Appends one row (inside the caller's transaction when there is one).
    public func appendAudit(command: String, jobID: String? = nil, user: String? = nil, counts: [(String, Int)]) throws {
        let object = JSONValue.object(counts.map { .init($0.0, .number(String($0.1))) })
        try wrap {
            try database.prepare("INSERT INTO audit(at, actor, command, job_id, subject, counts) VALUES (?, ?, ?, ?, ?, ?)").run([
                .text(Self.now()), .text(Self.actor), .text(command), jobID.map { .text($0) } ?? .null,
                user.map { .text(Self.auditSubject($0)) } ?? .null, .text(CanonicalJSON.string(object)),
            ])
        }
    }

    /// Every audit row, oldest first.
    public func audit() throws -> [AuditRow] {
        var rows: [AuditRow] = []
        try wrap {
            try database.prepare("SELECT seq, at, actor, command, job_id, subject, counts FROM audit ORDER BY seq").forEachRow {
                rows.append(
                    AuditRow(
                        seq: $0.int(0), at: $0.text(1) ?? "", actor: $0.text(2) ?? "", command: $0.text(3) ?? "", jobID: $0.text(4),
                        subject: $0.text(5), counts: $0.text(6) ?? "{}"))
            }
        }
        return rows
    }
}
