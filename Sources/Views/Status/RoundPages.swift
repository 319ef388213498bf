import Domain
@preconcurrency import Plot
import Routes

private typealias F = Fragments

/// Pieces the reporting-round pages share.
enum RoundUI {
    static func csrf() -> Node<HTML.BodyContext> {
        F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")])
    }

    /// The error summary: a heading and one link per field, in `order`.
    static func errorSummary(_ heading: String, _ errors: FieldErrors, order: [String] = []) -> Node<HTML.BodyContext> {
        CouncilForm.errorSummary([], errors: errors, order: order, heading: heading)
    }

    static func problems(_ heading: String, _ reasons: [String]) -> Node<HTML.BodyContext> {
        CouncilForm.errorSummary(reasons, heading: heading)
    }

    static func notice(_ text: String?) -> Node<HTML.BodyContext> {
        text.map { F.el("div", .class("success"), F.attr("role", "status"), .p(.text($0))) } ?? .empty
    }

    static func fieldError(_ errors: FieldErrors, _ key: String) -> Node<HTML.BodyContext> {
        errors[key].map { F.el("p", .class("error-message"), F.attr("id", "feil-\(key)"), .text($0)) } ?? .empty
    }

    static func scrollTable(_ label: String, _ table: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        .div(
            .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
            .attribute(named: "role", value: "region"),
            .attribute(named: "aria-label", value: label), table)
    }

    static func th(_ text: String) -> Node<HTML.TableRowContext> {
        .th(.attribute(named: "scope", value: "col"), .text(text))
    }

    static func stateBadge(_ state: RoundPartState) -> Node<HTML.BodyContext> {
        .span(.class("badge round-\(state.rawValue)"), .text(state.name))
    }

    /// "1 tiltak", "3 tiltak"; Norwegian nouns with their plural.
    static func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
}

// MARK: - list

public struct RoundListModel: Sendable {
    public struct Row: Sendable {
        public let title: String
        public let url: String
        public let deadline: String
        public let state: String
        public let delivered: String
        public let version: String?
        public init(title: String, url: String, deadline: String, state: String, delivered: String, version: String?) {
            self.title = title
            self.url = url
            self.deadline = deadline
            self.state = state
            self.delivered = delivered
            self.version = version
        }
    }
    /// A part the viewer reports: an open round's actor.
    public struct MyPart: Sendable {
        public let round: String
        public let actor: String
        public let state: RoundPartState
        public let deadline: String
        public let url: String
        public init(round: String, actor: String, state: RoundPartState, deadline: String, url: String) {
            self.round = round
            self.actor = actor
            self.state = state
            self.deadline = deadline
            self.url = url
        }
    }
    public let rows: [Row]
    public let myParts: [MyPart]
    public let canOpen: Bool
    public let notice: String?
    public init(rows: [Row], myParts: [MyPart], canOpen: Bool, notice: String? = nil) {
        self.rows = rows
        self.myParts = myParts
        self.canOpen = canOpen
        self.notice = notice
    }
}

