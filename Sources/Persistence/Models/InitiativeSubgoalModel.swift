import Domain
import FluentKit
import Foundation
import SQLKit

final class InitiativeSubgoalModel: Model, @unchecked Sendable {
    public static let schema = "initiative_subgoals"
    @ID(key: .id) public var id: UUID?
    @Field(key: "initiative_id") var initiativeId: String
    @Field(key: "subgoal_id") var subgoalId: String
    @Field(key: "position") var position: Int
    public init() {}
}
