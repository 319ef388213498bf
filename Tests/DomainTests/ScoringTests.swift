import XCTest

@testable import Domain

final class ScoringTests: XCTestCase {
    static func seedRound() throws -> ScoringRound {
        let url = SeedFolder.url.deletingLastPathComponent().appendingPathComponent(
            "scoring/ehelseradet-2022-09-21.csv")
        let d = try DatasetFormat.read(SeedFolder.read())
        return try ScoringCSV.read(
            try String(contentsOf: url, encoding: .utf8), file: "seed.csv", id: "ehelseradet-2022",
            title: "Nasjonalt e-helseråd 21.09.2022",
            date: Day(year: 2022, month: 9, day: 21), model: .ehelseraadet2022,
            initiatives: Set(d.initiatives.map(\.slug)))
    }

    func testTheSeedReproducesThePublishedScoresAndRanks() throws {
        let results = Scoring.evaluate(try Self.seedRound())
        let byId = Dictionary(uniqueKeysWithValues: results.map { ($0.candidate.id, $0) })
        let published: [(String, Double, Int)] = [
            ("pll", 22.8, 1), ("dd-spesialist", 20.8, 2), ("ki-spesialist", 19.8, 3), ("ki-fastleger", 19.1, 4),
            ("ki-kommunal", 18.3, 5), ("dbep", 18.2, 6), ("dd-legevakt", 18.2, 6), ("datadeling", 15.8, 8),
            ("dd-fastleger", 15.2, 9), ("dd-kommunal", 14.8, 10), ("ki-andre", 13.0, 11),
        ]
        for (id, score, rank) in published {
            // The sheet printed one decimal, rounding halves up.
            XCTAssertEqual((byId[id]!.score! * 10).rounded() / 10, score, id)
            if id != "dd-legevakt" { XCTAssertEqual(byId[id]!.rank, rank, id) }
        }
        XCTAssertEqual(byId["dbep"]!.rank, 6)
        XCTAssertEqual(byId["dd-legevakt"]!.rank, 6, "the sheet gave 6 and 7 to an exact tie; Veikart shows a tie")
        XCTAssertTrue(byId["dd-legevakt"]!.tied && byId["dbep"]!.tied)
        XCTAssertEqual(
            byId["datadeling"]!.rank, 8, "after the tie the ranks continue from the count (competition ranking)")
        XCTAssertNil(byId["hjelpenummer"]!.rank, "scored but left out of the ranking, as in the sheet")
        XCTAssertEqual(byId["hjelpenummer"]!.score!, 4 + 7.25 + 14.5 / 3, accuracy: 1e-9)
        XCTAssertEqual(byId["pll"]!.values["kostnader"]!, 6.25, accuracy: 1e-9)
        XCTAssertEqual(
            byId["ki-andre"]!.values["kostnader"]!, 4.0, accuracy: 1e-9,
            "the unanswered legal question is left out of the mean")
    }

    func testAGroupWithoutAnswersMakesTheScoreIncompleteNeverZero() throws {
        let results = Scoring.evaluate(try Self.seedRound())
        let andre = results.first { $0.candidate.id == "dd-andre" }!
        XCTAssertNil(andre.score)
        XCTAssertNil(andre.rank, "incomplete candidates are ranked separately")
        XCTAssertEqual(andre.missingGroups, ["nytte"])
        XCTAssertNil(andre.values["nytte.pasient"])
        XCTAssertEqual(andre.values["kostnader"], 4, "one answered cost question is a mean of one")
        XCTAssertEqual(andre.unanswered, 8)
    }

    func testTheConsistencyCheckFindsTheSheetsOwnMistakes() throws {
        let findings = Scoring.consistency(try Self.seedRound())
        let hjelpenummer = findings.first { $0.candidateId == "hjelpenummer" && $0.key == "score" }!
        XCTAssertEqual(hjelpenummer.stored, 25.75)
        XCTAssertEqual(hjelpenummer.computed!, 4 + 7.25 + (2.5 + 2 + 10) / 3, accuracy: 1e-9)
        XCTAssertTrue(
            findings.contains {
                $0.candidateId == "hjelpenummer" && $0.key == "nytte.pasient" && $0.stored == 5 && $0.computed == 2.5
            },
            "the sheet summed the patient answers instead of averaging")
        XCTAssertTrue(findings.contains { $0.candidateId == "dd-utenfor-kj" && $0.key == "score" && $0.stored == 16.3 })
        XCTAssertTrue(
            findings.contains {
                $0.candidateId == "dd-legevakt" && $0.key == "rang" && $0.stored == 7 && $0.computed == 6
            })
        XCTAssertFalse(
            findings.contains { $0.candidateId == "pll" }, "PLL's printed figures agree within the sheet's rounding")
        XCTAssertFalse(findings.contains { $0.candidateId == "ki-andre" })
    }

