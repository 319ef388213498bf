import Domain
import FluentKit
import Foundation
import SQLKit

/// One link from a case to the strategy, so a page finds the cases that dealt with it without reading every case.
final class CaseLinkModel: Model, @unchecked Sendable {
    public static let schema = "case_links"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") var caseId: String
    @Field(key: "kind") var kind: String
    @Field(key: "target") var target: String
    public init() {}
}
