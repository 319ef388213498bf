import Domain
import Fluent
import Foundation
import Persistence
import Vapor
import Views

/// Editing roadmap activities: permission from `Access`, optimistic concurrency from the stored version,
/// an audit entry per change. The same rules will serve the API.
struct EditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("aktivitet", ":id", "rediger", use: editForm)
        routes.post("aktivitet", ":id", "rediger", use: save)
        routes.get("aktivitet", ":id", "historikk", use: history)
        routes.get("historikk.csv", use: auditCSV)
    }

    /// The activity and its context, or 404; refuses anyone not allowed to write it.
    func load(_ req: Request) async throws -> (activity: Activity, version: Int64, initiative: Initiative, actor: Actor, principal: Principal) {
        let id = req.parameters.get("id") ?? ""
        guard let principal = req.principal else {
            throw Abort.redirect(to: "/logg-inn?neste=" + (req.url.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.activity(id, on: req.db),
              let initiative = d.initiative(stored.activity.initiativeSlug), let actor = d.actor(stored.activity.actorSlug) else {
            throw Abort(.notFound, reason: "Aktiviteten «\(id)» finnes ikke.")
        }
        guard Access.canWriteRoadmapItem(principal, actorSlug: stored.activity.actorSlug, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å endre aktiviteter for \(actor.name).")
        }
        return (stored.activity, stored.version, initiative, actor, principal)
    }

    func editForm(req: Request) async throws -> Response {
        let c = try await load(req)
        let saved = req.queryDictionary["lagret"] == "1"
        return .html(ActivityEditView.render(ActivityEditModel(activity: c.activity, initiative: c.initiative, actor: c.actor,
                                                               input: ActivityInput(c.activity), version: c.version, saved: saved)))
    }

    struct Form: Content {
        var phase: String?
        var start: String?
        var end: String?
        var planning: String?
        var description: String?
        var reason: String?
        var versjon: String?
    }

    func save(req: Request) async throws -> Response {
        try req.verifyCSRF()
        let c = try await load(req)
        let f = try req.content.decode(Form.self)
        let input = ActivityInput(phase: f.phase ?? "", start: f.start ?? "", end: f.end ?? "", planning: f.planning ?? "",
                                  description: f.description ?? "", reason: (f.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        guard let expected = f.versjon.flatMap(Int64.init) else { throw Abort(.badRequest, reason: "Skjemaet mangler versjon. Last siden på nytt.") }
        func page(_ status: HTTPStatus, errors: FieldErrors = FieldErrors(), conflict: Activity? = nil, version: Int64) -> Response {
            let r = Response.html(ActivityEditView.render(ActivityEditModel(activity: c.activity, initiative: c.initiative, actor: c.actor, input: input,
                                                                            version: version, errors: errors, conflict: conflict)))
            r.status = status
            return r
        }
        switch input.validate(editing: c.activity) {
        case .failure(let errors):
            return page(.unprocessableEntity, errors: errors, version: expected)
        case .success(let edited):
            switch try await RoadmapWrites.updateActivity(edited, expectedVersion: expected, author: Author(c.principal, source: .ui), reason: input.reason, on: req.db) {
            case .saved:
                return req.redirect(to: "/aktivitet/\(edited.id)/rediger?lagret=1", redirectType: .normal)
            case .conflict(let current, let version):
                // Nothing written. The form keeps what the user typed and now carries the newer version,
                // so saving again is a deliberate choice made with both versions in view.
                return page(.conflict, conflict: current, version: version)
            case .notFound:
                throw Abort(.notFound, reason: "Aktiviteten finnes ikke lenger.")
            }
        }
    }

    /// The whole audit trail as CSV for editors and administrators; cells are formula-neutralised.
    func auditCSV(req: Request) async throws -> Response {
        guard let p = req.principal else { throw Abort(.unauthorized, reason: "Logg inn for å laste ned historikken.") }
        guard p.role == .redaktor || p.role == .administrator else { throw Abort(.forbidden, reason: "Bare redaktører og administratorer kan laste ned hele historikken.") }
        let iso = ISO8601DateFormatter()
        let rows = try await RoadmapWrites.auditTrail(on: req.db).map { item -> [String] in
            let e = item.entry
            let describe = { (pairs: [[String]]) in pairs.map { "\($0[0]): \($0[1])" }.joined(separator: "; ") }
            return [iso.string(from: e.at), e.userEmail ?? "", e.source, item.entityType, item.entityId, e.action, describe(e.before), describe(e.after), e.reason]
                .map(CSV.neutralizeFormula)
        }
        let csv = CSV.write(header: ["tidspunkt", "bruker", "kilde", "type", "id", "handling", "før", "etter", "begrunnelse"], rows: rows)
        let r = Response(status: .ok, body: .init(string: "\u{FEFF}" + csv))
        r.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        r.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"veikart-historikk.csv\"")
        return r
    }

    func history(req: Request) async throws -> Response {
        guard req.principal != nil else { throw Abort(.unauthorized, reason: "Logg inn for å se historikken.") }
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset()
        guard let activity = d.activities.first(where: { $0.id == id }), let initiative = d.initiative(activity.initiativeSlug) else {
            throw Abort(.notFound, reason: "Aktiviteten «\(id)» finnes ikke.")
        }
        let format = DateFormatter()
        format.locale = Locale(identifier: "nb_NO"); format.timeZone = TimeZone(identifier: "Europe/Oslo"); format.dateFormat = "dd.MM.yyyy HH:mm"
        let entries = try await RoadmapWrites.history(entityType: "activity", entityId: id, on: req.db).map { e in
            (when: format.string(from: e.at), who: e.userEmail ?? "kommandolinjen", source: e.source, action: e.action, reason: e.reason,
             changes: AuditFields.changed(e.before.map { ($0[0], $0[1]) }, e.after.map { ($0[0], $0[1]) }))
        }
        let actorName = d.actor(activity.actorSlug)?.name ?? activity.actorSlug
        return .html(HistoryPageView.render(HistoryPageModel(title: "\(initiative.shortTitle) – \(actorName)", backURL: "/tiltak/\(initiative.slug)", entries: entries),
                                            path: req.url.path))
    }
}
