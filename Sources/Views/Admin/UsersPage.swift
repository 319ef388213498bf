import Domain
@preconcurrency import Plot
import Routes

public struct UsersPageModel: Sendable {
    public struct Row: Sendable {
        public let id: String
        public let email: String
        public let name: String
        public let role: Role
        public let actors: [String]
        public let disabled: Bool
        public init(id: String, email: String, name: String, role: Role, actors: [String], disabled: Bool) {
            self.id = id
            self.email = email
            self.name = name
            self.role = role
            self.actors = actors
            self.disabled = disabled
        }
    }
    public let users: [Row]
    public let actorOptions: [(value: String, label: String)]
    public let form: [String: String]
    public let selectedActors: Set<String>
    public let errors: FieldErrors
    public let message: String?
    public let generatedPassword: String?

    public init(
        users: [Row], actorOptions: [(value: String, label: String)], form: [String: String] = [:],
        selectedActors: Set<String> = [],
        errors: FieldErrors = FieldErrors(), message: String? = nil, generatedPassword: String? = nil
    ) {
        self.users = users
        self.actorOptions = actorOptions
        self.form = form
        self.selectedActors = selectedActors
        self.errors = errors
        self.message = message
        self.generatedPassword = generatedPassword
    }
}

public enum UsersPageView {
    static let roleOptions = Role.allCases.map { (value: $0.rawValue, text: $0.name) }

    public static func render(_ m: UsersPageModel) -> String {
        let F = Fragments.self
        let csrf = Viewer.current?.csrfToken ?? ""
        return PageFrame(title: "Brukere", description: "Brukere og roller", path: SiteURL.users.path).render(
            .h1(.text("Brukere og roller")),
            m.message.map { F.el("div", .class("success"), F.attr("role", "status"), .p(.text($0))) } ?? .empty,
            m.generatedPassword.map { pw in
                F.el(
                    "div", .class("success"), F.attr("role", "status"),
                    .p(
                        .strong(.text("Midlertidig passord (vises bare nå; gi det til brukeren på en sikker måte):"))
                    ),
                    .p(.element(named: "code", nodes: [.attribute(named: "id", value: "nytt-passord"), .text(pw)])))
            } ?? .empty,
            .table(
                .class("data"),
                .caption(.text("Brukere (\(m.users.count))")),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text("E-post")),
                        .th(.attribute(named: "scope", value: "col"), .text("Navn")),
                        .th(.attribute(named: "scope", value: "col"), .text("Rolle")),
                        .th(.attribute(named: "scope", value: "col"), .text("Aktører")),
                        .th(.attribute(named: "scope", value: "col"), .text("Status")),
                        .th(.attribute(named: "scope", value: "col"), .text("Endre")))),
                .tbody(
                    .forEach(m.users) { u in
                        .tr(
                            .td(.text(u.email)), .td(.text(u.name)), .td(.text(u.role.name)),
                            .td(.text(u.actors.joined(separator: ", "))),
                            .td(.text(u.disabled ? "Deaktivert" : "Aktiv")),
                            .td(.a(.href(SiteURL.user(u.id).path), .text("Endre \(u.email)"))))
                    })),
            .h2(.text("Rollene")),
            .dl(
                .class("roles"),
                .forEach(Role.allCases) { role in .group(.dt(.text(role.name)), .dd(.text(role.rights))) }),
            .h2(.text("Ny bruker")),
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", SiteURL.users.path),
                F.attr("novalidate", ""),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
                textField("email", "E-post", m), textField("name", "Navn", m),
                F.el(
                    "div", .class(m.errors["role"] == nil ? "field" : "field has-error"),
                    F.select(
                        name: "role", id: "felt-role", label: "Rolle", options: roleOptions,
                        selected: m.form["role"] ?? Role.rapportor.rawValue, allLabel: nil)),
                actorsField(m),
                F.el(
                    "p", .class("hint"),
                    .text("Et midlertidig passord lages og vises én gang; brukeren bytter det under Min konto.")),
                F.el("button", F.attr("type", "submit"), .text("Opprett bruker")))
        )
    }

    static func textField(_ name: String, _ label: String, _ m: UsersPageModel) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        return F.el(
            "div", .class(m.errors[name] == nil ? "field" : "field has-error"),
            F.el("label", F.attr("for", "felt-\(name)"), .text(label)),
            m.errors[name].map { F.el("p", .class("error-message"), F.attr("id", "feil-\(name)"), .text($0)) }
                ?? .empty,
            F.input([("type", "text"), ("name", name), ("id", "felt-\(name)"), ("value", m.form[name] ?? "")]))
    }

    /// Actors as a multi-select: a rapportør needs at least one.
    static func actorsField(_ m: UsersPageModel) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        return F.el(
            "div", .class(m.errors["actors"] == nil ? "field" : "field has-error"),
            F.el("label", F.attr("for", "felt-actors"), .text("Aktører (for rapportører; velg én eller flere)")),
            m.errors["actors"].map { F.el("p", .class("error-message"), F.attr("id", "feil-actors"), .text($0)) }
                ?? .empty,
            F.el(
                "select", F.attr("name", "actors[]"), F.attr("id", "felt-actors"), F.attr("multiple", ""),
                F.attr("size", "8"),
                .group(
                    m.actorOptions.map { o in
                        F.el(
                            "option", F.attr("value", o.value),
                            m.selectedActors.contains(o.value) ? .attribute(named: "selected") : .empty, .text(o.label))
                    })))
    }
}

