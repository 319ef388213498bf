import Domain
import Persistence
import Vapor

extension SaveResult {
    /// Nil when saved; otherwise the reasons in words.
    var refusals: [String]? {
        switch self {
        case .saved: nil
        case .refused(let reasons): reasons
        case .conflict: ["Noen andre har endret dette i mellomtiden."]
        case .notFound: ["Det finnes ikke (lenger)."]
        }
    }
}

/// Which two roadmaps to compare (`from`, `to`: version numbers; `to` may be `naa`, today's plan) and what changed.
struct RoadmapComparison {
    let from: String
    let to: String
    let fromVersion: RoadmapVersion?
    let toVersion: RoadmapVersion?
    let changes: [RoadmapChange]
    /// Every version, oldest first, for pickers.
    let versions: [RoadmapVersion]

    static let today = "naa"

    /// Defaults: `to` the latest version, `from` the one before it. An unknown number is a 404 naming it.
    static func resolve(from: String?, to: String?, dataset d: Dataset, on req: Request) async throws
        -> RoadmapComparison
    {
        let versions = try await RoundStore.versions(on: req.db)
        func find(_ n: String, _ name: String) throws -> RoadmapVersion? {
            if n == today { return nil }
            guard let v = versions.first(where: { $0.number == n }) else {
                throw Abort(.notFound, reason: "Veikartet har ingen versjon «\(String(n.prefix(20)))» (\(name)).")
            }
            return v
        }
        let toNumber = (to ?? "").isEmpty ? (versions.last?.number ?? today) : to!
        let toVersion = try find(toNumber, "til")
        let fromNumber: String
        if let from, !from.isEmpty {
            fromNumber = from
        } else {
            let index = toVersion.flatMap { v in versions.firstIndex { $0.number == v.number } } ?? versions.count
            guard index > 0 else {
                return RoadmapComparison(
                    from: "", to: toNumber, fromVersion: nil, toVersion: toVersion, changes: [], versions: versions)
            }
            fromNumber = versions[index - 1].number
        }
        let fromVersion = try find(fromNumber, "fra")
        let old = fromVersion?.items ?? RoadmapVersion.items(of: d)
        let new = toVersion?.items ?? RoadmapVersion.items(of: d)
        return RoadmapComparison(
            from: fromNumber, to: toNumber, fromVersion: fromVersion, toVersion: toVersion,
            changes: RoadmapChanges.compare(
                old, new, phaseName: { d.strategy.phases.name(Phase(rawValue: $0)) },
                actorName: { d.actor($0)?.name ?? $0 },
                initiativeName: { d.initiative($0)?.shortTitle ?? $0 }),
            versions: versions)
    }
}
