import Foundation

/// The traffic light of the status report. Each has a word and a shape, so it survives greyscale print.
public enum TrafficLight: String, CaseIterable, Sendable, Codable {
    case gronn, gul, rod
    public var name: String {
        switch self {
        case .gronn: "Grønn"
        case .gul: "Gul"
        case .rod: "Rød"
        }
    }
    public var symbol: String {
        switch self {
        case .gronn: "●"
        case .gul: "▲"
        case .rod: "■"
        }
    }
    /// Worse is higher, so a change can be called better or worse.
    public var severity: Int {
        switch self {
        case .gronn: 0
        case .gul: 1
        case .rod: 2
        }
    }
}

/// "Peker mot grønt/rødt": where an assessment is heading.
public enum Tendency: String, CaseIterable, Sendable, Codable {
    case motGront = "mot-gront", motRodt = "mot-rodt"
    public var name: String { self == .motGront ? "peker mot grønt" : "peker mot rødt" }
}

/// A hand assessment: status (nil = not assessed), tendency and comment.
public struct Assessment: Hashable, Sendable, Codable {
    public var status: TrafficLight?
    public var tendency: Tendency?
    public var comment: String
    public init(status: TrafficLight? = nil, tendency: Tendency? = nil, comment: String = "") {
        self.status = status
        self.tendency = tendency
        self.comment = comment
    }

    // Files may leave out what is empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decodeIfPresent(TrafficLight.self, forKey: .status)
        tendency = try c.decodeIfPresent(Tendency.self, forKey: .tendency)
        comment = try c.decodeIfPresent(String.self, forKey: .comment) ?? ""
    }

    public var statusText: String {
        guard let status else { return "Ikke vurdert" }
        return status.name + (tendency.map { ", \($0.name)" } ?? "")
    }

    /// How the status moved since `previous`: "Bedre", "Verre", "Uendret" or nil when either is unassessed.
    public func change(since previous: Assessment?) -> String? {
        guard let now = status, let before = previous?.status else { return nil }
        if now.severity < before.severity { return "Bedre" }
        if now.severity > before.severity { return "Verre" }
        if tendency != previous?.tendency, let t = tendency { return "Uendret, \(t.name)" }
        return "Uendret"
    }
}

public struct ItemAssessment: Hashable, Sendable, Codable {
    public var id: String
    public var assessment: Assessment
    public init(id: String, assessment: Assessment) {
        self.id = id
        self.assessment = assessment
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        assessment = try c.decodeIfPresent(Assessment.self, forKey: .assessment) ?? Assessment()
    }
}

/// A report as stored in files (seed, export): the period, its state and revision, and what people wrote.
public struct ReportFile: Sendable, Codable {
    public var period: String
    public var revision: Int?
    public var state: ReportState?
    public var correctionReason: String?
    public var content: ReportContent
    /// A published revision's frozen page, exported so a restore shows exactly what was published.
    public var snapshot: ReportSnapshot?
    public var publishedAt: Date?
    public init(
        period: String, revision: Int?, state: ReportState?, correctionReason: String?, content: ReportContent,
        snapshot: ReportSnapshot? = nil, publishedAt: Date? = nil
    ) {
        self.period = period
        self.revision = revision
        self.state = state
        self.correctionReason = correctionReason
        self.content = content
        self.snapshot = snapshot
        self.publishedAt = publishedAt
    }
}

public enum SurveyAnswer: String, CaseIterable, Sendable, Codable {
    case ja, nei, ikkeSvart = "ikke-svart"
    public var name: String {
        switch self {
        case .ja: "Ja"
        case .nei: "Nei"
        case .ikkeSvart: "Ikke svart"
        }
    }
}

