import Domain
@preconcurrency import Plot
import Routes

/// "Mitt arbeid": the viewer's activities and milestones per actor, flagged where they need attention, with one-step
/// actions (confirm unchanged, mark done) and links to move or edit.
public struct MyWorkPageModel: Sendable {
    public struct Row: Sendable {
        public let kindName: String
        public let kindCode: String
        public let id: String
        public let version: Int64
        public let title: String
        public let initiativeTitle: String
        public let initiativeURL: String
        public let due: String
        public let baseline: String?
        public let planning: String
        public let delay: String?
        public let lastConfirmed: String
        public let flags: [String]
        public let done: Bool
        public init(
            kindName: String, kindCode: String, id: String, version: Int64, title: String, initiativeTitle: String,
            initiativeURL: String,
            due: String, baseline: String?, planning: String, delay: String?, lastConfirmed: String, flags: [String],
            done: Bool
        ) {
            self.kindName = kindName
            self.kindCode = kindCode
            self.id = id
            self.version = version
            self.title = title
            self.initiativeTitle = initiativeTitle
            self.initiativeURL = initiativeURL
            self.due = due
            self.baseline = baseline
            self.planning = planning
            self.delay = delay
            self.lastConfirmed = lastConfirmed
            self.flags = flags
            self.done = done
        }
    }
    public struct Group: Sendable {
        public let actorName: String
        /// nil: milestones of whole initiatives.
        public let actorSlug: String?
        public let rows: [Row]
        public init(actorName: String, actorSlug: String?, rows: [Row]) {
            self.actorName = actorName
            self.actorSlug = actorSlug
            self.rows = rows
        }
    }
    /// A part of an open reporting round the viewer reports.
    public struct RoundLink: Sendable {
        public let text: String
        public let state: String
        public let url: String
        public let done: Bool
        public init(text: String, state: String, url: String, done: Bool) {
            self.text = text
            self.state = state
            self.url = url
            self.done = done
        }
    }
    public let rounds: [RoundLink]
    public let groups: [Group]
    public let months: Int
    public let onlyFlagged: Bool
    /// Actors to narrow to (more than one to choose from), with the chosen one.
    public let actorChoices: [(slug: String, name: String)]
    public let chosenActor: String
    public let notice: String?
    public let error: String?
    /// The query string of the current view, kept through the one-step actions.
    public let returnQuery: String

    public init(
        rounds: [RoundLink] = [], groups: [Group], months: Int, onlyFlagged: Bool,
        actorChoices: [(slug: String, name: String)],
        chosenActor: String, notice: String?, error: String? = nil, returnQuery: String
    ) {
        self.rounds = rounds
        self.groups = groups
        self.months = months
        self.onlyFlagged = onlyFlagged
        self.actorChoices = actorChoices
        self.chosenActor = chosenActor
        self.notice = notice
        self.error = error
        self.returnQuery = returnQuery
    }
}

