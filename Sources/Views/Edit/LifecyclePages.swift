import Domain
@preconcurrency import Plot
import Routes

/// The confirmation step before a record is retired, or why it cannot be yet.
public struct RetirePageModel: Sendable {
    public let kind: RecordKind
    public let title: String
    public let backURL: String
    public let formURL: String
    public let version: Int64
    /// What still points at the record; retiring waits until this is empty.
    public let dependants: [String]
    public let reason: String
    public let error: String?

    public init(
        kind: RecordKind, title: String, backURL: String, formURL: String, version: Int64, dependants: [String],
        reason: String = "", error: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.backURL = backURL
        self.formURL = formURL
        self.version = version
        self.dependants = dependants
        self.reason = reason
        self.error = error
    }
}

public enum RetirePageView {
    public static func render(_ m: RetirePageModel) -> String {
        let F = Fragments.self
        let heading = "Avvikle \(m.kind.name)"
        let count = m.dependants.count
        return PageFrame(title: heading, description: m.title, path: m.formURL, breadcrumbs: [("Tilbake", m.backURL)])
            .render(
                .h1(.text(heading)),
                .p(.class("lead"), .a(.href(m.backURL), .text(m.title))),
                m.error.map { e in
                    F.el(
                        "div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"), .p(.text(e)))
                } ?? .empty,
                m.dependants.isEmpty
                    ? .group(
                        .p(
                            .text(
                                """
                                Når \(m.kind.definiteName) er avviklet, forsvinner \(pronoun(m.kind)) fra sidene, \
                                søket, figurene og eksportene.\u{20}
                                """
                                    + """
                                    \(pronoun(m.kind).capitalizedFirst) blir stående i historikken, og en \
                                    redaktør eller den som har tilgang,\u{20}
                                    """
                                    + "kan gjeninnføre \(pronoun(m.kind)) fra «Avviklede poster».")),
                        F.el(
                            "form", .class("form"), F.attr("method", "post"), F.attr("action", m.formURL),
                            F.attr("novalidate", ""),
                            F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]
                            ),
                            F.input([("type", "hidden"), ("name", "versjon"), ("value", String(m.version))]),
                            F.el(
                                "div", .class("field"),
                                F.el("label", F.attr("for", "felt-reason"), .text("Begrunnelse (valgfri)")),
                                F.el("p", .class("hint"), F.attr("id", "hint-reason"), .text("Vises i historikken.")),
                                F.input([
                                    ("type", "text"), ("name", "reason"), ("id", "felt-reason"),
                                    ("aria-describedby", "hint-reason"),
                                    ("value", m.reason),
                                ])),
                            F.el(
                                "div", .class("actions"),
                                F.el(
                                    "button", .class("danger"), F.attr("type", "submit"),
                                    .text("Ja, avvikle \(m.kind.definiteName)")),
                                .a(.class("button secondary"), .href(m.backURL), .text("Avbryt")))))
                    : F.el(
                        "div", .class("notice"), F.attr("role", "status"),
                        .h2(.text("\(m.kind.definiteName.capitalizedFirst) kan ikke avvikles ennå")),
                        .p(
                            .text(
                                count == 1
                                    ? "Dette viser fortsatt til \(m.kind.definiteName). Flytt eller avvikle det først:"
                                    : """
                                    Disse \(count) viser fortsatt til \(m.kind.definiteName). Flytt eller avvikle \
                                    dem først:
                                    """
                            )),
                        .ul(.forEach(m.dependants) { .li(.text($0)) }),
                        .p(.a(.href(m.backURL), .text("Tilbake"))))
            )
    }

    static func pronoun(_ kind: RecordKind) -> String {
        switch kind {
        case .initiative, .subgoal, .goal: "det"
        case .activity, .milestone, .actor, .indicator: "den"
        }
    }
}

