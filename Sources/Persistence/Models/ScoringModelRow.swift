import Domain
import FluentKit
import Foundation

/// One version of a scoring model; a new version never changes the rounds that used an older one.
final class ScoringModelRow: Model, @unchecked Sendable {
    public static let schema = "scoring_models"
    @ID(key: .id) public var id: UUID?
    @Field(key: "model_id") var modelId: String
    @Field(key: "version") var version: Int
    @Field(key: "document") var document: String
    @Field(key: "created_at") var createdAt: Date
    public init() {}
}
