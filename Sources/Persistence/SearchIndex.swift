import Domain
import FluentKit
import SQLKit

public struct SearchHit: Hashable, Sendable {
    public let kind: SearchDocument.Kind
    public let id: String
    public let title: String
    public let body: String
    public let url: String
}

/// Full-text search over `SearchDocument`s. Text is normalised in Swift (`SearchText`) before it
/// reaches either database, so both branches see the same words and differ only in ranking functions.
public enum SearchIndex {
    public enum Backend {
        case sqlite, postgres
        public init(_ db: any SQLDatabase) {
            self = db.dialect.name == "sqlite" ? .sqlite : .postgres
        }
    }

    /// Replaces the documents of `kinds` (the dataset's or the council model's) with `documents`; other kinds stay.
    public static func replace(_ kinds: [SearchDocument.Kind], with documents: [SearchDocument], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let kindList = SQLGroupExpression(SQLList(kinds.map { SQLBind($0.rawValue) }))
        switch Backend(sql) {
        case .sqlite:
            try await sql.raw("DELETE FROM search_fts WHERE kind IN \(kindList)").run()
            for doc in documents {
                try await sql.raw("""
                    INSERT INTO search_fts (kind, ref, url, title, body, title_norm, body_norm)
                    VALUES (\(bind: doc.kind.rawValue), \(bind: doc.id), \(bind: doc.url), \(bind: doc.title), \(bind: doc.body),
                            \(bind: SearchText.normalize(doc.title)), \(bind: SearchText.normalize(doc.body)))
                    """).run()
            }
        case .postgres:
            try await sql.raw("DELETE FROM search_documents WHERE kind IN \(kindList)").run()
            for doc in documents {
                try await sql.raw("""
                    INSERT INTO search_documents (kind, ref, url, title, body, document)
                    VALUES (\(bind: doc.kind.rawValue), \(bind: doc.id), \(bind: doc.url), \(bind: doc.title), \(bind: doc.body),
                            setweight(to_tsvector('simple', \(bind: SearchText.normalize(doc.title))), 'A')
                            || setweight(to_tsvector('simple', \(bind: SearchText.normalize(doc.body))), 'B'))
                    """).run()
            }
        }
    }

    /// `CASE kind WHEN … END` with the weights from the domain (constants, never user input).
    static var kindWeightSQL: String {
        "CASE kind " + SearchDocument.Kind.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.rankWeight)" }.joined(separator: " ") + " ELSE 1.0 END"
    }

    /// Every term must match the start of a word (prefix search); best matches first, title hits above body hits.
    public static func search(_ query: String, limit: Int = 50, on db: any Database) async throws -> [SearchHit] {
        let terms = SearchText.queryTerms(query)
        guard !terms.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let kind: String; let ref: String; let url: String; let title: String; let body: String }
        let rows: [Row]
        switch Backend(sql) {
        case .sqlite:
            // Terms are letters and digits only (SearchText.tokens), so quoting them is enough.
            let match = terms.map { "\"\($0)\"*" }.joined(separator: " ")
            rows = try await sql.raw("""
                SELECT kind, ref, url, title, body FROM search_fts
                WHERE search_fts MATCH \(bind: match)
                ORDER BY bm25(search_fts, 0, 0, 0, 0, 0, 10.0, 1.0) * \(unsafeRaw: kindWeightSQL), title
                LIMIT \(bind: limit)
                """).all(decoding: Row.self)
        case .postgres:
            let tsquery = terms.map { "\($0):*" }.joined(separator: " & ")
            rows = try await sql.raw("""
                SELECT kind, ref, url, title, body FROM search_documents
                WHERE document @@ to_tsquery('simple', \(bind: tsquery))
                ORDER BY ts_rank(document, to_tsquery('simple', \(bind: tsquery))) * \(unsafeRaw: kindWeightSQL) DESC, title
                LIMIT \(bind: limit)
                """).all(decoding: Row.self)
        }
        return rows.compactMap { row in
            SearchDocument.Kind(rawValue: row.kind).map { SearchHit(kind: $0, id: row.ref, title: row.title, body: row.body, url: row.url) }
        }
    }
}
