import Domain
import FluentKit
import Foundation

/// Unpublished changes: one pending draft per record. Nothing the public reads comes from this table.
public final class DraftModel: Model, @unchecked Sendable {
    public static let schema = "drafts"
    @ID(key: .id) public var id: UUID?
    @Field(key: "entity_type") public var entityType: String
    @Field(key: "entity_id") public var entityId: String
    /// The form values, as JSON.
    @Field(key: "values") public var values: String
    /// The published version the draft was made from; publishing expects it still to be current.
    @Field(key: "base_version") public var baseVersion: Int64
    @OptionalField(key: "author_email") public var authorEmail: String?
    @Field(key: "reason") public var reason: String
    @Field(key: "updated_at") public var updatedAt: Date
    public init() {}
}

public struct M008CreateDrafts: AsyncMigration {
    public init() {}
    public var name: String { "M008CreateDrafts" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("drafts")
            .id()
            .field("entity_type", .string, .required).field("entity_id", .string, .required)
            .field("values", .string, .required).field("base_version", .int64, .required)
            .field("author_email", .string).field("reason", .string, .required).field("updated_at", .datetime, .required)
            .unique(on: "entity_type", "entity_id")
            .create()
    }
    public func revert(on db: any Database) async throws { try await db.schema("drafts").delete() }
}

public struct Draft: Sendable, Equatable {
    public let kind: RecordKind
    public let entityId: String
    public let values: [String: String]
    public let baseVersion: Int64
    public let authorEmail: String?
    public let reason: String
    public let updatedAt: Date
}

public enum Drafts {
    static func domain(_ m: DraftModel) -> Draft? {
        guard let kind = RecordKind.allCases.first(where: { $0.auditType == m.entityType }),
              let values = try? JSONDecoder().decode([String: String].self, from: Data(m.values.utf8)) else { return nil }
        return Draft(kind: kind, entityId: m.entityId, values: values, baseVersion: m.baseVersion, authorEmail: m.authorEmail, reason: m.reason, updatedAt: m.updatedAt)
    }

    public static func find(_ kind: RecordKind, id: String, on db: any Database) async throws -> Draft? {
        try await DraftModel.query(on: db).filter(\.$entityType == kind.auditType).filter(\.$entityId == id).first().flatMap(domain)
    }

    public static func all(on db: any Database) async throws -> [Draft] {
        try await DraftModel.query(on: db).sort(\.$updatedAt, .descending).all().compactMap(domain)
    }

    /// Saves or replaces the record's draft, and records it in the audit trail.
    public static func save(_ kind: RecordKind, id: String, values: [String: String], baseVersion: Int64, reason: String, author: Author,
                            on db: any Database) async throws {
        try await db.transaction { tx in
            let m = try await DraftModel.query(on: tx).filter(\.$entityType == kind.auditType).filter(\.$entityId == id).first() ?? DraftModel()
            m.entityType = kind.auditType; m.entityId = id
            m.values = String(data: try JSONEncoder().encode(values), encoding: .utf8)!
            m.baseVersion = baseVersion; m.authorEmail = author.email; m.reason = reason; m.updatedAt = Date()
            try await m.save(on: tx)
            try await RoadmapWrites.audit(entityType: kind.auditType, entityId: id, action: "draft", before: nil,
                                          after: values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, author: author, reason: reason, on: tx)
        }
    }

    public static func discard(_ kind: RecordKind, id: String, author: Author, on db: any Database) async throws {
        try await db.transaction { tx in
            try await DraftModel.query(on: tx).filter(\.$entityType == kind.auditType).filter(\.$entityId == id).delete()
            try await RoadmapWrites.audit(entityType: kind.auditType, entityId: id, action: "discard", before: nil, after: nil, author: author, reason: "", on: tx)
        }
    }

    static func remove(_ kind: RecordKind, id: String, on db: any Database) async throws {
        try await DraftModel.query(on: db).filter(\.$entityType == kind.auditType).filter(\.$entityId == id).delete()
    }
}