/// Retired records the viewer may bring back.
public struct RetiredPageModel: Sendable {
    public struct Row: Sendable {
        public let kindName: String
        public let title: String
        public let context: String
        public let when: String
        public let who: String
        public let reinstateURL: String
        public let version: Int64
        public init(
            kindName: String, title: String, context: String, when: String, who: String, reinstateURL: String,
            version: Int64
        ) {
            self.kindName = kindName
            self.title = title
            self.context = context
            self.when = when
            self.who = who
            self.reinstateURL = reinstateURL
            self.version = version
        }
    }
    public let rows: [Row]
    public let notice: String?
    public let error: [String]
    public init(rows: [Row], notice: String? = nil, error: [String] = []) {
        self.rows = rows
        self.notice = notice
        self.error = error
    }
}

public enum RetiredPageView {
    public static func render(_ m: RetiredPageModel) -> String {
        let F = Fragments.self
        return PageFrame(
            title: "Avviklede poster", description: "Poster som er avviklet og kan gjeninnføres.",
            path: SiteURL.retiredRecords.path
        ).render(
            .h1(.text("Avviklede poster")),
            m.notice.map { F.el("div", .class("success"), F.attr("role", "status"), .p(.text($0))) } ?? .empty,
            m.error.isEmpty
                ? .empty
                : F.el(
                    "div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"),
                    .h2(.text("Posten ble ikke gjeninnført")), .ul(.forEach(m.error) { .li(.text($0)) })),
            .p(
                .text(
                    """
                    Avviklede poster vises ikke på sidene eller i søket. Gjeninnfører du en, kommer den tilbake \
                    slik den var, sist i listen sin.
                    """
                )),
            m.rows.isEmpty
                ? .p(.text("Det er ingen avviklede poster du har tilgang til."))
                : .div(
                    .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
                    .attribute(named: "role", value: "region"),
                    .attribute(named: "aria-label", value: "Avviklede poster"),
                    .table(
                        .class("data"),
                        .caption(.text(m.rows.count == 1 ? "1 avviklet post" : "\(m.rows.count) avviklede poster")),
                        .thead(
                            .tr(
                                .th(.attribute(named: "scope", value: "col"), .text("Type")),
                                .th(.attribute(named: "scope", value: "col"), .text("Post")),
                                .th(.attribute(named: "scope", value: "col"), .text("Avviklet")),
                                .th(.attribute(named: "scope", value: "col"), .text("Av")),
                                .th(.attribute(named: "scope", value: "col"), .text("Handling")))),
                        .tbody(
                            .forEach(m.rows) { r in
                                .tr(
                                    .td(.text(r.kindName)),
                                    .td(
                                        .text(r.title),
                                        r.context.isEmpty
                                            ? .empty : .span(.class("muted"), .text(" – " + r.context))),
                                    .td(.text(r.when)), .td(.text(r.who)),
                                    .td(
                                        F.el(
                                            "form", .class("inline"), F.attr("method", "post"),
                                            F.attr("action", r.reinstateURL),
                                            F.input([
                                                ("type", "hidden"), ("name", "_csrf"),
                                                ("value", Viewer.current?.csrfToken ?? ""),
                                            ]),
                                            F.input([
                                                ("type", "hidden"), ("name", "versjon"), ("value", String(r.version)),
                                            ]),
                                            F.el(
                                                "button", .class("secondary"), F.attr("type", "submit"),
                                                F.attr("aria-label", "Gjeninnfør \(r.kindName) «\(r.title)»"),
                                                .text("Gjeninnfør")))))
                            })))
        )
    }
}

/// "Legg til": the kinds of record the viewer may create.
public enum NewRecordMenuView {
    public static func render(kinds: [RecordKind]) -> String {
        PageFrame(
            title: "Legg til", description: "Opprett nye poster i strategien og veikartet.",
            path: SiteURL.newRecordMenu.path
        ).render(
            .h1(.text("Legg til")),
            .ul(
                .class("link-list"),
                .forEach(kinds) { k in .li(.a(.href(SiteURL.newRecord(k).path), .text(k.newTitle))) }),
            .p(
                .a(.href(SiteURL.retiredRecords.path), .text("Avviklede poster")),
                .text(" – gjeninnfør noe som er avviklet."))
        )
    }
}
