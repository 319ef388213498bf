import Domain
import FluentKit
import Foundation

/// A scoring round as one document: the model version it used, candidates, answers with notes, the sheet's own figures.
final class ScoringRoundModel: Model, @unchecked Sendable {
    public static let schema = "scoring_rounds"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "title") var title: String
    @OptionalField(key: "date") var date: String?
    @Field(key: "model_id") var modelId: String
    @Field(key: "model_version") var modelVersion: Int
    @Field(key: "document") var document: String
    @Field(key: "version") var version: Int64
    public init() {}
}
