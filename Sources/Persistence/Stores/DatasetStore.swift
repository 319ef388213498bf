import Domain
import FluentKit
import Foundation
import SQLKit

/// Reads and replaces the whole published dataset. Replacing is one transaction: it all lands or nothing does.
public enum DatasetStore {
    public struct Corrupt: Error, CustomStringConvertible {
        public let description: String
    }

    /// The current data version; changes whenever the dataset does.
    public static func version(on db: any Database) async throws -> Int64 {
        struct Row: Decodable { let version: Int64 }
        let row = try await db.sql.raw("SELECT version FROM data_version WHERE id = 1").first(decoding: Row.self)
        return row?.version ?? 0
    }

    public static func isEmpty(on db: any Database) async throws -> Bool {
        try await StrategyModel.query(on: db).count() == 0
    }

    /// What search indexes, without the (large) measurement, ambition and break tables: every write re-syncs the index.
    static func loadForSearch(on db: any Database) async throws -> Dataset? {
        try await load(on: db, measurements: false, ambitionsAndBreaks: false)
    }

    /// Everything, measurements included: for export and whole-dataset checks, never for serving pages.
    public static func load(on db: any Database) async throws -> Dataset? {
        try await load(on: db, measurements: true, ambitionsAndBreaks: true)
    }

    /// Everything but the measurements (which can be millions of rows): what a server instance keeps in memory and
    /// updates record by record from the change feed. Pages load the measurements they show
    /// (`IndicatorStore.measurements`).
    public static func loadStructure(on db: any Database) async throws -> Dataset? {
        try await load(on: db, measurements: false, ambitionsAndBreaks: true)
    }

    /// The stored strategy's title when its own texts and vocabulary were never set (a database from before M018).
    public static func strategyWithoutProfile(on db: any Database) async throws -> String? {
        guard let s = try await StrategyModel.query(on: db).first(), s.phases == nil else { return nil }
        return s.title
    }

    /// Gives a strategy stored before M018 the texts and vocabulary of `profile` (the seed's, for a seeded
    /// installation),
    /// so that an upgrade changes nothing users see. Leaves a strategy that has them, or another title, alone.
    public static func completeProfile(from profile: Strategy, on db: any Database) async throws {
        try await db.transaction { tx in
            guard let s = try await StrategyModel.query(on: tx).first(), s.phases == nil, s.title == profile.title
            else { return }
            _ = try await RoadmapWrites.nextVersion(touching: [.strategy], on: tx)
            var merged = try s.domain()
            merged.shortName = profile.shortName
            merged.summary = profile.summary
            merged.source = profile.source
            merged.outcomesHeading = profile.outcomesHeading
            merged.delayGoal = profile.delayGoal
            merged.roadmapStart = profile.roadmapStart
            merged.phases = profile.phases
            merged.actorTypes = profile.actorTypes
            s.set(merged)
            try await s.save(on: tx)
        }
    }

    static func load(on db: any Database, measurements withMeasurements: Bool, ambitionsAndBreaks: Bool) async throws
        -> Dataset?
    {
        guard let s = try await StrategyModel.query(on: db).first() else { return nil }
        func bad(_ what: String) -> Corrupt { Corrupt(description: "ugyldig verdi i databasen: \(what)") }
        let strategy = try s.domain()
        let overarching = try await OverarchingGoalModel.query(on: db).sort(\.$position).all().map {
            OverarchingGoal(id: $0.id!, title: $0.title, description: $0.summary)
        }
        let goals = try await GoalModel.query(on: db).filter(\.$retired == false).sort(\.$position).all().map {
            Goal(
                id: $0.id!, title: $0.title, description: $0.summary,
                outcomes: $0.outcomes.split(separator: "\n").map(String.init))
        }
        let subgoals = try await SubgoalModel.query(on: db).filter(\.$retired == false).sort(\.$position).all().map {
            m in
            guard let status = SubgoalStatus(rawValue: m.status) else { throw bad("delmålstatus \(m.status)") }
            return Subgoal(id: m.id!, goalId: m.goalId, title: m.title, status: status, description: m.summary)
        }
        let actors = try await ActorModel.query(on: db).filter(\.$retired == false).sort(\.$position).all().map { m in
            let type = ActorType(rawValue: m.type)
            return Actor(
                slug: m.id!, name: m.name, shortName: m.shortName, type: type, parentSlug: m.parentId,
                description: m.summary)
        }
        let links = Dictionary(
            grouping: try await InitiativeSubgoalModel.query(on: db).sort(\.$position).all(), by: \.initiativeId)
        let initiatives = try await InitiativeModel.query(on: db).filter(\.$retired == false).sort(\.$position).all()
            .map { m in
                guard let kind = InitiativeKind(rawValue: m.kind) else { throw bad("tiltakstype \(m.kind)") }
                return Initiative(
                    slug: m.id!, title: m.title, shortTitle: m.shortTitle, kind: kind, priorityRank: m.priorityRank,
                    subgoalIds: (links[m.id!] ?? []).map(\.subgoalId), target: m.target, description: m.summary)
            }
        let activities = try await ActivityModel.query(on: db).filter(\.$retired == false).sort(\.$position).all().map {
            try $0.domain()
        }
        let milestones = try await MilestoneModel.query(on: db).filter(\.$retired == false).sort(\.$position).all().map
        { try $0.domain() }
        let ind = try await IndicatorStore.load(
            on: db, measurements: withMeasurements, ambitionsAndBreaks: ambitionsAndBreaks)
        return Dataset(
            strategy: strategy, overarchingGoals: overarching, goals: goals, subgoals: subgoals, actors: actors,
            initiatives: initiatives, activities: activities, milestones: milestones,
            indicators: ind.indicators, measurements: ind.measurements, ambitions: ind.ambitions,
            seriesBreaks: ind.breaks)
    }