    func testWeightsAndSensitivity() throws {
        let round = try Self.seedRound()
        let withoutCosts = Scoring.evaluate(round, weights: ["maaloppnaelse": 1, "kostnader": 0, "nytte": 1])
        let pll = withoutCosts.first { $0.candidate.id == "pll" }!
        XCTAssertEqual(pll.score!, 9 + 7.5, accuracy: 1e-9)
        XCTAssertEqual(
            Scoring.variations(round.model).count, 27 + 3, "every weight in {0.5, 1, 1.5}, plus leaving each group out")
        let ranges = Scoring.rankRanges(round)
        let base = Dictionary(
            uniqueKeysWithValues: Scoring.evaluate(round).compactMap { r in r.rank.map { (r.candidate.id, $0) } })
        for (id, rank) in base { XCTAssertTrue(ranges[id]!.best <= rank && rank <= ranges[id]!.worst, id) }
        XCTAssertEqual(ranges["pll"]!.best, 1)
        XCTAssertLessThanOrEqual(
            ranges["pll"]!.worst, 2, "PLL stays at the top whatever the weights: a robust position")
        XCTAssertLessThan(
            ranges["datadeling"]!.best, ranges["datadeling"]!.worst,
            "the infrastructure-heavy candidate moves with the weights")
        XCTAssertNil(ranges["dd-andre"], "an incomplete candidate has no rank to vary")
    }

    func testTheSensitivityAnalysisIsBoundedForLargeModels() throws {
        var model = try Self.seedRound().model
        XCTAssertEqual(Scoring.variations(model).count, 27 + model.groups.count, "three groups: every combination")
        let group = model.groups[0]
        model.groups = (0..<10).map { i in
            var g = group
            g.id = "g\(i)"
            g.title = "Gruppe \(i)"
            return g
        }
        XCTAssertFalse(Scoring.variationsAreExhaustive(model))
        XCTAssertEqual(
            Scoring.variations(model).count, 1 + 2 * 10 + 10, "one weight at a time past six groups, not 3^10 = 59 049")
        XCTAssertTrue(Scoring.variationSummary(model).contains("alle 59049 kombinasjoner prøves ikke"))
        model.groups = (0..<13).map { i in
            var g = group
            g.id = "h\(i)"
            return g
        }
        XCTAssertTrue(model.problems.contains { $0.contains("høyst 12 toppnivågrupper") })
    }

    func testRankRangesAndLeaveOneOutUseTheModelsOwnWeights() throws {
        var round = try Self.seedRound()
        round.model.weights = [round.model.groups[0].id: 2, round.model.groups[1].id: 1, round.model.groups[2].id: 0.5]
        let variations = Scoring.variations(round.model)
        let first = round.model.groups[0].id
        XCTAssertEqual(
            Set(variations.prefix(27).map { $0.weights[first]! }), [1, 2, 3],
            "factors 0.5/1/1.5 on the model's weight 2")
        // The model's own ranking is one of the variations, so every rank lies inside its range.
        let ranges = Scoring.rankRanges(round)
        for r in Scoring.evaluate(round) {
            guard let rank = r.rank, let range = ranges[r.candidate.id] else { continue }
            XCTAssertTrue((range.best...range.worst).contains(rank), "\(r.candidate.id): rank \(rank) outside \(range)")
        }
        // Leaving a group out keeps the others at the model's weights.
        let out = Scoring.leaveOneOut(round)
        var expected = round.model.weights
        expected[first] = 0
        let ranks = Dictionary(
            uniqueKeysWithValues: Scoring.evaluate(round, weights: expected).compactMap { r in
                r.rank.map { (r.candidate.id, $0) }
            })
        XCTAssertEqual(out[0].ranks, ranks)
    }

    func testWeightedMeanGroups() {
        var model = ScoringModel(
            id: "m", version: 1, name: "M",
            groups: [
                Criterion(
                    id: "g", title: "G", children: [Criterion(id: "a", title: "A"), Criterion(id: "b", title: "B")],
                    aggregation: .weightedMean(["a": 3, "b": 1]))
            ])
        let round = ScoringRound(
            id: "r", title: "R", date: nil, model: model,
            candidates: [Candidate(id: "c", name: "C", initiativeSlug: nil)],
            answers: [
                Answer(candidateId: "c", questionId: "a", value: 8),
                Answer(candidateId: "c", questionId: "b", value: 4),
            ], stored: [])
        XCTAssertEqual(Scoring.evaluate(round)[0].score!, 7, accuracy: 1e-9)
        model.weights = ["g": 2]
        var doubled = round
        doubled.model = model
        XCTAssertEqual(Scoring.evaluate(doubled)[0].score!, 14, accuracy: 1e-9)
    }

