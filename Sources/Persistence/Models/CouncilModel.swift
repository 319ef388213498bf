import Domain
import FluentKit
import Foundation
import SQLKit

/// A council: its names over time, mandate and responsibilities as one document.
final class CouncilModel: Model, @unchecked Sendable {
    public static let schema = "councils"
    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "position") var position: Int
    @Field(key: "document") var document: String
    @Field(key: "version") var version: Int64
    public init() {}
}
