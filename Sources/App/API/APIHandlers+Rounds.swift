import APIContract
import Domain
import Foundation
import Persistence
import Routes
import Vapor

/// Reporting rounds, roadmap versions and milestone trends (the quarterly cycle). Rounds and parts are for signed-in
/// users, as on the pages.
extension APIHandlers {
    func listReportingRounds(_ input: Operations.ListReportingRounds.Input) async throws
        -> Operations.ListReportingRounds.Output
    {
        let req = try req
        _ = try await APIAuth.principal(req)
        var rounds: [Components.Schemas.RoundSummary] = []
        for stored in try await RoundStore.rounds(on: req.db) {
            let r = stored.round
            let parts = try await RoundStore.parts(of: r.id, on: req.db).map(\.part)
            rounds.append(
                .init(
                    id: r.id, period: r.period.description, deadline: r.deadline.description, open: !r.isClosed,
                    roadmapVersion: r.roadmapVersion, actors: r.actors.count,
                    delivered: parts.filter { $0.delivered && r.actors.contains($0.actor) }.count,
                    url: SiteURL.reportingRound(r.id).path))
        }
        return .ok(.init(body: .json(.init(rounds: rounds))))
    }

    func getReportingRound(_ input: Operations.GetReportingRound.Input) async throws
        -> Operations.GetReportingRound.Output
    {
        let req = try req
        _ = try await APIAuth.principal(req)
        let r = try await req.storedRound().round
        let parts = try await RoundStore.parts(of: r.id, on: req.db).map(\.part)
        return .ok(.init(body: .json(.init(r, parts: parts, dataset: try await req.dataset(), today: req.today))))
    }

