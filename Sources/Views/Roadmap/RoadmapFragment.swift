import Charts
import Domain
@preconcurrency import Plot
import Routes

/// The roadmap picture (server-side SVG) with its equivalent tables, used on every page that shows a roadmap.
public struct RoadmapFragment: Sendable {
    public let roadmap: Roadmap
    public let downloadURL: String
    let layout: GanttLayout
    let description: String
    let idPrefix: String
    public let headingLevel: Int
    public let title: String

    public init(
        roadmap: Roadmap, title: String, today: Day, downloadURL: String, headingLevel: Int = 2,
        idPrefix: String = "veikart"
    ) {
        self.roadmap = roadmap
        self.title = title
        self.downloadURL = downloadURL
        self.headingLevel = headingLevel
        let axis = roadmap.axis
        self.layout = GanttLayout(roadmap: roadmap, fromYear: axis.lowerBound, toYear: axis.upperBound, today: today)
        self.description = RoadmapFragment.describe(roadmap, axis: axis)
        self.idPrefix = idPrefix
    }

    /// The drawing as a file: a picture, its own heading, no links.
    public var svg: String { GanttSVG.render(layout, title: title, description: description, id: idPrefix) }

    public static func describe(_ roadmap: Roadmap, axis: ClosedRange<Int>) -> String {
        """
        Gantt-diagram over \(axis.lowerBound)–\(axis.upperBound) med \
        \(NumberText.count(roadmap.activityCount, "aktivitet", "aktiviteter")) og\u{20}
        """
            + "\(NumberText.count(roadmap.milestoneCount, "milepæl", "milepæler")), "
                + """
                gruppert etter delmål, tiltak og aktør og farget etter fase i verdikjeden. Samme innhold står i \
                tabellen under figuren.
                """
    }

    public func render() -> Node<HTML.BodyContext> {
        guard !roadmap.isEmpty else {
            return .p(.class("empty"), .text("Ingen aktiviteter eller milepæler passer til utvalget."))
        }
        return .group(
            // The key before the chart, so a long chart is not read without it (the drawing repeats it at its foot).
            .ul(
                .class("phase-legend"), .attribute(named: "aria-label", value: "Faser i verdikjeden"),
                .forEach(roadmap.phases.all) { .li(Fragments.phaseLabel($0.code, in: roadmap.phases)) }),
            // Every bar is a link: keyboard users can pass the drawing in one step.
            .p(.class("skip-figure"), .a(.href("#tabell-aktiviteter"), .text("Hopp over figuren til tabellen"))),
            Fragments.element(
                "figure", .class("roadmap-figure"),
                // On the page: bars and labels link to their records, and the year heading stays in view while the
                // chart scrolls inside its box.
                .div(
                    .class("svg-scroll roadmap-scroll"), .attribute(named: "tabindex", value: "0"),
                    .attribute(named: "role", value: "region"),
                    Fragments.attr("aria-label", "\(title) (rull for å se mer)"),
                    .div(.class("axis-sticky"), .raw(GanttSVG.axisHeading(layout))),
                    .raw(
                        GanttSVG.render(layout, title: title, description: description, id: idPrefix, interactive: true)
                    )),
                Fragments.element(
                    "figcaption",
                    .text(
                        "\(NumberText.count(roadmap.activityCount, "aktivitet", "aktiviteter")) og "
                            + """
                            \(NumberText.count(roadmap.milestoneCount, "milepæl", "milepæler")). Heltrukne \
                            stolper er planlagt, stiplede er tentative.\u{20}
                            """
                    ),
                    Fragments.el(
                        "a", Fragments.attr("href", downloadURL), Fragments.attr("download", "veikart.svg"),
                        .text("Last ned figuren som SVG")),
                    .text(". "),
                    .a(.href("#tabell-aktiviteter"), .text("Gå til tabellen"))
                )
            ),
            activityTable(),
            milestoneTable()
        )
    }

    func heading(_ text: String, id: String) -> Node<HTML.BodyContext> {
        let level = min(max(headingLevel + 1, 2), 6)
        return .element(named: "h\(level)", nodes: [.attribute(named: "id", value: id), .text(text)])
    }

