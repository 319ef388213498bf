import Domain
import FluentKit
import Foundation
import SQLKit

/// A retired record, for the list of what can be reinstated.
public struct RetiredRecord: Sendable, Equatable {
    public let kind: RecordKind
    public let id: String
    public let version: Int64
    public let title: String
    /// The actor a reporter must be allowed for (activities and milestones); nil: structure.
    public let owningActor: String?
    public let retiredAt: Date?
    public let retiredBy: String?
}

/// Creating, retiring and reinstating records: versioned like every edit (the global data version is the lock),
/// audited,
/// re-indexed for search and announced in the change feed. Retiring is soft: the row stays, marked, out of every read.
public enum RecordLifecycle {
    /// The retired ids of one kind: a new record never takes one (its history would mix with the old record's).
    public static func retiredIds(_ kind: RecordKind, on db: any Database) async throws -> Set<String> {
        struct Row: Decodable { let id: String }
        let rows = try await db.sql.select().column("id").from(table(kind))
            .where("retired", .equal, SQLLiteral.boolean(true)).all(decoding: Row.self)
        return Set(rows.map(\.id))
    }

    static func table(_ kind: RecordKind) -> String {
        switch kind {
        case .goal: GoalModel.schema
        case .subgoal: SubgoalModel.schema
        case .actor: ActorModel.schema
        case .initiative: InitiativeModel.schema
        case .activity: ActivityModel.schema
        case .milestone: MilestoneModel.schema
        case .indicator: IndicatorModel.schema
        }
    }

    /// Inserts a record validated by `CreatableRecord.creating`. Refused when its id was taken in the meantime (the
    /// check and the insert run under the write lock) or a parent is gone.
    public static func create<R: CreatableRecord>(
        _ type: R.Type, _ record: R, author: Author, reason: String,
        on db: any Database
    ) async throws -> SaveResult<R> {
        func insert<M: VersionedModel>(_ table: M.Type) async throws -> SaveResult<R> {
            try await create(table: table, record as! M.Record, author: author, reason: reason, on: db)
                as! SaveResult<R>
        }
        return try await insert(RecordTables.table(of: R.self))
    }

    /// Retires a record at `expectedVersion` (see the table-level `retire` below).
    public static func retire<R: CreatableRecord>(
        _ type: R.Type, id: String, expectedVersion: Int64, author: Author, reason: String,
        on db: any Database
    ) async throws -> SaveResult<R> {
        func run<M: VersionedModel>(_ table: M.Type) async throws -> SaveResult<R> {
            try await retire(
                table: table, id: id, expectedVersion: expectedVersion, author: author, reason: reason, on: db)
                as! SaveResult<R>
        }
        return try await run(RecordTables.table(of: R.self))
    }

    /// Reinstates a retired record at `expectedVersion` (see the table-level `reinstate` below).
    public static func reinstate<R: CreatableRecord>(
        _ type: R.Type, id: String, expectedVersion: Int64, author: Author, reason: String,
        on db: any Database
    ) async throws -> SaveResult<R> {
        func run<M: VersionedModel>(_ table: M.Type) async throws -> SaveResult<R> {
            try await reinstate(
                table: table, id: id, expectedVersion: expectedVersion, author: author, reason: reason, on: db)
                as! SaveResult<R>
        }
        return try await run(RecordTables.table(of: R.self))
    }

    /// The retired records of one type (see the table-level `retired` below).
    public static func retired<R: CreatableRecord>(_ type: R.Type, on db: any Database) async throws -> [RetiredRecord]
    {
        func run<M: VersionedModel>(_ table: M.Type) async throws -> [RetiredRecord] {
            try await retired(table: table, on: db)
        }
        return try await run(RecordTables.table(of: R.self))
    }

