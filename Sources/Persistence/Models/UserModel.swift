import Domain
import FluentKit
import Foundation
import SQLKit

final class UserModel: Model, @unchecked Sendable {
    public static let schema = "users"
    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "name") public var name: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: String
    @Field(key: "disabled") public var disabled: Bool
    /// A generated first password stops working at this time unless the user has chosen their own.
    @OptionalField(key: "password_expires_at") public var passwordExpiresAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    public init() {}
}
