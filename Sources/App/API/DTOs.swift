import Domain
import Routes
import Vapor

/// An optional written as `null` instead of being left out, as the OpenAPI document promises.
@propertyWrapper
struct NullEncoded<Value: Codable & Sendable>: Codable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try c.decode(Value.self)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A missing key decodes as nil, like a plain optional.
    func decode<V>(_ type: NullEncoded<V>.Type, forKey key: Key) throws -> NullEncoded<V> {
        try decodeIfPresent(type, forKey: key) ?? NullEncoded(wrappedValue: nil)
    }
}

// JSON shapes of /api/v1. Built from domain values, never from Fluent models. Keep in step with openapi.json.

struct StrategyDTO: Content {
    struct OverarchingGoalDTO: Content {
        let id: String
        let title: String
        let description: String
    }
    struct SubgoalSummaryDTO: Content {
        let id: String
        let goalId: String
        let title: String
        let status: String
        let url: String
    }
    struct GoalDTO: Content {
        let id: String
        let title: String
        let description: String
        let outcomes: [String]
        let url: String
        let subgoals: [SubgoalSummaryDTO]
    }
    let title: String
    let version: String
    let periodStart: Int
    let periodEnd: Int
    let vision: String
    /// The strategy's own texts, with their defaults applied (as the pages show them).
    let shortName: String
    let description: String
    let source: String
    let outcomesHeading: String
    /// The roadmap's time axis (`Dataset.roadmapYears`).
    let roadmapFrom: Int
    let roadmapTo: Int
    let phases: [PhaseDTO]
    let actorTypes: [ActorTypeDTO]
    let overarchingGoals: [OverarchingGoalDTO]
    let goals: [GoalDTO]

    struct PhaseDTO: Content {
        let code: String, name: String, number: Int, colour: String, textColour: String, description: String
    }
    struct ActorTypeDTO: Content { let code: String, name: String, pluralName: String }

    init(_ d: Dataset) {
        let s = d.strategy
        title = s.title
        version = s.version
        periodStart = s.periodStart
        periodEnd = s.periodEnd
        vision = s.vision
        shortName = s.displayShortName
        description = s.displaySummary
        source = s.source
        outcomesHeading = s.displayOutcomesHeading
        (roadmapFrom, roadmapTo) = (d.roadmapYears.lowerBound, d.roadmapYears.upperBound)
        phases = s.phases.all.enumerated().map {
            PhaseDTO(
                code: $1.code.rawValue, name: $1.name, number: $0 + 1, colour: $1.colour, textColour: $1.textColour,
                description: $1.description)
        }
        actorTypes = s.actorTypes.all.map {
            ActorTypeDTO(code: $0.code.rawValue, name: $0.name, pluralName: $0.pluralName)
        }
        overarchingGoals = d.overarchingGoals.map { .init(id: $0.id, title: $0.title, description: $0.description) }
        goals = d.goals.map { g in
            GoalDTO(
                id: g.id, title: g.title, description: g.description, outcomes: g.outcomes,
                url: SiteURL.goal(g.id).path,
                subgoals: d.subgoals(ofGoal: g.id).map(SubgoalSummaryDTO.init))
        }
    }
}

extension StrategyDTO.SubgoalSummaryDTO {
    init(_ s: Subgoal) {
        self.init(
            id: s.id, goalId: s.goalId, title: s.title, status: s.status.rawValue,
            url: SiteURL.subgoal(s.id).path)
    }
}

struct SubgoalDTO: Content {
    let id: String
    let goalId: String
    let title: String
    let status: String
    let description: String
    let url: String
    let initiatives: [InitiativeSummaryDTO]

    init(_ s: Subgoal, dataset d: Dataset) {
        id = s.id
        goalId = s.goalId
        title = s.title
        status = s.status.rawValue
        description = s.description
        url = SiteURL.subgoal(s.id).path
        initiatives = d.initiatives(ofSubgoal: s.id).map(InitiativeSummaryDTO.init)
    }
}

struct InitiativeSummaryDTO: Content {
    let slug: String
    let title: String
    let shortTitle: String
    let kind: String
    @NullEncoded var priorityRank: Int?
    let subgoalIds: [String]
    let target: String
    let url: String

