import APIContract
import Domain
import Foundation
import Persistence
import Vapor

/// Who may write what through the API, in the order the API has always answered: the token (401), the role (403), the
/// thing addressed (404), and only then the body (400, 422). `APIBodyChecks` runs an operation's precondition before
/// the generated code reads the body; the handler calls the same function for what it found.
extension APIHandlers {
    typealias Precondition = @Sendable (Request, _ path: [String: String]) async throws -> Void

    static let preconditions: [String: Precondition] = [
        Operations.SaveMeasurement.id: { req, path in _ = try await indicatorEditor(req, indicator: path["id"] ?? "") },
        Operations.RemoveMeasurement.id: { req, path in
            _ = try await indicatorEditor(req, indicator: path["id"] ?? "")
        },
        Operations.PatchActivity.id: { req, path in _ = try await writableActivity(req, id: path["id"] ?? "") },
        Operations.PatchRecord.id: { req, path in
            let kind = try recordKind(path["kind"] ?? "")
            _ = try await writableRecord(kind.recordType, id: path["id"] ?? "", req, purpose: .change)
        },
        Operations.RetireRecord.id: { req, path in
            let kind = try recordKind(path["kind"] ?? "")
            _ = try await writableRecord(kind.recordType, id: path["id"] ?? "", req, purpose: .retire)
        },
        Operations.ReinstateRecord.id: { req, path in
            let kind = try recordKind(path["kind"] ?? "")
            _ = try await reinstatableRecord(kind.recordType, id: path["id"] ?? "", req)
        },
        Operations.CreateRecord.id: { req, path in _ = try await creator(req, of: try recordKind(path["kind"] ?? "")) },
        Operations.OpenReportingRound.id: { req, _ in _ = try await roundRunner(req, "åpne rapporteringsrunder") },
        Operations.CloseReportingRound.id: { req, _ in
            _ = try await roundRunner(req, "avslutte rapporteringsrunder")
            _ = try await req.storedRound()
        },
        Operations.DeleteReportingRound.id: { req, _ in
            _ = try await roundRunner(req, "slette rapporteringsrunder")
            _ = try await req.storedRound()
        },
        Operations.PublishRoadmapVersion.id: { req, _ in _ = try await roundRunner(req, "publisere veikartversjoner") },
        Operations.SaveRoundPart.id: { req, path in _ = try await partWriter(req, actor: path["actor"] ?? "") },
        Operations.DeliverRoundPart.id: { req, path in _ = try await partWriter(req, actor: path["actor"] ?? "") },
        Operations.ReopenRoundPart.id: { req, path in
            _ = try await partWriter(req, actor: path["actor"] ?? "", reopening: true)
        },
    ]

    /// An editor, and the indicator whose values are written.
    static func indicatorEditor(_ req: Request, indicator id: String) async throws -> (Principal, Indicator) {
        let principal = try await APIAuth.principal(req)
        guard Access.canWriteStructure(principal) else {
            throw Abort(.forbidden, reason: "Bare redaktører kan endre verdiene til en indikator.")
        }
        return (principal, try await req.dataset().requireIndicator(id))
    }

    /// The activity and a principal allowed to change it.
    static func writableActivity(_ req: Request, id: String) async throws
        -> (principal: Principal, stored: (record: Domain.Activity, version: Int64), dataset: Dataset)
    {
        let principal = try await APIAuth.principal(req)
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(Domain.Activity.self, id: id, on: req.db) else {
            throw Abort(.notFound, reason: "Aktiviteten «\(id)» finnes ikke.")
        }
        guard Access.canWrite(stored.record, principal, in: d) else {
            let actor = d.actor(stored.record.actorSlug)?.name ?? stored.record.actorSlug
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å endre aktiviteter for \(actor).")
        }
        return (principal, stored, d)
    }

    enum RecordPurpose {
        case change, retire
    }

    /// The record and a principal allowed to change or retire it. A retired record is 410 when retiring (it can be
    /// reinstated) and 404 when changing, as before.
    static func writableRecord<R: CreatableRecord>(_ type: R.Type, id: String, _ req: Request, purpose: RecordPurpose)
        async throws -> (principal: Principal, stored: (record: R, version: Int64), dataset: Dataset)
    {
        let principal = try await APIAuth.principal(req)
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
            switch purpose {
            case .change: throw Abort(.notFound, reason: "Fant ingen \(R.kind.name) med id «\(id)».")
            case .retire: throw try await missing(R.kind, id, req)
            }
        }
        guard Access.canWrite(stored.record, principal, in: d) else {
            let verb = purpose == .change ? "endre" : "avvikle"
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å \(verb) denne posten.")
        }
        return (principal, stored, d)
    }

    /// A retired record and a principal allowed to bring it back.
    static func reinstatableRecord<R: CreatableRecord>(_ type: R.Type, id: String, _ req: Request) async throws
        -> (principal: Principal, dataset: Dataset)
    {
        let principal = try await APIAuth.principal(req)
        let d = try await req.dataset()
        guard let retired = try await RecordLifecycle.retired(R.self, on: req.db).first(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "Fant ingen avviklet \(R.kind.name) med id «\(id)».")
        }
        guard Access.canWrite(R.kind, owningActor: retired.owningActor, principal, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å gjeninnføre denne posten.")
        }
        return (principal, d)
    }

    /// A principal whose role may add records of `kind` (whose actor is checked once the record is read).
    static func creator(_ req: Request, of kind: RecordKind) async throws -> Principal {
        let principal = try await APIAuth.principal(req)
        guard Access.canCreate(kind, principal) else {
            throw Abort(.forbidden, reason: "Rollen din kan ikke legge til \(kind.name).")
        }
        return principal
    }

    /// An editor who runs the quarterly cycle; `action` says what was refused («Bare redaktører kan …»).
    static func roundRunner(_ req: Request, _ action: String) async throws -> Principal {
        let principal = try await APIAuth.principal(req)
        guard Access.canRunRounds(principal) else { throw Abort(.forbidden, reason: "Bare redaktører kan \(action).") }
        return principal
    }

    /// The round, the dataset and a principal who reports for `actor` in it; reopening a delivered part is an
    /// editor's.
    static func partWriter(_ req: Request, actor: String, reopening: Bool = false) async throws
        -> (principal: Principal, round: ReportingRound, dataset: Dataset)
    {
        let principal = try await APIAuth.principal(req)
        let (round, d) = try await partContext(req, principal, actor: actor)
        if reopening, !Access.canRunRounds(principal) {
            throw Abort(.forbidden, reason: "Bare en redaktør kan åpne en levert del igjen.")
        }
        return (principal, round, d)
    }

    /// The round and actor of a part request, after checking that `principal` may write the part.
    static func partContext(_ req: Request, _ principal: Principal, actor: String) async throws
        -> (ReportingRound, Dataset)
    {
        let r = try await req.storedRound().round
        let d = try await req.dataset()
        // Rights first, so a token cannot probe which actors a round has.
        guard Access.canReport(principal, for: actor, in: d) else {
            throw Abort(
                .forbidden, reason: "Du har ikke tilgang til å rapportere for «\(String(actor.prefix(60)))».")
        }
        guard d.actor(actor) != nil, r.actors.contains(actor) else {
            throw Abort(
                .notFound,
                reason: "Aktøren «\(String(actor.prefix(60)))» er ikke med i runden for \(r.period.norwegian).")
        }
        return (r, d)
    }
}
