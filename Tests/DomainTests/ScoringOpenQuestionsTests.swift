import XCTest

@testable import Domain

final class ScoringOpenQuestionsTests: XCTestCase {
    /// Two top-level groups with two questions each, scale 0–10: the score is mean(a) + mean(b), 0–20.
    static func model(lowerIsBetterB2: Bool = false) -> ScoringModel {
        ScoringModel(
            id: "m", version: 1, name: "M",
            groups: [
                Criterion(
                    id: "a", title: "A",
                    children: [
                        Criterion(id: "a.1", title: "A1"),
                        Criterion(id: "a.2", title: "A2"),
                    ]),
                Criterion(
                    id: "b", title: "B",
                    children: [
                        Criterion(id: "b.1", title: "B1"),
                        Criterion(
                            id: "b.2", title: "B2",
                            lowerIsBetter: lowerIsBetterB2),
                    ]),
            ])
    }

    /// One row per candidate: answers to a.1, a.2, b.1, b.2 in that order; nil leaves the answer out.
    static func round(
        _ rows: [(id: String, values: [Double?])], unranked: Set<String> = [],
        model: ScoringModel = model(), extra: [Answer] = []
    ) -> ScoringRound {
        let ids = ["a.1", "a.2", "b.1", "b.2"]
        let candidates = rows.map {
            Candidate(
                id: $0.id, name: $0.id.uppercased(), initiativeSlug: nil,
                ranked: !unranked.contains($0.id))
        }
        let answers = rows.flatMap { row in
            zip(ids, row.values).compactMap { q, v in v.map { Answer(candidateId: row.id, questionId: q, value: $0) } }
        }
        return ScoringRound(
            id: "r", title: "R", date: nil, model: model, candidates: candidates,
            answers: answers + extra, stored: [])
    }

    /// The full evaluation with one more answer, for checking the analysis against.
    static func evaluate(
        _ round: ScoringRound, _ candidateId: String, _ questionId: String,
        _ value: Double
    ) -> [CandidateResult] {
        var changed = round
        changed.answers.append(Answer(candidateId: candidateId, questionId: questionId, value: value))
        return Scoring.evaluate(changed)
    }

    static func rank(_ results: [CandidateResult], _ id: String) -> Int? {
        results.first { $0.candidate.id == id }!.rank
    }

    static func leaders(_ results: [CandidateResult]) -> [String] {
        results.filter { $0.rank == 1 }.map(\.candidate.id)
    }

    func testACompleteRoundHasNoOpenQuestions() {
        let round = Self.round([("x", [6, 6, 6, 6]), ("y", [5, 5, 5, 5]), ("z", [4, 4, 4, 4])])
        XCTAssertEqual(ScoringOpenQuestions.analyse(round), [])
        XCTAssertEqual(ScoringOpenQuestions.topChangers(round), [])
    }

    func testTheEndsOfTheScaleMoveACandidateBetweenFirstAndThird() throws {
        // x: 6 + (5 + b.2) / 2 is 11 now, 13.5 with 10 and 8.5 with 0; y has 12 and z 10.
        let round = Self.round([("x", [6, 6, 5, nil]), ("y", [6, 6, 6, 6]), ("z", [5, 5, 5, 5])])
        let open = ScoringOpenQuestions.analyse(round)
        XCTAssertEqual(open.count, 1)
        let q = try XCTUnwrap(open.first)
        XCTAssertEqual(q.candidateId, "x")
        XCTAssertEqual(q.questionId, "b.2")
        XCTAssertEqual(q.currentRank, 2)
        XCTAssertEqual(q.bestRank, 1)
        XCTAssertEqual(q.worstRank, 3)
        XCTAssertEqual(q.bestAnswer, 10)
        XCTAssertEqual(q.worstAnswer, 0)
        XCTAssertTrue(q.isRanked)
        XCTAssertEqual(q.leadersNow, ["y"])
        XCTAssertEqual(q.leadersAtBest, ["x"])
        XCTAssertEqual(q.leadersAtWorst, ["y"])
        XCTAssertEqual(q.newLeaders, ["x"])
        XCTAssertTrue(q.changesTop)
        XCTAssertEqual(ScoringOpenQuestions.topChangers(round), [q])
        XCTAssertEqual(Self.rank(Self.evaluate(round, "x", "b.2", 10), "x"), 1)
        XCTAssertEqual(Self.rank(Self.evaluate(round, "x", "b.2", 0), "x"), 3)
        XCTAssertEqual(
            ScoringOpenQuestions.summary(q, candidateName: "X", questionTitle: "B2"),
            "«B2» for X: kan gi rang 1–3 (nå rang 2). Svaret kan endre hvem som er nummer 1.")
    }

