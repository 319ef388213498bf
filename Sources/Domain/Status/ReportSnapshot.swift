import Foundation

/// Everything a report page shows, resolved against the data of its period. A draft is built live;
/// publishing stores this snapshot, and the published page is rendered from it alone, so later edits
/// to goals, indicators or texts never change a published report.
public struct ReportSnapshot: Hashable, Sendable, Codable {
    public struct Item: Hashable, Sendable, Codable {
        public let id: String
        public let title: String
        public let assessment: Assessment
        public let previous: Assessment?
        /// The indicator's value in the period, e.g. "28 % (2023)".
        public let value: String?
        /// The computed progress category (raw value) and its name.
        public let computed: String?
        public let computedName: String?
        /// The hand-assessed status and the computed one point to different lights.
        public let disagreement: Bool
    }

    public struct GoalPart: Hashable, Sendable, Codable {
        public let id: String
        public let title: String
        public let assessment: Assessment
        public let previous: Assessment?
        public let positives: String
        public let followUps: String
        public let strategicThemes: String
        public let otherInfo: String
        public let candidateIndicators: String
        public let candidateSubgoals: String
        public let subgoals: [Item]
        public let indicators: [Item]
    }

    public struct Overarching: Hashable, Sendable, Codable {
        public let id: String
        public let title: String
        public let comment: String
    }

    public let period: String
    public let periodName: String
    public let revision: Int
    public let horizon: String
    public let strategyTitle: String
    public let previousPeriod: String?
    public let previousPeriodName: String?
    public let overall: Assessment
    public let overallPrevious: Assessment?
    public let positives: String
    public let followUps: String
    public let strategicThemes: String
    public let otherInfo: String
    public let overarching: [Overarching]
    public let goals: [GoalPart]
    public let delays: [DelayFigures]
    public let benefit: SurveyShares
    public let correctionReason: String
    /// The goal whose section carries the computed delay figures (`Strategy.delayGoal`); "" for the report as a whole.
    /// Nil only in snapshots frozen before it existed.
    public let delayGoal: String?
    /// The delay figures computed from the reporting round of the report's period, when there is one.
    public var roundDelays: RoundDelaySummary? = nil

    /// Where the computed figures go: a goal of this report, or nil for the overall section. A snapshot frozen before
    /// `delayGoal` existed was rendered with them in goal 5's section (the renderer then knew only the Norwegian
    /// strategy), and a frozen report must keep looking as it was published.
    public var delayFiguresGoal: String? {
        let id = delayGoal ?? Self.legacyDelayGoal
        return goals.contains { $0.id == id } ? id : nil
    }
    static let legacyDelayGoal = "5"

    public static func build(
        period: Period, revision: Int, content c: ReportContent, previous: ReportSnapshot?, dataset d: Dataset,
        correctionReason: String = "", roundDelays: RoundDelaySummary? = nil
    ) -> ReportSnapshot {
        let end = period.lastDay
        let seriesOf = Dictionary(
            d.series(of: d.indicators).map { ($0.indicator.id, $0) }, uniquingKeysWith: { a, _ in a })
        let previousGoals = Dictionary((previous?.goals ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let goals = c.goals.map { section -> GoalPart in
            let before = previousGoals[section.goalId]
            let beforeSub = Dictionary(
                (before?.subgoals ?? []).map { ($0.id, $0.assessment) }, uniquingKeysWith: { a, _ in a })
            let beforeInd = Dictionary(
                (before?.indicators ?? []).map { ($0.id, $0.assessment) }, uniquingKeysWith: { a, _ in a })
            let subgoals = section.subgoals.map { item in
                Item(
                    id: item.id, title: d.subgoal(item.id).map { "\($0.id) \($0.title)" } ?? item.id,
                    assessment: item.assessment, previous: beforeSub[item.id], value: nil, computed: nil,
                    computedName: nil, disagreement: false)
            }
            let indicators = section.indicators.map { item -> Item in
                guard let indicator = d.indicator(item.id) else {
                    return Item(
                        id: item.id, title: item.id, assessment: item.assessment, previous: beforeInd[item.id],
                        value: nil, computed: nil, computedName: nil, disagreement: false)
                }
                // The series as it stood at the end of the period: measurements whose own period has ended by then.
                let full = seriesOf[indicator.id] ?? d.series(of: indicator)
                let series = IndicatorSeries(
                    indicator: indicator, measurements: full.measurements.filter { $0.period.lastDay <= end },
                    ambitions: full.ambitions, breaks: full.breaks.filter { $0.period.firstDay <= end })
                let progress = Progress.assess(series)
                let light = ReportRules.light(for: progress.category)
                return Item(
                    id: indicator.id, title: indicator.name, assessment: item.assessment,
                    previous: beforeInd[item.id],
                    value: series.latest.map { "\(indicator.unit.format($0.value)) (\($0.period.norwegian))" },
                    computed: progress.category.rawValue, computedName: progress.category.name,
                    disagreement: light != nil && item.assessment.status != nil && light != item.assessment.status)
            }
            let goal = d.goal(section.goalId)
            return GoalPart(
                id: section.goalId, title: goal.map { "Mål \($0.id): \($0.title)" } ?? "Mål \(section.goalId)",
                assessment: section.assessment, previous: before?.assessment, positives: section.positives,
                followUps: section.followUps,
                strategicThemes: section.strategicThemes, otherInfo: section.otherInfo,
                candidateIndicators: section.candidateIndicators,
                candidateSubgoals: section.candidateSubgoals, subgoals: subgoals, indicators: indicators)
        }
        let overarching = c.overall.overarching.map { item in
            Overarching(
                id: item.id, title: d.overarchingGoals.first { $0.id == item.id }?.title ?? item.id,
                comment: item.assessment.comment)
        }
        return ReportSnapshot(
            period: period.description, periodName: period.norwegian, revision: revision, horizon: c.horizon,
            strategyTitle: d.strategy.title, previousPeriod: previous?.period, previousPeriodName: previous?.periodName,
            overall: c.overall.assessment, overallPrevious: previous?.overall, positives: c.overall.positives,
            followUps: c.overall.followUps, strategicThemes: c.overall.strategicThemes, otherInfo: c.overall.otherInfo,
            overarching: overarching, goals: goals, delays: DelayFigures.compute(d, at: period),
            benefit: SurveyShares(c.overall.benefitAnswers), correctionReason: correctionReason,
            delayGoal: d.strategy.delayGoal ?? "", roundDelays: roundDelays)
    }

    /// Stable JSON (sorted keys), so a stored snapshot reads back identically.
    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> ReportSnapshot {
        try JSONDecoder().decode(ReportSnapshot.self, from: Data(text.utf8))
    }
}

/// An indicator's latest published hand assessment and the report it is from, shown beside the computed status.
public struct PublishedAssessment: Hashable, Sendable {
    public let assessment: Assessment
    public let period: String
    public let periodName: String
    public init(assessment: Assessment, period: String, periodName: String) {
        self.assessment = assessment
        self.period = period
        self.periodName = periodName
    }

    /// Per indicator id: the newest published report that gave it a status (snapshots newest first).
    public static func latestByIndicator(_ snapshots: [ReportSnapshot]) -> [String: PublishedAssessment] {
        var result: [String: PublishedAssessment] = [:]
        for s in snapshots {
            for item in s.goals.flatMap(\.indicators) where item.assessment.status != nil && result[item.id] == nil {
                result[item.id] = PublishedAssessment(
                    assessment: item.assessment, period: s.period, periodName: s.periodName)
            }
        }
        return result
    }
}