    init(_ i: Initiative) {
        slug = i.slug
        title = i.title
        shortTitle = i.shortTitle
        kind = i.kind.rawValue
        priorityRank = i.priorityRank
        subgoalIds = i.subgoalIds
        target = i.target
        url = SiteURL.initiative(i.slug).path
    }

}

struct ActivityDTO: Content {
    let id: String
    let initiative: String
    let actor: String
    let actorName: String
    let phase: String
    let phaseName: String
    @NullEncoded var start: String?
    @NullEncoded var end: String?
    let tentative: Bool
    /// Reported as carried out.
    let done: Bool
    let description: String
    /// The end as first planned, when it has been moved.
    @NullEncoded var baseline: String?
    @NullEncoded var delay: DelayDTO?

    init(_ a: Activity, dataset d: Dataset) {
        id = a.id
        initiative = a.initiativeSlug
        actor = a.actorSlug
        actorName = d.actor(a.actorSlug)?.name ?? a.actorSlug
        phase = a.phase.rawValue
        phaseName = d.strategy.phases.name(a.phase)
        start = a.span.start?.description
        end = a.span.end?.description
        tentative = a.tentative
        done = a.done
        description = a.description
        baseline = a.baseline?.description
        delay = a.delay.map(DelayDTO.init)
    }

}

/// A significant delay recorded on an activity or milestone: kind, cause (codes and names) and a note.
struct DelayDTO: Content {
    let kind: String, kindName: String, cause: String, causeName: String, note: String
    init(_ d: Delay) {
        kind = d.kind.rawValue
        kindName = d.kind.name
        cause = d.cause.rawValue
        causeName = d.cause.name
        note = d.note
    }
}

struct MilestoneDTO: Content {
    let id: String
    let initiative: String
    @NullEncoded var actor: String?
    let kind: String
    let kindName: String
    let date: String
    let tentative: Bool
    /// Reached.
    let done: Bool
    let description: String
    /// The date as first planned, when it has been moved.
    @NullEncoded var baseline: String?
    @NullEncoded var delay: DelayDTO?

    init(_ m: Milestone) {
        id = m.id
        initiative = m.initiativeSlug
        actor = m.actorSlug
        kind = m.kind.rawValue
        kindName = m.kind.name
        date = m.date.description
        tentative = m.tentative
        done = m.done
        description = m.description
        baseline = m.baseline?.description
        delay = m.delay.map(DelayDTO.init)
    }

}

struct InitiativeListDTO: Content { let initiatives: [InitiativeSummaryDTO] }

struct InitiativeDTO: Content {
    let slug: String
    let title: String
    let shortTitle: String
    let kind: String
    @NullEncoded var priorityRank: Int?
    let subgoalIds: [String]
    let target: String
    let description: String
    let url: String
    let activities: [ActivityDTO]
    let milestones: [MilestoneDTO]

    init(_ i: Initiative, dataset d: Dataset) {
        slug = i.slug
        title = i.title
        shortTitle = i.shortTitle
        kind = i.kind.rawValue
        priorityRank = i.priorityRank
        subgoalIds = i.subgoalIds
        target = i.target
        description = i.description
        url = SiteURL.initiative(i.slug).path
        activities = d.activities(ofInitiative: i.slug).map { ActivityDTO($0, dataset: d) }
        milestones = d.milestones(ofInitiative: i.slug).map(MilestoneDTO.init)
    }

}

struct ActorSummaryDTO: Content {
    let slug: String
    let name: String
    let shortName: String
    let type: String
    @NullEncoded var parent: String?
    let url: String
    init(_ a: Actor) {
        slug = a.slug
        name = a.name
        shortName = a.shortName
        type = a.type.rawValue
        parent = a.parentSlug
        url = SiteURL.actor(a.slug).path
    }

}

struct ActorListDTO: Content { let actors: [ActorSummaryDTO] }

struct ActorDTO: Content {
    let slug: String
    let name: String
    let shortName: String
    let type: String
    let typeName: String
    @NullEncoded var parent: String?
    let children: [String]
    let description: String
    let url: String
    let activities: [ActivityDTO]
    let milestones: [MilestoneDTO]

