import Domain
import Foundation
@preconcurrency import Plot
import Routes

private typealias F = Fragments

/// The state as a reader should read it: a past meeting without a published agenda is not "planned".
func meetingStateText(_ m: Meeting, today: Day) -> String {
    m.state == .planlagt && m.endsOn < today ? "Sakslisten er ikke publisert i Veikart" : m.state.name
}

// MARK: - /rad

public struct CouncilListModel: Sendable {
    public struct Entry: Sendable {
        public let council: Council
        public let members: Int
        public let next: Meeting?
        public let last: Meeting?
        public init(council: Council, members: Int, next: Meeting?, last: Meeting?) {
            self.council = council
            self.members = members
            self.next = next
            self.last = last
        }
    }
    public let entries: [Entry]
    public let today: Day
    public init(entries: [Entry], today: Day) {
        self.entries = entries
        self.today = today
    }
}

/// `/rad`: the councils that steer the strategy.
public enum CouncilListView {
    /// A calendar feed to subscribe to: a `webcal://` link that opens the calendar app, the address to copy for
    /// calendars that add subscriptions by address, one line of help, and the plain download.
    static func subscribe(_ path: String, label: String, id: String) -> Node<HTML.BodyContext> {
        let site = Site.current
        let address = (site.publicURL ?? "") + path
        return .div(
            .class("calendar-subscribe"),
            .p(
                .a(.href(site.webcalURL(path) ?? path), .text(label)), .text(" · "),
                .a(.href(path), .text("Last ned (iCalendar)"))),
            site.publicURL == nil
                ? .empty
                : .group(
                    F.el("label", F.attr("for", id), .text("Adresse til kalenderen")),
                    F.input([
                        ("type", "text"), ("id", id), ("readonly", ""), ("value", address), ("class", "copy-address"),
                        ("aria-describedby", id + "-hjelp"),
                    ]),
                    F.el(
                        "p", .class("hint"), F.attr("id", id + "-hjelp"),
                        .text(
                            """
                            Kopier adressen og legg den til som abonnement i kalenderen din (i Outlook: «Legg til \
                            kalender» →\u{20}
                            """
                                + "«Fra Internett»), så kommer nye og endrede møter av seg selv."))))
    }

    public static func render(_ m: CouncilListModel) -> String {
        PageFrame(
            title: "Rådsmodellen", description: "Rådene som styrer strategien: mandat, medlemmer, møter og saker.",
            path: SiteURL.councils.path
        ).render(
            .h1(.text("Rådsmodellen")),
            .p(
                .class("lead"),
                .text(
                    m.entries.isEmpty
                        ? "Ingen råd er registrert ennå."
                        : """
                        Strategien styres i \(m.entries.count == 1 ? "ett" : NumberText.words(m.entries.count)) \
                        råd.\u{20}
                        """
                            + """
                            Statusrapportene, dashbordet og prioriteringene behandles i møtene, og vedtakene \
                            følges opp i strategien.
                            """
                )),
            CouncilListView.subscribe(SiteURL.calendar.path, label: "Abonner på alle møter", id: "kalender-alle"),
            .ul(
                .class("cards"),
                .forEach(m.entries) { e in
                    .li(
                        .class("card"),
                        .h2(.a(.href(SiteURL.council(e.council.slug).path), .text(e.council.name))),
                        e.council.formerNames.isEmpty
                            ? .empty
                            : .p(
                                .class("meta"),
                                .text("Tidligere: " + e.council.formerNames.map(\.name).joined(separator: ", "))),
                        .p(.text(e.council.mandate)),
                        .p(
                            .text("\(e.members) medlemmer. "),
                            .text(
                                e.next.map { "Neste møte: \($0.datesText)\($0.place.isEmpty ? "" : ", \($0.place)")." }
                                    ?? e.last.map { "Siste møte: \($0.datesText)." } ?? "Ingen møter registrert.")))
                })
        )
    }
}

// MARK: - /rad/<slug>

public struct CouncilPageModel: Sendable {
    public let council: Council
    public let date: Day
    public let isToday: Bool
    public let members: [Membership]
    public let history: [Memberships.Change]
    public let upcoming: [Meeting]
    public let past: [Meeting]
    public let today: Day
    /// For the secretariat: forms to add a meeting, add or replace a member, end a membership and edit the council.
    public var edit: Edit?

    public struct Edit: Sendable {
        public let csrf: String
        public let version: Int64
        public let active: [Membership]
        public let values: [String: String]
        public let problems: [String]
        public let errors: FieldErrors
        public let form: String?
        public init(
            csrf: String, version: Int64, active: [Membership], values: [String: String], problems: [String],
            form: String?,
            errors: FieldErrors = FieldErrors()
        ) {
            self.csrf = csrf
            self.version = version
            self.active = active
            self.values = values
            self.problems = problems
            self.form = form
            self.errors = errors
        }
    }

    public init(council: Council, members all: [Membership], meetings: [Meeting], date: Day, today: Day) {
        self.council = council
        self.date = date
        self.isToday = date == today
        self.members = Memberships.at(date, all)
        self.history = Memberships.history(all)
        self.upcoming = meetings.filter { $0.endsOn >= today }
        self.past = meetings.filter { $0.endsOn < today }.reversed()
        self.today = today
    }
}

public enum CouncilPageView {
    /// The fields of the page's forms in the order they appear, for the error summary.
    static let fieldOrder = [
        "startdato", "sluttdato", "starttid", "sluttid", "sted", "nummer", "merknad", "samme-dag", "navn", "tittel",
        "organisasjon", "rolle", "fra", "erstatter", "medlem", "til", "mandattekst", "ansvar",
    ]

