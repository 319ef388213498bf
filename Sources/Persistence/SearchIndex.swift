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

    /// Makes the documents of `kinds` (the dataset's or the council model's) equal to `documents`; other kinds stay.
    /// Only what differs is written, so an edit to one record costs a read of the index and a few writes, not a rebuild.
    public static func replace(_ kinds: [SearchDocument.Kind], with documents: [SearchDocument], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let backend = Backend(sql)
        let table = backend == .sqlite ? "search_fts" : "search_documents"
        let kindList = SQLGroupExpression(SQLList(kinds.map { SQLBind($0.rawValue) }))
        struct Row: Decodable { let rid: Int64?; let kind: String; let ref: String; let url: String; let title: String; let body: String }
        // FTS5 columns are not indexed for equality: SQLite deletes by rowid.
        let rid = backend == .sqlite ? "rowid AS rid" : "NULL AS rid"
        let existing = try await sql.raw("SELECT \(unsafeRaw: rid), kind, ref, url, title, body FROM \(unsafeRaw: table) WHERE kind IN \(kindList)").all(decoding: Row.self)
        var stored: [String: Row] = [:]
        for row in existing { stored[row.kind + "\u{1}" + row.ref] = row }
        var wanted: Set<String> = []
        var changed: [SearchDocument] = []
        for doc in documents {
            let key = doc.kind.rawValue + "\u{1}" + doc.id
            wanted.insert(key)
            if let old = stored[key], old.url == doc.url, old.title == doc.title, old.body == doc.body { continue }
            changed.append(doc)
        }
        let stale = existing.filter { row in !wanted.contains(row.kind + "\u{1}" + row.ref) }
            + changed.compactMap { stored[$0.kind.rawValue + "\u{1}" + $0.id] }
        if stale.count == existing.count && !existing.isEmpty {
            try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE kind IN \(kindList)").run()
        } else {
            for row in stale {
                if let rowid = row.rid {
                    try await sql.raw("DELETE FROM search_fts WHERE rowid = \(bind: rowid)").run()
                } else {
                    try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE kind = \(bind: row.kind) AND ref = \(bind: row.ref)").run()
                }
            }
        }
        for doc in changed {
            switch backend {
            case .sqlite:
                try await sql.raw("""
                    INSERT INTO search_fts (kind, ref, url, title, body, title_norm, body_norm)
                    VALUES (\(bind: doc.kind.rawValue), \(bind: doc.id), \(bind: doc.url), \(bind: doc.title), \(bind: doc.body),
                            \(bind: SearchText.normalize(doc.title)), \(bind: SearchText.normalize(doc.body)))
                    """).run()
            case .postgres:
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