    init(_ a: Actor, dataset d: Dataset) {
        slug = a.slug
        name = a.name
        shortName = a.shortName
        type = a.type.rawValue
        typeName = d.strategy.actorTypes.name(a.type)
        parent = a.parentSlug
        children = d.children(ofActor: a.slug).map(\.slug)
        description = a.description
        url = SiteURL.actor(a.slug).path
        activities = d.activities.filter { $0.actorSlug == a.slug }.map { ActivityDTO($0, dataset: d) }
        milestones = d.milestones.filter { $0.actorSlug == a.slug }.map(MilestoneDTO.init)
    }

}

struct RoadmapDTO: Content {
    let filter: [String: String]
    let activities: [ActivityDTO]
    let milestones: [MilestoneDTO]
}

struct SearchResultDTO: Content {
    let type: String
    let id: String
    let title: String
    let url: String
    let snippet: String
}

struct SearchDTO: Content {
    let query: String
    let results: [SearchResultDTO]
}

struct ActivityRecordDTO: Content {
    let activity: ActivityDTO
    let version: Int64
}

/// Fields left out keep their value; `start`/`end` as "" clear the date.
struct ActivityPatchDTO: Content {
    let version: Int64
    let phase: String?
    let start: String?
    let end: String?
    let tentative: Bool?
    let description: String?
    let reason: String?
}

struct ValidationErrorDTO: Content {
    let status: Int
    let message: String
    let errors: [String: String]
}

struct ConflictDTO: Content {
    let status: Int
    let message: String
    let current: ActivityRecordDTO
}

/// Any editable record as its form values: what `GET` returns and `PATCH` takes.
struct RecordDTO: Content {
    let kind: String
    let id: String
    let version: Int64
    let values: [String: String]
}

struct RecordPatchDTO: Content {
    let version: Int64
    let values: [String: String]
    let reason: String?
}

/// A new record: its id (derived when left out), parents and editable fields as form values.
struct RecordCreateDTO: Content {
    let id: String?
    let values: [String: String]
    let reason: String?
}

/// Retiring or reinstating: the version the client last read.
struct RecordLifecycleDTO: Content {
    let version: Int64
    let reason: String?
}

/// What keeps a record from being retired or reinstated, in words.
struct RecordRefusedDTO: Content {
    let status: Int
    let message: String
    let reasons: [String]
}

struct RecordRetiredDTO: Content {
    let kind: String
    let id: String
    let version: Int64
    let retired: Bool
}

/// One value of an indicator, with the version a change or removal must name.
struct VersionedMeasurementDTO: Content {
    let indicator: String, period: String, value: Double, dimension: String, member: String, note: String,
        source: String
    let version: Int64
    init(_ m: IndicatorMeasurement, version: Int64) {
        indicator = m.indicatorId
        period = m.period.description
        value = m.value
        dimension = m.dimension
        member = m.member
        note = m.note
        source = m.source
        self.version = version
    }
}

struct MeasurementListDTO: Content {
    let indicator: String
    let measurements: [VersionedMeasurementDTO]
}

struct MeasurementConflictDTO: Content {
    let status: Int
    let message: String
    let current: VersionedMeasurementDTO
}

struct RecordConflictDTO: Content {
    let status: Int
    let message: String
    let current: RecordDTO
}

// MARK: indicators

struct IndicatorSummaryDTO: Content {
    let id: String
    let name: String
    let goals: [String]
    @NullEncoded var overarchingGoal: String?
    let international: Bool
    let kind: String
    let unit: String
    let direction: String
    let readiness: String
    @NullEncoded var dashboardOrder: Int?
    @NullEncoded var latest: MeasurementDTO?
    let progress: String
    /// The latest published hand assessment, beside the computed `progress`.
    @NullEncoded var assessed: AssessedDTO?
    let url: String