public enum RoundListView {
    public static func render(_ m: RoundListModel) -> String {
        PageFrame(
            title: "Rapportering", description: "Rapporteringsrundene til porteføljen.",
            path: SiteURL.reportingRounds.path
        ).render(
            .h1(.text("Rapportering")),
            RoundUI.notice(m.notice),
            .p(
                .class("lead"),
                .text(
                    """
                    Aktørene rapporterer status for tiltakene sine og bekrefter aktivitetene og milepælene sine i \
                    hver runde.\u{20}
                    """
                        + "Når en runde avsluttes, publiseres veikartet som en ny versjon.")),
            m.canOpen
                ? .p(.a(.class("button"), .href(SiteURL.newReportingRound.path), .text("Åpne en ny runde"))) : .empty,
            m.myParts.isEmpty
                ? .empty
                : .group(
                    .h2(.text("Dine deler")),
                    RoundUI.scrollTable(
                        "Dine deler",
                        .table(
                            .class("data"),
                            .thead(
                                .tr(
                                    RoundUI.th("Runde"), RoundUI.th("Aktør"), RoundUI.th("Frist"),
                                    RoundUI.th("Status"))
                            ),
                            .tbody(
                                .forEach(m.myParts) { p in
                                    .tr(
                                        .td(.text(p.round)), .td(.a(.href(p.url), .text(p.actor))),
                                        .td(.text(p.deadline)),
                                        .td(RoundUI.stateBadge(p.state)))
                                })))),
            .h2(.text("Runder")),
            m.rows.isEmpty
                ? .p(.text("Ingen rapporteringsrunder ennå."))
                : RoundUI.scrollTable(
                    "Rapporteringsrunder",
                    .table(
                        .class("data"),
                        .thead(
                            .tr(
                                RoundUI.th("Runde"), RoundUI.th("Frist"), RoundUI.th("Status"), RoundUI.th("Levert"),
                                RoundUI.th("Veikartversjon"))),
                        .tbody(
                            .forEach(m.rows) { r in
                                .tr(
                                    .td(.a(.href(r.url), .text(r.title))), .td(.text(r.deadline)), .td(.text(r.state)),
                                    .td(.text(r.delivered)),
                                    .td(
                                        r.version.map { v in
                                            .a(.href(SiteURL.roadmap.path + "?versjon=\(v)"), .text("Versjon \(v)"))
                                        } ?? .text("–")))
                            }))),
            .p(.a(.href(SiteURL.roadmapVersions.path), .text("Alle versjoner av veikartet")))
        )
    }
}

// MARK: - opening a round

public struct RoundFormModel: Sendable {
    public struct Choice: Sendable {
        public let value: String
        public let label: String
        public let checked: Bool
        public init(value: String, label: String, checked: Bool) {
            self.value = value
            self.label = label
            self.checked = checked
        }
    }
    public let period: String
    public let deadline: String
    public let note: String
    public let initiatives: [Choice]
    public let actors: [Choice]
    public let errors: FieldErrors
    /// Set when changing an open round: its id, its period in words and the version the change is based on.
    public var editing: (id: String, period: String, version: Int64)? = nil
    public init(
        period: String, deadline: String, note: String, initiatives: [Choice], actors: [Choice],
        errors: FieldErrors = FieldErrors()
    ) {
        self.period = period
        self.deadline = deadline
        self.note = note
        self.initiatives = initiatives
        self.actors = actors
        self.errors = errors
    }
}

