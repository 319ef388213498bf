import Domain
import FluentKit
import Foundation
import SQLKit

public enum SaveResult: Sendable, Equatable {
    case saved(version: Int64)
    /// Someone saved first: nothing was written. Carries what is stored now.
    case conflict(current: Activity, version: Int64)
    case notFound
}

public struct AuditEntry: Sendable, Hashable {
    public let at: Date
    public let userEmail: String?
    public let source: String
    public let action: String
    public let before: [[String]]
    public let after: [[String]]
    public let reason: String
}

/// Single-record writes with optimistic concurrency and an audit entry in the same transaction.
public enum RoadmapWrites {
    /// Bumps the global data version and returns the new value; the caller's transaction holds the row.
    static func nextVersion(on db: any Database) async throws -> Int64 {
        let sql = db as! any SQLDatabase
        try await sql.raw("UPDATE data_version SET version = version + 1 WHERE id = 1").run()
        return try await DatasetStore.version(on: db)
    }

    public static func activity(_ id: String, on db: any Database) async throws -> (activity: Activity, version: Int64)? {
        guard let m = try await ActivityModel.find(id, on: db) else { return nil }
        return (try m.domain(), m.version)
    }

    public static func updateActivity(_ a: Activity, expectedVersion: Int64, author: Author, reason: String, on db: any Database) async throws -> SaveResult {
        try await db.transaction { tx in
            guard let stored = try await ActivityModel.find(a.id, on: tx) else { return .notFound }
            let before = try stored.domain()
            guard stored.version == expectedVersion else { return .conflict(current: before, version: stored.version) }
            let version = try await nextVersion(on: tx)
            try await ActivityModel.query(on: tx)
                .filter(\.$id == a.id).filter(\.$version == expectedVersion)
                .set(\.$phase, to: a.phase.rawValue)
                .set(\.$startPeriod, to: a.span.start?.description).set(\.$endPeriod, to: a.span.end?.description)
                .set(\.$startDay, to: a.span.start?.firstDay.ordinal).set(\.$endDay, to: a.span.end?.lastDay.ordinal)
                .set(\.$tentative, to: a.tentative).set(\.$summary, to: a.description)
                .set(\.$version, to: version)
                .update()
            // Another writer may have slipped in between the read and the update; then our update matched nothing.
            guard let written = try await ActivityModel.find(a.id, on: tx), written.version == version else {
                let now = try await ActivityModel.find(a.id, on: tx)
                return .conflict(current: try now?.domain() ?? before, version: now?.version ?? stored.version)
            }
            try await audit(entityType: "activity", entityId: a.id, action: "update", before: AuditFields.of(before), after: AuditFields.of(a),
                            author: author, reason: reason, on: tx)
            try await SearchIndex.rebuild(SearchDocument.all(from: try await DatasetStore.load(on: tx)!), on: tx)
            return .saved(version: version)
        }
    }

    public static func audit(entityType: String, entityId: String, action: String, before: [(String, String)]?, after: [(String, String)]?,
                             author: Author, reason: String, on db: any Database) async throws {
        func json(_ pairs: [(String, String)]?) -> String? {
            pairs.flatMap { try? String(data: JSONEncoder().encode($0.map { [$0.0, $0.1] }), encoding: .utf8) }
        }
        let entry = AuditModel()
        entry.at = Date(); entry.userId = author.userId; entry.userEmail = author.email; entry.source = author.source.rawValue
        entry.entityType = entityType; entry.entityId = entityId; entry.action = action
        entry.before = json(before); entry.after = json(after); entry.reason = reason
        try await entry.create(on: db)
    }

    /// The whole audit trail, oldest first, for export.
    public static func auditTrail(on db: any Database) async throws -> [(entityType: String, entityId: String, entry: AuditEntry)] {
        try await AuditModel.query(on: db).sort(\.$at).all().map { m in
            (m.entityType, m.entityId, AuditEntry(at: m.at, userEmail: m.userEmail, source: m.source, action: m.action,
                                                  before: decodePairs(m.before), after: decodePairs(m.after), reason: m.reason))
        }
    }

    static func decodePairs(_ text: String?) -> [[String]] {
        text.flatMap { try? JSONDecoder().decode([[String]].self, from: Data($0.utf8)) } ?? []
    }

    public static func history(entityType: String, entityId: String, on db: any Database) async throws -> [AuditEntry] {
        let pairs = decodePairs
        return try await AuditModel.query(on: db).filter(\.$entityType == entityType).filter(\.$entityId == entityId)
            .sort(\.$at, .descending).all()
            .map { AuditEntry(at: $0.at, userEmail: $0.userEmail, source: $0.source, action: $0.action, before: pairs($0.before), after: pairs($0.after), reason: $0.reason) }
    }
}

extension ActivityModel {
    func domain() throws -> Activity {
        guard let phase = Phase(rawValue: phase) else { throw DatasetStore.Corrupt(description: "ugyldig fase \(phase)") }
        return Activity(id: id!, initiativeSlug: initiativeId, actorSlug: actorId, phase: phase,
                        span: try Span(start: try startPeriod.map(Period.parse), end: try endPeriod.map(Period.parse)),
                        tentative: tentative, description: summary)
    }
}
