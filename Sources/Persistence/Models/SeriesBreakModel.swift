import Domain
import FluentKit
import Foundation
import SQLKit

final class SeriesBreakModel: Model, @unchecked Sendable {
    public static let schema = "series_breaks"
    @ID(key: .id) public var id: UUID?
    @Field(key: "indicator_id") var indicatorId: String
    @Field(key: "period") var period: String
    @Field(key: "note") var note: String
    @Field(key: "position") var position: Int
    public init() {}
}

extension SeriesBreakModel {
    func domain() throws -> SeriesBreak {
        SeriesBreak(indicatorId: indicatorId, period: try Period.parse(period), note: note)
    }
}
