import APIContract
import Domain
import Foundation
import Routes

// The /api/v1 responses as the generated types, built from domain values (never from Fluent models). The domain has
// types of the same names as many schemas (`Activity`, `Initiative`, `Actor`, `Milestone`, `Delay`, `Indicator`,
// `Assessment`, `Council`, `Meeting` …): inside these extensions an unqualified name can mean the generated sibling,
// so domain types are written `Domain.…` and generated ones `Components.Schemas.…`.

// MARK: strategy, initiatives, actors, roadmap

extension Components.Schemas.Strategy {
    init(_ d: Dataset) {
        let s = d.strategy
        // The roadmap's time axis (`Dataset.roadmapYears`).
        let years = d.roadmapYears
        let phases = s.phases.all.enumerated().map { index, p in
            PhasesPayloadPayload(
                code: p.code.rawValue, name: p.name, number: index + 1, colour: p.colour, textColour: p.textColour,
                description: p.description)
        }
        let actorTypes = s.actorTypes.all.map {
            ActorTypesPayloadPayload(code: $0.code.rawValue, name: $0.name, pluralName: $0.pluralName)
        }
        let overarchingGoals = d.overarchingGoals.map {
            OverarchingGoalsPayloadPayload(id: $0.id, title: $0.title, description: $0.description)
        }
        let goals = d.goals.map { g in
            GoalsPayloadPayload(
                id: g.id, title: g.title, description: g.description, outcomes: g.outcomes,
                url: SiteURL.goal(g.id).path,
                subgoals: d.subgoals(ofGoal: g.id).map { Components.Schemas.SubgoalSummary($0) })
        }
        self.init(
            title: s.title, version: s.version, periodStart: s.periodStart, periodEnd: s.periodEnd, vision: s.vision,
            // The strategy's own texts, with their defaults applied (as the pages show them).
            shortName: s.displayShortName, description: s.displaySummary, source: s.source,
            outcomesHeading: s.displayOutcomesHeading,
            roadmapFrom: years.lowerBound, roadmapTo: years.upperBound, phases: phases, actorTypes: actorTypes,
            overarchingGoals: overarchingGoals, goals: goals)
    }
}

extension Components.Schemas.SubgoalSummary {
    init(_ s: Domain.Subgoal) {
        self.init(
            id: s.id, goalId: s.goalId, title: s.title, status: .init(s.status),
            url: SiteURL.subgoal(s.id).path)
    }
}

extension Components.Schemas.Subgoal {
    init(_ s: Domain.Subgoal, dataset d: Dataset) {
        self.init(
            id: s.id, goalId: s.goalId, title: s.title, status: .init(s.status), description: s.description,
            url: SiteURL.subgoal(s.id).path,
            initiatives: d.initiatives(ofSubgoal: s.id).map { Components.Schemas.InitiativeSummary($0) })
    }
}

extension Components.Schemas.InitiativeSummary {
    init(_ i: Domain.Initiative) {
        self.init(
            slug: i.slug, title: i.title, shortTitle: i.shortTitle, kind: .init(i.kind),
            priorityRank: i.priorityRank, subgoalIds: i.subgoalIds, target: i.target,
            url: SiteURL.initiative(i.slug).path)
    }
}

extension Components.Schemas.Initiative {
    init(_ i: Domain.Initiative, dataset d: Dataset) {
        self.init(
            slug: i.slug, title: i.title, shortTitle: i.shortTitle, kind: .init(i.kind),
            priorityRank: i.priorityRank, subgoalIds: i.subgoalIds, target: i.target, description: i.description,
            url: SiteURL.initiative(i.slug).path,
            activities: d.activities(ofInitiative: i.slug).map { Components.Schemas.Activity($0, dataset: d) },
            milestones: d.milestones(ofInitiative: i.slug).map { Components.Schemas.Milestone($0) })
    }
}

