import Domain
import FluentKit
import Foundation

/// Unpublished changes: one pending draft per record. Nothing the public reads comes from this table.
final class DraftModel: Model, @unchecked Sendable {
    public static let schema = "drafts"
    @ID(key: .id) public var id: UUID?
    @Field(key: "entity_type") public var entityType: String
    @Field(key: "entity_id") public var entityId: String
    /// The form values, as JSON.
    @Field(key: "values") public var values: String
    /// The published version the draft was made from; publishing expects it still to be current.
    @Field(key: "base_version") public var baseVersion: Int64
    @OptionalField(key: "author_email") public var authorEmail: String?
    @Field(key: "reason") public var reason: String
    @Field(key: "updated_at") public var updatedAt: Date
    /// Grows with every save (milliseconds, never reused), so a form that showed an older draft — or none — cannot
    /// overwrite or discard a newer one unseen.
    @Field(key: "draft_version") public var draftVersion: Int64
    @OptionalField(key: "author_id") public var authorId: String?
    public init() {}
}
