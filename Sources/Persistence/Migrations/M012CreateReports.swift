import Domain
import FluentKit
import Foundation
import SQLKit

struct M012CreateReports: AsyncMigration {
    public init() {}
    public var name: String { "M012CreateReports" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("reports")
            .id()
            .field("period", .string, .required).field("revision", .int, .required).field("state", .string, .required)
            .field("horizon", .string, .required).field("correction_reason", .string, .required)
            .field("snapshot", .string).field("published_at", .datetime).field("version", .int64, .required)
            .unique(on: "period", "revision")
            .create()
        try await db.schema("report_sections")
            .id()
            .field("report_id", .uuid, .required, .references("reports", "id", onDelete: .cascade))
            .field("key", .string, .required).field("content", .string, .required)
            .field("position", .int, .required).field("version", .int64, .required)
            .unique(on: "report_id", "key")
            .create()
    }
    public func revert(on db: any Database) async throws {
        try await db.schema("report_sections").delete()
        try await db.schema("reports").delete()
    }
}
