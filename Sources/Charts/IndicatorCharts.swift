import Domain
import Foundation

/// A linear scale from data to pixels.
public struct LinearScale: Sendable {
    public let domain: (Double, Double)
    public let range: (Double, Double)
    public init(domain: (Double, Double), range: (Double, Double)) {
        self.domain = domain
        self.range = range
    }
    public func callAsFunction(_ v: Double) -> Double {
        let span = domain.1 - domain.0
        return span == 0 ? range.0 : range.0 + (v - domain.0) / span * (range.1 - range.0)
    }

    /// About `count` round tick values (1, 2, 2.5 or 5 × 10ⁿ apart) covering 0…`maximum`; returns the ticks and
    /// the rounded top.
    public static func niceTicks(maximum: Double, count: Int = 5) -> (ticks: [Double], top: Double) {
        guard maximum > 0, maximum.isFinite else { return ([0, 1], 1) }
        let rough = maximum / Double(count)
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let top = (maximum / step).rounded(.up) * step
        return (stride(from: 0, through: top + step / 2, by: step).map { $0 }, top)
    }
}

/// Measurements over time with ambitions, a trend and series breaks, as standalone SVG text.
public struct IndicatorChart: Sendable {
    public struct Point: Sendable {
        public let t: Double
        public let value: Double
        public let label: String
        public init(t: Double, value: Double, label: String) {
            self.t = t
            self.value = value
            self.label = label
        }
    }
    public struct AmbitionMark: Sendable {
        public let t: Double
        public let value: Double
        public let label: String
        public let adopted: Bool
        public init(t: Double, value: Double, label: String, adopted: Bool) {
            self.t = t
            self.value = value
            self.label = label
            self.adopted = adopted
        }
    }
    public struct BreakMark: Sendable {
        public let t: Double
        public let label: String
        public init(t: Double, label: String) {
            self.t = t
            self.label = label
        }
    }

    /// Runs of points drawn as connected lines; a break starts a new run.
    public var runs: [[Point]]
    public var ambitions: [AmbitionMark]
    public var trend: (from: (t: Double, value: Double), to: (t: Double, value: Double))?
    public var breaks: [BreakMark]
    public var format: @Sendable (Double) -> String
    public var ceiling: Double?
    public var width = 680.0, height = 330.0

    public init(
        runs: [[Point]], ambitions: [AmbitionMark],
        trend: (from: (t: Double, value: Double), to: (t: Double, value: Double))?,
        breaks: [BreakMark], format: @escaping @Sendable (Double) -> String, ceiling: Double?
    ) {
        self.runs = runs
        self.ambitions = ambitions
        self.trend = trend
        self.breaks = breaks
        self.format = format
        self.ceiling = ceiling
    }

    /// Builds the chart of an indicator's headline series.
    public init(series: IndicatorSeries, projection: Projection?) {
        let unit = series.indicator.unit
        var runs: [[Point]] = [[]]
        var previous: Period?
        for m in series.headline {
            if let previous, series.breakBetween(previous, m.period) != nil { runs.append([]) }
            previous = m.period
            runs[runs.count - 1].append(
                Point(
                    t: m.period.fractionalYear, value: m.value, label: "\(m.period.norwegian): \(unit.format(m.value))")
            )
        }
        self.init(
            runs: runs.filter { !$0.isEmpty },
            ambitions: series.ambitions.map {
                AmbitionMark(
                    t: $0.period.fractionalYear, value: $0.value,
                    label: "\(unit.format($0.value)) (\($0.period.norwegian))", adopted: $0.state == .vedtatt)
            },
            trend: projection.map { ($0.from, $0.to) },
            breaks: series.breaks.enumerated().map {
                BreakMark(t: $0.element.period.firstDay.fractionalYear, label: "Brudd \($0.offset + 1)")
            },
            format: unit.format, ceiling: unit.ceiling)
    }

    public var isEmpty: Bool { runs.isEmpty && ambitions.isEmpty }

