import Domain
import FluentKit
import Foundation

public struct Draft: Sendable, Equatable {
    public let kind: RecordKind
    public let entityId: String
    public let values: [String: String]
    public let baseVersion: Int64
    public let authorEmail: String?
    public let reason: String
    public let updatedAt: Date
    public let draftVersion: Int64
    public let authorId: String?
}

/// What became of a draft save or discard.
public enum DraftWrite: Sendable, Equatable {
    case done
    /// Someone saved (or discarded) the draft since the form was opened; nothing was written. The draft as it is now.
    case conflict(current: Draft?)
    /// Only the draft's author or an editor may discard it.
    case notAllowed
}

public enum Drafts {
    static func domain(_ m: DraftModel) -> Draft? {
        guard let kind = RecordKind.allCases.first(where: { $0.auditType == m.entityType }),
            let values = try? JSONDecoder().decode([String: String].self, from: Data(m.values.utf8))
        else { return nil }
        return Draft(
            kind: kind, entityId: m.entityId, values: values, baseVersion: m.baseVersion, authorEmail: m.authorEmail,
            reason: m.reason,
            updatedAt: m.updatedAt, draftVersion: m.draftVersion, authorId: m.authorId)
    }

    public static func find(_ kind: RecordKind, id: String, on db: any Database) async throws -> Draft? {
        try await DraftModel.query(on: db).filter(\.$entityType == kind.auditType).filter(\.$entityId == id).first()
            .flatMap(domain)
    }

    public static func all(on db: any Database) async throws -> [Draft] {
        try await DraftModel.query(on: db).sort(\.$updatedAt, .descending).all().compactMap(domain)
    }

    struct Refused: Error { let result: DraftWrite }

    /// Saves or replaces the record's draft if it is still the one the form showed (`expectedDraftVersion`, 0 for
    /// none), and records it in the audit trail.
    public static func save(
        _ kind: RecordKind, id: String, values: [String: String], baseVersion: Int64, reason: String, author: Author,
        expectedDraftVersion: Int64, on db: any Database
    ) async throws -> DraftWrite {
        do {
            return try await db.transaction { tx in
                // first: the check below and the write cannot interleave with another's
                try await AuditChain.lock(on: tx)
                let existing = try await DraftModel.query(on: tx).filter(\.$entityType == kind.auditType).filter(
                    \.$entityId == id
                ).first()
                let current = existing?.draftVersion ?? 0
                guard current == expectedDraftVersion else {
                    throw Refused(result: .conflict(current: existing.flatMap(domain)))
                }
                let m = existing ?? DraftModel()
                m.entityType = kind.auditType
                m.entityId = id
                m.values = String(data: try JSONEncoder().encode(values), encoding: .utf8)!
                m.baseVersion = baseVersion
                m.authorEmail = author.email
                m.authorId = author.userId
                m.reason = reason
                m.updatedAt = Date()
                m.draftVersion = max(current + 1, Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
                try await m.save(on: tx)
                try await RoadmapWrites.audit(
                    entityType: kind.auditType, entityId: id, action: "draft", before: nil,
                    after: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, author: author, reason: reason,
                    on: tx)
                return .done
            }
        } catch let refused as Refused {
            return refused.result
        }
    }

    /// Removes the draft the form showed; only its author or an editor (`overrides`) may.
    public static func discard(
        _ kind: RecordKind, id: String, author: Author, overrides: Bool, expectedDraftVersion: Int64,
        on db: any Database
    ) async throws -> DraftWrite {
        do {
            return try await db.transaction { tx in
                try await AuditChain.lock(on: tx)
                let existing = try await DraftModel.query(on: tx).filter(\.$entityType == kind.auditType).filter(
                    \.$entityId == id
                ).first()
                guard let existing, existing.draftVersion == expectedDraftVersion else {
                    throw Refused(result: .conflict(current: existing.flatMap(domain)))
                }
                guard overrides || (existing.authorId != nil && existing.authorId == author.userId) else {
                    throw Refused(result: .notAllowed)
                }
                try await existing.delete(on: tx)
                try await RoadmapWrites.audit(
                    entityType: kind.auditType, entityId: id, action: "discard", before: nil, after: nil,
                    author: author, reason: "", on: tx)
                return .done
            }
        } catch let refused as Refused {
            return refused.result
        }
    }

    /// Whether this principal may discard the draft: its author, or an editor.
    public static func mayDiscard(_ draft: Draft, userId: String, isEditor: Bool) -> Bool {
        isEditor || draft.authorId == userId
    }

    /// Removes the draft a publish was made from, but only that one: a newer draft someone saved meanwhile stays.
    static func remove(_ kind: RecordKind, id: String, draftVersion: Int64, on db: any Database) async throws {
        try await DraftModel.query(on: db).filter(\.$entityType == kind.auditType).filter(\.$entityId == id)
            .filter(\.$draftVersion == draftVersion).delete()
    }
}
