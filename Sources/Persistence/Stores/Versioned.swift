import Domain
import FluentKit
import Foundation
import SQLKit

public enum SaveResult<R: Sendable & Equatable>: Sendable, Equatable {
    case saved(version: Int64)
    /// Someone saved first: nothing was written. Carries what is stored now.
    case conflict(current: R, version: Int64)
    case notFound
    /// Nothing written, for the reasons given in words: what still depends on a record, a parent that is gone, an id
    /// taken in the meantime.
    case refused(reasons: [String])
}

/// Which table stores which kind of record: the one place the app's record types meet the Fluent models.
enum RecordTables {
    static func table<R: CreatableRecord>(of type: R.Type) -> any VersionedModel.Type {
        switch R.kind {
        case .activity: ActivityModel.self
        case .milestone: MilestoneModel.self
        case .initiative: InitiativeModel.self
        case .subgoal: SubgoalModel.self
        case .goal: GoalModel.self
        case .actor: ActorModel.self
        case .indicator: IndicatorModel.self
        }
    }
}

/// Thrown inside the transaction so that a refused save rolls back, then turned back into its result.
struct RefusedSave<R: Sendable & Equatable>: Error {
    let result: SaveResult<R>

    static func conflict(_ current: R, version: Int64) -> Self {
        Self(result: .conflict(current: current, version: version))
    }
    static var notFound: Self { Self(result: .notFound) }
    static func refused(_ reasons: [String]) -> Self { Self(result: .refused(reasons: reasons)) }
}

/// The one shape of a versioned save: `body` runs in a transaction and returns the new data version, or throws
/// `RefusedSave` — a conflict, a missing row, reasons — which rolls everything back and becomes the result.
func versionedSave<R: Sendable & Equatable>(
    _ type: R.Type, on db: any Database,
    _ body: @escaping @Sendable (any Database) async throws -> Int64
)
    async throws -> SaveResult<R>
{
    do {
        return .saved(version: try await db.transaction { tx in try await body(tx) })
    } catch let refused as RefusedSave<R> {
        return refused.result
    }
}

extension RoadmapWrites {
    /// A live record and its version, nil when there is none or it is retired.
    public static func record<R: CreatableRecord>(_ type: R.Type, id: String, on db: any Database) async throws -> (
        record: R, version: Int64
    )? {
        func read<M: VersionedModel>(_ table: M.Type) async throws -> (record: R, version: Int64)? {
            try await record(table: table, id: id, on: db).map { ($0.record as! R, $0.version) }
        }
        return try await read(RecordTables.table(of: R.self))
    }

    /// Saves an edited record at `expectedVersion` (see the table-level `update` below).
    public static func update<R: CreatableRecord>(
        _ type: R.Type, _ edited: R, expectedVersion: Int64, author: Author, reason: String,
        action: String = "update", consumesDraft: Int64? = nil, on db: any Database
    ) async throws -> SaveResult<R> {
        func save<M: VersionedModel>(_ table: M.Type) async throws -> SaveResult<R> {
            try await update(
                table: table, edited as! M.Record, expectedVersion: expectedVersion, author: author, reason: reason,
                action: action, consumesDraft: consumesDraft, on: db) as! SaveResult<R>
        }
        return try await save(RecordTables.table(of: R.self))
    }

    static func record<M: VersionedModel>(table type: M.Type, id: String, on db: any Database) async throws -> (
        record: M.Record, version: Int64
    )? {
        guard let m = try await M.live(id, on: db) else { return nil }
        return (try await m.record(on: db), m.version)
    }

    /// Optimistic concurrency without races: every writer bumps `data_version` first, which takes the write
    /// lock (PostgreSQL row lock, SQLite's single writer) until commit, so the version read below is current.
    /// A conflict or a missing row rolls everything back, the bump included.
    static func update<M: VersionedModel>(
        table type: M.Type, _ edited: M.Record, expectedVersion: Int64, author: Author, reason: String,
        action: String = "update", consumesDraft: Int64? = nil, on db: any Database
    ) async throws -> SaveResult<M.Record> {
        return try await versionedSave(M.Record.self, on: db) { tx in
            let version = try await nextVersion(
                touching: [DataPart.record(M.Record.kind, id: edited.recordId)], on: tx)
            guard let stored = try await M.live(edited.recordId, on: tx) else {
                throw RefusedSave(result: SaveResult<M.Record>.notFound)
            }
            let before = try await stored.record(on: tx)
            guard stored.version == expectedVersion else {
                throw RefusedSave(result: SaveResult<M.Record>.conflict(current: before, version: stored.version))
            }
            // Structure links (an initiative's sub-goals, an indicator's goals, an actor's parent) were checked
            // against
            // what the form saw; a retirement since then must not leave a link to nothing.
            if ![RecordKind.activity, .milestone].contains(M.Record.kind),
                let d = try await DatasetStore.loadStructure(on: tx)
            {
                let missing = edited.missingParents(in: d)
                if !missing.isEmpty { throw RefusedSave(result: SaveResult<M.Record>.refused(reasons: missing)) }
            }
            try await stored.apply(edited, on: tx)
            stored.version = version
            try await stored.save(on: tx)
            try await audit(
                entityType: M.Record.kind.auditType, entityId: edited.recordId, action: action,
                before: before.auditFields, after: edited.auditFields, author: author, reason: reason,
                afterValues: edited.formValues(), on: tx)
            // A publish from the form that showed the draft consumes it. Other writers (API, restore) never saw it,
            // so it stays, now based on an older version: publishing it later shows both versions instead of
            // overwriting.
            if let consumesDraft {
                try await Drafts.remove(M.Record.kind, id: edited.recordId, draftVersion: consumesDraft, on: tx)
            }
            try await SearchIndex.reindex(DataPart.record(M.Record.kind, id: edited.recordId), on: tx)
            return version
        }
    }
}