public enum RoundFormView {
    public static func render(_ m: RoundFormModel) -> String {
        let e = m.errors
        func text(_ name: String, _ key: String, _ label: String, _ hint: String, _ value: String) -> Node<
            HTML.BodyContext
        > {
            F.el(
                "div", .class(e[key] == nil ? "field" : "field has-error"),
                F.el("label", F.attr("for", "felt-\(key)"), .text(label)),
                F.el("p", .class("hint"), F.attr("id", "hint-\(key)"), .text(hint)),
                RoundUI.fieldError(e, key),
                F.input(
                    [
                        ("type", "text"), ("name", name), ("id", "felt-\(key)"), ("value", value),
                        ("aria-describedby", e[key] == nil ? "hint-\(key)" : "hint-\(key) feil-\(key)"),
                        ("aria-invalid", e[key] == nil ? nil : "true"),
                    ].filter { $0.1 != nil }))
        }
        func choices(_ name: String, _ key: String, _ legend: String, _ items: [RoundFormModel.Choice]) -> Node<
            HTML.BodyContext
        > {
            F.el(
                "fieldset", .class(e[key] == nil ? "field checkboxes" : "field checkboxes has-error"),
                F.attr("id", "felt-\(key)"),
                e[key] == nil ? .empty : F.attr("aria-describedby", "feil-\(key)"),
                F.el("legend", .text(legend)),
                RoundUI.fieldError(e, key),
                .group(
                    items.enumerated().map { i, c in
                        F.el(
                            "div", .class("checkbox"),
                            F.input(
                                [
                                    ("type", "checkbox"), ("name", "\(name)[]"), ("value", c.value),
                                    ("id", "\(name)-\(i)"),
                                    ("checked", c.checked ? "" : nil),
                                ].filter { $0.1 != nil }),
                            F.el("label", F.attr("for", "\(name)-\(i)"), .text(c.label)))
                    }))
        }
        let title = m.editing.map { "Endre runden \($0.period)" } ?? "Åpne en rapporteringsrunde"
        let action =
            m.editing.map { SiteURL.reportingRoundChange($0.id, .change).path }
            ?? SiteURL.newReportingRound.path
        let back = m.editing.map { SiteURL.reportingRound($0.id).path } ?? SiteURL.reportingRounds.path
        return PageFrame(
            title: title, description: title + ".", path: action,
            breadcrumbs: [("Rapportering", SiteURL.reportingRounds.path)]
        ).render(
            .h1(.text(title)),
            RoundUI.errorSummary(
                m.editing == nil ? "Runden ble ikke åpnet" : "Endringen ble ikke lagret", e,
                order: ["period", "deadline", "note", "initiatives", "actors"]),
            .p(
                .text(
                    m.editing == nil
                        ? """
                        Aktørene som er med, ser sin del under «Rapportering» og i «Mitt arbeid». Fristen kommer \
                        i kalenderen.
                        """
                        : "Aktører og tiltak som noen allerede har rapportert på, kan ikke tas ut av runden.")),
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", action), F.attr("novalidate", ""),
                RoundUI.csrf(),
                m.editing.map { F.input([("type", "hidden"), ("name", "versjon"), ("value", String($0.version))]) }
                    ?? text(
                        "periode", "period", "Periode",
                        "Et kvartal (2026-Q4) eller et år (2026). Én runde per periode.", m.period),
                text("frist", "deadline", "Frist", "En dato, for eksempel 15.12.2026.", m.deadline),
                F.el(
                    "div", .class(e["note"] == nil ? "field" : "field has-error"),
                    F.el("label", F.attr("for", "felt-note"), .text("Beskjed til aktørene (valgfri)")),
                    RoundUI.fieldError(e, "note"),
                    F.el(
                        "textarea", F.attr("name", "merknad"), F.attr("id", "felt-note"), F.attr("rows", "3"),
                        e["note"] == nil
                            ? .empty : .group(F.attr("aria-invalid", "true"), F.attr("aria-describedby", "feil-note")),
                        .text(m.note))),
                choices("tiltak", "initiatives", "Tiltak i runden", m.initiatives),
                choices("aktorer", "actors", "Aktører som rapporterer", m.actors),
                F.el(
                    "div", .class("actions"),
                    F.el(
                        "button", F.attr("type", "submit"),
                        .text(m.editing == nil ? "Åpne runden" : "Lagre endringene")
                    ),
                    .a(.class("button secondary"), .href(back), .text("Avbryt"))))
        )
    }
}

// MARK: - the board