    func openReportingRound(_ input: Operations.OpenReportingRound.Input) async throws
        -> Operations.OpenReportingRound.Output
    {
        let req = try req
        let principal = try await Self.roundRunner(req, "åpne rapporteringsrunder")
        let body =
            switch input.body {
            case .json(let body): body
            }
        let d = try await req.dataset()
        let scope = ReportingRound.defaultScope(in: d)
        let existing = try await RoundStore.rounds(on: req.db).map(\.round.id)
        var (round, errors) = ReportingRound.problems(
            period: body.period, deadline: body.deadline, actors: body.actors ?? scope.actors,
            initiatives: body.initiatives ?? scope.initiatives, in: d, existing: existing)
        let note = (body.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 5_000 { errors.messages["note"] = "Merknaden kan ha høyst 5 000 tegn." }
        guard errors.isEmpty, var round else {
            return .unprocessableContent(.init(body: .json(Self.invalid(Self.nothingSaved, errors))))
        }
        round.note = note
        switch try await RoundStore.open(round, author: Author(principal, source: .api), on: req.db) {
        case .saved:
            let stored = try await RoundStore.round(round.id, on: req.db)
            return .created(
                .init(
                    headers: .init(location: SiteURL.api("reporting-rounds/\(round.id)").path),
                    body: .json(.init(stored?.round ?? round, parts: [], dataset: d, today: req.today))))
        case let other:
            return .conflict(
                .init(
                    body: .json(
                        .init(status: 409, message: "Runden ble ikke åpnet.", reasons: other.refusals ?? []))))
        }
    }

    static let nothingSaved = "Ingenting ble lagret; se feltene."

    func getRoundPart(_ input: Operations.GetRoundPart.Input) async throws -> Operations.GetRoundPart.Output {
        let req = try req
        let principal = try await APIAuth.principal(req)
        let actor = input.path.actor
        let (r, d) = try await Self.partContext(req, principal, actor: actor)
        let stored = try await RoundStore.part(of: r.id, actor: actor, on: req.db)
        return .ok(.init(body: .json(.init(stored, round: r, actor: actor, dataset: d, today: req.today))))
    }

    func saveRoundPart(_ input: Operations.SaveRoundPart.Input) async throws -> Operations.SaveRoundPart.Output {
        let req = try req
        let actor = input.path.actor
        let (principal, r, d) = try await Self.partWriter(req, actor: actor)
        let body =
            switch input.body {
            case .json(let body): body
            }
        var (statuses, errors) = RoundPart.read(
            body.statuses.map {
                ($0.initiative, $0.status ?? "", $0.tendency ?? "", $0.comment ?? "")
            },
            round: r, actor: actor, in: d)
        let note = (body.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 5_000 { errors.messages["note"] = "Merknaden kan ha høyst 5 000 tegn." }
        if Set(body.statuses.map(\.initiative)).count != body.statuses.count {
            errors.messages["statuses"] = "Hvert tiltak kan bare stå én gang."
        }
        guard errors.isEmpty else {
            return .unprocessableContent(.init(body: .json(Self.invalid(Self.nothingSaved, errors))))
        }
        let part = RoundPart(round: r.id, actor: actor, statuses: statuses, note: note)
        let result = try await RoundStore.savePart(
            part, expectedVersion: body.version, author: Author(principal, source: .api), on: req.db)
        return switch try await partAnswer(result, req: req, round: r, actor: actor, dataset: d) {
        case .saved(let part, let eTag): .ok(.init(headers: .init(eTag: eTag), body: .json(part)))
        case .conflict(let conflict): .conflict(.init(body: .json(conflict)))
        }
    }

    /// What a write to a part answers: the part as saved (and its ETag), or a 409 body.
    enum PartAnswer {
        case saved(Components.Schemas.RoundPart, eTag: String)
        case conflict(Components.Schemas.RoundPartConflict)
    }

    func partAnswer(
        _ result: SaveResult<RoundPart>, req: Request, round r: ReportingRound, actor: String, dataset d: Dataset
    ) async throws -> PartAnswer {
        switch result {
        case .saved(let version):
            let stored = try await RoundStore.part(of: r.id, actor: actor, on: req.db)
            return .saved(.init(stored, round: r, actor: actor, dataset: d, today: req.today), eTag: Self.eTag(version))
        case .conflict(let current, let version):
            return .conflict(
                .init(
                    status: 409, message: "Noen andre har lagret delen i mellomtiden. Ingenting er endret.",
                    current: .init(
                        StoredPart(part: current, version: version), round: r, actor: actor, dataset: d,
                        today: req.today)))
        case .notFound:
            return .conflict(
                .init(
                    status: 409, message: "Ingenting ble lagret.",
                    reasons: ["Delen finnes ikke ennå, eller versjonen hører ikke til den."]))
        case .refused(let reasons):
            return .conflict(.init(status: 409, message: "Ingenting ble lagret.", reasons: reasons))
        }
    }

    func deliverRoundPart(_ input: Operations.DeliverRoundPart.Input) async throws
        -> Operations.DeliverRoundPart.Output
    {
        let body =
            switch input.body {
            case .json(let body): body
            }
        return switch try await setDelivered(true, actor: input.path.actor, version: body.version) {
        case .saved(let part, let eTag): .ok(.init(headers: .init(eTag: eTag), body: .json(part)))
        case .conflict(let conflict): .conflict(.init(body: .json(conflict)))
        }
    }

    func reopenRoundPart(_ input: Operations.ReopenRoundPart.Input) async throws -> Operations.ReopenRoundPart.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        return switch try await setDelivered(false, actor: input.path.actor, version: body.version) {
        case .saved(let part, let eTag): .ok(.init(headers: .init(eTag: eTag), body: .json(part)))
        case .conflict(let conflict): .conflict(.init(body: .json(conflict)))
        }
    }

    func setDelivered(_ delivered: Bool, actor: String, version: Int64) async throws -> PartAnswer {
        let req = try req
        let (principal, r, d) = try await Self.partWriter(req, actor: actor, reopening: !delivered)
        let author = Author(principal, source: .api)
        let result =
            delivered
            ? try await RoundStore.deliver(
                round: r.id, actor: actor, expectedVersion: version, required: r.initiatives(of: actor, in: d),
                names: Dictionary(d.initiatives.map { ($0.slug, $0.shortTitle) }, uniquingKeysWith: { a, _ in a }),
                author: author, on: req.db)
            : try await RoundStore.reopen(
                round: r.id, actor: actor, expectedVersion: version, author: author, on: req.db)
        return try await partAnswer(result, req: req, round: r, actor: actor, dataset: d)
    }

    func closeReportingRound(_ input: Operations.CloseReportingRound.Input) async throws
        -> Operations.CloseReportingRound.Output
    {
        let req = try req
        let principal = try await Self.roundRunner(req, "avslutte rapporteringsrunder")
        let r = try await req.storedRound().round
        let body: Components.Schemas.VersionInput? =
            switch input.body {
            case .json(let body): body
            case nil: nil
            }
        return
            switch try await publish(
                principal: principal, body,
                write: { number, note, author in
                    try await RoundStore.close(
                        round: r.id, number: number, note: note, publishedOn: req.today, expectedStamp: nil,
                        author: author,
                        on: req.db
                    ).refusals
                })
        {
        case .published(let version, let location):
            .created(.init(headers: .init(location: location), body: .json(version)))
        case .invalid(let errors): .unprocessableContent(.init(body: .json(errors)))
        case .refused(let refused): .conflict(.init(body: .json(refused)))
        }
    }

    /// A round opened by mistake: removed while open and untouched (204), else 409 with the reasons.
    func deleteReportingRound(_ input: Operations.DeleteReportingRound.Input) async throws
        -> Operations.DeleteReportingRound.Output
    {
        let req = try req
        let principal = try await Self.roundRunner(req, "slette rapporteringsrunder")
        let r = try await req.storedRound().round
        guard
            let reasons = try await RoundStore.remove(round: r.id, author: Author(principal, source: .api), on: req.db)
                .refusals
        else {
            return .noContent(.init())
        }
        return .conflict(.init(body: .json(.init(status: 409, message: "Runden ble ikke slettet.", reasons: reasons))))
    }

    func publishRoadmapVersion(_ input: Operations.PublishRoadmapVersion.Input) async throws
        -> Operations.PublishRoadmapVersion.Output
    {
        let req = try req
        let principal = try await Self.roundRunner(req, "publisere veikartversjoner")
        let body: Components.Schemas.VersionInput? =
            switch input.body {
            case .json(let body): body
            case nil: nil
            }
        return
            switch try await publish(
                principal: principal, body,
                write: { number, note, author in
                    try await RoundStore.publish(
                        number: number, note: note, publishedOn: req.today, author: author, on: req.db
                    )
                    .refusals
                })
        {
        case .published(let version, let location):
            .created(.init(headers: .init(location: location), body: .json(version)))
        case .invalid(let errors): .unprocessableContent(.init(body: .json(errors)))
        case .refused(let refused): .conflict(.init(body: .json(refused)))
        }
    }

    enum Publication {
        case published(Components.Schemas.RoadmapVersion, location: String)
        case invalid(Components.Schemas.ValidationError)
        case refused(Components.Schemas.RecordRefused)
    }

    /// Checks the number and note and hands them to `write`, which freezes the roadmap under the lock and gives the
    /// reasons it was refused.
    func publish(
        principal: Principal, _ body: Components.Schemas.VersionInput?,
        write: (String, String, Author) async throws -> [String]?
    ) async throws -> Publication {
        let req = try req
        let numbers = try await RoundStore.versionNumbers(on: req.db).map(\.number)
        let number = (body?.number ?? "").trimmingCharacters(in: .whitespaces)
        let chosen = number.isEmpty ? VersionNumber.next(after: numbers) : number
        let note = (body?.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        if let problem = VersionNumber.problem(chosen, existing: numbers) { errors.messages["number"] = problem }
        if note.count > 5_000 { errors.messages["note"] = "Merknaden kan ha høyst 5 000 tegn." }
        guard errors.isEmpty else { return .invalid(Self.invalid(Self.nothingSaved, errors)) }
        if let reasons = try await write(chosen, note, Author(principal, source: .api)) {
            return .refused(.init(status: 409, message: "Ingen versjon ble publisert.", reasons: reasons))
        }
        guard let stored = try await RoundStore.version(chosen, on: req.db) else { throw Abort(.internalServerError) }
        return .published(.init(stored), location: SiteURL.api("roadmap/versions").path)
    }

    func listRoadmapVersions(_ input: Operations.ListRoadmapVersions.Input) async throws
        -> Operations.ListRoadmapVersions.Output
    {
        let versions = try await RoundStore.versions(on: req.db).map(Components.Schemas.RoadmapVersion.init)
        return .ok(.init(body: .json(.init(versions: versions))))
    }

    func getRoadmapChanges(_ input: Operations.GetRoadmapChanges.Input) async throws
        -> Operations.GetRoadmapChanges.Output
    {
        let req = try req
        let d = try await req.dataset()
        let comparison = try await RoadmapComparison.resolve(
            from: input.query.from, to: input.query.to, dataset: d, on: req)
        return .ok(
            .init(
                body: .json(
                    .init(
                        from: comparison.from, to: comparison.to,
                        changes: comparison.changes.map(Components.Schemas.RoadmapChange.init)))))
    }

    func getMilestoneTrend(_ input: Operations.GetMilestoneTrend.Input) async throws
        -> Operations.GetMilestoneTrend.Output
    {
        let req = try req
        let id = input.path.id
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
        return .ok(
            .init(
                body: .json(
                    .init(
                        milestone: id, initiative: initiative, movesInARow: trend.movesInARow,
                        flagged: trend.isFlagged,
                        points: trend.points.map {
                            .init(
                                version: $0.version, publishedOn: $0.publishedOn.description, date: $0.date?.description
                            )
                        }))))
    }
}
