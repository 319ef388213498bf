import Domain
import FluentKit
import Foundation
import SQLKit

// Fluent models: one table per entity, natural keys as string ids, enums stored as strings,
// `position` keeps the order the directorate gave in the data files.

public final class StrategyModel: Model, @unchecked Sendable {
    public static let schema = "strategy"
    @ID(custom: "id", generatedBy: .user) public var id: Int?
    @Field(key: "title") var title: String
    @Field(key: "version") var version: String
    @Field(key: "period_start") var periodStart: Int
    @Field(key: "period_end") var periodEnd: Int
    @Field(key: "vision") var vision: String
    // M018: the strategy's own texts and vocabulary (empty or null: the defaults in `Strategy`).
    @OptionalField(key: "short_name") var shortName: String?
    @OptionalField(key: "summary") var summary: String?
    @OptionalField(key: "source") var source: String?
    @OptionalField(key: "outcomes_heading") var outcomesHeading: String?
    @OptionalField(key: "delay_goal") var delayGoal: String?
    @OptionalField(key: "roadmap_start") var roadmapStart: Int?
    /// JSON arrays of `PhaseDefinition` and `ActorTypeDefinition`: small lists read and replaced only as a whole.
    @OptionalField(key: "phases") var phases: String?
    @OptionalField(key: "actor_types") var actorTypes: String?
    public init() {}

    func domain() throws -> Strategy {
        func decode<T: Decodable>(_ json: String?, _: T.Type) throws -> T? {
            guard let json, let data = json.data(using: .utf8) else { return nil }
            do { return try JSONDecoder().decode(T.self, from: data) } catch {
                throw DatasetStore.Corrupt(description: "ugyldig verdi i databasen: strategiens faser eller aktørtyper")
            }
        }
        return Strategy(title: title, version: version, periodStart: periodStart, periodEnd: periodEnd, vision: vision,
                        shortName: shortName ?? "", summary: summary ?? "", source: source ?? "",
                        outcomesHeading: outcomesHeading ?? "", delayGoal: delayGoal, roadmapStart: roadmapStart,
                        phases: try decode(phases, [PhaseDefinition].self).map(PhaseCatalog.init) ?? .defaults,
                        actorTypes: try decode(actorTypes, [ActorTypeDefinition].self).map(ActorTypeCatalog.init) ?? .defaults)
    }

    func set(_ s: Strategy) {
        func encode<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: (try? encoder.encode(value)) ?? Data("[]".utf8), as: UTF8.self)
        }
        title = s.title; version = s.version; periodStart = s.periodStart; periodEnd = s.periodEnd; vision = s.vision
        shortName = s.shortName; summary = s.summary; source = s.source; outcomesHeading = s.outcomesHeading
        delayGoal = s.delayGoal; roadmapStart = s.roadmapStart
        phases = encode(s.phases.all); actorTypes = encode(s.actorTypes.all)
    }
}

/// The strategy's own texts and vocabulary, so that any strategy's pages speak of it and not of the seed.
public struct M018StrategyProfile: AsyncMigration {
    public init() {}
    public var name: String { "M018StrategyProfile" }

    static let columns = [("short_name", "TEXT"), ("summary", "TEXT"), ("source", "TEXT"), ("outcomes_heading", "TEXT"),
                          ("delay_goal", "TEXT"), ("roadmap_start", "INTEGER"), ("phases", "TEXT"), ("actor_types", "TEXT")]

    public func prepare(on db: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for (column, type) in Self.columns {
            try await (db as! any SQLDatabase)
                .raw("ALTER TABLE \(ident: StrategyModel.schema) ADD COLUMN \(ident: column) \(unsafeRaw: type)").run()
        }
    }

    public func revert(on db: any Database) async throws {
        for (column, _) in Self.columns {
            try await db.schema(StrategyModel.schema).deleteField(.string(column)).update()
        }
    }
}

public final class OverarchingGoalModel: Model, @unchecked Sendable {
    public static let schema = "overarching_goals"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "title") var title: String
    @Field(key: "description") var summary: String
    @Field(key: "position") var position: Int
    public init() {}
}

public final class GoalModel: Model, @unchecked Sendable {
    public static let schema = "goals"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "title") var title: String
    @Field(key: "description") var summary: String
    /// One outcome per line.
    @Field(key: "outcomes") var outcomes: String
    @Field(key: "position") public var position: Int
    /// Optimistic-concurrency version: the data version at the last write of this row.
    @Field(key: "version") public var version: Int64
    /// Retired records stay (history, restore) but are gone from pages, search and exports (M019).
    @OptionalField(key: "retired") public var retired: Bool?
    public init() {}
}

public final class SubgoalModel: Model, @unchecked Sendable {
    public static let schema = "subgoals"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "goal_id") var goalId: String
    @Field(key: "title") var title: String
    @Field(key: "status") var status: String
    @Field(key: "description") var summary: String
    @Field(key: "position") public var position: Int
    /// Optimistic-concurrency version: the data version at the last write of this row.
    @Field(key: "version") public var version: Int64
    /// Retired records stay (history, restore) but are gone from pages, search and exports (M019).
    @OptionalField(key: "retired") public var retired: Bool?
    public init() {}
}

public final class ActorModel: Model, @unchecked Sendable {
    public static let schema = "actors"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "name") var name: String
    @Field(key: "short_name") var shortName: String
    @Field(key: "type") var type: String
    @OptionalField(key: "parent_id") var parentId: String?
    @Field(key: "description") var summary: String
    @Field(key: "position") public var position: Int
    /// Optimistic-concurrency version: the data version at the last write of this row.
    @Field(key: "version") public var version: Int64
    /// Retired records stay (history, restore) but are gone from pages, search and exports (M019).
    @OptionalField(key: "retired") public var retired: Bool?
    public init() {}
}

