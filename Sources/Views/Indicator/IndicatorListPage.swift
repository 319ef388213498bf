@preconcurrency import Plot
import Domain

public struct IndicatorListModel: Sendable {
    public let groups: [IndicatorGroup]
    public let count: Int

    public init(dataset d: Dataset, today: Day) {
        self.groups = IndicatorGroup.groups(d, today: today, include: { _ in true }, order: { _, _ in false })
        self.count = d.indicators.count
    }
}

/// `/indikatorer`: every indicator, grouped by overarching and strategic goal, with its figures and computed status.
public enum IndicatorListView {
    public static func render(_ m: IndicatorListModel) -> String {
        PageFrame(title: "Indikatorer", description: "Alle indikatorene for strategien med siste verdi, ambisjoner og fremdrift.",
                  path: "/indikatorer").render(
            .h1(.text("Indikatorer")),
            .p(.class("lead"), .text(NumberText.count(m.count, "indikator konkretiserer", "indikatorer konkretiserer")
                                     + " hva strategien skal oppnå per mål. Statusen er beregnet fra målingene og ambisjonsbanen "
                                     + "mot hver indikators siste ambisjon; "),
               .a(.href("/indikatorer/metode"), .text("slik beregnes den")), .text(". Det kuraterte utvalget står på "), .a(.href("/dashbord"), .text("dashbordet")), .text(".")),
            .nav(.attribute(named: "aria-label", value: "Grupper"), .ul(.class("compact"), .forEach(m.groups) { g in
                .li(.a(.href("#\(g.id)"), .text(g.title)), .text(" (\(g.summaries.count))"))
            })),
            .forEach(m.groups) { group in
                .section(.attribute(named: "aria-labelledby", value: group.id),
                    .h2(.id(group.id), group.url.map { .a(.href($0), .text(group.title)) } ?? .text(group.title)),
                    .div(.class("table-scroll"), table(group)))
            }
        )
    }

    static func table(_ group: IndicatorGroup) -> Node<HTML.BodyContext> {
        .table(.class("data"),
            .caption(.text("Indikatorer – \(group.title)")),
            .thead(.tr(.th(.text("Indikator")), .th(.text("Siste verdi")), .th(.text("Endring")), .th(.text("Neste ambisjon")),
                       .th(.text("Endelig ambisjon")), .th(.text("Status")), .th(.text("Klarhet")))),
            .tbody(.forEach(group.summaries) { s in
                .tr(.td(.a(.href("/indikatorer/\(s.indicator.id)"), .text(s.indicator.name))),
                    .td(.text(s.latestText)), .td(.text(s.changeText)),
                    .td(.text(s.ambitionText(s.nextAmbition))), .td(.text(s.ambitionText(s.finalAmbition))),
                    .td(Fragments.progressBadge(s.progress.category)), .td(Fragments.readinessBadge(s.indicator.readiness)))
            }))
    }
}

public struct DashboardModel: Sendable {
    public let groups: [IndicatorGroup]

    /// The indicators the dashboard shows: the ones given a place on it.
    public static func shows(_ indicator: Indicator) -> Bool { indicator.dashboardOrder != nil }

    public init(dataset d: Dataset, today: Day) {
        self.groups = IndicatorGroup.groups(d, today: today, include: Self.shows,
                                            order: { ($0.dashboardOrder ?? 0) < ($1.dashboardOrder ?? 0) })
    }
}

/// `/dashbord`: the councils' curated few indicators per goal, as cards.
public enum DashboardView {
    public static func render(_ m: DashboardModel) -> String {
        PageFrame(title: "Dashbord", description: "Et fåtall sentrale indikatorer per mål, med siste verdi, ambisjon og status.", path: "/dashbord").render(
            .h1(.text("Dashbord for strategien")),
            .p(.class("lead"), .text("Et fåtall sentrale indikatorer per overordnet mål og strategisk mål. "
                                     + "«Klar» betyr at det rapporteres og finnes data; «Under arbeid» at siste avklaringer eller data mangler.")),
            .forEach(m.groups) { group in
                .section(.class("dashboard-group"), .attribute(named: "aria-labelledby", value: group.id),
                    .h2(.id(group.id), group.url.map { .a(.href($0), .text(group.title)) } ?? .text(group.title)),
                    .ul(.class("cards three"), .forEach(group.summaries) { s in card(s) }))
            },
            .p(.a(.href("/indikatorer"), .text("Se alle indikatorene")))
        )
    }

    static func card(_ s: IndicatorSummary) -> Node<HTML.ListContext> {
        .li(.class("card indicator-card"),
            .h3(.a(.href("/indikatorer/\(s.indicator.id)"), .text(s.indicator.name))),
            .p(Fragments.readinessBadge(s.indicator.readiness)),
            .div(.class("card-figures"),
                 .raw(s.sparkline),
                 s.series.latest.map { .p(.class("big-number"), .text(s.indicator.unit.format($0.value))) } ?? .p(.class("no-data"), .text("Ingen data ennå"))),
            Fragments.facts([
                ("Periode", .text(s.series.latest?.period.norwegian ?? "–")),
                ("Endelig ambisjon", .text(s.ambitionText(s.finalAmbition))),
                ("Status", Fragments.progressBadge(s.progress.category)),
            ]))
    }
}
