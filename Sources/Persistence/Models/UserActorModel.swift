import Domain
import FluentKit
import Foundation
import SQLKit

final class UserActorModel: Model, @unchecked Sendable {
    public static let schema = "user_actors"
    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") var userId: UUID
    /// A slug, not a foreign key: whole-dataset imports replace the actor rows.
    @Field(key: "actor_slug") var actorSlug: String
    public init() {}
}