/// The report-wide part: overall assessment (helhetsvurdering) and what applies to the whole strategy.
public struct OverallSection: Hashable, Sendable, Codable {
    public var assessment = Assessment()
    public var positives = ""
    public var followUps = ""
    public var strategicThemes = ""
    public var otherInfo = ""
    /// One comment per overarching goal ("Oppsummering av status for strategien").
    public var overarching: [ItemAssessment] = []
    /// The portfolio survey: "funds set aside or plans for structured benefit follow-up", per initiative.
    public var benefitAnswers: [String: SurveyAnswer] = [:]
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        assessment = try c.decodeIfPresent(Assessment.self, forKey: .assessment) ?? Assessment()
        positives = try c.decodeIfPresent(String.self, forKey: .positives) ?? ""
        followUps = try c.decodeIfPresent(String.self, forKey: .followUps) ?? ""
        strategicThemes = try c.decodeIfPresent(String.self, forKey: .strategicThemes) ?? ""
        otherInfo = try c.decodeIfPresent(String.self, forKey: .otherInfo) ?? ""
        overarching = try c.decodeIfPresent([ItemAssessment].self, forKey: .overarching) ?? []
        benefitAnswers = try c.decodeIfPresent([String: SurveyAnswer].self, forKey: .benefitAnswers) ?? [:]
    }
}

/// One strategic goal's part of the report.
public struct GoalSection: Hashable, Sendable, Codable {
    public var goalId: String
    public var assessment = Assessment()
    public var positives = ""
    public var followUps = ""
    public var strategicThemes = ""
    public var otherInfo = ""
    public var candidateIndicators = ""
    public var candidateSubgoals = ""
    public var subgoals: [ItemAssessment] = []
    public var indicators: [ItemAssessment] = []
    public init(goalId: String) { self.goalId = goalId }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        goalId = try c.decode(String.self, forKey: .goalId)
        assessment = try c.decodeIfPresent(Assessment.self, forKey: .assessment) ?? Assessment()
        positives = try c.decodeIfPresent(String.self, forKey: .positives) ?? ""
        followUps = try c.decodeIfPresent(String.self, forKey: .followUps) ?? ""
        strategicThemes = try c.decodeIfPresent(String.self, forKey: .strategicThemes) ?? ""
        otherInfo = try c.decodeIfPresent(String.self, forKey: .otherInfo) ?? ""
        candidateIndicators = try c.decodeIfPresent(String.self, forKey: .candidateIndicators) ?? ""
        candidateSubgoals = try c.decodeIfPresent(String.self, forKey: .candidateSubgoals) ?? ""
        subgoals = try c.decodeIfPresent([ItemAssessment].self, forKey: .subgoals) ?? []
        indicators = try c.decodeIfPresent([ItemAssessment].self, forKey: .indicators) ?? []
    }
}

/// What people write: the overall section and one section per goal, each edited (and versioned) on its own.
public struct ReportContent: Hashable, Sendable, Codable {
    public var horizon: String
    public var overall: OverallSection
    public var goals: [GoalSection]
    public init(horizon: String, overall: OverallSection, goals: [GoalSection]) {
        self.horizon = horizon
        self.overall = overall
        self.goals = goals
    }

    /// A blank report with a section for every goal, sub-goal (adopted ones) and the goal's indicators.
    /// The year progress is assessed against in a report for `period`: the first indicator ambition year not before
    /// the period, else the strategy's last year.
    public static func defaultHorizon(for period: Period, in d: Dataset) -> String {
        let years = d.ambitions.map(\.period.year).filter { $0 >= period.year }
        return String(years.min() ?? max(d.strategy.periodEnd, period.year))
    }

    public static func blank(for d: Dataset, horizon: String) -> ReportContent {
        var overall = OverallSection()
        overall.overarching = d.overarchingGoals.map { ItemAssessment(id: $0.id, assessment: Assessment()) }
        return ReportContent(
            horizon: horizon, overall: overall,
            goals: d.goals.map { g in
                var s = GoalSection(goalId: g.id)
                s.subgoals = d.subgoals(ofGoal: g.id).filter { $0.status == .adopted }.map {
                    ItemAssessment(id: $0.id, assessment: Assessment())
                }
                s.indicators = d.indicators(ofGoal: g.id).filter { $0.readiness == .klar }.map {
                    ItemAssessment(id: $0.id, assessment: Assessment())
                }
                return s
            })
    }
}

