import Domain
import FluentKit
import Foundation
import SQLKit

final class AuditModel: Model, @unchecked Sendable {
    public static let schema = "audit_log"
    @ID(key: .id) public var id: UUID?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "user_id") public var userId: String?
    @OptionalField(key: "user_email") public var userEmail: String?
    @Field(key: "source") public var source: String
    @Field(key: "entity_type") public var entityType: String
    @Field(key: "entity_id") public var entityId: String
    @Field(key: "action") public var action: String
    /// JSON array of [field, value] pairs, in display order.
    @OptionalField(key: "before") public var before: String?
    @OptionalField(key: "after") public var after: String?
    @Field(key: "reason") public var reason: String
    /// The hash chain (`AuditChain`): position, the previous entry's hash, and this entry's.
    @OptionalField(key: "seq") public var seq: Int64?
    @OptionalField(key: "prev_hash") public var prevHash: String?
    @OptionalField(key: "hash") public var hash: String?
    /// The record's form values after the change (JSON object), so a version can be restored exactly.
    @OptionalField(key: "after_values") public var afterValues: String?
    public init() {}
}