    public static func render(_ m: CouncilPageModel) -> String {
        let c = m.council
        return PageFrame(
            title: c.name, description: c.mandate, path: SiteURL.council(c.slug).path,
            breadcrumbs: [("Rådsmodellen", SiteURL.councils.path)]
        ).render(
            .h1(.text(c.name)),
            // A refused form's summary comes first, where the reader lands, and links to the fields further down.
            m.edit.map { CouncilForm.errorSummary($0.problems, errors: $0.errors, order: CouncilPageView.fieldOrder) }
                ?? .empty,
            c.formerNames.isEmpty
                ? .empty
                : .p(
                    .class("meta"),
                    .text(
                        "Navnehistorikk: "
                            + c.names.map { n in
                                n.name + (n.from.map { " (fra \($0.norwegian))" } ?? "")
                            }.joined(separator: " → "))),
            .section(
                .attribute(named: "aria-labelledby", value: "mandat"),
                .h2(.id("mandat"), .text("Mandat")),
                .p(.text(c.mandate)),
                c.responsibilities.isEmpty
                    ? .empty
                    : .group(.h3(.text("Oppgaver og ansvar")), .ul(.forEach(c.responsibilities) { .li(.text($0)) }))),
            .section(
                .attribute(named: "aria-labelledby", value: "medlemmer"),
                .h2(.id("medlemmer"), .text(m.isToday ? "Medlemmer" : "Medlemmer per \(m.date.norwegian)")),
                F.el(
                    "form", .class("inline-form no-print"), F.attr("method", "get"),
                    F.attr("action", SiteURL.council(c.slug).path(fragment: "medlemmer")),
                    F.el("label", F.attr("for", "dato"), .text("Vis medlemmer på dato")),
                    F.input([("type", "date"), ("name", "dato"), ("id", "dato"), ("value", m.date.description)]),
                    F.el("button", F.attr("type", "submit"), .text("Vis"))),
                m.members.isEmpty
                    ? .p(.text("Veikart kjenner ingen medlemmer på denne datoen."))
                    : .div(
                        .class("table-scroll"),
                        .table(
                            .class("data"),
                            .caption(.text("Medlemmer av \(c.name(on: m.date).name) per \(m.date.norwegian)")),
                            .thead(
                                .tr(
                                    .th(.text("Navn")), .th(.text("Tittel")), .th(.text("Organisasjon")),
                                    .th(.text("Rolle")), .th(.text("Medlem fra")))),
                            .tbody(
                                .forEach(m.members) { p in
                                    .tr(
                                        .td(.text(p.name)), .td(.text(p.title)), .td(.text(p.organisation)),
                                        .td(.text(p.role.name)), .td(.text(p.from.map(\.norwegian) ?? "–")))
                                })))),
            .section(
                .attribute(named: "aria-labelledby", value: "endringer"),
                .h2(.id("endringer"), .text("Endringer i medlemskap")),
                m.history.isEmpty
                    ? .p(.text("Ingen registrerte endringer."))
                    : .ul(.forEach(m.history) { change in .li(.text(describe(change))) })),
            .section(
                .attribute(named: "aria-labelledby", value: "moter"),
                .h2(.id("moter"), .text("Møter")),
                CouncilListView.subscribe(
                    SiteURL.councilCalendar(c.slug).path,
                    label: "Abonner på møtene i \(c.shortName)", id: "kalender-rad"),
                .h3(.text("Kommende")),
                meetingList(m.upcoming, council: c, today: m.today, empty: "Ingen kommende møter er registrert."),
                .h3(.text("Tidligere")),
                meetingList(m.past, council: c, today: m.today, empty: "Ingen tidligere møter er registrert.")),
            m.edit.map { editForms(c, $0) } ?? .empty
        )
    }

    static func describe(_ change: Memberships.Change) -> String {
        let when = change.day.map { "Fra \($0.norwegian): " } ?? ""
        let who = "\(change.membership.name) (\(change.membership.organisation))"
        switch change.kind {
        case .joined:
            return when + "\(who) ble medlem"
                + (change.membership.role == .medlem ? "." : " som \(change.membership.role.name.lowercased()).")
        case .replaced(let previous):
            return when + "\(who) erstatter \(previous.name)"
                + (change.membership.role == .medlem ? "." : " som \(change.membership.role.name.lowercased()).")
        case .left: return when + "\(who) gikk ut av rådet."
        case .roleChanged(let from):
            return when + "\(who) går fra \(from.name.lowercased()) til \(change.membership.role.name.lowercased())."
        }
    }

    static func meetingList(_ meetings: [Meeting], council: Council, today: Day, empty: String) -> Node<
        HTML.BodyContext
    > {
        meetings.isEmpty
            ? .p(.text(empty))
            : .ul(
                .forEach(meetings) { mt in
                    .li(
                        .a(.href(SiteURL.meeting(mt).path), .text(mt.datesText)),
                        .text(mt.place.isEmpty ? "" : ", \(mt.place)"),
                        .text(mt.number.isEmpty ? "" : " – møte \(mt.number)"),
                        .text(
                            council.name(on: mt.startsOn).name == council.name
                                ? "" : " (\(council.name(on: mt.startsOn).name))"),
                        .span(.class("meta"), .text(" · " + meetingStateText(mt, today: today))))
                })
    }

    static func editForms(_ c: Council, _ e: CouncilPageModel.Edit) -> Node<HTML.BodyContext> {
        func v(_ form: String, _ key: String, _ fallback: String = "") -> String {
            e.form == form ? (e.values[key] ?? fallback) : fallback
        }
        let meetingErrors = e.form == "mote" ? e.errors : FieldErrors()
        let memberErrors = e.form == "medlem" ? e.errors : FieldErrors()
        let endErrors = e.form == "avslutt" ? e.errors : FieldErrors()
        let memberOptions = e.active.map { (value: $0.id, text: "\($0.name) (\($0.organisation))") }
        return .section(
            .class("no-print edit-panel"), .attribute(named: "aria-labelledby", value: "sekretariat"),
            .h2(.id("sekretariat"), .text("For sekretariatet")),
            .h3(.id("nytt-mote"), .text("Nytt møte")),
            CouncilForm.form(
                action: SiteURL.councilMeetings(c.slug).path, csrf: e.csrf, version: nil,
                submit: "Opprett møtet",
                CouncilForm.text("startdato", "Startdato", v("mote", "startdato"), type: "date", errors: meetingErrors),
                CouncilForm.text(
                    "sluttdato", "Sluttdato, hvis møtet går over flere dager", v("mote", "sluttdato"), type: "date",
                    errors: meetingErrors),
                CouncilForm.text("starttid", "Starttid", v("mote", "starttid"), type: "time", errors: meetingErrors),
                CouncilForm.text("sluttid", "Sluttid", v("mote", "sluttid"), type: "time", errors: meetingErrors),
                CouncilForm.text("sted", "Sted", v("mote", "sted"), errors: meetingErrors),
                CouncilForm.text(
                    "nummer", "Møtenummer (valgfritt, f.eks. 5/22)", v("mote", "nummer"), errors: meetingErrors),
                F.el(
                    "div", .class(meetingErrors["samme-dag"] == nil ? "field checkbox" : "field checkbox has-error"),
                    RoundUI.fieldError(meetingErrors, "samme-dag"),
                    F.el(
                        "label",
                        F.input(
                            [("type", "checkbox"), ("name", "samme-dag"), ("value", "ja"), ("id", "felt-samme-dag")]
                                + (v("mote", "samme-dag") == "ja" ? [("checked", nil)] : [])),
                        .text(" Opprett møtet selv om rådet har et møte samme dag")))),
            .h3(.id("nytt-medlem"), .text("Nytt medlem eller erstatning")),
            CouncilForm.form(
                action: SiteURL.councilMembers(c.slug).path, csrf: e.csrf, version: nil,
                submit: "Legg til medlemmet",
                CouncilForm.text("navn", "Navn", v("medlem", "navn"), errors: memberErrors),
                CouncilForm.text("tittel", "Tittel", v("medlem", "tittel"), errors: memberErrors),
                CouncilForm.text("organisasjon", "Organisasjon", v("medlem", "organisasjon"), errors: memberErrors),
                CouncilForm.select(
                    "rolle", "Rolle", options: CouncilRole.allCases.map { ($0.rawValue, $0.name) },
                    selected: v("medlem", "rolle", CouncilRole.medlem.rawValue), empty: nil, errors: memberErrors),
                CouncilForm.text(
                    "fra", "Medlem fra (ÅÅÅÅ-MM-DD)", v("medlem", "fra"), type: "date", errors: memberErrors),
                CouncilForm.select(
                    "erstatter", "Erstatter", options: memberOptions, selected: v("medlem", "erstatter"),
                    empty: "Ingen (nytt sete)", errors: memberErrors)),
            .h3(.id("avslutt-medlem"), .text("Avslutt et medlemskap")),
            CouncilForm.form(
                action: SiteURL.councilMemberEnd(c.slug).path, csrf: e.csrf, version: nil,
                submit: "Avslutt medlemskapet",
                CouncilForm.select(
                    "medlem", "Medlem", options: memberOptions, selected: v("avslutt", "medlem"), empty: nil,
                    errors: endErrors),
                CouncilForm.text(
                    "til",
                    """
                    Siste dag er dagen før (ÅÅÅÅ-MM-DD)
                    """, v("avslutt", "til"), type: "date", errors: endErrors)),
            .h3(.id("rediger-rad"), .text("Navn og mandat")),
            CouncilForm.form(
                action: SiteURL.councilEdit(c.slug).path, csrf: e.csrf, version: e.version,
                submit: "Lagre rådet",
                CouncilForm.rows(
                    "navn", legend: "Navn",
                    hint: "Eldst først. Et nytt navn legges til i en tom rad nederst, med datoen det gjelder fra.",
                    rowName: "Navn",
                    fields: [
                        RowField("navn", "Navn"), RowField("kortnavn", "Kortnavn"),
                        RowField("fra", "Gjelder fra", type: "date"),
                    ],
                    values: e.form == "rad" ? e.values : CouncilForms.nameValues(c.names), errors: e.errors, spare: 1),
                CouncilForm.area("mandattekst", "Mandat", v("rad", "mandattekst", c.mandate), rows: 4),
                CouncilForm.area(
                    "ansvar", "Oppgaver og ansvar, ett per linje",
                    v("rad", "ansvar", c.responsibilities.joined(separator: "\n")), rows: 5))
        )
    }
}