public struct RoundBoardModel: Sendable {
    public struct Row: Sendable {
        public let actor: String
        public let state: RoundPartState
        public let initiatives: Int
        public let missing: [String]
        public let delivered: String?
        public let partURL: String
        public init(
            actor: String, state: RoundPartState, initiatives: Int, missing: [String], delivered: String?,
            partURL: String
        ) {
            self.actor = actor
            self.state = state
            self.initiatives = initiatives
            self.missing = missing
            self.delivered = delivered
            self.partURL = partURL
        }
    }
    public struct Link: Sendable {
        public let name: String
        public let url: String
        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }
    public struct DelayRow: Sendable {
        public let kind: String
        public let text: String
        public let initiatives: [Link]
        public let causes: [(cause: String, initiatives: [Link])]
        public init(kind: String, text: String, initiatives: [Link], causes: [(cause: String, initiatives: [Link])]) {
            self.kind = kind
            self.text = text
            self.initiatives = initiatives
            self.causes = causes
        }
    }
    public let id: String
    public let title: String
    public let deadline: String
    public let note: String
    public let closed: String?
    public let version: String?
    public let rows: [Row]
    public let counts: [(RoundPartState, Int)]
    /// Addresses of the reporters whose part is not delivered, for a reminder.
    public let reminder: [String]
    public let delays: [DelayRow]
    public let delaysBasis: String
    public let canManage: Bool
    public let notice: String?
    /// Open, and no actor has saved anything: a round opened by mistake can still be removed.
    public var canDelete = false
    public init(
        id: String, title: String, deadline: String, note: String, closed: String?, version: String?, rows: [Row],
        counts: [(RoundPartState, Int)], reminder: [String], delays: [DelayRow], delaysBasis: String, canManage: Bool,
        notice: String? = nil
    ) {
        self.id = id
        self.title = title
        self.deadline = deadline
        self.note = note
        self.closed = closed
        self.version = version
        self.rows = rows
        self.counts = counts
        self.reminder = reminder
        self.delays = delays
        self.delaysBasis = delaysBasis
        self.canManage = canManage
        self.notice = notice
    }
}

public enum RoundBoardView {
    public static func render(_ m: RoundBoardModel) -> String {
        let links = { (items: [RoundBoardModel.Link]) -> Node<HTML.BodyContext> in
            .group(
                items.enumerated().map { i, l in .group(i == 0 ? .empty : .text(", "), .a(.href(l.url), .text(l.name)))
                })
        }
        return PageFrame(
            title: m.title, description: "Rapporteringsrunde med frist \(m.deadline).",
            path: SiteURL.reportingRound(m.id).path,
            breadcrumbs: [("Rapportering", SiteURL.reportingRounds.path)]
        ).render(
            .h1(.text(m.title)),
            RoundUI.notice(m.notice),
            F.facts([
                ("Frist", .text(m.deadline)),
                ("Status", .text(m.closed.map { "Avsluttet \($0)" } ?? "Åpen")),
                (
                    "Veikartversjon",
                    m.version.map { v in
                        .a(.href(SiteURL.roadmap.path + "?versjon=\(v)"), .text("Versjon \(v)"))
                    } ?? .text("–")
                ),
            ]),
            m.note.isEmpty ? .empty : F.paragraphs(m.note),
            .h2(.text("Aktørene")),
            .p(.text(m.counts.filter { $0.1 > 0 }.map { "\($0.0.name): \($0.1)" }.joined(separator: " · "))),
            RoundUI.scrollTable(
                "Aktørenes deler",
                .table(
                    .class("data"),
                    .caption(.text(RoundUI.count(m.rows.count, "aktør", "aktører"))),
                    .thead(
                        .tr(
                            RoundUI.th("Aktør"), RoundUI.th("Status"), RoundUI.th("Tiltak"),
                            RoundUI.th("Mangler status for"),
                            RoundUI.th("Levert"))),
                    .tbody(
                        .forEach(m.rows) { r in
                            .tr(
                                .td(.a(.href(r.partURL), .text(r.actor))), .td(RoundUI.stateBadge(r.state)),
                                .td(.text(String(r.initiatives))),
                                .td(.text(r.missing.isEmpty ? "–" : r.missing.joined(separator: ", "))),
                                .td(.text(r.delivered ?? "–")))
                        }))),
            m.canManage && m.closed == nil
                ? .group(
                    .h2(.text("Påminnelse")),
                    m.reminder.isEmpty
                        ? .p(
                            .text(
                                m.rows.allSatisfy { $0.state == .levert }
                                    ? "Alle aktørene har levert."
                                    : """
                                    Ingen rapportører har tilgang til aktørene som ikke har levert. En \
                                    administrator kan gi tilgang under «Brukere».
                                    """
                            ))
                        : .group(
                            .p(
                                .text(
                                    """
                                    Adressene til rapportørene som ikke har levert \
                                    (\(RoundUI.count(m.reminder.count, "adresse", "adresser"))).\u{20}
                                    """
                                        + "Kopier dem inn i en e-post:")),
                            F.el(
                                "textarea", .class("reminder"), F.attr("readonly", ""), F.attr("rows", "3"),
                                F.attr("aria-label", "E-postadresser for påminnelse"),
                                .text(m.reminder.joined(separator: "; "))))) : .empty,
            .h2(.text("Vesentlige forsinkelser")),
            .p(.text(m.delaysBasis)),
            m.delays.isEmpty
                ? .empty
                : RoundUI.scrollTable(
                    "Forsinkelser",
                    .table(
                        .class("data"),
                        .thead(
                            .tr(
                                RoundUI.th("Type"), RoundUI.th("Andel tiltak"), RoundUI.th("Tiltak"),
                                RoundUI.th("Årsaker"))),
                        .tbody(
                            .forEach(m.delays) { d in
                                .tr(
                                    .td(.text(d.kind)), .td(.text(d.text)),
                                    .td(d.initiatives.isEmpty ? .text("–") : links(d.initiatives)),
                                    .td(
                                        d.causes.isEmpty
                                            ? .text("–")
                                            : .ul(
                                                .class("plain"),
                                                .forEach(d.causes) { c in
                                                    .li(.text("\(c.cause): "), links(c.initiatives))
                                                })))
                            }))),
            m.canManage && m.closed == nil
                ? .group(
                    .h2(.text("Avslutte runden")),
                    .p(
                        .text(
                            """
                            Når runden avsluttes, kan ingen levere mer, og veikartet slik det er nå publiseres \
                            som en ny versjon.
                            """
                        )),
                    .p(
                        .a(
                            .class("button"), .href(SiteURL.reportingRoundChange(m.id, .close).path),
                            .text("Avslutt runden …")),
                        .text(" "),
                        .a(
                            .class("button secondary"), .href(SiteURL.reportingRoundChange(m.id, .change).path),
                            .text("Endre frist og omfang")),
                        m.canDelete
                            ? .group(
                                .text(" "),
                                .a(
                                    .class("button secondary"),
                                    .href(SiteURL.reportingRoundChange(m.id, .delete).path),
                                    .text("Slett runden …"))) : .empty)) : .empty,
            m.version.map { v in
                .p(.a(.href(SiteURL.roadmapChanges.path + "?til=\(v)"), .text("Hva er endret i versjon \(v)")))
            } ?? .empty
        )
    }
}

