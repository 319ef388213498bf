import Domain
@preconcurrency import Plot
import Routes

public struct SubgoalPageModel: Sendable {
    /// Council cases that dealt with this ("behandlet i"), newest first.
    public var handledIn: [CaseReference] = []
    public let subgoal: Subgoal
    public let goal: Goal
    public let initiatives: [Initiative]
    public let roadmap: RoadmapFragment
    public let paging: RoadmapPaging

    public init(dataset d: Dataset, subgoal: Subgoal, today: Day, page: Int = 1) {
        self.subgoal = subgoal
        self.goal = d.goal(subgoal.goalId)!
        self.initiatives = d.initiatives(ofSubgoal: subgoal.id)
        self.paging = RoadmapPaging(Roadmap(dataset: d, filter: RoadmapFilter(subgoal: subgoal.id)), page: page)
        self.roadmap = RoadmapFragment(
            roadmap: paging.roadmap,
            title: "Veikart for delmål \(subgoal.id)", today: today,
            downloadURL: SiteURL.roadmapSVG.path + "?delmal=\(subgoal.id)")
    }
}

public enum SubgoalPageView {
    public static func render(_ m: SubgoalPageModel) -> String {
        let s = m.subgoal
        return PageFrame(
            title: "Delmål \(s.id)", description: s.title, path: SiteURL.subgoal(s.id).path,
            breadcrumbs: [
                ("Strategien", SiteURL.home.path),
                ("Mål \(m.goal.id)", SiteURL.goal(m.goal.id).path),
            ]
        ).render(
            .p(.class("kicker"), .a(.href(SiteURL.goal(m.goal.id).path), .text("Mål \(m.goal.id): \(m.goal.title)"))),
            .h1(.text("Delmål \(s.id): \(s.title)"), .text(" "), Fragments.statusBadge(s.status)),
            EditLinks.structure(.subgoal, id: s.id),
            .if(
                s.status == .candidate,
                .p(.class("notice"), .text("Dette er en kandidat til delmål. Den er foreslått, men ikke vedtatt."))),
            .p(.class("lead"), .text(s.description)),
            .section(
                .attribute(named: "aria-labelledby", value: "tiltak"),
                .h2(.id("tiltak"), .text("Tiltak (\(m.initiatives.count))")),
                m.initiatives.isEmpty
                    ? .p(.text("Ingen tiltak er knyttet til delmålet ennå."))
                    : .ul(
                        .class("cards two initiative-list"),
                        .forEach(m.initiatives) { i in
                            .li(
                                .class("card"),
                                .h3(
                                    .a(.href(SiteURL.initiative(i.slug).path), .text(i.title)), .text(" "),
                                    Fragments.priorityBadge(i.priorityRank)),
                                .p(.class("meta"), .text(i.kind.name)),
                                .p(.text(i.target)))
                        })
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "veikart"),
                .h2(.id("veikart"), .text("Veikart")),
                m.paging.pager { page in
                    SiteURL.subgoal(m.subgoal.id).path(query: [("side", page > 1 ? String(page) : nil)]) + "#veikart"
                },
                m.roadmap.render()),
            Fragments.handledIn(m.handledIn)
        )
    }
}
