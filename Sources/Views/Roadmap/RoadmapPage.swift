@preconcurrency import Plot
import Domain
import Charts

public struct RoadmapPageModel: Sendable {
    public let dataset: Dataset
    public let filter: RoadmapFilter
    public let fragment: RoadmapFragment
    public let prioritizedView: Bool
    /// 1-based; the roadmap shows `RoadmapPageModel.pageSize` initiatives per page.
    public let page: Int
    public let pageCount: Int
    public let initiativeCount: Int

    /// Enough for the whole seed roadmap on one page; a sector-wide roadmap is split so each page stays light.
    public static let pageSize = 60

    public init(dataset d: Dataset, filter: RoadmapFilter, today: Day, prioritizedView: Bool = false, page: Int = 1) {
        self.dataset = d
        self.filter = filter
        self.prioritizedView = prioritizedView
        let whole = Roadmap(dataset: d, filter: filter, grouping: prioritizedView ? .byPriority : .bySubgoal)
        self.initiativeCount = whole.initiativeCount
        self.pageCount = Roadmap.pageCount(initiatives: whole.initiativeCount, size: Self.pageSize)
        self.page = min(max(1, page), pageCount)
        let query = filter.queryString + (self.page > 1 ? (filter.queryString.isEmpty ? "" : "&") + "side=\(self.page)" : "")
        let svgURL = prioritizedView ? "/veikart/prioriterte.svg" + (query.isEmpty ? "" : "?" + query) : "/veikart.svg" + (query.isEmpty ? "" : "?" + query)
        self.fragment = RoadmapFragment(roadmap: pageCount > 1 ? whole.page(self.page, size: Self.pageSize) : whole,
                                        title: prioritizedView ? "Veikart for de prioriterte tiltakene" : "Veikart for nasjonal e-helsestrategi",
                                        today: today, downloadURL: svgURL)
    }

    public func pageURL(_ n: Int, path: String) -> String {
        let q = filter.queryString
        let side = n > 1 ? "side=\(n)" : ""
        let all = [q, side].filter { !$0.isEmpty }.joined(separator: "&")
        return path + (all.isEmpty ? "" : "?" + all)
    }
}

public enum RoadmapPageView {
    public static func render(_ m: RoadmapPageModel) -> String {
        let title = m.prioritizedView ? "Veikart for de prioriterte tiltakene" : "Veikart"
        let path = m.prioritizedView ? "/veikart/prioriterte" : "/veikart"
        return PageFrame(title: title, description: "Hvem gjør hva og når for å nå målene i nasjonal e-helsestrategi.", path: path).render(
            .h1(.text(title)),
            .p(.class("lead"), .text(m.prioritizedView
                ? "De fem tiltakene en samlet sektor har prioritert, i rangert rekkefølge: hvilken fase hver aktør er i, og når."
                : "Aktiviteter per delmål, tiltak og aktør gjennom verdikjeden fra konsept til ny praksis i bruk.")),
            filterForm(m, action: path),
            pager(m, path: path),
            m.fragment.render(),
            pager(m, path: path)
        )
    }

    /// Page links for a roadmap larger than one page; nothing for the usual one-page roadmap.
    static func pager(_ m: RoadmapPageModel, path: String) -> Node<HTML.BodyContext> {
        guard m.pageCount > 1 else { return .empty }
        let first = (m.page - 1) * RoadmapPageModel.pageSize + 1, last = min(m.initiativeCount, m.page * RoadmapPageModel.pageSize)
        return .nav(.class("pager no-print"), .attribute(named: "aria-label", value: "Sider i veikartet"),
            .p(.text("Tiltak \(first)–\(last) av \(m.initiativeCount), side \(m.page) av \(m.pageCount).")),
            .ul(
                m.page > 1 ? .li(.a(.href(m.pageURL(m.page - 1, path: path)), .attribute(named: "rel", value: "prev"), .text("Forrige side"))) : .empty,
                .forEach(1...m.pageCount) { n in
                    n == m.page ? .li(.span(.attribute(named: "aria-current", value: "page"), .text(String(n))))
                                : .li(.a(.href(m.pageURL(n, path: path)), .attribute(named: "aria-label", value: "Side \(n)"), .text(String(n))))
                },
                m.page < m.pageCount ? .li(.a(.href(m.pageURL(m.page + 1, path: path)), .attribute(named: "rel", value: "next"), .text("Neste side"))) : .empty))
    }

    static func filterForm(_ m: RoadmapPageModel, action: String) -> Node<HTML.BodyContext> {
        let d = m.dataset, f = m.filter
        typealias K = RoadmapFilter.Key
        typealias F = Fragments
        func field(_ key: K, label: String, options: [(value: String, text: String)], selected: String?) -> Node<HTML.BodyContext> {
            F.el("div", .class("field"), F.select(name: key.rawValue, id: "filter-\(key.rawValue)", label: label, options: options, selected: selected))
        }
        let types = ActorType.allCases.filter { t in d.actors.contains { $0.type == t } }
        let prioritized: Node<HTML.BodyContext> = m.prioritizedView ? .empty : F.el("div", .class("field checkbox"),
            F.input([("type", "checkbox"), ("name", K.prioritized.rawValue), ("id", "filter-prioriterte"), ("value", "1")] + (f.prioritizedOnly ? [("checked", nil)] : [])),
            F.el("label", F.attr("for", "filter-prioriterte"), .text("Bare prioriterte tiltak")))
        return F.el("form", .class("filters"), F.attr("method", "get"), F.attr("action", action),
            F.el("fieldset",
                F.el("legend", .text("Filtrer veikartet")),
                F.el("div", .class("field-grid"),
                    field(.goal, label: "Mål", options: d.goals.map { ($0.id, "Mål \($0.id): \($0.title)") }, selected: f.goal),
                    field(.subgoal, label: "Delmål", options: d.subgoals.map { ($0.id, "\($0.id) \($0.title)") }, selected: f.subgoal),
                    field(.actor, label: "Aktør", options: d.actors.map { ($0.slug, $0.name) }, selected: f.actor),
                    field(.actorType, label: "Aktørtype", options: types.map { ($0.rawValue, $0.name) }, selected: f.actorType?.rawValue),
                    field(.phase, label: "Fase", options: Phase.allCases.map { ($0.rawValue, "\(PhaseStyle.number($0)) \($0.name)") }, selected: f.phase?.rawValue),
                    field(.year, label: "År", options: (2020...2030).map { (String($0), String($0)) }, selected: f.year.map(String.init)),
                    prioritized
                ),
                F.el("div", .class("actions"),
                    F.el("button", F.attr("type", "submit"), .text("Vis utvalget")),
                    .a(.class("button secondary"), .href(action), .text("Nullstill")))
            )
        )
    }
}
