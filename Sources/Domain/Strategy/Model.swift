import Foundation

public enum MilestoneKind: String, CaseIterable, Sendable, Codable {
    case tilgjengelig
    case forelopig
    case ferdigstilt

    public var name: String {
        switch self {
        case .tilgjengelig: "Tjeneste/funksjonalitet tilgjengelig for innføring"
        case .forelopig: "Foreløpig tilgjengelighetsdato"
        case .ferdigstilt: "Innføring ferdigstilt"
        }
    }
}

public enum SubgoalStatus: String, CaseIterable, Sendable, Codable {
    case adopted, candidate
    public var name: String { self == .adopted ? "Vedtatt" : "Kandidat" }
}

public enum InitiativeKind: String, CaseIterable, Sendable, Codable {
    case national, actor
    public var name: String { self == .national ? "Nasjonalt tiltak" : "Aktørstyrt tiltak" }
}

public struct Strategy: Hashable, Sendable {
    public var title: String
    public var version: String
    public var periodStart: Int
    public var periodEnd: Int
    public var vision: String
    /// What follows "Veikart ·" in the header and ends page titles; empty: the title.
    public var shortName: String
    /// One sentence for the front page and search engines; empty: the title and period.
    public var summary: String
    /// Where the data comes from, for the footer; empty: nothing is said.
    public var source: String
    /// The heading over each goal's outcomes; empty: "Frem mot <period end> skal vi oppnå".
    public var outcomesHeading: String
    /// The goal whose status-report section shows the computed delay figures; nil: the report as a whole.
    public var delayGoal: String?
    /// The first year the roadmap's time axis shows (earlier starts are drawn as begun earlier); nil: the earliest
    /// year of the period or the data.
    public var roadmapStart: Int?
    /// The value chain's phases in order (phases.csv) and the kinds of actors (actor_types.csv).
    public var phases: PhaseCatalog
    public var actorTypes: ActorTypeCatalog

    public init(
        title: String, version: String, periodStart: Int, periodEnd: Int, vision: String,
        shortName: String = "", summary: String = "", source: String = "", outcomesHeading: String = "",
        delayGoal: String? = nil, roadmapStart: Int? = nil, phases: PhaseCatalog = .defaults,
        actorTypes: ActorTypeCatalog = .defaults
    ) {
        self.title = title
        self.version = version
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.vision = vision
        self.shortName = shortName
        self.summary = summary
        self.source = source
        self.outcomesHeading = outcomesHeading
        self.delayGoal = delayGoal
        self.roadmapStart = roadmapStart
        self.phases = phases
        self.actorTypes = actorTypes
    }

    public var period: ClosedRange<Int> { periodStart...periodEnd }
    public var periodText: String { "\(periodStart)–\(periodEnd)" }
    public var displayShortName: String { shortName.isEmpty ? title : shortName }
    public var displaySummary: String { summary.isEmpty ? "\(title) \(periodText)." : summary }
    public var displayOutcomesHeading: String {
        outcomesHeading.isEmpty ? "Frem mot \(periodEnd) skal vi oppnå" : outcomesHeading
    }
}

public struct OverarchingGoal: Hashable, Sendable {
    public var id: String
    public var title: String
    public var description: String
    public init(id: String, title: String, description: String) {
        self.id = id
        self.title = title
        self.description = description
    }
}

public struct Goal: Hashable, Sendable {
    public var id: String  // "1" … "5"
    public var title: String
    public var description: String
    /// What shall have been achieved by the end of the period (`Strategy.displayOutcomesHeading`).
    public var outcomes: [String]
    public init(id: String, title: String, description: String, outcomes: [String]) {
        self.id = id
        self.title = title
        self.description = description
        self.outcomes = outcomes
    }
}

public struct Subgoal: Hashable, Sendable {
    public var id: String  // "1.A"
    public var goalId: String
    public var title: String
    public var status: SubgoalStatus
    public var description: String
    public init(id: String, goalId: String, title: String, status: SubgoalStatus, description: String) {
        self.id = id
        self.goalId = goalId
        self.title = title
        self.status = status
        self.description = description
    }
}

