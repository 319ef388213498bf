import Domain
import Foundation
import Persistence
import Routes
import Vapor

/// Reporting rounds, roadmap versions and milestone trends under /api/v1 (the quarterly cycle).
extension APIController {
    func registerRounds(_ routes: any RoutesBuilder) {
        routes.get(.api("reporting-rounds"), use: rounds)
        routes.post(.api("reporting-rounds"), use: openRound)
        routes.get(.api("reporting-rounds/:id"), use: round)
        routes.post(.api("reporting-rounds/:id/close"), use: closeRound)
        routes.on(.DELETE, .api("reporting-rounds/:id"), access: .apiToken, use: removeRound)
        routes.get(.api("reporting-rounds/:id/actors/:actor"), use: roundPart)
        routes.on(.PUT, .api("reporting-rounds/:id/actors/:actor"), access: .apiToken, use: saveRoundPart)
        routes.post(.api("reporting-rounds/:id/actors/:actor/deliver")) { req in try await self.setDelivered(req, true)
        }
        routes.post(.api("reporting-rounds/:id/actors/:actor/reopen")) { req in try await self.setDelivered(req, false)
        }
        routes.get(.api("roadmap/versions"), use: roadmapVersions)
        routes.post(.api("roadmap/versions"), use: publishRoadmapVersion)
        routes.get(.api("roadmap/changes"), use: roadmapChanges)
        routes.get(.api("milestones/:id/trend"), use: milestoneTrend)
    }

    /// Rounds and parts' progress are for signed-in users, as on the pages.
    func rounds(req: Request) async throws -> RoundListDTO {
        _ = try await APIAuth.principal(req)
        var result: [RoundSummaryDTO] = []
        for stored in try await RoundStore.rounds(on: req.db) {
            let r = stored.round
            let parts = try await RoundStore.parts(of: r.id, on: req.db).map(\.part)
            result.append(
                RoundSummaryDTO(
                    id: r.id, period: r.period.description, deadline: r.deadline.description, open: !r.isClosed,
                    roadmapVersion: r.roadmapVersion, actors: r.actors.count,
                    delivered: parts.filter { $0.delivered && r.actors.contains($0.actor) }.count,
                    url: SiteURL.reportingRound(r.id).path))
        }
        return RoundListDTO(rounds: result)
    }

    func round(req: Request) async throws -> RoundDTO {
        _ = try await APIAuth.principal(req)
        let r = try await req.storedRound().round
        return RoundDTO(
            r, parts: try await RoundStore.parts(of: r.id, on: req.db).map(\.part), dataset: try await req.dataset(),
            today: req.today)
    }

    func openRound(req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        guard Access.canRunRounds(principal) else {
            throw Abort(.forbidden, reason: "Bare redaktører kan åpne rapporteringsrunder.")
        }
        let input: RoundCreateDTO
        do { input = try req.content.decode(RoundCreateDTO.self) } catch {
            throw Abort(
                .badRequest,
                reason: "Ugyldig JSON: forventet {\"period\": \"2026-Q4\", \"deadline\": \"2026-12-15\", …}.")
        }
        let d = try await req.dataset()
        let scope = ReportingRound.defaultScope(in: d)
        let existing = try await RoundStore.rounds(on: req.db).map(\.round.id)
        var (round, errors) = ReportingRound.problems(
            period: input.period, deadline: input.deadline, actors: input.actors ?? scope.actors,
            initiatives: input.initiatives ?? scope.initiatives, in: d, existing: existing)
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 5_000 { errors.messages["note"] = "Merknaden kan ha høyst 5 000 tegn." }
        guard errors.isEmpty, var round else { return try Self.invalid(errors) }
        round.note = note
        let response = Response()
        switch try await RoundStore.open(round, author: Author(principal, source: .api), on: req.db) {
        case .saved:
            response.status = .created
            let stored = try await RoundStore.round(round.id, on: req.db)
            try response.content.encode(RoundDTO(stored?.round ?? round, parts: [], dataset: d, today: req.today))
            response.headers.replaceOrAdd(name: .location, value: SiteURL.api("reporting-rounds/\(round.id)").path)
        case let other:
            response.status = .conflict
            try response.content.encode(
                RecordRefusedDTO(status: 409, message: "Runden ble ikke åpnet.", reasons: other.refusals ?? []))
        }
        return response
    }