    func testAnAnswerThatCannotChangeAnything() throws {
        // z: 1 + (1 + b.2) / 2 is at most 6.5, far behind x (12) and y (10).
        let round = Self.round([("x", [6, 6, 6, 6]), ("y", [5, 5, 5, 5]), ("z", [1, 1, 1, nil])])
        let q = try XCTUnwrap(ScoringOpenQuestions.analyse(round).first)
        XCTAssertEqual(q.candidateId, "z")
        XCTAssertEqual([q.currentRank, q.bestRank, q.worstRank], [3, 3, 3])
        XCTAssertFalse(q.changesTop)
        XCTAssertEqual(q.leadersNow, ["x"])
        XCTAssertEqual(q.leadersAtBest, ["x"])
        XCTAssertEqual(q.leadersAtWorst, ["x"])
        XCTAssertEqual(q.newLeaders, [])
        XCTAssertEqual(ScoringOpenQuestions.topChangers(round), [])
        XCTAssertEqual(
            ScoringOpenQuestions.summary(q, candidateName: "Z", questionTitle: "B2"),
            "«B2» for Z: gir rang 3 uansett svar.")
    }

    func testALowerIsBetterQuestionIsBestAtTheBottomOfItsScale() throws {
        // b.2 is turned around: y's 4 counts as 6 (y 12, z 10); x with 0 counts as 10 (13.5), with 10 as 0 (8.5).
        let round = Self.round(
            [("x", [6, 6, 5, nil]), ("y", [6, 6, 6, 4]), ("z", [5, 5, 5, 5])],
            model: Self.model(lowerIsBetterB2: true))
        let q = try XCTUnwrap(ScoringOpenQuestions.analyse(round).first)
        XCTAssertEqual(q.bestAnswer, 0)
        XCTAssertEqual(q.worstAnswer, 10)
        XCTAssertEqual(q.currentRank, 2)
        XCTAssertEqual(q.bestRank, 1)
        XCTAssertEqual(q.worstRank, 3)
        XCTAssertTrue(q.changesTop)
        XCTAssertEqual(Self.rank(Self.evaluate(round, "x", "b.2", 0), "x"), 1)
        XCTAssertEqual(Self.rank(Self.evaluate(round, "x", "b.2", 10), "x"), 3)
    }

