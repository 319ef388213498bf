@preconcurrency import Plot
import Domain

public struct ActivityEditModel: Sendable {
    public let activity: Activity
    public let initiative: Initiative
    public let actor: Actor
    public let input: ActivityInput
    public let version: Int64
    public let errors: FieldErrors
    /// Set when a colleague saved first: what is stored now, shown beside what this user typed.
    public let conflict: Activity?
    public let saved: Bool

    public init(activity: Activity, initiative: Initiative, actor: Actor, input: ActivityInput, version: Int64,
                errors: FieldErrors = FieldErrors(), conflict: Activity? = nil, saved: Bool = false) {
        self.activity = activity; self.initiative = initiative; self.actor = actor; self.input = input; self.version = version
        self.errors = errors; self.conflict = conflict; self.saved = saved
    }
}

public enum ActivityEditView {
    public static func render(_ m: ActivityEditModel) -> String {
        let F = Fragments.self
        let title = "Endre aktivitet"
        return PageFrame(title: title, description: "\(m.initiative.title): \(m.actor.name)", path: "/aktivitet/\(m.activity.id)/rediger",
                         breadcrumbs: [("Tiltak", "/tiltak/\(m.initiative.slug)")]).render(
            .h1(.text(title)),
            .p(.class("lead"), .a(.href("/tiltak/\(m.initiative.slug)"), .text(m.initiative.title)), .text(" – \(m.actor.name)")),
            m.saved ? F.el("div", .class("success"), F.attr("role", "status"), .p(.text("Endringen er lagret."))) : .empty,
            conflictPanel(m),
            m.errors.isEmpty ? .empty : F.el("div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"),
                .h2(.text("Endringen ble ikke lagret")),
                .ul(.forEach(m.errors.messages.sorted { $0.key < $1.key }) { e in .li(.a(.href("#felt-\(e.key)"), .text(e.value))) })),
            F.el("form", .class("form"), F.attr("method", "post"), F.attr("action", "/aktivitet/\(m.activity.id)/rediger"), F.attr("novalidate", ""),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]),
                F.input([("type", "hidden"), ("name", "versjon"), ("value", String(m.version))]),
                field("phase", label: "Fase", hint: nil, m, control:
                    F.el("select", F.attr("name", "phase"), F.attr("id", "felt-phase"),
                         .group(Phase.allCases.map { p in F.el("option", F.attr("value", p.rawValue), p.rawValue == m.input.phase ? .attribute(named: "selected") : .empty, .text(p.name)) }))),
                field("start", label: "Start", hint: "År (2025), kvartal (2025-Q1), måned (2025-06) eller dato (2025-06-30). Tom hvis kilden ikke oppgir start.", m,
                      control: F.input([("type", "text"), ("name", "start"), ("id", "felt-start"), ("value", m.input.start), ("aria-describedby", "hint-start")])),
                field("end", label: "Slutt", hint: "Samme format. Tom hvis aktiviteten pågår uten sluttdato.", m,
                      control: F.input([("type", "text"), ("name", "end"), ("id", "felt-end"), ("value", m.input.end), ("aria-describedby", "hint-end")])),
                F.el("fieldset", .class(m.errors["planning"] == nil ? "field" : "field has-error"), F.attr("id", "felt-planning"),
                    F.el("legend", .text("Status")),
                    m.errors["planning"].map { F.el("p", .class("error-message"), .text($0)) } ?? .empty,
                    F.el("div", .class("radio"),
                        radio("planlagt", label: "Planlagt (heltrukken)", m), radio("tentativ", label: "Tentativ (stiplet)", m))),
                field("description", label: "Beskrivelse", hint: nil, m,
                      control: F.el("textarea", F.attr("name", "description"), F.attr("id", "felt-description"), F.attr("rows", "4"), .text(m.input.description))),
                field("reason", label: "Begrunnelse for endringen (valgfri)", hint: "Vises i historikken.", m,
                      control: F.input([("type", "text"), ("name", "reason"), ("id", "felt-reason"), ("value", m.input.reason), ("aria-describedby", "hint-reason")])),
                F.el("div", .class("actions"),
                    F.el("button", F.attr("type", "submit"), .text(m.conflict == nil ? "Lagre" : "Lagre min versjon likevel")),
                    .a(.class("button secondary"), .href("/tiltak/\(m.initiative.slug)#aktivitet-\(m.activity.id)"), .text("Avbryt")),
                    .a(.href("/aktivitet/\(m.activity.id)/historikk"), .text("Historikk")))
            )
        )
    }

    static func field(_ name: String, label: String, hint: String?, _ m: ActivityEditModel, control: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        return F.el("div", .class(m.errors[name] == nil ? "field" : "field has-error"),
            F.el("label", F.attr("for", "felt-\(name)"), .text(label)),
            hint.map { F.el("p", .class("hint"), F.attr("id", "hint-\(name)"), .text($0)) } ?? .empty,
            m.errors[name].map { F.el("p", .class("error-message"), F.attr("id", "feil-\(name)"), .text($0)) } ?? .empty,
            control)
    }

    static func radio(_ value: String, label: String, _ m: ActivityEditModel) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        return .span(F.input([("type", "radio"), ("name", "planning"), ("id", "planning-\(value)"), ("value", value)] + (m.input.planning == value ? [("checked", nil)] : [])),
                     F.el("label", F.attr("for", "planning-\(value)"), .text(label)))
    }

    static func conflictPanel(_ m: ActivityEditModel) -> Node<HTML.BodyContext> {
        guard let current = m.conflict else { return .empty }
        let F = Fragments.self
        let mine = m.input
        return F.el("div", .class("conflict"), F.attr("role", "alert"),
            .h2(.text("Noen andre har lagret en nyere versjon")),
            .p(.text("Endringen din er ikke lagret, og ingenting er overskrevet. Sammenlign versjonene under. Skjemaet inneholder fortsatt det du skrev; lagrer du igjen, erstatter du den nyeste versjonen med din.")),
            .table(.class("data"),
                .caption(.text("Lagret versjon og din versjon")),
                .thead(.tr(.th(.attribute(named: "scope", value: "col"), .text("Felt")),
                           .th(.attribute(named: "scope", value: "col"), .text("Lagret nå")),
                           .th(.attribute(named: "scope", value: "col"), .text("Din versjon")))),
                .tbody(
                    .tr(.th(.attribute(named: "scope", value: "row"), .text("Fase")), .td(.text(current.phase.name)), .td(.text(Phase(rawValue: mine.phase)?.name ?? mine.phase))),
                    .tr(.th(.attribute(named: "scope", value: "row"), .text("Start")), .td(.text(current.span.start?.description ?? "")), .td(.text(mine.start))),
                    .tr(.th(.attribute(named: "scope", value: "row"), .text("Slutt")), .td(.text(current.span.end?.description ?? "")), .td(.text(mine.end))),
                    .tr(.th(.attribute(named: "scope", value: "row"), .text("Status")), .td(.text(current.tentative ? "Tentativ" : "Planlagt")), .td(.text(mine.planning == "tentativ" ? "Tentativ" : "Planlagt"))),
                    .tr(.th(.attribute(named: "scope", value: "row"), .text("Beskrivelse")), .td(.text(current.description)), .td(.text(mine.description)))
                )
            )
        )
    }
}

