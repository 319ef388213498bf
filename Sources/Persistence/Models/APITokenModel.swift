import Domain
import FluentKit
import Foundation

/// Personal access tokens for API writes. Only a hash is stored; the token is shown once at creation.
final class APITokenModel: Model, @unchecked Sendable {
    public static let schema = "api_tokens"
    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userId: UUID
    @Field(key: "name") public var name: String
    /// SHA-256 of the token, hex.
    @Field(key: "token_hash") public var tokenHash: String
    /// The first characters, so a user can tell tokens apart without the secret.
    @Field(key: "prefix") public var prefix: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    public init() {}
}
