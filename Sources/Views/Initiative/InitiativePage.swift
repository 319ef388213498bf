import Domain
@preconcurrency import Plot
import Routes

public struct InitiativePageModel: Sendable {
    /// Council cases that dealt with this ("behandlet i"), newest first.
    public var handledIn: [CaseReference] = []
    /// What the actors reported for it in each closed reporting round, newest first, beside what the data says.
    public var roundStatuses: [RoundStatusRow] = []
    /// Whether a milestone trend is worth linking to (it has milestones, or had them in a version).
    public var hasMilestones = false
    public let initiative: Initiative
    public let phases: PhaseCatalog
    public let subgoals: [Subgoal]
    public let roadmap: RoadmapFragment
    public let years: [Int]
    public let selectedYear: Int?
    public let yearPlan: [(actor: Actor, activities: [Activity])]

    public init(dataset d: Dataset, initiative: Initiative, year: Int?, today: Day) {
        self.initiative = initiative
        self.phases = d.strategy.phases
        self.subgoals = initiative.subgoalIds.compactMap { d.subgoal($0) }
        self.roadmap = RoadmapFragment(
            roadmap: Roadmap(dataset: d, filter: RoadmapFilter(initiative: initiative.slug)),
            title: "Veikart for \(initiative.title)", today: today,
            downloadURL: SiteURL.roadmapSVG.path + "?tiltak=\(initiative.slug)")
        let years = Roadmap.years(dataset: d, initiative: initiative.slug)
        // A chosen year without activity is still offered, so the selector shows what the heading says.
        self.years = year.map { y in years.contains(y) ? years : (years + [y]).sorted() } ?? years
        // Without a choice: this year if anything happens then, else the next year that has something, else the last.
        let chosen = year ?? (years.contains(today.year) ? today.year : years.first { $0 > today.year } ?? years.last)
        self.selectedYear = chosen
        self.yearPlan = chosen.map { Roadmap.yearPlan(dataset: d, initiative: initiative.slug, year: $0) } ?? []
    }
}

/// One reporting round's line on an initiative page.
public struct RoundStatusRow: Sendable {
    public let round: String
    public let statuses: [(actor: String, assessment: Assessment)]
    /// Nil for a round that published no version (nothing to compute against).
    public let delayed: Int?
    public let overdue: Int?
    public let disagreement: String?
    public init(
        round: String, statuses: [(actor: String, assessment: Assessment)], delayed: Int?, overdue: Int?,
        disagreement: String?
    ) {
        self.round = round
        self.statuses = statuses
        self.delayed = delayed
        self.overdue = overdue
        self.disagreement = disagreement
    }
}

public enum InitiativePageView {
    static func facts(_ m: InitiativePageModel) -> Node<HTML.BodyContext> {
        let i = m.initiative
        var items: [(term: String, value: Node<HTML.BodyContext>)] = [("Type", .text(i.kind.name))]
        if i.shortTitle != i.title { items.append(("Kortnavn", .text(i.shortTitle))) }
        if !i.target.isEmpty { items.append(("Målsetting", .text(i.target))) }
        items.append(
            (
                "Delmål",
                .ul(
                    .class("inline"),
                    .forEach(m.subgoals) { s in
                        .li(.a(.href(SiteURL.subgoal(s.id).path), .text("\(s.id) \(s.title)")))
                    })
            ))
        return Fragments.facts(items)
    }

    public static func render(_ m: InitiativePageModel) -> String {
        let i = m.initiative
        let crumbs: [(name: String, url: String)] =
            [("Strategien", SiteURL.home.path)]
            + (m.subgoals.first.map { [("Delmål \($0.id)", SiteURL.subgoal($0.id).path)] } ?? [])
        return PageFrame(
            title: i.title, description: i.target.isEmpty ? i.description : i.target,
            path: SiteURL.initiative(i.slug).path, breadcrumbs: crumbs
        ).render(
            .h1(.text(i.title), .text(" "), Fragments.priorityBadge(i.priorityRank)),
            EditLinks.structure(.initiative, id: i.slug),
            EditLinks.newRoadmapItems(initiative: i.slug),
            facts(m),
            Fragments.paragraphs(i.description),
            .section(
                .attribute(named: "aria-labelledby", value: "veikart"),
                .h2(.id("veikart"), .text("Veikart")),
                m.roadmap.render()),
            m.hasMilestones
                ? .p(
                    .a(
                        .href(SiteURL.milestoneTrend(initiative: i.slug).path),
                        .text("Milepæltrend: datoene over veikartversjonene")))
                : .empty,
            yearSection(m),
            roundSection(m),
            Fragments.handledIn(m.handledIn)
        )
    }

