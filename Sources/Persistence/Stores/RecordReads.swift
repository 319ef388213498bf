import Domain
import FluentKit
import Foundation
import SQLKit

/// One record as it is stored now, read by a server instance replaying the change feed.
public enum StoredRecord: Sendable {
    case goal(Goal)
    case subgoal(Subgoal)
    case actor(Actor)
    case initiative(Initiative)
    case activity(Activity)
    case milestone(Milestone)
    case indicator(Indicator, ambitions: [Ambition], breaks: [SeriesBreak])
}

extension DatasetStore {
    /// The record a part names, as stored now; nil when it no longer exists, or when the part is not a single record.
    public static func current(_ part: DataPart, on db: any Database) async throws -> StoredRecord? {
        switch part {
        case .goal(let id):
            guard let m = try await GoalModel.live(id, on: db) else { return nil }
            return .goal(try await m.record(on: db))
        case .subgoal(let id):
            guard let m = try await SubgoalModel.live(id, on: db) else { return nil }
            return .subgoal(try await m.record(on: db))
        case .actor(let id):
            guard let m = try await ActorModel.live(id, on: db) else { return nil }
            return .actor(try await m.record(on: db))
        case .initiative(let id):
            guard let m = try await InitiativeModel.live(id, on: db) else { return nil }
            return .initiative(try await m.record(on: db))
        case .activity(let id):
            return try await ActivityModel.live(id, on: db).map { .activity(try $0.domain()) }
        case .milestone(let id):
            return try await MilestoneModel.live(id, on: db).map { .milestone(try $0.domain()) }
        case .indicator(let id):
            guard let m = try await IndicatorModel.live(id, on: db) else { return nil }
            return .indicator(
                try m.domainIndicator(),
                ambitions: try await AmbitionModel.query(on: db).filter(\.$indicatorId == id).sort(\.$position).all()
                    .map { try $0.domain() },
                breaks: try await SeriesBreakModel.query(on: db).filter(\.$indicatorId == id).sort(\.$position).all()
                    .map { try $0.domain() })
        case .everything, .strategy, .measurements, .reports, .councils, .scoring, .rounds, .versions:
            return nil
        }
    }
}

extension IndicatorStore {
    /// The measurements of some indicators, in stored order; with `headlineOnly`, without their breakdowns
    /// (what summaries and lists need). Pages read these per request instead of holding every value in memory.
    public static func measurements(
        of indicatorIds: [String], headlineOnly: Bool = false,
        on db: any Database
    ) async throws -> [IndicatorMeasurement] {
        // Plain rows, not Fluent models: a list page can read a hundred thousand values.
        struct Row: Decodable {
            let indicator_id: String, period: String, value: Double, dimension: String, member: String, note: String,
                source: String
            let position: Int
        }
        let sql = db.sql
        var rows: [Row] = []
        var start = 0
        while start < indicatorIds.count {
            let chunk = Array(indicatorIds[start..<min(start + 500, indicatorIds.count)])
            start += chunk.count
            var query = sql.select().columns(
                "indicator_id", "period", "value", "dimension", "member", "note", "source", "position"
            )
            .from("measurements").where(SQLIdentifier("indicator_id"), .in, SQLBind.group(chunk))
            if headlineOnly { query = query.where("dimension", .equal, "") }
            rows += try await query.all(decoding: Row.self)
        }
        rows.sort { $0.position < $1.position }
        return try rows.map {
            IndicatorMeasurement(
                indicatorId: $0.indicator_id, period: try Period.parse($0.period), value: $0.value,
                dimension: $0.dimension,
                member: $0.member, note: $0.note, source: $0.source)
        }
    }
}