public struct Actor: Hashable, Sendable {
    public var slug: String
    public var name: String
    public var shortName: String
    public var type: ActorType
    public var parentSlug: String?
    public var description: String
    public init(
        slug: String, name: String, shortName: String, type: ActorType, parentSlug: String?, description: String
    ) {
        self.slug = slug
        self.name = name
        self.shortName = shortName
        self.type = type
        self.parentSlug = parentSlug
        self.description = description
    }
}

public struct Initiative: Hashable, Sendable {
    public var slug: String
    public var title: String
    public var shortTitle: String
    public var kind: InitiativeKind
    public var priorityRank: Int?
    public var subgoalIds: [String]
    public var target: String
    public var description: String
    public init(
        slug: String, title: String, shortTitle: String, kind: InitiativeKind, priorityRank: Int?, subgoalIds: [String],
        target: String, description: String
    ) {
        self.slug = slug
        self.title = title
        self.shortTitle = shortTitle
        self.kind = kind
        self.priorityRank = priorityRank
        self.subgoalIds = subgoalIds
        self.target = target
        self.description = description
    }
}

public struct Activity: Hashable, Sendable {
    public var id: String
    public var initiativeSlug: String
    public var actorSlug: String
    public var phase: Phase
    public var span: Span
    public var tentative: Bool
    public var description: String
    /// The end first planned, kept next to the current one so slippage is visible.
    public var baseline: Period?
    /// A significant delay, as the reporter records it.
    public var delay: Delay?
    /// Reported as carried out ("ferdig"): an end in the past is then no longer a question for the reporter.
    public var done: Bool
    public init(
        id: String, initiativeSlug: String, actorSlug: String, phase: Phase, span: Span, tentative: Bool,
        description: String,
        baseline: Period? = nil, delay: Delay? = nil, done: Bool = false
    ) {
        self.id = id
        self.initiativeSlug = initiativeSlug
        self.actorSlug = actorSlug
        self.phase = phase
        self.span = span
        self.tentative = tentative
        self.description = description
        self.baseline = baseline
        self.delay = delay
        self.done = done
    }
}

public enum DelayKind: String, CaseIterable, Sendable, Codable {
    case utvikling, innforing
    public var name: String { self == .utvikling ? "Forsinkelse i utvikling" : "Forsinkelse i innføring" }
}

/// The causes the status report counts delays by.
public enum DelayCause: String, CaseIterable, Sendable, Codable {
    case regelverk, finansiering, leverandor, annet
    public var name: String {
        switch self {
        case .regelverk: "Behov for regelverksutvikling"
        case .finansiering: "Finansiering"
        case .leverandor: "Leverandørutfordringer"
        case .annet: "Andre årsaker"
        }
    }
}

public struct Delay: Hashable, Sendable, Codable {
    public var kind: DelayKind
    public var cause: DelayCause
    public var note: String
    public init(kind: DelayKind, cause: DelayCause, note: String) {
        self.kind = kind
        self.cause = cause
        self.note = note
    }
}

public struct Milestone: Hashable, Sendable {
    public var id: String
    public var initiativeSlug: String
    public var actorSlug: String?
    public var kind: MilestoneKind
    public var date: Period
    public var tentative: Bool
    public var description: String
    /// The date first planned, kept next to the current one.
    public var baseline: Period?
    public var delay: Delay?
    /// Reached ("ferdig").
    public var done: Bool
    public init(
        id: String, initiativeSlug: String, actorSlug: String?, kind: MilestoneKind, date: Period, tentative: Bool,
        description: String,
        baseline: Period? = nil, delay: Delay? = nil, done: Bool = false
    ) {
        self.id = id
        self.initiativeSlug = initiativeSlug
        self.actorSlug = actorSlug
        self.kind = kind
        self.date = date
        self.tentative = tentative
        self.description = description
        self.baseline = baseline
        self.delay = delay
        self.done = done
    }
}

