import Domain
import FluentKit
import Foundation
import SQLKit

/// A meeting; dates and state as columns (lists and feeds), substitutes and breaks in the document.
final class MeetingModel: Model, @unchecked Sendable {
    public static let schema = "council_meetings"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "council_id") var councilId: String
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "state") var state: String
    @Field(key: "document") var document: String
    @Field(key: "version") var version: Int64
    public init() {}
}