// MARK: - shared form pieces

/// One field of a repeated row: its name within the row, its label, and the input's type (`checkbox` for a yes/no).
public struct RowField: Sendable {
    public let name: String
    public let label: String
    public let type: String
    /// A `datalist` id to suggest values from (members' names), with `fill` enhancement when set.
    public let list: String?
    public init(_ name: String, _ label: String, type: String = "text", list: String? = nil) {
        self.name = name
        self.label = label
        self.type = type
        self.list = list
    }
}

public enum CouncilForm {
    /// The one error summary: field errors (linked to `#felt-<name>`, in `order`, rows by number) and other problems.
    public static func errorSummary(
        _ problems: [String], errors: FieldErrors = FieldErrors(), order: [String] = [],
        heading: String = "Ikke lagret – rett opp dette"
    ) -> Node<HTML.BodyContext> {
        guard !problems.isEmpty || !errors.isEmpty else { return .empty }
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Fields in form order; rows by number (`innleder.10` after `innleder.9`).
        let sorted = errors.messages.sorted { a, b in
            let ra = rank[a.key] ?? 999
            let rb = rank[b.key] ?? 999
            return ra != rb ? ra < rb : a.key.localizedStandardCompare(b.key) == .orderedAscending
        }
        return F.el(
            "div", .class("error-summary"), F.attr("role", "alert"), F.attr("tabindex", "-1"),
            .h2(.text(heading)),
            .ul(
                .forEach(sorted) { e in .li(.a(.href("#felt-\(e.key)"), .text(e.value))) },
                .forEach(problems) { .li(.text($0)) }))
    }

