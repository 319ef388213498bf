import Domain
import FluentKit
import Foundation
import SQLKit

/// A table whose rows people edit one at a time: it knows its domain record and carries a version.
public protocol VersionedModel: Model where IDValue == String {
    associatedtype Record: CreatableRecord
    var version: Int64 { get set }
    /// Order in the data files; a new or reinstated record comes last.
    var position: Int { get set }
    /// Retired rows stay for the history and a reinstatement; every read of the dataset leaves them out.
    var retired: Bool? { get set }
    func record(on db: any Database) async throws -> Record
    /// Writes the record's editable fields (not id, not version) and anything hanging off the row. A row that does not
    /// exist yet is inserted before what hangs off it.
    func apply(_ record: Record, on db: any Database) async throws
    /// Sets the id and the parent links of a new row.
    func setIdentity(_ record: Record)
}

extension VersionedModel {
    /// The row unless it is retired.
    static func live(_ id: String, on db: any Database) async throws -> Self? {
        guard let m = try await find(id, on: db), m.retired != true else { return nil }
        return m
    }
}

public enum SaveResult<R: Sendable & Equatable>: Sendable, Equatable {
    case saved(version: Int64)
    /// Someone saved first: nothing was written. Carries what is stored now.
    case conflict(current: R, version: Int64)
    case notFound
    /// Nothing written, for the reasons given in words: what still depends on a record, a parent that is gone, an id
    /// taken in the meantime.
    case refused(reasons: [String])
}

public struct M006VersionAllEditableTables: AsyncMigration {
    public init() {}
    public var name: String { "M006VersionAllEditableTables" }

    public func prepare(on db: any Database) async throws {
        for table in ["milestones", "initiatives", "subgoals", "goals", "actors"] {
            try await (db as! any SQLDatabase).raw("ALTER TABLE \(ident: table) ADD COLUMN version BIGINT NOT NULL DEFAULT 1").run()
        }
    }

    public func revert(on db: any Database) async throws {
        for table in ["milestones", "initiatives", "subgoals", "goals", "actors"] { try await db.schema(table).deleteField("version").update() }
    }
}

/// Thrown inside the transaction so that a refused save rolls back, then turned back into its result.
struct RefusedSave<R: Sendable & Equatable>: Error { let result: SaveResult<R> }

extension RoadmapWrites {
    public static func record<M: VersionedModel>(_ type: M.Type, id: String, on db: any Database) async throws -> (record: M.Record, version: Int64)? {
        guard let m = try await M.live(id, on: db) else { return nil }
        return (try await m.record(on: db), m.version)
    }

    /// Optimistic concurrency without races: every writer bumps `data_version` first, which takes the write
    /// lock (PostgreSQL row lock, SQLite's single writer) until commit, so the version read below is current.
    /// A conflict or a missing row rolls everything back, the bump included.
    public static func update<M: VersionedModel>(_ type: M.Type, _ edited: M.Record, expectedVersion: Int64, author: Author, reason: String,
                                                action: String = "update", consumesDraft: Int64? = nil, on db: any Database) async throws -> SaveResult<M.Record> {
        do {
            return try await db.transaction { tx in
                let version = try await nextVersion(touching: [DataPart.record(M.Record.kind, id: edited.recordId)], on: tx)
                guard let stored = try await M.live(edited.recordId, on: tx) else { throw RefusedSave(result: SaveResult<M.Record>.notFound) }
                let before = try await stored.record(on: tx)
                guard stored.version == expectedVersion else { throw RefusedSave(result: SaveResult<M.Record>.conflict(current: before, version: stored.version)) }
                // Structure links (an initiative's sub-goals, an indicator's goals, an actor's parent) were checked against
                // what the form saw; a retirement since then must not leave a link to nothing.
                if ![RecordKind.activity, .milestone].contains(M.Record.kind), let d = try await DatasetStore.loadStructure(on: tx) {
                    let missing = edited.missingParents(in: d)
                    if !missing.isEmpty { throw RefusedSave(result: SaveResult<M.Record>.refused(reasons: missing)) }
                }
                try await stored.apply(edited, on: tx)
                stored.version = version
                try await stored.save(on: tx)
                try await audit(entityType: M.Record.kind.auditType, entityId: edited.recordId, action: action,
                                before: before.auditFields, after: edited.auditFields, author: author, reason: reason,
                                afterValues: edited.formValues(), on: tx)
                // A publish from the form that showed the draft consumes it. Other writers (API, restore) never saw it,
                // so it stays, now based on an older version: publishing it later shows both versions instead of overwriting.
                if let consumesDraft { try await Drafts.remove(M.Record.kind, id: edited.recordId, draftVersion: consumesDraft, on: tx) }
                try await SearchIndex.reindex(DataPart.record(M.Record.kind, id: edited.recordId), on: tx)
                return .saved(version: version)
            }
        } catch let refused as RefusedSave<M.Record> {
            return refused.result
        }
    }
}

