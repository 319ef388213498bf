import Domain
import FluentKit
import SQLKit

public struct SearchHit: Hashable, Sendable {
    public let kind: SearchDocument.Kind
    public let id: String
    public let title: String
    public let body: String
    /// Route values of the hit's page (`SearchDocument.place`); the Routes module makes the link.
    public let place: [String]
    /// The link as an index written before route values stored it (until `upgradeStoredPlaces` has run, e.g. while
    /// an older instance still writes during a rolling deploy).
    public let storedPath: String?
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
    /// Only what differs is written, so an edit to one record costs a read of the index and a few writes, not a
    /// rebuild.
    public static func replace(_ kinds: [SearchDocument.Kind], with documents: [SearchDocument], on db: any Database)
        async throws
    {
        let sql = db.sql
        let backend = Backend(sql)
        let table = backend == .sqlite ? "search_fts" : "search_documents"
        let kindList = SQLGroupExpression(SQLList(kinds.map { SQLBind($0.rawValue) }))
        struct Row: Decodable {
            let rid: Int64?
            let kind: String
            let ref: String
            let url: String
            let title: String
            let body: String
        }
        // FTS5 columns are not indexed for equality: SQLite deletes by rowid.
        let rid = backend == .sqlite ? "rowid AS rid" : "NULL AS rid"
        let existing = try await sql.raw(
            "SELECT \(unsafeRaw: rid), kind, ref, url, title, body FROM \(unsafeRaw: table) WHERE kind IN \(kindList)"
        ).all(decoding: Row.self)
        var stored: [String: Row] = [:]
        for row in existing { stored[row.kind + "\u{1}" + row.ref] = row }
        var wanted: Set<String> = []
        var changed: [SearchDocument] = []
        for doc in documents {
            let key = doc.kind.rawValue + "\u{1}" + doc.id
            wanted.insert(key)
            if let old = stored[key], old.url == SearchDocument.encode(place: doc.place), old.title == doc.title,
                old.body == doc.body
            {
                continue
            }
            changed.append(doc)
        }
        let stale =
            existing.filter { row in !wanted.contains(row.kind + "\u{1}" + row.ref) }
            + changed.compactMap { stored[$0.kind.rawValue + "\u{1}" + $0.id] }
        if stale.count == existing.count && !existing.isEmpty {
            try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE kind IN \(kindList)").run()
            if backend == .sqlite { try await sql.raw("DELETE FROM search_rowids WHERE kind IN \(kindList)").run() }
        } else {
            for row in stale {
                if let rowid = row.rid {
                    try await sql.raw("DELETE FROM search_fts WHERE rowid = \(bind: rowid)").run()
                    try await sql.raw("DELETE FROM search_rowids WHERE rid = \(bind: rowid)").run()
                } else {
                    try await sql.raw(
                        "DELETE FROM \(unsafeRaw: table) WHERE kind = \(bind: row.kind) AND ref = \(bind: row.ref)"
                    ).run()
                }
            }
        }
        for doc in changed { try await insert(doc, backend: backend, on: sql) }
    }

    /// Writes `documents` in place of the stored ones with the same kind and id, and removes the documents of
    /// `removing`; everything else stays. What one record's write costs: a few keyed deletes and inserts.
    public static func upsert(
        _ documents: [SearchDocument], removing: [(SearchDocument.Kind, String)] = [],
        on db: any Database
    ) async throws {
        let sql = db.sql
        let backend = Backend(sql)
        for (kind, ref) in documents.map({ ($0.kind, $0.id) }) + removing {
            switch backend {
            case .sqlite:
                struct Row: Decodable { let rid: Int64 }
                let rows = try await sql.raw(
                    "SELECT rid FROM search_rowids WHERE kind = \(bind: kind.rawValue) AND ref = \(bind: ref)"
                )
                .all(decoding: Row.self)
                for row in rows {
                    try await sql.raw("DELETE FROM search_fts WHERE rowid = \(bind: row.rid)").run()
                    try await sql.raw("DELETE FROM search_rowids WHERE rid = \(bind: row.rid)").run()
                }
            case .postgres:
                try await sql.raw(
                    "DELETE FROM search_documents WHERE kind = \(bind: kind.rawValue) AND ref = \(bind: ref)"
                ).run()
            }
        }
        for doc in documents { try await insert(doc, backend: backend, on: sql) }
    }

