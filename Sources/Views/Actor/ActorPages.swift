import Domain
@preconcurrency import Plot
import Routes

public struct ActorPageModel: Sendable {
    public let actor: Actor
    public let typeName: String
    public let parent: Actor?
    public let children: [Actor]
    public let initiatives: [Initiative]
    public let roadmap: RoadmapFragment
    public let paging: RoadmapPaging

    public init(dataset d: Dataset, actor: Actor, today: Day, page: Int = 1) {
        self.actor = actor
        self.typeName = d.strategy.actorTypes.name(actor.type)
        self.parent = actor.parentSlug.flatMap { d.actor($0) }
        self.children = d.children(ofActor: actor.slug)
        let slugs = Set([actor.slug] + children.map(\.slug))
        let initiativeSlugs = Set(d.activities.filter { slugs.contains($0.actorSlug) }.map(\.initiativeSlug))
        self.initiatives = d.initiatives.filter { initiativeSlugs.contains($0.slug) }
        self.paging = RoadmapPaging(Roadmap(dataset: d, filter: RoadmapFilter(actor: actor.slug)), page: page)
        self.roadmap = RoadmapFragment(
            roadmap: paging.roadmap,
            title: "Veikart for \(actor.name)", today: today,
            downloadURL: SiteURL.roadmapSVG.path + "?aktor=\(actor.slug)")
    }
}

public enum ActorPageView {
    static func facts(_ m: ActorPageModel) -> Node<HTML.BodyContext> {
        var items: [(term: String, value: Node<HTML.BodyContext>)] = [("Type", .text(m.typeName))]
        if let p = m.parent { items.append(("Hører til", .a(.href(SiteURL.actor(p.slug).path), .text(p.name)))) }
        if !m.children.isEmpty {
            items.append(
                (
                    "Underliggende",
                    .ul(
                        .class("inline"),
                        .forEach(m.children) { c in
                            .li(.a(.href(SiteURL.actor(c.slug).path), .text(c.name)))
                        })
                ))
        }
        return Fragments.facts(items)
    }

    public static func render(_ m: ActorPageModel) -> String {
        let a = m.actor
        return PageFrame(
            title: a.name, description: "\(a.name): aktiviteter i veikartet.",
            path: SiteURL.actor(a.slug).path,
            breadcrumbs: [("Aktører", SiteURL.actors.path)]
        ).render(
            .h1(.text(a.name)),
            EditLinks.structure(.actor, id: a.slug),
            facts(m),
            Fragments.paragraphs(a.description),
            .section(
                .attribute(named: "aria-labelledby", value: "tiltak"),
                .h2(.id("tiltak"), .text("Tiltak aktøren deltar i (\(m.initiatives.count))")),
                .ul(
                    .class("compact"),
                    .forEach(m.initiatives) { i in
                        .li(
                            .a(.href(SiteURL.initiative(i.slug).path), .text(i.title)), .text(" "),
                            Fragments.priorityBadge(i.priorityRank))
                    })
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "veikart"),
                .h2(.id("veikart"), .text("Veikart")),
                m.paging.pager { page in
                    SiteURL.actor(m.actor.slug).path(query: [("side", page > 1 ? String(page) : nil)]) + "#veikart"
                },
                m.roadmap.render())
        )
    }
}

public struct ActorListModel: Sendable {
    public let groups: [(type: ActorTypeDefinition, actors: [(actor: Actor, activityCount: Int)])]
    public init(dataset d: Dataset) {
        let counts = Dictionary(grouping: d.activities, by: \.actorSlug).mapValues(\.count)
        var groups: [(type: ActorTypeDefinition, actors: [(actor: Actor, activityCount: Int)])] = []
        for type in d.strategy.actorTypes.all {
            let actors: [(actor: Actor, activityCount: Int)] = d.actors.filter { $0.type == type.code }
                .map { ($0, counts[$0.slug] ?? 0) }
            if !actors.isEmpty { groups.append((type, actors)) }
        }
        self.groups = groups
    }
}

public enum ActorListView {
    public static func render(_ m: ActorListModel) -> String {
        PageFrame(
            title: "Aktører", description: "Virksomhetene som gjennomfører aktiviteter i veikartet.",
            path: SiteURL.actors.path
        ).render(
            .h1(.text("Aktører")),
            .p(.class("lead"), .text("Virksomhetene som gjennomfører aktiviteter i veikartet, gruppert etter type.")),
            .forEach(m.groups) { group in
                .section(
                    .h2(.text(group.type.pluralName)),
                    .ul(
                        .class("compact"),
                        .forEach(group.actors) { item in
                            .li(
                                .a(.href(SiteURL.actor(item.actor.slug).path), .text(item.actor.name)),
                                .text(" – " + NumberText.count(item.activityCount, "aktivitet", "aktiviteter")))
                        }))
            }
        )
    }
}
