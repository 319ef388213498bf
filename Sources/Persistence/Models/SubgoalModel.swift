import Domain
import FluentKit
import Foundation
import SQLKit

extension SubgoalModel: VersionedModel {
    public func setIdentity(_ s: Subgoal) {
        id = s.id
        goalId = s.goalId
    }
    public func record(on db: any Database) async throws -> Subgoal {
        guard let st = SubgoalStatus(rawValue: status) else {
            throw DatasetStore.Corrupt(description: "ugyldig delmålstatus \(status)")
        }
        return Subgoal(id: id!, goalId: goalId, title: title, status: st, description: summary)
    }
    public func apply(_ s: Subgoal, on db: any Database) async throws {
        title = s.title
        status = s.status.rawValue
        summary = s.description
    }
}

final class SubgoalModel: Model, @unchecked Sendable {
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