    func testACandidateMissingWholeGroups() throws {
        // x has nothing in group b: one answer there completes it. w has only an explicit "not answered" in a.1:
        // one answer anywhere still leaves the other group empty.
        let round = Self.round(
            [
                ("w", [nil, nil, nil, nil]), ("x", [6, 6, nil, nil]), ("y", [6, 6, 6, 6]),
                ("z", [5, 5, 5, 5]),
            ],
            extra: [Answer(candidateId: "w", questionId: "a.1", value: nil)])
        let open = ScoringOpenQuestions.analyse(round)
        XCTAssertEqual(
            open.map { "\($0.candidateId) \($0.questionId)" },
            ["w a.1", "w a.2", "w b.1", "w b.2", "x b.1", "x b.2"],
            "candidates in round order, questions in model order")
        for q in open where q.candidateId == "w" {
            XCTAssertNil(q.currentRank)
            XCTAssertNil(q.bestRank)
            XCTAssertNil(q.worstRank)
            XCTAssertFalse(q.changesTop)
            XCTAssertEqual(q.leadersNow, ["y"])
        }
        XCTAssertEqual(
            ScoringOpenQuestions.summary(open[0], candidateName: "W", questionTitle: "A1"),
            "«A1» for W: gir ingen rang alene, for kandidaten mangler fortsatt svar i minst én gruppe.")
        // x: 6 + b.1 alone, 16 with 10 and 6 with 0.
        let x = open[4]
        XCTAssertNil(x.currentRank)
        XCTAssertEqual(x.bestRank, 1)
        XCTAssertEqual(x.worstRank, 3)
        XCTAssertTrue(x.changesTop)
        XCTAssertEqual(x.leadersAtBest, ["x"])
        XCTAssertEqual(
            ScoringOpenQuestions.summary(x, candidateName: "X", questionTitle: "B1"),
            "«B1» for X: svaret gjør poengsummen komplett og kan gi rang 1–3. "
                + "Svaret kan endre hvem som er nummer 1.")
        XCTAssertEqual(ScoringOpenQuestions.topChangers(round).map(\.questionId), ["b.1", "b.2"])
    }

    func testTies() throws {
        // The best answer ties the leader: x is 6 + (2 + b.2) / 2, 12 with 10, like y.
        let reachTie = Self.round([("x", [6, 6, 2, nil]), ("y", [6, 6, 6, 6]), ("z", [5, 5, 5, 5])])
        let tie = try XCTUnwrap(ScoringOpenQuestions.analyse(reachTie).first)
        XCTAssertEqual([tie.currentRank, tie.bestRank, tie.worstRank], [3, 1, 3])
        XCTAssertEqual(tie.leadersAtBest, ["x", "y"])
        XCTAssertEqual(tie.newLeaders, ["x"])
        XCTAssertTrue(tie.changesTop)
        XCTAssertTrue(Self.evaluate(reachTie, "x", "b.2", 10).filter { $0.rank == 1 }.allSatisfy(\.tied))

        // The worst answer ties z for second place: x is 6 + (8 + b.2) / 2, 15 or 10; ranks 1, 2, 2 (competition).
        let shareSecond = Self.round([("x", [6, 6, 8, nil]), ("y", [6, 6, 6, 6]), ("z", [5, 5, 5, 5])])
        let second = try XCTUnwrap(ScoringOpenQuestions.analyse(shareSecond).first)
        XCTAssertEqual([second.currentRank, second.bestRank, second.worstRank], [1, 1, 2])
        XCTAssertEqual(second.leadersAtWorst, ["y"])
        XCTAssertEqual(Self.rank(Self.evaluate(shareSecond, "x", "b.2", 0), "z"), 2)
        XCTAssertTrue(second.changesTop)

        // x and y share rank 1 now; any answer but 6 breaks the tie, so the top changes with no new leader.
        let tiedNow = Self.round([("x", [6, 6, 6, nil]), ("y", [6, 6, 6, 6]), ("z", [5, 5, 5, 5])])
        let broken = try XCTUnwrap(ScoringOpenQuestions.analyse(tiedNow).first)
        XCTAssertEqual([broken.currentRank, broken.bestRank, broken.worstRank], [1, 1, 3])
        XCTAssertEqual(broken.leadersNow, ["x", "y"])
        XCTAssertEqual(broken.leadersAtBest, ["x"])
        XCTAssertEqual(broken.leadersAtWorst, ["y"])
        XCTAssertEqual(broken.newLeaders, [])
        XCTAssertTrue(broken.changesTop)
        XCTAssertEqual(
            ScoringOpenQuestions.summary(broken, candidateName: "X", questionTitle: "B2"),
            "«B2» for X: kan gi rang 1–3 (nå rang 1). Svaret kan endre hvem som er nummer 1.")

        // A tie among the others that the open answer cannot reach stays as it is.
        let out = Self.round([("x", [6, 6, 6, 6]), ("y", [6, 6, 6, 6]), ("z", [1, 1, 1, nil])])
        let behind = try XCTUnwrap(ScoringOpenQuestions.analyse(out).first)
        XCTAssertEqual([behind.currentRank, behind.bestRank, behind.worstRank], [3, 3, 3])
        XCTAssertEqual(behind.leadersNow, ["x", "y"])
        XCTAssertFalse(behind.changesTop)
    }

