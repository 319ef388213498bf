import Domain
import Foundation
import Persistence
import Routes
import Vapor

/// An initiative's status in a reporting round, with the status report's codes.
struct InitiativeStatusDTO: Content {
    let initiative: String
    @NullEncoded var status: String?
    @NullEncoded var tendency: String?
    let comment: String

    init(_ s: InitiativeStatus) {
        initiative = s.initiative
        status = s.assessment.status?.rawValue
        tendency = s.assessment.tendency?.rawValue
        comment = s.assessment.comment
    }
}

struct RoundActorDTO: Content {
    let actor: String
    let name: String
    let state: String
    let initiatives: [String]
    let missingStatuses: [String]
    @NullEncoded var deliveredAt: Date?
}

struct RoundDTO: Content {
    let id: String
    let period: String
    let deadline: String
    let note: String
    let open: Bool
    @NullEncoded var closedAt: Date?
    @NullEncoded var roadmapVersion: String?
    let initiatives: [String]
    let actors: [RoundActorDTO]
    let url: String

    init(_ r: ReportingRound, parts: [RoundPart], dataset d: Dataset, today: Day) {
        id = r.id
        period = r.period.description
        deadline = r.deadline.description
        note = r.note
        open = !r.isClosed
        closedAt = r.closedAt
        roadmapVersion = r.roadmapVersion
        initiatives = r.initiatives
        url = SiteURL.reportingRound(r.id).path
        actors = RoundBoard.rows(r, parts: parts, in: d, today: today).map {
            RoundActorDTO(
                actor: $0.actor, name: d.actor($0.actor)?.name ?? $0.actor, state: $0.state.rawValue,
                initiatives: $0.initiatives, missingStatuses: $0.missingStatuses, deliveredAt: $0.deliveredAt)
        }
    }
}

struct RoundSummaryDTO: Content {
    let id: String
    let period: String
    let deadline: String
    let open: Bool
    @NullEncoded var roadmapVersion: String?
    let actors: Int
    let delivered: Int
    let url: String
}

struct RoundListDTO: Content { let rounds: [RoundSummaryDTO] }

/// `POST /api/v1/reporting-rounds`.
struct RoundCreateDTO: Content {
    let period: String
    let deadline: String
    let actors: [String]?
    let initiatives: [String]?
    let note: String?
}

/// `PUT …/actors/{actor}`: the statuses and note, and the part's version once it exists.
struct RoundPartInputDTO: Content {
    struct Entry: Content {
        let initiative: String
        let status: String?
        let tendency: String?
        let comment: String?
    }
    let statuses: [Entry]
    let note: String?
    let version: Int64?
}

struct RoundPartDTO: Content {
    let round: String
    let actor: String
    let actorName: String
    let state: String
    /// The initiatives the actor reports on in this round.
    let initiatives: [String]
    let statuses: [InitiativeStatusDTO]
    let note: String
    @NullEncoded var deliveredAt: Date?
    /// Nil until the first save.
    @NullEncoded var version: Int64?

    init(_ stored: StoredPart?, round: ReportingRound, actor: String, dataset d: Dataset, today: Day) {
        self.round = round.id
        self.actor = actor
        actorName = d.actor(actor)?.name ?? actor
        state = RoundBoard.state(of: stored?.part, in: round, today: today).rawValue
        initiatives = round.initiatives(of: actor, in: d)
        statuses = (stored?.part.statuses ?? []).map(InitiativeStatusDTO.init)
        note = stored?.part.note ?? ""
        deliveredAt = stored?.part.deliveredAt
        version = stored?.version
    }
}

struct RoundPartConflictDTO: Content {
    let status: Int
    let message: String
    let current: RoundPartDTO
}

/// `POST …/deliver` and `…/reopen`.
struct VersionOnlyDTO: Content { let version: Int64 }

/// `POST …/close` and `POST /api/v1/roadmap/versions`: the number (default: the next minor number) and a note.
struct VersionInputDTO: Content {
    let number: String?
    let note: String?
}

struct RoadmapVersionDTO: Content {
    let number: String
    let publishedOn: String
    @NullEncoded var round: String?
    let note: String
    let activities: Int
    let milestones: Int
    let url: String
    let changesUrl: String

    init(_ v: RoadmapVersion) {
        number = v.number
        publishedOn = v.publishedOn.description
        round = v.round
        note = v.note
        activities = v.items.filter { $0.kind == .activity }.count
        milestones = v.items.filter { $0.kind == .milestone }.count
        url = SiteURL.roadmap.path + "?versjon=\(v.number)"
        changesUrl = SiteURL.roadmapChanges.path + "?til=\(v.number)"
    }
}

struct RoadmapVersionListDTO: Content { let versions: [RoadmapVersionDTO] }

struct VersionItemDTO: Content {
    let phase: String
    @NullEncoded var start: String?
    @NullEncoded var end: String?
    let planning: String
    let description: String
    @NullEncoded var delayKind: String?
    @NullEncoded var delayCause: String?
    @NullEncoded var delayNote: String?

    init(_ i: VersionItem) {
        phase = i.phase
        start = i.start
        end = i.end
        planning = i.planning
        description = i.description
        delayKind = i.delay?.kind.rawValue
        delayCause = i.delay?.cause.rawValue
        delayNote = i.delay?.note
    }
}

struct RoadmapChangeDTO: Content {
    let change: String
    let kind: String
    let id: String
    let initiative: String
    @NullEncoded var actor: String?
    @NullEncoded var before: VersionItemDTO?
    @NullEncoded var after: VersionItemDTO?
    /// Days the due date moved, positive when later.
    @NullEncoded var days: Int?
    let details: [String]

    init(_ c: RoadmapChange) {
        change = c.kind.rawValue
        kind = c.item.kind.rawValue
        id = c.item.id
        initiative = c.item.initiative
        actor = c.item.actor
        before = c.before.map(VersionItemDTO.init)
        after = c.kind == .removed ? nil : VersionItemDTO(c.item)
        days = c.days
        details = c.details
    }
}

struct RoadmapChangesDTO: Content {
    let from: String
    let to: String
    let changes: [RoadmapChangeDTO]
}

struct TrendPointDTO: Content {
    /// Nil for today's plan, when it differs from the latest version.
    @NullEncoded var version: String?
    let publishedOn: String
    @NullEncoded var date: String?
}

struct MilestoneTrendDTO: Content {
    let milestone: String
    let initiative: String
    let movesInARow: Int
    let flagged: Bool
    let points: [TrendPointDTO]
}
