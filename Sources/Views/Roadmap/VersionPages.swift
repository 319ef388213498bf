import Domain
@preconcurrency import Plot
import Routes

private typealias F = Fragments

// MARK: - the list of versions

public struct VersionListModel: Sendable {
    public struct Row: Sendable {
        public let number: String
        public let date: String
        public let round: String?
        public let note: String
        public let activities: Int
        public let milestones: Int
        public init(number: String, date: String, round: String?, note: String, activities: Int, milestones: Int) {
            self.number = number
            self.date = date
            self.round = round
            self.note = note
            self.activities = activities
            self.milestones = milestones
        }
    }
    public let versions: [Row]
    public let canPublish: Bool
    public init(versions: [Row], canPublish: Bool) {
        self.versions = versions
        self.canPublish = canPublish
    }
}

public enum VersionListView {
    public static func render(_ m: VersionListModel) -> String {
        PageFrame(
            title: "Versjoner av veikartet", description: "Publiserte versjoner av veikartet og hva som er endret.",
            path: SiteURL.roadmapVersions.path, breadcrumbs: [("Veikart", SiteURL.roadmap.path)]
        ).render(
            .h1(.text("Versjoner av veikartet")),
            .p(
                .class("lead"),
                .text(
                    "Veikartet revideres med aktørene og publiseres som nummererte versjoner. "
                        + "Se hver versjon slik den ble publisert, og hva som er endret fra versjonen før.")),
            m.canPublish
                ? .p(
                    .a(
                        .class("button secondary"), .href(SiteURL.newRoadmapVersion.path),
                        .text("Publiser en ny versjon …")))
                : .empty,
            m.versions.isEmpty
                ? .p(.text("Ingen versjoner er publisert ennå."))
                : .div(
                    .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
                    .attribute(named: "role", value: "region"),
                    .attribute(named: "aria-label", value: "Versjoner"),
                    .table(
                        .class("data"),
                        .caption(.text(m.versions.count == 1 ? "1 versjon" : "\(m.versions.count) versjoner")),
                        .thead(
                            .tr(
                                .th(.attribute(named: "scope", value: "col"), .text("Versjon")),
                                .th(.attribute(named: "scope", value: "col"), .text("Publisert")),
                                .th(.attribute(named: "scope", value: "col"), .text("Rapporteringsrunde")),
                                .th(.attribute(named: "scope", value: "col"), .text("Innhold")),
                                .th(.attribute(named: "scope", value: "col"), .text("Merknad")),
                                .th(.attribute(named: "scope", value: "col"), .text("Endringer")))),
                        .tbody(
                            .forEach(m.versions) { v in
                                .tr(
                                    .td(
                                        .a(
                                            .href(SiteURL.roadmap.path + "?versjon=\(v.number)"),
                                            .text("Versjon \(v.number)"))),
                                    .td(.text(v.date)),
                                    .td(.text(v.round ?? "–")),
                                    .td(
                                        .text(
                                            "\(v.activities) \(v.activities == 1 ? "aktivitet" : "aktiviteter"), "
                                                + "\(v.milestones) \(v.milestones == 1 ? "milepæl" : "milepæler")")),
                                    .td(.text(v.note.isEmpty ? "–" : v.note)),
                                    .td(
                                        .a(
                                            .href(SiteURL.roadmapChanges.path + "?til=\(v.number)"),
                                            .text("Hva er endret"),
                                            .span(.class("visually-hidden"), .text(" i versjon \(v.number)")))))
                            }))),
            .p(
                .a(
                    .href(SiteURL.roadmapChanges.path(query: [("til", "naa")])),
                    .text("Hva er endret siden siste versjon")))
        )
    }
}

// MARK: - what changed