    /// Replaces everything with `dataset`, including the search index, in one transaction.
    /// With `history`, an installation without a trail gets that one (a whole-dataset restore); an existing trail is
    /// never replaced (the import's own entry says the file's history was not loaded).
    /// With `reports`, the status reports are replaced too (a whole-dataset restore); published ones without a
    /// stored snapshot get one built against `d`.
    public static func replace(
        with d: Dataset, history: [HistoryRecord]? = nil, reports: [ReportFile]? = nil,
        scoringModels: [ScoringModel]? = nil,
        scoringRounds: [ScoringRound]? = nil, councils: CouncilData? = nil,
        cycle: (rounds: [ReportingRound], parts: [RoundPart], versions: [RoadmapVersion])? = nil,
        author: Author = .commandLine, on db: any Database
    ) async throws {
        try await db.transaction { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.everything], on: tx)
            // A trail is append-only: a file's history is loaded only into an installation that has none (a restore).
            var restoringHistory = false
            if history != nil { restoringHistory = try await !RoadmapWrites.hasHistory(on: tx) }
            if let history, restoringHistory { try await RoadmapWrites.replaceHistory(history, on: tx) }
            // The cycle before the reports: a report published by the import freezes its round's delay figures.
            if let cycle {
                try await RoundStore.replaceAll(
                    rounds: cycle.rounds, parts: cycle.parts, versions: cycle.versions, on: tx)
            }
            if let reports { try await ReportStore.replaceAll(reports, dataset: d, version: version, on: tx) }
            // Models before rounds: a round's model version the file lacks is then added by `replaceRows`.
            if let scoringModels { try await ScoringStore.replaceModels(scoringModels, on: tx) }
            if let scoringRounds { try await ScoringStore.replaceRows(scoringRounds, version: version, on: tx) }
            if let councils { try await CouncilStore.replaceRows(councils, version: version, on: tx) }
            try await IndicatorStore.deleteAll(on: tx)
            try await MilestoneModel.query(on: tx).delete()
            try await ActivityModel.query(on: tx).delete()
            try await InitiativeSubgoalModel.query(on: tx).delete()
            try await InitiativeModel.query(on: tx).delete()
            // Children before parents, so the self-reference never dangles.
            try await ActorModel.query(on: tx).filter(\.$parentId != nil).delete()
            try await ActorModel.query(on: tx).delete()
            try await SubgoalModel.query(on: tx).delete()
            try await GoalModel.query(on: tx).delete()
            try await OverarchingGoalModel.query(on: tx).delete()
            try await StrategyModel.query(on: tx).delete()