// MARK: - one actor's part

public struct RoundPartPageModel: Sendable {
    public struct StatusRow: Sendable {
        public let slug: String
        public let title: String
        public let url: String
        public let status: String
        public let tendency: String
        public let comment: String
        public init(slug: String, title: String, url: String, status: String, tendency: String, comment: String) {
            self.slug = slug
            self.title = title
            self.url = url
            self.status = status
            self.tendency = tendency
            self.comment = comment
        }
    }
    public struct Item: Sendable {
        public let title: String
        public let initiative: String
        public let due: String
        public let flags: [String]
        public let moveURL: String
        public let editURL: String
        public init(title: String, initiative: String, due: String, flags: [String], moveURL: String, editURL: String) {
            self.title = title
            self.initiative = initiative
            self.due = due
            self.flags = flags
            self.moveURL = moveURL
            self.editURL = editURL
        }
    }
    public let round: String
    public let roundURL: String
    public let actor: String
    public let formURL: String
    public let deadline: String
    public let state: RoundPartState
    public let version: Int64?
    public let statuses: [StatusRow]
    public let note: String
    public let items: [Item]
    public let editable: Bool
    /// Why the form is read-only, when it is.
    public let readOnlyReason: String?
    public let canReopen: Bool
    public let errors: FieldErrors
    public let problems: [String]
    public let notice: String?
    /// Someone saved the part first: what is stored now, as readable lines, shown beside the viewer's own input.
    public var conflict: [(label: String, value: String)]? = nil
    public init(
        round: String, roundURL: String, actor: String, formURL: String, deadline: String, state: RoundPartState,
        version: Int64?,
        statuses: [StatusRow], note: String, items: [Item], editable: Bool, readOnlyReason: String?, canReopen: Bool,
        errors: FieldErrors = FieldErrors(), problems: [String] = [], notice: String? = nil
    ) {
        self.round = round
        self.roundURL = roundURL
        self.actor = actor
        self.formURL = formURL
        self.deadline = deadline
        self.state = state
        self.version = version
        self.statuses = statuses
        self.note = note
        self.items = items
        self.editable = editable
        self.readOnlyReason = readOnlyReason
        self.canReopen = canReopen
        self.errors = errors
        self.problems = problems
        self.notice = notice
    }
}