public struct VersionChangesModel: Sendable {
    public struct Row: Sendable {
        public let what: String
        public let initiative: String
        public let initiativeURL: String?
        public let actor: String
        public let before: String
        public let after: String
        public let moved: String?
        public let later: Bool
        public let earlier: Bool
        public let cause: String?
        public let details: [String]
        public init(
            what: String, initiative: String, initiativeURL: String?, actor: String, before: String, after: String,
            moved: String?,
            later: Bool, earlier: Bool, cause: String?, details: [String]
        ) {
            self.what = what
            self.initiative = initiative
            self.initiativeURL = initiativeURL
            self.actor = actor
            self.before = before
            self.after = after
            self.moved = moved
            self.later = later
            self.earlier = earlier
            self.cause = cause
            self.details = details
        }
    }
    public struct Group: Sendable {
        public let name: String
        public let rows: [Row]
        public init(name: String, rows: [Row]) {
            self.name = name
            self.rows = rows
        }
    }
    public let fromLabel: String?
    public let toLabel: String
    public let from: String
    public let to: String
    public let note: String
    public let published: String?
    public let round: (name: String, url: String)?
    public let groups: [Group]
    public let options: [(value: String, text: String)]
    public let notice: String?
    public init(
        fromLabel: String?, toLabel: String, from: String, to: String, note: String, published: String?,
        round: (name: String, url: String)?, groups: [Group], options: [(value: String, text: String)], notice: String?
    ) {
        self.fromLabel = fromLabel
        self.toLabel = toLabel
        self.from = from
        self.to = to
        self.note = note
        self.published = published
        self.round = round
        self.groups = groups
        self.options = options
        self.notice = notice
    }
}

public enum VersionChangesView {
    public static func render(_ m: VersionChangesModel) -> String {
        let total = m.groups.reduce(0) { $0 + $1.rows.count }
        let heading = "Hva er endret i \(m.toLabel)"
        let summary = m.groups.filter { !$0.rows.isEmpty }.map { "\($0.name.lowercased()): \($0.rows.count)" }.joined(
            separator: ", ")
        return PageFrame(
            title: heading, description: "Endringer i veikartet fra \(m.fromLabel ?? "start") til \(m.toLabel).",
            path: SiteURL.roadmapChanges.path,
            breadcrumbs: [
                ("Veikart", SiteURL.roadmap.path),
                ("Versjoner", SiteURL.roadmapVersions.path),
            ]
        ).render(
            .h1(.text(heading.capitalizedFirst)),
            m.notice.map { F.el("div", .class("success"), F.attr("role", "status"), .p(.text($0))) } ?? .empty,
            F.facts([
                ("Sammenlignet med", .text(m.fromLabel ?? "ingen tidligere versjon")),
                ("Publisert", .text(m.published ?? "ikke publisert")),
                ("Rapporteringsrunde", m.round.map { r in .a(.href(r.url), .text(r.name)) } ?? .text("–")),
            ]),
            m.note.isEmpty ? .empty : F.paragraphs(m.note),
            F.el(
                "form", .class("filters"), F.attr("method", "get"), F.attr("action", SiteURL.roadmapChanges.path),
                F.el(
                    "div", .class("field"),
                    F.select(
                        name: "fra", id: "fra", label: "Fra", options: m.options, selected: m.from,
                        allLabel: nil)),
                F.el(
                    "div", .class("field"),
                    F.select(
                        name: "til", id: "til", label: "Til", options: m.options, selected: m.to,
                        allLabel: nil)),
                F.el("button", F.attr("type", "submit"), .text("Sammenlign"))),
            m.fromLabel == nil
                ? .p(.text("Dette er den første versjonen; det er ingenting å sammenligne med."))
                : total == 0
                    ? .p(.text("Ingen endringer."))
                    : .p(.text("\(total) \(total == 1 ? "endring" : "endringer"): \(summary).")),
            .group(
                m.groups.filter { !$0.rows.isEmpty }.map { g in
                    .group(
                        .h2(.text("\(g.name) (\(g.rows.count))")),
                        .div(
                            .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
                            .attribute(named: "role", value: "region"),
                            .attribute(named: "aria-label", value: g.name),
                            .table(
                                .class("data"),
                                .thead(
                                    .tr(
                                        .th(.attribute(named: "scope", value: "col"), .text("Hva")),
                                        .th(.attribute(named: "scope", value: "col"), .text("Tiltak")),
                                        .th(.attribute(named: "scope", value: "col"), .text("Aktør")),
                                        .th(.attribute(named: "scope", value: "col"), .text("Før")),
                                        .th(.attribute(named: "scope", value: "col"), .text("Etter")),
                                        .th(.attribute(named: "scope", value: "col"), .text("Endring")))),
                                .tbody(
                                    .forEach(g.rows) { r in
                                        .tr(
                                            .td(.text(r.what)),
                                            .td(
                                                r.initiativeURL.map { u in .a(.href(u), .text(r.initiative)) }
                                                    ?? .text(r.initiative)),
                                            .td(.text(r.actor)), .td(.text(r.before)), .td(.text(r.after)),
                                            .td(
                                                r.moved.map { moved in
                                                    .p(
                                                        .class(r.later ? "moved later" : "moved"),
                                                        .span(
                                                            .attribute(named: "aria-hidden", value: "true"),
                                                            .text(r.later ? "▶ " : r.earlier ? "◀ " : "")),
                                                        .text(moved))
                                                } ?? .empty,
                                                r.cause.map { .p(.text("Årsak: " + $0)) } ?? .empty,
                                                r.details.isEmpty
                                                    ? .empty
                                                    : .ul(.class("plain"), .forEach(r.details) { .li(.text($0)) }),
                                                r.moved == nil && r.details.isEmpty && r.cause == nil
                                                    ? .text("–") : .empty))
                                    })))
                    )
                })
        )
    }
}

