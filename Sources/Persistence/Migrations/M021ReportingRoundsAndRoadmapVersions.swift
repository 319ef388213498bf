import Domain
import FluentKit
import Foundation

struct M021ReportingRoundsAndRoadmapVersions: AsyncMigration {
    public init() {}
    public var name: String { "M021ReportingRoundsAndRoadmapVersions" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("reporting_rounds").id()
            .field("code", .string, .required).field("content", .string, .required).field("version", .int64, .required)
            .unique(on: "code").create()
        try await db.schema("round_parts").id()
            .field("round_code", .string, .required).field("actor", .string, .required).field(
                "content", .string, .required
            )
            .field("version", .int64, .required)
            .unique(on: "round_code", "actor").create()
        try await db.schema("roadmap_versions").id()
            .field("number", .string, .required).field("published_on", .string, .required).field(
                "content", .string, .required
            )
            .unique(on: "number").create()
    }
    public func revert(on db: any Database) async throws {
        try await db.schema("roadmap_versions").delete()
        try await db.schema("round_parts").delete()
        try await db.schema("reporting_rounds").delete()
    }
}
