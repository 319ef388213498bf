import Charts
import Domain
@preconcurrency import Plot
import Routes

public struct IndicatorPageModel: Sendable {
    /// Council cases that dealt with this ("behandlet i"), newest first.
    public var handledIn: [CaseReference] = []
    public let summary: IndicatorSummary
    public let goals: [Goal]
    public let overarching: OverarchingGoal?
    public let projection: Projection?
    public let chartSVG: String?
    public let breakdownSVGs: [(dimension: String, svg: String, period: String)]
    public let canImport: Bool
    /// The measurements the table shows (all of them, or a summary when there are very many).
    public let tableRows: [IndicatorMeasurement]
    public let measurementCount: Int

    public init(
        dataset d: Dataset, indicator: Indicator, today: Day, canImport: Bool, assessed: PublishedAssessment? = nil
    ) {
        let series = d.series(of: indicator)
        self.summary = IndicatorSummary(
            series: series, today: today, strategyEnd: d.strategy.periodEnd, assessed: assessed)
        self.goals = indicator.goalIds.compactMap(d.goal)
        self.overarching = d.overarchingGoals.first { $0.id == indicator.overarchingGoalId }
        self.projection = summary.projection
        self.canImport = canImport
        let chart = IndicatorChart(series: series, projection: projection)
        self.chartSVG =
            chart.isEmpty
            ? nil
            : chart.svg(
                title: "\(indicator.name): utvikling over tid",
                description: IndicatorPageModel.describe(
                    series, projection: projection,
                    horizonYear: summary.horizonYear), id: "indikator-graf")
        self.breakdownSVGs = series.breakdowns.enumerated().map { (i, b) in
            // Each member at its latest period; a breakdown with very many members shows its highest values.
            let all = b.members.compactMap { member -> BreakdownBars.Bar? in
                guard let last = member.measurements.last else { return nil }
                return BreakdownBars.Bar(
                    label: member.member, value: last.value, text: indicator.unit.format(last.value))
            }
            let bars = all.count <= Self.maxBars ? all : Array(all.sorted { $0.value > $1.value }.prefix(Self.maxBars))
            let periods = Set(b.members.compactMap { $0.measurements.last?.period.norwegian }).sorted().joined(
                separator: ", ")
            let text = bars.map { "\($0.label): \($0.text)" }.joined(separator: ", ")
            return (
                b.dimension,
                BreakdownBars.svg(
                    bars, ceiling: indicator.unit.ceiling, title: "\(indicator.name) etter \(b.dimension)",
                    description: "Siste måling per \(b.dimension) (\(periods)): \(text).", id: "inndeling-\(i)"),
                all.count <= Self.maxBars ? periods : "\(periods); de \(Self.maxBars) høyeste av \(all.count)"
            )
        }
        // The table lists every value up to a limit; beyond it the headline series and the latest period's breakdowns,
        // and the download has everything (a page must stay readable however much is imported).
        let latest = series.measurements.last?.period
        self.tableRows =
            series.measurements.count <= Self.maxTableRows
            ? series.measurements
            : Array(series.measurements.filter { $0.isHeadline || $0.period == latest }.prefix(Self.maxTableRows))
        self.measurementCount = series.measurements.count
    }

    public static let maxBars = 50
    static let describedValues = 100
    public static let maxTableRows = 1_000

    /// The chart's text alternative: what it shows, in words.
    static func describe(_ s: IndicatorSeries, projection: Projection?, horizonYear: Int) -> String {
        let unit = s.indicator.unit
        var parts: [String] = []
        // A text alternative stays readable: the latest values when there are very many.
        let values = s.headline.suffix(Self.describedValues).map { "\($0.period.norwegian): \(unit.format($0.value))" }
        let label =
            s.headline.count > Self.describedValues
            ? "Målinger (de siste \(Self.describedValues) av \(s.headline.count)): " : "Målinger: "
        parts.append(values.isEmpty ? "Ingen målinger ennå." : label + values.joined(separator: ", ") + ".")
        if !s.ambitions.isEmpty {
            parts.append(
                "Ambisjoner: "
                    + s.ambitions.map {
                        "\(unit.format($0.value)) i \($0.period.norwegian) (\($0.state.name.lowercased()))"
                    }.joined(separator: ", ") + ".")
        }
        for b in s.breaks { parts.append("Brudd i serien i \(b.period.norwegian): \(b.note).") }
        if let p = projection {
            parts.append("Stiplet trendlinje (illustrasjon) mot \(unit.format(p.to.value)) i \(horizonYear).")
        }
        return parts.joined(separator: " ")
    }
}

