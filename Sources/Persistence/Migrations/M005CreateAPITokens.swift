import Domain
import FluentKit
import Foundation

struct M005CreateAPITokens: AsyncMigration {
    public init() {}
    public var name: String { "M005CreateAPITokens" }

    public func prepare(on db: any Database) async throws {
        try await db.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required).field("token_hash", .string, .required).unique(on: "token_hash")
            .field("prefix", .string, .required).field("created_at", .datetime)
            .field("last_used_at", .datetime).field("revoked_at", .datetime)
            .create()
    }

    public func revert(on db: any Database) async throws { try await db.schema("api_tokens").delete() }
}
