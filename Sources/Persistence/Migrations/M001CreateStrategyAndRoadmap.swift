import FluentKit
import SQLKit

struct M001CreateStrategyAndRoadmap: AsyncMigration {
    public init() {}
    public var name: String { "M001CreateStrategyAndRoadmap" }

    public func prepare(on db: any Database) async throws {
        try await db.schema("strategy")
            .field("id", .int, .identifier(auto: false))
            .field("title", .string, .required).field("version", .string, .required)
            .field("period_start", .int, .required).field("period_end", .int, .required)
            .field("vision", .string, .required)
            .create()
        try await db.schema("overarching_goals")
            .field("id", .string, .identifier(auto: false))
            .field("title", .string, .required).field("description", .string, .required).field(
                "position", .int, .required
            )
            .create()
        try await db.schema("goals")
            .field("id", .string, .identifier(auto: false))
            .field("title", .string, .required).field("description", .string, .required)
            .field("outcomes", .string, .required).field("position", .int, .required)
            .create()
        try await db.schema("subgoals")
            .field("id", .string, .identifier(auto: false))
            .field("goal_id", .string, .required, .references("goals", "id"))
            .field("title", .string, .required).field("status", .string, .required)
            .field("description", .string, .required).field("position", .int, .required)
            .create()
        try await db.schema("actors")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required).field("short_name", .string, .required).field("type", .string, .required)
            .field("parent_id", .string, .references("actors", "id"))
            .field("description", .string, .required).field("position", .int, .required)
            .create()
        try await db.schema("initiatives")
            .field("id", .string, .identifier(auto: false))
            .field("title", .string, .required).field("short_title", .string, .required).field(
                "kind", .string, .required
            )
            .field("priority_rank", .int).field("target", .string, .required)
            .field("description", .string, .required).field("position", .int, .required)
            .unique(on: "priority_rank")
            .create()
        try await db.schema("initiative_subgoals")
            .id()
            .field("initiative_id", .string, .required, .references("initiatives", "id"))
            .field("subgoal_id", .string, .required, .references("subgoals", "id"))
            .field("position", .int, .required)
            .unique(on: "initiative_id", "subgoal_id")
            .create()
        try await db.schema("activities")
            .field("id", .string, .identifier(auto: false))
            .field("initiative_id", .string, .required, .references("initiatives", "id"))
            .field("actor_id", .string, .required, .references("actors", "id"))
            .field("phase", .string, .required)
            .field("start_period", .string).field("end_period", .string)
            .field("start_day", .int).field("end_day", .int)
            .field("tentative", .bool, .required).field("description", .string, .required).field(
                "position", .int, .required
            )
            .create()
        try await db.schema("milestones")
            .field("id", .string, .identifier(auto: false))
            .field("initiative_id", .string, .required, .references("initiatives", "id"))
            .field("actor_id", .string, .references("actors", "id"))
            .field("kind", .string, .required)
            .field("date_period", .string, .required).field("date_day", .int, .required)
            .field("tentative", .bool, .required).field("description", .string, .required).field(
                "position", .int, .required
            )
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "activities_initiative_idx").on("activities").column("initiative_id").run()
            try await sql.create(index: "activities_actor_idx").on("activities").column("actor_id").run()
            try await sql.create(index: "milestones_initiative_idx").on("milestones").column("initiative_id").run()
        }
    }

    public func revert(on db: any Database) async throws {
        for table in [
            "milestones", "activities", "initiative_subgoals", "initiatives", "actors", "subgoals", "goals",
            "overarching_goals", "strategy",
        ] {
            try await db.schema(table).delete()
        }
    }
}