    static func roundSection(_ m: InitiativePageModel) -> Node<HTML.BodyContext> {
        guard !m.roundStatuses.isEmpty else { return .empty }
        return .section(
            .attribute(named: "aria-labelledby", value: "runder"),
            .h2(.id("runder"), .text("Status i rapporteringsrundene")),
            .p(
                .text(
                    """
                    Status slik aktørene rapporterte den, ved siden av det dataene viser: nye vesentlige \
                    forsinkelser i versjonen\u{20}
                    """
                        + "runden publiserte, og leveranser som var forfalt ved fristen uten å være ferdige.")),
            .div(
                .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
                .attribute(named: "role", value: "region"),
                .attribute(named: "aria-label", value: "Status i rapporteringsrundene"),
                .table(
                    .class("data"),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), .text("Runde")),
                            .th(.attribute(named: "scope", value: "col"), .text("Rapportert status")),
                            .th(.attribute(named: "scope", value: "col"), .text("Nye forsinkelser")),
                            .th(.attribute(named: "scope", value: "col"), .text("Forfalt ved fristen")),
                            .th(.attribute(named: "scope", value: "col"), .text("Samsvar")))),
                    .tbody(
                        .forEach(m.roundStatuses) { r in
                            .tr(
                                .td(.text(r.round)),
                                .td(
                                    r.statuses.isEmpty
                                        ? .text("Ikke rapportert")
                                        : .ul(
                                            .class("plain"),
                                            .forEach(r.statuses) { s in
                                                .li(
                                                    .strong(.text(s.actor + ": ")),
                                                    .text(s.assessment.status.map { "\($0.symbol) " } ?? ""),
                                                    .text(s.assessment.statusText),
                                                    s.assessment.comment.isEmpty
                                                        ? .empty : .text(" – " + s.assessment.comment))
                                            })),
                                .td(.text(r.delayed.map(String.init) ?? "–")),
                                .td(.text(r.overdue.map(String.init) ?? "–")),
                                .td(
                                    r.disagreement.map { .strong(.text("⚠ " + $0)) }
                                        ?? .text(r.delayed == nil ? "–" : "Ingen avvik")))
                        })))
        )
    }

    static func yearSection(_ m: InitiativePageModel) -> Node<HTML.BodyContext> {
        guard let year = m.selectedYear else { return .empty }
        return .section(
            .attribute(named: "aria-labelledby", value: "aarsplan"), .id("ar"),
            .h2(.id("aarsplan"), .text("Hva skjer i \(year)")),
            Fragments.el(
                "form", .class("inline-form"), Fragments.attr("method", "get"),
                Fragments.attr("action", SiteURL.initiative(m.initiative.slug).path(fragment: "ar")),
                Fragments.select(
                    name: "ar", id: "ar-velger", label: "Velg år", options: m.years.map { (String($0), String($0)) },
                    selected: String(year), allLabel: nil),
                Fragments.el("button", Fragments.attr("type", "submit"), .text("Vis"))
            ),
            m.yearPlan.isEmpty ? .p(.text("Ingen aktiviteter i \(year).")) : yearTable(m, year: year)
        )
    }

    static func yearTable(_ m: InitiativePageModel, year: Int) -> Node<HTML.BodyContext> {
        .div(
            .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
            .attribute(named: "role", value: "region"),
            .attribute(named: "aria-labelledby", value: "aarsplan-tabell"),
            .table(
                .class("data year-plan"),
                .caption(.id("aarsplan-tabell"), .text("Per aktør: hva som skal skje i \(year), og totalperioden")),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text("Hvem")),
                        .th(.attribute(named: "scope", value: "col"), .text("Hva skal skje i \(year)")),
                        .th(.attribute(named: "scope", value: "col"), .text("Fase")),
                        .th(.attribute(named: "scope", value: "col"), .text("Totalperiode")))),
                .tbody(.group(m.yearPlan.flatMap { yearRows($0, phases: m.phases) }))
            )
        )
    }

    static func yearRows(_ entry: (actor: Actor, activities: [Activity]), phases: PhaseCatalog) -> [Node<
        HTML.TableContext
    >] {
        entry.activities.enumerated().map { (index, a) in
            let who: Node<HTML.TableRowContext> =
                index == 0
                ? .th(
                    .attribute(named: "scope", value: "rowgroup"),
                    .attribute(named: "rowspan", value: String(entry.activities.count)),
                    .a(.href(SiteURL.actor(entry.actor.slug).path), .text(entry.actor.name)))
                : .empty
            let phase: Node<HTML.BodyContext> = Fragments.phaseLabel(a.phase, in: phases)
            return .tr(
                who,
                .td(.text(a.description)),
                .td(phase),
                .td(.class("nowrap"), .text(a.span.norwegian + (a.tentative ? " (tentativ)" : ""))))
        }
    }
}