/// `/indikatorer/<id>`: definition, chart, how the status was computed, breakdowns and the data behind it all.
public enum IndicatorPageView {
    public static func render(_ m: IndicatorPageModel) -> String {
        let ind = m.summary.indicator
        let s = m.summary.series
        let p = m.summary.progress
        let unit = ind.unit
        return PageFrame(
            title: ind.name, description: ind.description, path: SiteURL.indicator(ind.id).path,
            breadcrumbs: [("Indikatorer", SiteURL.indicators.path)]
        ).render(
            .h1(.text(ind.name)),
            EditLinks.structure(.indicator, id: ind.id),
            .p(Fragments.readinessBadge(ind.readiness), .text(" "), Fragments.progressBadge(p.category)),
            .p(.class("lead"), .text(ind.description)),
            .section(
                .attribute(named: "aria-labelledby", value: "status"),
                .h2(.id("status"), .text("Status")),
                Fragments.facts([
                    ("Siste verdi", .text(m.summary.latestText)),
                    ("Endring", .text(m.summary.changeText)),
                    ("Neste ambisjon", .text(m.summary.ambitionText(m.summary.nextAmbition))),
                    ("Endelig ambisjon", .text(m.summary.ambitionText(m.summary.finalAmbition))),
                    ("Beregnet status", Fragments.progressBadge(p.category)),
                    (
                        "Vurdert status",
                        m.summary.assessed.map { a in
                            .group(
                                Fragments.assessed(a),
                                a.assessment.comment.isEmpty ? .empty : .text(": " + a.assessment.comment))
                        } ?? .text("Ikke vurdert i en publisert statusrapport ennå")
                    ),
                ])),
            m.chartSVG.map { svg in
                Fragments.element(
                    "figure", .class("indicator-figure"),
                    .div(.class("svg-scroll chart"), .raw(svg)),
                    Fragments.element(
                        "figcaption",
                        .text(
                            """
                            Målte verdier, ambisjoner og trend. Trendlinjen er en minste kvadraters linje gjennom \
                            målingene etter siste brudd,\u{20}
                            """
                                + """
                                trukket til \(m.summary.horizonYear) som illustrasjon – ikke en prognose. Tallene \
                                står i tabellen under.
                                """
                        )))
            } ?? .p(.class("empty"), .text("Ingen målinger eller ambisjoner å vise ennå.")),
            .section(
                .attribute(named: "aria-labelledby", value: "beregning"),
                .h2(.id("beregning"), .text("Slik er statusen beregnet")),
                .ol(.forEach(p.explanation) { .li(.text($0)) }),
                .h3(.text("Alternativ beregning: vekstrate (Open SDG-metoden)")),
                p.secondOpinion.map { so in
                    .p(
                        .text(
                            """
                            Årlig vekst så langt \(Progress.decimal(so.actualRate * 100, 1)) %, nødvendig for å \
                            nå den siste ambisjonen \(Progress.decimal(so.requiredRate * 100, 1)) % per år;\u{20}
                            """
                                + "forholdstall \(Progress.decimal(so.ratio, 2)): \(so.label)."))
                } ?? .p(.text(p.secondOpinionNote.isEmpty ? "Ikke beregnet." : p.secondOpinionNote)),
                .p(.a(.href(SiteURL.indicatorMethod.path), .text("Om metoden")))),
            .if(
                !m.breakdownSVGs.isEmpty,
                .section(
                    .attribute(named: "aria-labelledby", value: "inndelinger"),
                    .h2(.id("inndelinger"), .text("Inndelinger")),
                    .div(
                        .class("small-multiples"),
                        .forEach(m.breakdownSVGs) { b in
                            Fragments.element(
                                "figure", .class("breakdown-figure"), .raw(b.svg),
                                Fragments.element("figcaption", .text("Etter \(b.dimension), \(b.period).")))
                        }))),
            .section(
                .attribute(named: "aria-labelledby", value: "tall"),
                .h2(.id("tall"), .text("Tallene")),
                m.tableRows.count < m.measurementCount
                    ? .p(
                        .class("notice"),
                        .text(
                            "Tabellen viser hovedserien og inndelingene for siste periode: "
                                + "\(NumberText.norwegian(Double(m.tableRows.count), decimals: 0)) av "
                                    + """
                                    \(NumberText.count(m.measurementCount, "måling", "målinger")). Alle står i \
                                    CSV-filen under.
                                    """
                        ))
                    : .empty,
                s.measurements.isEmpty
                    ? .p(.class("empty"), .text("Ingen målinger er registrert."))
                    : .div(
                        .class("table-scroll"),
                        .table(
                            .class("data"),
                            .caption(.text("Målinger for \(ind.name)")),
                            .thead(
                                .tr(
                                    .th(.text("Periode")), .th(.text("Inndeling")), .th(.text("Verdi")),
                                    .th(.text("Merknad")), .th(.text("Kilde")))),
                            .tbody(
                                .forEach(m.tableRows) { x in
                                    .tr(
                                        .td(.class("nowrap"), .text(x.period.norwegian)),
                                        .td(.text(x.isHeadline ? "Hele landet / alle" : "\(x.dimension): \(x.member)")),
                                        .td(.class("nowrap"), .text(unit.format(x.value))), .td(.text(x.note)),
                                        .td(.text(x.source)))
                                }))),
                .if(
                    !s.ambitions.isEmpty,
                    .div(
                        .class("table-scroll"),
                        .table(
                            .class("data"),
                            .caption(.text("Ambisjoner")),
                            .thead(
                                .tr(
                                    .th(.text("Periode")), .th(.text("Verdi")), .th(.text("Status")),
                                    .th(.text("Merknad")))),
                            .tbody(
                                .forEach(s.ambitions) { a in
                                    .tr(
                                        .td(.text(a.period.norwegian)), .td(.text(unit.format(a.value))),
                                        .td(.text(a.state.name)), .td(.text(a.note)))
                                })))),
                ind.noAmbitionReason.isEmpty
                    ? .empty
                    : .p(.class("notice"), .strong(.text("Ingen ambisjon foreslått: ")), .text(ind.noAmbitionReason)),
                .if(
                    !s.breaks.isEmpty,
                    .group(
                        .h3(.text("Brudd i serien")),
                        .ul(
                            .forEach(s.breaks.enumerated().map { $0 }) { (i, b) in
                                .li(.text("Brudd \(i + 1), \(b.period.norwegian): \(b.note)"))
                            }))),
                .p(
                    Fragments.el(
                        "a", .class("button secondary"),
                        Fragments.attr("href", SiteURL.indicator(ind.id).path + ".csv"),
                        Fragments.attr("download", "indikator-\(ind.id).csv"),
                        .text("Last ned tallene (CSV)")),
                    m.canImport
                        ? .group(
                            .text(" "),
                            Fragments.el(
                                "a", .class("button secondary"),
                                Fragments.attr("href", SiteURL.indicatorValues(ind.id).path),
                                .text("Endre verdier")), .text(" "),
                            Fragments.el(
                                "a", .class("button secondary"),
                                Fragments.attr("href", SiteURL.indicatorImport(ind.id).path),
                                .text("Importer målinger"))) : .empty)),
            .section(
                .attribute(named: "aria-labelledby", value: "definisjon"),
                .h2(.id("definisjon"), .text("Definisjon")),
                Fragments.facts([
                    ("Hva måles", .text(ind.description)),
                    ("Kilde", .text(ind.source.isEmpty ? "Ikke oppgitt" : ind.source)),
                    ("Frekvens", .text(ind.frequency.name)),
                    ("Type", .text(ind.kind.name)),
                    ("Enhet", .text(unit.name)),
                    ("Retning", .text(ind.direction.name)),
                    ("Klarhet", .text(ind.readiness.name)),
                    (
                        "Mål",
                        m.goals.isEmpty && m.overarching == nil && !ind.international
                            ? .text("–")
                            : .group(
                                .group(
                                    m.goals.map { g in
                                        .group(
                                            .a(.href(SiteURL.goal(g.id).path), .text("Mål \(g.id): \(g.title)")),
                                            .text(" "))
                                    }),
                                m.overarching.map { .text("Overordnet mål: \($0.title)") } ?? .empty,
                                ind.international ? .text("Internasjonal måling") : .empty)
                    ),
                    ("Id", .code(.text(ind.id))),
                ])),
            Fragments.handledIn(m.handledIn)
        )
    }
}

