import Domain
import FluentKit
import Foundation

public enum ScoringStore {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case exists(String), duplicateCandidate(String), notFound(String)
        public var description: String {
            switch self {
            case .exists(let id): "Det finnes allerede en runde med id «\(id)»."
            case .duplicateCandidate(let name): "«\(name)» er allerede med i runden."
            case .notFound(let id): "«\(id)» finnes ikke."
            }
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    public static func all(on db: any Database) async throws -> [ScoringRound] {
        try await ScoringRoundModel.query(on: db).all().map(decode).sorted {
            ($0.date?.ordinal ?? 0, $0.id) > ($1.date?.ordinal ?? 0, $1.id)
        }
    }

    /// Id and title of every round, without decoding the documents (drafts included: for choosing a free id).
    public static func titles(on db: any Database) async throws -> [(id: String, title: String)] {
        try await ScoringRoundModel.query(on: db).all().map { ($0.id ?? "", $0.title) }
    }

    /// Id and title of the published rounds: what council cases may link to and readers may see named.
    public static func publishedTitles(on db: any Database) async throws -> [(id: String, title: String)] {
        try await all(on: db).filter { !$0.isDraft }.map { ($0.id, $0.title) }
    }

    public static func round(_ id: String, on db: any Database) async throws -> (round: ScoringRound, version: Int64)? {
        guard let m = try await ScoringRoundModel.find(id, on: db) else { return nil }
        return (try decode(m), m.version)
    }

    static func decode(_ m: ScoringRoundModel) throws -> ScoringRound {
        try JSONDecoder().decode(ScoringRound.self, from: Data(m.document.utf8))
    }

    /// A new round (an import); refused if the id is taken, unless `replace`.
    public static func save(_ round: ScoringRound, replace: Bool = false, author: Author, on db: any Database)
        async throws
    {
        try await db.transaction { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.scoring], on: tx)
            let existing = try await ScoringRoundModel.find(round.id, on: tx)
            if existing != nil && !replace { throw Problem.exists(round.id) }
            let m = existing ?? ScoringRoundModel()
            m.id = round.id
            m.title = round.title
            m.date = round.date?.description
            m.modelId = round.model.id
            m.modelVersion = round.model.version
            m.document = String(decoding: try encoder.encode(round), as: UTF8.self)
            m.version = version
            try await m.save(on: tx)
            try await RoadmapWrites.audit(
                entityType: "scoring", entityId: round.id, action: existing == nil ? "import" : "replace", before: nil,
                after: [
                    ("Tittel", round.title), ("Kandidater", String(round.candidates.count)),
                    ("Svar", String(round.answers.filter { $0.value != nil }.count)),
                ],
                author: author, reason: "", on: tx)
        }
    }

    /// Adds initiatives or variants to a round (no answers yet). A candidate already in the round is refused.
    public static func addCandidates(_ roundId: String, _ candidates: [Candidate], author: Author, on db: any Database)
        async throws
    {
        try await db.transaction { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.scoring], on: tx)
            guard let m = try await ScoringRoundModel.find(roundId, on: tx) else { throw Problem.notFound(roundId) }
            var round = try decode(m)
            for candidate in candidates {
                guard !round.candidates.contains(where: { $0.id == candidate.id }) else {
                    throw Problem.duplicateCandidate(candidate.name)
                }
                round.candidates.append(candidate)
            }
            m.document = String(decoding: try encoder.encode(round), as: UTF8.self)
            m.version = version
            try await m.save(on: tx)
            for candidate in candidates {
                try await RoadmapWrites.audit(
                    entityType: "scoring", entityId: "\(roundId)/\(candidate.id)", action: "create", before: nil,
                    after: [
                        ("Navn", candidate.name), ("Tiltak", candidate.initiativeSlug ?? ""),
                        ("Variant", candidate.variant),
                    ],
                    author: author, reason: "", on: tx)
            }
        }
    }

    /// One candidate's answers as the form read them, and the stamp (`ScoringRound.stamp(of:comments:)`) the form was
    /// opened with; `comments`: whether the form showed the comments (and so whether they count).
    public struct RowSave: Sendable {
        public let candidateId: String
        public let answers: [Answer]
        public let openedStamp: String
        public let comments: Bool
        /// The cells the form was opened with (`ScoringRound.cells(of:comments:)`), to merge with a colleague's save.
        public let original: [String: String]?
        public init(
            candidateId: String, answers: [Answer], openedStamp: String, comments: Bool, original: [String: String]?
        ) {
            self.candidateId = candidateId
            self.answers = answers
            self.openedStamp = openedStamp
            self.comments = comments
            self.original = original
        }
    }

    /// Saves candidates' answers all or nothing. Each candidate is checked on its own: a row nobody changed since the
    /// form was opened is written, a row equal to what is stored is left alone, and a row someone else changed is a
    /// conflict (nothing is written) — so two editors entering different candidates never clash. A conflict carries
    /// the candidates whose rows were changed both ways; an unknown candidate is a refusal.
    public static func saveRows(
        _ roundId: String, _ rows: [RowSave], author: Author, reason: String, on db: any Database
    )
        async throws -> SaveResult<[String]>
    {
        try await versionedSave([String].self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.scoring], on: tx)
            guard let m = try await ScoringRoundModel.find(roundId, on: tx) else {
                throw RefusedSave<[String]>.notFound
            }
            var round = try decode(m)
            var changed: [RowSave] = []
            var conflicts: [String] = []
            for row in rows {
                guard round.candidates.contains(where: { $0.id == row.candidateId }) else {
                    throw RefusedSave<[String]>.refused([Problem.notFound(row.candidateId).description])
                }
                var proposed = round
                proposed.answers = round.answers.filter { $0.candidateId != row.candidateId } + row.answers
                let stored = round.stamp(of: row.candidateId, comments: row.comments)
                let wanted = proposed.stamp(of: row.candidateId, comments: row.comments)
                // Untouched in this form (it sends every row), or already as wanted: nothing to write.
                if wanted == row.openedStamp || wanted == stored { continue }
                if stored == row.openedStamp {
                    changed.append(row)
                    continue
                }
                // Someone saved this row meanwhile: their cells and mine are merged cell by cell; the same cell
                // changed two ways is a conflict.
                guard let original = row.original else {
                    conflicts.append(row.candidateId)
                    continue
                }
                let merge = round.merge(row.candidateId, mine: row.answers, original: original, comments: row.comments)
                if merge.conflicts.isEmpty {
                    changed.append(
                        RowSave(
                            candidateId: row.candidateId, answers: merge.answers, openedStamp: stored,
                            comments: row.comments,
                            original: nil))
                } else {
                    conflicts.append(row.candidateId)
                }
            }
            guard conflicts.isEmpty else { throw RefusedSave.conflict(conflicts, version: m.version) }
            guard !changed.isEmpty else { return m.version }
            func describe(_ list: [Answer]) -> [(String, String)] {
                list.map {
                    (
                        $0.questionId,
                        ($0.value.map(NumberText.plain) ?? ($0.isUnknown ? "vet ikke" : "ikke besvart"))
                            + ($0.comment.isEmpty ? "" : " – \($0.comment)")
                    )
                }
            }
            for row in changed {
                let before = round.answers.filter { $0.candidateId == row.candidateId }
                round.answers = round.answers.filter { $0.candidateId != row.candidateId } + row.answers
                try await RoadmapWrites.audit(
                    entityType: "scoring", entityId: "\(roundId)/\(row.candidateId)", action: "update",
                    before: describe(before), after: describe(row.answers), author: author, reason: reason, on: tx)
            }
            m.document = String(decoding: try encoder.encode(round), as: UTF8.self)
            m.version = version
            try await m.save(on: tx)
            return version
        }
    }

    /// Makes a draft round public, if nobody changed the round since `expectedVersion` (what the confirmation showed).
    public static func publish(_ roundId: String, expectedVersion: Int64, author: Author, on db: any Database)
        async throws -> SaveResult<ScoringRound>
    {
        try await versionedSave(ScoringRound.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.scoring], on: tx)
            guard let m = try await ScoringRoundModel.find(roundId, on: tx) else {
                throw RefusedSave<ScoringRound>.notFound
            }
            var round = try decode(m)
            guard m.version == expectedVersion else { throw RefusedSave.conflict(round, version: m.version) }
            guard round.isDraft else { return m.version }
            round.draft = nil
            m.document = String(decoding: try encoder.encode(round), as: UTF8.self)
            m.version = version
            try await m.save(on: tx)
            try await RoadmapWrites.audit(
                entityType: "scoring", entityId: roundId, action: "publish", before: [("Status", "utkast")],
                after: [("Status", "publisert")], author: author, reason: "", on: tx)
            return version
        }
    }

    public static func isEmpty(on db: any Database) async throws -> Bool {
        try await ScoringRoundModel.query(on: db).count() == 0
    }

    /// Replaces every round (a dataset import, inside the caller's transaction). Each round carries its model version;
    /// a version the database lacks is stored too, so the models page shows what the rounds used.
    static func replaceRows(_ rounds: [ScoringRound], version: Int64, on tx: any Database) async throws {
        try await ScoringRoundModel.query(on: tx).delete()
        for round in rounds {
            let m = ScoringRoundModel()
            m.id = round.id
            m.title = round.title
            m.date = round.date?.description
            m.modelId = round.model.id
            m.modelVersion = round.model.version
            m.document = String(decoding: try encoder.encode(round), as: UTF8.self)
            m.version = version
            try await m.create(on: tx)
            let known = try await ScoringModelRow.query(on: tx).filter(\.$modelId == round.model.id).filter(
                \.$version == round.model.version
            ).count()
            if known == 0 {
                let row = ScoringModelRow()
                row.modelId = round.model.id
                row.version = round.model.version
                row.createdAt = Date()
                row.document = String(decoding: try encoder.encode(round.model), as: UTF8.self)
                try await row.create(on: tx)
            }
        }
    }

    /// Replaces every model version (a dataset import, inside the caller's transaction).
    static func replaceModels(_ models: [ScoringModel], on tx: any Database) async throws {
        try await ScoringModelRow.query(on: tx).delete()
        for model in models {
            let row = ScoringModelRow()
            row.modelId = model.id
            row.version = model.version
            row.createdAt = Date()
            row.document = String(decoding: try encoder.encode(model), as: UTF8.self)
            try await row.create(on: tx)
        }
    }

    /// Every version of every model, newest version first within each model.
    public static func models(on db: any Database) async throws -> [ScoringModel] {
        try await ScoringModelRow.query(on: db).all().map {
            try JSONDecoder().decode(ScoringModel.self, from: Data($0.document.utf8))
        }
        .sorted { ($0.id, -$0.version) < ($1.id, -$1.version) }
    }

    public static func latestModel(_ id: String, on db: any Database) async throws -> ScoringModel? {
        try await models(on: db).first { $0.id == id }
    }

    /// Stores `model` as the next version of its id (version 1 for a new id) and returns it as stored.
    @discardableResult
    public static func saveModel(_ model: ScoringModel, author: Author, on db: any Database) async throws
        -> ScoringModel
    {
        try await db.transaction { tx in
            _ = try await RoadmapWrites.nextVersion(touching: [.scoring], on: tx)
            let latest = try await ScoringModelRow.query(on: tx).filter(\.$modelId == model.id).sort(
                \.$version, .descending
            ).first()
            var stored = model
            stored.version = (latest?.version ?? 0) + 1
            let row = ScoringModelRow()
            row.modelId = stored.id
            row.version = stored.version
            row.createdAt = Date()
            row.document = String(decoding: try encoder.encode(stored), as: UTF8.self)
            try await row.create(on: tx)
            try await RoadmapWrites.audit(
                entityType: "scoring-model", entityId: stored.id, action: "create", before: nil,
                after: [
                    ("Versjon", String(stored.version)), ("Navn", stored.name),
                    ("Kriterier", String(stored.allCriteria.count)),
                ],
                author: author, reason: "", on: tx)
            return stored
        }
    }
}