    init(_ s: IndicatorSummary) {
        assessed = s.assessed.map(AssessedDTO.init)
        let i = s.indicator
        id = i.id
        name = i.name
        goals = i.goalIds
        overarchingGoal = i.overarchingGoalId
        international = i.international
        kind = i.kind.rawValue
        unit = i.unit.csv.0
        direction = i.direction.rawValue
        readiness = i.readiness.rawValue
        dashboardOrder = i.dashboardOrder
        latest = s.series.latest.map(MeasurementDTO.init)
        progress = s.progress.category.rawValue
        url = SiteURL.indicator(i.id).path
    }
}

struct IndicatorListDTO: Content { let indicators: [IndicatorSummaryDTO] }

/// A published hand assessment: traffic light, direction and comment, and the report it is from.
struct AssessedDTO: Content {
    @NullEncoded var status: String?
    @NullEncoded var tendency: String?
    let comment: String
    let period: String
    let url: String
    init(_ p: PublishedAssessment) {
        status = p.assessment.status?.rawValue
        tendency = p.assessment.tendency?.rawValue
        comment = p.assessment.comment
        period = p.period
        url = SiteURL.report(p.period).path
    }
}

struct MeasurementDTO: Content {
    let period: String
    let value: Double
    @NullEncoded var dimension: String?
    @NullEncoded var member: String?
    let note: String
    let source: String
    init(_ m: IndicatorMeasurement) {
        period = m.period.description
        value = m.value
        dimension = m.isHeadline ? nil : m.dimension
        member = m.isHeadline ? nil : m.member
        note = m.note
        source = m.source
    }
}

struct AmbitionDTO: Content {
    let period: String
    let value: Double
    let state: String
    let note: String
    init(_ a: Ambition) {
        period = a.period.description
        value = a.value
        state = a.state.rawValue
        note = a.note
    }
}

struct SeriesBreakDTO: Content {
    let period: String
    let note: String
    init(_ b: SeriesBreak) {
        period = b.period.description
        note = b.note
    }
}

struct ProgressDTO: Content {
    let category: String
    let label: String
    @NullEncoded var method: String?
    @NullEncoded var baseline: MeasurementDTO?
    @NullEncoded var latest: MeasurementDTO?
    @NullEncoded var trajectoryNow: Double?
    @NullEncoded var ratio: Double?
    let explanation: [String]
    @NullEncoded var growthRateRatio: Double?
    @NullEncoded var growthRateLabel: String?

    init(_ p: ProgressAssessment) {
        category = p.category.rawValue
        label = p.category.name
        method = p.method?.rawValue
        baseline = p.baseline.map(MeasurementDTO.init)
        latest = p.latest.map(MeasurementDTO.init)
        trajectoryNow = p.trajectoryNow
        ratio = p.ratio
        explanation = p.explanation
        growthRateRatio = p.secondOpinion?.ratio
        growthRateLabel = p.secondOpinion?.label
    }
}

struct ProjectionDTO: Content {
    let slopePerYear: Double
    let pointsUsed: Int
    let fromYear: Double
    let fromValue: Double
    let toYear: Double
    let toValue: Double
    init(_ p: Projection) {
        slopePerYear = p.slopePerYear
        pointsUsed = p.pointsUsed
        fromYear = p.from.t
        fromValue = p.from.value
        toYear = p.to.t
        toValue = p.to.value
    }
}

struct IndicatorDTO: Content {
    let id: String
    let name: String
    let description: String
    let goals: [String]
    @NullEncoded var overarchingGoal: String?
    let international: Bool
    let kind: String
    let unit: String
    let unitDetail: String
    let direction: String
    let source: String
    let frequency: String
    let readiness: String
    @NullEncoded var dashboardOrder: Int?
    @NullEncoded var noAmbitionReason: String?
    let measurements: [MeasurementDTO]
    let ambitions: [AmbitionDTO]
    let seriesBreaks: [SeriesBreakDTO]
    let progress: ProgressDTO
    @NullEncoded var assessed: AssessedDTO?
    @NullEncoded var projection: ProjectionDTO?

