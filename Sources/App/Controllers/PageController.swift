import Charts
import Domain
import Persistence
import Routes
import Vapor
import Views

/// Server-rendered HTML pages. Each handler: read the request, get data, build the page model, render.
struct PageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.home, use: front)
        routes.get(.goal(":id"), use: goal)
        routes.get(.subgoal(":id"), use: subgoal)
        routes.get(.initiative(":id"), use: initiative)
        routes.get(.actors, use: actors)
        routes.get(.actor(":slug"), use: actor)
        routes.get(.roadmap, use: roadmap)
        routes.get(.roadmapSVG, use: roadmapSVG)
        routes.get(.prioritisedRoadmap, use: prioritized)
        routes.get(.prioritisedRoadmapSVG, use: prioritizedSVG)
        routes.get(.search, use: search)
        routes.get(.stylesheet, use: stylesheet)
        routes.get(.script, use: script)
    }

    func front(req: Request) async throws -> Response {
        .html(FrontPageView.render(FrontPageModel(dataset: try await req.dataset())))
    }

    func goal(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset(withMeasurementsOf: { $0.indicators(ofGoal: id) }, headlineOnly: true)
        let goal = try d.requireGoal(id)
        var model = GoalPageModel(dataset: d, goal: goal, today: req.today, page: try req.pageNumber())
        model.statusHistory = try await ReportStore.published(on: req.db).reversed().compactMap { r in
            guard let part = r.snapshot.goals.first(where: { $0.id == goal.id }) else { return nil }
            let link = SiteURL.report(r.period.description).path(fragment: "mal-\(goal.id)")
            return (r.period.norwegian, link, part.assessment)
        }
        model.handledIn = try await CouncilStore.handling(CaseLink(kind: .goal, target: goal.id), on: req.db)
        req.shows(
            PageTopics.drawn(model.paging.roadmap).union([
                PageTopics.indicators, PageTopics.reports, PageTopics.councils,
            ]))
        return .html(GoalPageView.render(model))
    }

    func subgoal(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let id = req.parameters.get("id") ?? ""
        let s = try d.requireSubgoal(id)
        if s.id != id { return req.redirect(to: SiteURL.subgoal(s.id).path, redirectType: .permanent) }
        var model = SubgoalPageModel(dataset: d, subgoal: s, today: req.today, page: try req.pageNumber())
        model.handledIn = try await CouncilStore.handling(CaseLink(kind: .subgoal, target: s.id), on: req.db)
        req.shows(PageTopics.drawn(model.paging.roadmap).union([PageTopics.councils]))
        return .html(SubgoalPageView.render(model))
    }

    func initiative(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let i = try d.requireInitiative(req.parameters.get("id") ?? "")
        var year: Int?
        if let raw = req.queryDictionary["ar"], !raw.isEmpty {
            let years = d.dataYears
            guard let y = Int(raw), years.contains(y) else {
                throw Abort(
                    .badRequest,
                    reason: "«ar» må være et årstall mellom \(years.lowerBound) og \(years.upperBound).")
            }
            year = y
        }
        var model = InitiativePageModel(dataset: d, initiative: i, year: year, today: req.today)
        model.handledIn = try await CouncilStore.handling(CaseLink(kind: .initiative, target: i.slug), on: req.db)
        let versions = try await RoundStore.versions(on: req.db)
        model.hasMilestones =
            d.milestones.contains { $0.initiativeSlug == i.slug }
            || versions.contains { $0.items.contains { $0.kind == .milestone && $0.initiative == i.slug } }
        model.roundStatuses = try await Self.roundStatuses(of: i.slug, dataset: d, versions: versions, on: req)
        return .html(InitiativePageView.render(model))
    }

    /// The initiative in each closed round that had it in scope, newest first: delivered statuses and computed signals.
    static func roundStatuses(of slug: String, dataset d: Dataset, versions: [RoadmapVersion], on req: Request)
        async throws
        -> [RoundStatusRow]
    {
        var rows: [RoundStatusRow] = []
        for stored in try await RoundStore.rounds(on: req.db)
        where stored.round.isClosed && stored.round.initiatives.contains(slug) {
            let r = stored.round
            let parts = try await RoundStore.parts(of: r.id, on: req.db).map(\.part).filter(\.delivered)
            let name = { (actor: String) in
                d.actor(actor)?.shortName.isEmpty == false ? d.actor(actor)!.shortName : d.actor(actor)?.name ?? actor
            }
            if let roadmaps = r.roadmaps(versions: versions, dataset: d) {
                let s = InitiativeRoundStatus.compute(
                    initiative: slug, round: r, parts: parts, previous: roadmaps.previous?.items,
                    current: roadmaps.current)
                rows.append(
                    RoundStatusRow(
                        round: r.period.norwegian, statuses: s.statuses.map { (name($0.actor), $0.assessment) },
                        delayed: s.delayed, overdue: s.overdue, disagreement: s.disagreement))
            } else {
                let statuses = parts.compactMap { p in p.status(of: slug).map { (name(p.actor), $0) } }
                guard !statuses.isEmpty else { continue }
                rows.append(
                    RoundStatusRow(
                        round: r.period.norwegian, statuses: statuses, delayed: nil, overdue: nil, disagreement: nil))
            }
        }
        return rows
    }

    func actors(req: Request) async throws -> Response {
        .html(ActorListView.render(ActorListModel(dataset: try await req.dataset())))
    }

    func actor(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let a = try d.requireActor(req.parameters.get("slug") ?? "")
        return .html(
            ActorPageView.render(ActorPageModel(dataset: d, actor: a, today: req.today, page: try req.pageNumber())))
    }

    func roadmap(req: Request) async throws -> Response {
        .html(RoadmapPageView.render(try await roadmapModel(req, prioritized: false)))
    }

    func prioritized(req: Request) async throws -> Response {
        .html(RoadmapPageView.render(try await roadmapModel(req, prioritized: true)))
    }

    func roadmapSVG(req: Request) async throws -> Response {
        .svg(try await roadmapModel(req, prioritized: false).fragment.svg, filename: "veikart.svg")
    }

    func prioritizedSVG(req: Request) async throws -> Response {
        .svg(try await roadmapModel(req, prioritized: true).fragment.svg, filename: "veikart-prioriterte.svg")
    }

    private func roadmapModel(_ req: Request, prioritized: Bool) async throws -> RoadmapPageModel {
        let live = try await req.dataset()
        let versions = try await RoundStore.versionNumbers(on: req.db)
        // `?versjon=` draws a published version: its activities and milestones over today's structure.
        var shown: RoadmapVersion?
        if let number = req.queryDictionary["versjon"], !number.isEmpty {
            guard let v = try await RoundStore.version(number, on: req.db) else {
                throw Abort(.notFound, reason: "Veikartet har ingen versjon «\(String(number.prefix(20)))».")
            }
            shown = v
        }
        let d = shown?.applied(to: live) ?? live
        let model = RoadmapPageModel(
            dataset: d, filter: try req.roadmapFilter(d), today: req.today, prioritizedView: prioritized,
            page: try req.pageNumber(),
            version: shown.map { ($0.number, $0.publishedOn.norwegian, $0.missing(in: live)) },
            versions: versions.reversed().map { ($0.number, Day.parse($0.publishedOn)?.norwegian ?? $0.publishedOn) })
        req.shows(PageTopics.drawn(model.paging.roadmap).union([PageTopics.versions]))
        return model
    }

    func search(req: Request) async throws -> Response {
        let q = try req.searchQuery()
        let terms = SearchText.queryTerms(q)
        // One more than is shown, to know whether there were more.
        let hits = q.isEmpty ? [] : try await req.search(q, limit: SearchPageModel.shown + 1)
        let results = hits.prefix(SearchPageModel.shown).map {
            SearchResult(
                kind: $0.kind, title: $0.title, body: $0.body, url: $0.link,
                terms: terms)
        }
        return .html(
            SearchView.render(
                SearchPageModel(query: q, results: Array(results), more: hits.count > SearchPageModel.shown)))
    }

    /// Versioned by its content (`Script.url`): cached for a day, a new build gets a new address.
    func script(req: Request) async throws -> Response {
        let r = Response(status: .ok, body: .init(string: Script.source))
        r.headers.contentType = HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
        r.headers.cacheControl = .init(maxAge: 86_400)
        return r
    }

    func stylesheet(req: Request) async throws -> Response {
        // Versioned by the phase colours (`Site.stylesheetURL`), so a cached copy is never the wrong dataset's.
        // Without data (or a database that cannot answer) the default phases: the pages saying so still get styled.
        let phases = (try? await req.dataset())?.strategy.phases ?? .defaults
        let r = Response(status: .ok, body: .init(string: Stylesheet.css(phases: phases)))
        r.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        r.headers.cacheControl = .init(maxAge: 3600)
        return r
    }
}

extension SearchHit {
    /// The hit's page, made from its route values (or, from an index not yet upgraded, the path it stored).
    var link: String { storedPath ?? SiteURL.searchHit(kind, place: place) }
}
