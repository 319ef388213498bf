import Domain
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// Creating, retiring and reinstating records in the UI: the same rules (`Access`), validation (`CreatableRecord`) and
/// versioned, audited writes (`RecordLifecycle`) as the API.
extension EditController {
    /// The actors a viewer may create roadmap items for: nil for editors (all).
    static func creatableActors(_ p: Principal, in d: Dataset) -> Set<String>? {
        Access.isEditor(p) ? nil : Access.actorsWritable(by: p, in: d)
    }

    func newMenu(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let kinds = RecordKind.allCases.filter { Access.canCreate($0, principal) }
        guard !kinds.isEmpty else { throw Abort(.forbidden, reason: "Rollen din kan ikke legge til poster.") }
        return .html(NewRecordMenuView.render(kinds: kinds))
    }

    func create<R: CreatableRecord>(_ type: R.Type, _ req: Request, save: Bool) async throws -> Response {
        let kind = R.kind
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let d = try await req.dataset()
        let actors = Self.creatableActors(principal, in: d)
        let fields = R.creationFields(in: d, actors: actors)
        let formURL = SiteURL.newRecord(kind).path
        let back = req.headers.first(name: .referer).flatMap { URL(string: $0)?.path }.flatMap {
            $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil
        }
        func page(
            _ status: HTTPStatus = .ok, values: [String: String], reason: String = "",
            errors: FieldErrors = FieldErrors(),
            backURL: String
        ) -> Response {
            var model = RecordEditModel(
                kindName: kind.name, context: "Fyll ut feltene og opprett.", backURL: backURL, formURL: formURL,
                historyURL: "", fields: fields, values: values, reason: reason, version: 0, errors: errors, isNew: true)
            model.newTitle = kind.newTitle
            model.definiteName = kind.definiteName
            let r = Response.html(RecordEditView.render(model))
            r.status = status
            r.headers.cacheControl = .init(noStore: true)
            return r
        }
        guard save else {
            var values = R.defaults(in: d)
            let q = req.queryDictionary
            if let v = q["tiltak"], d.initiative(v) != nil { values["initiative"] = v }
            if let v = q["aktor"], d.actor(v) != nil, actors?.contains(v) ?? true { values["actor"] = v }
            if let v = q["mal"], d.goal(v) != nil { values["goal"] = v }
            // A reporter for one actor gets it chosen.
            if values["actor"] == nil, let only = actors, only.count == 1 { values["actor"] = only.first }
            let backURL = values["initiative"].map { SiteURL.initiative($0).path } ?? back ?? SiteURL.newRecordMenu.path
            return page(values: values, backURL: backURL)
        }
        let form = try req.content.decode([String: String].self)
        let values = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, form[$0.name] ?? "") })
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let backURL =
            (form["initiative"].flatMap { d.initiative($0) }).map { SiteURL.initiative($0.slug).path }
            ?? SiteURL.newRecordMenu.path
        var errors = FieldErrors()
        if let problem = ReasonPolicy.problem(reason) { errors.messages["reason"] = problem }
        let result = R.creating(values, in: d, reserved: try await RecordLifecycle.retiredIds(kind, on: req.db))
        if case .failure(let e) = result { errors.messages.merge(e.messages) { a, _ in a } }
        if case .success(let record) = result, !Access.canWrite(record, principal, in: d) {
            errors.messages["actor"] = "Du kan bare legge til for aktører du rapporterer for."
        }
        guard errors.isEmpty, case .success(let record) = result else {
            return page(.unprocessableEntity, values: values, reason: reason, errors: errors, backURL: backURL)
        }
        switch try await RecordLifecycle.create(
            R.self, record, author: Author(principal, source: .ui), reason: reason, on: req.db)
        {
        case .saved:
            return req.redirect(
                to: SiteURL.record(kind, record.recordId, .edit).path(query: [("lagret", "opprettet")]),
                redirectType: .normal)
        case .refused(let reasons):
            return page(
                .conflict, values: values, reason: reason, errors: FieldErrors(["id": reasons.joined(separator: " ")]),
                backURL: backURL)
        case .conflict, .notFound:
            return page(
                .conflict, values: values, reason: reason,
                errors: FieldErrors(["id": "Noen andre endret det samme samtidig. Prøv igjen."]), backURL: backURL)
        }
    }

    func retire<R: CreatableRecord>(_ type: R.Type, _ req: Request, save: Bool) async throws -> Response {
        let kind = R.kind
        let id = req.parameters.get("id") ?? ""
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else { throw notFound(kind, id) }
        guard Access.canWrite(stored.record, principal, in: d) else {
            throw Abort(
                .forbidden,
                reason: stored.record.owningActor.map {
                    "Du har ikke tilgang til å avvikle for \(d.actor($0)?.name ?? $0)."
                }
                    ?? "Bare redaktører kan avvikle \(kind.name).")
        }
        let place = Self.place(stored.record, in: d)
        let formURL = SiteURL.record(kind, id, .retire).path
        func page(
            _ status: HTTPStatus = .ok, version: Int64, dependants: [String], reason: String = "", error: String? = nil
        ) -> Response {
            let r = Response.html(
                RetirePageView.render(
                    RetirePageModel(
                        kind: kind, title: place.context, backURL: place.back, formURL: formURL,
                        version: version, dependants: dependants, reason: reason, error: error)))
            r.status = status
            r.headers.cacheControl = .init(noStore: true)
            return r
        }
        guard save else {
            return page(
                version: stored.version, dependants: try await RecordLifecycle.dependants(kind, id: id, on: req.db))
        }
        let form = try req.content.decode([String: String].self)
        guard let expected = form["versjon"].flatMap(Int64.init) else {
            throw Abort(.badRequest, reason: "Skjemaet mangler versjon. Last siden på nytt.")
        }
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ReasonPolicy.problem(reason) {
            return page(.unprocessableEntity, version: expected, dependants: [], reason: reason, error: problem)
        }
        switch try await RecordLifecycle.retire(
            R.self, id: id, expectedVersion: expected, author: Author(principal, source: .ui), reason: reason,
            on: req.db)
        {
        case .saved:
            return req.redirect(
                to: SiteURL.retiredRecords.path + "?avviklet=\(kind.rawValue)/\(id)",
                redirectType: .normal)
        case .refused(let reasons):
            return page(.conflict, version: stored.version, dependants: reasons)
        case .conflict(_, let version):
            return page(
                .conflict, version: version, dependants: [], reason: reason,
                error:
                    """
                    Noen har endret \(kind.definiteName) etter at du åpnet siden. Se over endringen og bekreft på \
                    nytt.
                    """
            )
        case .notFound:
            throw notFound(kind, id)
        }
    }

    func reinstate<R: CreatableRecord>(_ type: R.Type, _ req: Request) async throws -> Response {
        let kind = R.kind
        let id = req.parameters.get("id") ?? ""
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let d = try await req.dataset()
        guard let retired = try await RecordLifecycle.retired(R.self, on: req.db).first(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "Fant ingen avviklet \(kind.name) med id «\(id)».")
        }
        guard Access.canWrite(kind, owningActor: retired.owningActor, principal, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å gjeninnføre dette.")
        }
        let form = try req.content.decode([String: String].self)
        guard let expected = form["versjon"].flatMap(Int64.init) else {
            throw Abort(.badRequest, reason: "Skjemaet mangler versjon. Last siden på nytt.")
        }
        switch try await RecordLifecycle.reinstate(
            R.self, id: id, expectedVersion: expected, author: Author(principal, source: .ui), reason: "",
            on: req.db)
        {
        case .saved:
            return req.redirect(
                to: SiteURL.record(kind, id, .edit).path(query: [("lagret", "gjeninnfort")]),
                redirectType: .normal)
        case .refused(let reasons):
            return try await retiredList(
                req, status: .conflict, error: ["«\(retired.title)» kan ikke gjeninnføres ennå:"] + reasons)
        case .conflict:
            return try await retiredList(
                req, status: .conflict,
                error: ["Noen har endret «\(retired.title)» etter at du åpnet siden. Prøv igjen."])
        case .notFound:
            throw Abort(.notFound, reason: "Fant ingen avviklet \(kind.name) med id «\(id)».")
        }
    }

    func retiredList(_ req: Request, status: HTTPStatus = .ok, error: [String] = []) async throws -> Response {
        let principal = try req.requirePrincipal()  // RouteGuard: signed in
        let d = try await req.dataset()
        var rows: [RetiredPageModel.Row] = []
        var notice: String?
        let just = req.queryDictionary["avviklet"]
        for kind in RecordKind.allCases where Access.canCreate(kind, principal) {
            for r in try await RecordLifecycle.retired(kind.recordType, on: req.db)
            where Access.canWrite(kind, owningActor: r.owningActor, principal, in: d) {
                let context = r.owningActor.flatMap { d.actor($0)?.name } ?? ""
                rows.append(
                    .init(
                        kindName: kind.name, title: r.title, context: context,
                        when: r.retiredAt.map { Self.timestamp.string(from: $0) } ?? "",
                        who: r.retiredBy ?? "kommandolinjen",
                        reinstateURL: SiteURL.record(kind, r.id, .reinstate).path, version: r.version))
                if just == "\(kind.rawValue)/\(r.id)" {
                    notice =
                        "\(kind.definiteName.capitalizedFirst) «\(r.title)» er avviklet. "
                        + "Angrer du, kan du gjeninnføre posten nedenfor."
                }
            }
        }
        guard !rows.isEmpty || RecordKind.allCases.contains(where: { Access.canCreate($0, principal) }) else {
            throw Abort(.forbidden, reason: "Rollen din kan ikke gjeninnføre poster.")
        }
        let r = Response.html(RetiredPageView.render(RetiredPageModel(rows: rows, notice: notice, error: error)))
        r.status = status
        r.headers.cacheControl = .init(noStore: true)
        return r
    }
}
