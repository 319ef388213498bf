import Charts
import Domain
@preconcurrency import Plot
import Routes

public struct RoadmapPageModel: Sendable {
    public let dataset: Dataset
    public let filter: RoadmapFilter
    public let fragment: RoadmapFragment
    public let prioritizedView: Bool
    public let prioritizedCount: Int
    /// The value chain's first and last phase names, for the lead.
    public let phaseSpan: (first: String, last: String)?
    public let paging: RoadmapPaging
    /// The published version shown instead of today's roadmap (`?versjon=`), with its date.
    public let version: (number: String, published: String, missing: Int)?
    /// Every published version, newest first, for the links above the roadmap.
    public let versions: [(number: String, published: String)]

    public init(
        dataset d: Dataset, filter: RoadmapFilter, today: Day, prioritizedView: Bool = false, page: Int = 1,
        version: (number: String, published: String, missing: Int)? = nil,
        versions: [(number: String, published: String)] = []
    ) {
        self.version = version
        self.versions = versions
        self.dataset = d
        self.filter = filter
        self.prioritizedView = prioritizedView
        self.prioritizedCount = d.initiatives.filter { $0.priorityRank != nil }.count
        let phases = d.strategy.phases.all
        self.phaseSpan = phases.count > 1 ? (phases.first!.name, phases.last!.name) : nil
        self.paging = RoadmapPaging(
            Roadmap(dataset: d, filter: filter, grouping: prioritizedView ? .byPriority : .bySubgoal), page: page)
        let query = [
            filter.queryString, paging.page > 1 ? "side=\(paging.page)" : "",
            version.map { "versjon=\($0.number)" } ?? "",
        ]
        .filter { !$0.isEmpty }.joined(separator: "&")
        let svgURL =
            (prioritizedView ? SiteURL.prioritisedRoadmapSVG : SiteURL.roadmapSVG).path
            + (query.isEmpty ? "" : "?" + query)
        self.fragment = RoadmapFragment(
            roadmap: paging.roadmap,
            title: (prioritizedView
                ? "Veikart for de prioriterte tiltakene"
                : "Veikart for \(d.strategy.displayShortName)") + (version.map { ", versjon \($0.number)" } ?? ""),
            today: today, downloadURL: svgURL)
    }

    public func pageURL(_ n: Int, path: String) -> String {
        let q = filter.queryString
        let side = n > 1 ? "side=\(n)" : ""
        let all = [q, side, version.map { "versjon=\($0.number)" } ?? ""].filter { !$0.isEmpty }.joined(separator: "&")
        return path + (all.isEmpty ? "" : "?" + all)
    }
}

/// One page of a roadmap (`RoadmapPaging.size` initiatives), so a sector-wide roadmap — on the roadmap page, a goal,
/// a sub-goal or an actor — stays light however much it grows.
public struct RoadmapPaging: Sendable {
    /// Enough for the whole seed roadmap on one page.
    public static let size = 60
    public let roadmap: Roadmap
    public let page: Int
    public let pageCount: Int
    public let initiativeCount: Int

    public init(_ whole: Roadmap, page: Int) {
        initiativeCount = whole.initiativeCount
        pageCount = Roadmap.pageCount(initiatives: initiativeCount, size: Self.size)
        self.page = min(max(1, page), pageCount)
        roadmap = pageCount > 1 ? whole.page(self.page, size: Self.size) : whole
    }

    /// Page links for a roadmap larger than one page; nothing for the usual one-page roadmap.
    public func pager(_ url: (Int) -> String) -> Node<HTML.BodyContext> {
        guard pageCount > 1 else { return .empty }
        let first = (page - 1) * Self.size + 1
        let last = min(initiativeCount, page * Self.size)
        return .nav(
            .class("pager no-print"), .attribute(named: "aria-label", value: "Sider i veikartet"),
            .p(.text("Tiltak \(first)–\(last) av \(initiativeCount), side \(page) av \(pageCount).")),
            .ul(
                page > 1
                    ? .li(.a(.href(url(page - 1)), .attribute(named: "rel", value: "prev"), .text("Forrige side")))
                    : .empty,
                .forEach(1...pageCount) { n in
                    n == page
                        ? .li(.span(.attribute(named: "aria-current", value: "page"), .text(String(n))))
                        : .li(.a(.href(url(n)), .attribute(named: "aria-label", value: "Side \(n)"), .text(String(n))))
                },
                page < pageCount
                    ? .li(.a(.href(url(page + 1)), .attribute(named: "rel", value: "next"), .text("Neste side")))
                    : .empty))
    }
}

