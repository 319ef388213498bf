import Domain
import FluentKit
import Foundation
import SQLKit

final class OverarchingGoalModel: Model, @unchecked Sendable {
    public static let schema = "overarching_goals"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "title") var title: String
    @Field(key: "description") var summary: String
    @Field(key: "position") var position: Int
    public init() {}
}
