import Domain
import Foundation

/// The milestone trend chart: each milestone's forecast date (up) in each roadmap version (across). A flat line kept
/// its date; a rising line slipped. Drawn as standalone SVG; the page shows the same numbers as a table.
public struct MilestoneTrendChart: Sendable {
    public struct Series: Sendable {
        public let name: String
        /// One date per column (nil where the version did not have the milestone).
        public let days: [Day?]
        public let flagged: Bool
        public init(name: String, days: [Day?], flagged: Bool) {
            self.name = name
            self.days = days
            self.flagged = flagged
        }
    }
    public let columns: [String]
    public let series: [Series]
    public var width = 760.0

    public init(columns: [String], series: [Series]) {
        self.columns = columns
        self.series = series
    }

    /// Distinguishable on white (at least 3:1) and in greyscale together with the numbers at each line's end.
    static let palette = ["#1f5fa8", "#b3261e", "#2e7d32", "#6a3d9a", "#8a5a00", "#00695c", "#ad1457", "#37474f"]

    public func svg(title: String, description: String, id: String) -> String {
        let n = svgNumber
        let left = 84.0
        let right = 64.0
        let top = 20.0
        let legendRow = 20.0
        let plotH = 280.0
        let legendH = Double(series.count) * legendRow + 12
        let height = top + plotH + 48 + legendH
        let plotW = width - left - right
        let days = series.flatMap { $0.days.compactMap { $0 } }
        var s = svgOpening(
            width: width, height: height, title: title, description: description, id: id, cssClass: "trend-chart")
        s += svgBackground
        guard let first = days.min(), let last = days.max(), !columns.isEmpty else {
            return s
                + """
                <text x=\"\(n(width / 2))\" y=\"\(n(top + 40))\" text-anchor=\"middle\" fill=\"#4a525c\">Ingen \
                datoer å vise</text></svg>\n
                """
        }
        // Whole years around the dates, so a slip reads against the calendar.
        let firstYear = first.year
        let lastYear = last.year
        let from = Day(year: firstYear, month: 1, day: 1)!.ordinal
        let to = Day(year: lastYear + 1, month: 1, day: 1)!.ordinal
        let y = LinearScale(domain: (Double(from), Double(to)), range: (top + plotH, top))
        let step = columns.count > 1 ? plotW / Double(columns.count - 1) : 0
        func x(_ column: Int) -> Double { columns.count > 1 ? left + Double(column) * step : left + plotW / 2 }

        s += "<g class=\"grid\">"
        for year in firstYear...(lastYear + 1) {
            let yy = y(Double(Day(year: year, month: 1, day: 1)!.ordinal))
            s +=
                """
                <line x1=\"\(n(left))\" y1=\"\(n(yy))\" x2=\"\(n(left + plotW))\" y2=\"\(n(yy))\" \
                stroke=\"#dde1e6\" stroke-width=\"1\"/>
                """
            if year <= lastYear {
                let mid = y(Double(Day(year: year, month: 7, day: 1)!.ordinal))
                s +=
                    "<text x=\"\(n(left - 8))\" y=\"\(n(mid + 4))\" text-anchor=\"end\" fill=\"#1a1a1a\">\(year)</text>"
            }
        }
        for (i, c) in columns.enumerated() {
            s +=
                """
                <line x1=\"\(n(x(i)))\" y1=\"\(n(top))\" x2=\"\(n(x(i)))\" y2=\"\(n(top + plotH))\" \
                stroke=\"#eef0f3\" stroke-width=\"1\"/>
                """
            s +=
                """
                <text x=\"\(n(x(i)))\" y=\"\(n(top + plotH + 18))\" text-anchor=\"middle\" \
                fill=\"#1a1a1a\">\(xmlEscape(c))</text>
                """
        }
        s +=
            """
            <text x=\"\(n(left + plotW / 2))\" y=\"\(n(top + plotH + 38))\" text-anchor=\"middle\" \
            fill=\"#4a525c\">Veikartversjon</text>
            """
        s += "</g>\n"
        // Number labels that would land on the same spot sit side by side instead of on top of each other.
        var labelsAt: [String: Int] = [:]
        for (index, line) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let points = line.days.enumerated().compactMap { i, d in d.map { (x(i), y(Double($0.ordinal))) } }
            s += "<g class=\"series\">"
            if points.count > 1 {
                let path = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
                s +=
                    """
                    <polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" \
                    stroke-width=\"\(line.flagged ? "3" : "2")\"
                    """
                    + (line.flagged ? " stroke-dasharray=\"6 3\"" : "") + "/>"
            }
            for p in points {
                s +=
                    """
                    <circle cx=\"\(n(p.0))\" cy=\"\(n(p.1))\" r=\"4\" fill=\"\(colour)\" stroke=\"#ffffff\" \
                    stroke-width=\"1\"/>
                    """
            }
            if let end = points.last {
                let spot = "\(n(end.0)),\(n(end.1))"
                let stacked = labelsAt[spot, default: 0]
                labelsAt[spot] = stacked + 1
                s +=
                    "<text x=\"\(n(end.0 + 8 + Double(stacked) * 14))\" y=\"\(n(end.1 + 4))\" fill=\"\(colour)\" "
                    + "font-weight=\"bold\">\(index + 1)</text>"
            }
            s += "</g>\n"
        }
        s += "<g class=\"legend\">"
        for (index, line) in series.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let yy = top + plotH + 60 + Double(index) * legendRow
            s +=
                """
                <line x1=\"\(n(left))\" y1=\"\(n(yy - 4))\" x2=\"\(n(left + 24))\" y2=\"\(n(yy - 4))\" \
                stroke=\"\(colour)\" stroke-width=\"3\"
                """
                + (line.flagged ? " stroke-dasharray=\"6 3\"" : "") + "/>"
            let label = "\(index + 1). \(line.name)" + (line.flagged ? " (flyttet i flere versjoner på rad)" : "")
            s +=
                """
                <text x=\"\(n(left + 32))\" y=\"\(n(yy))\" \
                fill=\"#1a1a1a\">\(xmlEscape(String(label.prefix(110))))</text>
                """
        }
        s += "</g>\n</svg>\n"
        return s
    }
}