public enum RoadmapPageView {
    public static func render(_ m: RoadmapPageModel) -> String {
        let title = m.prioritizedView ? "Veikart for de prioriterte tiltakene" : "Veikart"
        let path = (m.prioritizedView ? SiteURL.prioritisedRoadmap : SiteURL.roadmap).path
        let description = "Hvem gjør hva og når for å nå målene i strategien."
        return PageFrame(title: title, description: description, path: path)
            .render(
                .h1(.text(title)),
                .p(
                    .class("lead"),
                    .text(
                        m.prioritizedView
                            ? (m.prioritizedCount == 1
                                ? "Det prioriterte tiltaket"
                                : """
                                De \(NumberText.words(m.prioritizedCount)) tiltakene som er prioritert, i rangert \
                                rekkefølge
                                """)
                                + ": hvilken fase hver aktør er i, og når."
                            : "Aktiviteter per delmål, tiltak og aktør gjennom verdikjeden"
                                + (m.phaseSpan.map {
                                    """
                                     fra \($0.first.lowercased()) til \($0.last.lowercased())
                                    """
                                } ?? "")
                                + ".")),
                versionNotice(m),
                filterForm(m, action: path),
                m.paging.pager { m.pageURL($0, path: path) },
                m.fragment.render(),
                m.paging.pager { m.pageURL($0, path: path) }
            )
    }

    /// Which version is shown, or which versions there are.
    static func versionNotice(_ m: RoadmapPageModel) -> Node<HTML.BodyContext> {
        typealias F = Fragments
        if let v = m.version {
            return F.el(
                "div", .class("notice"), F.attr("role", "status"),
                .p(
                    .strong(.text("Du ser versjon \(v.number) av veikartet, publisert \(v.published). ")),
                    .text(
                        v.missing == 0
                            ? ""
                            : "\(v.missing) aktiviteter og milepæler i versjonen hører til tiltak eller aktører "
                                + "som er avviklet, og vises ikke. ")),
                .p(
                    .a(.href(SiteURL.roadmap.path), .text("Se veikartet slik det er nå")), .text(" · "),
                    .a(
                        .href(SiteURL.roadmapChanges.path + "?til=\(v.number)"),
                        .text("Hva er endret i versjon \(v.number)")),
                    .text(" · "),
                    .a(.href(SiteURL.roadmapVersions.path), .text("Alle versjoner"))))
        }
        guard !m.versions.isEmpty, !m.prioritizedView else { return .empty }
        return .p(
            .class("versions no-print"), .text("Publiserte versjoner: "),
            .group(
                m.versions.prefix(5).enumerated().map { i, v in
                    .group(
                        i == 0 ? .empty : .text(", "),
                        .a(
                            .href(SiteURL.roadmap.path + "?versjon=\(v.number)"),
                            .text("\(v.number) (\(v.published))")))
                }),
            .text(" · "),
            .a(
                .href(SiteURL.roadmapChanges.path(query: [("til", "naa")])),
                .text("Hva er endret siden versjon \(m.versions[0].number)")),
            .text(" · "), .a(.href(SiteURL.roadmapVersions.path), .text("Alle versjoner")))
    }

    static func filterForm(_ m: RoadmapPageModel, action: String) -> Node<HTML.BodyContext> {
        let d = m.dataset
        let f = m.filter
        typealias K = RoadmapFilter.Key
        typealias F = Fragments
        func field(_ key: K, label: String, options: [(value: String, text: String)], selected: String?) -> Node<
            HTML.BodyContext
        > {
            F.el(
                "div", .class("field"),
                F.select(
                    name: key.rawValue, id: "filter-\(key.rawValue)", label: label, options: options, selected: selected
                ))
        }
        let types = d.strategy.actorTypes.all.filter { t in d.actors.contains { $0.type == t.code } }
        let prioritized: Node<HTML.BodyContext> =
            m.prioritizedView
            ? .empty
            : F.el(
                "div", .class("field checkbox"),
                F.input(
                    [
                        ("type", "checkbox"), ("name", K.prioritized.rawValue), ("id", "filter-prioriterte"),
                        ("value", "1"),
                    ] + (f.prioritizedOnly ? [("checked", nil)] : [])),
                F.el("label", F.attr("for", "filter-prioriterte"), .text("Bare prioriterte tiltak")))
        return F.el(
            "form", .class("filters"), F.attr("method", "get"), F.attr("action", action),
            m.version.map { F.input([("type", "hidden"), ("name", "versjon"), ("value", $0.number)]) } ?? .empty,
            F.el(
                "fieldset",
                F.el("legend", .text("Filtrer veikartet")),
                F.el(
                    "div", .class("field-grid"),
                    field(
                        .goal, label: "Mål", options: d.goals.map { ($0.id, "Mål \($0.id): \($0.title)") },
                        selected: f.goal),
                    field(
                        .subgoal, label: "Delmål", options: d.subgoals.map { ($0.id, "\($0.id) \($0.title)") },
                        selected: f.subgoal),
                    field(.actor, label: "Aktør", options: d.actors.map { ($0.slug, $0.name) }, selected: f.actor),
                    field(
                        .actorType, label: "Aktørtype", options: types.map { ($0.code.rawValue, $0.name) },
                        selected: f.actorType?.rawValue),
                    field(
                        .phase, label: "Fase",
                        options: d.strategy.phases.all.enumerated().map { ($1.code.rawValue, "\($0 + 1) \($1.name)") },
                        selected: f.phase?.rawValue),
                    field(
                        .year, label: "År", options: d.dataYears.map { (String($0), String($0)) },
                        selected: f.year.map(String.init)),
                    prioritized
                ),
                F.el(
                    "div", .class("actions"),
                    F.el("button", F.attr("type", "submit"), .text("Vis utvalget")),
                    .a(.class("button secondary"), .href(action), .text("Nullstill")))
            )
        )
    }
}
