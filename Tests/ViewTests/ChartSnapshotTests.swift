import Charts
import Domain
import SnapshotTesting
import XCTest

/// Every chart Veikart draws, on fixed inputs, as an SVG snapshot: numbers are written at fixed precision and
/// locale-independently, so the files are byte-stable and a diff shows exactly what moved.
final class ChartSnapshotTests: XCTestCase {
    let d = Fixture.dataset

    func testRoadmapGantt() {
        let roadmap = Roadmap(dataset: d, filter: RoadmapFilter())
        let layout = GanttLayout(
            roadmap: roadmap, fromYear: d.strategy.periodStart, toYear: d.strategy.periodEnd + 1,
            today: Fixture.today)
        assertSnapshot(of: GanttSVG.render(layout, title: "Veikart", description: "Hele veikartet"), as: .markup)
    }

    func testIndicatorChartOfEveryFixtureIndicator() {
        for indicator in d.indicators {
            let chart = IndicatorChart(series: d.series(of: indicator), projection: nil)
            assertSnapshot(
                of: chart.svg(title: indicator.name, description: "Utvikling", id: "graf-\(indicator.id)"),
                as: .markup, named: indicator.id)
        }
    }

    func testSparklineWithAndWithoutCeiling() {
        let values: [(t: Double, value: Double)] = [
            (2020, 12.5), (2021, 18), (2022, 17.25), (2023, 31), (2024, 44.125),
        ]
        assertSnapshot(of: Sparkline.svg(values: values, ceiling: nil), as: .markup, named: "open")
        assertSnapshot(of: Sparkline.svg(values: values, ceiling: 100), as: .markup, named: "percent")
    }

    func testBreakdownBars() {
        let bars = [
            BreakdownBars.Bar(label: "Nord", value: 61.5, text: "61,5 %"),
            BreakdownBars.Bar(label: "Sør", value: 48, text: "48 %"),
            BreakdownBars.Bar(label: "Øst & vest <kyst>", value: 7.25, text: "7,3 %"),
        ]
        assertSnapshot(
            of: BreakdownBars.svg(bars, ceiling: 100, title: "Per region", description: "Andel", id: "regioner"),
            as: .markup)
    }

    func testStackedScoreBars() {
        let rows = [
            StackedScoreBars.Row(label: "Felles journal", segments: [30, 22.5, 10], total: "62,5"),
            StackedScoreBars.Row(label: "Digital dialog", segments: [12, 8, 0], total: "20"),
        ]
        assertSnapshot(
            of: StackedScoreBars.svg(
                rows, legend: ["Gevinst", "Modenhet", "Risiko"], title: "Poeng",
                description: "Poeng per gruppe", id: "poeng"), as: .markup)
    }

    func testMilestoneTrendChart() {
        let chart = MilestoneTrendChart(
            columns: ["1", "2", "3", "nå"],
            series: [
                .init(
                    name: "Pilot i drift",
                    days: [
                        Day(year: 2026, month: 3, day: 31), Day(year: 2026, month: 6, day: 30),
                        Day(year: 2026, month: 12, day: 31), Day(year: 2027, month: 3, day: 31),
                    ],
                    flagged: true),
                .init(
                    name: "Nasjonal innføring",
                    days: [
                        nil, Day(year: 2028, month: 12, day: 31), Day(year: 2028, month: 12, day: 31),
                        Day(year: 2028, month: 12, day: 31),
                    ], flagged: false),
            ])
        assertSnapshot(
            of: chart.svg(title: "Milepæltrend", description: "Datoer per versjon", id: "trend"), as: .markup)
    }
}
