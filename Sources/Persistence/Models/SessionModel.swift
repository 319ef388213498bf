import Crypto
import FluentKit
import Foundation

/// One signed-in session. The cookie carries `key` plus a signature; the row is the only authority.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    /// SHA-256 of the session key: a copy of the database (a backup) holds no usable session.
    @Field(key: "key") var key: String
    /// JSON object of the session's string values.
    @Field(key: "data") var data: String
    @OptionalField(key: "user_id") var userId: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "seen_at") var seenAt: Date
    init() {}
}