extension Components.Schemas.Activity {
    init(_ a: Domain.Activity, dataset d: Dataset) {
        self.init(
            id: a.id, initiative: a.initiativeSlug, actor: a.actorSlug,
            actorName: d.actor(a.actorSlug)?.name ?? a.actorSlug, phase: a.phase.rawValue,
            phaseName: d.strategy.phases.name(a.phase), start: a.span.start?.description,
            end: a.span.end?.description, tentative: a.tentative,
            // Reported as carried out.
            done: a.done, description: a.description,
            // The end as first planned, when it has been moved.
            baseline: a.baseline?.description,
            delay: a.delay.map { DelayPayload(value1: Components.Schemas.Delay($0)) })
    }
}

/// A significant delay recorded on an activity or milestone: kind, cause (codes and names) and a note.
extension Components.Schemas.Delay {
    init(_ d: Domain.Delay) {
        self.init(
            kind: .init(d.kind), kindName: d.kind.name, cause: .init(d.cause), causeName: d.cause.name,
            note: d.note)
    }
}

extension Components.Schemas.Milestone {
    init(_ m: Domain.Milestone) {
        self.init(
            id: m.id, initiative: m.initiativeSlug, actor: m.actorSlug, kind: KindPayload(m.kind),
            kindName: m.kind.name, date: m.date.description, tentative: m.tentative,
            // Reached.
            done: m.done, description: m.description,
            // The date as first planned, when it has been moved.
            baseline: m.baseline?.description,
            delay: m.delay.map { DelayPayload(value1: Components.Schemas.Delay($0)) })
    }
}

extension Components.Schemas.ActorSummary {
    init(_ a: Domain.Actor) {
        self.init(
            slug: a.slug, name: a.name, shortName: a.shortName, _type: a.type.rawValue, parent: a.parentSlug,
            url: SiteURL.actor(a.slug).path)
    }
}

extension Components.Schemas.Actor {
    init(_ a: Domain.Actor, dataset d: Dataset) {
        let activities = d.activities.filter { $0.actorSlug == a.slug }.map {
            Components.Schemas.Activity($0, dataset: d)
        }
        let milestones = d.milestones.filter { $0.actorSlug == a.slug }.map { Components.Schemas.Milestone($0) }
        self.init(
            slug: a.slug, name: a.name, shortName: a.shortName, _type: a.type.rawValue,
            typeName: d.strategy.actorTypes.name(a.type), parent: a.parentSlug,
            children: d.children(ofActor: a.slug).map(\.slug), description: a.description,
            url: SiteURL.actor(a.slug).path, activities: activities, milestones: milestones)
    }
}

extension Operations.Search.Output.Ok.Body.JsonPayload.ResultsPayloadPayload._TypePayload {
    init(_ kind: SearchDocument.Kind) {
        switch kind {
        case .goal: self = .goal
        case .subgoal: self = .subgoal
        case .initiative: self = .initiative
        case .activity: self = .activity
        case .actor: self = .actor
        case .indicator: self = .indicator
        case .council: self = .council
        case .meeting: self = .meeting
        case .councilCase: self = ._case
        }
    }
}

// MARK: indicators

/// One value of an indicator, with the version a change or removal must name.
extension Components.Schemas.VersionedMeasurement {
    init(_ m: IndicatorMeasurement, version: Int64) {
        self.init(
            indicator: m.indicatorId, period: m.period.description, value: m.value, dimension: m.dimension,
            member: m.member, note: m.note, source: m.source, version: Int(version))
    }
}

