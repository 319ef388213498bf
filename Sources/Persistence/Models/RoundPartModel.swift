import Domain
import FluentKit
import Foundation

final class RoundPartModel: Model, @unchecked Sendable {
    static let schema = "round_parts"
    @ID(key: .id) var id: UUID?
    @Field(key: "round_code") var roundCode: String
    @Field(key: "actor") var actor: String
    /// The part as JSON (`RoundPart`).
    @Field(key: "content") var content: String
    @Field(key: "version") var version: Int64
    init() {}
}
