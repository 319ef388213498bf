import Foundation

/// Phases of the roadmap's value chain, in order.
public enum Phase: String, CaseIterable, Sendable, Codable, Comparable {
    case konsept
    case utvikling
    case tilpasning
    case innforing
    case nyPraksis = "ny-praksis"

    public var name: String {
        switch self {
        case .konsept: "Konsept/mandat"
        case .utvikling: "Utvikling og begrenset utprøving"
        case .tilpasning: "Tilpasning og utvidet utprøving"
        case .innforing: "Innføring"
        case .nyPraksis: "Ny praksis i bruk"
        }
    }

    public var order: Int { Phase.allCases.firstIndex(of: self)! }
    public static func < (l: Phase, r: Phase) -> Bool { l.order < r.order }
}

public enum ActorType: String, CaseIterable, Sendable, Codable {
    case rhf, hf, kommune, ks, nhn, fhi, helsedirektoratet, direktorat, departement, fastleger, apotek, avtalespesialister, legevakt, leverandor, annet

    public var name: String {
        switch self {
        case .rhf: "Regionalt helseforetak"
        case .hf: "Helseforetak"
        case .kommune: "Kommune / kommunal tjeneste"
        case .ks: "KS"
        case .nhn: "Norsk helsenett"
        case .fhi: "Folkehelseinstituttet"
        case .helsedirektoratet: "Helsedirektoratet"
        case .direktorat: "Annet direktorat eller etat"
        case .departement: "Departement"
        case .fastleger: "Fastleger"
        case .apotek: "Apotek"
        case .avtalespesialister: "Avtalespesialister"
        case .legevakt: "Legevakt"
        case .leverandor: "Leverandør"
        case .annet: "Annet"
        }
    }

    /// The heading over a list of actors of this type.
    public var pluralName: String {
        switch self {
        case .rhf: "Regionale helseforetak"
        case .hf: "Helseforetak"
        case .kommune: "Kommuner og kommunale tjenester"
        case .direktorat: "Andre direktorater og etater"
        case .departement: "Departementer"
        case .legevakt: "Legevakter"
        case .leverandor: "Leverandører"
        case .annet: "Andre"
        default: name
        }
    }
}

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
    public init(title: String, version: String, periodStart: Int, periodEnd: Int, vision: String) {
        self.title = title; self.version = version; self.periodStart = periodStart; self.periodEnd = periodEnd; self.vision = vision
    }
}

public struct OverarchingGoal: Hashable, Sendable {
    public var id: String
    public var title: String
    public var description: String
    public init(id: String, title: String, description: String) { self.id = id; self.title = title; self.description = description }
}

public struct Goal: Hashable, Sendable {
    public var id: String          // "1" … "5"
    public var title: String
    public var description: String
    /// What the sector shall have achieved by 2030 (`Frem mot 2030 skal vi oppnå`).
    public var outcomes: [String]
    public init(id: String, title: String, description: String, outcomes: [String]) {
        self.id = id; self.title = title; self.description = description; self.outcomes = outcomes
    }
}

public struct Subgoal: Hashable, Sendable {
    public var id: String          // "1.A"
    public var goalId: String
    public var title: String
    public var status: SubgoalStatus
    public var description: String
    public init(id: String, goalId: String, title: String, status: SubgoalStatus, description: String) {
        self.id = id; self.goalId = goalId; self.title = title; self.status = status; self.description = description
    }
}

public struct Actor: Hashable, Sendable {
    public var slug: String
    public var name: String
    public var shortName: String
    public var type: ActorType
    public var parentSlug: String?
    public var description: String
    public init(slug: String, name: String, shortName: String, type: ActorType, parentSlug: String?, description: String) {
        self.slug = slug; self.name = name; self.shortName = shortName; self.type = type; self.parentSlug = parentSlug; self.description = description
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
    public init(slug: String, title: String, shortTitle: String, kind: InitiativeKind, priorityRank: Int?, subgoalIds: [String], target: String, description: String) {
        self.slug = slug; self.title = title; self.shortTitle = shortTitle; self.kind = kind; self.priorityRank = priorityRank
        self.subgoalIds = subgoalIds; self.target = target; self.description = description
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
    public init(id: String, initiativeSlug: String, actorSlug: String, phase: Phase, span: Span, tentative: Bool, description: String,
                baseline: Period? = nil, delay: Delay? = nil) {
        self.id = id; self.initiativeSlug = initiativeSlug; self.actorSlug = actorSlug; self.phase = phase; self.span = span
        self.tentative = tentative; self.description = description; self.baseline = baseline; self.delay = delay
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
    public init(kind: DelayKind, cause: DelayCause, note: String) { self.kind = kind; self.cause = cause; self.note = note }
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
    public init(id: String, initiativeSlug: String, actorSlug: String?, kind: MilestoneKind, date: Period, tentative: Bool, description: String,
                baseline: Period? = nil, delay: Delay? = nil) {
        self.id = id; self.initiativeSlug = initiativeSlug; self.actorSlug = actorSlug; self.kind = kind; self.date = date
        self.tentative = tentative; self.description = description; self.baseline = baseline; self.delay = delay
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

    public init(strategy: Strategy, overarchingGoals: [OverarchingGoal], goals: [Goal], subgoals: [Subgoal], actors: [Actor],
                initiatives: [Initiative], activities: [Activity], milestones: [Milestone],
                indicators: [Indicator] = [], measurements: [IndicatorMeasurement] = [], ambitions: [Ambition] = [], seriesBreaks: [SeriesBreak] = []) {
        self.strategy = strategy; self.overarchingGoals = overarchingGoals; self.goals = goals; self.subgoals = subgoals
        self.actors = actors; self.initiatives = initiatives; self.activities = activities; self.milestones = milestones
        self.indicators = indicators; self.measurements = measurements; self.ambitions = ambitions; self.seriesBreaks = seriesBreaks
    }

    public func goal(_ id: String) -> Goal? { goals.first { $0.id == id } }
    public func subgoal(_ id: String) -> Subgoal? { subgoals.first { $0.id.caseInsensitiveCompare(id) == .orderedSame } }
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
