import Domain
import Fluent
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// Editing every record people maintain (activities, milestones, initiatives, sub-goals, goals, actors) through one
/// path: permission from `Access.canWrite`, validation from the record, a versioned save with an audit entry.
struct EditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for kind in RecordKind.allCases {
            let model = kind.recordType  // generic handlers are called with it (the existential is opened)
            routes.get(.record(kind, ":id", .edit)) { req in try await self.handle(model, req, save: false) }
            routes.post(.record(kind, ":id", .edit)) { req in try await self.handle(model, req, save: true) }
            routes.get(.record(kind, ":id", .history)) { req in try await self.history(model, req) }
            routes.post(.record(kind, ":id", .restore)) { req in try await self.restore(model, req) }
            routes.get(.newRecord(kind)) { req in try await self.create(model, req, save: false) }
            routes.post(.newRecord(kind)) { req in try await self.create(model, req, save: true) }
            routes.get(.record(kind, ":id", .retire)) { req in try await self.retire(model, req, save: false) }
            routes.post(.record(kind, ":id", .retire)) { req in try await self.retire(model, req, save: true) }
            routes.post(.record(kind, ":id", .reinstate)) { req in try await self.reinstate(model, req) }
        }
        routes.get(.newRecordMenu, use: newMenu)
        routes.get(.retiredRecords) { req in try await self.retiredList(req) }
        routes.get(.historyCSV, use: auditCSV)
        routes.get(.drafts, use: drafts)
    }

    static let timestamp: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "nb_NO")
        f.timeZone = TimeZone(identifier: "Europe/Oslo")
        f.dateFormat = "dd.MM.yyyy HH:mm"
        return f
    }()

    /// Where a record lives on the site: its context line and the page to go back to.
    static func place<R: EditableRecord>(_ r: R, in d: Dataset) -> (context: String, back: String) {
        switch r {
        case let a as Activity:
            let initiative = d.initiative(a.initiativeSlug)?.title ?? a.initiativeSlug
            return (
                "\(initiative) – \(d.actor(a.actorSlug)?.name ?? a.actorSlug)",
                SiteURL.initiative(a.initiativeSlug).path(fragment: "aktivitet-\(a.id)")
            )
        case let m as Milestone:
            let initiative = d.initiative(m.initiativeSlug)?.title ?? m.initiativeSlug
            let actor = m.actorSlug.flatMap { d.actor($0)?.name } ?? "hele tiltaket"
            return ("\(initiative) – \(actor)", SiteURL.initiative(m.initiativeSlug).path)
        case let i as Initiative: return (i.title, SiteURL.initiative(i.slug).path)
        case let s as Subgoal: return ("Delmål \(s.id): \(s.title)", SiteURL.subgoal(s.id).path)
        case let g as Goal: return ("Mål \(g.id): \(g.title)", SiteURL.goal(g.id).path)
        case let a as Actor: return (a.name, SiteURL.actor(a.slug).path)
        case let r as IndicatorRecord: return ("Indikator: \(r.indicator.name)", SiteURL.indicator(r.indicator.id).path)
        default: return (r.recordId, SiteURL.home.path)
        }
    }

    func handle<R: CreatableRecord>(_ type: R.Type, _ req: Request, save: Bool) async throws -> Response {
        let kind = R.kind
        let id = req.parameters.get("id") ?? ""
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
            throw Abort(.notFound, reason: "Fant ingen \(kind.name) med id «\(id)».")
        }
        guard Access.canWrite(stored.record, principal, in: d) else {
            throw Abort(
                .forbidden,
                reason: stored.record.owningActor.map {
                    "Du har ikke tilgang til å endre for \(d.actor($0)?.name ?? $0)."
                }
                    ?? "Bare redaktører kan endre \(kind.name).")
        }
        let place = Self.place(stored.record, in: d)
        let edit = SiteURL.record(kind, id, .edit)
        let draft = try await Drafts.find(kind, id: id, on: req.db)
        let isEditor = Access.isEditor(principal)
        func page(
            _ status: HTTPStatus = .ok, values: [String: String], reason: String = "", version: Int64,
            errors: FieldErrors = FieldErrors(),
            conflict: [String: String]? = nil, notice: String? = nil, draft: Draft? = nil
        ) -> Response {
            let r = Response.html(
                RecordEditView.render(
                    RecordEditModel(
                        kindName: kind.name, context: place.context, backURL: place.back,
                        formURL: edit.path, historyURL: SiteURL.record(kind, id, .history).path,
                        fields: R.formFields(in: d),
                        values: values,
                        reason: reason, version: version, errors: errors, conflict: conflict, notice: notice,
                        draft: draft.map {
                            "Lagret av \($0.authorEmail ?? "ukjent") \(Self.timestamp.string(from: $0.updatedAt))."
                        },
                        draftVersion: draft?.draftVersion ?? 0,
                        canDiscard: draft.map { Drafts.mayDiscard($0, userId: principal.userId, isEditor: isEditor) }
                            ?? false,
                        retireURL: SiteURL.record(kind, id, .retire).path)))
            r.status = status
            r.headers.cacheControl = .init(noStore: true)
            return r
        }
        guard save else {
            let notices = [
                "publisert": "Endringen er lagret og publisert.",
                "utkast": "Utkastet er lagret. Det er ikke publisert.",
                "forkastet": "Utkastet er forkastet.",
                "opprettet": "\(kind.definiteName.capitalizedFirst) er opprettet og publisert.",
                "gjeninnfort": "\(kind.definiteName.capitalizedFirst) er gjeninnført.",
            ]
            let notice = req.queryDictionary["lagret"].flatMap { notices[$0] }
            if let draft {
                return page(
                    values: draft.values, reason: draft.reason, version: draft.baseVersion, notice: notice, draft: draft
                )
            }
            return page(values: stored.record.formValues(), version: stored.version, notice: notice)
        }
        let form = try req.content.decode([String: String].self)
        let fields = R.formFields(in: d).map(\.name)
        let values = Dictionary(uniqueKeysWithValues: fields.map { ($0, form[$0] ?? "") })
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let author = Author(principal, source: .ui)
        // The draft the form showed (0: none); a newer one is never overwritten, discarded or consumed unseen.
        let shownDraft = form["utkastversjon"].flatMap(Int64.init) ?? 0
        func draftConflict(_ current: Draft?, values: [String: String], version: Int64) -> Response {
            page(
                .conflict, values: values, reason: reason, version: version, conflict: current?.values,
                notice: current == nil
                    ? "Utkastet er allerede forkastet eller publisert av noen andre. Ingenting er endret."
                    : "Noen andre har lagret et nyere utkast etter at du åpnet skjemaet. Ingenting er overskrevet: "
                        + "deres utkast står ved siden av, ditt står i skjemaet.", draft: current)
        }
        if form["handling"] == "forkast" {
            switch try await Drafts.discard(
                kind, id: id, author: author, overrides: isEditor, expectedDraftVersion: shownDraft, on: req.db)
            {
            case .done: return req.redirect(to: edit.path(query: [("lagret", "forkastet")]), redirectType: .normal)
            case .notAllowed:
                throw Abort(.forbidden, reason: "Bare den som lagret utkastet, eller en redaktør, kan forkaste det.")
            case .conflict(let current):
                return draftConflict(
                    current, values: current?.values ?? stored.record.formValues(),
                    version: current?.baseVersion ?? stored.version)
            }
        }
        guard let expected = form["versjon"].flatMap(Int64.init) else {
            throw Abort(.badRequest, reason: "Skjemaet mangler versjon. Last siden på nytt.")
        }
        if let problem = ReasonPolicy.problem(reason) {
            return page(
                .unprocessableEntity, values: values, reason: reason, version: expected,
                errors: FieldErrors(["reason": problem]), draft: draft)
        }
        switch stored.record.applying(values, in: d) {
        case .failure(let errors):
            return page(
                .unprocessableEntity, values: values, reason: reason, version: expected, errors: errors, draft: draft)
        case .success(let edited):
            if form["handling"] == "utkast" {
                // A draft changes nothing the public reads; it remembers the version it was based on.
                switch try await Drafts.save(
                    kind, id: id, values: edited.formValues(), baseVersion: expected, reason: reason, author: author,
                    expectedDraftVersion: shownDraft, on: req.db)
                {
                case .done: return req.redirect(to: edit.path(query: [("lagret", "utkast")]), redirectType: .normal)
                case .conflict(let current): return draftConflict(current, values: values, version: expected)
                case .notAllowed: throw Abort(.forbidden)
                }
            }
            switch try await RoadmapWrites.update(
                R.self, edited, expectedVersion: expected, author: author, reason: reason,
                consumesDraft: shownDraft == 0 ? nil : shownDraft, on: req.db)
            {
            case .saved:
                return req.redirect(to: edit.path(query: [("lagret", "publisert")]), redirectType: .normal)
            case .conflict(let current, let version):
                // Nothing written. The form keeps what the user typed and now carries the newer version,
                // so saving again is a deliberate choice made with both versions in view.
                return page(
                    .conflict, values: values, reason: reason, version: version, conflict: current.formValues(),
                    draft: draft)
            case .notFound:
                throw Abort(.notFound, reason: "Fant ikke lenger \(kind.name) «\(id)».")
            case .refused(let reasons):
                return page(
                    .conflict, values: values, reason: reason, version: expected,
                    notice: reasons.joined(separator: " "), draft: draft)
            }
        }
    }

    func history<R: CreatableRecord>(_ type: R.Type, _ req: Request, status: HTTPStatus = .ok, message: String? = nil)
        async throws -> Response
    {
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let kind = R.kind
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else { throw notFound(kind, id) }
        let canRestore = Access.canWrite(stored.record, principal, in: d)
        // Drafts are unpublished text: only those who may edit the record see that one was saved, and what it said.
        let entries = try await RoadmapWrites.history(entityType: kind.auditType, entityId: id, on: req.db)
            .filter { canRestore || !["draft", "discard"].contains($0.action) }
        let rows = entries.enumerated().map { (i, e) in
            HistoryPageModel.Entry(
                id: e.id?.uuidString ?? "", when: Self.timestamp.string(from: e.at),
                who: e.userEmail ?? "kommandolinjen",
                source: e.source, action: e.action, reason: e.reason,
                changes: AuditFields.changed(e.before.map { ($0[0], $0[1]) }, e.after.map { ($0[0], $0[1]) }),
                restorable: i > 0 && e.afterValues != nil)
        }
        let place = Self.place(stored.record, in: d)
        let intact = try await AuditChain.verify(entryIds: entries.compactMap(\.id), on: req.db)
        let r = Response.html(
            HistoryPageView.render(
                HistoryPageModel(
                    title: place.context, backURL: place.back, entries: rows,
                    restore: canRestore ? (SiteURL.record(kind, id, .restore).path, stored.version) : nil,
                    message: message,
                    intact: intact),
                path: req.url.path))
        r.status = status
        return r
    }

    /// Restoring is a new change: the values after the chosen entry, validated and saved like any edit, and audited.
    func restore<R: CreatableRecord>(_ type: R.Type, _ req: Request) async throws -> Response {
        let kind = R.kind
        let id = req.parameters.get("id") ?? ""
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else { throw notFound(kind, id) }
        guard Access.canWrite(stored.record, principal, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å endre dette.")
        }
        let form = try req.content.decode([String: String].self)
        guard let entryId = form["oppforing"].flatMap(UUID.init(uuidString:)),
            let expected = form["versjon"].flatMap(Int64.init),
            let entry = try await RoadmapWrites.historyEntry(
                id: entryId, entityType: kind.auditType, entityId: id, on: req.db),
            let values = entry.afterValues
        else {
            throw Abort(.badRequest, reason: "Fant ikke versjonen som skulle gjenopprettes.")
        }
        switch stored.record.applying(values, in: d) {
        case .failure(let errors):
            return try await history(
                R.self, req, status: .unprocessableEntity,
                message: "Versjonen kan ikke gjenopprettes slik den er: "
                    + errors.messages.values.sorted().joined(separator: " "))
        case .success(let restored):
            let reason = "Gjenopprettet versjonen fra \(Self.timestamp.string(from: entry.at))"
            switch try await RoadmapWrites.update(
                R.self, restored, expectedVersion: expected, author: Author(principal, source: .ui), reason: reason,
                action: "restore", on: req.db)
            {
            case .saved: return req.redirect(to: SiteURL.record(kind, id, .history).path, redirectType: .normal)
            case .conflict:
                return try await history(
                    R.self, req, status: .conflict,
                    message: "Noen har endret dette siden du åpnet historikken. "
                        + "Se den nyeste endringen og prøv igjen.")
            case .notFound: throw notFound(kind, id)
            case .refused(let reasons):
                return try await history(R.self, req, status: .conflict, message: reasons.joined(separator: " "))
            }
        }
    }

    func notFound(_ kind: RecordKind, _ id: String) -> Abort {
        Abort(.notFound, reason: "Fant ingen \(kind.name) med id «\(id)».")
    }

    /// Drafts the viewer may act on (reporters: their actors' activities and milestones; editors: all).
    func drafts(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let d = try await req.dataset()
        var rows: [DraftsPageModel.Row] = []
        for draft in try await Drafts.all(on: req.db) {
            guard let stored = try await RoadmapWrites.record(draft.kind.recordType, id: draft.entityId, on: req.db)
            else { continue }
            guard Access.canWrite(stored.record, principal, in: d) else { continue }
            rows.append(
                DraftsPageModel.Row(
                    kindName: draft.kind.name, context: Self.place(stored.record, in: d).context,
                    editURL: SiteURL.record(draft.kind, draft.entityId, .edit).path,
                    author: draft.authorEmail ?? "",
                    when: Self.timestamp.string(from: draft.updatedAt)))
        }
        return .html(DraftsPageView.render(DraftsPageModel(rows: rows)))
    }

    /// The whole audit trail as CSV for editors and administrators; cells are formula-neutralised.
    func auditCSV(req: Request) async throws -> Response {
        let iso = ISO8601DateFormatter()
        let rows = try await RoadmapWrites.auditTrail(on: req.db).map { item -> [String] in
            let e = item.entry
            let describe = { (pairs: [[String]]) in pairs.map { "\($0[0]): \($0[1])" }.joined(separator: "; ") }
            return [
                iso.string(from: e.at), e.userEmail ?? "", e.source, item.entityType, item.entityId, e.action,
                describe(e.before), describe(e.after), e.reason,
            ]
            .map(CSV.neutralizeFormula)
        }
        let csv = CSV.write(
            header: ["tidspunkt", "bruker", "kilde", "type", "id", "handling", "før", "etter", "begrunnelse"],
            rows: rows)
        return .attachment("\u{FEFF}" + csv, type: Response.csvType, filename: "veikart-historikk.csv")
    }
}