extension Components.Schemas.IndicatorSummary {
    init(_ s: Domain.IndicatorSummary) {
        let i = s.indicator
        self.init(
            id: i.id, name: i.name, goals: i.goalIds, overarchingGoal: i.overarchingGoalId,
            international: i.international, kind: .init(i.kind), unit: .init(i.unit),
            direction: .init(i.direction), readiness: .init(i.readiness),
            dashboardOrder: i.dashboardOrder,
            latest: s.series.latest.map { LatestPayload(value1: Components.Schemas.Measurement($0)) },
            progress: .init(s.progress.category), url: SiteURL.indicator(i.id).path,
            // The latest published hand assessment, beside the computed `progress`.
            assessed: s.assessed.map { AssessedPayload(value1: Components.Schemas.Assessed($0)) })
    }
}

/// A published hand assessment: traffic light, direction and comment, and the report it is from.
extension Components.Schemas.Assessed {
    init(_ p: PublishedAssessment) {
        self.init(
            status: p.assessment.status.map { .init(value1: .init($0)) },
            tendency: p.assessment.tendency.map { .init(value1: .init($0)) }, comment: p.assessment.comment,
            period: p.period, url: SiteURL.report(p.period).path)
    }
}

extension Components.Schemas.Measurement {
    /// A headline value has no breakdown: its `dimension` and `member` are null, not "".
    init(_ m: IndicatorMeasurement) {
        self.init(
            period: m.period.description, value: m.value, dimension: m.isHeadline ? nil : m.dimension,
            member: m.isHeadline ? nil : m.member, note: m.note, source: m.source)
    }
}

extension Components.Schemas.Ambition {
    init(_ a: Domain.Ambition) {
        self.init(period: a.period.description, value: a.value, state: StatePayload(a.state), note: a.note)
    }
}

extension Components.Schemas.SeriesBreak {
    init(_ b: Domain.SeriesBreak) {
        self.init(period: b.period.description, note: b.note)
    }
}

extension Components.Schemas.Progress {
    init(_ p: ProgressAssessment) {
        self.init(
            category: .init(p.category), label: p.category.name, method: p.method.map { MethodPayload($0) },
            baseline: p.baseline.map { BaselinePayload(value1: Components.Schemas.Measurement($0)) },
            latest: p.latest.map { LatestPayload(value1: Components.Schemas.Measurement($0)) },
            trajectoryNow: p.trajectoryNow, ratio: p.ratio, explanation: p.explanation,
            growthRateRatio: p.secondOpinion?.ratio, growthRateLabel: p.secondOpinion?.label)
    }
}

extension Components.Schemas.Projection {
    init(_ p: Domain.Projection) {
        self.init(
            slopePerYear: p.slopePerYear, fromYear: p.from.t, fromValue: p.from.value, toYear: p.to.t,
            toValue: p.to.value, pointsUsed: p.pointsUsed)
    }
}

extension Components.Schemas.Indicator {
    init(_ s: Domain.IndicatorSummary) {
        let i = s.indicator
        self.init(
            id: i.id, name: i.name, description: i.description, goals: i.goalIds,
            overarchingGoal: i.overarchingGoalId, international: i.international, kind: .init(i.kind),
            unit: .init(i.unit), unitDetail: i.unit.csv.1, direction: .init(i.direction),
            source: i.source, frequency: FrequencyPayload(i.frequency), readiness: .init(i.readiness),
            dashboardOrder: i.dashboardOrder, noAmbitionReason: i.noAmbitionReason.isEmpty ? nil : i.noAmbitionReason,
            measurements: s.series.measurements.map { Components.Schemas.Measurement($0) },
            ambitions: s.series.ambitions.map { Components.Schemas.Ambition($0) },
            seriesBreaks: s.series.breaks.map { Components.Schemas.SeriesBreak($0) },
            progress: Components.Schemas.Progress(s.progress),
            projection: s.projection.map { ProjectionPayload(value1: Components.Schemas.Projection($0)) },
            assessed: s.assessed.map { AssessedPayload(value1: Components.Schemas.Assessed($0)) })
    }
}

// MARK: status reports

extension Components.Schemas.Assessment {
    init(_ a: Domain.Assessment) {
        self.init(
            status: a.status.map { .init(value1: .init($0)) }, tendency: a.tendency.map { .init(value1: .init($0)) },
            comment: a.comment)
    }
}