/// The whole published dataset: strategy, structure and roadmap. What import reads and export writes.
public struct Dataset: Hashable, Sendable {
    public var strategy: Strategy
    public var overarchingGoals: [OverarchingGoal]
    public var goals: [Goal]
    public var subgoals: [Subgoal]
    public var actors: [Actor]
    public var initiatives: [Initiative]
    public var activities: [Activity]
    public var milestones: [Milestone]
    public var indicators: [Indicator]
    public var measurements: [IndicatorMeasurement]
    public var ambitions: [Ambition]
    public var seriesBreaks: [SeriesBreak]

    public init(
        strategy: Strategy, overarchingGoals: [OverarchingGoal], goals: [Goal], subgoals: [Subgoal], actors: [Actor],
        initiatives: [Initiative], activities: [Activity], milestones: [Milestone],
        indicators: [Indicator] = [], measurements: [IndicatorMeasurement] = [], ambitions: [Ambition] = [],
        seriesBreaks: [SeriesBreak] = []
    ) {
        self.strategy = strategy
        self.overarchingGoals = overarchingGoals
        self.goals = goals
        self.subgoals = subgoals
        self.actors = actors
        self.initiatives = initiatives
        self.activities = activities
        self.milestones = milestones
        self.indicators = indicators
        self.measurements = measurements
        self.ambitions = ambitions
        self.seriesBreaks = seriesBreaks
    }

    public func goal(_ id: String) -> Goal? { goals.first { $0.id == id } }
    public func subgoal(_ id: String) -> Subgoal? {
        subgoals.first { $0.id.caseInsensitiveCompare(id) == .orderedSame }
    }
    public func actor(_ slug: String) -> Actor? { actors.first { $0.slug == slug } }
    public func initiative(_ slug: String) -> Initiative? { initiatives.first { $0.slug == slug } }
    public func subgoals(ofGoal id: String) -> [Subgoal] { subgoals.filter { $0.goalId == id } }
    public func initiatives(ofSubgoal id: String) -> [Initiative] { initiatives.filter { $0.subgoalIds.contains(id) } }
    public func activities(ofInitiative slug: String) -> [Activity] { activities.filter { $0.initiativeSlug == slug } }
    public func milestones(ofInitiative slug: String) -> [Milestone] { milestones.filter { $0.initiativeSlug == slug } }
    public func children(ofActor slug: String) -> [Actor] { actors.filter { $0.parentSlug == slug } }

    /// The five (or however many) prioritised initiatives in rank order.
    public var prioritized: [Initiative] {
        initiatives.filter { $0.priorityRank != nil }.sorted { $0.priorityRank! < $1.priorityRank! }
    }
}

extension Dataset {
    /// Every year the strategy and its roadmap touch: the period widened to every activity, milestone and baseline.
    /// The year filters offer these.
    public var dataYears: ClosedRange<Int> { Self.years(strategy, activities: activities, milestones: milestones) }

    /// The roadmap's time axis: `dataYears`, starting at the strategy's `roadmapStart` where it sets one, so that
    /// nothing planned is cut off or invisible.
    public var roadmapYears: ClosedRange<Int> { Self.axis(strategy, years: dataYears) }

    /// The years of a part of the roadmap (one initiative, a selection), never narrower than the strategy period.
    public static func years(_ strategy: Strategy, activities: [Activity], milestones: [Milestone]) -> ClosedRange<Int>
    {
        var low = strategy.periodStart
        var high = strategy.periodEnd
        func include(_ p: Period?) {
            guard let p else { return }
            low = min(low, p.year)
            high = max(high, p.year)
        }
        for a in activities {
            include(a.span.start)
            include(a.span.end)
            include(a.baseline)
        }
        for m in milestones {
            include(m.date)
            include(m.baseline)
        }
        return low...high
    }

    public static func axis(_ strategy: Strategy, years: ClosedRange<Int>) -> ClosedRange<Int> {
        guard let start = strategy.roadmapStart else { return years }
        return min(start, years.upperBound)...years.upperBound
    }
}