    static func invalid(_ errors: FieldErrors, message: String = "Ingenting ble lagret; se feltene.") throws -> Response
    {
        let response = Response(status: .unprocessableEntity)
        try response.content.encode(ValidationErrorDTO(status: 422, message: message, errors: errors.messages))
        return response
    }

    /// The round and actor of a part request, after checking that `principal` may write the part.
    func partContext(_ req: Request, _ principal: Principal) async throws -> (ReportingRound, String, Dataset) {
        let r = try await req.storedRound().round
        let d = try await req.dataset()
        let actor = req.parameters.get("actor") ?? ""
        // Rights first, so a token cannot probe which actors a round has.
        guard Access.canReport(principal, for: actor, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å rapportere for «\(String(actor.prefix(60)))».")
        }
        guard d.actor(actor) != nil, r.actors.contains(actor) else {
            throw Abort(
                .notFound,
                reason: "Aktøren «\(String(actor.prefix(60)))» er ikke med i runden for \(r.period.norwegian).")
        }
        return (r, actor, d)
    }

    func roundPart(req: Request) async throws -> RoundPartDTO {
        let principal = try await APIAuth.principal(req)
        let (r, actor, d) = try await partContext(req, principal)
        return RoundPartDTO(
            try await RoundStore.part(of: r.id, actor: actor, on: req.db), round: r, actor: actor, dataset: d,
            today: req.today)
    }

    func saveRoundPart(req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        let (r, actor, d) = try await partContext(req, principal)
        let input: RoundPartInputDTO
        do { input = try req.content.decode(RoundPartInputDTO.self) } catch {
            throw Abort(
                .badRequest,
                reason:
                    """
                    Ugyldig JSON: forventet {\"statuses\": [{\"initiative\": …, \"status\": \"gul\", …}], \
                    \"version\": …}.
                    """
            )
        }
        var (statuses, errors) = RoundPart.read(
            input.statuses.map { ($0.initiative, $0.status ?? "", $0.tendency ?? "", $0.comment ?? "") },
            round: r, actor: actor, in: d)
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 5_000 { errors.messages["note"] = "Merknaden kan ha høyst 5 000 tegn." }
        if Set(input.statuses.map(\.initiative)).count != input.statuses.count {
            errors.messages["statuses"] = "Hvert tiltak kan bare stå én gang."
        }
        guard errors.isEmpty else { return try Self.invalid(errors) }
        let part = RoundPart(round: r.id, actor: actor, statuses: statuses, note: note)
        let result = try await RoundStore.savePart(
            part, expectedVersion: input.version, author: Author(principal, source: .api), on: req.db)
        return try await partResponse(result, req: req, round: r, actor: actor, dataset: d)
    }

    func partResponse(
        _ result: SaveResult<RoundPart>, req: Request, round r: ReportingRound, actor: String, dataset d: Dataset
    )
        async throws -> Response
    {
        let response = Response()
        switch result {
        case .saved(let version):
            try response.content.encode(
                RoundPartDTO(
                    try await RoundStore.part(of: r.id, actor: actor, on: req.db), round: r, actor: actor,
                    dataset: d, today: req.today))
            response.headers.replaceOrAdd(name: .eTag, value: "\"\(version)\"")
        case .conflict(let current, let version):
            response.status = .conflict
            try response.content.encode(
                RoundPartConflictDTO(
                    status: 409, message: "Noen andre har lagret delen i mellomtiden. Ingenting er endret.",
                    current: RoundPartDTO(
                        StoredPart(part: current, version: version), round: r, actor: actor, dataset: d,
                        today: req.today)))
        case .notFound:
            response.status = .conflict
            try response.content.encode(
                RecordRefusedDTO(
                    status: 409, message: "Ingenting ble lagret.",
                    reasons: ["Delen finnes ikke ennå, eller versjonen hører ikke til den."]))
        case .refused(let reasons):
            response.status = .conflict
            try response.content.encode(
                RecordRefusedDTO(status: 409, message: "Ingenting ble lagret.", reasons: reasons))
        }
        return response
    }