    func testAnUnrankedCandidateGetsNoRankWhateverItsScore() throws {
        let round = Self.round([("x", [6, 6, 6, 6]), ("y", [5, 5, 5, 5]), ("z", [9, 9, 9, nil])], unranked: ["z"])
        let q = try XCTUnwrap(ScoringOpenQuestions.analyse(round).first)
        XCTAssertEqual(q.candidateId, "z")
        XCTAssertFalse(q.isRanked)
        XCTAssertNil(q.currentRank)
        XCTAssertNil(q.bestRank)
        XCTAssertNil(q.worstRank)
        XCTAssertFalse(q.changesTop, "18 would lead, but z is not part of the ranking")
        XCTAssertEqual(
            ScoringOpenQuestions.summary(q, candidateName: "Z", questionTitle: "B2"),
            "«B2» for Z: kandidaten er ikke med i rangeringen.")
    }

    /// The analysis tries only the ends of each scale and re-scores one candidate; here it is checked against full
    /// evaluations over five values per scale (ends, quarters and midpoint) on random rounds with nested groups,
    /// weighted means, lowerIsBetter questions, another scale, model weights, unranked candidates and many ties.
    func testItAgreesWithFullEvaluationsOverTheWholeScale() {
        var generator = Generator.Random(seed: 2022)
        var pairs = 0
        var changers = 0
        var ties = 0
        var incomplete = 0
        for seed in 0..<16 {
            let round = Self.randomRound(&generator, weighted: seed % 2 == 0)
            let open = ScoringOpenQuestions.analyse(round)
            let base = Scoring.evaluate(round)
            let now = Self.leaders(base)
            let expected = round.candidates.flatMap { c in
                round.model.questions.filter { q in
                    !round.answers.contains {
                        $0.candidateId == c.id && $0.questionId == q.id && $0.value != nil
                    }
                }.map { "\(c.id) \($0.id)" }
            }
            XCTAssertEqual(open.map { "\($0.candidateId) \($0.questionId)" }, expected, "round \(seed)")
            XCTAssertEqual(ScoringOpenQuestions.topChangers(round), open.filter(\.changesTop))
            for q in open {
                let scale = round.model.criterion(q.questionId)!
                let grid = (0...4).map { scale.scaleMin + (scale.scaleMax - scale.scaleMin) * Double($0) / 4 }
                let outcomes = grid.map { Self.evaluate(round, q.candidateId, q.questionId, $0) }
                let ranks = outcomes.map { Self.rank($0, q.candidateId) }
                let label = "round \(seed), \(q.candidateId) \(q.questionId)"
                XCTAssertEqual(q.currentRank, Self.rank(base, q.candidateId), label)
                XCTAssertEqual(q.leadersNow, now, label)
                if ranks.allSatisfy({ $0 == nil }) {
                    XCTAssertNil(q.bestRank, label)
                    XCTAssertNil(q.worstRank, label)
                    incomplete += 1
                } else {
                    XCTAssertFalse(ranks.contains(nil), label)
                    XCTAssertEqual(q.bestRank, ranks.compactMap { $0 }.min(), label)
                    XCTAssertEqual(q.worstRank, ranks.compactMap { $0 }.max(), label)
                }
                XCTAssertEqual(Set([q.bestAnswer, q.worstAnswer]), [scale.scaleMin, scale.scaleMax], label)
                let highIsBest = q.bestAnswer == scale.scaleMax
                let (atBest, atWorst) = highIsBest ? (outcomes[4], outcomes[0]) : (outcomes[0], outcomes[4])
                XCTAssertEqual(q.bestRank, Self.rank(atBest, q.candidateId), label)
                XCTAssertEqual(q.worstRank, Self.rank(atWorst, q.candidateId), label)
                XCTAssertEqual(q.leadersAtBest, Self.leaders(atBest), label)
                XCTAssertEqual(q.leadersAtWorst, Self.leaders(atWorst), label)
                XCTAssertEqual(q.changesTop, outcomes.contains { Self.leaders($0) != now }, label)
                pairs += 1
                if q.changesTop { changers += 1 }
                let tiedSomewhere = outcomes.contains { $0.contains { $0.candidate.id == q.candidateId && $0.tied } }
                if tiedSomewhere { ties += 1 }
            }
        }
        // The random rounds must exercise every branch, or the comparison proves little.
        XCTAssertGreaterThan(pairs, 200)
        XCTAssertGreaterThan(changers, 10)
        XCTAssertGreaterThan(ties, 10)
        XCTAssertGreaterThan(incomplete, 10)
        XCTAssertGreaterThan(pairs - changers - incomplete, 10)
    }