public struct UserEditModel: Sendable {
    public let id: String
    public let email: String
    public let role: Role
    public let actors: Set<String>
    public let disabled: Bool
    public let actorOptions: [(value: String, label: String)]
    public let error: String?
    /// What the form was opened with (`Accounts.state`), so a concurrent change by another administrator is noticed.
    public let state: String
    public init(
        id: String, email: String, role: Role, actors: Set<String>, disabled: Bool,
        actorOptions: [(value: String, label: String)], error: String? = nil,
        state: String = ""
    ) {
        self.id = id
        self.email = email
        self.role = role
        self.actors = actors
        self.disabled = disabled
        self.actorOptions = actorOptions
        self.error = error
        self.state = state
    }
}

public enum UserEditView {
    public static func render(_ m: UserEditModel) -> String {
        let F = Fragments.self
        return PageFrame(
            title: "Endre bruker", description: m.email, path: SiteURL.user(m.id).path,
            breadcrumbs: [("Brukere", SiteURL.users.path)]
        ).render(
            .h1(.text("Endre \(m.email)")),
            m.error.map { F.el("div", .class("error-summary"), F.attr("role", "alert"), .p(.text($0))) } ?? .empty,
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", SiteURL.user(m.id).path),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]),
                F.input([("type", "hidden"), ("name", "tilstand"), ("value", m.state)]),
                F.el(
                    "div", .class("field"),
                    F.select(
                        name: "role", id: "felt-role", label: "Rolle", options: UsersPageView.roleOptions,
                        selected: m.role.rawValue, allLabel: nil)),
                UsersPageView.actorsField(
                    UsersPageModel(users: [], actorOptions: m.actorOptions, selectedActors: m.actors)),
                F.el(
                    "div", .class("field checkbox"),
                    F.input(
                        [("type", "checkbox"), ("name", "disabled"), ("id", "felt-disabled"), ("value", "1")]
                            + (m.disabled ? [("checked", nil)] : [])),
                    F.el(
                        "label", F.attr("for", "felt-disabled"),
                        .text("Deaktivert (kan ikke logge inn, nøkler virker ikke)"))),
                F.el("button", F.attr("type", "submit"), .text("Lagre"))),
            .section(
                .h2(.text("Innlogginger")),
                .p(
                    .text(
                        "Avslutter alle innlogginger brukeren har nå, i alle nettlesere. "
                            + "Brukeren kan logge inn igjen.")
                ),
                F.el(
                    "form", .class("form"), F.attr("method", "post"),
                    F.attr("action", SiteURL.userSessionsEnd(m.id).path),
                    F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]),
                    F.el("button", F.attr("type", "submit"), .text("Avslutt alle innlogginger for \(m.email)"))))
        )
    }
}
