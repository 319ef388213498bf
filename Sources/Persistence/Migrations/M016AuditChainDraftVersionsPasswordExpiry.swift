import Crypto
import FluentKit
import Foundation
import SQLKit

/// Adds the chain to the audit trail, versions to drafts and an expiry to generated passwords.
struct M016AuditChainDraftVersionsPasswordExpiry: AsyncMigration {
    public init() {}
    public var name: String { "M016AuditChainDraftVersionsPasswordExpiry" }

    public func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await db.schema("audit_log").field("seq", .int64).update()
        try await db.schema("audit_log").field("prev_hash", .string).update()
        try await db.schema("audit_log").field("hash", .string).update()
        try await sql.create(index: "audit_log_seq_idx").unique().on("audit_log").column("seq").run()
        try await db.schema("audit_chain")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .create()
        try await sql.raw("INSERT INTO audit_chain (id, seq, hash) VALUES (1, 0, \(bind: AuditChain.genesis))").run()
        try await AuditChain.rebuild(on: db)
        try await sql.raw("ALTER TABLE drafts ADD COLUMN draft_version BIGINT NOT NULL DEFAULT 0").run()
        // Drafts saved before versions: 1, so only a form that showed them may replace, discard or publish them.
        try await sql.raw("UPDATE drafts SET draft_version = 1").run()
        try await db.schema("drafts").field("author_id", .string).update()
        try await db.schema("users").field("password_expires_at", .datetime).update()
    }

    public func revert(on db: any Database) async throws {
        try await db.schema("audit_chain").delete()
    }
}
