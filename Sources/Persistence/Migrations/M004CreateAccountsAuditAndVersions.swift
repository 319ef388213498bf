import Domain
import FluentKit
import Foundation
import SQLKit

struct M004CreateAccountsAuditAndVersions: AsyncMigration {
    public init() {}
    public var name: String { "M004CreateAccountsAuditAndVersions" }

    public func prepare(on db: any Database) async throws {
        try await db.schema("users")
            .id()
            .field("email", .string, .required).unique(on: "email")
            .field("name", .string, .required).field("password_hash", .string, .required)
            .field("role", .string, .required).field("disabled", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("user_actors")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("actor_slug", .string, .required)
            .unique(on: "user_id", "actor_slug")
            .create()
        try await db.schema("audit_log")
            .id()
            .field("at", .datetime, .required)
            .field("user_id", .string).field("user_email", .string).field("source", .string, .required)
            .field("entity_type", .string, .required).field("entity_id", .string, .required).field(
                "action", .string, .required
            )
            .field("before", .string).field("after", .string).field("reason", .string, .required)
            .create()
        try await db.sql.create(index: "audit_entity_idx").on("audit_log").column("entity_type").column("entity_id")
            .run()
        // Record versions come from the global data version, so a version number is never reused, even across imports.
        try await db.sql.raw("ALTER TABLE activities ADD COLUMN version BIGINT NOT NULL DEFAULT 1").run()
    }

    public func revert(on db: any Database) async throws {
        try await db.schema("activities").deleteField("version").update()
        try await db.schema("audit_log").delete()
        try await db.schema("user_actors").delete()
        try await db.schema("users").delete()
    }
}
