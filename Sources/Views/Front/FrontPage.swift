import Domain
@preconcurrency import Plot
import Routes

public struct FrontPageModel: Sendable {
    public let dataset: Dataset
    public init(dataset: Dataset) { self.dataset = dataset }
}

public enum FrontPageView {
    public static func render(_ model: FrontPageModel) -> String {
        let d = model.dataset
        return PageFrame(title: "Veikart", description: d.strategy.displaySummary, path: SiteURL.home.path).render(
            .section(
                .class("hero"),
                .h1(.text(d.strategy.title)),
                .p(.class("lead"), .span(.class("label"), .text("Visjon: ")), .text(d.strategy.vision)),
                .p(
                    .class("meta"),
                    .text(
                        "Strategiperiode \(d.strategy.periodStart)–\(d.strategy.periodEnd). \(d.strategy.version).")),
                SearchView.form(query: "", headingId: nil)
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "overordnede"),
                .h2(.id("overordnede"), .text("Overordnede mål")),
                .ul(
                    .class("cards three"),
                    .forEach(d.overarchingGoals) { g in
                        .li(.class("card"), .h3(.text(g.title)), .p(.text(g.description)))
                    })
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "strategiske"),
                .h2(.id("strategiske"), .text("Strategiske mål og delmål")),
                .div(
                    .class("goals"),
                    .forEach(d.goals) { goal in
                        .article(
                            .class("goal-card"),
                            .h3(.a(.href(SiteURL.goal(goal.id).path), .text("Mål \(goal.id): \(goal.title)"))),
                            .p(.text(goal.description)),
                            .ul(
                                .class("subgoal-list"),
                                .forEach(d.subgoals(ofGoal: goal.id)) { s in
                                    .li(
                                        .a(
                                            .href(SiteURL.subgoal(s.id).path), .span(.class("subgoal-id"), .text(s.id)),
                                            .text(" " + s.title)),
                                        .text(" "), Fragments.statusBadge(s.status))
                                })
                        )
                    })
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "prioriterte"),
                .h2(.id("prioriterte"), .text("Prioriterte tiltak")),
                .p(.text("Tiltakene som er prioritert, i rangert rekkefølge.")),
                .ol(
                    .class("priority-list"),
                    .forEach(d.prioritized) { i in
                        .li(.a(.href(SiteURL.initiative(i.slug).path), .text(i.title)))
                    }),
                .p(
                    .a(
                        .class("button"), .href(SiteURL.prioritisedRoadmap.path),
                        .text("Se veikartet for de prioriterte tiltakene")),
                    .text(" "), .a(.class("button secondary"), .href(SiteURL.roadmap.path), .text("Hele veikartet")))
            )
        )
    }
}
