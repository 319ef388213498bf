import Domain
import FluentKit
import Foundation
import SQLKit

final class ReportModel: Model, @unchecked Sendable {
    public static let schema = "reports"
    @ID(key: .id) public var id: UUID?
    @Field(key: "period") var period: String
    @Field(key: "revision") var revision: Int
    @Field(key: "state") var state: String
    @Field(key: "horizon") var horizon: String
    @Field(key: "correction_reason") var correctionReason: String
    /// The frozen page model, written once at publishing.
    @OptionalField(key: "snapshot") var snapshot: String?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @Field(key: "version") var version: Int64
    public init() {}
}
