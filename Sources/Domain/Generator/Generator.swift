import Foundation

/// A realistic large dataset for load tests: a base dataset (any strategy's) plus synthetic content of the same shape,
/// scaled by `scale` and fully determined by `seed` (the same arguments give byte-identical data). Synthetic names say
/// they are synthetic; everything else comes from the base: actor types, topics (its initiatives' short titles), the
/// regions of breakdowns (its top-level actors), phases, goals and years (its strategy period).
///
/// At scale N: min(357, 36·N) local actors of the base's most common actor type, and five units under every base
/// actor that has units of its own; 20·(N−1) more initiatives with activities per actor, so about 210·N activities
/// in all; 30·N indicators with 40 quarters of data (and a regional breakdown each year); 5·N quarterly reports (at
/// most 100); 10·N council meetings of 6–8 cases; 2·N scoring rounds.
public enum Generator {
    public struct Output: Sendable {
        public var dataset: Dataset
        public var reports: [ReportFile]
        public var rounds: [ScoringRound]
        public var councils: CouncilData
        public init(dataset: Dataset, reports: [ReportFile], rounds: [ScoringRound], councils: CouncilData) {
            self.dataset = dataset
            self.reports = reports
            self.rounds = rounds
            self.councils = councils
        }
    }

    /// SplitMix64: small, fast and the same on every platform.
    public struct Random: Sendable {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        public mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }
        public mutating func double() -> Double { Double(next() >> 11) / Double(1 << 53) }
        public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    }

    /// What the synthetic records are about: the base's own initiatives (short titles), or numbered topics.
    static func topics(of d: Dataset) -> [String] {
        let own = d.initiatives.map { $0.shortTitle.isEmpty ? $0.title : $0.shortTitle }
        return own.isEmpty ? (1...15).map { "tema \($0)" } : own
    }

    /// The most common value, ties broken by first appearance; nil for none.
    static func mostCommon<T: Hashable>(_ items: [T]) -> T? {
        var counts: [T: Int] = [:]
        for item in items { counts[item, default: 0] += 1 }
        return items.first { counts[$0] == counts.values.max() }
    }

    /// With `municipalityBreakdowns`, every indicator also gets a breakdown per local actor each year: about 3 600
    /// values a generated indicator, some 0.9 million at scale 10 (the benchmark's "values at scale 1000").
    public static func generate(scale: Int, seed: UInt64, base: Output, municipalityBreakdowns: Bool = false) -> Output
    {
        precondition(scale >= 1)
        var rng = Random(seed: seed)
        var d = base.dataset
        let start = d.strategy.periodStart
        let topics = Self.topics(of: d)
        // Actors: units under the base actors that have units, and local actors of the base's most common type.
        let parents = Set(d.actors.compactMap(\.parentSlug))
        var trustSlugs: [String] = []
        for parent in d.actors where parents.contains(parent.slug) {
            let unitType = mostCommon(d.actors.filter { $0.parentSlug == parent.slug }.map(\.type)) ?? parent.type
            for k in 1...5 {
                let slug = "gen-enhet-\(parent.slug)-\(k)"
                guard !d.actors.contains(where: { $0.slug == slug }) else { continue }
                d.actors.append(
                    Actor(
                        slug: slug, name: "Generert enhet \(k) under \(parent.shortName)",
                        shortName: "Enhet \(k) (\(parent.shortName))", type: unitType, parentSlug: parent.slug,
                        description: "Syntetisk enhet for lasttester."))
                trustSlugs.append(slug)
            }
        }
        let localType =
            mostCommon(d.actors.map(\.type)) ?? d.strategy.actorTypes.all.first?.code ?? ActorType(rawValue: "aktor")
        var municipalities: [String] = []
        for n in 1...min(357, 36 * scale) {
            let slug = "gen-aktor-\(pad(n, 3))"
            d.actors.append(
                Actor(
                    slug: slug, name: "Generert aktør \(pad(n, 3))", shortName: "Aktør \(pad(n, 3))",
                    type: localType, parentSlug: nil, description: "Syntetisk aktør for lasttester."))
            municipalities.append(slug)
        }
        let actorPool = d.actors.map(\.slug)
        let subgoalIds = d.subgoals.map(\.id)
        // Initiatives, activities and milestones.
        let targetActivities = 210 * scale
        var activityCount = d.activities.count
        var initiativeIndex = 0
        let phases = d.strategy.phases.all.map(\.code)
        while activityCount < targetActivities || initiativeIndex < 20 * (scale - 1) {
            initiativeIndex += 1
            let topic = rng.pick(topics)
            let slug = "gen-tiltak-\(pad(initiativeIndex, 4))"
            let sub = rng.pick(subgoalIds)
            d.initiatives.append(
                Initiative(
                    slug: slug, title: "Generert tiltak \(initiativeIndex): \(topic)",
                    shortTitle: "Tiltak \(initiativeIndex)",
                    kind: rng.int(0...2) == 0 ? .actor : .national, priorityRank: nil, subgoalIds: [sub],
                    target: "Syntetisk mål for \(topic) innen \(start + 3 + rng.int(0...4)).",
                    description: "Syntetisk tiltak om \(topic), laget av veikart generate for lasttester."))
            for a in 0..<rng.int(6...14) {
                let actor =
                    a < 2
                    ? rng.pick(trustSlugs.isEmpty ? actorPool : trustSlugs)
                    : rng.pick(municipalities.isEmpty ? actorPool : municipalities)
                let startYear = start - 1 + rng.int(0...5)
                let length = rng.int(0...3)
                let startQuarter = rng.int(1...4)
                let endQuarter = rng.int(1...4)
                let span = try! Span(
                    start: .quarter(startYear, startQuarter),
                    end: .quarter(startYear + length, length == 0 ? max(startQuarter, endQuarter) : endQuarter))
                var activity = Activity(
                    id: "\(slug)-a\(a)", initiativeSlug: slug, actorSlug: actor, phase: rng.pick(phases), span: span,
                    tentative: rng.int(0...3) == 0, description: "Syntetisk aktivitet \(a + 1) for \(topic).")
                if rng.int(0...9) == 0 {
                    activity.baseline = .quarter(startYear + max(0, length - 1), 4)
                    activity.delay = Delay(
                        kind: rng.pick(DelayKind.allCases), cause: rng.pick(DelayCause.allCases),
                        note: "Syntetisk forsinkelse.")
                }
                d.activities.append(activity)
                activityCount += 1
            }
            d.milestones.append(
                Milestone(
                    id: "\(slug)-m1", initiativeSlug: slug, actorSlug: nil, kind: rng.pick(MilestoneKind.allCases),
                    date: .quarter(start + 1 + rng.int(0...5), rng.int(1...4)), tentative: false,
                    description: "Syntetisk milepæl for \(topic)."))
            d.milestones.append(
                Milestone(
                    id: "\(slug)-m2", initiativeSlug: slug, actorSlug: nil, kind: rng.pick(MilestoneKind.allCases),
                    date: .year(start + 4 + rng.int(0...3)), tentative: true,
                    description: "Syntetisk milepæl for \(topic)."))
        }
        // Indicators with 40 quarters (ten years up to two years into the strategy) and a breakdown by the base's
        // top-level actors each fourth quarter.
        let goalIds = d.goals.map(\.id)
        let topLevel = base.dataset.actors.filter { $0.parentSlug == nil }.prefix(4).map(\.name)
        let regionNames = topLevel.isEmpty ? (1...4).map { "Region \($0)" } : Array(topLevel)
        let firstYear = start - 7
        var n = 0
        while d.indicators.count < 30 * scale {
            n += 1
            let id = "gen-indikator-\(pad(n, 4))"
            let topic = rng.pick(topics)
            let percent = rng.int(0...2) > 0
            d.indicators.append(
                Indicator(
                    id: id, name: "Generert indikator \(n): \(topic)", description: "Syntetisk indikator for \(topic).",
                    goalIds: [rng.pick(goalIds)], overarchingGoalId: nil, international: false,
                    kind: rng.pick(IndicatorKind.allCases),
                    unit: percent ? .percent : .count, direction: .hoyere, source: "Syntetisk kilde",
                    frequency: .kvartalsvis, readiness: rng.int(0...1) == 0 ? .klar : .underArbeid, dashboardOrder: nil,
                    noAmbitionReason: ""))
            var value = percent ? 10 + rng.double() * 30 : 1000 + rng.double() * 5000
            for q in 0..<40 {
                let period = Period.quarter(firstYear + q / 4, q % 4 + 1)
                value = percent ? min(99, value + rng.double() * 1.5) : value * (1 + rng.double() * 0.04)
                d.measurements.append(
                    IndicatorMeasurement(indicatorId: id, period: period, value: (value * 10).rounded() / 10))
                if q % 4 == 3, municipalityBreakdowns {
                    for (k, municipality) in municipalities.enumerated() {
                        d.measurements.append(
                            IndicatorMeasurement(
                                indicatorId: id, period: period,
                                value: ((value * (0.7 + Double((k * 37) % 61) / 100))
                                    * 10).rounded() / 10, dimension: localType.rawValue,
                                member: "Generert aktør \(pad(k + 1, 3))"))
                    }
                }
                if q % 4 == 3 {
                    for region in regionNames {
                        d.measurements.append(
                            IndicatorMeasurement(
                                indicatorId: id, period: period,
                                value: ((value * (0.8 + rng.double() * 0.4)) * 10).rounded() / 10,
                                dimension: "region", member: region))
                    }
                }
            }
            d.ambitions.append(
                Ambition(
                    indicatorId: id, period: .year(d.strategy.periodEnd),
                    value: percent ? min(100, (value + 20).rounded()) : (value * 1.5).rounded(),
                    state: .foreslatt))
        }

        // Reports: the base's latest content for 5·N quarters back from the fourth quarter of the strategy's third
        // year (periods the base has stay as they are).
        var reports = base.reports
        if let template = base.reports.last {
            let have = Set(reports.map(\.period))
            var q = 0
            while reports.count < min(100, 5 * scale) {
                let quarter = (start + 2) * 4 + 3 - q
                q += 1
                let period = "\(quarter / 4)-Q\(quarter % 4 + 1)"
                guard !have.contains(period) else { continue }
                reports.append(
                    ReportFile(
                        period: period, revision: nil, state: nil, correctionReason: nil, content: template.content))
            }
            reports.sort { $0.period < $1.period }
        }

        // Scoring rounds: the base's first round with answers moved a little, as another year's round would.
        var rounds = base.rounds
        if let template = base.rounds.first {
            for r in 1..<max(1, 2 * scale) {
                var round = template
                round.id = "gen-runde-\(pad(r, 3))"
                round.title = "Generert prioriteringsrunde \(r)"
                round.date = Day(year: start - 13 + r % 15, month: 9, day: 21)
                round.stored = []
                round.answers = template.answers.map { a in
                    var moved = a
                    if let v = a.value { moved.value = Double(min(10, max(0, Int(v) + rng.int(0...2) - 1))) }
                    return moved
                }
                rounds.append(round)
            }
        }

        // Council meetings: 10·N, spread over the base's councils, each with 6–8 cases linked to the strategy.
        var councils = base.councils
        let slugs = councils.councils.map(\.slug)
        let linkable =
            d.initiatives.map { CaseLink(kind: .initiative, target: $0.slug) }
            + d.indicators.map { CaseLink(kind: .indicator, target: $0.id) }
        var used: [String: Int] = [:]
        for c in councils.cases {
            if let m = councils.meetings.first(where: { $0.id == c.meetingId }) {
                used["\(m.council)/\(c.number.year)", default: 0] = max(
                    used["\(m.council)/\(c.number.year)"] ?? 0, c.number.sequence)
            }
        }
        var dates = Set(councils.meetings.map { "\($0.council)/\($0.startsOn)" })
        let presenterOrganisations = base.dataset.actors.isEmpty ? ["Sekretariatet"] : base.dataset.actors.map(\.name)
        var m = 0
        while councils.meetings.count < 10 * scale, !slugs.isEmpty {
            m += 1
            let council = slugs[m % slugs.count]
            let day = Day(year: start - 8 + rng.int(0...11), month: rng.int(1...12), day: rng.int(1...28))!
            guard dates.insert("\(council)/\(day)").inserted else { continue }
            let meeting = Meeting(
                id: "gen-mote-\(pad(m, 4))", council: council, number: "", startsOn: day, endsOn: day,
                startTime: ClockTime(hour: 10, minute: 0),
                endTime: ClockTime(hour: 15, minute: 0), place: "Møtested \(rng.int(1...5))",
                state: rng.int(0...3) == 0 ? .innkalt : .referat, note: "Syntetisk møte for lasttester.",
                substitutes: [],
                breaks: [AgendaBreak(title: "Lunsj", day: 1, time: ClockTime(hour: 11, minute: 30))])
            councils.meetings.append(meeting)
            let key = "\(council)/\(day.year)"
            for k in 0..<rng.int(6...8) {
                let sequence = (used[key] ?? 0) + 1
                used[key] = sequence
                let topic = rng.pick(topics)
                let links =
                    linkable.isEmpty ? [] : Array(Set((0..<rng.int(0...3)).map { _ in rng.pick(linkable) })).sorted()
                councils.cases.append(
                    CouncilCase(
                        id: "\(meeting.id)-s\(k)", meetingId: meeting.id,
                        number: CaseNumber(sequence: sequence, year: day.year),
                        title: "Syntetisk sak om \(topic)", type: rng.pick(CaseType.allCases),
                        presenters: [
                            Presenter(name: "Saksbehandler \(k + 1)", organisation: rng.pick(presenterOrganisations))
                        ],
                        day: 1, time: ClockTime(hour: 10 + k / 2, minute: k % 2 * 30),
                        summary: "Syntetisk saksfremstilling om \(topic).",
                        questions: ["Hva bør rådet anbefale om \(topic)?"],
                        proposedDecision: "Rådet tar saken til orientering.",
                        decision: meeting.state == .referat ? "Rådet tok saken til orientering." : "", followUps: [],
                        links: links, withdrawn: false))
            }
        }
        return Output(dataset: d, reports: reports, rounds: rounds, councils: councils)
    }
}