public struct HistoryPageModel: Sendable {
    public let title: String
    public let backURL: String
    public let entries: [(when: String, who: String, source: String, action: String, reason: String, changes: [(field: String, before: String, after: String)])]
    public init(title: String, backURL: String, entries: [(when: String, who: String, source: String, action: String, reason: String, changes: [(field: String, before: String, after: String)])]) {
        self.title = title; self.backURL = backURL; self.entries = entries
    }
}

public enum HistoryPageView {
    public static func render(_ m: HistoryPageModel, path: String) -> String {
        PageFrame(title: "Historikk", description: m.title, path: path, breadcrumbs: [("Tilbake", m.backURL)]).render(
            .h1(.text("Historikk: \(m.title)")),
            m.entries.isEmpty ? .p(.text("Ingen endringer er registrert etter at dataene ble importert.")) :
            .ol(.class("history"), .forEach(m.entries) { e in
                .li(.p(.strong(.text(e.when)), .text(" – \(e.who) (\(e.source), \(e.action))")),
                    e.reason.isEmpty ? .empty : .p(.text("Begrunnelse: \(e.reason)")),
                    e.changes.isEmpty ? .empty : .table(.class("data"),
                        .thead(.tr(.th(.attribute(named: "scope", value: "col"), .text("Felt")), .th(.attribute(named: "scope", value: "col"), .text("Før")),
                                   .th(.attribute(named: "scope", value: "col"), .text("Etter")))),
                        .tbody(.forEach(e.changes) { c in .tr(.th(.attribute(named: "scope", value: "row"), .text(c.field)), .td(.text(c.before)), .td(.text(c.after))) })))
            })
        )
    }
}
