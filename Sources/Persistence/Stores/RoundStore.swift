import Domain
import FluentKit
import Foundation

/// A round as stored, with the version its writes are checked against.
public struct StoredRound: Sendable {
    public let round: ReportingRound
    public let version: Int64
}

/// A part as stored; `version` is what the next save must name.
public struct StoredPart: Sendable, Equatable {
    public let part: RoundPart
    public let version: Int64
    public init(part: RoundPart, version: Int64) {
        self.part = part
        self.version = version
    }
}

/// Reporting rounds, their parts and the roadmap versions closing them publishes. Every write takes the data version
/// (the write lock), checks under it and audits in the same transaction.
public enum RoundStore {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    // MARK: reading

    /// Every round, newest period first.
    public static func rounds(on db: any Database) async throws -> [StoredRound] {
        try await ReportingRoundModel.query(on: db).all()
            .map { StoredRound(round: try decode(ReportingRound.self, $0.content), version: $0.version) }
            .sorted { $0.round.period > $1.round.period }
    }

    public static func round(_ id: String, on db: any Database) async throws -> StoredRound? {
        guard let row = try await ReportingRoundModel.query(on: db).filter(\.$code == id).first() else { return nil }
        return StoredRound(round: try decode(ReportingRound.self, row.content), version: row.version)
    }

    public static func parts(of round: String, on db: any Database) async throws -> [StoredPart] {
        try await RoundPartModel.query(on: db).filter(\.$roundCode == round).all()
            .map { StoredPart(part: try decode(RoundPart.self, $0.content), version: $0.version) }
    }

    /// Every part of every round, for the status history of initiatives.
    public static func allParts(on db: any Database) async throws -> [RoundPart] {
        try await RoundPartModel.query(on: db).sort(\.$roundCode).sort(\.$actor).all().map {
            try decode(RoundPart.self, $0.content)
        }
    }

    /// What the parts of a round looked like: each actor with its part's version. A close confirmed against one stamp
    /// is
    /// refused when the parts changed in the meantime (a part delivered, saved or reopened).
    public static func stamp(_ parts: [StoredPart]) -> String {
        parts.map { "\($0.part.actor):\($0.version)" }.sorted().joined(separator: ",")
    }

    public static func part(of round: String, actor: String, on db: any Database) async throws -> StoredPart? {
        guard
            let row = try await RoundPartModel.query(on: db).filter(\.$roundCode == round).filter(\.$actor == actor)
                .first()
        else { return nil }
        return StoredPart(part: try decode(RoundPart.self, row.content), version: row.version)
    }

    /// Every roadmap version, oldest first.
    public static func versions(on db: any Database) async throws -> [RoadmapVersion] {
        try await RoadmapVersionModel.query(on: db).all().map { try decode(RoadmapVersion.self, $0.content) }
            .sorted { VersionNumber.precedes($0.number, $1.number) }
    }

    /// The versions without their items: for lists, pickers and the API's list.
    public static func versionNumbers(on db: any Database) async throws -> [(number: String, publishedOn: String)] {
        try await RoadmapVersionModel.query(on: db).field(\.$number).field(\.$publishedOn).all()
            .map { ($0.number, $0.publishedOn) }.sorted { VersionNumber.precedes($0.number, $1.number) }
    }

    public static func version(_ number: String, on db: any Database) async throws -> RoadmapVersion? {
        try await RoadmapVersionModel.query(on: db).filter(\.$number == number).first()
            .map { try decode(RoadmapVersion.self, $0.content) }
    }

    /// The delay figures of the round for `period`, for the status report of that period; nil without a round.
    public static func delaySummary(for period: Period, dataset d: Dataset, on db: any Database) async throws
        -> RoundDelaySummary?
    {
        guard let round = try await round(period.description, on: db)?.round else { return nil }
        return RoundDelaySummary.compute(round, versions: try await versions(on: db), dataset: d)
    }

    // MARK: writing

    static func refused<R: Sendable & Equatable>(_ reasons: String...) -> RefusedSave<R> {
        RefusedSave(result: SaveResult<R>.refused(reasons: reasons))
    }

