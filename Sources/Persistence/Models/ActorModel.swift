import Domain
import FluentKit
import Foundation
import SQLKit

extension ActorModel: VersionedModel {
    public func setIdentity(_ a: Actor) { id = a.slug }
    public func record(on db: any Database) async throws -> Actor {
        let t = ActorType(rawValue: type)
        return Actor(slug: id!, name: name, shortName: shortName, type: t, parentSlug: parentId, description: summary)
    }
    public func apply(_ a: Actor, on db: any Database) async throws {
        name = a.name
        shortName = a.shortName
        type = a.type.rawValue
        parentId = a.parentSlug
        summary = a.description
    }
}

final class ActorModel: Model, @unchecked Sendable {
    public static let schema = "actors"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "name") var name: String
    @Field(key: "short_name") var shortName: String
    @Field(key: "type") var type: String
    @OptionalField(key: "parent_id") var parentId: String?
    @Field(key: "description") var summary: String
    @Field(key: "position") public var position: Int
    /// Optimistic-concurrency version: the data version at the last write of this row.
    @Field(key: "version") public var version: Int64
    /// Retired records stay (history, restore) but are gone from pages, search and exports (M019).
    @OptionalField(key: "retired") public var retired: Bool?
    public init() {}
}