public enum RoundPartView {
    static let lights: [(String, String)] =
        [("", "Ikke vurdert")] + TrafficLight.allCases.map { ($0.rawValue, "\($0.name) \($0.symbol)") }
    static let tendencies: [(String, String)] =
        [("", "Ingen retning")] + Tendency.allCases.map { ($0.rawValue, $0.name.capitalizedFirst) }

    public static func render(_ m: RoundPartPageModel) -> String {
        let e = m.errors
        func select(_ name: String, _ label: String, _ options: [(String, String)], _ value: String) -> Node<
            HTML.BodyContext
        > {
            F.el(
                "div", .class(e[name] == nil ? "field" : "field has-error"),
                F.el("label", F.attr("for", "felt-\(name)"), .text(label)),
                RoundUI.fieldError(e, name),
                F.el(
                    "select", F.attr("name", name), F.attr("id", "felt-\(name)"),
                    m.editable ? .empty : F.attr("disabled", ""),
                    e[name] == nil
                        ? .empty : .group(F.attr("aria-invalid", "true"), F.attr("aria-describedby", "feil-\(name)")),
                    .group(
                        options.map { o in
                            F.el(
                                "option", F.attr("value", o.0), o.0 == value ? .attribute(named: "selected") : .empty,
                                .text(o.1))
                        })))
        }
        let title = "\(m.actor) – \(m.round)"
        return PageFrame(
            title: title, description: "Rapportering for \(m.actor).", path: m.formURL,
            breadcrumbs: [("Rapportering", SiteURL.reportingRounds.path), (m.round, m.roundURL)]
        ).render(
            .h1(.text(title)),
            RoundUI.notice(m.notice),
            RoundUI.errorSummary(
                "Delen ble ikke lagret", e,
                order: m.statuses.flatMap { ["status-\($0.slug)", "tendency-\($0.slug)", "comment-\($0.slug)"] }),
            RoundUI.problems("Ingenting ble lagret", m.problems),
            m.conflict.map { lines in
                F.el(
                    "div", .class("conflict"), F.attr("role", "status"),
                    .h2(.text("Dette er lagret nå")),
                    .p(
                        .text(
                            """
                            Skjemaet under viser det du skrev. Ta med det du vil beholde fra den lagrede delen, \
                            og lagre igjen.
                            """
                        )),
                    F.facts(lines.map { ($0.label, .text($0.value)) }))
            } ?? .empty,
            F.facts([("Frist", .text(m.deadline)), ("Status", RoundUI.stateBadge(m.state))]),
            m.readOnlyReason.map { r in F.el("div", .class("notice"), F.attr("role", "status"), .p(.text(r))) }
                ?? .empty,
            m.canReopen
                ? F.el(
                    "form", .class("inline"), F.attr("method", "post"), F.attr("action", m.formURL + "/gjenapne"),
                    RoundUI.csrf(),
                    F.input([("type", "hidden"), ("name", "versjon"), ("value", String(m.version ?? 0))]),
                    F.el(
                        "button", .class("secondary"), F.attr("type", "submit"),
                        .text("Åpne delen igjen for aktøren"))
                ) : .empty,
            .h2(.text("Status for tiltakene")),
            m.statuses.isEmpty
                ? .p(.text("Aktøren har ingen aktiviteter eller milepæler i tiltakene i denne runden.")) : .empty,
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", m.formURL), F.attr("novalidate", ""),
                RoundUI.csrf(),
                F.input([("type", "hidden"), ("name", "versjon"), ("value", m.version.map(String.init) ?? "")]),
                .group(
                    m.statuses.map { s in
                        F.el(
                            "fieldset", .class("status-entry"),
                            F.el("legend", .a(.href(s.url), .text(s.title))),
                            select("status-\(s.slug)", "Status", lights, s.status),
                            select("tendency-\(s.slug)", "Retning", tendencies, s.tendency),
                            F.el(
                                "div", .class(e["comment-\(s.slug)"] == nil ? "field" : "field has-error"),
                                F.el("label", F.attr("for", "felt-comment-\(s.slug)"), .text("Kommentar")),
                                RoundUI.fieldError(e, "comment-\(s.slug)"),
                                F.el(
                                    "textarea", F.attr("name", "comment-\(s.slug)"),
                                    F.attr("id", "felt-comment-\(s.slug)"), F.attr("rows", "3"),
                                    e["comment-\(s.slug)"] == nil
                                        ? .empty
                                        : .group(
                                            F.attr("aria-invalid", "true"),
                                            F.attr("aria-describedby", "feil-comment-\(s.slug)")),
                                    m.editable ? .empty : F.attr("readonly", ""), .text(s.comment))))
                    }),
                F.el(
                    "div", .class(e["note"] == nil ? "field" : "field has-error"),
                    F.el("label", F.attr("for", "felt-note"), .text("Merknad til porteføljen (valgfri)")),
                    RoundUI.fieldError(e, "note"),
                    F.el(
                        "textarea", F.attr("name", "merknad"), F.attr("id", "felt-note"), F.attr("rows", "3"),
                        e["note"] == nil
                            ? .empty : .group(F.attr("aria-invalid", "true"), F.attr("aria-describedby", "feil-note")),
                        m.editable ? .empty : F.attr("readonly", ""), .text(m.note))),
                m.editable
                    ? F.el(
                        "div", .class("actions"),
                        F.el(
                            "button", F.attr("type", "submit"), F.attr("name", "handling"), F.attr("value", "lagre"),
                            .text("Lagre utkast")),
                        F.el(
                            "button", .class("secondary"), F.attr("type", "submit"), F.attr("name", "handling"),
                            F.attr("value", "lever"), .text("Lagre og lever …"))) : .empty),
            .h2(.text("Aktiviteter og milepæler")),
            .p(
                .text(
                    """
                    Bekreft eller oppdater hver aktivitet og milepæl i «Mitt arbeid». Flytter du en dato \
                    vesentlig, oppgi type og årsak\u{20}
                    """
                        + "til forsinkelsen; det teller i forsinkelsestallene for runden.")),
            m.items.isEmpty
                ? .p(.text("Ingen aktiviteter eller milepæler i tiltakene i runden."))
                : RoundUI.scrollTable(
                    "Aktiviteter og milepæler",
                    .table(
                        .class("data"),
                        .caption(
                            .text(
                                RoundUI.count(
                                    m.items.count, "aktivitet eller milepæl", "aktiviteter og milepæler"))),
                        .thead(
                            .tr(
                                RoundUI.th("Hva"), RoundUI.th("Tiltak"), RoundUI.th("Frist"), RoundUI.th("Merknad"),
                                RoundUI.th("Handling"))),
                        .tbody(
                            .forEach(m.items) { i in
                                .tr(
                                    .td(.text(i.title)), .td(.text(i.initiative)), .td(.text(i.due)),
                                    .td(.text(i.flags.isEmpty ? "–" : i.flags.joined(separator: "; "))),
                                    .td(
                                        .a(
                                            .href(i.moveURL), .text("Flytt"),
                                            .span(.class("visually-hidden"), .text(" " + i.title))), .text(" · "),
                                        .a(
                                            .href(i.editURL), .text("Endre"),
                                            .span(.class("visually-hidden"), .text(" " + i.title)))))
                            }))),
            .p(.a(.href(SiteURL.myWork.path), .text("Til Mitt arbeid")))
        )
    }
}