    func testFortyCandidatesAndThirtyQuestionsAreQuick() {
        let groups = (0..<3).map { g in
            Criterion(
                id: "g\(g)", title: "G\(g)",
                children: (0..<10).map { i in
                    Criterion(id: "g\(g).q\(i)", title: "Q\(i)", lowerIsBetter: i == 9)
                })
        }
        let model = ScoringModel(id: "m", version: 1, name: "M", groups: groups, weights: ["g0": 2])
        let candidates = (0..<40).map {
            Candidate(id: "c\($0)", name: "C\($0)", initiativeSlug: nil, ranked: $0 % 13 != 5)
        }
        var answers: [Answer] = []
        for (c, candidate) in candidates.enumerated() {
            for (q, question) in model.questions.enumerated() {
                switch (c * 7 + q * 3) % 5 {
                case 0: continue  // left out
                case 1: answers.append(Answer(candidateId: candidate.id, questionId: question.id, value: nil))
                default:
                    answers.append(
                        Answer(
                            candidateId: candidate.id, questionId: question.id,
                            value: Double((c * 31 + q * 17) % 11)))
                }
            }
        }
        let round = ScoringRound(
            id: "r", title: "R", date: nil, model: model, candidates: candidates, answers: answers,
            stored: [])
        let start = Date()
        let open = ScoringOpenQuestions.analyse(round)
        let elapsed = Date().timeIntervalSince(start)
        print("ScoringOpenQuestions.analyse, 40 × 30 with \(open.count) open pairs: \(elapsed) s")
        XCTAssertEqual(open.count, 40 * 30 * 2 / 5)
        XCTAssertLessThan(elapsed, 2, "two re-rankings per open pair, not two full evaluations")
        for q in open.prefix(3) {
            let atBest = Self.evaluate(round, q.candidateId, q.questionId, q.bestAnswer)
            XCTAssertEqual(q.bestRank, Self.rank(atBest, q.candidateId))
        }
    }

    // MARK: random rounds

