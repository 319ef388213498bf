import Domain
import Foundation

/// What each public page shows, as topics a write can change (`ReadModel` marks the topics of every change).
/// A cached page stays valid while none of its topics changed after it was rendered, so saving one activity
/// re-renders its initiative, its actors' pages and the roadmap, and leaves the dashboard, the indicator pages and
/// the council pages in the cache. Every page also depends on `structure` (names and titles are shown everywhere).
/// A path not listed here depends on everything: adding a page can make the cache less useful, never stale.
enum PageTopics {
    /// Titles and names of the strategy, goals, sub-goals, initiatives and actors.
    static let structure = "structure"
    /// Any activity or milestone.
    static let roadmap = "roadmap"
    /// Any indicator's fields, ambitions, breaks or values.
    static let indicators = "indicators"
    static let reports = "reports"
    static let councils = "councils"
    static let scoring = "scoring"
    /// Reporting rounds and their parts.
    static let rounds = "rounds"
    /// The published roadmap versions, and the closed rounds' statuses that come with them.
    static let versions = "versions"

    // Ids are compared without case: `/indikatorer/1.1a.csv` and `…/1.1A.csv` show the same indicator.
    static func initiative(_ slug: String) -> String { "initiative:" + slug.lowercased() }
    static func actor(_ slug: String) -> String { "actor:" + slug.lowercased() }
    static func indicator(_ id: String) -> String { "indicator:" + id.lowercased() }

    /// The topics a changed activity or milestone touches: the roadmap, its initiatives (before and after) and its
    /// actors with their parents (an actor's page shows its children's work).
    static func roadmapTopics(initiatives: [String], actors: [String], in d: Dataset) -> [String] {
        var topics = [roadmap] + initiatives.map(initiative)
        var seen: Set<String> = []
        var pending = actors
        while let slug = pending.popLast() {
            guard seen.insert(slug).inserted else { continue }
            topics.append(actor(slug))
            if let parent = d.actor(slug)?.parentSlug { pending.append(parent) }
        }
        return topics
    }

    /// What a drawn roadmap depends on: the initiatives it shows, when no edit can change which ones it shows (no
    /// year, phase or actor filter: those pick rows by fields an edit changes); otherwise the whole roadmap. A page of
    /// the unfiltered roadmap is then re-rendered only when one of its own initiatives changes.
    static func drawn(_ r: Roadmap) -> Set<String> {
        let f = r.filter
        guard f.year == nil, f.phase == nil, f.actor == nil, f.actorType == nil else { return [roadmap] }
        return Set(r.sections.flatMap(\.initiatives).map { initiative($0.initiative.slug) })
    }

    /// The topics the page at `path` depends on besides `structure`; nil when it may depend on anything.
    /// Handlers that know better (a roadmap's initiatives) say so with `Request.shows(_:)`.
    static func topics(forPath path: String) -> Set<String>? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map {
            $0.removingPercentEncoding ?? String($0)
        }
        guard let first = parts.first else { return [] }  // the front page: the strategy's structure only
        switch (first, parts.count) {
        case ("assets", _): return []
        // Also the statuses reported for it in the reporting rounds.
        case ("tiltak", 2): return [initiative(parts[1]), councils, versions]
        case ("aktorer", 1): return [roadmap]  // activity counts per actor
        // Its own and its children's rows: a change to them marks the actor and its parents.
        case ("aktorer", 2): return [actor(parts[1])]
        // The published versions, and what changed between them and today's roadmap.
        case ("veikart", 2) where ["versjoner", "endringer"].contains(parts[1]): return [roadmap, versions]
        // The feed for all councils carries the deadlines of the open rounds.
        case ("rad", 2) where parts[1] == "moter.ics": return [councils, rounds]
        case ("veikart", _), ("veikart.svg", 1): return [roadmap]
        // Beside the computed status, the latest published assessment (from the reports).
        case ("indikatorer", 1), ("dashbord", 1): return [indicators, reports]
        case ("indikatorer", 2) where parts[1] == "metode": return []
        case ("indikatorer", 2):
            return [indicator(parts[1].hasSuffix(".csv") ? String(parts[1].dropLast(4)) : parts[1]), councils, reports]
        case ("mal", 2): return [roadmap, indicators, reports, councils]
        case ("delmal", 2): return [roadmap, councils]
        // Councils and their members; meeting pages also name what cases link to.
        case ("rad", 1), ("rad", 2): return [councils]
        // A meeting with open follow-ups also shows its linked initiatives (`CouncilController.meeting` says which).
        case ("rad", _): return [councils, reports, scoring, indicators]
        case ("prioritering", _): return [scoring, councils]
        default: return nil
        }
    }
}