// MARK: - confirmation steps

/// A text field on a confirmation page (a version number, a note).
public struct ConfirmField: Sendable {
    public let name: String
    public let label: String
    public let hint: String
    public let value: String
    public let error: String?
    public init(name: String, label: String, hint: String, value: String, error: String? = nil) {
        self.name = name
        self.label = label
        self.hint = hint
        self.value = value
        self.error = error
    }
}

/// "Are you sure?" before a step that cannot be undone by the one taking it (delivering, closing, publishing).
public struct ConfirmPageModel: Sendable {
    public let title: String
    public let path: String
    public let breadcrumbs: [(name: String, url: String)]
    public let paragraphs: [String]
    public let formURL: String
    public let hidden: [(String, String)]
    public let confirmLabel: String
    public let backURL: String
    public let problems: [String]
    public let fields: [ConfirmField]
    public init(
        title: String, path: String, breadcrumbs: [(name: String, url: String)], paragraphs: [String], formURL: String,
        hidden: [(String, String)], confirmLabel: String, backURL: String, problems: [String] = [],
        fields: [ConfirmField] = []
    ) {
        self.title = title
        self.path = path
        self.breadcrumbs = breadcrumbs
        self.paragraphs = paragraphs
        self.formURL = formURL
        self.hidden = hidden
        self.confirmLabel = confirmLabel
        self.backURL = backURL
        self.problems = problems
        self.fields = fields
    }
}

