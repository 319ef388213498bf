import Domain
import FluentKit
import Foundation

final class ReportingRoundModel: Model, @unchecked Sendable {
    static let schema = "reporting_rounds"
    @ID(key: .id) var id: UUID?
    /// The period's text, one round per period.
    @Field(key: "code") var code: String
    /// The round as JSON (`ReportingRound`): scope, deadline, note, times.
    @Field(key: "content") var content: String
    @Field(key: "version") var version: Int64
    init() {}
}