public final class InitiativeModel: Model, @unchecked Sendable {
    public static let schema = "initiatives"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "title") var title: String
    @Field(key: "short_title") var shortTitle: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "priority_rank") var priorityRank: Int?
    @Field(key: "target") var target: String
    @Field(key: "description") var summary: String
    @Field(key: "position") public var position: Int
    /// Optimistic-concurrency version: the data version at the last write of this row.
    @Field(key: "version") public var version: Int64
    /// Retired records stay (history, restore) but are gone from pages, search and exports (M019).
    @OptionalField(key: "retired") public var retired: Bool?
    public init() {}
}

public final class InitiativeSubgoalModel: Model, @unchecked Sendable {
    public static let schema = "initiative_subgoals"
    @ID(key: .id) public var id: UUID?
    @Field(key: "initiative_id") var initiativeId: String
    @Field(key: "subgoal_id") var subgoalId: String
    @Field(key: "position") var position: Int
    public init() {}
}

public final class ActivityModel: Model, @unchecked Sendable {
    public static let schema = "activities"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "initiative_id") var initiativeId: String
    @Field(key: "actor_id") var actorId: String
    @Field(key: "phase") var phase: String
    /// Canonical period text (`2025`, `2025-Q1` …), nil when the sources give none.
    @OptionalField(key: "start_period") var startPeriod: String?
    @OptionalField(key: "end_period") var endPeriod: String?
    /// Day ordinals of the span's bounds, for ordering and range queries in SQL.
    @OptionalField(key: "start_day") var startDay: Int?
    @OptionalField(key: "end_day") var endDay: Int?
    @Field(key: "tentative") var tentative: Bool
    @Field(key: "description") var summary: String
    @Field(key: "position") public var position: Int
    /// Optimistic-concurrency version: the data version at the last write of this row.
    @Field(key: "version") public var version: Int64
    @OptionalField(key: "baseline_period") var baselinePeriod: String?
    @OptionalField(key: "delay_kind") var delayKind: String?
    @OptionalField(key: "delay_cause") var delayCause: String?
    @OptionalField(key: "delay_note") var delayNote: String?
    @OptionalField(key: "done") var done: Bool?
    /// Retired records stay (history, restore) but are gone from pages, search and exports (M019).
    @OptionalField(key: "retired") public var retired: Bool?
    public init() {}
}

public final class MilestoneModel: Model, @unchecked Sendable {
    public static let schema = "milestones"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "initiative_id") var initiativeId: String
    @OptionalField(key: "actor_id") var actorId: String?
    @Field(key: "kind") var kind: String
    @Field(key: "date_period") var datePeriod: String
    @Field(key: "date_day") var dateDay: Int
    @Field(key: "tentative") var tentative: Bool
    @Field(key: "description") var summary: String
    @Field(key: "position") public var position: Int
    /// Optimistic-concurrency version: the data version at the last write of this row.
    @Field(key: "version") public var version: Int64
    @OptionalField(key: "baseline_period") var baselinePeriod: String?
    @OptionalField(key: "delay_kind") var delayKind: String?
    @OptionalField(key: "delay_cause") var delayCause: String?
    @OptionalField(key: "delay_note") var delayNote: String?
    @OptionalField(key: "done") var done: Bool?
    /// Retired records stay (history, restore) but are gone from pages, search and exports (M019).
    @OptionalField(key: "retired") public var retired: Bool?
    public init() {}
}

/// Baseline and delay columns shared by activities and milestones.
protocol DelayColumns: AnyObject {
    var baselinePeriod: String? { get set }
    var delayKind: String? { get set }
    var delayCause: String? { get set }
    var delayNote: String? { get set }
}

extension ActivityModel: DelayColumns {}
extension MilestoneModel: DelayColumns {}

extension DelayColumns {
    func readBaselineAndDelay() throws -> (Period?, Delay?) {
        let baseline = try baselinePeriod.map(Period.parse)
        guard let k = delayKind else { return (baseline, nil) }
        guard let kind = DelayKind(rawValue: k), let cause = DelayCause(rawValue: delayCause ?? "") else {
            throw DatasetStore.Corrupt(description: "ugyldig forsinkelse \(k)/\(delayCause ?? "")")
        }
        return (baseline, Delay(kind: kind, cause: cause, note: delayNote ?? ""))
    }

    func writeBaselineAndDelay(_ baseline: Period?, _ delay: Delay?) {
        baselinePeriod = baseline?.description
        delayKind = delay?.kind.rawValue; delayCause = delay?.cause.rawValue; delayNote = delay?.note
    }
}

public struct M011BaselinesAndDelays: AsyncMigration {
    public init() {}
    public var name: String { "M011BaselinesAndDelays" }
    public func prepare(on db: any Database) async throws {
        for table in ["activities", "milestones"] {
            for column in ["baseline_period", "delay_kind", "delay_cause", "delay_note"] {
                try await (db as! any SQLDatabase).raw("ALTER TABLE \(ident: table) ADD COLUMN \(ident: column) TEXT").run()
            }
        }
    }
    public func revert(on db: any Database) async throws {
        for table in ["activities", "milestones"] {
            try await db.schema(table).deleteField("baseline_period").deleteField("delay_kind").deleteField("delay_cause").deleteField("delay_note").update()
        }
    }
}