extension ActivityModel: VersionedModel {
    public func setIdentity(_ a: Activity) { id = a.id; initiativeId = a.initiativeSlug; actorId = a.actorSlug }
    public func record(on db: any Database) async throws -> Activity { try domain() }
    public func apply(_ a: Activity, on db: any Database) async throws {
        phase = a.phase.rawValue
        startPeriod = a.span.start?.description; endPeriod = a.span.end?.description
        startDay = a.span.start?.firstDay.ordinal; endDay = a.span.end?.lastDay.ordinal
        tentative = a.tentative; summary = a.description; done = a.done
        writeBaselineAndDelay(a.baseline, a.delay)
    }
}

extension MilestoneModel: VersionedModel {
    public func setIdentity(_ m: Milestone) { id = m.id; initiativeId = m.initiativeSlug; actorId = m.actorSlug }
    func domain() throws -> Milestone {
        guard let k = MilestoneKind(rawValue: kind) else { throw DatasetStore.Corrupt(description: "ugyldig milepælstype \(kind)") }
        let (baseline, delay) = try readBaselineAndDelay()
        return Milestone(id: id!, initiativeSlug: initiativeId, actorSlug: actorId, kind: k, date: try Period.parse(datePeriod), tentative: tentative,
                         description: summary, baseline: baseline, delay: delay, done: done ?? false)
    }

    public func record(on db: any Database) async throws -> Milestone {
        try domain()
    }
    public func apply(_ m: Milestone, on db: any Database) async throws {
        kind = m.kind.rawValue; datePeriod = m.date.description; dateDay = m.date.firstDay.ordinal; tentative = m.tentative; summary = m.description
        done = m.done
        writeBaselineAndDelay(m.baseline, m.delay)
    }
}

extension InitiativeModel: VersionedModel {
    public func setIdentity(_ i: Initiative) { id = i.slug }
    public func record(on db: any Database) async throws -> Initiative {
        guard let k = InitiativeKind(rawValue: kind) else { throw DatasetStore.Corrupt(description: "ugyldig tiltakstype \(kind)") }
        let links = try await InitiativeSubgoalModel.query(on: db).filter(\.$initiativeId == id!).sort(\.$position).all()
        return Initiative(slug: id!, title: title, shortTitle: shortTitle, kind: k, priorityRank: priorityRank, subgoalIds: links.map(\.subgoalId),
                          target: target, description: summary)
    }
    public func apply(_ i: Initiative, on db: any Database) async throws {
        title = i.title; shortTitle = i.shortTitle; kind = i.kind.rawValue; priorityRank = i.priorityRank; target = i.target; summary = i.description
        if !$id.exists { try await create(on: db) }  // a new initiative: the links below refer to its row
        try await InitiativeSubgoalModel.query(on: db).filter(\.$initiativeId == id!).delete()
        for (j, sg) in i.subgoalIds.enumerated() {
            let link = InitiativeSubgoalModel(); link.initiativeId = id!; link.subgoalId = sg; link.position = j
            try await link.create(on: db)
        }
    }
}

extension SubgoalModel: VersionedModel {
    public func setIdentity(_ s: Subgoal) { id = s.id; goalId = s.goalId }
    public func record(on db: any Database) async throws -> Subgoal {
        guard let st = SubgoalStatus(rawValue: status) else { throw DatasetStore.Corrupt(description: "ugyldig delmålstatus \(status)") }
        return Subgoal(id: id!, goalId: goalId, title: title, status: st, description: summary)
    }
    public func apply(_ s: Subgoal, on db: any Database) async throws { title = s.title; status = s.status.rawValue; summary = s.description }
}

extension GoalModel: VersionedModel {
    public func setIdentity(_ g: Goal) { id = g.id }
    public func record(on db: any Database) async throws -> Goal {
        Goal(id: id!, title: title, description: summary, outcomes: outcomes.split(separator: "\n").map(String.init))
    }
    public func apply(_ g: Goal, on db: any Database) async throws { title = g.title; summary = g.description; outcomes = g.outcomes.joined(separator: "\n") }
}

extension ActorModel: VersionedModel {
    public func setIdentity(_ a: Actor) { id = a.slug }
    public func record(on db: any Database) async throws -> Actor {
        let t = ActorType(rawValue: type)
        return Actor(slug: id!, name: name, shortName: shortName, type: t, parentSlug: parentId, description: summary)
    }
    public func apply(_ a: Actor, on db: any Database) async throws {
        name = a.name; shortName = a.shortName; type = a.type.rawValue; parentId = a.parentSlug; summary = a.description
    }
}
