import Domain
import FluentKit
import Foundation
import SQLKit

extension ActivityModel: VersionedModel {
    public func setIdentity(_ a: Activity) {
        id = a.id
        initiativeId = a.initiativeSlug
        actorId = a.actorSlug
    }
    public func record(on db: any Database) async throws -> Activity { try domain() }
    public func apply(_ a: Activity, on db: any Database) async throws {
        phase = a.phase.rawValue
        startPeriod = a.span.start?.description
        endPeriod = a.span.end?.description
        startDay = a.span.start?.firstDay.ordinal
        endDay = a.span.end?.lastDay.ordinal
        tentative = a.tentative
        summary = a.description
        done = a.done
        writeBaselineAndDelay(a.baseline, a.delay)
    }
}

final class ActivityModel: Model, @unchecked Sendable {
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

extension ActivityModel: DelayColumns {}

extension ActivityModel {
    func domain() throws -> Activity {
        let phase = Phase(rawValue: phase)
        let (baseline, delay) = try readBaselineAndDelay()
        return Activity(
            id: id!, initiativeSlug: initiativeId, actorSlug: actorId, phase: phase,
            span: try Span(start: try startPeriod.map(Period.parse), end: try endPeriod.map(Period.parse)),
            tentative: tentative, description: summary, baseline: baseline, delay: delay, done: done ?? false)
    }
}
