import XCTest

@testable import Domain

final class IndicatorFormatTests: XCTestCase {
    func testIndicatorsMeasurementsAmbitionsAndBreaksAreRead() throws {
        let d = try DatasetFormat.read(DatasetFormatTests.files())
        XCTAssertEqual(d.indicators.map(\.id), ["1.1", "brok", "ingen"])
        XCTAssertEqual(d.indicators[1].unit, .fraction(denominator: 7))
        XCTAssertEqual(d.indicators[2].noAmbitionReason, "Ikke foreslått")
        XCTAssertEqual(d.indicators[2].overarchingGoalId, "baerekraft")
        XCTAssertEqual(d.measurements.map(\.value), [26, 27.5, 31, 5, 148_651])
        XCTAssertEqual(d.measurements[2].dimension, "region")
        XCTAssertEqual(d.ambitions.map(\.period), [.year(2030), .quarter(2027, 4)])
        XCTAssertEqual(d.seriesBreaks.first?.note, "Ny skala")
        XCTAssertEqual(try DatasetFormat.read(DatasetFormat.write(d)), d)
    }

    func issues(replacing file: String, with text: String) -> [String] {
        var files = DatasetFormatTests.files()
        files[file] = text
        do {
            _ = try DatasetFormat.read(files)
            return []
        } catch { return error.issues.map(\.description) }
    }

    func testBadMeasurementsAreRefusedWithFileAndLine() {
        let found = issues(
            replacing: "measurements.csv",
            with: """
                indicator,period,dimension,member,value,note
                ukjent,2022,,,1,
                1.1,2022-Q5,,,1,
                1.1,2022,,,mange,
                1.1,2023,,,10,
                1.1,2023,,,11,
                brok,2024,,,5/8,
                1.1,2024,,,120,
                1.1,2025,region,,3,
                """)
        XCTAssertEqual(found.count, 7, found.joined(separator: "\n"))
        XCTAssertTrue(found[0].hasPrefix("measurements.csv:2: ukjent indikator «ukjent»"), found[0])
        XCTAssertTrue(found[1].hasPrefix("measurements.csv:3: «period»"), found[1])
        XCTAssertTrue(found[2].contains(":4: «value» er ikke et tall"), found[2])
        XCTAssertTrue(found[3].contains(":6: 1.1 har allerede en måling for 2023 på linje 5"), found[3])
        XCTAssertTrue(found[4].contains(":7: «value»: brøken «5/8» må ha nevner 7"), found[4])
        XCTAssertTrue(found[5].contains(":8: «value» 120 er utenfor 0–100"), found[5])
        XCTAssertTrue(found[6].contains(":9: «dimension» og «member» må fylles ut sammen"), found[6])
    }

    func testBadIndicatorsAndAmbitionsAreRefused() {
        let ind = issues(
            replacing: "indicators.csv",
            with: """
                id,name,goals,kind,unit,direction,frequency,readiness
                1.1,Uten retning,1,effekt,prosent,,arlig,klar
                Stor Bokstav,X,1,effekt,prosent,hoyere-er-bedre,arlig,klar
                hjemlos,X,,effekt,prosent,hoyere-er-bedre,arlig,klar
                brok,X,9,effekt,brok,hoyere-er-bedre,arlig,klar
                """)
        XCTAssertTrue(
            ind.contains { $0.hasPrefix("indicators.csv:2: «direction» mangler verdi") }, ind.joined(separator: "\n"))
        XCTAssertTrue(ind.contains { $0.hasPrefix("indicators.csv:3: «id» må bare inneholde") })
        XCTAssertTrue(ind.contains { $0.hasPrefix("indicators.csv:4: indikatoren må høre til minst ett mål") })
        XCTAssertTrue(ind.contains { $0.hasPrefix("indicators.csv:5: ugyldig enhet «brok»/«»") })
        XCTAssertTrue(ind.contains { $0.hasPrefix("indicators.csv:5: ukjent mål «9»") })

        let amb = issues(
            replacing: "ambitions.csv",
            with: """
                indicator,period,value,state
                1.1,2030-06,50,foreslatt
                ingen,2030,10,vedtatt
                1.1,2030,50,kanskje
                """)
        XCTAssertTrue(
            amb.contains { $0.hasPrefix("ambitions.csv:2: en ambisjon gjelder et år eller et kvartal") },
            amb.joined(separator: "\n"))
        XCTAssertTrue(amb.contains { $0.hasPrefix("ambitions.csv:3: ingen er markert «ingen ambisjon foreslått»") })
        XCTAssertTrue(amb.contains { $0.hasPrefix("ambitions.csv:4: ukjent verdi «kanskje» i «state»") })
    }