    /// Opens `round`; refused when the period has one already.
    public static func open(_ round: ReportingRound, author: Author, on db: any Database) async throws -> SaveResult<
        ReportingRound
    > {
        return try await versionedSave(ReportingRound.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.rounds], on: tx)
            if try await ReportingRoundModel.query(on: tx).filter(\.$code == round.id).first() != nil {
                throw refused("Det finnes allerede en rapporteringsrunde for \(round.period.norwegian).")
                    as RefusedSave<ReportingRound>
            }
            var opened = round
            opened.openedAt = opened.openedAt ?? Date()
            opened.closedAt = nil
            opened.roadmapVersion = nil
            let row = ReportingRoundModel()
            row.code = opened.id
            row.content = try json(opened)
            row.version = version
            try await row.create(on: tx)
            try await RoadmapWrites.audit(
                entityType: "reporting-round", entityId: opened.id, action: "create", before: nil,
                after: summary(opened), author: author, reason: "", on: tx)
            return version
        }
    }

    static func summary(_ r: ReportingRound) -> [(String, String)] {
        [
            ("Periode", r.period.norwegian), ("Frist", r.deadline.norwegian),
            ("Aktører", r.actors.joined(separator: ", ")),
            ("Tiltak", r.initiatives.joined(separator: ", ")),
        ]
    }

    static func statusPairs(_ p: RoundPart) -> [(String, String)] {
        p.statuses.map {
            (
                $0.initiative,
                $0.assessment.statusText + ($0.assessment.comment.isEmpty ? "" : ": " + $0.assessment.comment)
            )
        }
            + (p.note.isEmpty ? [] : [("Merknad", p.note)])
    }

    /// The open round `id`, read under the lock; refused (as a `R` save) when it is gone or closed.
    static func openRound<R: Sendable & Equatable>(_ id: String, refusing _: R.Type, on tx: any Database) async throws
        -> (ReportingRoundModel, ReportingRound)
    {
        guard let row = try await ReportingRoundModel.query(on: tx).filter(\.$code == id).first() else {
            throw RefusedSave<R>(result: SaveResult<R>.notFound)
        }
        let round = try decode(ReportingRound.self, row.content)
        if round.isClosed { throw refused("Runden for \(round.period.norwegian) er avsluttet.") as RefusedSave<R> }
        return (row, round)
    }

    /// Changes an open round's deadline, note and scope at `expectedVersion`. Actors with a saved part and initiatives
    /// someone reported on stay in scope.
    public static func update(
        _ changed: ReportingRound, expectedVersion: Int64, names: [String: String], author: Author,
        on db: any Database
    ) async throws -> SaveResult<ReportingRound> {
        return try await versionedSave(ReportingRound.self, on: db) { tx in
            let next = try await RoadmapWrites.nextVersion(touching: [.rounds], on: tx)
            let (row, round) = try await openRound(changed.id, refusing: ReportingRound.self, on: tx)
            guard row.version == expectedVersion else {
                throw RefusedSave(result: SaveResult<ReportingRound>.conflict(current: round, version: row.version))
            }
            let parts = try await parts(of: round.id, on: tx).map(\.part)
            var reasons: [String] = []
            for p in parts where !changed.actors.contains(p.actor) {
                reasons.append("\(names[p.actor] ?? p.actor) har lagret i runden og kan ikke tas ut.")
            }
            let reported = Set(parts.flatMap { $0.statuses.map(\.initiative) })
            for slug in reported.sorted() where !changed.initiatives.contains(slug) {
                reasons.append("Noen har rapportert på \(names[slug] ?? slug), så tiltaket kan ikke tas ut.")
            }
            if !reasons.isEmpty { throw RefusedSave(result: SaveResult<ReportingRound>.refused(reasons: reasons)) }
            var saved = changed
            saved.openedAt = round.openedAt
            saved.closedAt = nil
            saved.roadmapVersion = nil
            row.content = try json(saved)
            row.version = next
            try await row.save(on: tx)
            try await RoadmapWrites.audit(
                entityType: "reporting-round", entityId: round.id, action: "update", before: summary(round),
                after: summary(saved), author: author, reason: "", on: tx)
            return next
        }
    }

    /// Removes a round opened by mistake: only while it is open and no actor has saved anything in it.
    public static func remove(round id: String, author: Author, on db: any Database) async throws -> SaveResult<
        ReportingRound
    > {
        return try await versionedSave(ReportingRound.self, on: db) { tx in
            _ = try await RoadmapWrites.nextVersion(touching: [.rounds], on: tx)
            let (row, round) = try await openRound(id, refusing: ReportingRound.self, on: tx)
            let saved = try await RoundPartModel.query(on: tx).filter(\.$roundCode == id).count()
            if saved > 0 {
                throw refused(
                    "\(saved == 1 ? "1 aktør" : "\(saved) aktører") har lagret i runden, så den kan ikke slettes. "
                        + "Avslutt den i stedet.") as RefusedSave<ReportingRound>
            }
            try await row.delete(on: tx)
            try await RoadmapWrites.audit(
                entityType: "reporting-round", entityId: id, action: "delete", before: summary(round), after: nil,
                author: author, reason: "", on: tx)
            return row.version
        }
    }

    /// Saves a part's statuses and note. `expectedVersion` is nil only for the first save of the part.
    public static func savePart(_ part: RoundPart, expectedVersion: Int64?, author: Author, on db: any Database)
        async throws -> SaveResult<RoundPart>
    {
        return try await versionedSave(RoundPart.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.rounds], on: tx)
            let (_, round) = try await openRound(part.round, refusing: RoundPart.self, on: tx)
            guard round.actors.contains(part.actor) else {
                throw refused("Aktøren er ikke med i runden for \(round.period.norwegian).")
                    as RefusedSave<RoundPart>
            }
            let row = try await RoundPartModel.query(on: tx).filter(\.$roundCode == part.round).filter(
                \.$actor == part.actor
            ).first()
            var saved = part
            saved.updatedAt = Date()
            saved.delivered = false
            saved.deliveredAt = nil
            saved.deliveredBy = nil
            if let row {
                let current = try decode(RoundPart.self, row.content)
                guard expectedVersion == row.version else {
                    throw RefusedSave(
                        result: SaveResult<RoundPart>.conflict(current: current, version: row.version))
                }
                if current.delivered {
                    throw refused("Delen er levert. Bare en redaktør kan åpne den igjen.") as RefusedSave<RoundPart>
                }
                row.content = try json(saved)
                row.version = version
                try await row.save(on: tx)
                try await RoadmapWrites.audit(
                    entityType: "round-part", entityId: "\(part.round)/\(part.actor)", action: "update",
                    before: statusPairs(current), after: statusPairs(saved), author: author, reason: "", on: tx)
            } else {
                if expectedVersion != nil { throw RefusedSave(result: SaveResult<RoundPart>.notFound) }
                let row = RoundPartModel()
                row.roundCode = part.round
                row.actor = part.actor
                row.content = try json(saved)
                row.version = version
                try await row.create(on: tx)
                try await RoadmapWrites.audit(
                    entityType: "round-part", entityId: "\(part.round)/\(part.actor)", action: "create",
                    before: nil, after: statusPairs(saved), author: author, reason: "", on: tx)
            }
            return version
        }
    }

    /// Delivers a part at `expectedVersion`. `required` are the initiatives that must have a status.
    public static func deliver(
        round id: String, actor: String, expectedVersion: Int64, required: [String], names: [String: String],
        author: Author, on db: any Database
    ) async throws -> SaveResult<RoundPart> {
        try await setDelivered(
            true, round: id, actor: actor, expectedVersion: expectedVersion, required: required, names: names,
            author: author, on: db)
    }

    /// An editor opens a delivered part again, so its actor can change it.
    public static func reopen(
        round id: String, actor: String, expectedVersion: Int64, author: Author, on db: any Database
    )
        async throws -> SaveResult<RoundPart>
    {
        try await setDelivered(
            false, round: id, actor: actor, expectedVersion: expectedVersion, required: [], names: [:],
            author: author, on: db)
    }

    static func setDelivered(
        _ delivered: Bool, round id: String, actor: String, expectedVersion: Int64, required: [String],
        names: [String: String], author: Author, on db: any Database
    ) async throws -> SaveResult<RoundPart> {
        return try await versionedSave(RoundPart.self, on: db) { tx in
            let version = try await RoadmapWrites.nextVersion(touching: [.rounds], on: tx)
            _ = try await openRound(id, refusing: RoundPart.self, on: tx)
            guard
                let row = try await RoundPartModel.query(on: tx).filter(\.$roundCode == id).filter(
                    \.$actor == actor
                ).first()
            else {
                throw RefusedSave(result: SaveResult<RoundPart>.notFound)
            }
            var part = try decode(RoundPart.self, row.content)
            guard expectedVersion == row.version else {
                throw RefusedSave(result: SaveResult<RoundPart>.conflict(current: part, version: row.version))
            }
            if part.delivered == delivered {
                throw refused(delivered ? "Delen er allerede levert." : "Delen er ikke levert.")
                    as RefusedSave<RoundPart>
            }
            let missing = required.filter { part.status(of: $0)?.status == nil }
            if delivered && !missing.isEmpty {
                let list = missing.map { names[$0] ?? $0 }.joined(separator: ", ")
                throw refused("Gi status for alle tiltakene før du leverer. Mangler: \(list).")
                    as RefusedSave<RoundPart>
            }
            part.delivered = delivered
            part.deliveredAt = delivered ? Date() : nil
            part.deliveredBy = delivered ? author.email : nil
            row.content = try json(part)
            row.version = version
            try await row.save(on: tx)
            try await RoadmapWrites.audit(
                entityType: "round-part", entityId: "\(id)/\(actor)", action: delivered ? "deliver" : "reopen",
                before: nil, after: statusPairs(part), author: author, reason: "", on: tx)
            return version
        }
    }

    /// Closes the round and publishes the roadmap as it stands, read under the lock, as version `number`.
    /// `expectedStamp` (`stamp(_:)` of the parts the editor saw) refuses the close when a part changed since.
    public static func close(
        round id: String, number: String, note: String, publishedOn: Day, expectedStamp: String?, author: Author,
        on db: any Database
    ) async throws -> SaveResult<ReportingRound> {
        return try await versionedSave(ReportingRound.self, on: db) { tx in
            let next = try await RoadmapWrites.nextVersion(touching: [.rounds, .versions], on: tx)
            let (row, round) = try await openRound(id, refusing: ReportingRound.self, on: tx)
            if let expectedStamp, stamp(try await parts(of: id, on: tx)) != expectedStamp {
                throw refused(
                    "En aktør har levert, lagret eller fått åpnet delen sin etter at du åpnet denne siden. "
                        + "Se over tavlen og avslutt på nytt.") as RefusedSave<ReportingRound>
            }
            let version = try await frozen(
                number: number, note: note, publishedOn: publishedOn, round: id, refusing: ReportingRound.self,
                on: tx)
            var done = round
            done.closedAt = Date()
            done.roadmapVersion = version.number
            row.content = try json(done)
            row.version = next
            try await row.save(on: tx)
            try await insert(version, on: tx)
            try await RoadmapWrites.audit(
                entityType: "reporting-round", entityId: id, action: "close", before: nil,
                after: [("Veikartversjon", version.number)], author: author, reason: "", on: tx)
            try await auditVersion(version, author: author, on: tx)
            return next
        }
    }

    /// Publishes the roadmap as it stands, read under the lock, as version `number`: a revision outside a round.
    public static func publish(number: String, note: String, publishedOn: Day, author: Author, on db: any Database)
        async throws -> SaveResult<RoadmapVersion>
    {
        return try await versionedSave(RoadmapVersion.self, on: db) { tx in
            let next = try await RoadmapWrites.nextVersion(touching: [.versions], on: tx)
            let version = try await frozen(
                number: number, note: note, publishedOn: publishedOn, round: nil, refusing: RoadmapVersion.self,
                on: tx)
            try await insert(version, on: tx)
            try await auditVersion(version, author: author, on: tx)
            return next
        }
    }

    /// The version to publish: its number checked against those stored, its items the roadmap as stored now.
    static func frozen<R: Sendable & Equatable>(
        number: String, note: String, publishedOn: Day, round: String?, refusing _: R.Type,
        on tx: any Database
    ) async throws -> RoadmapVersion {
        let existing = try await RoadmapVersionModel.query(on: tx).field(\.$number).all().map(\.number)
        if let problem = VersionNumber.problem(number, existing: existing) { throw refused(problem) as RefusedSave<R> }
        guard let d = try await DatasetStore.loadStructure(on: tx) else {
            throw refused("Det finnes ikke noe veikart å publisere.") as RefusedSave<R>
        }
        return RoadmapVersion(
            number: number, publishedOn: publishedOn, round: round, note: note, items: RoadmapVersion.items(of: d))
    }

    static func auditVersion(_ version: RoadmapVersion, author: Author, on tx: any Database) async throws {
        try await RoadmapWrites.audit(
            entityType: "roadmap-version", entityId: version.number, action: "create", before: nil,
            after: [
                ("Versjon", version.number), ("Dato", version.publishedOn.norwegian),
                ("Rapporteringsrunde", version.round ?? ""), ("Merknad", version.note),
                ("Aktiviteter og milepæler", String(version.items.count)),
            ],
            author: author, reason: "", on: tx)
    }

    static func insert(_ version: RoadmapVersion, on db: any Database) async throws {
        let row = RoadmapVersionModel()
        row.number = version.number
        row.publishedOn = version.publishedOn.description
        row.content = try json(version)
        try await row.create(on: db)
    }

    /// Replaces every round, part and version (seeding, `import --erstatt-alt`), inside the caller's transaction.
    public static func replaceAll(
        rounds: [ReportingRound], parts: [RoundPart], versions: [RoadmapVersion], on db: any Database
    )
        async throws
    {
        try await RoundPartModel.query(on: db).delete()
        try await ReportingRoundModel.query(on: db).delete()
        try await RoadmapVersionModel.query(on: db).delete()
        let version = try await DatasetStore.version(on: db)
        for r in rounds {
            let row = ReportingRoundModel()
            row.code = r.id
            row.content = try json(r)
            row.version = version
            try await row.create(on: db)
        }
        for p in parts {
            let row = RoundPartModel()
            row.roundCode = p.round
            row.actor = p.actor
            row.content = try json(p)
            row.version = version
            try await row.create(on: db)
        }
        for v in versions { try await insert(v, on: db) }
    }

    /// The shipped rounds and versions into an installation without any: through the change feed, with an audit entry.
    public static func seed(
        rounds: [ReportingRound], parts: [RoundPart], versions: [RoadmapVersion], author: Author,
        on db: any Database
    ) async throws {
        try await db.transaction { tx in
            _ = try await RoadmapWrites.nextVersion(touching: [.rounds, .versions], on: tx)
            try await replaceAll(rounds: rounds, parts: parts, versions: versions, on: tx)
            try await RoadmapWrites.audit(
                entityType: "reporting-round", entityId: "*", action: "import", before: nil,
                after: [
                    ("Runder", String(rounds.count)), ("Deler", String(parts.count)),
                    ("Veikartversjoner", versions.map(\.number).joined(separator: ", ")),
                ],
                author: author, reason: "", on: tx)
        }
    }

    /// Whether anything of the cycle is stored: the seed is only added to an installation without it.
    public static func isEmpty(on db: any Database) async throws -> Bool {
        let rounds = try await ReportingRoundModel.query(on: db).count()
        let versions = try await RoadmapVersionModel.query(on: db).count()
        return rounds == 0 && versions == 0
    }
}
