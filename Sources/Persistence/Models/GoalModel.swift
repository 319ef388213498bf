import Domain
import FluentKit
import Foundation
import SQLKit

extension GoalModel: VersionedModel {
    public func setIdentity(_ g: Goal) { id = g.id }
    public func record(on db: any Database) async throws -> Goal {
        Goal(id: id!, title: title, description: summary, outcomes: outcomes.split(separator: "\n").map(String.init))
    }
    public func apply(_ g: Goal, on db: any Database) async throws {
        title = g.title
        summary = g.description
        outcomes = g.outcomes.joined(separator: "\n")
    }
}

final class GoalModel: Model, @unchecked Sendable {
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