    static func create<M: VersionedModel>(
        table type: M.Type, _ record: M.Record, author: Author, reason: String,
        on db: any Database
    ) async throws -> SaveResult<M.Record> {
        let kind = M.Record.kind
        let id = record.recordId
        return try await versionedSave(M.Record.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [DataPart.record(kind, id: id)], on: tx)
            // Ids are compared without regard to case everywhere, so here too (two creates of «2.a» and «2.A»).
            let clash = try await tx.sql.select().column("id").column("retired").from(table(kind))
                .where(SQLFunction("LOWER", args: SQLIdentifier("id")), .equal, SQLBind(id.lowercased())).first(
                    decoding: IdRetiredRow.self)
            if let clash {
                let why =
                    clash.retired
                    ? """
                    Id-en «\(id)» tilhørte \(kind.indefinite) som er avviklet. Gjeninnfør \(kind.pronoun), \
                    eller velg en annen id.
                    """
                    : "Id-en «\(id)» ble tatt i bruk av noen andre mens du fylte ut skjemaet. Velg en annen id."
                throw RefusedSave(result: SaveResult<M.Record>.refused(reasons: [why]))
            }
            if let d = try await DatasetStore.loadStructure(on: tx) {
                let missing = record.missingParents(in: d)
                if !missing.isEmpty { throw RefusedSave(result: SaveResult<M.Record>.refused(reasons: missing)) }
            }
            let m = M()
            m.setIdentity(record)
            m.position = try await nextPosition(M.self, on: tx)
            m.version = version
            m.retired = false
            try await m.apply(record, on: tx)
            try await m.save(on: tx)
            try await RoadmapWrites.audit(
                entityType: kind.auditType, entityId: id, action: "create", before: nil,
                after: record.auditFields, author: author, reason: reason,
                afterValues: record.formValues(), on: tx)
            try await SearchIndex.reindex(DataPart.record(kind, id: id), on: tx)
            return version
        }
    }

    /// Retires a record at `expectedVersion`, refused while anything depends on it: records in the dataset, status
    /// reports, council cases, scoring rounds, and for an actor the accounts that report for it.
    static func retire<M: VersionedModel>(
        table type: M.Type, id: String, expectedVersion: Int64, author: Author, reason: String,
        on db: any Database
    ) async throws -> SaveResult<M.Record> {
        let kind = M.Record.kind
        return try await transition(M.self, id: id, from: false, expectedVersion: expectedVersion, on: db) {
            stored, record, tx in
            let dependants = try await self.dependants(kind, id: id, on: tx)
            if !dependants.isEmpty { throw RefusedSave(result: SaveResult<M.Record>.refused(reasons: dependants)) }
            try await RoadmapWrites.audit(
                entityType: kind.auditType, entityId: id, action: "retire", before: record.auditFields,
                after: [("Status", "Avviklet")], author: author, reason: reason, on: tx)
            try await DraftModel.query(on: tx).filter(\.$entityType == kind.auditType).filter(\.$entityId == id)
                .delete()
            // A retired record gives up what only one record may hold (the history keeps what it had).
            (stored as? InitiativeModel)?.priorityRank = nil
            (stored as? IndicatorModel)?.dashboardOrder = nil
        }
    }

    /// Brings a retired record back, last in its list, if the records it hangs off still exist.
    static func reinstate<M: VersionedModel>(
        table type: M.Type, id: String, expectedVersion: Int64, author: Author, reason: String,
        on db: any Database
    ) async throws -> SaveResult<M.Record> {
        let kind = M.Record.kind
        return try await transition(M.self, id: id, from: true, expectedVersion: expectedVersion, on: db) {
            stored, record, tx in
            if let d = try await DatasetStore.loadStructure(on: tx) {
                let missing = record.missingParents(in: d)
                if !missing.isEmpty { throw RefusedSave(result: SaveResult<M.Record>.refused(reasons: missing)) }
                // What others took meanwhile (a priority, a place on the dashboard) is checked as in an edit.
                if case .failure(let errors) = record.applying(record.formValues(), in: d) {
                    throw RefusedSave(
                        result: SaveResult<M.Record>.refused(
                            reasons: errors.messages.keys.sorted().map { errors.messages[$0]! }))
                }
            }
            stored.position = try await nextPosition(M.self, on: tx)
            try await RoadmapWrites.audit(
                entityType: kind.auditType, entityId: id, action: "reinstate", before: [("Status", "Avviklet")],
                after: record.auditFields, author: author, reason: reason,
                afterValues: record.formValues(), on: tx)
        }
    }

    /// Flips `retired` of a row that is in state `from` at `expectedVersion`, under the write lock, after `check`
    /// (which
    /// may refuse by throwing `RefusedSave` and audits); then re-indexes. Anything refused rolls back.
    /// A reinstated row returns at the end of its list; instances reload rather than guess where a replay would put it.
    static func transition<M: VersionedModel>(
        _ type: M.Type, id: String, from retired: Bool, expectedVersion: Int64, on db: any Database,
        _ check: @escaping @Sendable (M, M.Record, any Database) async throws -> Void
    )
        async throws -> SaveResult<M.Record>
    {
        let kind = M.Record.kind
        return try await versionedSave(M.Record.self, on: db) { tx in
            let parts = retired ? [DataPart.record(kind, id: id), .everything] : [DataPart.record(kind, id: id)]
            let version = try await RoadmapWrites.nextVersion(touching: parts, on: tx)
            guard let stored = try await M.find(id, on: tx), (stored.retired ?? false) == retired else {
                throw RefusedSave(result: SaveResult<M.Record>.notFound)
            }
            let record = try await stored.record(on: tx)
            guard stored.version == expectedVersion else {
                throw RefusedSave(result: SaveResult<M.Record>.conflict(current: record, version: stored.version))
            }
            try await check(stored, record, tx)
            stored.retired = !retired
            stored.version = version
            try await stored.save(on: tx)
            try await SearchIndex.reindex(DataPart.record(kind, id: id), on: tx)
            return version
        }
    }

    /// What depends on a record, read in the caller's transaction, in words (`RecordDependants`).
    public static func dependants(_ kind: RecordKind, id: String, on db: any Database) async throws -> [String] {
        guard let d = try await DatasetStore.loadStructure(on: db) else { return [] }
        let accounts: [String]
        if kind == .actor {
            let links = try await UserActorModel.query(on: db).filter(\.$actorSlug == id).all()
            let users = try await UserModel.query(on: db).filter(\.$id ~~ links.map(\.userId)).all()
            accounts = users.map(\.email).sorted()
        } else {
            accounts = []
        }
        return RecordDependants.of(
            kind, id: id, in: d, reports: try await ReportStore.files(on: db),
            rounds: kind == .initiative ? try await ScoringStore.all(on: db) : [],
            cases: try await CouncilStore.allCases(on: db), accounts: accounts)
    }

    /// The retired records of one kind, newest retirement first, with who retired them.
    static func retired<M: VersionedModel>(table type: M.Type, on db: any Database) async throws -> [RetiredRecord] {
        let kind = M.Record.kind
        var result: [RetiredRecord] = []
        for id in try await retiredIds(kind, on: db).sorted() {
            guard let m = try await M.find(id, on: db) else { continue }
            let record = try await m.record(on: db)
            let entry = try await AuditModel.query(on: db).filter(\.$entityType == kind.auditType).filter(
                \.$entityId == m.id!
            )
            .filter(\.$action == "retire").sort(\.$seq, .descending).first()
            result.append(
                RetiredRecord(
                    kind: kind, id: m.id!, version: m.version, title: record.displayTitle,
                    owningActor: record.owningActor,
                    retiredAt: entry?.at, retiredBy: entry?.userEmail))
        }
        return result.sorted { ($0.retiredAt ?? .distantPast) > ($1.retiredAt ?? .distantPast) }
    }

    static func nextPosition<M: VersionedModel>(_ type: M.Type, on db: any Database) async throws -> Int {
        let row = try await db.sql.raw("SELECT MAX(position) AS top FROM \(ident: M.schema)").first(
            decoding: TopRow.self)
        return (row?.top ?? -1) + 1
    }
}