/// `/indikatorer/metode`: the progress method in plain Norwegian (docs/progress-method.md is the developers' version).
public enum ProgressMethodView {
    public static func render() -> String {
        PageFrame(
            title: "Slik beregnes fremdrift",
            description: "Metoden Veikart bruker for å beregne status for indikatorene.",
            path: SiteURL.indicatorMethod.path, breadcrumbs: [("Indikatorer", SiteURL.indicators.path)]
        ).render(
            .h1(.text("Slik beregnes fremdrift")),
            .p(
                .class("lead"),
                .text(
                    """
                    Statusen for en indikator beregnes fra målingene og ambisjonene. Hver indikatorside viser \
                    tallene og mellomregningene, så du kan regne etter selv.
                    """
                )),
            .ol(
                .li(
                    .strong(.text("Sammenlignbare målinger. ")),
                    .text(
                        """
                        Hovedserien (uten inndeling) fra og med siste brudd i serien. Første måling er \
                        grunnlinjen, siste måling er «nå».
                        """
                    )),
                .li(
                    .strong(.text("Ambisjonsbanen. ")),
                    .text(
                        """
                        En rett linje fra grunnlinjen gjennom hver ambisjon (år eller kvartal) fram til den \
                        siste. Målinger og ambisjoner plasseres midt i sin periode (2022 = midten av 2022).
                        """
                    )),
                .li(
                    .strong(.text("Nådd. ")),
                    .text(
                        """
                        Er siste måling på eller bedre enn den siste ambisjonen (i riktig retning), er statusen \
                        «Nådd» – også med bare én måling.
                        """
                    )),
                .li(
                    .strong(.text("Forholdstall. ")),
                    .text(
                        """
                        Hvor stor del av endringen banen krever fram til nå, som er oppnådd. For andeler, verdier \
                        nær taket og små eller null-grunnlinjer:\u{20}
                        """
                            + """
                            (siste − grunnlinje) / (banen nå − grunnlinje). For antall og beløp: ln(siste / \
                            grunnlinje) / ln(banen nå / grunnlinje).
                            """
                    )),
                .li(
                    .strong(.text("Kategori. ")),
                    .text(
                        """
                        Minst 0,95: «I rute». Over 0: «Noe fremgang». Ellers: «Ingen fremgang eller \
                        tilbakegang». Uten ambisjon: «Ingen ambisjon». Med færre enn to sammenlignbare \
                        målinger: «For lite data».
                        """
                    ))
            ),
            .p(
                .text(
                    """
                    Retningen (høyere eller lavere er bedre) er alltid oppgitt for indikatoren; uten retning \
                    brukes retningen fra grunnlinjen mot ambisjonen.\u{20}
                    """
                        + """
                        Som alternativ beregning vises Open SDG-metoden: årlig vekstrate hittil mot vekstraten \
                        som trengs for å nå siste ambisjon (grenser 95 %, 60 % og 0).\u{20}
                        """
                            + """
                            Trendlinjen er en minste kvadraters linje gjennom målingene etter siste brudd, trukket \
                            til året for\u{20}
                            """
                            + """
                            indikatorens siste ambisjon (uten ambisjon: strategiperiodens siste år), og er en \
                            illustrasjon,\u{20}
                            """
                        + "ikke en prognose.")),
            .p(
                .text(
                    """
                    Ved siden av den beregnede statusen står statusen som er vurdert i statusrapportene, så avvik \
                    blir synlige.
                    """
                ))
        )
    }
}
