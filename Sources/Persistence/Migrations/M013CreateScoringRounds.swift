import Domain
import FluentKit
import Foundation

struct M013CreateScoringRounds: AsyncMigration {
    public init() {}
    public var name: String { "M013CreateScoringRounds" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("scoring_rounds")
            .field("id", .string, .identifier(auto: false))
            .field("title", .string, .required).field("date", .string)
            .field("model_id", .string, .required).field("model_version", .int, .required)
            .field("document", .string, .required).field("version", .int64, .required)
            .create()
        try await db.schema("scoring_models")
            .id()
            .field("model_id", .string, .required).field("version", .int, .required)
            .field("document", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "model_id", "version")
            .create()
    }
    public func revert(on db: any Database) async throws {
        try await db.schema("scoring_models").delete()
        try await db.schema("scoring_rounds").delete()
    }
}