public enum ConfirmPageView {
    public static func render(_ m: ConfirmPageModel) -> String {
        PageFrame(title: m.title, description: m.paragraphs.first ?? m.title, path: m.path, breadcrumbs: m.breadcrumbs)
            .render(
                .h1(.text(m.title)),
                summary(m),
                .group(m.paragraphs.map { .p(.text($0)) }),
                F.el(
                    "form", .class("form"), F.attr("method", "post"), F.attr("action", m.formURL),
                    F.attr("novalidate", ""),
                    RoundUI.csrf(),
                    .group(m.hidden.map { F.input([("type", "hidden"), ("name", $0.0), ("value", $0.1)]) }),
                    .group(m.fields.map(textField)),
                    F.el(
                        "div", .class("actions"),
                        F.el("button", F.attr("type", "submit"), .text(m.confirmLabel)),
                        .a(.class("button secondary"), .href(m.backURL), .text("Avbryt"))))
            )
    }

    /// Field errors link to their field; other problems are listed as text.
    static func summary(_ m: ConfirmPageModel) -> Node<HTML.BodyContext> {
        let fieldErrors = m.fields.compactMap { f in f.error.map { (f.name, $0) } }
        let others = m.problems.filter { p in !fieldErrors.contains { $0.1 == p } }
        return CouncilForm.errorSummary(
            others, errors: FieldErrors(Dictionary(fieldErrors, uniquingKeysWith: { a, _ in a })),
            order: m.fields.map(\.name), heading: "Det ble ikke gjort")
    }

    static func textField(_ f: ConfirmField) -> Node<HTML.BodyContext> {
        let (name, label, hint, value, error) = (f.name, f.label, f.hint, f.value, f.error)
        return F.el(
            "div", .class(error == nil ? "field" : "field has-error"),
            F.el("label", F.attr("for", "felt-\(name)"), .text(label)),
            F.el("p", .class("hint"), F.attr("id", "hint-\(name)"), .text(hint)),
            error.map { F.el("p", .class("error-message"), F.attr("id", "feil-\(name)"), .text($0)) } ?? .empty,
            F.input(
                [
                    ("type", "text"), ("name", name), ("id", "felt-\(name)"), ("value", value),
                    ("aria-describedby", error == nil ? "hint-\(name)" : "hint-\(name) feil-\(name)"),
                    ("aria-invalid", error == nil ? nil : "true"),
                ].filter { $0.1 != nil }))
    }
}
