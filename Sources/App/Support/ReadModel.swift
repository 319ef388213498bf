import Domain
import FluentKit
import Foundation
import NIOConcurrencyHelpers
import Persistence
import Vapor

/// What this instance serves pages from: the dataset's structure (everything but the measurements) at a data version,
/// kept current by replaying the database's change feed (`ChangeFeed`) record by record, and for each page topic
/// the last version that changed it, which decides whether a cached page is still fresh (`PageTopics`).
///
/// Every request reads the database's data version first (one indexed row). When it is ahead of this instance,
/// the changes in between are read and applied: each touched record is read again by id and replaced, and the
/// topics it belongs to (its initiative, its actors, …) are marked changed at that version. A gap in the feed,
/// a whole-dataset import, a new record or a record that disappeared makes the instance load the structure again
/// and forget every cached page: always correct, and rare.
final class ReadModel: Sendable {
    struct State: Sendable {
        /// The data version the structure reflects (every change up to it is applied).
        var version: Int64 = -1
        var dataset: Dataset?
        /// Pages rendered before this version are stale whatever their topics (the last full load).
        var floor: Int64 = .max
        /// The last version that changed each topic, since `floor`.
        var changed: [String: Int64] = [:]
    }

    private let state = NIOLockedValueBox(State())
    private let gate = SyncGate()
    private let loads = NIOLockedValueBox(0)

    /// The strategy as this instance last knew it, without waiting for anything: for error pages' frame.
    var latestStrategy: Strategy? { state.withLockedValue { $0.dataset?.strategy } }

    /// How often this instance loaded the whole structure (start, imports, gaps); tests check that edits do not.
    var fullLoads: Int { loads.withLockedValue { $0 } }

    /// The structure at `version` or later; reads the change feed when this instance is behind.
    func dataset(atLeast version: Int64, on db: any Database) async throws -> Dataset? {
        // The structure is briefly absent while a change is applied to it: wait for that, then take it.
        let missing: @Sendable () -> Bool = { [state] in
            state.withLockedValue { $0.dataset == nil || $0.version < version }
        }
        while true {
            if let d = state.withLockedValue({ $0.version >= version ? $0.dataset : nil }) { return d }
            try await gate.run(while: missing) { [self] in try await self.catchUp(to: version, on: db) }
        }
    }

    /// Brings this instance's knowledge of what changed to `version` (or later), so that `isFresh` can be asked.
    /// One request does the work; concurrent ones wait for it.
    func sync(to version: Int64, on db: any Database) async throws {
        let behind: @Sendable () -> Bool = { [state] in
            state.withLockedValue { $0.floor == .max || $0.version < version }
        }
        guard behind() else { return }  // the common case, without a hop to the gate
        try await gate.run(while: behind) { [self] in try await self.catchUp(to: version, on: db) }
    }

    /// Whether a page rendered at `version` that depends on `topics` (nil: on everything) is still what a render now
    /// would give. Call after `sync(to:)` for the current version.
    func isFresh(renderedAt version: Int64, topics: Set<String>?) -> Bool {
        state.withLockedValue { s in
            // Valid while a later change is being applied: what changed up to `s.version` is all known.
            guard version >= s.floor, version <= s.version else { return false }
            // A page that may show anything is fresh only at the instance's own version (every version changed
            // something).
            guard let topics else { return version == s.version }
            if (s.changed[PageTopics.structure] ?? 0) > version { return false }
            return topics.allSatisfy { (s.changed[$0] ?? 0) <= version }
        }
    }