    init(_ s: IndicatorSummary) {
        assessed = s.assessed.map(AssessedDTO.init)
        let i = s.indicator
        id = i.id
        name = i.name
        description = i.description
        goals = i.goalIds
        overarchingGoal = i.overarchingGoalId
        international = i.international
        kind = i.kind.rawValue
        (unit, unitDetail) = i.unit.csv
        direction = i.direction.rawValue
        source = i.source
        frequency = i.frequency.rawValue
        readiness = i.readiness.rawValue
        dashboardOrder = i.dashboardOrder
        noAmbitionReason = i.noAmbitionReason.isEmpty ? nil : i.noAmbitionReason
        measurements = s.series.measurements.map(MeasurementDTO.init)
        ambitions = s.series.ambitions.map(AmbitionDTO.init)
        seriesBreaks = s.series.breaks.map(SeriesBreakDTO.init)
        progress = ProgressDTO(s.progress)
        projection = s.projection.map(ProjectionDTO.init)
    }
}

// MARK: status reports

struct AssessmentDTO: Content {
    @NullEncoded var status: String?
    @NullEncoded var tendency: String?
    let comment: String
    init(_ a: Assessment) {
        status = a.status?.rawValue
        tendency = a.tendency?.rawValue
        comment = a.comment
    }
}

struct ReportSummaryDTO: Content {
    let period: String
    let revision: Int
    @NullEncoded var publishedAt: Date?
    let overall: AssessmentDTO
    let url: String
}

struct ReportListDTO: Content { let reports: [ReportSummaryDTO] }

struct ReportItemDTO: Content {
    let id: String
    let title: String
    let assessment: AssessmentDTO
    @NullEncoded var previous: AssessmentDTO?
    @NullEncoded var value: String?
    @NullEncoded var computed: String?
    let disagreement: Bool
    init(_ i: ReportSnapshot.Item) {
        id = i.id
        title = i.title
        assessment = AssessmentDTO(i.assessment)
        previous = i.previous.map(AssessmentDTO.init)
        value = i.value
        computed = i.computed
        disagreement = i.disagreement
    }
}

struct ReportGoalDTO: Content {
    let id: String
    let title: String
    let assessment: AssessmentDTO
    @NullEncoded var previous: AssessmentDTO?
    let positives: String
    let followUps: String
    let strategicThemes: String
    let otherInfo: String
    let candidateIndicators: String
    let candidateSubgoals: String
    let subgoals: [ReportItemDTO]
    let indicators: [ReportItemDTO]
    init(_ g: ReportSnapshot.GoalPart) {
        id = g.id
        title = g.title
        assessment = AssessmentDTO(g.assessment)
        previous = g.previous.map(AssessmentDTO.init)
        positives = g.positives
        followUps = g.followUps
        strategicThemes = g.strategicThemes
        otherInfo = g.otherInfo
        candidateIndicators = g.candidateIndicators
        candidateSubgoals = g.candidateSubgoals
        subgoals = g.subgoals.map(ReportItemDTO.init)
        indicators = g.indicators.map(ReportItemDTO.init)
    }
}

struct DelayFiguresDTO: Content {
    let kind: String
    let delayed: Int
    let total: Int
    let percent: Int
    let byCause: [String: Int]
    init(_ d: DelayFigures) {
        kind = d.kind.rawValue
        delayed = d.delayed
        total = d.total
        percent = d.percent
        byCause = Dictionary(uniqueKeysWithValues: d.byCause.map { ($0.key.rawValue, $0.value) })
    }
}

struct ReportDTO: Content {
    let period: String
    let revision: Int
    let horizon: String
    @NullEncoded var previousPeriod: String?
    @NullEncoded var correctionReason: String?
    let overall: AssessmentDTO
    @NullEncoded var overallPrevious: AssessmentDTO?
    let positives: String
    let followUps: String
    let strategicThemes: String
    let otherInfo: String
    let overarching: [String: String]
    let goals: [ReportGoalDTO]
    let delays: [DelayFiguresDTO]
    let benefitFollowUp: [String: Int]
    init(_ s: ReportSnapshot) {
        period = s.period
        revision = s.revision
        horizon = s.horizon
        previousPeriod = s.previousPeriod
        correctionReason = s.correctionReason.isEmpty ? nil : s.correctionReason
        overall = AssessmentDTO(s.overall)
        overallPrevious = s.overallPrevious.map(AssessmentDTO.init)
        positives = s.positives
        followUps = s.followUps
        strategicThemes = s.strategicThemes
        otherInfo = s.otherInfo
        overarching = Dictionary(s.overarching.map { ($0.id, $0.comment) }, uniquingKeysWith: { a, _ in a })
        goals = s.goals.map(ReportGoalDTO.init)
        delays = s.delays.map(DelayFiguresDTO.init)
        benefitFollowUp = Dictionary(
            uniqueKeysWithValues: SurveyAnswer.allCases.map { ($0.rawValue, s.benefit.counts[$0] ?? 0) })
    }
}

