import Domain
import FluentKit
import Foundation

final class RoadmapVersionModel: Model, @unchecked Sendable {
    static let schema = "roadmap_versions"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "published_on") var publishedOn: String
    /// The version as JSON (`RoadmapVersion`), items included: written once, never changed.
    @Field(key: "content") var content: String
    init() {}
}