    private func catchUp(to target: Int64, on db: any Database) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { Telemetry.readModelSync.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)) }
        // The structure is taken out of the state while it is updated, so that replacing one record changes it in place
        // instead of copying every array (readers meanwhile wait at the gate). If anything fails, the next request
        // finds no structure and loads it whole.
        let current = state.withLockedValue { s in (version: s.version, floor: s.floor, changed: s.changed) }
        guard target - current.version <= 1_000,
            var dataset = state.withLockedValue({ s -> Dataset? in
                defer { s.dataset = nil }
                return s.dataset
            })
        else { return try await loadAll(on: db) }
        let limit = 2_000
        let changes = try await ChangeFeed.changes(after: current.version, limit: limit, on: db)
        // Versions are contiguous (a rolled-back write rolls its bump back too) and each has at least one row, so a
        // missing version means rows were trimmed or a writer named no parts: start over.
        var reached = current.version
        for change in changes {
            if change.version == reached + 1 {
                reached += 1
            } else if change.version != reached {
                return try await loadAll(on: db)
            }
        }
        guard changes.count < limit, reached >= target else { return try await loadAll(on: db) }
        if changes.isEmpty {
            state.withLockedValue { $0.dataset = dataset }
            return
        }
        var changed = current.changed
        for change in changes {
            guard let topics = try await apply(change.part, to: &dataset, on: db) else {
                return try await loadAll(on: db)
            }
            for topic in topics { changed[topic] = change.version }
        }
        Telemetry.readModelChanges.increment(by: changes.count)
        state.withLockedValue { s in
            s = State(version: reached, dataset: dataset, floor: current.floor, changed: changed)
        }
    }

    private func loadAll(on db: any Database) async throws {
        Telemetry.readModelFullLoads.increment()
        loads.withLockedValue { $0 += 1 }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { Telemetry.datasetLoad.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)) }
        let version = try await DatasetStore.version(on: db)
        guard let dataset = try await DatasetStore.loadStructure(on: db) else {
            throw Abort(
                .serviceUnavailable, reason: "Veikart har ingen data ennå. Last inn data med «veikart import».")
        }
        // The structure may be newer than `version` (a write between the two reads); replaying that write later
        // reads its records again, which is harmless.
        state.withLockedValue { $0 = State(version: version, dataset: dataset, floor: version, changed: [:]) }
    }

    /// Applies one change to `d`; returns the topics it touched, or nil when only a full load is safe.
    private func apply(_ part: DataPart, to d: inout Dataset, on db: any Database) async throws -> [String]? {
        let stored = try await DatasetStore.current(part, on: db)
        switch part {
        case .everything, .strategy:
            return nil
        case .measurements(let id):
            return [PageTopics.indicator(id), PageTopics.indicators]
        case .reports:
            return [PageTopics.reports]
        case .councils:
            return [PageTopics.councils]
        case .scoring:
            return [PageTopics.scoring]
        case .rounds:
            return [PageTopics.rounds]
        case .versions:
            return [PageTopics.versions]
        case .goal(let id):
            guard case .goal(let new)? = stored, replace(&d.goals, where: { $0.id == id }, with: new) else {
                return nil
            }
            return [PageTopics.structure]
        case .subgoal(let id):
            guard case .subgoal(let new)? = stored, replace(&d.subgoals, where: { $0.id == id }, with: new) else {
                return nil
            }
            return [PageTopics.structure]
        case .actor(let slug):
            guard case .actor(let new)? = stored, replace(&d.actors, where: { $0.slug == slug }, with: new) else {
                return nil
            }
            return [PageTopics.structure]
        case .initiative(let slug):
            guard case .initiative(let new)? = stored, replace(&d.initiatives, where: { $0.slug == slug }, with: new)
            else { return nil }
            return [PageTopics.structure]
        case .activity(let id):
            // Created, edited, retired or reinstated: new and reinstated rows come last, as a full load orders them.
            let years = d.dataYears
            let old = d.activities.first { $0.id == id }
            var new: Activity?
            if case .activity(let a)? = stored { new = a }
            upsert(&d.activities, where: { $0.id == id }, with: new)
            return PageTopics.roadmapTopics(
                initiatives: [old?.initiativeSlug, new?.initiativeSlug].compactMap { $0 },
                actors: [old?.actorSlug, new?.actorSlug].compactMap { $0 }, in: d) + yearsTopics(years, d)
        case .milestone(let id):
            let years = d.dataYears
            let old = d.milestones.first { $0.id == id }
            var new: Milestone?
            if case .milestone(let m)? = stored { new = m }
            upsert(&d.milestones, where: { $0.id == id }, with: new)
            return PageTopics.roadmapTopics(
                initiatives: [old?.initiativeSlug, new?.initiativeSlug].compactMap { $0 },
                actors: [old?.actorSlug ?? nil, new?.actorSlug ?? nil].compactMap { $0 }, in: d)
                + yearsTopics(years, d)
        case .indicator(let id):
            guard case .indicator(let new, let ambitions, let breaks)? = stored,
                replace(&d.indicators, where: { $0.id == id }, with: new)
            else { return nil }
            d.ambitions.removeAll { $0.indicatorId == id }
            d.ambitions += ambitions
            d.seriesBreaks.removeAll { $0.indicatorId == id }
            d.seriesBreaks += breaks
            return [PageTopics.indicator(id), PageTopics.indicators]
        }
    }

    /// Every roadmap drawing's axis and every year filter follow the data's years: a change that moves them changes
    /// pages that do not draw the edited record.
    private func yearsTopics(_ before: ClosedRange<Int>, _ d: Dataset) -> [String] {
        d.dataYears == before ? [] : [PageTopics.structure]
    }

    /// Replaces the element `matches` finds with `value`, appends a new one, or removes a retired one (`value` nil).
    private func upsert<T>(_ array: inout [T], where matches: (T) -> Bool, with value: T?) {
        let index = array.firstIndex(where: matches)
        switch (index, value) {
        case (let i?, let v?): array[i] = v
        case (nil, let v?): array.append(v)
        case (let i?, nil): array.remove(at: i)
        case (nil, nil): break
        }
    }

    /// Replaces the one element `matches` finds; false when there is none (a new record: the caller loads everything).
    private func replace<T>(_ array: inout [T], where matches: (T) -> Bool, with value: T) -> Bool {
        guard let i = array.firstIndex(where: matches) else { return false }
        array[i] = value
        return true
    }
}

