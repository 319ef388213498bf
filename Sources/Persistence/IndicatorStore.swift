import Domain
import FluentKit
import Foundation
import SQLKit

public final class IndicatorModel: Model, @unchecked Sendable {
    public static let schema = "indicators"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "name") var name: String
    @Field(key: "description") var summary: String
    /// Strategic goal ids separated by spaces.
    @Field(key: "goals") var goals: String
    @OptionalField(key: "overarching_goal") var overarchingGoal: String?
    @Field(key: "international") var international: Bool
    @Field(key: "kind") var kind: String
    @Field(key: "unit") var unit: String
    @Field(key: "unit_detail") var unitDetail: String
    @Field(key: "direction") var direction: String
    @Field(key: "source") var source: String
    @Field(key: "frequency") var frequency: String
    @Field(key: "readiness") var readiness: String
    @OptionalField(key: "dashboard_order") var dashboardOrder: Int?
    @Field(key: "no_ambition_reason") var noAmbitionReason: String
    @Field(key: "position") var position: Int
    @Field(key: "version") public var version: Int64
    public init() {}
}

public final class MeasurementModel: Model, @unchecked Sendable {
    public static let schema = "measurements"
    @ID(key: .id) public var id: UUID?
    @Field(key: "indicator_id") var indicatorId: String
    @Field(key: "period") var period: String
    /// First day of the period (days since 1970), for ordering in SQL.
    @Field(key: "period_day") var periodDay: Int
    @Field(key: "dimension") var dimension: String
    @Field(key: "member") var member: String
    @Field(key: "value") var value: Double
    @Field(key: "note") var note: String
    @Field(key: "source") var source: String
    @Field(key: "position") var position: Int
    public init() {}
}

public final class AmbitionModel: Model, @unchecked Sendable {
    public static let schema = "ambitions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "indicator_id") var indicatorId: String
    @Field(key: "period") var period: String
    @Field(key: "value") var value: Double
    @Field(key: "state") var state: String
    @Field(key: "note") var note: String
    @Field(key: "position") var position: Int
    public init() {}
}

public final class SeriesBreakModel: Model, @unchecked Sendable {
    public static let schema = "series_breaks"
    @ID(key: .id) public var id: UUID?
    @Field(key: "indicator_id") var indicatorId: String
    @Field(key: "period") var period: String
    @Field(key: "note") var note: String
    @Field(key: "position") var position: Int
    public init() {}
}

extension AmbitionModel {
    func domain() throws -> Ambition {
        guard let st = AmbitionState(rawValue: state) else { throw DatasetStore.Corrupt(description: "ugyldig ambisjonsstatus \(state)") }
        return Ambition(indicatorId: indicatorId, period: try Period.parse(period), value: value, state: st, note: note)
    }
}

extension SeriesBreakModel {
    func domain() throws -> SeriesBreak { SeriesBreak(indicatorId: indicatorId, period: try Period.parse(period), note: note) }
}

extension MeasurementModel {
    func domain() throws -> IndicatorMeasurement {
        IndicatorMeasurement(indicatorId: indicatorId, period: try Period.parse(period), value: value, dimension: dimension, member: member, note: note, source: source)
    }
}

public struct M010CreateIndicators: AsyncMigration {
    public init() {}
    public var name: String { "M010CreateIndicators" }
    public func prepare(on db: any Database) async throws {
        try await db.schema("indicators")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required).field("description", .string, .required).field("goals", .string, .required)
            .field("overarching_goal", .string).field("international", .bool, .required)
            .field("kind", .string, .required).field("unit", .string, .required).field("unit_detail", .string, .required)
            .field("direction", .string, .required).field("source", .string, .required).field("frequency", .string, .required)
            .field("readiness", .string, .required).field("dashboard_order", .int).field("no_ambition_reason", .string, .required)
            .field("position", .int, .required).field("version", .int64, .required)
            .create()
        try await db.schema("measurements")
            .id()
            .field("indicator_id", .string, .required, .references("indicators", "id", onDelete: .cascade))
            .field("period", .string, .required).field("period_day", .int, .required)
            .field("dimension", .string, .required).field("member", .string, .required)
            .field("value", .double, .required).field("note", .string, .required).field("source", .string, .required)
            .field("position", .int, .required)
            .unique(on: "indicator_id", "period", "dimension", "member")
            .create()
        try await db.schema("ambitions")
            .id()
            .field("indicator_id", .string, .required, .references("indicators", "id", onDelete: .cascade))
            .field("period", .string, .required).field("value", .double, .required).field("state", .string, .required)
            .field("note", .string, .required).field("position", .int, .required)
            .unique(on: "indicator_id", "period")
            .create()
        try await db.schema("series_breaks")
            .id()
            .field("indicator_id", .string, .required, .references("indicators", "id", onDelete: .cascade))
            .field("period", .string, .required).field("note", .string, .required).field("position", .int, .required)
            .create()
    }
    public func revert(on db: any Database) async throws {
        for table in ["series_breaks", "ambitions", "measurements", "indicators"] { try await db.schema(table).delete() }
    }
}

