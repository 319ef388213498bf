import Domain
import FluentKit
import Foundation
import SQLKit

extension MilestoneModel: VersionedModel {
    public func setIdentity(_ m: Milestone) {
        id = m.id
        initiativeId = m.initiativeSlug
        actorId = m.actorSlug
    }
    func domain() throws -> Milestone {
        guard let k = MilestoneKind(rawValue: kind) else {
            throw DatasetStore.Corrupt(description: "ugyldig milepælstype \(kind)")
        }
        let (baseline, delay) = try readBaselineAndDelay()
        return Milestone(
            id: id!, initiativeSlug: initiativeId, actorSlug: actorId, kind: k, date: try Period.parse(datePeriod),
            tentative: tentative,
            description: summary, baseline: baseline, delay: delay, done: done ?? false)
    }

    public func record(on db: any Database) async throws -> Milestone {
        try domain()
    }
    public func apply(_ m: Milestone, on db: any Database) async throws {
        kind = m.kind.rawValue
        datePeriod = m.date.description
        dateDay = m.date.firstDay.ordinal
        tentative = m.tentative
        summary = m.description
        done = m.done
        writeBaselineAndDelay(m.baseline, m.delay)
    }
}

final class MilestoneModel: Model, @unchecked Sendable {
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

extension MilestoneModel: DelayColumns {}