    func testNumbersAreWrittenTheNorwegianWayWithoutLocale() {
        XCTAssertEqual(NumberText.norwegian(148_651), "148\u{00A0}651")
        XCTAssertEqual(NumberText.norwegian(1234), "1234")
        XCTAssertEqual(NumberText.norwegian(27.5), "27,5")
        XCTAssertEqual(NumberText.norwegian(-3), "−3")
        XCTAssertEqual(NumberText.norwegian(2.04, decimals: 2), "2,04")
        XCTAssertEqual(NumberText.parse("148 651"), 148_651)
        XCTAssertEqual(NumberText.parse("27,5"), 27.5)
        XCTAssertNil(NumberText.parse("12abc"))
        XCTAssertNil(NumberText.parse("1.2.3"))
        XCTAssertEqual(NumberText.plain(27.5), "27.5")
        XCTAssertEqual(NumberText.plain(148_651), "148651")
        XCTAssertEqual(IndicatorUnit.fraction(denominator: 7).format(5), "5/7")
        XCTAssertEqual(IndicatorUnit.percent.format(28), "28 %")
        XCTAssertEqual(IndicatorUnit.percent.formatChange(2), "+2 prosentpoeng")
    }

    func testFractionalYearsOfQuartersAndYears() {
        XCTAssertEqual(Period.year(2022).fractionalYear, 2022.5, accuracy: 0.002)
        XCTAssertEqual(Period.quarter(2027, 4).fractionalYear, 2027.874, accuracy: 0.002)
        XCTAssertEqual(Period.quarter(2025, 1).fractionalYear, 2025.123, accuracy: 0.002)
        XCTAssertEqual(Period.day(Day(year: 2025, month: 11, day: 1)!).fractionalYear, 2025.834, accuracy: 0.002)
    }
}

final class ProgressTests: XCTestCase {
    func series(
        _ unit: IndicatorUnit = .percent, _ direction: Direction = .hoyere, values: [(Period, Double)],
        ambitions: [(Period, Double)] = [],
        breaks: [Period] = [], noAmbitionReason: String = ""
    ) -> IndicatorSeries {
        let indicator = Indicator(
            id: "x", name: "X", description: "", goalIds: ["1"], overarchingGoalId: nil, international: false,
            kind: .effekt,
            unit: unit, direction: direction, source: "", frequency: .arlig, readiness: .klar, dashboardOrder: nil,
            noAmbitionReason: noAmbitionReason)
        return IndicatorSeries(
            indicator: indicator,
            measurements: values.map { IndicatorMeasurement(indicatorId: "x", period: $0.0, value: $0.1) },
            ambitions: ambitions.map { Ambition(indicatorId: "x", period: $0.0, value: $0.1, state: .foreslatt) },
            breaks: breaks.map { SeriesBreak(indicatorId: "x", period: $0, note: "ny skala") })
    }

