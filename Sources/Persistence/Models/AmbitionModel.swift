import Domain
import FluentKit
import Foundation
import SQLKit

final class AmbitionModel: Model, @unchecked Sendable {
    public static let schema = "ambitions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "indicator_id") var indicatorId: String
    @Field(key: "period") var period: String
    @Field(key: "value") var value: Double
    @Field(key: "state") var state: String
    @Field(key: "note") var note: String
    @Field(key: "position") var position: Int
    public init() {}
}

extension AmbitionModel {
    func domain() throws -> Ambition {
        guard let st = AmbitionState(rawValue: state) else {
            throw DatasetStore.Corrupt(description: "ugyldig ambisjonsstatus \(state)")
        }
        return Ambition(indicatorId: indicatorId, period: try Period.parse(period), value: value, state: st, note: note)
    }
}