extension Components.Schemas.ReportSummary {
    /// `publishedAt` as the API has always written it: ISO 8601 to the second in UTC, what `JSONEncoder`'s `.iso8601`
    /// (Vapor's default for JSON) made of the `Date` (`date.formatted(.iso8601)`, e.g. `2024-03-01T12:00:00Z`).
    init(
        period: String, revision: Int, publishedAt: Date?, overall: Components.Schemas.Assessment, url: String
    ) {
        let published: String? = publishedAt.map { $0.formatted(.iso8601) }
        self.init(period: period, revision: revision, publishedAt: published, overall: overall, url: url)
    }
}

extension Components.Schemas.ReportItem {
    init(_ i: ReportSnapshot.Item) {
        // A snapshot stores the computed category as its raw value; read back through `ProgressCategory`, a value it
        // does not know (none is known to exist) is written as null instead of as itself.
        let computed = i.computed.flatMap { ProgressCategory(rawValue: $0) }
        self.init(
            id: i.id, title: i.title, assessment: Components.Schemas.Assessment(i.assessment),
            previous: i.previous.map { PreviousPayload(value1: Components.Schemas.Assessment($0)) }, value: i.value,
            computed: computed.map { .init(value1: .init($0)) }, disagreement: i.disagreement)
    }
}

extension Components.Schemas.ReportGoal {
    init(_ g: ReportSnapshot.GoalPart) {
        self.init(
            id: g.id, title: g.title, assessment: Components.Schemas.Assessment(g.assessment),
            previous: g.previous.map { PreviousPayload(value1: Components.Schemas.Assessment($0)) },
            positives: g.positives, followUps: g.followUps, strategicThemes: g.strategicThemes, otherInfo: g.otherInfo,
            candidateIndicators: g.candidateIndicators, candidateSubgoals: g.candidateSubgoals,
            subgoals: g.subgoals.map { Components.Schemas.ReportItem($0) },
            indicators: g.indicators.map { Components.Schemas.ReportItem($0) })
    }
}

extension Components.Schemas.DelayFigures {
    init(_ d: Domain.DelayFigures) {
        let byCause = Dictionary(uniqueKeysWithValues: d.byCause.map { ($0.key.rawValue, $0.value) })
        self.init(
            kind: .init(d.kind), delayed: d.delayed, total: d.total, percent: d.percent,
            byCause: ByCausePayload(additionalProperties: byCause))
    }
}

extension Components.Schemas.Report {
    init(_ s: ReportSnapshot) {
        let overarching = Dictionary(s.overarching.map { ($0.id, $0.comment) }, uniquingKeysWith: { a, _ in a })
        let benefit = Dictionary(
            uniqueKeysWithValues: SurveyAnswer.allCases.map { ($0.rawValue, s.benefit.counts[$0] ?? 0) })
        let overallPrevious = s.overallPrevious.map {
            OverallPreviousPayload(value1: Components.Schemas.Assessment($0))
        }
        self.init(
            period: s.period, revision: s.revision, horizon: s.horizon, previousPeriod: s.previousPeriod,
            correctionReason: s.correctionReason.isEmpty ? nil : s.correctionReason,
            overall: Components.Schemas.Assessment(s.overall),
            overallPrevious: overallPrevious,
            positives: s.positives, followUps: s.followUps, strategicThemes: s.strategicThemes, otherInfo: s.otherInfo,
            overarching: OverarchingPayload(additionalProperties: overarching),
            goals: s.goals.map { Components.Schemas.ReportGoal($0) },
            delays: s.delays.map { Components.Schemas.DelayFigures($0) },
            benefitFollowUp: BenefitFollowUpPayload(additionalProperties: benefit))
    }
}

// MARK: scoring