    func setDelivered(_ req: Request, _ delivered: Bool) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        let (r, actor, d) = try await partContext(req, principal)
        if !delivered, !Access.canRunRounds(principal) {
            throw Abort(.forbidden, reason: "Bare en redaktør kan åpne en levert del igjen.")
        }
        guard let input = try? req.content.decode(VersionOnlyDTO.self) else {
            throw Abort(.badRequest, reason: "Ugyldig JSON: forventet {\"version\": …} med delens versjon.")
        }
        let author = Author(principal, source: .api)
        let result =
            delivered
            ? try await RoundStore.deliver(
                round: r.id, actor: actor, expectedVersion: input.version, required: r.initiatives(of: actor, in: d),
                names: Dictionary(d.initiatives.map { ($0.slug, $0.shortTitle) }, uniquingKeysWith: { a, _ in a }),
                author: author, on: req.db)
            : try await RoundStore.reopen(
                round: r.id, actor: actor, expectedVersion: input.version, author: author, on: req.db)
        return try await partResponse(result, req: req, round: r, actor: actor, dataset: d)
    }

    func closeRound(req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        guard Access.canRunRounds(principal) else {
            throw Abort(.forbidden, reason: "Bare redaktører kan avslutte rapporteringsrunder.")
        }
        let r = try await req.storedRound().round
        let input = try Self.versionInput(req)
        return try await publish(req, principal: principal, input: input) { number, note, author in
            try await RoundStore.close(
                round: r.id, number: number, note: note, publishedOn: req.today, expectedStamp: nil, author: author,
                on: req.db
            ).refusals
        }
    }

    /// A round opened by mistake: removed while open and untouched (204), else 409 with the reasons.
    func removeRound(req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        guard Access.canRunRounds(principal) else {
            throw Abort(.forbidden, reason: "Bare redaktører kan slette rapporteringsrunder.")
        }
        let r = try await req.storedRound().round
        guard
            let reasons = try await RoundStore.remove(round: r.id, author: Author(principal, source: .api), on: req.db)
                .refusals
        else {
            return Response(status: .noContent)
        }
        let response = Response(status: .conflict)
        try response.content.encode(
            RecordRefusedDTO(status: 409, message: "Runden ble ikke slettet.", reasons: reasons))
        return response
    }

    func publishRoadmapVersion(req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        guard Access.canRunRounds(principal) else {
            throw Abort(.forbidden, reason: "Bare redaktører kan publisere veikartversjoner.")
        }
        let input = try Self.versionInput(req)
        return try await publish(req, principal: principal, input: input) { number, note, author in
            try await RoundStore.publish(number: number, note: note, publishedOn: req.today, author: author, on: req.db)
                .refusals
        }
    }

    /// Checks the number and note and hands them to `write`, which freezes the roadmap under the lock and gives the
    /// reasons it was refused.
    func publish(
        _ req: Request, principal: Principal, input: VersionInputDTO,
        write: (String, String, Author) async throws -> [String]?
    ) async throws -> Response {
        let numbers = try await RoundStore.versionNumbers(on: req.db).map(\.number)
        let number = (input.number ?? "").trimmingCharacters(in: .whitespaces)
        let chosen = number.isEmpty ? VersionNumber.next(after: numbers) : number
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        if let problem = VersionNumber.problem(chosen, existing: numbers) { errors.messages["number"] = problem }
        if note.count > 5_000 { errors.messages["note"] = "Merknaden kan ha høyst 5 000 tegn." }
        guard errors.isEmpty else { return try Self.invalid(errors) }
        let response = Response()
        if let reasons = try await write(chosen, note, Author(principal, source: .api)) {
            response.status = .conflict
            try response.content.encode(
                RecordRefusedDTO(status: 409, message: "Ingen versjon ble publisert.", reasons: reasons))
        } else {
            response.status = .created
            guard let stored = try await RoundStore.version(chosen, on: req.db) else {
                throw Abort(.internalServerError)
            }
            try response.content.encode(RoadmapVersionDTO(stored))
            response.headers.replaceOrAdd(name: .location, value: SiteURL.api("roadmap/versions").path)
        }
        return response
    }

    /// The optional body of closing and publishing: none at all, or a readable `VersionInputDTO`.
    static func versionInput(_ req: Request) throws -> VersionInputDTO {
        guard let body = req.body.data, body.readableBytes > 0 else { return VersionInputDTO(number: nil, note: nil) }
        do { return try req.content.decode(VersionInputDTO.self) } catch {
            throw Abort(
                .badRequest,
                reason: "Ugyldig JSON: forventet {\"number\": \"1.1\", \"note\": \"…\"} eller uten innhold.")
        }
    }

    func roadmapVersions(req: Request) async throws -> RoadmapVersionListDTO {
        RoadmapVersionListDTO(versions: try await RoundStore.versions(on: req.db).map(RoadmapVersionDTO.init))
    }

    func roadmapChanges(req: Request) async throws -> RoadmapChangesDTO {
        let d = try await req.dataset()
        let comparison = try await RoadmapComparison.resolve(
            from: req.queryDictionary["from"], to: req.queryDictionary["to"],
            dataset: d, on: req)
        return RoadmapChangesDTO(
            from: comparison.from, to: comparison.to, changes: comparison.changes.map(RoadmapChangeDTO.init))
    }

    func milestoneTrend(req: Request) async throws -> MilestoneTrendDTO {
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset()
        let versions = try await RoundStore.versions(on: req.db)
        let current = d.milestones.first { $0.id == id }
        guard
            let initiative = current?.initiativeSlug
                ?? versions.lazy.flatMap(\.items).first(where: { $0.kind == .milestone && $0.id == id })?
                .initiative
        else {
            throw Abort(.notFound, reason: "Milepælen «\(String(id.prefix(60)))» finnes ikke.")
        }
        let trend = MilestoneTrend.of(id, versions: versions, current: current, today: req.today)
        return MilestoneTrendDTO(
            milestone: id, initiative: initiative, movesInARow: trend.movesInARow, flagged: trend.isFlagged,
            points: trend.points.map {
                TrendPointDTO(version: $0.version, publishedOn: $0.publishedOn.description, date: $0.date?.description)
            })
    }
}

