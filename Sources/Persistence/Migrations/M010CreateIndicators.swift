import Domain
import FluentKit
import Foundation
import SQLKit

struct M010CreateIndicators: AsyncMigration {
    public init() {}
    public var name: String { "M010CreateIndicators" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("indicators")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required).field("description", .string, .required).field(
                "goals", .string, .required
            )
            .field("overarching_goal", .string).field("international", .bool, .required)
            .field("kind", .string, .required).field("unit", .string, .required).field(
                "unit_detail", .string, .required
            )
            .field("direction", .string, .required).field("source", .string, .required).field(
                "frequency", .string, .required
            )
            .field("readiness", .string, .required).field("dashboard_order", .int).field(
                "no_ambition_reason", .string, .required
            )
            .field("position", .int, .required).field("version", .int64, .required)
            .create()
        try await db.schema("measurements")
            .id()
            .field("indicator_id", .string, .required, .references("indicators", "id", onDelete: .cascade))
            .field("period", .string, .required).field("period_day", .int, .required)
            .field("dimension", .string, .required).field("member", .string, .required)
            .field("value", .double, .required).field("note", .string, .required).field("source", .string, .required)
            .field("position", .int, .required)
            .unique(on: "indicator_id", "period", "dimension", "member")
            .create()
        try await db.schema("ambitions")
            .id()
            .field("indicator_id", .string, .required, .references("indicators", "id", onDelete: .cascade))
            .field("period", .string, .required).field("value", .double, .required).field("state", .string, .required)
            .field("note", .string, .required).field("position", .int, .required)
            .unique(on: "indicator_id", "period")
            .create()
        try await db.schema("series_breaks")
            .id()
            .field("indicator_id", .string, .required, .references("indicators", "id", onDelete: .cascade))
            .field("period", .string, .required).field("note", .string, .required).field("position", .int, .required)
            .create()
    }
    public func revert(on db: any Database) async throws {
        for table in ["series_breaks", "ambitions", "measurements", "indicators"] {
            try await db.schema(table).delete()
        }
    }
}
