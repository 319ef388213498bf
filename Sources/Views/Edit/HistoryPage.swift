import Domain
@preconcurrency import Plot

/// Who changed what and when, with the values before and after.
public struct HistoryPageModel: Sendable {
    public struct Entry: Sendable {
        public let id: String
        public let when: String
        public let who: String
        public let source: String
        public let action: String
        public let reason: String
        public let changes: [(field: String, before: String, after: String)]
        /// Whether this version can be brought back (the newest one already is the current one).
        public let restorable: Bool
        public init(
            id: String, when: String, who: String, source: String, action: String, reason: String,
            changes: [(field: String, before: String, after: String)], restorable: Bool
        ) {
            self.id = id
            self.when = when
            self.who = who
            self.source = source
            self.action = action
            self.reason = reason
            self.changes = changes
            self.restorable = restorable
        }
    }
    public let title: String
    public let backURL: String
    public let entries: [Entry]
    /// Set when the viewer may restore: where to post and the record's current version.
    public let restore: (url: String, version: Int64)?
    public let message: String?
    /// Whether every entry shown matches the audit trail's hash chain (nil: not checked).
    public let intact: Bool?

    public init(
        title: String, backURL: String, entries: [Entry], restore: (url: String, version: Int64)? = nil,
        message: String? = nil,
        intact: Bool? = nil
    ) {
        self.title = title
        self.backURL = backURL
        self.entries = entries
        self.restore = restore
        self.message = message
        self.intact = intact
    }
}

public enum HistoryPageView {
    static let actions = [
        "update": "endret", "restore": "gjenopprettet", "create": "opprettet", "import": "importert",
        "retire": "avviklet", "reinstate": "gjeninnført", "confirm": "bekreftet uendret",
        "measurement-add": "la til en verdi", "measurement-change": "endret en verdi",
        "measurement-remove": "fjernet en verdi",
        "draft": "lagret utkast", "discard": "forkastet utkast", "password": "byttet passord",
        "token-create": "laget API-nøkkel", "token-revoke": "trakk tilbake API-nøkkel",
        "identity-link": "koblet innlogging",
        "sessions-ended": "avsluttet innlogginger", "sign-in": "logget inn", "sign-in-failed": "mislykket innlogging",
        "sign-in-expired": "innlogging med utløpt passord", "password-check-failed": "feil passord ved passordbytte",
    ]
    static let sources = ["ui": "skjema", "api": "API", "import": "import", "cli": "kommandolinjen"]

    public static func render(_ m: HistoryPageModel, path: String) -> String {
        let F = Fragments.self
        return PageFrame(title: "Historikk", description: m.title, path: path, breadcrumbs: [("Tilbake", m.backURL)])
            .render(
                .h1(.text("Historikk: \(m.title)")),
                m.message.map { F.el("div", .class("error-summary"), F.attr("role", "alert"), .p(.text($0))) }
                    ?? .empty,
                m.intact == false
                    ? F.el(
                        "div", .class("error-summary"), F.attr("role", "alert"),
                        .p(
                            .strong(.text("Historikken stemmer ikke med revisjonssporets hashkjede. ")),
                            .text(
                                """
                                En oppføring er endret, fjernet eller lagt til utenom Veikart. Varsle en \
                                administrator;\u{20}
                                """
                                    + "«veikart audit verify» viser hvor.")))
                    : m.intact == true && !m.entries.isEmpty
                        ? .p(.text("Kontrollert mot revisjonssporets hashkjede: ingen av oppføringene er endret."))
                        : .empty,
                m.entries.isEmpty
                    ? .p(.text("Ingen endringer er registrert etter at dataene ble importert."))
                    : .ol(
                        .class("history"),
                        .forEach(m.entries) { e in
                            .li(
                                .p(
                                    .strong(.text(e.when)),
                                    .text(
                                        """
                                         – \(e.who) (\(actions[e.action] ?? e.action) via \
                                        \(sources[e.source] ?? e.source))
                                        """
                                    )),
                                e.reason.isEmpty ? .empty : .p(.text("Begrunnelse: \(e.reason)")),
                                e.changes.isEmpty
                                    ? .empty
                                    : .table(
                                        .class("data"),
                                        .thead(
                                            .tr(
                                                .th(.attribute(named: "scope", value: "col"), .text("Felt")),
                                                .th(.attribute(named: "scope", value: "col"), .text("Før")),
                                                .th(.attribute(named: "scope", value: "col"), .text("Etter")))),
                                        .tbody(
                                            .forEach(e.changes) { c in
                                                .tr(
                                                    .th(.attribute(named: "scope", value: "row"), .text(c.field)),
                                                    .td(.text(c.before)), .td(.text(c.after)))
                                            })),
                                restoreButton(m, e))
                        })
            )
    }

    static func restoreButton(_ m: HistoryPageModel, _ e: HistoryPageModel.Entry) -> Node<HTML.BodyContext> {
        guard let restore = m.restore, e.restorable else { return .empty }
        let F = Fragments.self
        return F.el(
            "form", F.attr("method", "post"), F.attr("action", restore.url),
            F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]),
            F.input([("type", "hidden"), ("name", "versjon"), ("value", String(restore.version))]),
            F.input([("type", "hidden"), ("name", "oppforing"), ("value", e.id)]),
            F.el(
                "button", .class("secondary"), F.attr("type", "submit"),
                .text("Gjenopprett versjonen etter denne endringen (\(e.when))")))
    }
}