private struct TopRow: Decodable { let top: Int? }

private struct IdRetiredRow: Decodable {
    let id: String
    let retired: Bool
}

extension RoadmapWrites {
    /// Actions that count as someone having looked at a roadmap item and stood by it.
    static let confirmingActions = ["create", "update", "confirm", "restore", "reinstate"]

    /// The day each activity and milestone was last confirmed, changed, created or reinstated, keyed
    /// `"<kind>:<id>"` (the kind's path segment). Items without any such entry were loaded by an import and never
    /// looked at.
    public static func lastConfirmations(on db: any Database) async throws -> [String: Day] {
        let kinds: [RecordKind] = [.activity, .milestone]
        let byType = Dictionary(uniqueKeysWithValues: kinds.map { ($0.auditType, $0) })
        let rows = try await AuditModel.query(on: db).filter(\.$entityType ~~ kinds.map(\.auditType)).filter(
            \.$action ~~ confirmingActions
        )
        .field(\.$entityType).field(\.$entityId).field(\.$at).all()
        var latest: [String: Date] = [:]
        for row in rows {
            guard let kind = byType[row.entityType] else { continue }
            let key = "\(kind.rawValue):\(row.entityId)"
            if latest[key].map({ $0 < row.at }) ?? true { latest[key] = row.at }
        }
        return latest.mapValues { Day(secondsSince1970: $0.timeIntervalSince1970) }
    }
}

extension RecordLifecycle {
    /// The version of every live row of one kind, for lists whose one-step actions carry the version they showed.
    public static func versions(_ kind: RecordKind, on db: any Database) async throws -> [String: Int64] {
        let rows = try await db.sql.select().column("id").column("version").from(table(kind))
            .where("retired", .equal, SQLLiteral.boolean(false)).all(decoding: IdVersionRow.self)
        return Dictionary(rows.map { ($0.id, $0.version) }, uniquingKeysWith: { a, _ in a })
    }
}

private struct IdVersionRow: Decodable {
    let id: String
    let version: Int64
}
