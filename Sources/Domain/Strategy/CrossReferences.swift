/// References from the parts that travel beside the dataset (status reports, scoring rounds, the council model) into
/// it. An import that would leave one pointing at nothing is refused with every broken reference listed, so a case
/// link never loses its title and a round never links to a page that does not exist.
public enum CrossReferences {
    /// Where a part comes from, for the messages: the folder's file, or what the database holds when the folder has
    /// none (then the import keeps it).
    public struct Source: Sendable {
        public let label: String
        public static func file(_ name: String) -> Source { Source(label: name) }
        public static func stored(_ what: String, file: String) -> Source {
            Source(label: "\(what) i databasen (mappen har ingen \(file))")
        }
    }

    public static func reports(_ reports: [ReportFile], dataset d: Dataset, from source: Source) -> [ImportIssue] {
        let goals = Set(d.goals.map(\.id))
        let subgoals = Set(d.subgoals.map(\.id))
        let indicators = Set(d.indicators.map(\.id))
        let overarching = Set(d.overarchingGoals.map(\.id))
        let initiatives = Set(d.initiatives.map(\.slug))
        var issues: [ImportIssue] = []
        for (index, r) in reports.enumerated() {
            let at = "reports[\(index)] (\(r.period), utgave \(r.revision ?? 1))"
            func missing(_ what: String, _ id: String) {
                issues.append(
                    ImportIssue(
                        file: source.label, line: nil,
                        message: "\(at) viser til \(what) «\(id)», som ikke finnes i datasettet"))
            }
            for o in r.content.overall.overarching where !overarching.contains(o.id) {
                missing("det overordnede målet", o.id)
            }
            for slug in r.content.overall.benefitAnswers.keys.sorted() where !initiatives.contains(slug) {
                missing("tiltaket", slug)
            }
            for g in r.content.goals {
                if !goals.contains(g.goalId) { missing("mål", g.goalId) }
                for s in g.subgoals where !subgoals.contains(s.id) { missing("delmålet", s.id) }
                for i in g.indicators where !indicators.contains(i.id) { missing("indikatoren", i.id) }
            }
        }
        return issues
    }

    public static func scoringRounds(_ rounds: [ScoringRound], dataset d: Dataset, from source: Source) -> [ImportIssue]
    {
        let initiatives = Set(d.initiatives.map(\.slug))
        return rounds.enumerated().flatMap { (index, round) in
            round.candidates.compactMap { c -> ImportIssue? in
                guard let slug = c.initiativeSlug, !initiatives.contains(slug) else { return nil }
                return ImportIssue(
                    file: source.label, line: nil,
                    message: "rounds[\(index)] «\(round.title)», kandidaten «\(c.name)» viser til tiltaket "
                        + "«\(slug)», som ikke finnes i datasettet")
            }
        }
    }

    public static func councils(_ councils: CouncilData, targets: LinkTargets, from source: Source) -> [ImportIssue] {
        councils.problems(targets: targets).map { ImportIssue(file: source.label, line: nil, message: $0) }
    }
}
