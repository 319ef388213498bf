import Domain
import FluentKit
import Foundation
import SQLKit

public struct AuditEntry: Sendable, Hashable {
    public let id: UUID?
    public let at: Date
    public let userEmail: String?
    public let source: String
    public let action: String
    public let before: [[String]]
    public let after: [[String]]
    public let reason: String
    /// Form values after the change, when the entry can be restored.
    public let afterValues: [String: String]?
}

/// Single-record writes with optimistic concurrency and an audit entry in the same transaction.
public enum RoadmapWrites {
    /// Bumps the global data version and returns the new value; the caller's transaction holds the row (the write
    /// lock) until it commits. `parts` is what the write changes: readers refresh exactly those (`ChangeFeed`).
    static func nextVersion(touching parts: [DataPart], on db: any Database) async throws -> Int64 {
        let sql = db.sql
        try await sql.raw("UPDATE data_version SET version = version + 1 WHERE id = 1").run()
        let version = try await DatasetStore.version(on: db)
        try await ChangeFeed.record(parts, version: version, on: db)
        return version
    }

    public static func audit(
        entityType: String, entityId: String, action: String, before: [(String, String)]?, after: [(String, String)]?,
        author: Author, reason: String, afterValues: [String: String]? = nil, on db: any Database
    ) async throws {
        func json(_ pairs: [(String, String)]?) -> String? {
            pairs.flatMap { try? String(data: JSONEncoder().encode($0.map { [$0.0, $0.1] }), encoding: .utf8) }
        }
        let entry = AuditModel()
        // Milliseconds: the precision history.csv carries, so export → import gives the same times back.
        entry.at = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        entry.userId = author.userId
        entry.userEmail = author.email
        entry.source = author.source.rawValue
        entry.entityType = entityType
        entry.entityId = entityId
        entry.action = action
        entry.before = json(before)
        entry.after = json(after)
        entry.reason = reason
        entry.afterValues = afterValues.flatMap { try? String(data: JSONEncoder().encode($0), encoding: .utf8) }
        try await AuditChain.append(entry, on: db)
    }

    /// The trail as portable records, oldest first, for `history.csv`.
    /// When anything was last written (the newest audit entry), e.g. for a calendar's DTSTAMP.
    public static func lastChange(on db: any Database) async throws -> Date? {
        try await AuditModel.query(on: db).sort(\.$at, .descending).first()?.at
    }

    public static func historyRecords(on db: any Database) async throws -> [HistoryRecord] {
        try await AuditModel.query(on: db).sort(\.$seq).sort(\.$at).all().map {
            HistoryRecord(
                id: $0.id!.uuidString, at: $0.at, userEmail: $0.userEmail ?? "", source: $0.source,
                entityType: $0.entityType, entityId: $0.entityId,
                action: $0.action, before: $0.before ?? "", after: $0.after ?? "", reason: $0.reason,
                afterValues: $0.afterValues ?? "")
        }
    }

    /// Loads a trail (import of a `history.csv`) into an installation that has none: a restore. The entries are
    /// chained in their order. The caller's transaction keeps it all-or-nothing.
    public static func replaceHistory(_ records: [HistoryRecord], on db: any Database) async throws {
        try await AuditModel.query(on: db).delete()
        try await db.sql.raw("UPDATE audit_chain SET seq = 0, hash = \(bind: AuditChain.genesis) WHERE id = 1").run()
        for r in records {
            let m = AuditModel()
            m.id = UUID(uuidString: r.id)
            m.at = r.at
            m.userEmail = r.userEmail.isEmpty ? nil : r.userEmail
            m.userId = nil
            m.source = r.source
            m.entityType = r.entityType
            m.entityId = r.entityId
            m.action = r.action
            m.before = r.before.isEmpty ? nil : r.before
            m.after = r.after.isEmpty ? nil : r.after
            m.reason = r.reason
            m.afterValues = r.afterValues.isEmpty ? nil : r.afterValues
            try await AuditChain.append(m, on: db)
        }
    }

    /// The whole audit trail, oldest first, for export.
    public static func auditTrail(on db: any Database) async throws -> [(
        entityType: String, entityId: String, entry: AuditEntry
    )] {
        try await AuditModel.query(on: db).sort(\.$at).all().map { m in
            (m.entityType, m.entityId, entry(m))
        }
    }

    static func entry(_ m: AuditModel) -> AuditEntry {
        AuditEntry(
            id: m.id, at: m.at, userEmail: m.userEmail, source: m.source, action: m.action,
            before: decodePairs(m.before), after: decodePairs(m.after),
            reason: m.reason,
            afterValues: m.afterValues.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        )
    }

    /// One entry of a record's history, for restoring it.
    public static func historyEntry(id: UUID, entityType: String, entityId: String, on db: any Database) async throws
        -> AuditEntry?
    {
        try await AuditModel.query(on: db).filter(\.$id == id).filter(\.$entityType == entityType).filter(
            \.$entityId == entityId
        ).first().map(entry)
    }

    static func decodePairs(_ text: String?) -> [[String]] {
        text.flatMap { try? JSONDecoder().decode([[String]].self, from: Data($0.utf8)) } ?? []
    }

    public static func history(entityType: String, entityId: String, on db: any Database) async throws -> [AuditEntry] {
        try await AuditModel.query(on: db).filter(\.$entityType == entityType).filter(\.$entityId == entityId)
            .sort(\.$at, .descending).sort(\.$seq, .descending).all().map(entry)
    }

    /// Whether there is any trail yet (an import restores a file's history only into an installation without one).
    public static func hasHistory(on db: any Database) async throws -> Bool {
        try await AuditModel.query(on: db).first() != nil
    }
}