extension IndicatorModel: VersionedModel {
    // Kept synchronous and free of shadowed names: the release optimiser (Swift 6.3) crashed splitting the async version.
    func domainIndicator() throws -> Indicator {
        guard let k = IndicatorKind(rawValue: kind), let dir = Direction(rawValue: direction), let freq = Frequency(rawValue: frequency),
              let ready = Readiness(rawValue: readiness), let u = IndicatorUnit.parse(unit: unit, detail: unitDetail) else {
            throw DatasetStore.Corrupt(description: "ugyldig indikator \(id ?? "")")
        }
        return Indicator(id: id!, name: name, description: summary, goalIds: goals.split(separator: " ").map(String.init),
                         overarchingGoalId: overarchingGoal, international: international, kind: k, unit: u, direction: dir,
                         source: source, frequency: freq, readiness: ready, dashboardOrder: dashboardOrder, noAmbitionReason: noAmbitionReason)
    }

    public func record(on db: any Database) async throws -> IndicatorRecord {
        let indicator = try domainIndicator()
        let ambitionRows = try await AmbitionModel.query(on: db).filter(\.$indicatorId == indicator.id).sort(\.$position).all()
        let breakRows = try await SeriesBreakModel.query(on: db).filter(\.$indicatorId == indicator.id).sort(\.$position).all()
        return IndicatorRecord(indicator: indicator, ambitions: try ambitionRows.map { try $0.domain() }, breaks: try breakRows.map { try $0.domain() })
    }

    /// The definition, and the indicator's ambitions and breaks replaced by the edited ones (positions after every existing row).
    public func apply(_ r: IndicatorRecord, on db: any Database) async throws {
        let i = r.indicator
        name = i.name; summary = i.description; goals = i.goalIds.joined(separator: " "); overarchingGoal = i.overarchingGoalId
        international = i.international; kind = i.kind.rawValue; (unit, unitDetail) = i.unit.csv; direction = i.direction.rawValue
        source = i.source; frequency = i.frequency.rawValue; readiness = i.readiness.rawValue; dashboardOrder = i.dashboardOrder
        noAmbitionReason = i.noAmbitionReason
        try await AmbitionModel.query(on: db).filter(\.$indicatorId == id!).delete()
        try await SeriesBreakModel.query(on: db).filter(\.$indicatorId == id!).delete()
        let ambitionStart = (try await AmbitionModel.query(on: db).max(\.$position) ?? -1) + 1
        for (k, a) in r.ambitions.enumerated() {
            let m = AmbitionModel(); m.indicatorId = id!; m.period = a.period.description; m.value = a.value; m.state = a.state.rawValue
            m.note = a.note; m.position = ambitionStart + k
            try await m.create(on: db)
        }
        let breakStart = (try await SeriesBreakModel.query(on: db).max(\.$position) ?? -1) + 1
        for (k, b) in r.breaks.enumerated() {
            let m = SeriesBreakModel(); m.indicatorId = id!; m.period = b.period.description; m.note = b.note; m.position = breakStart + k
            try await m.create(on: db)
        }
    }
}

/// Indicators, their measurements, ambitions and series breaks: read with the dataset, replaced with it,
/// and measurements replaced per indicator by the CSV imports.
public enum IndicatorStore {
    /// The indicators, with their measurements and with their ambitions and breaks when asked for.
    static func load(on db: any Database, measurements: Bool = true, ambitionsAndBreaks: Bool = true) async throws
        -> (indicators: [Indicator], measurements: [IndicatorMeasurement], ambitions: [Ambition], breaks: [SeriesBreak]) {
        let indicatorRows = try await IndicatorModel.query(on: db).sort(\.$position).all()
        guard ambitionsAndBreaks else { return (try indicatorRows.map { try $0.domainIndicator() }, [], [], []) }
        let measurementRows = measurements ? try await MeasurementModel.query(on: db).sort(\.$position).all() : []
        let ambitionRows = try await AmbitionModel.query(on: db).sort(\.$position).all()
        let breakRows = try await SeriesBreakModel.query(on: db).sort(\.$position).all()
        return (try indicatorRows.map { try $0.domainIndicator() }, try measurementRows.map { try $0.domain() },
                try ambitionRows.map { try $0.domain() }, try breakRows.map { try $0.domain() })
    }