    func testImportErrorsAreLineNumberedAndTheRoundTripIsLossless() throws {
        let round = try Self.seedRound()
        let text = ScoringCSV.write(round)
        let again = try ScoringCSV.read(
            text, file: "x.csv", id: round.id, title: round.title, date: round.date, model: round.model,
            initiatives: Set(round.candidates.compactMap(\.initiativeSlug)))
        XCTAssertEqual(again, round)
        // Text that a spreadsheet would run as a formula is written safe and read back as it was.
        var hostile = round
        hostile.candidates[0].name = "=HYPERLINK(\"https://evil.example\",\"Klikk\")"
        hostile.candidates[1].variant = "@SUM(1+1)"
        let safe = ScoringCSV.write(hostile)
        XCTAssertTrue(safe.contains("\"'=HYPERLINK("), safe)
        XCTAssertTrue(safe.contains(",'@SUM(1+1),"), safe)
        for record in try CSV.parse(safe) {
            for cell in record.fields {
                XCTAssertFalse(["=", "+", "@"].contains(cell.first), "\(cell) on line \(record.line)")
            }
        }
        let back = try ScoringCSV.read(
            safe, file: "x.csv", id: round.id, title: round.title, date: round.date, model: round.model,
            initiatives: Set(round.candidates.compactMap(\.initiativeSlug)))
        XCTAssertEqual(back, hostile)
        let bad =
            """
            kriterium,a,b,merknad\nnavn,A,B,\nmaaloppnaelse.realisering,8,Sjekke med \
            noen?,\nkostnader.teknisk,11,3,\nukjent,1,2,\nnytte.infrastruktur,1,2,c: hei\n
            """
        XCTAssertThrowsError(
            try ScoringCSV.read(
                bad, file: "runde.csv", id: "r", title: "R", date: nil, model: .ehelseraadet2022, initiatives: [])
        ) { error in
            let messages = (error as! ImportFailure).issues.map(\.description)
            XCTAssertEqual(
                messages,
                [
                    "runde.csv:3: «Sjekke med noen?» for b er ikke et tall; skriv merknader i kolonnen «merknad»",
                    "runde.csv:4: 11 for a er utenfor skalaen 0–10",
                    """
                    runde.csv:5: ukjent kriterium «ukjent»; gyldige er navn, tiltak, variant, rangeres, \
                    maaloppnaelse, maaloppnaelse.realisering, maaloppnaelse.prioriteringer, kostnader, \
                    kostnader.teknisk, kostnader.organisatorisk, kostnader.juridisk, kostnader.semantisk, nytte, \
                    nytte.pasient, nytte.pasient.sikkerhet, nytte.pasient.hverdag, nytte.helsepersonell, \
                    nytte.helsepersonell.hverdag, nytte.helsepersonell.beslutninger, nytte.infrastruktur, score \
                    og rang
                    """,
                    "runde.csv:6: merknaden «c: hei» må ha formen «kandidat-id: tekst»",
                ])
        }
    }

    func testALowerIsBetterQuestionIsTurnedAround() {
        let model = ScoringModel(
            id: "m", version: 1, name: "M",
            groups: [
                Criterion(
                    id: "g", title: "G",
                    children: [
                        Criterion(id: "risiko", title: "Risiko", lowerIsBetter: true),
                        Criterion(id: "nytte", title: "Nytte"),
                    ])
            ])
        let round = ScoringRound(
            id: "r", title: "R", date: nil, model: model,
            candidates: [Candidate(id: "c", name: "C", initiativeSlug: nil)],
            answers: [
                Answer(candidateId: "c", questionId: "risiko", value: 2),
                Answer(candidateId: "c", questionId: "nytte", value: 6),
            ], stored: [])
        XCTAssertEqual(Scoring.evaluate(round)[0].score!, (8 + 6) / 2, accuracy: 1e-9, "risk 2 of 10 counts as 8")
        XCTAssertTrue(model.problems.isEmpty)
        XCTAssertFalse(
            ScoringModel(id: "m", version: 1, name: "M", groups: [Criterion(id: "score", title: "S")]).problems.isEmpty)
    }
}
