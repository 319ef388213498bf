import Domain
import FluentKit
import Foundation
import SQLKit

struct M014CreateCouncils: AsyncMigration {
    public init() {}
    public var name: String { "M014CreateCouncils" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("councils")
            .field("id", .string, .identifier(auto: false))
            .field("position", .int, .required).field("document", .string, .required).field(
                "version", .int64, .required
            )
            .create()
        try await db.schema("council_members")
            .field("id", .string, .identifier(auto: false))
            .field("council_id", .string, .required, .references("councils", "id"))
            .field("name", .string, .required).field("title", .string, .required).field(
                "organisation", .string, .required
            )
            .field("role", .string, .required).field("from_day", .string).field("until_day", .string).field(
                "replaces", .string
            )
            .create()
        try await db.schema("council_meetings")
            .field("id", .string, .identifier(auto: false))
            .field("council_id", .string, .required, .references("councils", "id"))
            .field("starts_on", .string, .required).field("state", .string, .required)
            .field("document", .string, .required).field("version", .int64, .required)
            .unique(on: "council_id", "starts_on")
            .create()
        try await db.schema("council_cases")
            .field("id", .string, .identifier(auto: false))
            .field("meeting_id", .string, .required, .references("council_meetings", "id"))
            .field("council_id", .string, .required)
            .field("year", .int, .required).field("sequence", .int, .required)
            .field("document", .string, .required).field("version", .int64, .required)
            .unique(on: "council_id", "year", "sequence")
            .create()
        try await db.schema("case_links")
            .id()
            .field("case_id", .string, .required, .references("council_cases", "id"))
            .field("kind", .string, .required).field("target", .string, .required)
            .create()
        let sql = db.sql
        try await sql.create(index: "case_links_target").on("case_links").column("kind").column("target").run()
    }
    public func revert(on db: any Database) async throws {
        for table in ["case_links", "council_cases", "council_meetings", "council_members", "councils"] {
            try await db.schema(table).delete()
        }
    }
}