    public func svg(title: String, description: String, id: String) -> String {
        let n = svgNumber
        let left = 64.0
        let right = 24.0
        let top = 20.0
        let bottom = 66.0
        let plotW = width - left - right
        let plotH = height - top - bottom
        let allT = runs.flatMap { $0.map(\.t) } + ambitions.map(\.t) + breaks.map(\.t) + [trend?.to.t].compactMap { $0 }
        // From the first value to the last ambition or the trend's end (the horizon), whatever the years.
        let firstYear = Int(floor(allT.min() ?? 0))
        let lastYear = max(Int(floor(allT.max() ?? 0)), firstYear)
        let x = LinearScale(domain: (Double(firstYear), Double(lastYear + 1)), range: (left, left + plotW))
        let values =
            runs.flatMap { $0.map(\.value) } + ambitions.map(\.value)
            + [trend?.from.value, trend?.to.value].compactMap { $0 }
        var (ticks, topValue) = LinearScale.niceTicks(maximum: (values.max() ?? 1) * 1.08)
        if let c = ceiling, topValue > c {
            (ticks, topValue) = LinearScale.niceTicks(maximum: c)
            topValue = max(topValue, c)
        }
        let y = LinearScale(domain: (0, topValue), range: (top + plotH, top))

        var s = svgOpening(
            width: width, height: height, title: title, description: description, id: id, cssClass: "indicator-chart")
        s += svgBackground + "<g class=\"grid\">"
        for v in ticks {
            s +=
                """
                <line x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + plotW))\" y2=\"\(n(y(v)))\" \
                stroke=\"#dde1e6\" stroke-width=\"1\"/>
                """
            s +=
                """
                <text x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\" \
                fill=\"#4a525c\">\(xmlEscape(format(v)))</text>
                """
        }
        for year in firstYear...lastYear {
            let x0 = x(Double(year))
            let x1 = x(Double(year + 1))
            s +=
                """
                <line x1=\"\(n(x0))\" y1=\"\(n(top))\" x2=\"\(n(x0))\" y2=\"\(n(top + plotH))\" \
                stroke=\"#eef0f3\" stroke-width=\"1\"/>
                """
            s +=
                """
                <text x=\"\(n((x0 + x1) / 2))\" y=\"\(n(top + plotH + 16))\" text-anchor=\"middle\" \
                fill=\"#1a1a1a\">\(year)</text>
                """
        }
        s +=
            """
            <line x1=\"\(n(left))\" y1=\"\(n(top + plotH))\" x2=\"\(n(left + plotW))\" y2=\"\(n(top + plotH))\" \
            stroke=\"#4a525c\" stroke-width=\"1\"/>
            """
        s += "</g>\n"
        for b in breaks {
            s +=
                """
                <g class=\"break\"><line x1=\"\(n(x(b.t)))\" y1=\"\(n(top))\" x2=\"\(n(x(b.t)))\" \
                y2=\"\(n(top + plotH))\" stroke=\"#8a3b12\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>
                """
            s +=
                """
                <text x=\"\(n(x(b.t) + 4))\" y=\"\(n(top + 12))\" fill=\"#8a3b12\" \
                font-size=\"11\">\(xmlEscape(b.label))</text></g>\n
                """
        }
        if let trend {
            s +=
                """
                <g class=\"trend\"><line x1=\"\(n(x(trend.from.t)))\" y1=\"\(n(y(trend.from.value)))\" \
                x2=\"\(n(x(trend.to.t)))\" y2=\"\(n(y(trend.to.value)))\"\u{20}
                """
            s +=
                """
                stroke=\"#5b6470\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><title>Trend til \
                \(Int(floor(trend.to.t))) (illustrasjon): \(xmlEscape(format(trend.to.value)))</title></g>\n
                """
        }
        for run in runs {
            if run.count > 1 {
                s +=
                    """
                    <polyline fill=\"none\" stroke=\"#1f5f99\" stroke-width=\"2.5\" \
                    points=\"\(run.map { "\(n(x($0.t))),\(n(y($0.value)))" }.joined(separator: " "))\"/>\n
                    """
            }
            for p in run {
                s +=
                    """
                    <g class=\"point\"><circle cx=\"\(n(x(p.t)))\" cy=\"\(n(y(p.value)))\" r=\"4.5\" \
                    fill=\"#1f5f99\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>
                    """
                s += "<title>\(xmlEscape(p.label))</title></g>\n"
            }
        }
        if let last = runs.last?.last {
            s +=
                """
                <text x=\"\(n(x(last.t) + 8))\" y=\"\(n(y(last.value) - 8))\" fill=\"#1f5f99\" \
                font-weight=\"bold\">\(xmlEscape(format(last.value)))</text>\n
                """
        }
        for a in ambitions {
            let cx = x(a.t)
            let cy = y(a.value)
            let r = 7.0
            s +=
                """
                <g class=\"ambition\"><path d=\"M\(n(cx)) \(n(cy - r)) L\(n(cx + r)) \(n(cy)) L\(n(cx)) \
                \(n(cy + r)) L\(n(cx - r)) \(n(cy)) Z\"\u{20}
                """
            s += "fill=\"\(a.adopted ? "#b35806" : "#ffffff")\" stroke=\"#b35806\" stroke-width=\"2\"/>"
            s +=
                """
                <text x=\"\(n(cx))\" y=\"\(n(cy - r - 5))\" text-anchor=\"middle\" fill=\"#8a3b12\" \
                font-size=\"11\">\(xmlEscape(a.label))</text>
                """
            s += "<title>Ambisjon (\(a.adopted ? "vedtatt" : "foreslått")): \(xmlEscape(a.label))</title></g>\n"
        }
        // Legend: shapes and line styles, not colour alone.
        let ly = height - 18
        s += "<g class=\"legend\" font-size=\"11\" fill=\"#1a1a1a\">"
        // Only what the chart draws, each key after the previous one (the measured values always).
        var x0 = left
        func key(_ width: Double, _ draw: (Double) -> String) {
            s += draw(x0)
            x0 += width
        }
        key(106) { x in
            """
            <line x1=\"\(n(x))\" y1=\"\(n(ly))\" x2=\"\(n(x + 22))\" y2=\"\(n(ly))\" stroke=\"#1f5f99\" \
            stroke-width=\"2.5\"/>
            """
                + "<circle cx=\"\(n(x + 11))\" cy=\"\(n(ly))\" r=\"4\" fill=\"#1f5f99\"/>"
                + "<text x=\"\(n(x + 28))\" y=\"\(n(ly + 4))\">Målt verdi</text>"
        }
        if !ambitions.isEmpty {
            key(242) { x in
                """
                <path d=\"M\(n(x + 6)) \(n(ly - 6)) L\(n(x + 12)) \(n(ly)) L\(n(x + 6)) \(n(ly + 6)) L\(n(x)) \
                \(n(ly)) Z\"\u{20}
                """
                    + "fill=\"#ffffff\" stroke=\"#b35806\" stroke-width=\"2\"/>"
                    + "<text x=\"\(n(x + 18))\" y=\"\(n(ly + 4))\">Ambisjon (hul: foreslått, fylt: vedtatt)</text>"
            }
        }
        if trend != nil {
            key(162) { x in
                """
                <line x1=\"\(n(x))\" y1=\"\(n(ly))\" x2=\"\(n(x + 30))\" y2=\"\(n(ly))\" stroke=\"#5b6470\" \
                stroke-width=\"2\"\u{20}
                """
                    + """
                    stroke-dasharray=\"6 4\"/><text x=\"\(n(x + 36))\" y=\"\(n(ly + 4))\">Trend \
                    (illustrasjon)</text>
                    """
            }
        }
        if !breaks.isEmpty {
            key(60) { x in
                """
                <line x1=\"\(n(x))\" y1=\"\(n(ly - 7))\" x2=\"\(n(x))\" y2=\"\(n(ly + 7))\" stroke=\"#8a3b12\" \
                stroke-width=\"1.5\"\u{20}
                """
                    + "stroke-dasharray=\"2 3\"/><text x=\"\(n(x + 6))\" y=\"\(n(ly + 4))\">Brudd</text>"
            }
        }
        s += "</g>\n"
        s += "</svg>\n"
        return s
    }
}

