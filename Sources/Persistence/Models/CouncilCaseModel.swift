import Domain
import FluentKit
import Foundation
import SQLKit

/// A case. The unique (council, year, sequence) is the database's guarantee that a number is never given twice.
final class CouncilCaseModel: Model, @unchecked Sendable {
    public static let schema = "council_cases"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "meeting_id") var meetingId: String
    @Field(key: "council_id") var councilId: String
    @Field(key: "year") var year: Int
    @Field(key: "sequence") var sequence: Int
    @Field(key: "document") var document: String
    @Field(key: "version") var version: Int64
    public init() {}
}
