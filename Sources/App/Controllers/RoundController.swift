import Charts
import Domain
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// The quarterly cycle in the UI: reporting rounds (open, report, deliver, close), roadmap versions, what changed
/// between them, and milestone trends. The same rules (`Access`), checks (`ReportingRound`, `RoundPart`) and
/// versioned, audited writes (`RoundStore`) as the API.
struct RoundController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.reportingRounds, use: list)
        routes.get(.newReportingRound) { try await self.open($0, save: false) }
        routes.post(.newReportingRound) { try await self.open($0, save: true) }
        routes.get(.reportingRound(":id"), use: board)
        routes.get(.reportingRoundChange(":id", .close)) { try await self.close($0, save: false) }
        routes.post(.reportingRoundChange(":id", .close)) { try await self.close($0, save: true) }
        routes.get(.reportingRoundChange(":id", .change)) { try await self.change($0, save: false) }
        routes.post(.reportingRoundChange(":id", .change)) { try await self.change($0, save: true) }
        routes.get(.reportingRoundChange(":id", .delete)) { try await self.remove($0, save: false) }
        routes.post(.reportingRoundChange(":id", .delete)) { try await self.remove($0, save: true) }
        routes.get(.roundPart(":id", actor: ":actor")) { try await self.part($0, save: false) }
        routes.post(.roundPart(":id", actor: ":actor")) { try await self.part($0, save: true) }
        routes.get(.roundPartDelivery(":id", actor: ":actor")) { try await self.deliver($0, save: false) }
        routes.post(.roundPartDelivery(":id", actor: ":actor")) { try await self.deliver($0, save: true) }
        routes.post(.roundPartReopening(":id", actor: ":actor"), use: reopen)
        routes.get(.roadmapVersions, use: versions)
        routes.get(.newRoadmapVersion) { try await self.publish($0, save: false) }
        routes.post(.newRoadmapVersion) { try await self.publish($0, save: true) }
        routes.get(.roadmapChanges, use: changes)
        routes.get(.milestoneTrend(initiative: ":id"), use: trend)
    }

    static func noStore(_ html: String, _ status: HTTPStatus = .ok) -> Response {
        let r = Response.html(html)
        r.status = status
        r.headers.cacheControl = .init(noStore: true)
        return r
    }

    static func date(_ d: Date?) -> String? { d.map { Day.utc($0).day.norwegian } }

    // MARK: rounds

    func list(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let d = try await req.dataset()
        let writable = principal.role == .rapportor ? Access.actorsWritable(by: principal, in: d) : []
        var rows: [RoundListModel.Row] = []
        var mine: [RoundListModel.MyPart] = []
        for stored in try await RoundStore.rounds(on: req.db) {
            let r = stored.round
            let parts = try await RoundStore.parts(of: r.id, on: req.db).map(\.part)
            let delivered = parts.filter { $0.delivered && r.actors.contains($0.actor) }.count
            rows.append(
                .init(
                    title: "Runde \(r.period.norwegian)", url: SiteURL.reportingRound(r.id).path,
                    deadline: r.deadline.norwegian,
                    state: r.isClosed ? "Avsluttet" : (req.today > r.deadline ? "Åpen, fristen er passert" : "Åpen"),
                    delivered: "\(delivered) av \(r.actors.count)", version: r.roadmapVersion))
            guard !r.isClosed else { continue }
            for actor in r.actors where writable.contains(actor) {
                let part = parts.first { $0.actor == actor }
                mine.append(
                    .init(
                        round: r.period.norwegian, actor: d.actor(actor)?.name ?? actor,
                        state: RoundBoard.state(of: part, in: r, today: req.today), deadline: r.deadline.norwegian,
                        url: SiteURL.roundPart(r.id, actor: actor).path))
            }
        }
        return Self.noStore(
            RoundListView.render(
                RoundListModel(
                    rows: rows, myParts: mine, canOpen: Access.canRunRounds(principal),
                    notice: req.queryDictionary["lagret"] == "slettet" ? "Runden er slettet." : nil)))
    }

    func open(_ req: Request, save: Bool) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: editors only
        let d = try await req.dataset()
        let scope = ReportingRound.defaultScope(in: d)
        func page(
            _ status: HTTPStatus, period: String, deadline: String, note: String, initiatives: Set<String>,
            actors: Set<String>,
            errors: FieldErrors = FieldErrors()
        ) -> Response {
            let model = RoundFormModel(
                period: period, deadline: deadline, note: note,
                initiatives: d.initiatives.map {
                    .init(value: $0.slug, label: $0.title, checked: initiatives.contains($0.slug))
                },
                actors: d.actors.map { .init(value: $0.slug, label: $0.name, checked: actors.contains($0.slug)) },
                errors: errors)
            return Self.noStore(RoundFormView.render(model), status)
        }
        guard save else {
            let existing = Set(try await RoundStore.rounds(on: req.db).map(\.round.id))
            // The first quarter from this one without a round, due two weeks after it ends.
            var (year, quarter) = (req.today.year, (req.today.components.month - 1) / 3 + 1)
            while existing.contains(Period.quarter(year, quarter).description) {
                (year, quarter) = quarter == 4 ? (year + 1, 1) : (year, quarter + 1)
            }
            let period = Period.quarter(year, quarter)
            return page(
                .ok, period: period.description, deadline: period.lastDay.adding(days: 14).description, note: "",
                initiatives: Set(scope.initiatives), actors: Set(scope.actors))
        }
        struct Form: Content {
            var periode: String?, frist: String?, merknad: String?
            var tiltak: [String]?, aktorer: [String]?
        }
        let form = try req.content.decode(Form.self)
        let initiatives = form.tiltak ?? []
        let actors = form.aktorer ?? []
        let note = (form.merknad ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var (round, errors) = ReportingRound.problems(
            period: form.periode ?? "", deadline: form.frist ?? "", actors: actors,
            initiatives: initiatives, in: d,
            existing: try await RoundStore.rounds(on: req.db).map(\.round.id))
        if note.count > 5_000 { errors.messages["note"] = "Beskjeden kan ha høyst 5 000 tegn." }
        func again(_ errors: FieldErrors, _ status: HTTPStatus = .unprocessableEntity) -> Response {
            page(
                status, period: form.periode ?? "", deadline: form.frist ?? "", note: form.merknad ?? "",
                initiatives: Set(initiatives),
                actors: Set(actors), errors: errors)
        }
        guard errors.isEmpty, var round else { return again(errors) }
        round.note = note
        switch try await RoundStore.open(round, author: Author(principal, source: .ui), on: req.db) {
        case .saved:
            return req.redirect(
                to: SiteURL.reportingRound(round.id).path(query: [("lagret", "apnet")]),
                redirectType: .normal)
        case let other: return again(FieldErrors(["period": (other.refusals ?? []).joined(separator: " ")]), .conflict)
        }
    }

    func board(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let r = try await req.storedRound().round
        let d = try await req.dataset()
        let parts = try await RoundStore.parts(of: r.id, on: req.db).map(\.part)
        let rows = RoundBoard.rows(r, parts: parts, in: d, today: req.today)
        let canManage = Access.canRunRounds(principal)
        var reminder: [String] = []
        if canManage {
            let waiting = Set(rows.filter { $0.state != .levert }.map(\.actor))
            for (user, actors) in try await Accounts.all(on: req.db)
            where user.role == Role.rapportor.rawValue && !user.disabled {
                let p = Principal(
                    userId: "", email: user.email, name: user.name, role: .rapportor, actorSlugs: Set(actors))
                if !Access.actorsWritable(by: p, in: d).isDisjoint(with: waiting) { reminder.append(user.email) }
            }
        }
        let summary = RoundDelaySummary.compute(r, versions: try await RoundStore.versions(on: req.db), dataset: d)
        func links(_ slugs: [String]) -> [RoundBoardModel.Link] {
            slugs.map {
                .init(name: summary?.names[$0] ?? d.initiative($0)?.shortTitle ?? $0, url: SiteURL.initiative($0).path)
            }
        }
        let notice: String? =
            switch req.queryDictionary["lagret"] {
            case "apnet": "Runden er åpnet. Aktørene ser sin del under «Rapportering»."
            case "gjenapnet": "Delen er åpnet igjen for aktøren."
            case "endret": "Endringene er lagret."
            default: nil
            }
        var model = RoundBoardModel(
            id: r.id, title: "Rapporteringsrunde \(r.period.norwegian)", deadline: r.deadline.norwegian, note: r.note,
            closed: Self.date(r.closedAt), version: r.roadmapVersion,
            rows: rows.map { row in
                RoundBoardModel.Row(
                    actor: d.actor(row.actor)?.name ?? row.actor, state: row.state, initiatives: row.initiatives.count,
                    missing: row.missingStatuses.map { d.initiative($0)?.shortTitle ?? $0 },
                    delivered: Self.date(row.deliveredAt),
                    partURL: SiteURL.roundPart(r.id, actor: row.actor).path)
            },
            counts: RoundBoard.counts(rows), reminder: reminder.sorted(),
            delays: (summary?.lines ?? []).map { line in
                RoundBoardModel.DelayRow(
                    kind: line.kind.name, text: line.text, initiatives: links(line.initiatives),
                    causes: DelayCause.allCases.compactMap { c in line.byCause[c.rawValue].map { (c.name, links($0)) } }
                )
            },
            delaysBasis: summary?.basis
                ?? "Runden ble avsluttet uten å publisere en versjon av veikartet, "
                + "så forsinkelsene kan ikke beregnes.",
            canManage: canManage, notice: notice)
        model.canDelete = canManage && !r.isClosed && parts.isEmpty
        return Self.noStore(RoundBoardView.render(model))
    }

    func close(_ req: Request, save: Bool) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: editors only
        let r = try await req.storedRound().round
        // A closed round has nothing left to close: back to its board, which says so.
        if r.isClosed && !save { return req.redirect(to: SiteURL.reportingRound(r.id).path, redirectType: .normal) }
        let d = try await req.dataset()
        let numbers = try await RoundStore.versionNumbers(on: req.db).map(\.number)
        let stored = try await RoundStore.parts(of: r.id, on: req.db)
        let parts = stored.map(\.part)
        let waiting = RoundBoard.rows(r, parts: parts, in: d, today: req.today).filter { $0.state != .levert }.count
        // The page always shows the parts as they are now; a part changed after it was shown refuses the close.
        let stamp = RoundStore.stamp(stored)
        let form = save ? try req.content.decode([String: String].self) : [:]
        let number = (form["nummer"] ?? VersionNumber.next(after: numbers)).trimmingCharacters(in: .whitespaces)
        let note = (form["merknad"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        func page(_ status: HTTPStatus, problems: [String] = [], numberError: String? = nil) -> Response {
            let paragraphs = [
                "Når runden avsluttes, kan ingen aktør levere eller endre sin del mer.",
                waiting == 0 ? "Alle aktørene har levert." : "\(RoundUICount.parts(waiting)) er ikke levert.",
                """
                Veikartet slik det er nå, publiseres som versjon \(number), datert \(req.today.norwegian). Det \
                kan ikke angres.
                """,
            ]
            let fields = [
                ConfirmField(
                    name: "nummer", label: "Versjonsnummer", hint: "To tall med punktum, høyere enn siste versjon.",
                    value: number, error: numberError),
                ConfirmField(
                    name: "merknad", label: "Merknad til versjonen (valgfri)",
                    hint: "Vises på siden «Hva er endret».", value: note),
            ]
            return Self.noStore(
                ConfirmPageView.render(
                    ConfirmPageModel(
                        title: "Avslutt runden \(r.period.norwegian)",
                        path: SiteURL.reportingRoundChange(r.id, .close).path,
                        breadcrumbs: [
                            ("Rapportering", SiteURL.reportingRounds.path),
                            ("Runde \(r.period.norwegian)", SiteURL.reportingRound(r.id).path),
                        ],
                        paragraphs: paragraphs, formURL: SiteURL.reportingRoundChange(r.id, .close).path,
                        hidden: [("stempel", stamp)],
                        confirmLabel: "Ja, avslutt og publiser versjon \(number)",
                        backURL: SiteURL.reportingRound(r.id).path,
                        problems: problems,
                        fields: fields)), status)
        }
        guard save else { return page(.ok) }
        if let problem = VersionNumber.problem(number, existing: numbers) {
            return page(.unprocessableEntity, problems: [problem], numberError: problem)
        }
        if note.count > 5_000 { return page(.unprocessableEntity, problems: ["Merknaden kan ha høyst 5 000 tegn."]) }
        let result = try await RoundStore.close(
            round: r.id, number: number, note: note, publishedOn: req.today,
            expectedStamp: form["stempel"] ?? "", author: Author(principal, source: .ui), on: req.db)
        if let reasons = result.refusals { return page(.conflict, problems: reasons) }
        return req.redirect(
            to: SiteURL.roadmapChanges.path(query: [("til", number), ("lagret", "publisert")]),
            redirectType: .normal)
    }

    /// An open round's deadline, note and scope, changed by an editor at the version the form was read.
    func change(_ req: Request, save: Bool) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: editors only
        let stored = try await req.storedRound()
        let r = stored.round
        guard !r.isClosed else { return req.redirect(to: SiteURL.reportingRound(r.id).path, redirectType: .normal) }
        let d = try await req.dataset()
        func page(
            _ status: HTTPStatus, deadline: String, note: String, initiatives: Set<String>, actors: Set<String>,
            version: Int64,
            errors: FieldErrors = FieldErrors()
        ) -> Response {
            var model = RoundFormModel(
                period: r.id, deadline: deadline, note: note,
                initiatives: d.initiatives.map {
                    .init(value: $0.slug, label: $0.title, checked: initiatives.contains($0.slug))
                },
                actors: d.actors.map { .init(value: $0.slug, label: $0.name, checked: actors.contains($0.slug)) },
                errors: errors)
            model.editing = (r.id, r.period.norwegian, version)
            return Self.noStore(RoundFormView.render(model), status)
        }
        guard save else {
            return page(
                .ok, deadline: r.deadline.norwegian, note: r.note, initiatives: Set(r.initiatives),
                actors: Set(r.actors),
                version: stored.version)
        }
        struct Form: Content {
            var frist: String?, merknad: String?, versjon: String?
            var tiltak: [String]?, aktorer: [String]?
        }
        let form = try req.content.decode(Form.self)
        let initiatives = form.tiltak ?? []
        let actors = form.aktorer ?? []
        let expected = Int64(form.versjon ?? "") ?? -1
        let note = (form.merknad ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var (checked, errors) = ReportingRound.problems(
            period: r.id, deadline: form.frist ?? "", actors: actors, initiatives: initiatives,
            in: d, existing: [])
        if note.count > 5_000 { errors.messages["note"] = "Beskjeden kan ha høyst 5 000 tegn." }
        func again(_ errors: FieldErrors, _ status: HTTPStatus, version: Int64 = expected) -> Response {
            page(
                status, deadline: form.frist ?? "", note: form.merknad ?? "", initiatives: Set(initiatives),
                actors: Set(actors),
                version: version, errors: errors)
        }
        guard errors.isEmpty, var changed = checked else { return again(errors, .unprocessableEntity) }
        changed.note = note
        let names = Dictionary(
            d.actors.map { ($0.slug, $0.name) } + d.initiatives.map { ($0.slug, $0.shortTitle) },
            uniquingKeysWith: { a, _ in a })
        switch try await RoundStore.update(
            changed, expectedVersion: expected, names: names, author: Author(principal, source: .ui),
            on: req.db)
        {
        case .saved:
            return req.redirect(
                to: SiteURL.reportingRound(r.id).path(query: [("lagret", "endret")]),
                redirectType: .normal)
        case .conflict(let current, let version):
            // Shown as it is stored now, so a second save cannot overwrite a change nobody saw.
            return page(
                .conflict, deadline: current.deadline.norwegian, note: current.note,
                initiatives: Set(current.initiatives),
                actors: Set(current.actors), version: version,
                errors: FieldErrors([
                    "deadline": "Noen andre har endret runden i mellomtiden. Skjemaet viser runden slik den er nå; "
                        + "gjør endringen din på nytt."
                ]))
        case .refused(let reasons): return again(FieldErrors(["actors": reasons.joined(separator: " ")]), .conflict)
        case .notFound: throw Abort(.notFound)
        }
    }

    /// A round opened by mistake is removed after a confirmation, while no actor has saved anything in it.
    func remove(_ req: Request, save: Bool) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: editors only
        let r = try await req.storedRound().round
        let saved = try await RoundStore.parts(of: r.id, on: req.db).count
        func page(_ status: HTTPStatus, problems: [String] = []) -> Response {
            Self.noStore(
                ConfirmPageView.render(
                    ConfirmPageModel(
                        title: "Slett runden \(r.period.norwegian)",
                        path: SiteURL.reportingRoundChange(r.id, .delete).path,
                        breadcrumbs: [
                            ("Rapportering", SiteURL.reportingRounds.path),
                            ("Runde \(r.period.norwegian)", SiteURL.reportingRound(r.id).path),
                        ],
                        paragraphs: [
                            "En runde som er åpnet ved en feil, kan slettes så lenge ingen aktør har lagret noe "
                                + "i den. Perioden blir da ledig for en ny runde. Slettingen står i historikken."
                        ],
                        formURL: SiteURL.reportingRoundChange(r.id, .delete).path, hidden: [],
                        confirmLabel: "Ja, slett runden",
                        backURL: SiteURL.reportingRound(r.id).path,
                        problems: problems)), status)
        }
        guard save else {
            if r.isClosed || saved > 0 {
                return req.redirect(to: SiteURL.reportingRound(r.id).path, redirectType: .normal)
            }
            return page(.ok)
        }
        if let reasons = try await RoundStore.remove(round: r.id, author: Author(principal, source: .ui), on: req.db)
            .refusals
        {
            return page(.conflict, problems: reasons)
        }
        return req.redirect(to: SiteURL.reportingRounds.path(query: [("lagret", "slettet")]), redirectType: .normal)
    }

    // MARK: an actor's part

    /// The round, the actor and the dataset of a part page, after checking that the viewer may report for it.
    func partContext(_ req: Request) async throws -> (Principal, ReportingRound, String, Dataset) {
        let principal = try req.requirePrincipal()  // RouteGuard: editors and reporters
        let r = try await req.storedRound().round
        let d = try await req.dataset()
        let actor = req.parameters.get("actor") ?? ""
        guard Access.canReport(principal, for: actor, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å rapportere for denne aktøren.")
        }
        guard d.actor(actor) != nil, r.actors.contains(actor) else {
            throw Abort(.notFound, reason: "Aktøren er ikke med i runden for \(r.period.norwegian).")
        }
        return (principal, r, actor, d)
    }

    func partPage(
        _ req: Request, round r: ReportingRound, actor: String, dataset d: Dataset, principal: Principal,
        stored: StoredPart?,
        values: [String: String]? = nil, errors: FieldErrors = FieldErrors(), problems: [String] = [],
        status: HTTPStatus = .ok, conflict: [(label: String, value: String)]? = nil
    ) async throws -> Response {
        let part = stored?.part
        let state = RoundBoard.state(of: part, in: r, today: req.today)
        let editable = !r.isClosed && part?.delivered != true
        let readOnly: String? =
            r.isClosed
            ? "Runden er avsluttet. Delen vises slik den ble stående."
            : part?.delivered == true
                ? "Delen er levert \(Self.date(part?.deliveredAt) ?? ""). Bare en redaktør kan åpne den igjen." : nil
        let statuses = r.initiatives(of: actor, in: d).map { slug -> RoundPartPageModel.StatusRow in
            let a = part?.status(of: slug) ?? Assessment()
            return .init(
                slug: slug, title: d.initiative(slug)?.title ?? slug, url: SiteURL.initiative(slug).path,
                status: values?["status-\(slug)"] ?? a.status?.rawValue ?? "",
                tendency: values?["tendency-\(slug)"] ?? a.tendency?.rawValue ?? "",
                comment: values?["comment-\(slug)"] ?? a.comment)
        }
        let inRound = Set(r.initiatives)
        let confirmed = try await RoadmapWrites.lastConfirmations(on: req.db)
        let opened = r.openedAt.map { Day.utc($0).day }
        let items = MyWork.items(in: d, actors: [actor], lastConfirmed: confirmed, today: req.today, months: 12)
            .filter { inRound.contains($0.initiativeSlug) }
            .map { i -> RoundPartPageModel.Item in
                var flags = i.flags.filter { if case .overdue = $0 { true } else { false } }.map(\.text)
                if i.planning != .ferdig, let opened, i.lastConfirmed.map { $0 < opened } ?? true {
                    flags.append("Ikke bekreftet i denne runden")
                }
                return .init(
                    title: i.title, initiative: d.initiative(i.initiativeSlug)?.shortTitle ?? i.initiativeSlug,
                    due: i.due?.norwegian ?? "–", flags: flags,
                    moveURL: SiteURL.record(i.kind, i.id, .move).path,
                    editURL: SiteURL.record(i.kind, i.id, .edit).path)
            }
        let notice: String? =
            switch req.queryDictionary["lagret"] {
            case "utkast": "Utkastet er lagret. Lever når alt er med."
            case "levert": "Delen er levert. Takk!"
            default: nil
            }
        var model = RoundPartPageModel(
            round: "Runde \(r.period.norwegian)", roundURL: SiteURL.reportingRound(r.id).path,
            actor: d.actor(actor)?.name ?? actor,
            formURL: SiteURL.roundPart(r.id, actor: actor).path, deadline: r.deadline.norwegian, state: state,
            version: stored?.version,
            statuses: statuses, note: values?["merknad"] ?? part?.note ?? "", items: items, editable: editable,
            readOnlyReason: readOnly,
            canReopen: !r.isClosed && part?.delivered == true && Access.canRunRounds(principal), errors: errors,
            problems: problems,
            notice: notice)
        model.conflict = conflict
        return Self.noStore(RoundPartView.render(model), status)
    }

    func part(_ req: Request, save: Bool) async throws -> Response {
        let (principal, r, actor, d) = try await partContext(req)
        let stored = try await RoundStore.part(of: r.id, actor: actor, on: req.db)
        guard save else {
            return try await partPage(req, round: r, actor: actor, dataset: d, principal: principal, stored: stored)
        }
        let form = try req.content.decode([String: String].self)
        let slugs = r.initiatives(of: actor, in: d)
        var (statuses, errors) = RoundPart.read(
            slugs.map {
                (
                    $0, form["status-\($0)"] ?? "", form["tendency-\($0)"] ?? "",
                    form["comment-\($0)"] ?? ""
                )
            }, round: r, actor: actor, in: d)
        let note = (form["merknad"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 5_000 { errors.messages["note"] = "Merknaden kan ha høyst 5 000 tegn." }
        let expected = (form["versjon"] ?? "").isEmpty ? nil : Int64(form["versjon"] ?? "")
        guard errors.isEmpty else {
            return try await partPage(
                req, round: r, actor: actor, dataset: d, principal: principal, stored: stored, values: form,
                errors: errors, status: .unprocessableEntity)
        }
        let result = try await RoundStore.savePart(
            RoundPart(round: r.id, actor: actor, statuses: statuses, note: note),
            expectedVersion: expected, author: Author(principal, source: .ui), on: req.db)
        switch result {
        case .saved:
            let next =
                form["handling"] == "lever"
                ? SiteURL.roundPartDelivery(r.id, actor: actor).path
                : SiteURL.roundPart(r.id, actor: actor).path(query: [("lagret", "utkast")])
            return req.redirect(to: next, redirectType: .normal)
        case .conflict(let current, _):
            // What the other person saved is shown beside the form; the viewer's text stays in the form so nothing
            // typed is lost.
            let fresh = try await RoundStore.part(of: r.id, actor: actor, on: req.db)
            let lines =
                slugs.map { slug -> (label: String, value: String) in
                    let a = current.status(of: slug) ?? Assessment()
                    return (
                        d.initiative(slug)?.shortTitle ?? slug,
                        a.statusText + (a.comment.isEmpty ? "" : " – " + a.comment)
                    )
                } + (current.note.isEmpty ? [] : [(label: "Merknad", value: current.note)])
            return try await partPage(
                req, round: r, actor: actor, dataset: d, principal: principal, stored: fresh, values: form,
                problems: ["Noen andre har lagret denne delen i mellomtiden. Ingenting er overskrevet."],
                status: .conflict, conflict: lines)
        case let other:
            return try await partPage(
                req, round: r, actor: actor, dataset: d, principal: principal, stored: stored, values: form,
                problems: other.refusals ?? [], status: .conflict)
        }
    }

    func deliver(_ req: Request, save: Bool) async throws -> Response {
        let (principal, r, actor, d) = try await partContext(req)
        let partURL = SiteURL.roundPart(r.id, actor: actor).path
        let deliveryURL = SiteURL.roundPartDelivery(r.id, actor: actor).path
        guard let stored = try await RoundStore.part(of: r.id, actor: actor, on: req.db) else {
            return req.redirect(to: partURL, redirectType: .normal)
        }
        let required = r.initiatives(of: actor, in: d)
        let missing = required.filter { stored.part.status(of: $0)?.status == nil }.map {
            d.initiative($0)?.shortTitle ?? $0
        }
        func page(_ status: HTTPStatus, problems: [String] = []) -> Response {
            let name = d.actor(actor)?.name ?? actor
            var paragraphs = [
                "Du leverer delen til \(name) i runden for \(r.period.norwegian): "
                    + """
                    \(RoundUICount.statuses(stored.part.statuses.count)) for \
                    \(RoundUICount.initiatives(required.count)).
                    """
            ]
            paragraphs.append(
                missing.isEmpty
                    ? "Etter levering kan bare en redaktør åpne delen igjen."
                    : """
                    Disse tiltakene mangler status: \(missing.joined(separator: ", ")). Gå tilbake og gi dem \
                    status først.
                    """
            )
            return Self.noStore(
                ConfirmPageView.render(
                    ConfirmPageModel(
                        title: "Lever delen til \(name)", path: deliveryURL,
                        breadcrumbs: [
                            ("Rapportering", SiteURL.reportingRounds.path),
                            ("Runde \(r.period.norwegian)", SiteURL.reportingRound(r.id).path), (name, partURL),
                        ],
                        paragraphs: paragraphs, formURL: deliveryURL, hidden: [("versjon", String(stored.version))],
                        confirmLabel: "Ja, lever delen", backURL: partURL, problems: problems)), status)
        }
        guard save else { return page(.ok) }
        let form = try req.content.decode([String: String].self)
        guard let expected = Int64(form["versjon"] ?? "") else {
            return page(.unprocessableEntity, problems: ["Versjonen mangler."])
        }
        let result = try await RoundStore.deliver(
            round: r.id, actor: actor, expectedVersion: expected, required: required,
            names: Dictionary(d.initiatives.map { ($0.slug, $0.shortTitle) }, uniquingKeysWith: { a, _ in a }),
            author: Author(principal, source: .ui), on: req.db)
        switch result {
        case .saved:
            return req.redirect(
                to: SiteURL.roundPart(r.id, actor: actor).path(query: [("lagret", "levert")]),
                redirectType: .normal)
        case .conflict:
            return page(
                .conflict, problems: ["Delen er endret etter at du åpnet denne siden. Se over den og lever på nytt."])
        case let other: return page(.conflict, problems: other.refusals ?? [])
        }
    }

    func reopen(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: editors only
        let (_, r, actor, d) = try await partContext(req)
        let form = try req.content.decode([String: String].self)
        let result = try await RoundStore.reopen(
            round: r.id, actor: actor, expectedVersion: Int64(form["versjon"] ?? "") ?? -1,
            author: Author(principal, source: .ui), on: req.db)
        guard let reasons = result.refusals else {
            return req.redirect(
                to: SiteURL.reportingRound(r.id).path(query: [("lagret", "gjenapnet")]),
                redirectType: .normal)
        }
        return try await partPage(
            req, round: r, actor: actor, dataset: d, principal: principal,
            stored: try await RoundStore.part(of: r.id, actor: actor, on: req.db), problems: reasons, status: .conflict)
    }

    // MARK: versions and changes

    func versions(req: Request) async throws -> Response {
        let versions = try await RoundStore.versions(on: req.db)
        let model = VersionListModel(
            versions: versions.reversed().map { v in
                .init(
                    number: v.number, date: v.publishedOn.norwegian,
                    round: v.round.flatMap { ReportRules.parsePeriod($0)?.norwegian },
                    note: v.note, activities: v.items.filter { $0.kind == .activity }.count,
                    milestones: v.items.filter { $0.kind == .milestone }.count)
            },
            canPublish: Access.canRunRounds(req.principal))
        return .html(VersionListView.render(model))
    }

    func publish(_ req: Request, save: Bool) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: editors only
        let numbers = try await RoundStore.versionNumbers(on: req.db).map(\.number)
        let form = save ? try req.content.decode([String: String].self) : [:]
        let number = (form["nummer"] ?? VersionNumber.next(after: numbers)).trimmingCharacters(in: .whitespaces)
        let note = (form["merknad"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        func page(_ status: HTTPStatus, problems: [String] = [], numberError: String? = nil) -> Response {
            Self.noStore(
                ConfirmPageView.render(
                    ConfirmPageModel(
                        title: "Publiser en ny versjon av veikartet", path: SiteURL.newRoadmapVersion.path,
                        breadcrumbs: [("Veikart", SiteURL.roadmap.path), ("Versjoner", SiteURL.roadmapVersions.path)],
                        paragraphs: [
                            """
                            Veikartet slik det er nå, publiseres som en nummerert og datert versjon \
                            (\(req.today.norwegian)).\u{20}
                            """
                                + """
                                Bruk dette for en revisjon utenom en rapporteringsrunde; en runde publiserer sin \
                                versjon når den avsluttes.
                                """,
                            "En publisert versjon endres ikke og kan ikke trekkes tilbake.",
                        ],
                        formURL: SiteURL.newRoadmapVersion.path, hidden: [], confirmLabel: "Publiser versjonen",
                        backURL: SiteURL.roadmapVersions.path,
                        problems: problems,
                        fields: [
                            ConfirmField(
                                name: "nummer", label: "Versjonsnummer",
                                hint: "To tall med punktum, høyere enn siste versjon.",
                                value: number, error: numberError),
                            ConfirmField(
                                name: "merknad", label: "Hva er revidert (valgfri)",
                                hint: "Vises på siden «Hva er endret».", value: note),
                        ])),
                status)
        }
        guard save else { return page(.ok) }
        if let problem = VersionNumber.problem(number, existing: numbers) {
            return page(.unprocessableEntity, problems: [problem], numberError: problem)
        }
        if note.count > 5_000 { return page(.unprocessableEntity, problems: ["Merknaden kan ha høyst 5 000 tegn."]) }
        if let reasons = try await RoundStore.publish(
            number: number, note: note, publishedOn: req.today, author: Author(principal, source: .ui),
            on: req.db
        ).refusals {
            return page(.conflict, problems: reasons)
        }
        return req.redirect(
            to: SiteURL.roadmapChanges.path(query: [("til", number), ("lagret", "publisert")]),
            redirectType: .normal)
    }

    func changes(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let q = req.queryDictionary
        // names from `d`
        let c = try await RoadmapComparison.resolve(from: q["fra"], to: q["til"], dataset: d, on: req)
        func label(_ n: String) -> String {
            n == RoadmapComparison.today ? "veikartet slik det er nå" : "versjon \(n)"
        }
        func when(_ i: VersionItem) -> String {
            let start = i.startPeriod?.norwegian
            let end = i.endPeriod?.norwegian
            return [start, end].compactMap { $0 }.joined(separator: "–")
        }
        func what(_ i: VersionItem) -> String {
            let head =
                i.kind == .activity
                ? d.strategy.phases.name(Phase(rawValue: i.phase))
                : (MilestoneKind(rawValue: i.phase)?.name ?? i.phase)
            return head + (i.description.isEmpty ? "" : ": " + i.description)
        }
        let groups = RoadmapChange.Kind.allCases.map { kind in
            VersionChangesModel.Group(
                name: kind.name,
                rows: c.changes.filter { $0.kind == kind }.map { ch in
                    VersionChangesModel.Row(
                        what: (ch.item.kind == .activity ? "Aktivitet: " : "Milepæl: ") + what(ch.item),
                        initiative: d.initiative(ch.item.initiative)?.shortTitle ?? ch.item.initiative,
                        initiativeURL: d.initiative(ch.item.initiative) == nil
                            ? nil : SiteURL.initiative(ch.item.initiative).path,
                        actor: ch.item.actor.map { d.actor($0)?.name ?? $0 } ?? "Hele tiltaket",
                        before: ch.before.map(when) ?? "–", after: ch.kind == .removed ? "–" : when(ch.item),
                        moved: ch.kind == .moved ? RoadmapChanges.movedText(days: ch.days) : nil,
                        later: (ch.days ?? 0) > 0, earlier: (ch.days ?? 0) < 0,
                        cause: ch.kind == .moved
                            ? ch.item.delay.map {
                                "\($0.kind.name): \($0.cause.name)" + ($0.note.isEmpty ? "" : " – \($0.note)")
                            } : nil,
                        details: ch.details)
                })
        }
        let options =
            c.versions.reversed().map { (value: $0.number, text: "Versjon \($0.number) (\($0.publishedOn.norwegian))") }
            + [(value: RoadmapComparison.today, text: "Slik det er nå")]
        let toVersion = c.toVersion
        let model = VersionChangesModel(
            fromLabel: c.from.isEmpty ? nil : label(c.from), toLabel: label(c.to), from: c.from, to: c.to,
            note: toVersion?.note ?? "", published: toVersion?.publishedOn.norwegian,
            round: toVersion?.round.flatMap { ReportRules.parsePeriod($0) }
                .map { ($0.norwegian, SiteURL.reportingRound($0.description).path) },
            groups: groups, options: options,
            notice: q["lagret"] == "publisert" ? "Versjon \(c.to) er publisert." : nil)
        return .html(VersionChangesView.render(model))
    }

    func trend(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let slug = req.parameters.get("id") ?? ""
        guard let initiative = d.initiative(slug) else { throw Abort(.notFound, reason: "Tiltaket finnes ikke.") }
        let versions = try await RoundStore.versions(on: req.db)
        let milestones = d.milestones.filter { $0.initiativeSlug == slug }
        // Milestones that were in a version but are gone now stay in the trend: their history is the point.
        var ids = milestones.map(\.id)
        for v in versions {
            for i in v.items where i.kind == .milestone && i.initiative == slug && !ids.contains(i.id) {
                ids.append(i.id)
            }
        }
        let trends = ids.map { id in
            MilestoneTrend.of(id, versions: versions, current: milestones.first { $0.id == id }, today: req.today)
        }
        // One column per version, and "Nå" when today's plan differs from the latest version for any milestone.
        let showToday = trends.contains { $0.points.last?.version == nil }
        let columns = versions.map(\.number) + (showToday ? [nil] : [])
        func name(_ id: String) -> String {
            if let m = milestones.first(where: { $0.id == id }) {
                return m.kind.name + (m.description.isEmpty ? "" : ": " + m.description)
            }
            let old = versions.lazy.flatMap(\.items).first { $0.kind == .milestone && $0.id == id }
            return (old.flatMap { MilestoneKind(rawValue: $0.phase)?.name } ?? id) + " (fjernet)"
        }
        let rows = trends.map { t -> MilestoneTrendModel.Row in
            let byColumn = columns.map { col in
                t.points.first { $0.version == col }?.date
                    ?? (col == nil ? milestones.first { $0.id == t.milestone }?.date : nil)
            }
            return .init(
                name: name(t.milestone), dates: byColumn.map { $0?.norwegian ?? "–" },
                days: byColumn.map { $0?.lastDay },
                flagged: t.isFlagged, moves: t.movesInARow,
                trendURL: SiteURL.api("milestones/\(t.milestone)/trend").path)
        }
        let columnLabels = columns.map { $0 ?? "Nå" }
        let chart = MilestoneTrendChart(
            columns: columnLabels, series: rows.map { .init(name: $0.name, days: $0.days, flagged: $0.flagged) })
        let description =
            rows.isEmpty
            ? "Tiltaket har ingen milepæler."
            : """
            Prognosedato for \(rows.count == 1 ? "milepælen" : "hver av de \(rows.count) milepælene") i hver \
            versjon av veikartet.\u{20}
            """
                + "Tabellen under viser de samme datoene."
        let model = MilestoneTrendModel(
            initiative: initiative.title, initiativeURL: SiteURL.initiative(slug).path, slug: slug,
            columns: columnLabels, rows: rows,
            svg: rows.isEmpty
                ? nil
                : chart.svg(
                    title: "Milepældatoer for \(initiative.shortTitle) per veikartversjon", description: description,
                    id: "trend-\(slug)"),
            versions: versions.count)
        return .html(MilestoneTrendView.render(model))
    }
}

/// Counted nouns on the round pages.
enum RoundUICount {
    static func parts(_ n: Int) -> String { n == 1 ? "1 del" : "\(n) deler" }
    static func statuses(_ n: Int) -> String { n == 1 ? "1 status" : "\(n) statuser" }
    static func initiatives(_ n: Int) -> String { "\(n) tiltak" }
}

extension Request {
    /// The round the path's `:id` names (its period, `2026-Q4`), for pages and the API alike; 404 when there is none.
    func storedRound() async throws -> StoredRound {
        let id = parameters.get("id") ?? ""
        guard let p = ReportRules.parsePeriod(id), let stored = try await RoundStore.round(p.description, on: db) else {
            throw Abort(.notFound, reason: "Rapporteringsrunden «\(String(id.prefix(40)))» finnes ikke.")
        }
        return stored
    }
}
