import Domain
@preconcurrency import Plot
import Routes

/// `/indikatorer?vurdert=rod&beregnet=ingen-fremgang&sorter=vurdert`: "which indicators are red?"
public struct IndicatorListFilter: Sendable, Equatable {
    public enum Sort: String, CaseIterable, Sendable {
        case goal = "", assessed = "vurdert", computed = "beregnet"
        var name: String {
            switch self {
            case .goal: "Mål"
            case .assessed: "Vurdert status"
            case .computed: "Beregnet status"
            }
        }
    }
    /// A traffic light's code, or `ikke-vurdert`.
    public var assessed: String?
    public var computed: ProgressCategory?
    public var sort: Sort = .goal
    public init() {}

    public static let notAssessed = "ikke-vurdert"
    public static let keys = ["vurdert", "beregnet", "sorter"]

    public struct Invalid: Error { public let message: String }

    public static func parse(_ query: [String: String]) throws(Invalid) -> IndicatorListFilter {
        var f = IndicatorListFilter()
        if let v = query["vurdert"], !v.isEmpty {
            guard TrafficLight(rawValue: v) != nil || v == notAssessed else {
                throw Invalid(message: "«vurdert» må være rod, gul, gronn eller ikke-vurdert")
            }
            f.assessed = v
        }
        if let v = query["beregnet"], !v.isEmpty {
            guard let c = ProgressCategory(rawValue: v) else {
                throw Invalid(
                    message:
                        "«beregnet» må være en av "
                        + "\(ProgressCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            f.computed = c
        }
        if let v = query["sorter"] {
            guard let s = Sort(rawValue: v) else {
                throw Invalid(message: "«sorter» må være vurdert eller beregnet")
            }
            f.sort = s
        }
        return f
    }

    public var isEmpty: Bool { self == IndicatorListFilter() }

    func keeps(_ s: IndicatorSummary) -> Bool {
        if let assessed {
            let light = s.assessed?.assessment.status?.rawValue ?? Self.notAssessed
            if light != assessed { return false }
        }
        return computed.map { s.progress.category == $0 } ?? true
    }

    /// Worst first: red before yellow before green before not assessed; no progress before some, before on track.
    var order: ((IndicatorSummary, IndicatorSummary) -> Bool)? {
        switch sort {
        case .goal: return nil
        case .assessed:
            func rank(_ s: IndicatorSummary) -> Int { s.assessed?.assessment.status.map { 2 - $0.severity } ?? 3 }
            return { rank($0) < rank($1) }
        case .computed:
            let worstFirst: [ProgressCategory] = [
                .ingenFremgang, .noeFremgang, .iRute, .nadd, .forLiteData, .ingenAmbisjon,
            ]
            func rank(_ s: IndicatorSummary) -> Int {
                worstFirst.firstIndex(of: s.progress.category) ?? worstFirst.count
            }
            return { rank($0) < rank($1) }
        }
    }
}

public struct IndicatorListModel: Sendable {
    public let groups: [IndicatorGroup]
    public let count: Int
    public let filter: IndicatorListFilter

    public init(
        dataset d: Dataset, today: Day, assessed: [String: PublishedAssessment] = [:],
        filter: IndicatorListFilter = IndicatorListFilter()
    ) {
        self.groups = IndicatorGroup.groups(
            d, today: today, include: { _ in true }, order: { _, _ in false }, assessed: assessed,
            keep: filter.keeps, sort: filter.order)
        self.count = d.indicators.count
        self.filter = filter
    }
}

/// `/indikatorer`: every indicator, grouped by overarching and strategic goal, with its figures and computed status.
public enum IndicatorListView {
    public static func render(_ m: IndicatorListModel) -> String {
        PageFrame(
            title: "Indikatorer",
            description: "Alle indikatorene for strategien med siste verdi, ambisjoner og fremdrift.",
            path: SiteURL.indicators.path
        ).render(
            .h1(.text("Indikatorer")),
            .p(
                .class("lead"),
                .text(
                    NumberText.count(m.count, "indikator konkretiserer", "indikatorer konkretiserer")
                        + " hva strategien skal oppnå per mål. Statusen er beregnet fra målingene og ambisjonsbanen "
                        + "mot hver indikators siste ambisjon; "),
                .a(.href(SiteURL.indicatorMethod.path), .text("slik beregnes den")),
                .text(". Det kuraterte utvalget står på "), .a(.href(SiteURL.dashboard.path), .text("dashbordet")),
                .text(".")),
            filterForm(m.filter),
            m.groups.isEmpty
                ? .p(.class("empty"), .text("Ingen indikatorer passer til utvalget."))
                : .nav(
                    .attribute(named: "aria-label", value: "Grupper"),
                    .ul(
                        .class("compact"),
                        .forEach(m.groups) { g in
                            .li(.a(.href("#\(g.id)"), .text(g.title)), .text(" (\(g.summaries.count))"))
                        })),
            .forEach(m.groups) { group in
                .section(
                    .attribute(named: "aria-labelledby", value: group.id),
                    .h2(.id(group.id), group.url.map { .a(.href($0), .text(group.title)) } ?? .text(group.title)),
                    .div(.class("table-scroll"), table(group)))
            }
        )
    }

    /// Which are red? Filter by the assessed or the computed status, and sort worst first; a plain GET form.
    static func filterForm(_ f: IndicatorListFilter) -> Node<HTML.BodyContext> {
        typealias F = Fragments
        let lights =
            TrafficLight.allCases.reversed().map { ($0.rawValue, $0.name) } + [
                (IndicatorListFilter.notAssessed, "Ikke vurdert")
            ]
        return F.el(
            "form", .class("filters"), F.attr("method", "get"), F.attr("action", SiteURL.indicators.path),
            F.el(
                "fieldset",
                F.el("legend", .text("Velg indikatorer etter status")),
                F.el(
                    "div", .class("field-grid"),
                    F.el(
                        "div", .class("field"),
                        F.select(
                            name: "vurdert", id: "filter-vurdert", label: "Vurdert status",
                            options: lights, selected: f.assessed)),
                    F.el(
                        "div", .class("field"),
                        F.select(
                            name: "beregnet", id: "filter-beregnet", label: "Beregnet status",
                            options: ProgressCategory.allCases.map { ($0.rawValue, $0.name) },
                            selected: f.computed?.rawValue)),
                    F.el(
                        "div", .class("field"),
                        F.select(
                            name: "sorter", id: "filter-sorter", label: "Sorter etter",
                            options: IndicatorListFilter.Sort.allCases.map { ($0.rawValue, $0.name) },
                            selected: f.sort.rawValue, allLabel: nil))),
                F.el(
                    "div", .class("actions"),
                    F.el("button", F.attr("type", "submit"), .text("Vis utvalget")),
                    f.isEmpty ? .empty : F.el("a", F.attr("href", SiteURL.indicators.path), .text("Vis alle")))))
    }

    static func table(_ group: IndicatorGroup) -> Node<HTML.BodyContext> {
        .table(
            .class("data"),
            .caption(.text("Indikatorer – \(group.title)")),
            .thead(
                .tr(
                    .th(.text("Indikator")), .th(.text("Siste verdi")), .th(.text("Endring")),
                    .th(.text("Neste ambisjon")),
                    .th(.text("Endelig ambisjon")), .th(.text("Beregnet status")), .th(.text("Vurdert status")),
                    .th(.text("Klarhet")))),
            .tbody(
                .forEach(group.summaries) { s in
                    .tr(
                        .td(.a(.href(SiteURL.indicator(s.indicator.id).path), .text(s.indicator.name))),
                        .td(.text(s.latestText)), .td(.text(s.changeText)),
                        .td(.text(s.ambitionText(s.nextAmbition))), .td(.text(s.ambitionText(s.finalAmbition))),
                        .td(Fragments.progressBadge(s.progress.category)), .td(Fragments.assessed(s.assessed)),
                        .td(Fragments.readinessBadge(s.indicator.readiness)))
                }))
    }
}

public struct DashboardModel: Sendable {
    public let groups: [IndicatorGroup]

    /// The indicators the dashboard shows: the ones given a place on it.
    public static func shows(_ indicator: Indicator) -> Bool { indicator.dashboardOrder != nil }

    public init(dataset d: Dataset, today: Day, assessed: [String: PublishedAssessment] = [:]) {
        self.groups = IndicatorGroup.groups(
            d, today: today, include: Self.shows,
            order: { ($0.dashboardOrder ?? 0) < ($1.dashboardOrder ?? 0) }, assessed: assessed)
    }
}

/// `/dashbord`: the councils' curated few indicators per goal, as cards.
public enum DashboardView {
    public static func render(_ m: DashboardModel) -> String {
        PageFrame(
            title: "Dashbord",
            description: "Et fåtall sentrale indikatorer per mål, med siste verdi, ambisjon og status.",
            path: SiteURL.dashboard.path
        ).render(
            .h1(.text("Dashbord for strategien")),
            .p(
                .class("lead"),
                .text(
                    "Et fåtall sentrale indikatorer per overordnet mål og strategisk mål. "
                        + """
                        «Klar» betyr at det rapporteres og finnes data; «Under arbeid» at siste avklaringer eller \
                        data mangler.
                        """
                )),
            .forEach(m.groups) { group in
                .section(
                    .class("dashboard-group"), .attribute(named: "aria-labelledby", value: group.id),
                    .h2(.id(group.id), group.url.map { .a(.href($0), .text(group.title)) } ?? .text(group.title)),
                    .ul(.class("cards three"), .forEach(group.summaries) { s in card(s) }))
            },
            .p(.a(.href(SiteURL.indicators.path), .text("Se alle indikatorene")))
        )
    }

    static func card(_ s: IndicatorSummary) -> Node<HTML.ListContext> {
        .li(
            .class("card indicator-card"),
            .h3(.a(.href(SiteURL.indicator(s.indicator.id).path), .text(s.indicator.name))),
            .p(Fragments.readinessBadge(s.indicator.readiness)),
            .div(
                .class("card-figures"),
                .raw(s.sparkline),
                s.series.latest.map { .p(.class("big-number"), .text(s.indicator.unit.format($0.value))) }
                    ?? .p(.class("no-data"), .text("Ingen data ennå"))),
            Fragments.facts([
                ("Periode", .text(s.series.latest?.period.norwegian ?? "–")),
                ("Endelig ambisjon", .text(s.ambitionText(s.finalAmbition))),
                ("Beregnet status", Fragments.progressBadge(s.progress.category)),
                ("Vurdert status", Fragments.assessed(s.assessed)),
            ]))
    }
}