    func activityTable() -> Node<HTML.BodyContext> {
        .div(
            .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
            .attribute(named: "role", value: "region"),
            .attribute(named: "aria-labelledby", value: "tabell-aktiviteter"),
            .table(
                .class("data roadmap-table"),
                .caption(.id("tabell-aktiviteter"), .text("Aktiviteter i veikartet (\(roadmap.activityCount))")),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text("Delmål")),
                        .th(.attribute(named: "scope", value: "col"), .text("Tiltak")),
                        .th(.attribute(named: "scope", value: "col"), .text("Aktør")),
                        .th(.attribute(named: "scope", value: "col"), .text("Fase")),
                        .th(.attribute(named: "scope", value: "col"), .text("Periode")),
                        .th(.attribute(named: "scope", value: "col"), .text("Status")),
                        .th(.attribute(named: "scope", value: "col"), .text("Beskrivelse")),
                        Viewer.current?.canEditRoadmap == true
                            ? .th(.attribute(named: "scope", value: "col"), .text("Endre")) : .empty
                    )),
                .tbody(
                    .forEach(rows()) { row in
                        .tr(
                            .id("aktivitet-\(row.activity.id)"), .class("activity-row"),
                            .data(named: "phase", value: row.activity.phase.rawValue),
                            .data(named: "actor", value: row.activity.actorSlug),
                            .td(.text(row.section)),
                            .td(
                                .a(
                                    .href(SiteURL.initiative(row.initiative.slug).path),
                                    .text(row.initiative.shortTitle))),
                            .td(.text(row.actorName)),
                            .td(Fragments.phaseLabel(row.activity.phase, in: roadmap.phases)),
                            .td(
                                .class("nowrap"), .text(row.activity.span.norwegian),
                                Fragments.baseline(row.activity.baseline, current: row.activity.span.end)),
                            .td(
                                .text(Fragments.planning(row.activity.tentative, done: row.activity.done)),
                                Fragments.delay(row.activity.delay)),
                            .td(.text(row.activity.description)),
                            editCell(row.activity))
                    })
            )
        )
    }

    /// Edit and history links for those allowed to edit; nothing for everyone else.
    func editCell(_ a: Activity) -> Node<HTML.TableRowContext> {
        guard let viewer = Viewer.current, viewer.canEditRoadmap else { return .empty }
        guard viewer.canEdit(a) else { return .td() }
        return .td(
            .class("nowrap"), .a(.href(SiteURL.record(.activity, a.id, .edit).path), .text("Endre")),
            .text(" · "),
            .a(.href(SiteURL.record(.activity, a.id, .history).path), .text("Historikk")))
    }

    func milestoneEditCell(_ m: Milestone) -> Node<HTML.TableRowContext> {
        guard let viewer = Viewer.current, viewer.canEditRoadmap else { return .empty }
        guard viewer.canEditRoadmapItem(actorSlug: m.actorSlug) else { return .td() }
        return .td(
            .class("nowrap"), .a(.href(SiteURL.record(.milestone, m.id, .edit).path), .text("Endre")),
            .text(" · "),
            .a(.href(SiteURL.record(.milestone, m.id, .history).path), .text("Historikk")))
    }

    struct Row {
        let section: String
        let initiative: Initiative
        let actorName: String
        let activity: Activity
    }

    func rows() -> [Row] {
        roadmap.sections.flatMap { section in
            section.initiatives.flatMap { group in
                group.rows.flatMap { row in
                    row.activities.map {
                        Row(
                            section: section.subgoal.map { "Delmål \($0.id)" }
                                ?? "Prioritert nr. \(group.initiative.priorityRank ?? 0)",
                            initiative: group.initiative, actorName: row.actor?.name ?? "", activity: $0)
                    }
                }
            }
        }
    }

    func milestoneTable() -> Node<HTML.BodyContext> {
        let items = roadmap.sections.flatMap { s in
            s.initiatives.flatMap { g in g.rows.flatMap { r in r.milestones.map { (g.initiative, r.actor, $0) } } }
        }
        guard !items.isEmpty else { return .empty }
        return .div(
            .class("table-scroll"), .attribute(named: "tabindex", value: "0"),
            .attribute(named: "role", value: "region"),
            .attribute(named: "aria-labelledby", value: "tabell-milepaler"),
            .table(
                .class("data milestone-table"),
                .caption(.id("tabell-milepaler"), .text("Milepæler (\(items.count))")),
                .thead(
                    .tr(
                        .th(.attribute(named: "scope", value: "col"), .text("Tiltak")),
                        .th(.attribute(named: "scope", value: "col"), .text("Aktør")),
                        .th(.attribute(named: "scope", value: "col"), .text("Milepæl")),
                        .th(.attribute(named: "scope", value: "col"), .text("Dato")),
                        .th(.attribute(named: "scope", value: "col"), .text("Status")),
                        .th(.attribute(named: "scope", value: "col"), .text("Beskrivelse")),
                        Viewer.current?.canEditRoadmap == true
                            ? .th(.attribute(named: "scope", value: "col"), .text("Endre")) : .empty
                    )),
                .tbody(
                    .forEach(items) { item in
                        .tr(
                            .class("milestone-row"),
                            .td(.a(.href(SiteURL.initiative(item.0.slug).path), .text(item.0.shortTitle))),
                            .td(.text(item.1?.name ?? "Hele tiltaket")),
                            .td(.text(item.2.kind.name)),
                            .td(.class("nowrap"), .text(item.2.date.norwegian)),
                            .td(.text(Fragments.planning(item.2.tentative, done: item.2.done))),
                            .td(.text(item.2.description)),
                            milestoneEditCell(item.2))
                    })
            )
        )
    }
}