extension Components.Schemas.ScoringRound {
    init(_ r: Domain.ScoringRound) {
        let weights = Dictionary(uniqueKeysWithValues: r.model.groups.map { ($0.id, r.model.weight($0.id)) })
        let ranges = Scoring.rankRanges(r)
        let topIds = Set(r.model.groups.map(\.id))
        let results = Scoring.evaluate(r).map { x in
            Components.Schemas.ScoringResult(
                id: x.candidate.id, name: x.candidate.name, initiative: x.candidate.initiativeSlug,
                variant: x.candidate.variant, score: x.score, rank: x.rank, tied: x.tied, complete: x.isComplete,
                ranked: x.candidate.ranked,
                groups: Components.Schemas.ScoringResult.GroupsPayload(
                    additionalProperties: x.values.filter { topIds.contains($0.key) }),
                missingGroups: x.missingGroups, unanswered: x.unanswered,
                rankRange: ranges[x.candidate.id].map { [$0.best, $0.worst] })
        }
        let consistency = Scoring.consistency(r).map {
            Components.Schemas.ScoringFinding(
                candidate: $0.candidateId, key: $0.key, stored: $0.stored, computed: $0.computed)
        }
        self.init(
            id: r.id, title: r.title, date: r.date?.description, modelId: r.model.id, modelVersion: r.model.version,
            weights: WeightsPayload(additionalProperties: weights), results: results, consistency: consistency)
    }
}

// MARK: Council model

extension Components.Schemas.Council {
    init(_ c: Domain.Council, members: [Membership], today: Day) {
        let names = c.names.map {
            Components.Schemas.CouncilName(name: $0.name, shortName: $0.shortName, from: $0.from?.description)
        }
        let sitting = Memberships.at(today, members).map {
            Components.Schemas.CouncilMember(
                name: $0.name, title: $0.title, organisation: $0.organisation,
                role: Components.Schemas.CouncilMember.RolePayload($0.role), from: $0.from?.description)
        }
        self.init(
            slug: c.slug, name: c.name, shortName: c.shortName, names: names, mandate: c.mandate,
            responsibilities: c.responsibilities, members: sitting, url: SiteURL.council(c.slug).path,
            meetingsUrl: SiteURL.api("councils/\(c.slug)/meetings").path)
    }
}

extension Components.Schemas.MeetingSummary {
    init(_ m: Domain.Meeting, council: Domain.Council) {
        self.init(
            id: m.id, council: m.council, councilName: council.name(on: m.startsOn).name, number: m.number,
            startsOn: m.startsOn.description, endsOn: m.endsOn.description, startTime: m.startTime?.description,
            endTime: m.endTime?.description, place: m.place, state: StatePayload(m.state), note: m.note,
            url: SiteURL.meeting(council: m.council, meeting: m.key, .page).path,
            apiUrl: SiteURL.api("meetings/\(m.id)").path)
    }
}

extension Components.Schemas.Meeting {
    init(
        _ m: Domain.Meeting, council: Domain.Council, cases: [CouncilCase], members: [Membership],
        targets: LinkTargets
    ) {
        let substitutes = m.substitutes.map { s in
            SubstitutesPayloadPayload(
                name: s.name, organisation: s.organisation,
                forMember: members.first { $0.id == s.forMember }?.name ?? "")
        }
        // Empty until the notice is published.
        let agenda: [Components.Schemas.AgendaItem] =
            m.state.agendaIsPublic
            ? AgendaLine.agenda(cases: cases, breaks: m.breaks).map {
                Components.Schemas.AgendaItem($0, of: m, targets: targets)
            } : []
        self.init(
            meeting: Components.Schemas.MeetingSummary(m, council: council), substitutes: substitutes, agenda: agenda)
    }
}