public enum MyWorkPageView {
    public static func render(_ m: MyWorkPageModel) -> String {
        let F = Fragments.self
        let all = m.groups.flatMap(\.rows)
        let flagged = all.filter { !$0.flags.isEmpty }.count
        let summary =
            all.isEmpty
            ? "Ingen aktiviteter eller milepæler å vise."
            : """
            \(count(all.count, "post", "poster")), \(flagged == 0 ? "ingen" : String(flagged)) trenger \
            oppmerksomhet.
            """
        return PageFrame(
            title: "Mitt arbeid", description: "Aktivitetene og milepælene du rapporterer for.",
            path: SiteURL.myWork.path
        ).render(
            .h1(.text("Mitt arbeid")),
            m.notice.map { F.el("div", .class("success"), F.attr("role", "status"), .p(.text($0))) } ?? .empty,
            m.error.map {
                F.el("div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"), .p(.text($0)))
            } ?? .empty,
            .p(
                .class("lead"),
                .text("Bekreft det som står, marker det som er ferdig, og flytt det som har endret seg. " + summary)),
            m.rounds.isEmpty
                ? .empty
                : F.el(
                    "div", .class(m.rounds.allSatisfy(\.done) ? "notice" : "notice attention"),
                    .h2(.text("Rapporteringsrunder")),
                    .ul(.forEach(m.rounds) { r in .li(.a(.href(r.url), .text(r.text)), .text(" – " + r.state)) })),
            F.el(
                "form", .class("inline-form"), F.attr("method", "get"), F.attr("action", SiteURL.myWork.path),
                F.el("label", F.attr("for", "felt-maneder"), .text("Flagg det som ikke er bekreftet på")),
                .element(
                    named: "select",
                    nodes: [F.attr("id", "felt-maneder"), F.attr("name", "maneder")]
                        + MyWork.monthChoices.map { n in
                            F.el(
                                "option", F.attr("value", String(n)),
                                n == m.months ? .attribute(named: "selected") : .empty,
                                .text(count(n, "måned", "måneder")))
                        }),
                m.actorChoices.count > 1
                    ? .group(
                        F.el("label", F.attr("for", "felt-aktor"), .text("Aktør")),
                        .element(
                            named: "select",
                            nodes: [
                                F.attr("id", "felt-aktor"), F.attr("name", "aktor"),
                                F.el("option", F.attr("value", ""), .text("Alle")),
                            ]
                                + m.actorChoices.map { a in
                                    F.el(
                                        "option", F.attr("value", a.slug),
                                        a.slug == m.chosenActor ? .attribute(named: "selected") : .empty,
                                        .text(a.name))
                                })) : .empty,
                .span(
                    F.input(
                        [("type", "checkbox"), ("id", "felt-vis"), ("name", "vis"), ("value", "flagget")]
                            + (m.onlyFlagged ? [("checked", nil)] : [])),
                    F.el("label", F.attr("for", "felt-vis"), .text("Bare det som trenger oppmerksomhet"))),
                F.el("button", .class("secondary"), F.attr("type", "submit"), .text("Vis"))),
            .p(
                .a(.href(SiteURL.newRecordMenu.path), .text("Legg til en aktivitet eller milepæl")), .text(" · "),
                .a(.href(SiteURL.retiredRecords.path), .text("Avviklede poster"))),
            .group(m.groups.map { group(m, $0) })
        )
    }

    static func group(_ m: MyWorkPageModel, _ g: MyWorkPageModel.Group) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        let headingId = "aktor-" + (g.actorSlug ?? "hele-tiltak")
        return .section(
            .attribute(named: "aria-labelledby", value: headingId),
            .h2(.id(headingId), .text(g.actorName)),
            g.actorSlug.map { slug in
                .p(
                    .a(.href(SiteURL.newRecord(.activity).path + "?aktor=\(slug)"), .text("Ny aktivitet")),
                    .text(" · "),
                    .a(.href(SiteURL.newRecord(.milestone).path + "?aktor=\(slug)"), .text("Ny milepæl")))
            } ?? .empty,
            .div(
                .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
                .attribute(named: "role", value: "region"),
                .attribute(named: "aria-label", value: "Poster for \(g.actorName)"),
                .table(
                    .class("data"),
                    .caption(.text("\(g.actorName): \(count(g.rows.count, "post", "poster"))")),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Tiltak")),
                            .th(.attribute(named: "scope", value: "col"), .text("Hva")),
                            .th(.attribute(named: "scope", value: "col"), .text("Slutt / dato")),
                            .th(.attribute(named: "scope", value: "col"), .text("Status")),
                            .th(.attribute(named: "scope", value: "col"), .text("Sist bekreftet")),
                            .th(.attribute(named: "scope", value: "col"), .text("Trenger oppmerksomhet")),
                            .th(.attribute(named: "scope", value: "col"), .text("Handlinger")))),
                    .tbody(
                        .forEach(g.rows) { r in
                            .tr(
                                r.flags.isEmpty ? .empty : .class("flagged"),
                                .td(.a(.href(r.initiativeURL), .text(r.initiativeTitle))),
                                .th(
                                    .attribute(named: "scope", value: "row"),
                                    .span(.class("muted"), .text(r.kindName + ": ")), .text(r.title)),
                                .td(
                                    .text(r.due),
                                    r.baseline.map { .span(.class("muted"), .text(" (opprinnelig \($0))")) } ?? .empty),
                                .td(.text(r.planning), r.delay.map { .p(.class("muted"), .text($0)) } ?? .empty),
                                .td(.text(r.lastConfirmed)),
                                .td(
                                    r.flags.isEmpty
                                        ? .text("–") : .ul(.class("flags"), .forEach(r.flags) { .li(.text($0)) })),
                                .td(
                                    F.el(
                                        "div", .class("row-actions"),
                                        action(m, r, "bekreft", "Bekreft uendret"),
                                        r.done ? .empty : action(m, r, "ferdig", "Marker ferdig"),
                                        .a(
                                            .href("/\(r.kindCode)/\(r.id)/flytt"), .text("Flytt"),
                                            .span(.class("visually-hidden"), .text(" «\(r.title)»"))),
                                        .a(
                                            .href("/\(r.kindCode)/\(r.id)/rediger"), .text("Endre"),
                                            .span(.class("visually-hidden"), .text(" «\(r.title)»"))))))
                        })))
        )
    }

    static func action(_ m: MyWorkPageModel, _ r: MyWorkPageModel.Row, _ handling: String, _ label: String) -> Node<
        HTML.BodyContext
    > {
        let F = Fragments.self
        return F.el(
            "form", .class("inline"), F.attr("method", "post"),
            F.attr("action", SiteURL.myWork.path + m.returnQuery),
            F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]),
            F.input([("type", "hidden"), ("name", "type"), ("value", r.kindCode)]),
            F.input([("type", "hidden"), ("name", "id"), ("value", r.id)]),
            F.input([("type", "hidden"), ("name", "versjon"), ("value", String(r.version))]),
            F.el(
                "button", .class("secondary"), F.attr("type", "submit"), F.attr("name", "handling"),
                F.attr("value", handling),
                .text(label), .span(.class("visually-hidden"), .text(" «\(r.title)»"))))
    }

    static func count(_ n: Int, _ one: String, _ many: String) -> String { n == 1 ? "1 \(one)" : "\(n) \(many)" }
}

