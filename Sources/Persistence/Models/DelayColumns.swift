import Domain
import FluentKit
import Foundation
import SQLKit

/// Baseline and delay columns shared by activities and milestones.
protocol DelayColumns: AnyObject {
    var baselinePeriod: String? { get set }
    var delayKind: String? { get set }
    var delayCause: String? { get set }
    var delayNote: String? { get set }
}

extension DelayColumns {
    func readBaselineAndDelay() throws -> (Period?, Delay?) {
        let baseline = try baselinePeriod.map(Period.parse)
        guard let k = delayKind else { return (baseline, nil) }
        guard let kind = DelayKind(rawValue: k), let cause = DelayCause(rawValue: delayCause ?? "") else {
            throw DatasetStore.Corrupt(description: "ugyldig forsinkelse \(k)/\(delayCause ?? "")")
        }
        return (baseline, Delay(kind: kind, cause: cause, note: delayNote ?? ""))
    }

    func writeBaselineAndDelay(_ baseline: Period?, _ delay: Delay?) {
        baselinePeriod = baseline?.description
        delayKind = delay?.kind.rawValue
        delayCause = delay?.cause.rawValue
        delayNote = delay?.note
    }
}
