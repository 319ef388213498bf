import Domain
import FluentKit
import Foundation
import SQLKit

final class ReportSectionModel: Model, @unchecked Sendable {
    public static let schema = "report_sections"
    @ID(key: .id) public var id: UUID?
    @Field(key: "report_id") var reportId: UUID
    /// `helhet` or `mal-<goal id>`.
    @Field(key: "key") var key: String
    @Field(key: "content") var content: String
    @Field(key: "position") var position: Int
    @Field(key: "version") var version: Int64
    public init() {}
}