    /// m: mean of three questions (one lowerIsBetter); k: weighted mean of a 1–5 question and a subgroup;
    /// n: mean of two questions.
    static let richModel = ScoringModel(
        id: "rich", version: 1, name: "Rik",
        groups: [
            Criterion(
                id: "m", title: "M",
                children: [
                    Criterion(id: "m.1", title: "M1"), Criterion(id: "m.2", title: "M2"),
                    Criterion(id: "m.3", title: "M3", lowerIsBetter: true),
                ]),
            Criterion(
                id: "k", title: "K",
                children: [
                    Criterion(id: "k.1", title: "K1", scaleMin: 1, scaleMax: 5),
                    Criterion(
                        id: "k.s", title: "KS",
                        children: [
                            Criterion(id: "k.s.1", title: "KS1"),
                            Criterion(id: "k.s.2", title: "KS2", lowerIsBetter: true),
                        ]),
                ], aggregation: .weightedMean(["k.1": 2, "k.s": 1])),
            Criterion(
                id: "n", title: "N",
                children: [
                    Criterion(id: "n.1", title: "N1"),
                    Criterion(id: "n.2", title: "N2"),
                ]),
        ])

    static func randomRound(_ g: inout Generator.Random, weighted: Bool) -> ScoringRound {
        var model = richModel
        if weighted { model.weights = ["m": 2, "n": 0.5] }
        let candidates = (0..<6).map { Candidate(id: "c\($0)", name: "C\($0)", initiativeSlug: nil, ranked: $0 != 5) }
        var answers: [Answer] = []
        for c in candidates {
            for q in model.questions {
                let roll = g.int(0...19)
                if roll < 5 { continue }
                // Few distinct values, so ties are common.
                let low = Int(q.scaleMin)
                let steps = (Int(q.scaleMax) - low) / 2
                let value: Double? = roll < 7 ? nil : Double(low + 2 * g.int(0...steps))
                answers.append(Answer(candidateId: c.id, questionId: q.id, value: value))
            }
        }
        return ScoringRound(
            id: "r", title: "R", date: nil, model: model, candidates: candidates, answers: answers,
            stored: [])
    }
}

/// The grid's cell-by-cell merge of one candidate's row with a colleague's save.
final class ScoringRowMergeTests: XCTestCase {
    func testCellsChangedByOnlyOneSideMergeAndTheSameCellChangedTwoWaysConflicts() {
        let model = ScoringModel(
            id: "m", version: 1, name: "M",
            groups: [
                Criterion(
                    id: "g", title: "G",
                    children: [
                        Criterion(id: "q1", title: "Q1"), Criterion(id: "q2", title: "Q2"),
                        Criterion(id: "q3", title: "Q3"),
                    ])
            ])
        let opened = ScoringRound(
            id: "r", title: "R", date: nil, model: model,
            candidates: [Candidate(id: "a", name: "A", initiativeSlug: nil)],
            answers: [Answer(candidateId: "a", questionId: "q1", value: 1)], stored: [])
        let original = opened.cells(of: "a", comments: false)
        var stored = opened
        stored.answers = [
            Answer(candidateId: "a", questionId: "q1", value: 1), Answer(candidateId: "a", questionId: "q2", value: 5),
        ]
        // Mine: q3 changed, q1 and q2 as opened.
        let mine = [
            Answer(candidateId: "a", questionId: "q1", value: 1),
            Answer(candidateId: "a", questionId: "q3", value: nil, unknown: true),
        ]
        let merged = stored.merge("a", mine: mine, original: original, comments: false)
        XCTAssertEqual(merged.conflicts, [])
        XCTAssertEqual(merged.answers.map(\.text), ["1", "5", "vet ikke"], "the colleague's q2 and my q3")
        // Both changed q2, differently.
        let clash = stored.merge(
            "a", mine: mine + [Answer(candidateId: "a", questionId: "q2", value: 7)], original: original,
            comments: false)
        XCTAssertEqual(clash.conflicts, ["q2"])
        // Both changed q2 the same way: no conflict.
        let same = stored.merge(
            "a", mine: mine + [Answer(candidateId: "a", questionId: "q2", value: 5)], original: original,
            comments: false)
        XCTAssertEqual(same.conflicts, [])
        XCTAssertEqual(Answer(candidateId: "a", questionId: "q", value: 7.5).text, "7,5", "Norwegian decimals")
    }
}