// MARK: - milestone trend

public struct MilestoneTrendModel: Sendable {
    public struct Row: Sendable {
        public let name: String
        public let dates: [String]
        public let days: [Day?]
        public let flagged: Bool
        public let moves: Int
        public let trendURL: String
        public init(name: String, dates: [String], days: [Day?], flagged: Bool, moves: Int, trendURL: String) {
            self.name = name
            self.dates = dates
            self.days = days
            self.flagged = flagged
            self.moves = moves
            self.trendURL = trendURL
        }
    }
    public let initiative: String
    public let initiativeURL: String
    public let slug: String
    public let columns: [String]
    public let rows: [Row]
    public let svg: String?
    public let versions: Int
    public init(
        initiative: String, initiativeURL: String, slug: String, columns: [String], rows: [Row], svg: String?,
        versions: Int
    ) {
        self.initiative = initiative
        self.initiativeURL = initiativeURL
        self.slug = slug
        self.columns = columns
        self.rows = rows
        self.svg = svg
        self.versions = versions
    }
}

public enum MilestoneTrendView {
    public static func render(_ m: MilestoneTrendModel) -> String {
        let flagged = m.rows.filter(\.flagged).count
        return PageFrame(
            title: "Milepæltrend – \(m.initiative)",
            description: "Milepældatoene i \(m.initiative) over veikartversjonene.",
            path: SiteURL.milestoneTrend(initiative: m.slug).path,
            breadcrumbs: [(m.initiative, m.initiativeURL)]
        ).render(
            .h1(.text("Milepæltrend")),
            .p(.class("lead"), .a(.href(m.initiativeURL), .text(m.initiative))),
            .p(
                .text(
                    """
                    Hver linje er en milepæl, hver kolonne en versjon av veikartet. En flat linje har holdt \
                    datoen; en stigende linje\u{20}
                    """
                        + "har blitt utsatt. «Nå» er planen slik den er i dag, "
                        + "når den avviker fra siste versjon.")),
            m.versions == 0
                ? .p(.text("Ingen versjoner av veikartet er publisert ennå, så trenden viser bare dagens plan."))
                : .empty,
            flagged == 0
                ? .empty
                : F.el(
                    "div", .class("notice"), F.attr("role", "status"),
                    .p(
                        .text(
                            flagged == 1
                                ? "1 milepæl er flyttet i flere versjoner på rad."
                                : "\(flagged) milepæler er flyttet i flere versjoner på rad."))),
            m.svg.map { svg in F.el("figure", .class("chart"), .raw(svg)) }
                ?? .p(.text("Tiltaket har ingen milepæler.")),
            m.rows.isEmpty
                ? .empty
                : .div(
                    .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
                    .attribute(named: "role", value: "region"),
                    .attribute(named: "aria-label", value: "Milepældatoer per versjon"),
                    .table(
                        .class("data"),
                        .caption(.text("Milepældatoer per versjon")),
                        .thead(
                            .tr(
                                .th(.attribute(named: "scope", value: "col"), .text("Milepæl")),
                                .group(
                                    m.columns.map { c in
                                        .th(
                                            .attribute(named: "scope", value: "col"),
                                            .text(c == "Nå" ? "Nå" : "Versjon \(c)"))
                                    }),
                                .th(.attribute(named: "scope", value: "col"), .text("Flyttet på rad")))),
                        .tbody(
                            .forEach(Array(m.rows.enumerated())) { index, r in
                                .tr(
                                    .th(.attribute(named: "scope", value: "row"), .text("\(index + 1). \(r.name)")),
                                    .group(r.dates.map { .td(.text($0)) }),
                                    .td(
                                        r.flagged
                                            ? .group(
                                                .span(.attribute(named: "aria-hidden", value: "true"), .text("⚠ ")),
                                                .text("\(r.moves) ganger")) : .text(String(r.moves))))
                            })))
        )
    }
}
