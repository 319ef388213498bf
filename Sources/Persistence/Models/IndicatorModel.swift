import Domain
import FluentKit
import Foundation
import SQLKit

final class IndicatorModel: Model, @unchecked Sendable {
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
    @Field(key: "position") public var position: Int
    @Field(key: "version") public var version: Int64
    /// Retired records stay (history, restore) but are gone from pages, search and exports (M019).
    @OptionalField(key: "retired") public var retired: Bool?
    public init() {}
}

extension IndicatorModel: VersionedModel {
    public func setIdentity(_ r: IndicatorRecord) { id = r.indicator.id }
    // Kept synchronous and free of shadowed names: the release optimiser (Swift 6.3) crashed splitting the async
    // version.
    func domainIndicator() throws -> Indicator {
        guard let k = IndicatorKind(rawValue: kind), let dir = Direction(rawValue: direction),
            let freq = Frequency(rawValue: frequency),
            let ready = Readiness(rawValue: readiness), let u = IndicatorUnit.parse(unit: unit, detail: unitDetail)
        else {
            throw DatasetStore.Corrupt(description: "ugyldig indikator \(id ?? "")")
        }
        return Indicator(
            id: id!, name: name, description: summary, goalIds: goals.split(separator: " ").map(String.init),
            overarchingGoalId: overarchingGoal, international: international, kind: k, unit: u, direction: dir,
            source: source, frequency: freq, readiness: ready, dashboardOrder: dashboardOrder,
            noAmbitionReason: noAmbitionReason)
    }

    public func record(on db: any Database) async throws -> IndicatorRecord {
        let indicator = try domainIndicator()
        let ambitionRows = try await AmbitionModel.query(on: db).filter(\.$indicatorId == indicator.id).sort(
            \.$position
        ).all()
        let breakRows = try await SeriesBreakModel.query(on: db).filter(\.$indicatorId == indicator.id).sort(
            \.$position
        ).all()
        return IndicatorRecord(
            indicator: indicator, ambitions: try ambitionRows.map { try $0.domain() },
            breaks: try breakRows.map { try $0.domain() })
    }

    /// The definition, and the indicator's ambitions and breaks replaced by the edited ones (positions after every
    /// existing row).
    public func apply(_ r: IndicatorRecord, on db: any Database) async throws {
        let i = r.indicator
        name = i.name
        summary = i.description
        goals = i.goalIds.joined(separator: " ")
        overarchingGoal = i.overarchingGoalId
        international = i.international
        kind = i.kind.rawValue
        (unit, unitDetail) = i.unit.csv
        direction = i.direction.rawValue
        source = i.source
        frequency = i.frequency.rawValue
        readiness = i.readiness.rawValue
        dashboardOrder = i.dashboardOrder
        noAmbitionReason = i.noAmbitionReason
        if !$id.exists { try await create(on: db) }  // a new indicator: its ambitions and breaks refer to its row
        try await AmbitionModel.query(on: db).filter(\.$indicatorId == id!).delete()
        try await SeriesBreakModel.query(on: db).filter(\.$indicatorId == id!).delete()
        let ambitionStart = (try await AmbitionModel.query(on: db).max(\.$position) ?? -1) + 1
        for (k, a) in r.ambitions.enumerated() {
            let m = AmbitionModel()
            m.indicatorId = id!
            m.period = a.period.description
            m.value = a.value
            m.state = a.state.rawValue
            m.note = a.note
            m.position = ambitionStart + k
            try await m.create(on: db)
        }
        let breakStart = (try await SeriesBreakModel.query(on: db).max(\.$position) ?? -1) + 1
        for (k, b) in r.breaks.enumerated() {
            let m = SeriesBreakModel()
            m.indicatorId = id!
            m.period = b.period.description
            m.note = b.note
            m.position = breakStart + k
            try await m.create(on: db)
        }
    }
}