    static func deleteAll(on tx: any Database) async throws {
        try await SeriesBreakModel.query(on: tx).delete()
        try await AmbitionModel.query(on: tx).delete()
        try await MeasurementModel.query(on: tx).delete()
        try await IndicatorModel.query(on: tx).delete()
    }

    static func insert(_ d: Dataset, version: Int64, on tx: any Database) async throws {
        for (i, ind) in d.indicators.enumerated() {
            let m = IndicatorModel()
            m.id = ind.id; m.name = ind.name; m.summary = ind.description; m.goals = ind.goalIds.joined(separator: " ")
            m.overarchingGoal = ind.overarchingGoalId; m.international = ind.international; m.kind = ind.kind.rawValue
            (m.unit, m.unitDetail) = ind.unit.csv
            m.direction = ind.direction.rawValue; m.source = ind.source; m.frequency = ind.frequency.rawValue
            m.readiness = ind.readiness.rawValue; m.dashboardOrder = ind.dashboardOrder; m.noAmbitionReason = ind.noAmbitionReason
            m.position = i; m.version = version
            try await m.create(on: tx)
        }
        try await insert(measurements: d.measurements, startingAt: 0, on: tx)
        try await chunked(d.ambitions.enumerated().map { (i, a) in
            let m = AmbitionModel(); m.indicatorId = a.indicatorId; m.period = a.period.description; m.value = a.value
            m.state = a.state.rawValue; m.note = a.note; m.position = i
            return m
        }, on: tx)
        try await chunked(d.seriesBreaks.enumerated().map { (i, b) in
            let m = SeriesBreakModel(); m.indicatorId = b.indicatorId; m.period = b.period.description; m.note = b.note; m.position = i
            return m
        }, on: tx)
    }

    static func insert(measurements: [IndicatorMeasurement], startingAt position: Int, on tx: any Database) async throws {
        try await chunked(measurements.enumerated().map { (i, x) in
            let m = MeasurementModel(); m.indicatorId = x.indicatorId; m.period = x.period.description; m.periodDay = x.period.firstDay.ordinal
            m.dimension = x.dimension; m.member = x.member; m.value = x.value; m.note = x.note; m.source = x.source; m.position = position + i
            return m
        }, on: tx)
    }

    /// Multi-row inserts, in chunks that stay under every driver's bound-parameter limit.
    static func chunked<M: Model>(_ models: [M], on db: any Database) async throws {
        var start = 0
        while start < models.count {
            let end = min(start + 500, models.count)
            try await Array(models[start..<end]).create(on: db)
            start = end
        }
    }

    /// Replaces the measurements of the given indicators (an Open SDG or bulk CSV import), audited, in one transaction.
    public static func replaceMeasurements(of indicatorIds: Set<String>, with measurements: [IndicatorMeasurement], author: Author, reason: String,
                                           on db: any Database) async throws {
        try await db.transaction { tx in
            _ = try await RoadmapWrites.nextVersion(touching: indicatorIds.sorted().map(DataPart.measurements), on: tx)
            var before: [String: Int] = [:]
            for id in indicatorIds.sorted() {
                before[id] = try await MeasurementModel.query(on: tx).filter(\.$indicatorId == id).count()
                try await MeasurementModel.query(on: tx).filter(\.$indicatorId == id).delete()
            }
            let last = try await MeasurementModel.query(on: tx).max(\.$position) ?? -1
            try await insert(measurements: measurements, startingAt: last + 1, on: tx)
            for id in indicatorIds.sorted() {
                let after = measurements.filter { $0.indicatorId == id }
                try await RoadmapWrites.audit(entityType: RecordKind.indicator.auditType, entityId: id, action: "import",
                                              before: [("Målinger", String(before[id] ?? 0))],
                                              after: [("Målinger", String(after.count)),
                                                      ("Perioder", after.map(\.period.description).uniqued().joined(separator: " "))],
                                              author: author, reason: reason, on: tx)
            }
        }
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
