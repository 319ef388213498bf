import Domain
import Fluent
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// Administrators manage users and roles. Every change is audited.
struct AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.users, use: list)
        routes.post(.users, use: create)
        routes.get(.user(":id"), use: editForm)
        routes.post(.user(":id"), use: save)
        routes.post(.userSessionsEnd(":id"), use: endSessions)
    }

    /// The signed-in administrator (RouteGuard lets no one else through).
    func administrator(_ req: Request) throws -> Principal { try req.requirePrincipal() }

    func actorOptions(_ req: Request) async throws -> [(value: String, label: String)] {
        try await req.dataset().actors.map { ($0.slug, $0.name) }
    }

    func page(
        _ req: Request, status: HTTPStatus = .ok, form: [String: String] = [:], actors: Set<String> = [],
        errors: FieldErrors = FieldErrors(),
        message: String? = nil, password: String? = nil
    ) async throws -> Response {
        let rows = try await Accounts.all(on: req.db).map {
            UsersPageModel.Row(
                id: $0.user.id.uuidString, email: $0.user.email, name: $0.user.name,
                role: Role(rawValue: $0.user.role) ?? .leser,
                actors: $0.actors, disabled: $0.user.disabled)
        }
        let r = Response.html(
            UsersPageView.render(
                UsersPageModel(
                    users: rows, actorOptions: try await actorOptions(req), form: form, selectedActors: actors,
                    errors: errors, message: message, generatedPassword: password)))
        r.status = status
        r.headers.cacheControl = .init(noStore: true)
        return r
    }

    func list(req: Request) async throws -> Response {
        _ = try administrator(req)
        return try await page(req)
    }

    struct NewUser: Content {
        var email: String?
        var name: String?
        var role: String?
        var actors: [String]?
    }

    func create(req: Request) async throws -> Response {
        let admin = try administrator(req)
        let f = try req.content.decode(NewUser.self)
        let form = ["email": f.email ?? "", "name": f.name ?? "", "role": f.role ?? ""]
        let actors = f.actors ?? []
        var errors: [String: String] = [:]
        let email = form["email"]!.trimmingCharacters(in: .whitespaces)
        if !email.contains("@") || email.count > 200 { errors["email"] = "Skriv en gyldig e-postadresse." }
        let role = Role(rawValue: form["role"]!)
        if role == nil { errors["role"] = "Velg en rolle." }
        if role == .rapportor && actors.isEmpty { errors["actors"] = "En rapportør må knyttes til minst én aktør." }
        guard errors.isEmpty, let role else {
            return try await page(
                req, status: .unprocessableEntity, form: form, actors: Set(actors), errors: FieldErrors(errors))
        }
        let password = Passwords.generate()
        do {
            let user = try await Accounts.create(
                email: email, name: form["name"]!, passwordHash: try await req.password.async.hash(password),
                role: role, actors: actors,
                passwordExpiresAt: Date().addingTimeInterval(Passwords.firstPasswordLifetime),
                author: Author(admin, source: .ui), on: req.db)
            return try await page(req, message: "Opprettet \(user.email) som \(role.name).", password: password)
        } catch let problem as Accounts.Problem {
            return try await page(
                req, status: .unprocessableEntity, form: form, actors: Set(actors),
                errors: FieldErrors(["email": problem.description.capitalizedFirst + "."]))
        }
    }

    func user(_ req: Request) async throws -> Account {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let user = try await Accounts.user(id: id, on: req.db)
        else {
            throw Abort(.notFound, reason: "Brukeren finnes ikke.")
        }
        return user
    }

    func editForm(req: Request) async throws -> Response {
        _ = try administrator(req)
        let user = try await user(req)
        let p = try await Accounts.principal(for: user, on: req.db)
        return .html(
            UserEditView.render(
                UserEditModel(
                    id: user.id.uuidString, email: user.email, role: p.role, actors: p.actorSlugs,
                    disabled: user.disabled, actorOptions: try await actorOptions(req),
                    state: Accounts.state(role: p.role, actors: p.actorSlugs, disabled: user.disabled))))
    }

    /// Signs a user out everywhere at once (a lost laptop, a suspected stolen session), audited.
    func endSessions(req: Request) async throws -> Response {
        let admin = try administrator(req)
        let user = try await user(req)
        try await Accounts.endSessions(user, author: Author(admin, source: .ui), on: req.db)
        return try await page(req, message: "Alle innlogginger for \(user.email) er avsluttet.")
    }

    struct UserChange: Content {
        var role: String?
        var actors: [String]?
        var disabled: String?
        var tilstand: String?
    }

    func save(req: Request) async throws -> Response {
        let admin = try administrator(req)
        let user = try await user(req)
        let f = try req.content.decode(UserChange.self)
        let actors = f.actors ?? []
        guard let role = Role(rawValue: f.role ?? "") else { throw Abort(.badRequest, reason: "Ukjent rolle.") }
        if user.id.uuidString == admin.userId && (role != .administrator || f.disabled != nil) {
            return .html(
                UserEditView.render(
                    UserEditModel(
                        id: user.id.uuidString, email: user.email, role: role, actors: Set(actors),
                        disabled: f.disabled != nil,
                        actorOptions: try await actorOptions(req),
                        error: "Du kan ikke fjerne din egen administratorrolle eller deaktivere deg selv.",
                        state: f.tilstand ?? "")))
        }
        do {
            try await Accounts.update(
                user, role: role, actors: actors, disabled: f.disabled != nil, author: Author(admin, source: .ui),
                expectedState: f.tilstand.flatMap { $0.isEmpty ? nil : $0 }, on: req.db)
        } catch is Accounts.Stale {
            // Show what is stored now; the administrator makes the change again with it in view.
            let fresh = try await self.user(req)
            let p = try await Accounts.principal(for: fresh, on: req.db)
            let r = Response.html(
                UserEditView.render(
                    UserEditModel(
                        id: fresh.id.uuidString, email: fresh.email, role: p.role, actors: p.actorSlugs,
                        disabled: fresh.disabled, actorOptions: try await actorOptions(req),
                        error:
                            """
                            En annen administrator har endret brukeren etter at du åpnet skjemaet. Ingenting er \
                            lagret; skjemaet viser nå det som er lagret.
                            """,
                        state: Accounts.state(role: p.role, actors: p.actorSlugs, disabled: fresh.disabled))))
            r.status = .conflict
            return r
        } catch let problem as Accounts.Problem {
            let r = Response.html(
                UserEditView.render(
                    UserEditModel(
                        id: user.id.uuidString, email: user.email, role: role, actors: Set(actors),
                        disabled: f.disabled != nil, actorOptions: try await actorOptions(req),
                        error: problem.description.capitalizedFirst + ".",
                        state: f.tilstand ?? "")))
            r.status = .unprocessableEntity
            return r
        }
        return try await page(req, message: "Lagret endringene for \(user.email).")
    }
}

/// Readable random passwords for new accounts (four groups of five, no look-alike characters).
enum Passwords {
    /// A generated first password works this long; choosing one's own removes the limit.
    static let firstPasswordLifetime: TimeInterval = 7 * 86_400

    static func generate() -> String {
        (0..<4).map { _ in String((0..<5).map { _ in "abcdefghjkmnpqrstuvwxyz23456789".randomElement()! }) }.joined(
            separator: "-")
    }
}