    func testRisingTargetOnTrackSomeProgressAndBackwards() {
        // Path: 20 in 2022 → 60 in 2030, i.e. 5 a year; it stands at 30 in 2024.
        let onTrack = Progress.assess(
            series(values: [(.year(2022), 20), (.year(2024), 30)], ambitions: [(.year(2030), 60)]))
        XCTAssertEqual(onTrack.category, .iRute)
        XCTAssertEqual(onTrack.method, .distance, "percentages are judged by distance travelled")
        XCTAssertEqual(onTrack.trajectoryNow!, 30, accuracy: 1e-9)
        XCTAssertEqual(onTrack.ratio!, 1, accuracy: 1e-9)
        XCTAssertTrue(
            onTrack.explanation.joined().contains("(30 − 20) / (30 − 20) = 1"),
            onTrack.explanation.joined(separator: "\n"))

        let some = Progress.assess(
            series(values: [(.year(2022), 20), (.year(2024), 25)], ambitions: [(.year(2030), 60)]))
        XCTAssertEqual(some.category, .noeFremgang)
        XCTAssertEqual(some.ratio!, 0.5, accuracy: 1e-9)

        let back = Progress.assess(
            series(values: [(.year(2022), 20), (.year(2024), 18)], ambitions: [(.year(2030), 60)]))
        XCTAssertEqual(back.category, .ingenFremgang)
    }

    func testFallingTargetWhereLowerIsBetter() {
        let s = { (latest: Double) in
            self.series(
                .count, .lavere, values: [(.year(2022), 100), (.year(2024), latest)], ambitions: [(.year(2030), 20)])
        }
        let onTrack = Progress.assess(s(80))
        XCTAssertEqual(onTrack.category, .iRute)
        XCTAssertEqual(onTrack.method, .growth, "counts far from zero are judged by growth rate")
        XCTAssertEqual(onTrack.ratio!, 1, accuracy: 1e-9)
        XCTAssertEqual(Progress.assess(s(90)).category, .noeFremgang)
        XCTAssertEqual(Progress.assess(s(110)).category, .ingenFremgang, "rising is backwards when lower is better")
        XCTAssertEqual(Progress.assess(s(15)).category, .nadd)
        let second = Progress.assess(s(90)).secondOpinion!
        XCTAssertLessThan(second.actualRate, 0)
        XCTAssertLessThan(second.requiredRate, 0)
        XCTAssertGreaterThan(second.ratio, 0, "both falling is progress, whatever the sign")
    }

    func testAlreadyAchievedAndSingleDataPoint() {
        XCTAssertEqual(
            Progress.assess(series(values: [(.year(2022), 20), (.year(2024), 61)], ambitions: [(.year(2030), 60)]))
                .category, .nadd)
        let single = Progress.assess(series(values: [(.year(2025), 50)], ambitions: [(.year(2030), 68)]))
        XCTAssertEqual(single.category, .forLiteData)
        XCTAssertTrue(single.explanation.joined().contains("Bare én sammenlignbar måling"))
        XCTAssertEqual(
            Progress.assess(series(values: [(.year(2025), 70)], ambitions: [(.year(2030), 68)])).category, .nadd,
            "one point is enough to see an ambition reached")
        XCTAssertEqual(Progress.assess(series(values: [], ambitions: [(.year(2030), 68)])).category, .forLiteData)
    }

    func testNoTargetIsAStateWithItsReason() {
        let p = Progress.assess(
            series(values: [(.year(2022), 20), (.year(2024), 30)], noAmbitionReason: "Kommunene må mene noe først"))
        XCTAssertEqual(p.category, .ingenAmbisjon)
        XCTAssertTrue(p.explanation.joined().contains("Kommunene må mene noe først"))
        XCTAssertNil(p.ratio)
    }