    public static func form(
        action: String, csrf: String, version: Int64?, submit: String, _ fields: Node<HTML.BodyContext>...
    ) -> Node<HTML.BodyContext> {
        F.el(
            "form", .class("form"), F.attr("method", "post"), F.attr("action", action), F.attr("novalidate", ""),
            F.input([("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
            version.map { F.input([("type", "hidden"), ("name", "versjon"), ("value", String($0))]) } ?? .empty,
            .group(fields),
            F.el("button", F.attr("type", "submit"), .text(submit)))
    }

    static func invalid(_ errors: FieldErrors, _ name: String) -> Node<HTML.BodyContext> {
        errors[name] == nil
            ? .empty : .group(F.attr("aria-invalid", "true"), F.attr("aria-describedby", "feil-\(name)"))
    }

    public static func text(
        _ name: String, _ label: String, _ typed: String, type wanted: String = "text", hint: String? = nil,
        errors: FieldErrors = FieldErrors(), list: String? = nil, fill: String? = nil
    ) -> Node<HTML.BodyContext> {
        // A date or time input shows only a valid value; "15.12.2026" is shown as the date it is, and text that is no
        // date at all (sent back with an error) in a plain field, so the user sees what they wrote.
        var value = typed
        var type = wanted
        if wanted == "date", !typed.isEmpty {
            if let d = ReportingRound.day(typed.trimmingCharacters(in: .whitespaces)) {
                value = d.description
            } else {
                type = "text"
            }
        } else if wanted == "time", !typed.isEmpty {
            if let t = ClockTime.parse(typed) { value = t.description } else { type = "text" }
        }
        return F.el(
            "div", .class(errors[name] == nil ? "field" : "field has-error"),
            F.el("label", F.attr("for", "felt-\(name)"), .text(label)),
            hint.map { F.el("p", .class("hint"), F.attr("id", "hjelp-\(name)"), .text($0)) } ?? .empty,
            RoundUI.fieldError(errors, name),
            F.input(
                [("type", type), ("name", name), ("id", "felt-\(name)"), ("value", value)]
                    + (list.map { [("list", $0), ("autocomplete", "off")] } ?? [])
                    + (fill.map { [("data-fill", $0)] } ?? [])
                    + (errors[name] != nil
                        ? [("aria-invalid", "true"), ("aria-describedby", "feil-\(name)")]
                        : hint == nil ? [] : [("aria-describedby", "hjelp-\(name)")])))
    }

    public static func area(
        _ name: String, _ label: String, _ value: String, rows: Int = 4, hint: String? = nil,
        errors: FieldErrors = FieldErrors()
    ) -> Node<HTML.BodyContext> {
        F.el(
            "div", .class(errors[name] == nil ? "field" : "field has-error"),
            F.el("label", F.attr("for", "felt-\(name)"), .text(label)),
            hint.map { F.el("p", .class("hint"), F.attr("id", "hjelp-\(name)"), .text($0)) } ?? .empty,
            RoundUI.fieldError(errors, name),
            F.el(
                "textarea", F.attr("name", name), F.attr("id", "felt-\(name)"), F.attr("rows", String(rows)),
                hint == nil || errors[name] != nil ? .empty : F.attr("aria-describedby", "hjelp-\(name)"),
                invalid(errors, name),
                .text(value)))
    }

    public static func select(
        _ name: String, _ label: String, options: [(value: String, text: String)], selected: String?,
        empty: String?, errors: FieldErrors = FieldErrors()
    ) -> Node<HTML.BodyContext> {
        F.el(
            "div", .class(errors[name] == nil ? "field" : "field has-error"),
            F.el("label", F.attr("for", "felt-\(name)"), .text(label)),
            RoundUI.fieldError(errors, name),
            F.el(
                "select", F.attr("name", name), F.attr("id", "felt-\(name)"), invalid(errors, name),
                empty.map { F.el("option", F.attr("value", ""), .text($0)) } ?? .empty,
                .group(
                    options.map { o in
                        F.el(
                            "option", F.attr("value", o.value),
                            o.value == selected ? .attribute(named: "selected") : .empty,
                            .text(o.text))
                    })))
    }

    /// Rows already filled (as many as `values` has) and `spare` empty ones; an empty row is ignored when saved.
    static func rowCount(_ prefix: String, _ values: [String: String], spare: Int) -> Int {
        let filled =
            values.filter { !$0.value.isEmpty }.keys.compactMap { key -> Int? in
                guard key.hasPrefix(prefix + ".") else { return nil }
                // Only the rows a form can have: a made-up `punkt.9223372036854775807.tittel` must not overflow.
                return key.dropFirst(prefix.count + 1).split(separator: ".").first.flatMap { Int($0) }
                    .flatMap { (1...CouncilForms.maximumRows).contains($0) ? $0 : nil }
            }.max() ?? 0
        return min(CouncilForms.maximumRows, filled + spare)
    }

    /// A fieldset of repeated rows: each row its own small fieldset ("Innleder 2") with labelled inputs.
    public static func rows(
        _ prefix: String, legend: String, hint: String, rowName: String, fields: [RowField],
        values: [String: String], errors: FieldErrors, spare: Int = 2
    ) -> Node<HTML.BodyContext> {
        let count = rowCount(prefix, values, spare: spare)
        return F.el(
            "fieldset", .class("rows"),
            F.el("legend", .text(legend)),
            F.el("p", .class("hint"), .text(hint)),
            .group(
                (1...max(1, count)).map { n in
                    F.el(
                        "fieldset", .class("row"), F.el("legend", .text("\(rowName) \(n)")),
                        .group(
                            fields.map { f in
                                let name = CouncilForms.field(prefix, n, f.name)
                                if f.type == "checkbox" {
                                    return F.el(
                                        "div", .class("field checkbox"),
                                        F.el(
                                            "label",
                                            F.input(
                                                [
                                                    ("type", "checkbox"), ("name", name), ("id", "felt-\(name)"),
                                                    ("value", "ja"),
                                                ]
                                                    + (values[name] == "ja" ? [("checked", nil)] : [])),
                                            .text(" " + f.label)))
                                }
                                return text(
                                    name, f.label, values[name] ?? "", type: f.type, errors: errors, list: f.list,
                                    fill: f.list == nil ? nil : "\(prefix).\(n)")
                            }))
                }))
    }

    /// Picking what a case links to: a plain select of everything that exists (works without JavaScript), which the
    /// script turns into a search-as-you-type field over the same options and the search API.
    public static func linkPickers(
        _ targets: [(kind: String, options: [(value: String, text: String)])], values: [String: String],
        errors: FieldErrors
    ) -> Node<HTML.BodyContext> {
        let count = rowCount("kobling", values, spare: 2)
        return F.el(
            "fieldset", .class("rows"),
            F.el("legend", .text("Knyttet til strategien")),
            F.el(
                "p", .class("hint"),
                .text(
                    "Velg mål, delmål, tiltak, indikatorer, statusrapporter eller prioriteringsrunder saken gjelder. "
                        + "Skriv for å søke.")),
            .group(
                (1...max(1, count)).map { n in
                    let name = CouncilForms.field("kobling", n, "mal")
                    let selected = values[name] ?? ""
                    return F.el(
                        "div", .class(errors[name] == nil ? "field picker" : "field picker has-error"),
                        F.attr("data-search", SiteURL.api("search").path),
                        F.el("label", F.attr("for", "felt-\(name)"), .text("Kobling \(n)")),
                        RoundUI.fieldError(errors, name),
                        F.el(
                            "select", F.attr("name", name), F.attr("id", "felt-\(name)"), invalid(errors, name),
                            F.el("option", F.attr("value", ""), .text("Ingen")),
                            .group(
                                targets.map { group in
                                    F.el(
                                        "optgroup", F.attr("label", group.kind),
                                        .group(
                                            group.options.map { o in
                                                F.el(
                                                    "option", F.attr("value", o.value),
                                                    o.value == selected ? .attribute(named: "selected") : .empty,
                                                    .text(o.text))
                                            }))
                                })))
                }))
    }

    /// Members to suggest as presenters: the datalist behind the name fields (the script fills in title and
    /// organisation).
    public static func memberList(_ id: String, _ members: [Membership]) -> Node<HTML.BodyContext> {
        F.el(
            "datalist", F.attr("id", id),
            .group(
                members.map { m in
                    F.el(
                        "option", F.attr("value", m.name), F.attr("data-tittel", m.title),
                        F.attr("data-organisasjon", m.organisation))
                }))
    }

    /// "What was corrected, and why" — required for a change to something already published.
    public static func correctionField(_ values: [String: String], errors: FieldErrors, published: String) -> Node<
        HTML.BodyContext
    > {
        area(
            "rettelse", "Hva er rettet, og hvorfor", values["rettelse"] ?? "", rows: 2,
            hint:
                """
                \(published) er publisert. Endringer vises for leserne som en rettelse med dagens dato og denne \
                teksten.
                """,
            errors: errors)
    }
}

// MARK: - /rad/<slug>/moter/<date>

public struct MeetingPageModel: Sendable {
    public enum Mode: Sendable { case page, notice, minutes }
    public let council: Council
    public let meeting: Meeting
    public let cases: [CouncilCase]
    public let members: [Membership]
    public let linkTitles: [CaseLink: String]
    public let mode: Mode
    public let today: Day
    /// Secretaries see the agenda before it is published, and the workflow.
    public let canEdit: Bool
    public var workflow: (csrf: String, version: Int64)?
    /// Open follow-ups of earlier decisions, when this is the council's next meeting, with where each link stands.
    public var followUps: [FollowUpLine] = []

    public struct FollowUpLine: Sendable {
        public let item: OpenFollowUp
        public let links: [(link: CaseLink, title: String, status: String?)]
        public init(item: OpenFollowUp, links: [(link: CaseLink, title: String, status: String?)]) {
            self.item = item
            self.links = links
        }
    }

    public init(
        council: Council, meeting: Meeting, cases: [CouncilCase], members: [Membership], linkTitles: [CaseLink: String],
        mode: Mode, today: Day, canEdit: Bool
    ) {
        self.council = council
        self.meeting = meeting
        self.cases = cases
        self.members = members
        self.linkTitles = linkTitles
        self.mode = mode
        self.today = today
        self.canEdit = canEdit
    }

    public var councilName: String { council.name(on: meeting.startsOn).name }
    public var showsAgenda: Bool { meeting.state.agendaIsPublic || canEdit }
    public var showsDecisions: Bool { meeting.state.decisionsArePublic || (canEdit && mode == .page) }
}

public enum MeetingPageView {
    public static func render(_ m: MeetingPageModel) -> String {
        let mt = m.meeting
        let base = SiteURL.meeting(mt).path
        let title: String
        let path: String
        switch m.mode {
        case .page:
            title = "Møte i \(m.councilName) \(mt.datesText)"
            path = base
        case .notice:
            title = "Innkalling til møte i \(m.councilName) \(mt.datesText)"
            path = SiteURL.meeting(mt, .notice).path
        case .minutes:
            title = "Referat fra møte i \(m.councilName) \(mt.datesText)"
            path = SiteURL.meeting(mt, .minutes).path
        }
        let absent = Set(mt.substitutes.map(\.forMember))
        let byMember = Dictionary(m.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return PageFrame(
            title: title, description: "\(m.councilName), \(mt.datesText)\(mt.place.isEmpty ? "" : ", \(mt.place)")",
            path: path,
            breadcrumbs: [
                ("Rådsmodellen", SiteURL.councils.path),
                (m.council.name, SiteURL.council(m.council.slug).path),
            ]
                + (m.mode == .page ? [] : [("Møtet", base)])
        ).render(
            .h1(.text(title)),
            F.facts(
                [
                    ("Råd", .a(.href(SiteURL.council(m.council.slug).path), .text(m.councilName))),
                    ("Dato", .text(mt.datesText)),
                    ("Tid", .text(timeText(mt))),
                    ("Sted", .text(mt.place.isEmpty ? "Ikke oppgitt" : mt.place)),
                ] + (mt.number.isEmpty ? [] : [("Møtenummer", .text(mt.number))]) + [
                    ("Status", .text(meetingStateText(mt, today: m.today)))
                ]),
            mt.note.isEmpty ? .empty : .p(.text(mt.note)),
            corrections(mt.corrections, heading: "Rettelser i møtet"),
            m.mode == .page
                ? .p(
                    .class("no-print"),
                    m.showsAgenda
                        ? .group(.a(.href(SiteURL.meeting(mt, .notice).path), .text("Innkalling")), .text(" · "))
                        : .empty,
                    mt.state.decisionsArePublic
                        ? .group(.a(.href(SiteURL.meeting(mt, .minutes).path), .text("Referat")), .text(" · "))
                        : .empty,
                    .a(.href(SiteURL.councilCalendar(m.council.slug).path), .text("Legg rådets møter i kalenderen")))
                : .empty,
            m.workflow.map { workflow(m, $0) } ?? .empty,
            !m.showsAgenda
                ? .p(.text("Sakslisten er ikke publisert ennå."))
                : .group(
                    mt.state.agendaIsPublic
                        ? .empty
                        : .p(
                            .class("notice"),
                            .text("Utkast: sakslisten er bare synlig for sekretariatet til innkallingen publiseres.")),
                    m.mode == .minutes ? attendance(m, absent: absent) : .empty,
                    mt.substitutes.isEmpty
                        ? .empty
                        : .section(
                            .attribute(named: "aria-labelledby", value: "stedfortredere"),
                            .h2(.id("stedfortredere"), .text("Stedfortredere")),
                            .ul(
                                .forEach(mt.substitutes) { s in
                                    let member = byMember[s.forMember]
                                    return .li(
                                        .text(
                                            """
                                            \(s.name)\(s.organisation.isEmpty ? "" : " (\(s.organisation))") \
                                            stiller for \(member?.name ?? "et medlem")
                                            """
                                                + (member.map { " (\($0.organisation))" } ?? "")))
                                })),
                    agenda(m),
                    followUpSection(m),
                    .group(m.cases.map { caseSection(m, $0) })
                )
        )
    }

    static func timeText(_ mt: Meeting) -> String {
        switch (mt.startTime, mt.endTime) {
        case (let s?, let e?): return "\(s)–\(e)"
        case (let s?, nil): return "Fra \(s)"
        default: return "Ikke oppgitt"
        }
    }

    /// Who came, as recorded after the meeting (never assumed from the member list).
    static func attendance(_ m: MeetingPageModel, absent: Set<String>) -> Node<HTML.BodyContext> {
        func person(_ p: Membership) -> String {
            "\(p.name), \(p.organisation)\(p.role == .medlem ? "" : " (\(p.role.name.lowercased()))")"
        }
        guard let record = m.meeting.attendance else {
            return .section(
                .attribute(named: "aria-labelledby", value: "deltakere"), .h2(.id("deltakere"), .text("Oppmøte")),
                .p(.text("Oppmøtet er ikke registrert i Veikart.")))
        }
        let present = Set(record.present)
        let came = m.members.filter { present.contains($0.id) }
        let away = m.members.filter { !present.contains($0.id) }
        let substitutes = Dictionary(m.meeting.substitutes.map { ($0.forMember, $0) }, uniquingKeysWith: { a, _ in a })
        return .section(
            .attribute(named: "aria-labelledby", value: "deltakere"),
            .h2(.id("deltakere"), .text("Oppmøte")),
            .h3(.text("Til stede (\(came.count))")),
            came.isEmpty ? .p(.text("Ingen medlemmer.")) : .ul(.forEach(came) { .li(.text(person($0))) }),
            away.isEmpty
                ? .empty
                : .group(
                    .h3(.text("Forfall (\(away.count))")),
                    .ul(
                        .forEach(away) { p in
                            .li(
                                .text(person(p)),
                                substitutes[p.id].map { s in
                                    .span(
                                        .class("meta"),
                                        .text(
                                            """
                                             – stedfortreder: \
                                            \(s.name)\(s.organisation.isEmpty ? "" : ", \(s.organisation)")
                                            """
                                        ))
                                } ?? .empty)
                        })),
            record.others.isEmpty
                ? .empty : .group(.h3(.text("Andre som deltok")), .ul(.forEach(record.others) { .li(.text($0)) })))
    }

    static func corrections(_ list: [Correction]?, heading: String) -> Node<HTML.BodyContext> {
        guard let list, !list.isEmpty else { return .empty }
        return .div(
            .class("corrections"), .h3(.text(heading)),
            .ul(.forEach(list) { c in .li(.strong(.text("Rettet \(c.day.norwegian): ")), .text(c.note)) }))
    }

    /// "Oppfølgingssaker": open follow-ups of the council's earlier decisions, on its next meeting's agenda.
    static func followUpSection(_ m: MeetingPageModel) -> Node<HTML.BodyContext> {
        guard !m.followUps.isEmpty, m.mode != .minutes else { return .empty }
        return .section(
            .attribute(named: "aria-labelledby", value: "oppfolgingssaker"),
            .h2(.id("oppfolgingssaker"), .text("Oppfølgingssaker")),
            .p(.text("Åpne oppfølgingspunkter fra rådets tidligere vedtak, med status for det de gjelder i dag.")),
            .ul(
                .class("follow-ups"),
                .forEach(m.followUps) { line in
                    let f = line.item.followUp
                    let origin = line.item.origin
                    let overdue = f.due.map { $0 < m.today } ?? false
                    let facts = [
                        f.owner.isEmpty ? nil : "Ansvarlig: \(f.owner)",
                        f.due.map { "frist \($0.norwegian)" + (overdue ? " (forfalt)" : "") },
                    ]
                    .compactMap { $0 }.joined(separator: ", ")
                    return .li(
                        .p(.strong(.text(f.text)), .text(facts.isEmpty ? "" : " – \(facts).")),
                        .p(
                            .class("meta"), .text("Fra "),
                            .a(
                                .href(
                                    SiteURL.meeting(line.item.originMeeting).path(fragment: "sak-\(origin.number.slug)")
                                ),
                                .text("sak \(origin.number) \(origin.title)")),
                            .text(" (\(line.item.originMeeting.startsOn.norwegian)).")),
                        line.links.isEmpty
                            ? .empty
                            : .ul(
                                .forEach(line.links) { l in
                                    .li(
                                        .text("\(l.link.kind.name): "), .a(.href(SiteURL(l.link).path), .text(l.title)),
                                        .text(l.status.map { " – \($0)" } ?? ""))
                                }),
                        m.canEdit && m.mode == .page && m.meeting.state == .planlagt
                            ? .p(
                                .class("no-print"),
                                .a(
                                    .href(
                                        SiteURL.newCase(council: m.meeting.council, meeting: m.meeting.key).path
                                            + "?oppfolging=\(origin.number.slug).\(line.item.position)"),
                                    .text("Lag egen sak av «\(f.text)»")))
                            : .empty)
                }))
    }

    static func workflow(_ m: MeetingPageModel, _ w: (csrf: String, version: Int64)) -> Node<HTML.BodyContext> {
        let next = m.meeting.state.next.map { ($0, $0 == .innkalt ? "Publiser innkallingen" : "Publiser referatet") }
        return .section(
            .class("no-print edit-panel"), .attribute(named: "aria-labelledby", value: "sekretariat"),
            .h2(.id("sekretariat"), .text("For sekretariatet")),
            .p(
                .a(.href(SiteURL.meeting(m.meeting, .edit).path), .text("Endre møtet")), .text(" · "),
                .a(.href(SiteURL.newCase(council: m.meeting.council, meeting: m.meeting.key).path), .text("Ny sak"))),
            next.map { n in
                // The server refuses it too; the page says why instead of offering a step that cannot work.
                if let refusal = n.0.refusal(for: m.meeting, today: m.today) { return .p(.text(refusal)) }
                // Publishing cannot be undone: the link opens a page that says what becomes public, with the button.
                return .p(.a(.class("button"), .href(SiteURL.meeting(m.meeting, .state).path), .text(n.1 + " …")))
            }
                ?? .p(
                    .text(
                        """
                        Referatet er publisert. Vedtak og oppfølging kan fortsatt rettes i sakene; rettelsene \
                        vises i referatet.
                        """
                    )))
    }

    static func agenda(_ m: MeetingPageModel) -> Node<HTML.BodyContext> {
        let lines = AgendaLine.agenda(cases: m.cases, breaks: m.meeting.breaks)
        let days = Set(lines.map(\.day)).count > 1
        return .section(
            .attribute(named: "aria-labelledby", value: "saksliste"),
            .h2(.id("saksliste"), .text("Saksliste")),
            lines.isEmpty
                ? .p(.text("Ingen saker er registrert."))
                : .div(
                    .class("table-scroll"),
                    .table(
                        .class("data agenda"),
                        .caption(.text("Saksliste med tider")),
                        .thead(
                            .tr(
                                days ? .th(.text("Dag")) : .empty, .th(.text("Start")), .th(.text("Sak")),
                                .th(.text("Tittel")), .th(.text("Innleder")), .th(.text("Type")))),
                        .tbody(
                            .forEach(lines) { line in
                                switch line {
                                case .item(let c):
                                    return .tr(
                                        days ? .td(.text(m.meeting.date(ofDay: c.day).norwegian)) : .empty,
                                        .td(.text(c.time?.description ?? "")), .td(.text(c.number.description)),
                                        .td(
                                            .a(.href("#sak-\(c.number.slug)"), .text(c.title)),
                                            c.withdrawn ? .strong(.text(" (trukket)")) : .empty),
                                        .td(.text(c.presenters.map(\.text).joined(separator: "; "))),
                                        .td(.text(c.type?.name ?? "")))
                                case .pause(let b):
                                    return .tr(
                                        .class("agenda-break"),
                                        days ? .td(.text(m.meeting.date(ofDay: b.day).norwegian)) : .empty,
                                        .td(.text(b.time?.description ?? "")), .td(), .td(.text(b.title)), .td(), .td())
                                }
                            }))))
    }

    static func caseSection(_ m: MeetingPageModel, _ c: CouncilCase) -> Node<HTML.BodyContext> {
        let id = "sak-\(c.number.slug)"
        return .section(
            .class("case"), .id(id), .attribute(named: "aria-labelledby", value: id + "-tittel"),
            .h2(.id(id + "-tittel"), .text("Sak \(c.number): \(c.title)")),
            c.withdrawn ? .p(.strong(.text("Saken er trukket."))) : .empty,
            .p(
                .class("meta"),
                .text(
                    [
                        c.type?.name,
                        c.presenters.isEmpty ? nil : "Innleder: " + c.presenters.map(\.text).joined(separator: "; "),
                        c.time.map { "kl. \($0)" },
                    ].compactMap { $0 }.joined(separator: " · "))),
            m.mode == .minutes ? .empty : F.paragraphs(c.summary),
            c.questions.isEmpty || m.mode == .minutes
                ? .empty
                : .group(.h3(.text("Spørsmål til drøfting")), .ol(.forEach(c.questions) { .li(.text($0)) })),
            c.proposedDecision.isEmpty
                ? .empty : .group(.h3(.text("Forslag til vedtak")), .p(.text(c.proposedDecision))),
            !m.showsDecisions && m.mode != .notice && !c.withdrawn && m.meeting.endsOn < m.today
                ? .group(
                    .h3(.text("Vedtak")),
                    .p(.text("Vedtak ikke registrert: referatet fra møtet er ikke publisert i Veikart.")))
                : .empty,
            m.showsDecisions && m.mode != .notice
                ? .group(
                    .h3(.text("Vedtak")),
                    .p(.text(c.decision.isEmpty ? "Vedtak er ikke registrert." : c.decision)),
                    c.followUps.isEmpty
                        ? .empty
                        : .div(
                            .class("table-scroll"),
                            .table(
                                .class("data"),
                                .caption(.text("Oppfølging av sak \(c.number)")),
                                .thead(
                                    .tr(
                                        .th(.text("Punkt")), .th(.text("Ansvarlig")), .th(.text("Frist")),
                                        .th(.text("Status")))),
                                .tbody(
                                    .forEach(c.followUps) { f in
                                        .tr(
                                            .td(.text(f.text)), .td(.text(f.owner)),
                                            .td(.text(f.due.map(\.norwegian) ?? "")),
                                            .td(
                                                .text(
                                                    f.done
                                                        ? "Utført"
                                                        : (f.due.map { $0 < m.today } ?? false) ? "Forfalt" : "Åpen")))
                                    })))) : .empty,
            c.links.isEmpty
                ? .empty
                : .group(
                    .h3(.text("Knyttet til")),
                    .ul(
                        .forEach(c.links.sorted()) { l in
                            .li(
                                .text("\(l.kind.name): "),
                                .a(.href(SiteURL(l).path), .text(m.linkTitles[l] ?? l.target)))
                        })),
            corrections(c.corrections, heading: "Rettelser i sak \(c.number)"),
            m.canEdit && m.mode == .page
                ? .p(
                    .class("no-print"),
                    .a(
                        .href(SiteURL.councilCase(m.meeting, c.number.slug, .edit).path), .text("Endre sak \(c.number)")
                    ),
                    m.meeting.state == .planlagt
                        ? .group(
                            .text(" · "),
                            .a(
                                .href(SiteURL.councilCase(m.meeting, c.number.slug, .removal).path),
                                .text("Fjern sak \(c.number)")))
                        : .empty) : .empty)
    }
}

// MARK: - forms for meeting and case

public struct MeetingFormModel: Sendable {
    public let council: Council
    public let meeting: Meeting
    public let csrf: String
    public let version: Int64
    public let values: [String: String]
    public let problems: [String]
    public var errors: FieldErrors = FieldErrors()
    /// The members sitting on the meeting day, for attendance and substitutes.
    public var sitting: [Membership] = []
    /// Someone else saved first: what is stored now, shown beside the user's own text.
    public let conflict: [(String, String)]?
    public init(
        council: Council, meeting: Meeting, csrf: String, version: Int64, values: [String: String], problems: [String],
        conflict: [(String, String)]?
    ) {
        self.council = council
        self.meeting = meeting
        self.csrf = csrf
        self.version = version
        self.values = values
        self.problems = problems
        self.conflict = conflict
    }
}

public enum MeetingFormView {
    public static let fieldOrder = ["startdato", "sluttdato", "starttid", "sluttid", "sted", "nummer", "merknad"]

    public static func render(_ m: MeetingFormModel) -> String {
        let mt = m.meeting
        let name = m.council.name(on: mt.startsOn).name
        let v = m.values
        let e = m.errors
        let breakFields =
            (mt.days > 1 ? [RowField("dag", "Dag i møtet (1–\(mt.days))", type: "number")] : [])
            + [RowField("tid", "Klokkeslett", type: "time"), RowField("tittel", "Hva (f.eks. Lunsj)")]
        return PageFrame(
            title: "Endre møtet \(mt.datesText)", description: "Endre møtet i \(name).",
            path: SiteURL.meeting(mt, .edit).path,
            breadcrumbs: [
                ("Rådsmodellen", SiteURL.councils.path),
                (m.council.name, SiteURL.council(m.council.slug).path),
                ("Møtet", SiteURL.meeting(mt).path),
            ]
        ).render(
            .h1(.text("Endre møtet i \(name) \(mt.datesText)")),
            CouncilForm.errorSummary(m.problems, errors: e, order: fieldOrder),
            conflictBox(m.conflict),
            CouncilForm.form(
                action: SiteURL.meeting(mt, .edit).path, csrf: m.csrf, version: m.version, submit: "Lagre møtet",
                CouncilForm.text("startdato", "Startdato", v["startdato"] ?? "", type: "date", errors: e),
                CouncilForm.text(
                    "sluttdato", "Sluttdato, hvis møtet går over flere dager", v["sluttdato"] ?? "", type: "date",
                    errors: e),
                CouncilForm.text("starttid", "Starttid", v["starttid"] ?? "", type: "time", errors: e),
                CouncilForm.text("sluttid", "Sluttid", v["sluttid"] ?? "", type: "time", errors: e),
                CouncilForm.text("sted", "Sted", v["sted"] ?? "", errors: e),
                CouncilForm.text("nummer", "Møtenummer (valgfritt, f.eks. 5/22)", v["nummer"] ?? "", errors: e),
                CouncilForm.area("merknad", "Merknad til leserne", v["merknad"] ?? "", rows: 2, errors: e),
                CouncilForm.rows(
                    "punkt", legend: "Andre punkter på sakslisten",
                    hint: "Velkommen, lunsj, pauser og annet som ikke er saker. Tomme rader lagres ikke.",
                    rowName: "Punkt", fields: breakFields, values: v, errors: e),
                attendanceFields(m),
                mt.state == .planlagt
                    ? .empty
                    : CouncilForm.correctionField(
                        v, errors: e, published: mt.state == .referat ? "Referatet" : "Innkallingen"))
        )
    }

    /// Per member sitting on the meeting day: came, sent apologies (with a substitute), or not recorded yet.
    static func attendanceFields(_ m: MeetingFormModel) -> Node<HTML.BodyContext> {
        let v = m.values
        let e = m.errors
        let options = [("", "Ikke registrert"), ("motte", "Møtte"), ("forfall", "Forfall")]
        return F.el(
            "fieldset", .class("rows attendance"), F.attr("id", "felt-oppmote"), F.attr("tabindex", "-1"),
            F.el("legend", .text("Oppmøte og stedfortredere")),
            RoundUI.fieldError(e, "oppmote"),
            F.el(
                "p", .class("hint"),
                .text(
                    "Registreres etter møtet: merk hvert medlem som møtte eller hadde forfall. Et medlem med forfall "
                        + """
                        kan ha en stedfortreder, som også kan føres opp før møtet. Referatet publiseres ikke uten \
                        oppmøte.
                        """
                )),
            m.sitting.isEmpty
                ? .p(.text("Rådet har ingen medlemmer på møtedagen."))
                : .group(
                    m.sitting.map { member in
                        let key = "oppmote.\(member.id)"
                        // The summary links here; a fieldset takes focus only with a tabindex.
                        return F.el(
                            "fieldset", .class(e[key] == nil ? "row" : "row has-error"), F.attr("id", "felt-\(key)"),
                            F.attr("tabindex", "-1"),
                            F.el("legend", .text("\(member.name), \(member.organisation)")),
                            RoundUI.fieldError(e, key),
                            F.el(
                                "div", .class("radios"),
                                .group(
                                    options.enumerated().map { i, o in
                                        F.el(
                                            "label",
                                            F.input(
                                                [
                                                    ("type", "radio"), ("name", key), ("value", o.0),
                                                    ("id", "felt-\(key)-\(i)"),
                                                ]
                                                    + ((v[key] ?? "") == o.0 ? [("checked", nil)] : [])
                                                    + (e[key] == nil
                                                        ? []
                                                        : [
                                                            ("aria-invalid", "true"),
                                                            ("aria-describedby", "feil-\(key)"),
                                                        ])),
                                            .text(" " + o.1))
                                    })),
                            CouncilForm.text(
                                "stedfortreder.\(member.id).navn", "Stedfortreder for \(member.name)",
                                v["stedfortreder.\(member.id).navn"] ?? "", errors: e),
                            CouncilForm.text(
                                "stedfortreder.\(member.id).organisasjon", "Stedfortrederens organisasjon",
                                v["stedfortreder.\(member.id).organisasjon"] ?? "", errors: e))
                    }),
            CouncilForm.area("andre", "Andre som deltok (ett navn per linje)", v["andre"] ?? "", rows: 2, errors: e))
    }

    static func conflictBox(_ conflict: [(String, String)]?) -> Node<HTML.BodyContext> {
        conflict.map { lines in
            F.el(
                "div", .class("conflict"), F.attr("role", "alert"),
                .h2(.text("Noen andre har lagret i mellomtiden")),
                .p(
                    .text(
                        """
                        Ingenting er overskrevet. Dette er lagret nå; teksten din står fortsatt i skjemaet. Se \
                        over og lagre på nytt.
                        """
                    )),
                F.facts(lines.map { ($0.0, .text($0.1.isEmpty ? "–" : $0.1)) }))
        } ?? .empty
    }
}

public struct CaseFormModel: Sendable {
    public let council: Council
    public let meeting: Meeting
    /// nil for a new case (its number is given when it is saved).
    public let number: CaseNumber?
    public let csrf: String
    public let version: Int64?
    public let values: [String: String]
    public let problems: [String]
    public let conflict: [(String, String)]?
    public var errors: FieldErrors = FieldErrors()
    /// Everything a case can link to, grouped by kind, for the pickers.
    public var targets: [(kind: String, options: [(value: String, text: String)])] = []
    /// The council's members on the meeting day, suggested as presenters.
    public var members: [Membership] = []
    public init(
        council: Council, meeting: Meeting, number: CaseNumber?, csrf: String, version: Int64?,
        values: [String: String], problems: [String],
        conflict: [(String, String)]?
    ) {
        self.council = council
        self.meeting = meeting
        self.number = number
        self.csrf = csrf
        self.version = version
        self.values = values
        self.problems = problems
        self.conflict = conflict
    }
}

public enum CaseFormView {
    public static let fieldOrder = [
        "tittel", "type", "dag", "tid", "sammendrag", "sporsmal", "forslag", "vedtak", "rettelse",
    ]

    public static func render(_ m: CaseFormModel) -> String {
        let mt = m.meeting
        let v = m.values
        let e = m.errors
        let heading = m.number.map { "Endre sak \($0)" } ?? "Ny sak"
        let action =
            m.number.map { SiteURL.councilCase(mt, $0.slug, .edit).path }
            ?? SiteURL.newCase(council: mt.council, meeting: mt.key).path
        let published: String? =
            switch mt.state {
            case .planlagt: nil
            case .innkalt: "Innkallingen"
            case .referat: "Referatet"
            }
        return PageFrame(
            title: "\(heading) – møtet \(mt.datesText)", description: heading, path: action,
            breadcrumbs: [
                ("Rådsmodellen", SiteURL.councils.path),
                (m.council.name, SiteURL.council(m.council.slug).path),
                ("Møtet", SiteURL.meeting(mt).path),
            ]
        ).render(
            .h1(.text("\(heading) – \(m.council.name(on: mt.startsOn).name) \(mt.datesText)")),
            m.number == nil
                ? .p(
                    .text(
                        """
                        Saksnummeret gis av Veikart når saken lagres: neste ledige nummer for rådet i \
                        \(mt.startsOn.year).
                        """
                    )) : .empty,
            CouncilForm.errorSummary(m.problems, errors: e, order: fieldOrder),
            MeetingFormView.conflictBox(m.conflict),
            CouncilForm.memberList("medlemmer", m.members),
            CouncilForm.form(
                action: action, csrf: m.csrf, version: m.version,
                submit: m.number == nil ? "Opprett saken" : "Lagre saken",
                CouncilForm.text("tittel", "Tittel", v["tittel"] ?? "", errors: e),
                CouncilForm.select(
                    "type", "Sakstype", options: CaseType.allCases.map { ($0.rawValue, $0.name) }, selected: v["type"],
                    empty: "Ingen (f.eks. eventuelt)", errors: e),
                CouncilForm.rows(
                    "innleder", legend: "Innledere",
                    hint: "Skriv navnet; rådets medlemmer foreslås mens du skriver. Tomme rader lagres ikke.",
                    rowName: "Innleder",
                    fields: [
                        RowField("navn", "Navn", list: "medlemmer"), RowField("tittel", "Tittel"),
                        RowField("organisasjon", "Organisasjon"),
                    ],
                    values: v, errors: e, spare: 1),
                mt.days > 1
                    ? CouncilForm.text(
                        "dag", "Dag i møtet (1–\(mt.days))", v["dag"] ?? "1", type: "number", errors: e)
                    : F.input([("type", "hidden"), ("name", "dag"), ("value", "1")]),
                CouncilForm.text("tid", "Starter klokken", v["tid"] ?? "", type: "time", errors: e),
                CouncilForm.area(
                    "sammendrag", "Saksfremstilling (sammendrag)", v["sammendrag"] ?? "", rows: 6, errors: e),
                CouncilForm.area(
                    "sporsmal", "Spørsmål til drøfting, ett per linje", v["sporsmal"] ?? "", rows: 3, errors: e),
                CouncilForm.area("forslag", "Forslag til vedtak", v["forslag"] ?? "", rows: 3, errors: e),
                CouncilForm.area("vedtak", "Vedtak (fylles ut etter møtet)", v["vedtak"] ?? "", rows: 3, errors: e),
                CouncilForm.rows(
                    "oppfolging", legend: "Oppfølging av vedtaket",
                    hint:
                        """
                        Åpne punkter kommer på sakslisten til rådets neste møte som oppfølgingssaker. Tomme rader \
                        lagres ikke.
                        """,
                    rowName: "Oppfølgingspunkt",
                    fields: [
                        RowField("tekst", "Hva skal gjøres"), RowField("ansvarlig", "Ansvarlig"),
                        RowField("frist", "Frist", type: "date"), RowField("utfort", "Utført", type: "checkbox"),
                    ],
                    values: v, errors: e, spare: 1),
                CouncilForm.linkPickers(m.targets, values: v, errors: e),
                F.el(
                    "div", .class("field checkbox"),
                    F.el(
                        "label",
                        F.input(
                            [("type", "checkbox"), ("name", "trukket"), ("value", "ja"), ("id", "felt-trukket")]
                                + (v["trukket"] == "ja" ? [("checked", nil)] : [])),
                        .text(" Saken er trukket (nummeret beholdes)"))),
                published.map { CouncilForm.correctionField(v, errors: e, published: $0) } ?? .empty),
            m.number.map { n in
                mt.state == .planlagt
                    ? .p(
                        .a(.href(SiteURL.councilCase(mt, n.slug, .removal).path), .text("Fjern sak \(n)")),
                        .text(" – for en sak lagt inn ved en feil, før innkallingen er publisert."))
                    : .empty
            } ?? .empty
        )
    }
}

// MARK: - "behandlet i" on linked pages

extension Fragments {
    /// The council cases that dealt with the page's subject, with their decision (or the proposal until the minutes are
    /// out).
    public static func handledIn(_ refs: [CaseReference]) -> Node<HTML.BodyContext> {
        refs.isEmpty
            ? .empty
            : .section(
                .class("handled-in"), .attribute(named: "aria-labelledby", value: "behandlet-i"),
                .h2(.id("behandlet-i"), .text("Behandlet i rådsmodellen")),
                .ul(
                    .forEach(refs) { r in
                        .li(
                            .a(.href(SiteURL.reference(r)), .text("Sak \(r.number) \(r.title)")),
                            .text(" – \(r.councilName) \(r.meetingDate.norwegian)."),
                            r.decisionText.isEmpty
                                ? .empty
                                : .group(
                                    .br(),
                                    .span(.class("meta"), .text(r.decided ? "Vedtak: " : "Forslag til vedtak: ")),
                                    .text(r.decisionText)))
                    }))
    }
}