/// A tiny line of the headline values, for dashboard cards; decorative, the numbers are printed next to it.
public enum Sparkline {
    public static func svg(
        values: [(t: Double, value: Double)], ceiling: Double?, width: Double = 120, height: Double = 32
    ) -> String {
        let n = svgNumber
        var s =
            """
            <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" \
            width=\"\(n(width))\" height=\"\(n(height))\" aria-hidden=\"true\" class=\"sparkline\">
            """
        guard let minT = values.map(\.t).min(), let maxT = values.map(\.t).max() else { return s + "</svg>" }
        let top = ceiling ?? max(values.map(\.value).max() ?? 1, 1)
        let x = LinearScale(domain: (minT, maxT == minT ? minT + 1 : maxT), range: (4, width - 4))
        let y = LinearScale(domain: (0, top), range: (height - 3, 3))
        s +=
            """
            <line x1=\"0\" y1=\"\(n(height - 3))\" x2=\"\(n(width))\" y2=\"\(n(height - 3))\" stroke=\"#c9ced6\" \
            stroke-width=\"1\"/>
            """
        if values.count > 1 {
            s +=
                """
                <polyline fill=\"none\" stroke=\"#1f5f99\" stroke-width=\"2\" \
                points=\"\(values.map { "\(n(x($0.t))),\(n(y($0.value)))" }.joined(separator: " "))\"/>
                """
        }
        let last = values.max { $0.t < $1.t }!
        s += "<circle cx=\"\(n(x(last.t)))\" cy=\"\(n(y(last.value)))\" r=\"3\" fill=\"#1f5f99\"/></svg>"
        return s
    }
}

/// Horizontal bars for one breakdown (members of a dimension at their latest period).
public enum BreakdownBars {
    public struct Bar: Sendable {
        public let label: String
        public let value: Double
        public let text: String
        public init(label: String, value: Double, text: String) {
            self.label = label
            self.value = value
            self.text = text
        }
    }

