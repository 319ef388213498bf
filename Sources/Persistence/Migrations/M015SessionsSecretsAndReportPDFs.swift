import FluentKit
import SQLKit

/// Server-side sessions with lifetimes (replacing Vapor's `_fluent_sessions`, which had none), the installation's
/// signing secret, and report PDFs kept per published revision.
struct M015SessionsSecretsAndReportPDFs: AsyncMigration {
    public init() {}
    public var name: String { "M015SessionsSecretsAndReportPDFs" }

    public func prepare(on db: any Database) async throws {
        try await db.schema(SessionModel.schema)
            .id()
            .field("key", .string, .required)
            .field("data", .string, .required)
            .field("user_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("seen_at", .datetime, .required)
            .unique(on: "key")
            .create()
        let sql = db.sql
        try await sql.create(index: "sessions_user_idx").on(SessionModel.schema).column("user_id").run()
        try await db.schema(AppSecretModel.schema)
            .id()
            .field("name", .string, .required)
            .field("value", .string, .required)
            .unique(on: "name")
            .create()
        try await db.schema(ReportPDFModel.schema)
            .id()
            .field("digest", .string, .required)
            .field("period", .string, .required)
            .field("pdf", .data, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "digest")
            .create()
        // Sessions of the old table had no lifetime; everyone signs in again once.
        try await sql.raw("DROP TABLE IF EXISTS _fluent_sessions").run()
        try await sql.create(index: "sign_in_failures_at_idx").on("sign_in_failures").column("at").run()
    }

    public func revert(on db: any Database) async throws {
        try await db.schema(ReportPDFModel.schema).delete()
        try await db.schema(AppSecretModel.schema).delete()
        try await db.schema(SessionModel.schema).delete()
    }
}
