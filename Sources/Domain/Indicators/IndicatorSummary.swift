import Foundation

/// One indicator's headline figures, shared by the list, the dashboard and the goal pages.
public struct IndicatorSummary: Sendable {
    public let indicator: Indicator
    public let series: IndicatorSeries
    public let progress: ProgressAssessment
    public let nextAmbition: Ambition?
    /// The last ambition, whatever its year ("Endelig ambisjon").
    public let finalAmbition: Ambition?
    /// The year trends are drawn to: the final ambition's, or the strategy's last year.
    public let horizonYear: Int
    public let projection: Projection?
    /// The latest published hand assessment, beside the computed status.
    public let assessed: PublishedAssessment?

    public init(series: IndicatorSeries, today: Day, strategyEnd: Int, assessed: PublishedAssessment? = nil) {
        self.assessed = assessed
        self.indicator = series.indicator
        self.series = series
        self.progress = Progress.assess(series)
        self.nextAmbition = series.nextAmbition(after: today)
        self.finalAmbition = series.finalAmbition
        self.horizonYear = series.horizonYear(strategyEnd: strategyEnd)
        self.projection = Projection.fit(series, through: horizonYear)
    }

    public var latestText: String {
        guard let latest = series.latest else { return "Ingen data" }
        return "\(indicator.unit.format(latest.value)) (\(latest.period.norwegian))"
    }

    /// "+2 prosentpoeng siden 2022", or why there is no comparable change.
    public var changeText: String {
        guard let latest = series.latest, let previous = series.previous else { return "–" }
        if series.breakBetween(previous.period, latest.period) != nil { return "Ikke sammenlignbar (brudd i serien)" }
        return "\(indicator.unit.formatChange(latest.value - previous.value)) siden \(previous.period.norwegian)"
    }

    public func ambitionText(_ a: Ambition?) -> String {
        if let a { return "\(indicator.unit.format(a.value)) i \(a.period.norwegian) (\(a.state.name.lowercased()))" }
        return indicator.noAmbitionReason.isEmpty ? "Ikke satt" : "Ikke foreslått"
    }
}
