import Domain
import FluentKit
import Foundation
import SQLKit

struct M009CreateIdentitiesAndSignInFailures: AsyncMigration {
    public init() {}
    public var name: String { "M009CreateIdentitiesAndSignInFailures" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("user_identities")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("issuer", .string, .required).field("subject", .string, .required)
            .field("linked_at", .datetime, .required)
            .unique(on: "issuer", "subject")
            .create()
        try await db.schema("sign_in_failures")
            .id()
            .field("key", .string, .required).field("at", .datetime, .required)
            .create()
        try await db.sql.create(index: "sign_in_failures_key_idx").on("sign_in_failures").column("key").column("at")
            .run()
    }
    public func revert(on db: any Database) async throws {
        try await db.schema("sign_in_failures").delete()
        try await db.schema("user_identities").delete()
    }
}