    private static func insert(_ doc: SearchDocument, backend: Backend, on sql: any SQLDatabase) async throws {
        switch backend {
        case .sqlite:
            try await sql.raw(
                """
                INSERT INTO search_fts (kind, ref, url, title, body, title_norm, body_norm)
                VALUES (\(bind: doc.kind.rawValue), \(bind: doc.id), \(bind: SearchDocument.encode(place: doc.place)), \
                \(bind: doc.title), \(bind: doc.body),
                        \(bind: SearchText.normalize(doc.title)), \(bind: SearchText.normalize(doc.body)))
                """
            ).run()
            try await sql.raw(
                """
                INSERT OR REPLACE INTO search_rowids (kind, ref, rid) VALUES (\(bind: doc.kind.rawValue), \
                \(bind: doc.id), last_insert_rowid())
                """
            ).run()
        case .postgres:
            try await sql.raw(
                """
                INSERT INTO search_documents (kind, ref, url, title, body, document)
                VALUES (\(bind: doc.kind.rawValue), \(bind: doc.id), \(bind: SearchDocument.encode(place: doc.place)), \
                \(bind: doc.title), \(bind: doc.body),
                        setweight(to_tsvector('simple', \(bind: SearchText.normalize(doc.title))), 'A')
                        || setweight(to_tsvector('simple', \(bind: SearchText.normalize(doc.body))), 'B'))
                """
            ).run()
        }
    }

    /// `CASE kind WHEN … END` with the weights from the domain (constants, never user input).
    static var kindWeightSQL: String {
        "CASE kind "
            + SearchDocument.Kind.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.rankWeight)" }.joined(separator: " ")
            + " ELSE 1.0 END"
    }

    /// An index written before it kept route values held paths (`/tiltak/pll`) in its `url` column: such an index
    /// is written again from the stored data, once, at start. A current index costs one look for such a row.
    public static func upgradeStoredPlaces(on db: any Database) async throws {
        let table = Backend(db.sql) == .sqlite ? "search_fts" : "search_documents"
        struct Found: Decodable { let ref: String }
        @Sendable func stale(_ db: any Database) async throws -> Bool {
            try await db.sql.raw("SELECT ref FROM \(unsafeRaw: table) WHERE url LIKE '/%' LIMIT 1").first(
                decoding: Found.self) != nil
        }
        guard try await stale(db) else { return }
        try await db.transaction { tx in
            // The chain lock serialises instances starting at once without bumping the data version (the documents
            // say the same as before, so no reader needs to reload); checked again under it.
            try await AuditChain.lock(on: tx)
            guard try await stale(tx) else { return }
            if let d = try await DatasetStore.loadForSearch(on: tx) {
                try await replace(SearchDocument.Kind.dataset, with: SearchDocument.all(from: d), on: tx)
            }
            try await CouncilStore.reindex(on: tx)
        }
    }

    /// Every term must match the start of a word (prefix search); best matches first, title hits above body hits.
    public static func search(_ query: String, limit: Int = 50, on db: any Database) async throws -> [SearchHit] {
        let terms = SearchText.queryTerms(query)
        guard !terms.isEmpty else { return [] }
        let sql = db.sql
        struct Row: Decodable {
            let kind: String
            let ref: String
            let url: String
            let title: String
            let body: String
        }
        let rows: [Row]
        switch Backend(sql) {
        case .sqlite:
            // Terms are letters and digits only (SearchText.tokens), so quoting them is enough.
            let match = terms.map { "\"\($0)\"*" }.joined(separator: " ")
            rows = try await sql.raw(
                """
                SELECT kind, ref, url, title, body FROM search_fts
                WHERE search_fts MATCH \(bind: match)
                ORDER BY bm25(search_fts, 0, 0, 0, 0, 0, 10.0, 1.0) * \(unsafeRaw: kindWeightSQL), title
                LIMIT \(bind: limit)
                """
            ).all(decoding: Row.self)
        case .postgres:
            let tsquery = terms.map { "\($0):*" }.joined(separator: " & ")
            rows = try await sql.raw(
                """
                SELECT kind, ref, url, title, body FROM search_documents
                WHERE document @@ to_tsquery('simple', \(bind: tsquery))
                ORDER BY ts_rank(document, to_tsquery('simple', \(bind: tsquery))) * \(unsafeRaw: kindWeightSQL) DESC, \
                title
                LIMIT \(bind: limit)
                """
            ).all(decoding: Row.self)
        }
        return rows.compactMap { row in
            SearchDocument.Kind(rawValue: row.kind).map {
                SearchHit(
                    kind: $0, id: row.ref, title: row.title, body: row.body,
                    place: SearchDocument.decode(place: row.url) ?? [row.ref],
                    storedPath: row.url.hasPrefix("/") ? row.url : nil)
            }
        }
    }
}

