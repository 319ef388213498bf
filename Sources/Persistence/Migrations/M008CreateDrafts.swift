import Domain
import FluentKit
import Foundation

struct M008CreateDrafts: AsyncMigration {
    public init() {}
    public var name: String { "M008CreateDrafts" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("drafts")
            .id()
            .field("entity_type", .string, .required).field("entity_id", .string, .required)
            .field("values", .string, .required).field("base_version", .int64, .required)
            .field("author_email", .string).field("reason", .string, .required).field(
                "updated_at", .datetime, .required
            )
            .unique(on: "entity_type", "entity_id")
            .create()
    }
    public func revert(on db: any Database) async throws { try await db.schema("drafts").delete() }
}