    public static func svg(
        _ bars: [Bar], ceiling: Double?, title: String, description: String, id: String, width: Double = 480
    ) -> String {
        let n = svgNumber
        let rowH = 28.0
        let labelW = 150.0
        let top = 8.0
        let height = top + Double(bars.count) * rowH + 8
        let maxValue = ceiling ?? (bars.map(\.value).max() ?? 1) * 1.15
        let x = LinearScale(domain: (0, max(maxValue, 1e-9)), range: (labelW, width - 70))
        var s =
            svgOpening(
                width: width, height: height, title: title, description: description, id: id,
                cssClass: "breakdown-chart") + svgBackground
        for (i, bar) in bars.enumerated() {
            let yy = top + Double(i) * rowH
            s +=
                """
                <text x=\"\(n(labelW - 8))\" y=\"\(n(yy + 17))\" text-anchor=\"end\" \
                fill=\"#1a1a1a\">\(xmlEscape(bar.label))</text>
                """
            s +=
                """
                <rect x=\"\(n(labelW))\" y=\"\(n(yy + 5))\" width=\"\(n(max(x(bar.value) - labelW, 1)))\" \
                height=\"16\" fill=\"#4f8fc0\"/>
                """
            s += "<text x=\"\(n(x(bar.value) + 6))\" y=\"\(n(yy + 17))\" fill=\"#1a1a1a\">\(xmlEscape(bar.text))</text>"
        }
        return s + "</svg>"
    }
}

/// Stacked horizontal bars: one row per candidate, one segment per top-level group (its weighted value), total at the
/// end.
public enum StackedScoreBars {
    public struct Row: Sendable {
        public let label: String
        public let segments: [Double]
        public let total: String
        public init(label: String, segments: [Double], total: String) {
            self.label = label
            self.segments = segments
            self.total = total
        }
    }

    /// Fills that differ in lightness as well as hue, so greyscale print keeps them apart; each segment also prints its
    /// value.
    static let fills = ["#1f5f99", "#7fb2dc", "#e08a1e", "#3d3d3d"]
    static let textColors = ["#ffffff", "#1a1a1a", "#1a1a1a", "#ffffff"]

    public static func svg(
        _ rows: [Row], legend: [String], title: String, description: String, id: String, width: Double = 760
    ) -> String {
        let n = svgNumber
        let labelW = 320.0
        let rowH = 26.0
        let top = 34.0
        let height = top + Double(rows.count) * rowH + 10
        let maxTotal = max(rows.map { $0.segments.reduce(0, +) }.max() ?? 1, 1)
        let x = LinearScale(domain: (0, maxTotal), range: (labelW, width - 60))
        var s =
            svgOpening(
                width: width, height: height, title: title, description: description, id: id, cssClass: "score-chart")
            + svgBackground
        for (i, name) in legend.enumerated() {
            let lx = labelW + Double(i) * 150
            s += "<rect x=\"\(n(lx))\" y=\"8\" width=\"14\" height=\"14\" fill=\"\(fills[i % fills.count])\"/>"
            s += "<text x=\"\(n(lx + 20))\" y=\"19\" fill=\"#1a1a1a\">\(xmlEscape(name))</text>"
        }
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * rowH
            // Long names are shortened here; the table beside the chart has them in full.
            let label = row.label.count > 44 ? String(row.label.prefix(43)) + "…" : row.label
            s +=
                """
                <text x=\"\(n(labelW - 8))\" y=\"\(n(y + 17))\" text-anchor=\"end\" \
                fill=\"#1a1a1a\">\(xmlEscape(label))</text>
                """
            var start = 0.0
            for (k, value) in row.segments.enumerated() {
                let x0 = x(start)
                let x1 = x(start + value)
                s +=
                    """
                    <rect x=\"\(n(x0))\" y=\"\(n(y + 4))\" width=\"\(n(max(x1 - x0, 0)))\" height=\"18\" \
                    fill=\"\(fills[k % fills.count])\" stroke=\"#ffffff\" stroke-width=\"1\"/>
                    """
                if x1 - x0 > 28 {
                    s +=
                        """
                        <text x=\"\(n((x0 + x1) / 2))\" y=\"\(n(y + 17))\" text-anchor=\"middle\" \
                        font-size=\"11\" \
                        fill=\"\(textColors[k % textColors.count])\">\(NumberText.norwegian(value))</text>
                        """
                }
                start += value
            }
            s +=
                """
                <text x=\"\(n(x(start) + 6))\" y=\"\(n(y + 17))\" font-weight=\"bold\" \
                fill=\"#1a1a1a\">\(xmlEscape(row.total))</text>
                """
        }
        return s + "</svg>"
    }
}
