import Domain
import FluentKit
import Foundation
import SQLKit

/// The change feed, and the indexes that per-record reads need on both databases.
struct M017ChangeFeedAndReadIndexes: AsyncMigration {
    public init() {}
    public var name: String { "M017ChangeFeedAndReadIndexes" }

    /// Lookups by parent that per-record reads and re-indexing do; `measurements.position` for the next position.
    static let indexes = [
        ("activities", "initiative_id"), ("activities", "actor_id"), ("milestones", "initiative_id"),
        ("milestones", "actor_id"), ("measurements", "position"), ("ambitions", "indicator_id"),
        ("series_breaks", "indicator_id"),
    ]

    public func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("CREATE TABLE data_changes (version BIGINT NOT NULL, part VARCHAR(300) NOT NULL)").run()
        try await sql.create(index: "data_changes_version_idx").on("data_changes").column("version").run()
        for (table, column) in Self.indexes {
            try await sql.create(index: "\(table)_\(column)_idx").on(table).column(column).run()
        }
        // Headline values of many indicators without reading their breakdowns.
        try await sql.create(index: "measurements_headline_idx").on("measurements").column("indicator_id").column(
            "dimension"
        ).run()
        // FTS5 cannot index its own columns for equality: SQLite keeps each document's rowid by (kind, ref), so that
        // re-indexing one record is a lookup, not a scan (PostgreSQL's table has that primary key already).
        if SearchIndex.Backend(sql) == .sqlite {
            try await sql.raw(
                """
                CREATE TABLE search_rowids (kind TEXT NOT NULL, ref TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY \
                KEY (kind, ref))
                """
            )
            .run()
            try await sql.raw(
                "INSERT OR REPLACE INTO search_rowids (kind, ref, rid) SELECT kind, ref, rowid FROM search_fts"
            ).run()
        }
    }

    public func revert(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("DROP TABLE data_changes").run()
        for (table, column) in Self.indexes {
            try await sql.drop(index: "\(table)_\(column)_idx").run()
        }
        try await sql.drop(index: "measurements_headline_idx").run()
        if SearchIndex.Backend(sql) == .sqlite { try await sql.raw("DROP TABLE search_rowids").run() }
    }
}
