import Domain
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// "Mitt arbeid": a reporter's (or an editor's) roadmap items with what needs attention, one-step confirm and done, and
/// moving a date with the delay question. Writes go through the one versioned save (`RoadmapWrites.update`).
struct MyWorkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.myWork) { req in try await self.page(req) }
        routes.post(.myWork, use: act)
        routes.get(.record(.activity, ":id", .move)) { req in try await self.move(Activity.self, req, save: false) }
        routes.post(.record(.activity, ":id", .move)) { req in try await self.move(Activity.self, req, save: true) }
        routes.get(.record(.milestone, ":id", .move)) { req in try await self.move(Milestone.self, req, save: false) }
        routes.post(.record(.milestone, ":id", .move)) { req in try await self.move(Milestone.self, req, save: true) }
    }

    static let notices = [
        "bekreftet": "Bekreftet uendret. Takk!", "ferdig": "Markert ferdig.",
        "flyttet": "Den nye datoen er lagret og publisert.",
    ]

    /// The signed-in editor or reporter (RouteGuard lets no one else through).
    func principal(_ req: Request) throws -> Principal { try req.requirePrincipal() }

    func page(_ req: Request, status: HTTPStatus = .ok, error: String? = nil) async throws -> Response {
        let principal = try principal(req)
        let d = try await req.dataset()
        let q = req.queryDictionary
        let months =
            q["maneder"].flatMap(Int.init).flatMap { MyWork.monthChoices.contains($0) ? $0 : nil }
            ?? MyWork.defaultMonths
        let onlyFlagged = q["vis"] == "flagget"
        let writable: Set<String>? = Access.isEditor(principal) ? nil : Access.actorsWritable(by: principal, in: d)
        let choices = d.actors.filter { writable?.contains($0.slug) ?? true }.map { (slug: $0.slug, name: $0.name) }
        let chosen = q["aktor"].flatMap { slug in choices.contains { $0.slug == slug } ? slug : nil } ?? ""
        let items = MyWork.items(
            in: d, actors: chosen.isEmpty ? writable : [chosen],
            lastConfirmed: try await RoadmapWrites.lastConfirmations(on: req.db), today: req.today, months: months)
        let versions = [
            RecordKind.activity: try await RecordLifecycle.versions(.activity, on: req.db),
            RecordKind.milestone: try await RecordLifecycle.versions(.milestone, on: req.db),
        ]
        var groups: [String: [MyWorkPageModel.Row]] = [:]
        for item in items where !onlyFlagged || !item.flags.isEmpty {
            let initiative = d.initiative(item.initiativeSlug)
            groups[item.actorSlug ?? "", default: []].append(
                MyWorkPageModel.Row(
                    kindName: item.kind == .activity ? "Aktivitet" : "Milepæl", kindCode: item.kind.rawValue,
                    id: item.id,
                    version: versions[item.kind]?[item.id] ?? 0, title: item.title,
                    initiativeTitle: initiative?.shortTitle ?? item.initiativeSlug,
                    initiativeURL: SiteURL.initiative(item.initiativeSlug).path,
                    due: item.due?.norwegian ?? "Ingen",
                    baseline: item.baseline.flatMap { $0 == item.due ? nil : $0.norwegian },
                    planning: item.planning.name, delay: item.delay.map(AuditFields.delay),
                    lastConfirmed: item.lastConfirmed?.norwegian ?? "Aldri", flags: item.flags.map(\.text),
                    done: item.planning.done))
        }
        let ordered =
            d.actors.filter { groups[$0.slug] != nil }
            .map { MyWorkPageModel.Group(actorName: $0.name, actorSlug: $0.slug, rows: groups[$0.slug]!) }
            + (groups[""].map {
                [MyWorkPageModel.Group(actorName: "Hele tiltaket (ingen enkelt aktør)", actorSlug: nil, rows: $0)]
            } ?? [])
        var keep: [String] = []
        if months != MyWork.defaultMonths { keep.append("maneder=\(months)") }
        if !chosen.isEmpty { keep.append("aktor=\(chosen)") }
        if onlyFlagged { keep.append("vis=flagget") }
        // Open rounds asking the viewer's actors to report (a reporter's; editors find them under Rapportering).
        var rounds: [MyWorkPageModel.RoundLink] = []
        if let writable {
            for stored in try await RoundStore.rounds(on: req.db) where !stored.round.isClosed {
                let r = stored.round
                let parts = try await RoundStore.parts(of: r.id, on: req.db).map(\.part)
                for actor in r.actors where writable.contains(actor) {
                    let state = RoundBoard.state(of: parts.first { $0.actor == actor }, in: r, today: req.today)
                    rounds.append(
                        .init(
                            text:
                                """
                                \(d.actor(actor)?.name ?? actor): rapportering for \(r.period.norwegian), frist \
                                \(r.deadline.norwegian)
                                """,
                            state: state.name, url: SiteURL.roundPart(r.id, actor: actor).path,
                            done: state == .levert))
                }
            }
        }
        let r = Response.html(
            MyWorkPageView.render(
                MyWorkPageModel(
                    rounds: rounds, groups: ordered, months: months, onlyFlagged: onlyFlagged,
                    actorChoices: choices.count > 1 ? choices : [], chosenActor: chosen,
                    notice: q["gjort"].flatMap { Self.notices[$0] }, error: error,
                    returnQuery: keep.isEmpty ? "" : "?" + keep.joined(separator: "&"))))
        r.status = status
        r.headers.cacheControl = .init(noStore: true)
        return r
    }

    /// Confirm unchanged or mark done, at the version the list showed.
    func act(req: Request) async throws -> Response {
        _ = try principal(req)
        let form = try req.content.decode([String: String].self)
        switch form["type"] {
        case RecordKind.activity.rawValue: return try await act(Activity.self, req, form)
        case RecordKind.milestone.rawValue: return try await act(Milestone.self, req, form)
        default: throw Abort(.badRequest, reason: "Ukjent type «\(form["type"] ?? "")».")
        }
    }

    func act<R: CreatableRecord>(_ type: R.Type, _ req: Request, _ form: [String: String]) async throws -> Response {
        let principal = try principal(req)
        let kind = R.kind
        let id = form["id"] ?? ""
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
            throw Abort(.notFound, reason: "Fant ingen \(kind.name) med id «\(id)».")
        }
        guard Access.canWrite(stored.record, principal, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å endre dette.")
        }
        guard let expected = form["versjon"].flatMap(Int64.init) else {
            throw Abort(.badRequest, reason: "Skjemaet mangler versjon. Last siden på nytt.")
        }
        let author = Author(principal, source: .ui)
        let result: SaveResult<R>
        let done: String
        switch form["handling"] {
        case "bekreft":
            result = try await RoadmapWrites.update(
                R.self, stored.record, expectedVersion: expected, author: author, reason: "Bekreftet uendret",
                action: "confirm", on: req.db)
            done = "bekreftet"
        case "ferdig":
            var values = stored.record.formValues()
            values["planning"] = PlanningState.ferdig.rawValue
            guard case .success(let finished) = stored.record.applying(values, in: d) else {
                return try await page(
                    req, status: .unprocessableEntity,
                    error: "\(kind.definiteName.capitalizedFirst) kan ikke markeres ferdig slik "
                        + "den står nå. Åpne «Endre» og rett opp feltene først.")
            }
            result = try await RoadmapWrites.update(
                R.self, finished, expectedVersion: expected, author: author, reason: "Markert ferdig", on: req.db)
            done = "ferdig"
        default:
            throw Abort(.badRequest, reason: "Ukjent handling.")
        }
        switch result {
        case .saved:
            let query = req.url.query.map { $0 + "&" } ?? ""
            return req.redirect(to: SiteURL.myWork.path + "?\(query)gjort=\(done)", redirectType: .normal)
        case .conflict:
            return try await page(
                req, status: .conflict,
                error: "Noen har endret «\(stored.record.displayTitle)» etter at du åpnet siden. "
                    + "Listen viser nå den nyeste versjonen; se over og prøv igjen.")
        case .notFound, .refused:
            throw Abort(.notFound, reason: "Fant ikke lenger \(kind.name) «\(id)».")
        }
    }

    /// A new end or date; the old one becomes the baseline unless one is kept already.
    func move<R: CreatableRecord>(_ type: R.Type, _ req: Request, save: Bool) async throws -> Response
    where R: MovableRecord {
        let principal = try principal(req)
        let kind = R.kind
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
            throw Abort(.notFound, reason: "Fant ingen \(kind.name) med id «\(id)».")
        }
        guard Access.canWrite(stored.record, principal, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å endre dette.")
        }
        let current = stored.record.formValues()
        let place = EditController.place(stored.record, in: d)
        let fields = R.moveFields()
        func page(
            _ status: HTTPStatus = .ok, values: [String: String], reason: String = "", version: Int64,
            errors: FieldErrors = FieldErrors()
        ) -> Response {
            let r = Response.html(
                MoveRecordView.render(
                    kind: kind, context: place.context + ": " + stored.record.displayTitle, backURL: place.back,
                    formURL: SiteURL.record(kind, id, .move).path,
                    current: current[R.dateField] ?? "",
                    baseline: current["baseline"] ?? "", fields: fields, values: values, reason: reason,
                    version: version, errors: errors))
            r.status = status
            r.headers.cacheControl = .init(noStore: true)
            return r
        }
        guard save else {
            var values = current
            values[R.dateField] = ""
            return page(values: values, version: stored.version)
        }
        let form = try req.content.decode([String: String].self)
        guard let expected = form["versjon"].flatMap(Int64.init) else {
            throw Abort(.badRequest, reason: "Skjemaet mangler versjon. Last siden på nytt.")
        }
        let values = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, form[$0.name] ?? "") })
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ReasonPolicy.problem(reason) {
            return page(
                .unprocessableEntity, values: values, reason: reason, version: expected,
                errors: FieldErrors(["reason": problem]))
        }
        switch stored.record.moving(values, in: d) {
        case .failure(let errors):
            return page(.unprocessableEntity, values: values, reason: reason, version: expected, errors: errors)
        case .success(let moved):
            switch try await RoadmapWrites.update(
                R.self, moved, expectedVersion: expected, author: Author(principal, source: .ui),
                reason: reason, on: req.db)
            {
            case .saved:
                return req.redirect(to: SiteURL.myWork.path(query: [("gjort", "flyttet")]), redirectType: .normal)
            case .conflict(_, let version):
                return page(
                    .conflict, values: values, reason: reason, version: version,
                    errors: FieldErrors([
                        R.dateField: "Noen har endret \(kind.definiteName) etter at du åpnet skjemaet. "
                            + "Sjekk datoen over og lagre igjen."
                    ]))
            case .notFound, .refused:
                throw Abort(.notFound, reason: "Fant ikke lenger \(kind.name) «\(id)».")
            }
        }
    }
}
