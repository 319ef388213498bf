@preconcurrency import Plot
import Routes

public struct AccountPageModel: Sendable {
    public struct Token: Sendable {
        public let id: String
        public let name: String
        public let prefix: String
        public let created: String
        public let lastUsed: String
        public let revoked: Bool
        public init(id: String, name: String, prefix: String, created: String, lastUsed: String, revoked: Bool) {
            self.id = id
            self.name = name
            self.prefix = prefix
            self.created = created
            self.lastUsed = lastUsed
            self.revoked = revoked
        }
    }
    public let email: String
    public let roleName: String
    public let tokens: [Token]
    /// A token just created: shown this once.
    public let newToken: String?
    public let message: String?
    public let passwordError: String?
    /// Sessions of this account other than the one showing the page (other browsers, other devices).
    public let otherSessions: Int

    public init(
        email: String, roleName: String, tokens: [Token], newToken: String? = nil, message: String? = nil,
        passwordError: String? = nil,
        otherSessions: Int = 0
    ) {
        self.email = email
        self.roleName = roleName
        self.tokens = tokens
        self.newToken = newToken
        self.message = message
        self.passwordError = passwordError
        self.otherSessions = otherSessions
    }
}

public enum AccountPageView {
    public static func render(_ m: AccountPageModel) -> String {
        let F = Fragments.self
        let csrf = Viewer.current?.csrfToken ?? ""
        func hidden() -> Node<HTML.BodyContext> { F.input([("type", "hidden"), ("name", "_csrf"), ("value", csrf)]) }
        return PageFrame(title: "Min konto", description: "Passord og API-nøkler", path: SiteURL.account.path).render(
            .h1(.text("Min konto")),
            .p(.text("\(m.email) – \(m.roleName)")),
            m.message.map { F.el("div", .class("success"), F.attr("role", "status"), .p(.text($0))) } ?? .empty,
            m.newToken.map { token in
                F.el(
                    "div", .class("success"), F.attr("role", "status"),
                    .p(.strong(.text("Ny API-nøkkel. Kopier den nå; den vises ikke igjen:"))),
                    .p(.element(named: "code", nodes: [.attribute(named: "id", value: "ny-nokkel"), .text(token)])))
            } ?? .empty,
            .section(
                .h2(.text("Bytt passord")),
                F.el(
                    "form", .class("form"), F.attr("method", "post"), F.attr("action", SiteURL.accountPassword.path),
                    hidden(),
                    m.passwordError.map { F.el("p", .class("error-message"), F.attr("role", "alert"), .text($0)) }
                        ?? .empty,
                    F.el(
                        "div", .class("field"), F.el("label", F.attr("for", "gammelt"), .text("Nåværende passord")),
                        F.input([
                            ("type", "password"), ("name", "gammelt"), ("id", "gammelt"),
                            ("autocomplete", "current-password"),
                        ])),
                    F.el(
                        "div", .class("field"),
                        F.el("label", F.attr("for", "nytt"), .text("Nytt passord (minst 12 tegn)")),
                        F.input([
                            ("type", "password"), ("name", "nytt"), ("id", "nytt"), ("autocomplete", "new-password"),
                        ])),
                    F.el("button", F.attr("type", "submit"), .text("Bytt passord")))),
            .section(
                .h2(.text("Innlogginger")),
                .p(
                    .text(
                        m.otherSessions == 0
                            ? "Du er ikke logget inn andre steder."
                            : m.otherSessions == 1
                                ? "Du er også logget inn i én annen nettleser eller på én annen enhet."
                                : "Du er også logget inn i \(m.otherSessions) andre nettlesere "
                                    + "eller på andre enheter.")
                ),
                .p(
                    .text(
                        """
                        En innlogging avsluttes av seg selv etter to timer uten bruk, og senest tolv timer etter \
                        at du logget inn.
                        """
                    )),
                F.el(
                    "form", .class("form"), F.attr("method", "post"),
                    F.attr("action", SiteURL.accountSignOutEverywhere.path),
                    hidden(),
                    F.el("button", F.attr("type", "submit"), .text("Logg ut overalt, også her")))),
            .section(
                .h2(.text("API-nøkler")),
                .p(
                    .text(
                        """
                        Nøkler gir API-et samme rettigheter som kontoen din. Send dem som «Authorization: Bearer \
                        <nøkkel>».
                        """
                    )),
                m.tokens.isEmpty
                    ? .p(.text("Du har ingen nøkler."))
                    : .table(
                        .class("data"),
                        .caption(.text("Dine nøkler")),
                        .thead(
                            .tr(
                                .th(.attribute(named: "scope", value: "col"), .text("Navn")),
                                .th(.attribute(named: "scope", value: "col"), .text("Begynner med")),
                                .th(.attribute(named: "scope", value: "col"), .text("Opprettet")),
                                .th(.attribute(named: "scope", value: "col"), .text("Sist brukt")),
                                .th(.attribute(named: "scope", value: "col"), .text("Status")))),
                        .tbody(
                            .forEach(m.tokens) { t in
                                .tr(
                                    .td(.text(t.name)), .td(.element(named: "code", text: t.prefix + "…")),
                                    .td(.text(t.created)), .td(.text(t.lastUsed)),
                                    t.revoked
                                        ? .td(.text("Trukket tilbake"))
                                        : .td(
                                            F.el(
                                                "form", .class("inline"), F.attr("method", "post"),
                                                F.attr("action", SiteURL.accountTokenRevocation(t.id).path), hidden(),
                                                F.el(
                                                    "button", .class("link-button"), F.attr("type", "submit"),
                                                    .text("Trekk tilbake «\(t.name)»")))))
                            })),
                F.el(
                    "form", .class("form"), F.attr("method", "post"), F.attr("action", SiteURL.accountTokens.path),
                    hidden(),
                    F.el(
                        "div", .class("field"),
                        F.el("label", F.attr("for", "nokkelnavn"), .text("Navn på ny nøkkel")),
                        F.input([("type", "text"), ("name", "navn"), ("id", "nokkelnavn"), ("maxlength", "80")])),
                    F.el("button", F.attr("type", "submit"), .text("Lag ny nøkkel"))))
        )
    }
}
