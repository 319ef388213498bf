import Domain
import FluentKit
import Foundation
import SQLKit

final class CouncilMemberModel: Model, @unchecked Sendable {
    public static let schema = "council_members"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "council_id") var councilId: String
    @Field(key: "name") var name: String
    @Field(key: "title") var title: String
    @Field(key: "organisation") var organisation: String
    @Field(key: "role") var role: String
    @OptionalField(key: "from_day") var fromDay: String?
    @OptionalField(key: "until_day") var untilDay: String?
    @OptionalField(key: "replaces") var replaces: String?
    public init() {}
}