extension Components.Schemas.AgendaItem {
    /// One line of a meeting's public agenda: a break, or a case with its decision and follow-ups once the minutes
    /// are published.
    fileprivate init(_ line: AgendaLine, of m: Domain.Meeting, targets: LinkTargets) {
        switch line {
        case .pause(let b):
            self.init(
                kind: ._break, day: b.day, date: m.date(ofDay: b.day).description, time: b.time?.description,
                title: b.title, number: nil, _type: nil, presenters: [], summary: "", questions: [],
                proposedDecision: "", decision: nil, followUps: [], links: [], withdrawn: false)
        case .item(let c):
            let decided = m.state.decisionsArePublic
            let presenters = c.presenters.map {
                PresentersPayloadPayload(name: $0.name, organisation: $0.organisation)
            }
            let followUps =
                decided
                ? c.followUps.map {
                    FollowUpsPayloadPayload(text: $0.text, owner: $0.owner, due: $0.due?.description, done: $0.done)
                } : []
            let links = c.links.map {
                LinksPayloadPayload(
                    kind: LinksPayloadPayload.KindPayload($0.kind), target: $0.target, title: targets.title($0),
                    url: SiteURL($0).path)
            }
            self.init(
                kind: ._case, day: c.day, date: m.date(ofDay: c.day).description, time: c.time?.description,
                title: c.title, number: c.number.description, _type: c.type.map { _TypePayload($0) },
                presenters: presenters, summary: c.summary, questions: c.questions,
                proposedDecision: c.proposedDecision,
                // null until the minutes are published.
                decision: decided ? c.decision : nil, followUps: followUps, links: links, withdrawn: c.withdrawn)
        }
    }
}

// The domain's enums to the document's, case by case: a case added on one side fails to compile here instead of
// producing a value the document does not allow. Enums used by one schema only are inline there; the shared ones
// (components such as `TrafficLight`) follow at the end.

extension Components.Schemas.Milestone.KindPayload {
    fileprivate init(_ kind: MilestoneKind) {
        switch kind {
        case .tilgjengelig: self = .tilgjengelig
        case .forelopig: self = .forelopig
        case .ferdigstilt: self = .ferdigstilt
        }
    }
}

extension Components.Schemas.Indicator.FrequencyPayload {
    fileprivate init(_ frequency: Frequency) {
        switch frequency {
        case .kvartalsvis: self = .kvartalsvis
        case .arlig: self = .arlig
        case .uregelmessig: self = .uregelmessig
        }
    }
}

extension Components.Schemas.Progress.MethodPayload {
    fileprivate init(_ method: ProgressAssessment.Method) {
        switch method {
        case .distance: self = .distance
        case .growth: self = .growth
        }
    }
}

extension Components.Schemas.Ambition.StatePayload {
    fileprivate init(_ state: AmbitionState) {
        switch state {
        case .foreslatt: self = .foreslatt
        case .vedtatt: self = .vedtatt
        }
    }
}

extension Components.Schemas.CouncilMember.RolePayload {
    fileprivate init(_ role: CouncilRole) {
        switch role {
        case .leder: self = .leder
        case .nestleder: self = .nestleder
        case .medlem: self = .medlem
        }
    }
}

extension Components.Schemas.MeetingSummary.StatePayload {
    fileprivate init(_ state: MeetingState) {
        switch state {
        case .planlagt: self = .planlagt
        case .innkalt: self = .innkalt
        case .referat: self = .referat
        }
    }
}

extension Components.Schemas.AgendaItem._TypePayload {
    fileprivate init(_ caseType: CaseType) {
        switch caseType {
        case .godkjenning: self = .godkjenning
        case .orientering: self = .orientering
        case .drofting: self = .drofting
        case .anbefaling: self = .anbefaling
        case .beslutning: self = .beslutning
        }
    }
}

extension Components.Schemas.AgendaItem.LinksPayloadPayload.KindPayload {
    fileprivate init(_ kind: CaseLinkKind) {
        switch kind {
        case .goal: self = .goal
        case .subgoal: self = .subgoal
        case .initiative: self = .initiative
        case .indicator: self = .indicator
        case .report: self = .report
        case .scoringRound: self = .scoringRound
        }
    }
}