// MARK: scoring

struct ScoringRoundSummaryDTO: Content {
    let id: String
    let title: String
    @NullEncoded var date: String?
    let modelId: String
    let modelVersion: Int
    let candidates: Int
    let url: String
}

struct ScoringRoundListDTO: Content { let rounds: [ScoringRoundSummaryDTO] }

struct ScoringResultDTO: Content {
    let id: String
    let name: String
    @NullEncoded var initiative: String?
    let variant: String
    @NullEncoded var score: Double?
    @NullEncoded var rank: Int?
    let tied: Bool
    let complete: Bool
    let ranked: Bool
    let groups: [String: Double]
    let missingGroups: [String]
    let unanswered: Int
    @NullEncoded var rankRange: [Int]?
}

struct ScoringFindingDTO: Content {
    let candidate: String
    let key: String
    let stored: Double
    @NullEncoded var computed: Double?
}

struct ScoringRoundDTO: Content {
    let id: String
    let title: String
    @NullEncoded var date: String?
    let modelId: String
    let modelVersion: Int
    let weights: [String: Double]
    let results: [ScoringResultDTO]
    let consistency: [ScoringFindingDTO]

    init(_ r: ScoringRound) {
        id = r.id
        title = r.title
        date = r.date?.description
        modelId = r.model.id
        modelVersion = r.model.version
        weights = Dictionary(uniqueKeysWithValues: r.model.groups.map { ($0.id, r.model.weight($0.id)) })
        let ranges = Scoring.rankRanges(r)
        let topIds = Set(r.model.groups.map(\.id))
        results = Scoring.evaluate(r).map { x in
            ScoringResultDTO(
                id: x.candidate.id, name: x.candidate.name, initiative: x.candidate.initiativeSlug,
                variant: x.candidate.variant,
                score: x.score, rank: x.rank, tied: x.tied, complete: x.isComplete, ranked: x.candidate.ranked,
                groups: x.values.filter { topIds.contains($0.key) }, missingGroups: x.missingGroups,
                unanswered: x.unanswered,
                rankRange: ranges[x.candidate.id].map { [$0.best, $0.worst] })
        }
        consistency = Scoring.consistency(r).map {
            ScoringFindingDTO(candidate: $0.candidateId, key: $0.key, stored: $0.stored, computed: $0.computed)
        }
    }
}

// MARK: Council model

struct CouncilDTO: Content {
    struct NameDTO: Content {
        let name: String
        let shortName: String
        @NullEncoded var from: String?
    }
    struct MemberDTO: Content {
        let name: String
        let title: String
        let organisation: String
        let role: String
        @NullEncoded var from: String?
    }
    let slug: String
    let name: String
    let shortName: String
    let names: [NameDTO]
    let mandate: String
    let responsibilities: [String]
    let members: [MemberDTO]
    let url: String
    let meetingsUrl: String

    init(_ c: Council, members: [Membership], today: Day) {
        slug = c.slug
        name = c.name
        shortName = c.shortName
        mandate = c.mandate
        responsibilities = c.responsibilities
        names = c.names.map { NameDTO(name: $0.name, shortName: $0.shortName, from: $0.from?.description) }
        self.members = Memberships.at(today, members).map {
            MemberDTO(
                name: $0.name, title: $0.title, organisation: $0.organisation, role: $0.role.rawValue,
                from: $0.from?.description)
        }
        url = SiteURL.council(c.slug).path
        meetingsUrl = SiteURL.api("councils/\(c.slug)/meetings").path
    }
}

