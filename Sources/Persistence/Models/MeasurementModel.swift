import Domain
import FluentKit
import Foundation
import SQLKit

final class MeasurementModel: Model, @unchecked Sendable {
    public static let schema = "measurements"
    @ID(key: .id) public var id: UUID?
    @Field(key: "indicator_id") var indicatorId: String
    @Field(key: "period") var period: String
    /// First day of the period (days since 1970), for ordering in SQL.
    @Field(key: "period_day") var periodDay: Int
    @Field(key: "dimension") var dimension: String
    @Field(key: "member") var member: String
    @Field(key: "value") var value: Double
    @Field(key: "note") var note: String
    @Field(key: "source") var source: String
    @Field(key: "position") var position: Int
    /// The data version of the value's last write (M020): one value is changed or removed at the version it was read.
    @OptionalField(key: "version") var version: Int64?
    public init() {}
}

extension MeasurementModel {
    func domain() throws -> IndicatorMeasurement {
        IndicatorMeasurement(
            indicatorId: indicatorId, period: try Period.parse(period), value: value, dimension: dimension,
            member: member, note: note, source: source)
    }
}
