import Domain
import FluentKit
import Foundation
import SQLKit

/// An external identity (OpenID Connect issuer + subject) bound to a local account.
final class UserIdentityModel: Model, @unchecked Sendable {
    public static let schema = "user_identities"
    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userId: UUID
    @Field(key: "issuer") public var issuer: String
    @Field(key: "subject") public var subject: String
    @Field(key: "linked_at") public var linkedAt: Date
    public init() {}
}