            let s = StrategyModel()
            s.id = 1
            s.set(d.strategy)
            try await s.create(on: tx)
            for (i, g) in d.overarchingGoals.enumerated() {
                let m = OverarchingGoalModel()
                m.id = g.id
                m.title = g.title
                m.summary = g.description
                m.position = i
                try await m.create(on: tx)
            }
            for (i, g) in d.goals.enumerated() {
                let m = GoalModel()
                m.retired = false
                m.id = g.id
                m.title = g.title
                m.summary = g.description
                m.outcomes = g.outcomes.joined(separator: "\n")
                m.position = i
                m.version = version
                try await m.create(on: tx)
            }
            for (i, sg) in d.subgoals.enumerated() {
                let m = SubgoalModel()
                m.retired = false
                m.id = sg.id
                m.goalId = sg.goalId
                m.title = sg.title
                m.status = sg.status.rawValue
                m.summary = sg.description
                m.position = i
                m.version = version
                try await m.create(on: tx)
            }
            // Parents first: insert in an order where every parent precedes its children.
            for (i, a) in orderedParentsFirst(d.actors) {
                let m = ActorModel()
                m.retired = false
                m.id = a.slug
                m.name = a.name
                m.shortName = a.shortName
                m.type = a.type.rawValue
                m.parentId = a.parentSlug
                m.summary = a.description
                m.position = i
                m.version = version
                try await m.create(on: tx)
            }
            for (i, ini) in d.initiatives.enumerated() {
                let m = InitiativeModel()
                m.retired = false
                m.id = ini.slug
                m.title = ini.title
                m.shortTitle = ini.shortTitle
                m.kind = ini.kind.rawValue
                m.priorityRank = ini.priorityRank
                m.target = ini.target
                m.summary = ini.description
                m.position = i
                m.version = version
                try await m.create(on: tx)
                for (j, sg) in ini.subgoalIds.enumerated() {
                    let link = InitiativeSubgoalModel()
                    link.initiativeId = ini.slug
                    link.subgoalId = sg
                    link.position = j
                    try await link.create(on: tx)
                }
            }
            for (i, a) in d.activities.enumerated() {
                let m = ActivityModel()
                m.retired = false
                m.id = a.id
                m.initiativeId = a.initiativeSlug
                m.actorId = a.actorSlug
                m.phase = a.phase.rawValue
                m.startPeriod = a.span.start?.description
                m.endPeriod = a.span.end?.description
                m.startDay = a.span.start?.firstDay.ordinal
                m.endDay = a.span.end?.lastDay.ordinal
                m.tentative = a.tentative
                m.summary = a.description
                m.position = i
                m.version = version
                m.done = a.done
                m.writeBaselineAndDelay(a.baseline, a.delay)
                try await m.create(on: tx)
            }
            for (i, ms) in d.milestones.enumerated() {
                let m = MilestoneModel()
                m.retired = false
                m.id = ms.id
                m.initiativeId = ms.initiativeSlug
                m.actorId = ms.actorSlug
                m.kind = ms.kind.rawValue
                m.datePeriod = ms.date.description
                m.dateDay = ms.date.firstDay.ordinal
                m.tentative = ms.tentative
                m.summary = ms.description
                m.position = i
                m.version = version
                m.done = ms.done
                m.writeBaselineAndDelay(ms.baseline, ms.delay)
                try await m.create(on: tx)
            }
            try await IndicatorStore.insert(d, version: version, on: tx)
            try await SearchIndex.replace(SearchDocument.Kind.dataset, with: SearchDocument.all(from: d), on: tx)
            try await RoadmapWrites.audit(
                entityType: "dataset", entityId: "veikart", action: "import", before: nil,
                after: [
                    ("Mål", String(d.goals.count)), ("Delmål", String(d.subgoals.count)),
                    ("Tiltak", String(d.initiatives.count)),
                    ("Aktiviteter", String(d.activities.count)), ("Milepæler", String(d.milestones.count)),
                    ("Aktører", String(d.actors.count)),
                    ("Indikatorer", String(d.indicators.count)), ("Målinger", String(d.measurements.count)),
                ],
                author: author,
                reason: history != nil && !restoringHistory
                    ? "Historikken i filene ble ikke lastet: installasjonen har sin egen, og den blir aldri erstattet."
                    : "",
                on: tx)
        }
    }

    /// Actors with their original position, reordered so that each parent is inserted before its children.
    static func orderedParentsFirst(_ actors: [Actor]) -> [(Int, Actor)] {
        var done: Set<String> = []
        var result: [(Int, Actor)] = []
        var pending = Array(actors.enumerated())
        while !pending.isEmpty {
            let before = pending.count
            pending.removeAll { (i, a) in
                guard a.parentSlug.map(done.contains) ?? true else { return false }
                result.append((i, a))
                done.insert(a.slug)
                return true
            }
            if pending.count == before {
                result += pending
                break
            }  // cycles are rejected by import; never loop forever
        }
        return result
    }
}