struct CouncilListDTO: Content { let councils: [CouncilDTO] }

struct MeetingSummaryDTO: Content {
    let id: String
    let council: String
    let councilName: String
    let number: String
    let startsOn: String
    let endsOn: String
    @NullEncoded var startTime: String?
    @NullEncoded var endTime: String?
    let place: String
    let state: String
    let note: String
    let url: String
    let apiUrl: String

    init(_ m: Meeting, council: Council) {
        id = m.id
        self.council = m.council
        councilName = council.name(on: m.startsOn).name
        number = m.number
        startsOn = m.startsOn.description
        endsOn = m.endsOn.description
        startTime = m.startTime?.description
        endTime = m.endTime?.description
        place = m.place
        state = m.state.rawValue
        note = m.note
        url = SiteURL.meeting(council: m.council, meeting: m.key, .page).path
        apiUrl = SiteURL.api("meetings/\(m.id)").path
    }
}

struct MeetingListDTO: Content {
    let council: String
    let meetings: [MeetingSummaryDTO]
}

struct MeetingDTO: Content {
    struct SubstituteDTO: Content {
        let name: String
        let organisation: String
        let forMember: String
    }
    struct PresenterDTO: Content {
        let name: String
        let organisation: String
    }
    struct FollowUpDTO: Content {
        let text: String
        let owner: String
        @NullEncoded var due: String?
        let done: Bool
    }
    struct LinkDTO: Content {
        let kind: String
        let target: String
        @NullEncoded var title: String?
        let url: String
    }
    struct AgendaItemDTO: Content {
        let kind: String
        let day: Int
        let date: String
        @NullEncoded var time: String?
        let title: String
        @NullEncoded var number: String?
        @NullEncoded var type: String?
        let presenters: [PresenterDTO]
        let summary: String
        let questions: [String]
        let proposedDecision: String
        /// null until the minutes are published.
        @NullEncoded var decision: String?
        let followUps: [FollowUpDTO]
        let links: [LinkDTO]
        let withdrawn: Bool
    }
    let meeting: MeetingSummaryDTO
    let substitutes: [SubstituteDTO]
    /// Empty until the notice is published.
    let agenda: [AgendaItemDTO]

    init(_ m: Meeting, council: Council, cases: [CouncilCase], members: [Membership], targets: LinkTargets) {
        meeting = MeetingSummaryDTO(m, council: council)
        substitutes = m.substitutes.map { s in
            SubstituteDTO(
                name: s.name, organisation: s.organisation,
                forMember: members.first { $0.id == s.forMember }?.name ?? "")
        }
        guard m.state.agendaIsPublic else {
            agenda = []
            return
        }
        agenda = AgendaLine.agenda(cases: cases, breaks: m.breaks).map { line in
            switch line {
            case .pause(let b):
                return AgendaItemDTO(
                    kind: "break", day: b.day, date: m.date(ofDay: b.day).description, time: b.time?.description,
                    title: b.title, number: nil, type: nil,
                    presenters: [], summary: "", questions: [], proposedDecision: "", decision: nil, followUps: [],
                    links: [], withdrawn: false)
            case .item(let c):
                let decided = m.state.decisionsArePublic
                return AgendaItemDTO(
                    kind: "case", day: c.day, date: m.date(ofDay: c.day).description, time: c.time?.description,
                    title: c.title,
                    number: c.number.description, type: c.type?.rawValue,
                    presenters: c.presenters.map { PresenterDTO(name: $0.name, organisation: $0.organisation) },
                    summary: c.summary, questions: c.questions, proposedDecision: c.proposedDecision,
                    decision: decided ? c.decision : nil,
                    followUps: decided
                        ? c.followUps.map {
                            FollowUpDTO(text: $0.text, owner: $0.owner, due: $0.due?.description, done: $0.done)
                        } : [],
                    links: c.links.map {
                        LinkDTO(
                            kind: $0.kind.rawValue, target: $0.target, title: targets.title($0), url: SiteURL($0).path)
                    },
                    withdrawn: c.withdrawn)
            }
        }
    }
}