extension SaveResult {
    /// Nil when saved; otherwise the reasons in words.
    var refusals: [String]? {
        switch self {
        case .saved: nil
        case .refused(let reasons): reasons
        case .conflict: ["Noen andre har endret dette i mellomtiden."]
        case .notFound: ["Det finnes ikke (lenger)."]
        }
    }
}

/// Which two roadmaps to compare (`from`, `to`: version numbers; `to` may be `naa`, today's plan) and what changed.
struct RoadmapComparison {
    let from: String
    let to: String
    let fromVersion: RoadmapVersion?
    let toVersion: RoadmapVersion?
    let changes: [RoadmapChange]
    /// Every version, oldest first, for pickers.
    let versions: [RoadmapVersion]

    static let today = "naa"

    /// Defaults: `to` the latest version, `from` the one before it. An unknown number is a 404 naming it.
    static func resolve(from: String?, to: String?, dataset d: Dataset, on req: Request) async throws
        -> RoadmapComparison
    {
        let versions = try await RoundStore.versions(on: req.db)
        func find(_ n: String, _ name: String) throws -> RoadmapVersion? {
            if n == today { return nil }
            guard let v = versions.first(where: { $0.number == n }) else {
                throw Abort(.notFound, reason: "Veikartet har ingen versjon «\(String(n.prefix(20)))» (\(name)).")
            }
            return v
        }
        let toNumber = (to ?? "").isEmpty ? (versions.last?.number ?? today) : to!
        let toVersion = try find(toNumber, "til")
        let fromNumber: String
        if let from, !from.isEmpty {
            fromNumber = from
        } else {
            let index = toVersion.flatMap { v in versions.firstIndex { $0.number == v.number } } ?? versions.count
            guard index > 0 else {
                return RoadmapComparison(
                    from: "", to: toNumber, fromVersion: nil, toVersion: toVersion, changes: [], versions: versions)
            }
            fromNumber = versions[index - 1].number
        }
        let fromVersion = try find(fromNumber, "fra")
        let old = fromVersion?.items ?? RoadmapVersion.items(of: d)
        let new = toVersion?.items ?? RoadmapVersion.items(of: d)
        return RoadmapComparison(
            from: fromNumber, to: toNumber, fromVersion: fromVersion, toVersion: toVersion,
            changes: RoadmapChanges.compare(
                old, new, phaseName: { d.strategy.phases.name(Phase(rawValue: $0)) },
                actorName: { d.actor($0)?.name ?? $0 },
                initiativeName: { d.initiative($0)?.shortTitle ?? $0 }),
            versions: versions)
    }
}
