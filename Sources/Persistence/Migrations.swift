import FluentKit
import SQLKit

/// All migrations in order. Numbered; never edit one that has shipped, add a new one.
public enum Migrations {
    public static let all: [any Migration] = [M001CreateStrategyAndRoadmap(), M002CreateSearchIndex(), M003CreateDataVersion(), M004CreateAccountsAuditAndVersions(), M005CreateAPITokens(), M006VersionAllEditableTables(), M007AuditRestorableValues(), M008CreateDrafts(), M009CreateIdentitiesAndSignInFailures(), M010CreateIndicators(), M011BaselinesAndDelays(), M012CreateReports(), M013CreateScoringRounds(), M014CreateCouncils(), M015SessionsSecretsAndReportPDFs(), M016AuditChainDraftVersionsPasswordExpiry(),
                                                  M017ChangeFeedAndReadIndexes(), M018StrategyProfile(), M019RetiredRecords(), M020MeasurementVersions(),
                                                  M021ReportingRoundsAndRoadmapVersions()]
}

public struct M001CreateStrategyAndRoadmap: AsyncMigration {
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
            .field("title", .string, .required).field("description", .string, .required).field("position", .int, .required)
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
            .field("title", .string, .required).field("short_title", .string, .required).field("kind", .string, .required)
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
            .field("tentative", .bool, .required).field("description", .string, .required).field("position", .int, .required)
            .create()
        try await db.schema("milestones")
            .field("id", .string, .identifier(auto: false))
            .field("initiative_id", .string, .required, .references("initiatives", "id"))
            .field("actor_id", .string, .references("actors", "id"))
            .field("kind", .string, .required)
            .field("date_period", .string, .required).field("date_day", .int, .required)
            .field("tentative", .bool, .required).field("description", .string, .required).field("position", .int, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "activities_initiative_idx").on("activities").column("initiative_id").run()
            try await sql.create(index: "activities_actor_idx").on("activities").column("actor_id").run()
            try await sql.create(index: "milestones_initiative_idx").on("milestones").column("initiative_id").run()
        }
    }

    public func revert(on db: any Database) async throws {
        for table in ["milestones", "activities", "initiative_subgoals", "initiatives", "actors", "subgoals", "goals", "overarching_goals", "strategy"] {
            try await db.schema(table).delete()
        }
    }
}

/// Full-text search needs each database's own machinery: FTS5 in SQLite, tsvector + GIN in PostgreSQL.
public struct M002CreateSearchIndex: AsyncMigration {
    public init() {}
    public var name: String { "M002CreateSearchIndex" }

    public func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        switch SearchIndex.Backend(sql) {
        case .sqlite:
            try await sql.raw("""
                CREATE VIRTUAL TABLE search_fts USING fts5(
                  kind UNINDEXED, ref UNINDEXED, url UNINDEXED, title UNINDEXED, body UNINDEXED,
                  title_norm, body_norm, tokenize = 'unicode61 remove_diacritics 0')
                """).run()
        case .postgres:
            try await sql.raw("""
                CREATE TABLE search_documents (
                  kind TEXT NOT NULL, ref TEXT NOT NULL, url TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
                  document TSVECTOR NOT NULL, PRIMARY KEY (kind, ref))
                """).run()
            try await sql.raw("CREATE INDEX search_documents_document_idx ON search_documents USING GIN (document)").run()
        }
    }

    public func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        switch SearchIndex.Backend(sql) {
        case .sqlite: try await sql.raw("DROP TABLE search_fts").run()
        case .postgres: try await sql.raw("DROP TABLE search_documents").run()
        }
    }
}

/// A single counter that every write to the dataset increments in its own transaction. Readers compare it
/// with the version of what they cached, so no instance ever serves data a write has made stale.
public struct M003CreateDataVersion: AsyncMigration {
    public init() {}
    public var name: String { "M003CreateDataVersion" }

    public func prepare(on db: any Database) async throws {
        try await db.schema("data_version")
            .field("id", .int, .identifier(auto: false))
            .field("version", .int64, .required)
            .create()
        try await (db as! any SQLDatabase).raw("INSERT INTO data_version (id, version) VALUES (1, 1)").run()
    }

    public func revert(on db: any Database) async throws {
        try await db.schema("data_version").delete()
    }
}