    func testABreakStartsTheComparableRunAndTheTrend() {
        let s = series(
            values: [(.year(2020), 80), (.year(2021), 85), (.year(2022), 40), (.year(2023), 45)],
            ambitions: [(.year(2030), 68)],
            breaks: [.year(2022)])
        let p = Progress.assess(s)
        XCTAssertEqual(p.baseline?.period, .year(2022), "the baseline is the first value after the break")
        XCTAssertEqual(p.baseline?.value, 40)
        XCTAssertTrue(p.explanation[0].hasPrefix("Brudd i serien i 2022"))
        let trend = Projection.fit(s, through: 2030)!
        XCTAssertEqual(trend.pointsUsed, 2)
        XCTAssertEqual(trend.slopePerYear, 5, accuracy: 1e-9, "no trend fitted across the break")
        XCTAssertEqual(trend.to.value, 45 + 5 * 7, accuracy: 0.05)
    }

    func testZeroBaselineUsesDistanceAndNoGrowthRate() {
        let p = Progress.assess(
            series(.count, .hoyere, values: [(.year(2022), 0), (.year(2024), 10)], ambitions: [(.year(2030), 40)]))
        XCTAssertEqual(p.method, .distance)
        XCTAssertEqual(p.ratio!, 1, accuracy: 1e-9)
        XCTAssertEqual(p.category, .iRute)
        XCTAssertNil(p.secondOpinion)
        XCTAssertTrue(p.secondOpinionNote.contains("0,001"))
    }

    func testPercentagesNearTheCeilingUseDistance() {
        let p = Progress.assess(
            series(values: [(.year(2024), 80), (.year(2025), 90)], ambitions: [(.quarter(2027, 4), 100)]))
        XCTAssertEqual(p.method, .distance)
    }

    func testFractionUnits() {
        let s = series(
            .fraction(denominator: 7), .hoyere, values: [(.year(2023), 5), (.year(2024), 5)],
            ambitions: [(.year(2025), 6), (.year(2030), 7)])
        let p = Progress.assess(s)
        XCTAssertEqual(p.trajectoryNow!, 5.5, accuracy: 1e-9)
        XCTAssertEqual(p.category, .ingenFremgang)
        XCTAssertTrue(p.explanation[0].contains("5/7 (2023)"), p.explanation[0])
        XCTAssertEqual(
            Progress.assess(
                series(
                    .fraction(denominator: 7), values: [(.year(2023), 5), (.year(2026), 7)],
                    ambitions: [(.year(2030), 7)])
            ).category, .nadd)
    }

    func testQuarterlyDataAgainstAQuarterlyAmbitionUseFractionalYears() {
        let s = series(
            values: [(.quarter(2025, 1), 50), (.quarter(2026, 2), 72)], ambitions: [(.quarter(2027, 4), 100)])
        let p = Progress.assess(s)
        let t0 = Period.quarter(2025, 1).fractionalYear
        let t = Period.quarter(2026, 2).fractionalYear
        let tf = Period.quarter(2027, 4).fractionalYear
        XCTAssertEqual(p.trajectoryNow!, 50 + 50 * (t - t0) / (tf - t0), accuracy: 1e-9)
        XCTAssertEqual(p.category, .iRute)
        // Yearly data against the same ambition: the year's middle stands for the year.
        let yearly = Progress.assess(
            series(values: [(.year(2025), 50), (.year(2026), 60)], ambitions: [(.quarter(2027, 4), 100)]))
        XCTAssertEqual(yearly.trajectoryNow!, 50 + 50 * (2026.5 - 2025.5) / (tf - 2025.5), accuracy: 0.01)
    }

    func testWithoutDirectionTheAmbitionGivesTheWay() {
        let p = Progress.assess(
            series(.count, .ingen, values: [(.year(2022), 100), (.year(2024), 80)], ambitions: [(.year(2030), 20)]))
        XCTAssertEqual(p.category, .iRute)
        XCTAssertTrue(p.explanation.joined().contains("ingen retning"))
    }

    func testProjectionIsClampedToTheCeiling() {
        let trend = Projection.fit(
            series(values: [(.year(2022), 60), (.year(2023), 80)], ambitions: []), through: 2030)!
        XCTAssertEqual(trend.to.value, 100)
        XCTAssertNil(Projection.fit(series(values: [(.year(2022), 60)]), through: 2030))
    }
}