/// utkast → til gjennomgang → publisert; review can send it back. A published revision never changes.
public enum ReportState: String, CaseIterable, Sendable, Codable {
    case utkast, tilGjennomgang = "til-gjennomgang", publisert
    public var name: String {
        switch self {
        case .utkast: "Utkast"
        case .tilGjennomgang: "Til gjennomgang"
        case .publisert: "Publisert"
        }
    }

    public var allowedNext: [ReportState] {
        switch self {
        case .utkast: [.tilGjennomgang]
        case .tilGjennomgang: [.utkast, .publisert]
        case .publisert: []
        }
    }

    public func canMove(to next: ReportState) -> Bool { allowedNext.contains(next) }
    public var isEditable: Bool { self != .publisert }
}

public enum ReportRules {
    /// The previous period of a report: the latest published period before it.
    public static func previousPeriod(of period: Period, published: [Period]) -> Period? {
        published.filter { $0 < period }.max()
    }

    /// Reporting periods are years or quarters.
    public static func parsePeriod(_ raw: String) -> Period? {
        guard let p = try? Period.parse(raw), p.precision <= .quarter else { return nil }
        return p
    }

    /// The status a computed progress category corresponds to, for spotting disagreements; nil when it says nothing.
    public static func light(for category: ProgressCategory) -> TrafficLight? {
        switch category {
        case .nadd, .iRute: .gronn
        case .noeFremgang: .gul
        case .ingenFremgang: .rod
        case .forLiteData, .ingenAmbisjon: nil
        }
    }
}

/// "29 % (5 av 17)": significant delays of one kind among the roadmap's deliveries, by cause.
public struct DelayFigures: Hashable, Sendable, Codable {
    public let kind: DelayKind
    public let delayed: Int
    public let total: Int
    public let byCause: [DelayCause: Int]

    public var percent: Int { total == 0 ? 0 : Int((Double(delayed) / Double(total) * 100).rounded()) }
    public var text: String { total == 0 ? "Ingen leveranser" : "\(percent) % (\(delayed) av \(total))" }
    public var causesText: String {
        DelayCause.allCases.compactMap { c in byCause[c].map { "\($0) \(c.name.lowercased())" } }.joined(
            separator: ", ")
    }

    /// Deliveries are the activities and milestones of national initiatives that are still running at the period:
    /// no end, or ending in or after it. A delay counts when a reporter has recorded one of this kind.
    public static func compute(_ d: Dataset, at period: Period) -> [DelayFigures] {
        let national = Set(d.initiatives.filter { $0.kind == .national }.map(\.slug))
        let start = period.firstDay
        var items: [Delay?] = []
        for a in d.activities
        where national.contains(a.initiativeSlug) && (a.span.end.map { $0.lastDay >= start } ?? true) {
            items.append(a.delay)
        }
        for m in d.milestones where national.contains(m.initiativeSlug) && m.date.lastDay >= start {
            items.append(m.delay)
        }
        return DelayKind.allCases.map { kind in
            let delays = items.compactMap { $0 }.filter { $0.kind == kind }
            return DelayFigures(
                kind: kind, delayed: delays.count, total: items.count,
                byCause: Dictionary(grouping: delays, by: \.cause).mapValues(\.count))
        }
    }
}

/// Shares of survey answers: "63 % / 21 % / 16 %".
public struct SurveyShares: Hashable, Sendable, Codable {
    public let counts: [SurveyAnswer: Int]
    public var total: Int { counts.values.reduce(0, +) }
    public func percent(_ a: SurveyAnswer) -> Int {
        total == 0 ? 0 : Int((Double(counts[a] ?? 0) / Double(total) * 100).rounded())
    }
    public var text: String {
        total == 0
            ? "Ingen svar registrert"
            : SurveyAnswer.allCases.map { "\(percent($0)) % \($0.name.lowercased())" }.joined(separator: ", ")
                + " (\(total) tiltak)"
    }
    public init(_ answers: [String: SurveyAnswer]) {
        counts = Dictionary(grouping: answers.values, by: { $0 }).mapValues(\.count)
    }
}