/// Runs one catch-up at a time: callers that find one running wait for it and then check again.
actor SyncGate {
    private var running: Task<Void, any Error>?

    func run(while needed: @Sendable () -> Bool, _ work: @escaping @Sendable () async throws -> Void) async throws {
        while needed() {
            if let current = running {
                try await current.value
                if running == current { running = nil }
                continue
            }
            let task = Task { try await work() }
            running = task
            defer { if running == task { running = nil } }
            try await task.value
            return
        }
    }
}

/// Reads of the data version for requests that only read, shared: a request joins the first read that *starts after*
/// it arrived, so its answer is as fresh as a read of its own, while under load one query serves every request that
/// arrived during the previous one.
final class DataVersionReader: Sendable {
    private struct State {
        var reading = false
        var waiting: [CheckedContinuation<Int64, any Error>] = []
    }

    private let state = NIOLockedValueBox(State())

    func read(on db: any Database) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLockedValue { s in
                s.waiting.append(continuation)
                if s.reading { return false }
                s.reading = true
                return true
            }
            if start { Task { await self.readForWaiting(on: db) } }
        }
    }

    /// Takes everyone waiting, reads once for them, and repeats while new requests arrived meanwhile.
    private func readForWaiting(on db: any Database) async {
        while true {
            let batch = state.withLockedValue { s in
                let batch = s.waiting
                s.waiting = []
                if batch.isEmpty { s.reading = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let version = try await DatasetStore.version(on: db)
                for waiter in batch { waiter.resume(returning: version) }
            } catch {
                for waiter in batch { waiter.resume(throwing: error) }
            }
        }
    }
}

struct DataVersionReaderKey: StorageKey { typealias Value = DataVersionReader }

struct ReadModelKey: StorageKey { typealias Value = ReadModel }

extension Application {
    /// Set once in `configure`, before the server accepts requests.
    var readModel: ReadModel { storage[ReadModelKey.self]! }
    var dataVersionReader: DataVersionReader { storage[DataVersionReaderKey.self]! }
}
