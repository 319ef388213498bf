import Domain
@preconcurrency import Plot
import Routes

public struct GoalPageModel: Sendable {
    /// Council cases that dealt with this ("behandlet i"), newest first.
    public var handledIn: [CaseReference] = []
    public let goal: Goal
    /// "Frem mot 2030 skal vi oppnå": the strategy's own heading over the outcomes.
    public let outcomesHeading: String
    public let subgoals: [(subgoal: Subgoal, initiatives: [Initiative])]
    public let roadmap: RoadmapFragment
    public let paging: RoadmapPaging
    public let indicators: [IndicatorSummary]
    /// Published reports' status for this goal, oldest first: (period name, url, assessment).
    public var statusHistory: [(String, String, Assessment)] = []

    public init(dataset d: Dataset, goal: Goal, today: Day, page: Int = 1) {
        self.goal = goal
        self.outcomesHeading = d.strategy.displayOutcomesHeading
        self.subgoals = d.subgoals(ofGoal: goal.id).map { ($0, d.initiatives(ofSubgoal: $0.id)) }
        self.indicators = d.series(of: d.indicators(ofGoal: goal.id)).map {
            IndicatorSummary(series: $0, today: today, strategyEnd: d.strategy.periodEnd)
        }
        self.paging = RoadmapPaging(Roadmap(dataset: d, filter: RoadmapFilter(goal: goal.id)), page: page)
        self.roadmap = RoadmapFragment(
            roadmap: paging.roadmap,
            title: "Veikart for mål \(goal.id): \(goal.title)", today: today,
            downloadURL: SiteURL.roadmapSVG.path + "?mal=\(goal.id)")
    }
}

public enum GoalPageView {
    public static func render(_ m: GoalPageModel) -> String {
        PageFrame(
            title: "Mål \(m.goal.id): \(m.goal.title)", description: m.goal.description,
            path: SiteURL.goal(m.goal.id).path, breadcrumbs: [("Strategien", SiteURL.home.path)]
        ).render(
            .h1(.text("Mål \(m.goal.id): \(m.goal.title)")),
            EditLinks.structure(.goal, id: m.goal.id),
            .p(.class("lead"), .text(m.goal.description)),
            .if(
                !m.goal.outcomes.isEmpty,
                .section(
                    .attribute(named: "aria-labelledby", value: "oppna"),
                    .h2(.id("oppna"), .text(m.outcomesHeading)),
                    .ul(.forEach(m.goal.outcomes) { .li(.text($0)) }))),
            .section(
                .attribute(named: "aria-labelledby", value: "delmal"),
                .h2(.id("delmal"), .text("Delmål")),
                .div(
                    .class("cards two"),
                    .forEach(m.subgoals) { item in
                        .article(
                            .class("card"),
                            .h3(
                                .a(
                                    .href(SiteURL.subgoal(item.subgoal.id).path),
                                    .text("\(item.subgoal.id) \(item.subgoal.title)")),
                                .text(" "), Fragments.statusBadge(item.subgoal.status)),
                            .p(.text(item.subgoal.description)),
                            .if(
                                !item.initiatives.isEmpty,
                                .ul(
                                    .class("compact"),
                                    .forEach(item.initiatives) { i in
                                        .li(
                                            .a(.href(SiteURL.initiative(i.slug).path), .text(i.title)), .text(" "),
                                            Fragments.priorityBadge(i.priorityRank))
                                    }))
                        )
                    })
            ),
            .if(
                !m.statusHistory.isEmpty,
                .section(
                    .attribute(named: "aria-labelledby", value: "statushistorikk"),
                    .h2(.id("statushistorikk"), .text("Status over tid")),
                    .ol(
                        .class("timeline"),
                        .forEach(m.statusHistory) { h in
                            .li(.a(.href(h.1), .text(h.0)), .text(": "), Fragments.light(h.2))
                        }))),
            .if(
                !m.indicators.isEmpty,
                .section(
                    .attribute(named: "aria-labelledby", value: "indikatorer"),
                    .h2(.id("indikatorer"), .text("Indikatorer")),
                    .div(
                        .class("table-scroll"),
                        IndicatorListView.table(
                            IndicatorGroup(
                                id: "mal-\(m.goal.id)", title: "Mål \(m.goal.id)", url: nil,
                                summaries: m.indicators))))
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "veikart"),
                .h2(.id("veikart"), .text("Veikart")),
                m.paging.pager { page in
                    SiteURL.goal(m.goal.id).path(query: [("side", page > 1 ? String(page) : nil)]) + "#veikart"
                },
                m.roadmap.render()),
            Fragments.handledIn(m.handledIn)
        )
    }
}