extension SearchIndex {
    /// Re-indexes what an edit of one record changes: its own document, and for an initiative or an actor the
    /// activities whose titles name it. Reads only those rows.
    static func reindex(_ part: DataPart, on db: any Database) async throws {
        switch part {
        case .goal(let id):
            guard let m = try await GoalModel.live(id, on: db) else {
                return try await upsert([], removing: [(.goal, id)], on: db)
            }
            try await upsert([SearchDocument.goal(try await m.record(on: db))], on: db)
        case .subgoal(let id):
            guard let m = try await SubgoalModel.live(id, on: db) else {
                return try await upsert([], removing: [(.subgoal, id)], on: db)
            }
            try await upsert([SearchDocument.subgoal(try await m.record(on: db))], on: db)
        case .indicator(let id):
            guard let m = try await IndicatorModel.live(id, on: db) else {
                return try await upsert([], removing: [(.indicator, id)], on: db)
            }
            try await upsert([SearchDocument.indicator(try m.domainIndicator())], on: db)
        case .activity(let id):
            guard let m = try await ActivityModel.live(id, on: db) else {
                return try await upsert([], removing: [(.activity, id)], on: db)
            }
            try await upsert(try await activityDocuments([m], on: db), on: db)
        case .initiative(let slug):
            let activities = try await ActivityModel.query(on: db).filter(\.$initiativeId == slug).filter(
                \.$retired == false
            ).all()
            guard let m = try await InitiativeModel.live(slug, on: db) else {
                return try await upsert([], removing: [(.initiative, slug)], on: db)
            }
            try await upsert(
                [SearchDocument.initiative(try await m.record(on: db))]
                    + (try await activityDocuments(activities, on: db)),
                on: db)
        case .actor(let slug):
            let activities = try await ActivityModel.query(on: db).filter(\.$actorId == slug).filter(
                \.$retired == false
            ).all()
            guard let m = try await ActorModel.live(slug, on: db) else {
                return try await upsert([], removing: [(.actor, slug)], on: db)
            }
            let types = try await StrategyModel.query(on: db).first()?.domain().actorTypes ?? .defaults
            try await upsert(
                [SearchDocument.actor(try await m.record(on: db), types: types)]
                    + (try await activityDocuments(activities, on: db)), on: db)
        case .milestone, .measurements, .reports, .councils, .scoring, .rounds, .versions:
            return  // not in the search index, or indexed by their own store
        case .everything, .strategy:
            try await replace(
                SearchDocument.Kind.dataset,
                with: SearchDocument.all(from: try await DatasetStore.loadForSearch(on: db)!),
                on: db)
        }
    }

    private static func activityDocuments(_ models: [ActivityModel], on db: any Database) async throws
        -> [SearchDocument]
    {
        guard !models.isEmpty else { return [] }
        let actorIds = Array(Set(models.map(\.actorId)))
        let initiativeIds = Array(Set(models.map(\.initiativeId)))
        let names = try await ActorModel.query(on: db).filter(\.$id ~~ actorIds).all()
        let titles = try await InitiativeModel.query(on: db).filter(\.$id ~~ initiativeIds).all()
        let nameOf = Dictionary(names.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        let titleOf = Dictionary(titles.map { ($0.id!, $0.title) }, uniquingKeysWith: { a, _ in a })
        let phases = try await StrategyModel.query(on: db).first()?.domain().phases ?? .defaults
        return try models.map { m in
            let a = try m.domain()
            return SearchDocument.activity(
                a, actorName: nameOf[a.actorSlug], initiativeTitle: titleOf[a.initiativeSlug],
                phases: phases)
        }
    }
}