// MARK: the document's shared enums (components), from the domain's

extension Components.Schemas.DelayCause {
    init(_ cause: DelayCause) {
        switch cause {
        case .regelverk: self = .regelverk
        case .finansiering: self = .finansiering
        case .leverandor: self = .leverandor
        case .annet: self = .annet
        }
    }
}

extension Components.Schemas.DelayKind {
    init(_ kind: DelayKind) {
        switch kind {
        case .utvikling: self = .utvikling
        case .innforing: self = .innforing
        }
    }
}

extension Components.Schemas.IndicatorDirection {
    init(_ direction: Direction) {
        switch direction {
        case .hoyere: self = .hoyereErBedre
        case .lavere: self = .lavereErBedre
        case .ingen: self = .ingenRetning
        }
    }
}

extension Components.Schemas.IndicatorKind {
    init(_ kind: IndicatorKind) {
        switch kind {
        case .innsatsfaktor: self = .innsatsfaktor
        case .gjennomforing: self = .gjennomforing
        case .effekt: self = .effekt
        }
    }
}

extension Components.Schemas.IndicatorReadiness {
    init(_ readiness: Readiness) {
        switch readiness {
        case .klar: self = .klar
        case .underArbeid: self = .underArbeid
        case .kandidat: self = .kandidat
        case .fremtidig: self = .fremtidig
        }
    }
}

extension Components.Schemas.IndicatorUnit {
    /// The unit's code, as `IndicatorUnit.csv.0` writes it; the detail is `unitDetail` (`csv.1`).
    init(_ unit: IndicatorUnit) {
        switch unit {
        case .percent: self = .prosent
        case .count: self = .antall
        case .fraction: self = .brok
        case .currency: self = .valuta
        case .other: self = .annen
        }
    }
}

extension Components.Schemas.InitiativeKind {
    init(_ kind: InitiativeKind) {
        switch kind {
        case .national: self = .national
        case .actor: self = .actor
        }
    }
}

extension Components.Schemas.ProgressCategory {
    init(_ category: ProgressCategory) {
        switch category {
        case .nadd: self = .nadd
        case .iRute: self = .iRute
        case .noeFremgang: self = .noeFremgang
        case .ingenFremgang: self = .ingenFremgang
        case .forLiteData: self = .forLiteData
        case .ingenAmbisjon: self = .ingenAmbisjon
        }
    }
}

extension Components.Schemas.RecordKind {
    /// The kind's path segment in `/api/v1/records/{kind}/{id}` (`RecordKind.apiName`).
    init(_ kind: RecordKind) {
        switch kind {
        case .activity: self = .activities
        case .milestone: self = .milestones
        case .initiative: self = .initiatives
        case .subgoal: self = .subgoals
        case .goal: self = .goals
        case .actor: self = .actors
        case .indicator: self = .indicators
        }
    }
}

extension Components.Schemas.RoundPartState {
    init(_ state: RoundPartState) {
        switch state {
        case .ikkePaabegynt: self = .ikkePabegynt
        case .underArbeid: self = .underArbeid
        case .levert: self = .levert
        case .forfalt: self = .forfalt
        }
    }
}

extension Components.Schemas.SubgoalStatus {
    init(_ status: SubgoalStatus) {
        switch status {
        case .adopted: self = .adopted
        case .candidate: self = .candidate
        }
    }
}

extension Components.Schemas.Tendency {
    init(_ tendency: Tendency) {
        switch tendency {
        case .motGront: self = .motGront
        case .motRodt: self = .motRodt
        }
    }
}

extension Components.Schemas.TrafficLight {
    init(_ light: TrafficLight) {
        switch light {
        case .gronn: self = .gronn
        case .gul: self = .gul
        case .rod: self = .rod
        }
    }
}
