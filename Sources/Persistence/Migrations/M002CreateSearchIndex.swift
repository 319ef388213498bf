import FluentKit
import SQLKit

/// Full-text search needs each database's own machinery: FTS5 in SQLite, tsvector + GIN in PostgreSQL.
struct M002CreateSearchIndex: AsyncMigration {
    public init() {}
    public var name: String { "M002CreateSearchIndex" }

    public func prepare(on db: any Database) async throws {
        let sql = db.sql
        switch SearchIndex.Backend(sql) {
        case .sqlite:
            try await sql.raw(
                """
                CREATE VIRTUAL TABLE search_fts USING fts5(
                  kind UNINDEXED, ref UNINDEXED, url UNINDEXED, title UNINDEXED, body UNINDEXED,
                  title_norm, body_norm, tokenize = 'unicode61 remove_diacritics 0')
                """
            ).run()
        case .postgres:
            try await sql.raw(
                """
                CREATE TABLE search_documents (
                  kind TEXT NOT NULL, ref TEXT NOT NULL, url TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
                  document TSVECTOR NOT NULL, PRIMARY KEY (kind, ref))
                """
            ).run()
            try await sql.raw("CREATE INDEX search_documents_document_idx ON search_documents USING GIN (document)")
                .run()
        }
    }

    public func revert(on db: any Database) async throws {
        let sql = db.sql
        switch SearchIndex.Backend(sql) {
        case .sqlite: try await sql.raw("DROP TABLE search_fts").run()
        case .postgres: try await sql.raw("DROP TABLE search_documents").run()
        }
    }
}
