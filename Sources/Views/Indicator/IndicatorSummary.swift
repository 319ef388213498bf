import Charts
import Domain
@preconcurrency import Plot
import Routes

extension IndicatorSummary {
    /// The comparable run as a small chart for tables.
    public var sparkline: String {
        Sparkline.svg(
            values: Progress.comparableRun(series).map { ($0.period.fractionalYear, $0.value) },
            ceiling: indicator.unit.ceiling)
    }
}

extension Fragments {
    /// The computed status as symbol and word, so it survives greyscale printing.
    public static func progressBadge(_ category: ProgressCategory) -> Node<HTML.BodyContext> {
        .span(
            .class("status status-\(category.rawValue)"),
            .span(.attribute(named: "aria-hidden", value: "true"), .text(category.symbol)), .text(" " + category.name))
    }

    /// The latest published hand assessment with the report it is from, or "Ikke vurdert".
    public static func assessed(_ p: PublishedAssessment?) -> Node<HTML.BodyContext> {
        guard let p else { return light(nil) }
        return .group(
            light(p.assessment), .text(" ("), .a(.href(SiteURL.report(p.period).path), .text(p.periodName)), .text(")"))
    }

    public static func readinessBadge(_ readiness: Readiness) -> Node<HTML.BodyContext> {
        .span(.class("badge readiness-\(readiness.rawValue)"), .text(readiness.name))
    }
}

/// How indicators are grouped on the list and the dashboard: overarching goals, strategic goals, international.
public struct IndicatorGroup: Sendable {
    public let id: String
    public let title: String
    public let url: String?
    public let summaries: [IndicatorSummary]

    public static func groups(
        _ d: Dataset, today: Day, include: (Indicator) -> Bool, order: (Indicator, Indicator) -> Bool,
        assessed: [String: PublishedAssessment] = [:],
        keep: (IndicatorSummary) -> Bool = { _ in true },
        sort: ((IndicatorSummary, IndicatorSummary) -> Bool)? = nil
    ) -> [IndicatorGroup] {
        var summaries = d.series(of: d.indicators.filter(include).sorted(by: order)).map {
            IndicatorSummary(
                series: $0, today: today, strategyEnd: d.strategy.periodEnd, assessed: assessed[$0.indicator.id])
        }.filter(keep)
        if let sort {
            summaries = summaries.enumerated().sorted {
                sort($0.element, $1.element) || (!sort($1.element, $0.element) && $0.offset < $1.offset)
            }.map(\.element)
        }
        var groups: [IndicatorGroup] = []
        for og in d.overarchingGoals {
            groups.append(
                IndicatorGroup(
                    id: "overordnet-\(og.id)", title: "Overordnet mål: \(og.title)", url: nil,
                    summaries: summaries.filter { $0.indicator.overarchingGoalId == og.id }))
        }
        for g in d.goals {
            groups.append(
                IndicatorGroup(
                    id: "mal-\(g.id)", title: "Mål \(g.id): \(g.title)",
                    url: SiteURL.goal(g.id).path,
                    summaries: summaries.filter { $0.indicator.goalIds.contains(g.id) }))
        }
        groups.append(
            IndicatorGroup(
                id: "internasjonalt", title: "Plassering på internasjonale målinger", url: nil,
                summaries: summaries.filter(\.indicator.international)))
        return groups.filter { !$0.summaries.isEmpty }
    }
}