/// Moving an activity's end or a milestone's date, with the delay question.
public enum MoveRecordView {
    public static func render(
        kind: RecordKind, context: String, backURL: String, formURL: String, current: String, baseline: String,
        fields: [FormField], values: [String: String], reason: String, version: Int64, errors: FieldErrors
    ) -> String {
        let F = Fragments.self
        var model = RecordEditModel(
            kindName: kind.name, context: context, backURL: backURL, formURL: formURL, historyURL: "",
            fields: fields, values: values, reason: reason, version: version, errors: errors)
        model.definiteName = kind.definiteName
        let fieldOrder = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1.name, $0) })
        let heading = "Flytt \(kind.definiteName)"
        return PageFrame(
            title: heading, description: context, path: formURL,
            breadcrumbs: [("Mitt arbeid", SiteURL.myWork.path)]
        ).render(
            .h1(.text(heading)),
            .p(.class("lead"), .a(.href(backURL), .text(context))),
            errors.isEmpty
                ? .empty
                : F.el(
                    "div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"),
                    .h2(.text("Flyttingen ble ikke lagret")),
                    .ul(
                        .forEach(errors.messages.sorted { (fieldOrder[$0.key] ?? 99) < (fieldOrder[$1.key] ?? 99) }) {
                            e in
                            .li(.a(.href("#felt-\(e.key)"), .text(e.value)))
                        })),
            F.facts([
                ("Nå", .text(current.isEmpty ? "Ingen dato" : current)),
                ("Opprinnelig plan", .text(baseline.isEmpty ? "Blir «\(current)» når du flytter" : baseline)),
            ]),
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", formURL), F.attr("novalidate", ""),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", Viewer.current?.csrfToken ?? "")]),
                F.input([("type", "hidden"), ("name", "versjon"), ("value", String(version))]),
                .group(fields.map { RecordEditView.field($0, model) }),
                RecordEditView.field(
                    FormField("reason", "Begrunnelse (valgfri)", .text(hint: "Vises i historikken.")), model,
                    value: reason),
                F.el(
                    "div", .class("actions"),
                    F.el("button", F.attr("type", "submit"), .text("Lagre ny dato")),
                    .a(.class("button secondary"), .href(SiteURL.myWork.path), .text("Avbryt"))))
        )
    }
}
