import APIContract
import Domain
import Foundation
import Persistence
import Routes

// Reporting rounds, round parts and roadmap versions as the generated /api/v1 types. The domain has types of the same
// names (`RoundPart`, `InitiativeStatus`, `RoadmapVersion`): inside these extensions they are written `Domain.…`.

extension Components.Schemas.Round {
    init(_ r: ReportingRound, parts: [Domain.RoundPart], dataset d: Dataset, today: Day) {
        let actors = RoundBoard.rows(r, parts: parts, in: d, today: today).map { row in
            Components.Schemas.RoundActor(
                actor: row.actor, name: d.actor(row.actor)?.name ?? row.actor,
                state: .init(row.state), initiatives: row.initiatives,
                missingStatuses: row.missingStatuses, deliveredAt: row.deliveredAt)
        }
        self.init(
            id: r.id, period: r.period.description, deadline: r.deadline.description, note: r.note,
            open: !r.isClosed, closedAt: r.closedAt, roadmapVersion: r.roadmapVersion, initiatives: r.initiatives,
            actors: actors, url: SiteURL.reportingRound(r.id).path)
    }
}

extension Components.Schemas.InitiativeStatus {
    /// An initiative's status in a reporting round, with the status report's codes.
    init(_ s: Domain.InitiativeStatus) {
        self.init(
            initiative: s.initiative, status: s.assessment.status.map { .init(value1: .init($0)) },
            tendency: s.assessment.tendency.map { .init(value1: .init($0)) }, comment: s.assessment.comment)
    }
}

extension Components.Schemas.RoundPart {
    init(_ stored: StoredPart?, round: ReportingRound, actor: String, dataset d: Dataset, today: Day) {
        self.init(
            round: round.id, actor: actor, actorName: d.actor(actor)?.name ?? actor,
            state: .init(RoundBoard.state(of: stored?.part, in: round, today: today)),
            // The initiatives the actor reports on in this round, whether or not it has saved anything.
            initiatives: round.initiatives(of: actor, in: d),
            statuses: (stored?.part.statuses ?? []).map { Components.Schemas.InitiativeStatus($0) },
            note: stored?.part.note ?? "", deliveredAt: stored?.part.deliveredAt,
            // Nil until the first save.
            version: stored?.version)
    }
}

extension Components.Schemas.RoadmapVersion {
    init(_ v: Domain.RoadmapVersion) {
        self.init(
            number: v.number, publishedOn: v.publishedOn.description, round: v.round, note: v.note,
            activities: v.items.filter { $0.kind == .activity }.count,
            milestones: v.items.filter { $0.kind == .milestone }.count,
            url: SiteURL.roadmap.path + "?versjon=\(v.number)",
            changesUrl: SiteURL.roadmapChanges.path + "?til=\(v.number)")
    }
}

extension Components.Schemas.RoadmapItemState {
    init(_ i: VersionItem) {
        // `planning` is stored as text and an imported cycle.json is not checked against the three states; an unknown
        // value reads as planned, as `VersionItem.activity()` and `milestone()` read it.
        let planning = PlanningState(rawValue: i.planning) ?? .planlagt
        self.init(
            phase: i.phase, start: i.start, end: i.end, planning: PlanningPayload(planning),
            description: i.description, delayKind: i.delay.map { .init(value1: .init($0.kind)) },
            delayCause: i.delay.map { .init(value1: .init($0.cause)) }, delayNote: i.delay?.note)
    }
}

// The domain's enums to the document's, case by case: a case added on one side fails to compile here instead of
// producing a value the document does not allow.

extension Components.Schemas.RoadmapItemState.PlanningPayload {
    fileprivate init(_ planning: PlanningState) {
        switch planning {
        case .planlagt: self = .planlagt
        case .tentativ: self = .tentativ
        case .ferdig: self = .ferdig
        }
    }
}

extension Components.Schemas.RoadmapChange {
    init(_ c: Domain.RoadmapChange) {
        self.init(
            change: ChangePayload(c.kind), kind: KindPayload(c.item.kind), id: c.item.id, initiative: c.item.initiative,
            actor: c.item.actor,
            before: c.before.map { BeforePayload(value1: Components.Schemas.RoadmapItemState($0)) },
            // A removal's `item` is the item as it was: there is nothing after it.
            after: c.kind == .removed ? nil : AfterPayload(value1: Components.Schemas.RoadmapItemState(c.item)),
            // Days the due date moved, positive when later.
            days: c.days, details: c.details)
    }
}

extension Components.Schemas.RoadmapChange.ChangePayload {
    fileprivate init(_ kind: Domain.RoadmapChange.Kind) {
        switch kind {
        case .added: self = .ny
        case .removed: self = .fjernet
        case .moved: self = .flyttet
        case .changed: self = .endret
        }
    }
}

extension Components.Schemas.RoadmapChange.KindPayload {
    fileprivate init(_ kind: VersionItem.Kind) {
        switch kind {
        case .activity: self = .activity
        case .milestone: self = .milestone
        }
    }
}
