import Domain
import FluentKit
import Foundation
import SQLKit

/// A published revision as readers see it.
public struct PublishedReport: Sendable {
    public let period: Period
    public let revision: Int
    public let publishedAt: Date?
    public let snapshot: ReportSnapshot
}

/// One revision of one period's report, as stored.
public struct StoredReport: Sendable {
    public let period: Period
    public let revision: Int
    public let state: ReportState
    public let correctionReason: String
    public let version: Int64
    public let publishedAt: Date?
    public let content: ReportContent
    /// Section key → version, for optimistic concurrency per section.
    public let sectionVersions: [String: Int64]
    public let snapshot: ReportSnapshot?
}

public enum ReportSectionKey {
    public static let overall = "helhet"
    public static func goal(_ id: String) -> String { "mal-\(id)" }
}

public enum ReportStore {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case exists(String), notFound(String), notEditable, badTransition(ReportState, ReportState), nothingPublished
        public var description: String {
            switch self {
            case .exists(let p): "Det finnes allerede en rapport for \(p)."
            case .notFound(let p): "Det finnes ingen rapport for \(p)."
            case .notEditable: "En publisert rapport endres ikke. Lag en rettet utgave i stedet."
            case .badTransition(let a, let b): "En rapport kan ikke gå fra «\(a.name)» til «\(b.name)»."
            case .nothingPublished: "Bare en publisert rapport kan rettes."
            }
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    // MARK: reading

    public static func all(on db: any Database) async throws -> [StoredReport] {
        let reports = try await ReportModel.query(on: db).all()
        return try await reports.asyncMap { try await stored($0, on: db) }
            .sorted { ($0.period, $0.revision) < ($1.period, $1.revision) }
    }

    /// Every period that has a report, published or not (what a council case may link to).
    public static func periods(on db: any Database) async throws -> [Period] {
        Set(try await ReportModel.query(on: db).all(\.$period)).compactMap(ReportRules.parsePeriod).sorted()
    }

    public static func revisions(of period: Period, on db: any Database) async throws -> [StoredReport] {
        try await ReportModel.query(on: db).filter(\.$period == period.description).sort(\.$revision).all().asyncMap {
            try await stored($0, on: db)
        }
    }

    /// The latest published revision of each period, newest period first: its frozen snapshot only, so readers
    /// (goal pages, the API, "previous period") never load or decode the editable sections.
    public static func published(on db: any Database) async throws -> [PublishedReport] {
        let rows = try await ReportModel.query(on: db).filter(\.$state == ReportState.publisert.rawValue).all()
        var latest: [String: ReportModel] = [:]
        for r in rows where (latest[r.period]?.revision ?? -1) < r.revision { latest[r.period] = r }
        return try latest.values.map { m in
            guard let period = ReportRules.parsePeriod(m.period), let text = m.snapshot else {
                throw DatasetStore.Corrupt(description: "publisert rapport \(m.period) uten øyeblikksbilde")
            }
            return PublishedReport(
                period: period, revision: m.revision, publishedAt: m.publishedAt,
                snapshot: try ReportSnapshot.decode(text))
        }.sorted { $0.period > $1.period }
    }

    static func stored(_ m: ReportModel, on db: any Database) async throws -> StoredReport {
        let sections = try await ReportSectionModel.query(on: db).filter(\.$reportId == m.id!).sort(\.$position).all()
        let decoder = JSONDecoder()
        var overall = OverallSection()
        var goals: [GoalSection] = []
        for s in sections {
            if s.key == ReportSectionKey.overall {
                overall = try decoder.decode(OverallSection.self, from: Data(s.content.utf8))
            } else {
                goals.append(try decoder.decode(GoalSection.self, from: Data(s.content.utf8)))
            }
        }
        guard let period = ReportRules.parsePeriod(m.period), let state = ReportState(rawValue: m.state) else {
            throw DatasetStore.Corrupt(description: "ugyldig rapport \(m.period)")
        }
        return StoredReport(
            period: period, revision: m.revision, state: state, correctionReason: m.correctionReason,
            version: m.version,
            publishedAt: m.publishedAt, content: ReportContent(horizon: m.horizon, overall: overall, goals: goals),
            sectionVersions: Dictionary(sections.map { ($0.key, $0.version) }, uniquingKeysWith: { a, _ in a }),
            snapshot: try m.snapshot.map(ReportSnapshot.decode))
    }

    /// The snapshot of the latest published report before `period`, for "previous period" comparisons.
    public static func previousSnapshot(before period: Period, on db: any Database) async throws -> ReportSnapshot? {
        let published = try await published(on: db)
        guard let prev = ReportRules.previousPeriod(of: period, published: published.map(\.period)) else { return nil }
        return published.first { $0.period == prev }?.snapshot
    }

    // MARK: writing (each in one transaction that bumps data_version first, which is also the write lock)

    /// A new period, started from the latest revision of the latest earlier period (texts and statuses copied) or
    /// blank.
    public static func create(period: Period, dataset d: Dataset, author: Author, on db: any Database) async throws {
        try await db.transaction { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.reports], on: tx)
            if try await ReportModel.query(on: tx).filter(\.$period == period.description).count() > 0 {
                throw Problem.exists(period.norwegian)
            }
            let earlier = try await ReportModel.query(on: tx).all().filter {
                (ReportRules.parsePeriod($0.period) ?? period) < period
            }
            let source = earlier.max { ($0.period, $0.revision) < ($1.period, $1.revision) }
            let horizon = ReportContent.defaultHorizon(for: period, in: d)
            var content = ReportContent.blank(for: d, horizon: horizon)
            if let source {
                content = try await stored(source, on: tx).content
                // A horizon the new period has passed is replaced; one still ahead is kept as the earlier report set
                // it.
                if (Int(content.horizon) ?? 0) < period.year { content.horizon = horizon }
            }
            try await insert(
                period: period, revision: 1, state: .utkast, content: content, correctionReason: "", version: version,
                on: tx)
            try await RoadmapWrites.audit(
                entityType: "report", entityId: period.description, action: "create", before: nil,
                after: [
                    ("Periode", period.norwegian),
                    (
                        "Startet fra",
                        source.map { ReportRules.parsePeriod($0.period)?.norwegian ?? $0.period } ?? "tom rapport"
                    ),
                ],
                author: author, reason: "", on: tx)
        }
    }

    static func insert(
        period: Period, revision: Int, state: ReportState, content: ReportContent, correctionReason: String,
        version: Int64,
        snapshot: String? = nil, publishedAt: Date? = nil, on tx: any Database
    ) async throws {
        let r = ReportModel()
        r.period = period.description
        r.revision = revision
        r.state = state.rawValue
        r.horizon = content.horizon
        r.correctionReason = correctionReason
        r.version = version
        r.snapshot = snapshot
        r.publishedAt = publishedAt
        try await r.create(on: tx)
        var sections: [(String, String)] = [(ReportSectionKey.overall, try json(content.overall))]
        for g in content.goals { sections.append((ReportSectionKey.goal(g.goalId), try json(g))) }
        for (i, (key, text)) in sections.enumerated() {
            let s = ReportSectionModel()
            s.reportId = r.id!
            s.key = key
            s.content = text
            s.position = i
            s.version = version
            try await s.create(on: tx)
        }
    }

    /// The working (newest, unpublished) revision of a period.
    static func working(_ period: Period, on tx: any Database) async throws -> ReportModel {
        guard
            let r = try await ReportModel.query(on: tx).filter(\.$period == period.description).sort(
                \.$revision, .descending
            ).first()
        else {
            throw Problem.notFound(period.norwegian)
        }
        guard ReportState(rawValue: r.state)?.isEditable == true else { throw Problem.notEditable }
        return r
    }

    /// Saves one section if nobody saved it since `expectedVersion`; otherwise nothing is written. A conflict carries
    /// the section as stored now (its JSON).
    public static func saveSection<T: Codable & Sendable>(
        _ period: Period, key: String, content: T, expectedVersion: Int64, author: Author, reason: String,
        on db: any Database
    ) async throws -> SaveResult<String> {
        try await versionedSave(String.self, on: db) { tx in
            do {
                let version = try await RoadmapWrites.nextVersion(touching: [.reports], on: tx)
                let report = try await working(period, on: tx)
                guard
                    let section = try await ReportSectionModel.query(on: tx).filter(\.$reportId == report.id!).filter(
                        \.$key == key
                    ).first()
                else {
                    throw Problem.notFound("\(period.norwegian) (\(key))")
                }
                guard section.version == expectedVersion else {
                    throw RefusedSave<String>.conflict(section.content, version: section.version)
                }
                let text = try json(content)
                try await RoadmapWrites.audit(
                    entityType: "report", entityId: period.description, action: "update",
                    before: [("Del", key), ("Innhold", section.content)], after: [("Del", key), ("Innhold", text)],
                    author: author, reason: reason, on: tx)
                section.content = text
                section.version = version
                try await section.save(on: tx)
                // The report as a whole changed too: a publish from a page opened before this edit is refused
                // (it would publish a text its publisher never saw).
                report.version = version
                try await report.save(on: tx)
                return version
            } catch let problem as Problem {
                throw RefusedSave<String>.refused([problem.description])
            }
        }
    }

    /// Moves the working revision along the workflow. Publishing freezes the page: the snapshot is built now and
    /// stored.
    /// A conflict carries the state the report is in now.
    public static func transition(
        _ period: Period, to next: ReportState, expectedVersion: Int64, dataset d: Dataset, author: Author,
        on db: any Database
    ) async throws -> SaveResult<ReportState> {
        try await versionedSave(ReportState.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.reports], on: tx)
            let report: ReportModel
            do { report = try await working(period, on: tx) } catch let problem as Problem {
                throw RefusedSave<ReportState>.refused([problem.description])
            }
            let current = ReportState(rawValue: report.state)!
            guard report.version == expectedVersion else {
                throw RefusedSave.conflict(current, version: report.version)
            }
            guard current.canMove(to: next) else {
                throw RefusedSave<ReportState>.refused([Problem.badTransition(current, next).description])
            }
            if next == .publisert {
                let stored = try await stored(report, on: tx)
                let previous = try await previousSnapshot(before: period, on: tx)
                let snapshot = ReportSnapshot.build(
                    period: period, revision: report.revision, content: stored.content, previous: previous,
                    dataset: d, correctionReason: report.correctionReason,
                    roundDelays: try await RoundStore.delaySummary(for: period, dataset: d, on: tx))
                report.snapshot = try snapshot.encoded()
                report.publishedAt = Date()
            }
            report.state = next.rawValue
            report.version = version
            try await report.save(on: tx)
            try await RoadmapWrites.audit(
                entityType: "report", entityId: period.description, action: next == .publisert ? "publish" : "state",
                before: [("Status", current.name)],
                after: [("Status", next.name), ("Utgave", String(report.revision))],
                author: author, reason: "", on: tx)
            return version
        }
    }

    /// A correction of a published report: a new revision (a draft copy of the published texts) with its reason; the
    /// old one stays readable.
    public static func correct(_ period: Period, reason: String, author: Author, on db: any Database) async throws {
        try await db.transaction { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.reports], on: tx)
            guard
                let latest = try await ReportModel.query(on: tx).filter(\.$period == period.description).sort(
                    \.$revision, .descending
                ).first()
            else {
                throw Problem.notFound(period.norwegian)
            }
            guard latest.state == ReportState.publisert.rawValue else { throw Problem.nothingPublished }
            let content = try await stored(latest, on: tx).content
            try await insert(
                period: period, revision: latest.revision + 1, state: .utkast, content: content,
                correctionReason: reason, version: version, on: tx)
            try await RoadmapWrites.audit(
                entityType: "report", entityId: period.description, action: "correct",
                before: [("Utgave", String(latest.revision))],
                after: [("Utgave", String(latest.revision + 1))], author: author, reason: reason, on: tx)
        }
    }

    /// Seeds and imports: a published report with its snapshot built against the dataset as it stands.
    public static func insertPublished(period: Period, content: ReportContent, dataset d: Dataset, on db: any Database)
        async throws
    {
        try await db.transaction { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.reports], on: tx)
            let previous = try await previousSnapshot(before: period, on: tx)
            let snapshot = ReportSnapshot.build(
                period: period, revision: 1, content: content, previous: previous, dataset: d,
                roundDelays: try await RoundStore.delaySummary(for: period, dataset: d, on: tx))
            try await insert(
                period: period, revision: 1, state: .publisert, content: content, correctionReason: "",
                version: version,
                snapshot: try snapshot.encoded(), publishedAt: Date(), on: tx)
        }
    }

    public static func isEmpty(on db: any Database) async throws -> Bool {
        try await ReportModel.query(on: db).count() == 0
    }

    /// Every revision as files (export), oldest first.
    public static func files(on db: any Database) async throws -> [ReportFile] {
        try await all(on: db).map { r in
            ReportFile(
                period: r.period.description, revision: r.revision, state: r.state,
                correctionReason: r.correctionReason, content: r.content, snapshot: r.snapshot,
                publishedAt: r.publishedAt)
        }
    }

    /// Replaces all reports by `files` inside the caller's transaction, oldest first, so snapshots find their previous
    /// periods.
    static func replaceAll(_ files: [ReportFile], dataset d: Dataset, version: Int64, on tx: any Database) async throws
    {
        try await ReportModel.query(on: tx).delete()
        let sorted = files.compactMap { f in ReportRules.parsePeriod(f.period).map { (f, $0) } }.sorted {
            ($0.1, $0.0.revision ?? 1) < ($1.1, $1.0.revision ?? 1)
        }
        for (file, period) in sorted {
            let state = file.state ?? .publisert
            var snapshot = file.snapshot
            if state == .publisert && snapshot == nil {
                snapshot = ReportSnapshot.build(
                    period: period, revision: file.revision ?? 1, content: file.content,
                    previous: try await previousSnapshot(before: period, on: tx), dataset: d,
                    correctionReason: file.correctionReason ?? "",
                    roundDelays: try await RoundStore.delaySummary(for: period, dataset: d, on: tx))
            }
            try await insert(
                period: period, revision: file.revision ?? 1, state: state, content: file.content,
                correctionReason: file.correctionReason ?? "",
                version: version, snapshot: try snapshot?.encoded(),
                publishedAt: state == .publisert ? (file.publishedAt ?? Date()) : nil, on: tx)
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
