import Foundation

/// Progress categories (docs/progress-method.md). Each has a word and a symbol, never colour alone.
public enum ProgressCategory: String, CaseIterable, Sendable {
    case nadd, iRute = "i-rute", noeFremgang = "noe-fremgang", ingenFremgang = "ingen-fremgang"
    case forLiteData = "for-lite-data", ingenAmbisjon = "ingen-ambisjon"

    public var name: String {
        switch self {
        case .nadd: "Nådd"
        case .iRute: "I rute"
        case .noeFremgang: "Noe fremgang"
        case .ingenFremgang: "Ingen fremgang eller tilbakegang"
        case .forLiteData: "For lite data"
        case .ingenAmbisjon: "Ingen ambisjon"
        }
    }

    public var symbol: String {
        switch self {
        case .nadd: "★"
        case .iRute: "●"
        case .noeFremgang: "◐"
        case .ingenFremgang: "▼"
        case .forLiteData: "…"
        case .ingenAmbisjon: "–"
        }
    }
}

/// The method's thresholds on the share of the required change achieved.
public enum ProgressThresholds {
    public static let onTrack = 0.95
    /// Open SDG's bands for the growth-rate comparison shown as a second opinion.
    public static let openSDGModerate = 0.6
}

/// The status of one indicator, with every input and intermediate figure so a reader can redo it by hand.
public struct ProgressAssessment: Sendable {
    public enum Method: String, Sendable {
        case distance, growth
        public var name: String {
            self == .distance ? "avstand tilbakelagt" : "vekstrate (logaritmisk endring)"
        }
    }

    /// Open SDG's comparison: actual yearly growth rate against the rate needed to reach the final ambition.
    public struct SecondOpinion: Sendable {
        public let actualRate: Double
        public let requiredRate: Double
        public let ratio: Double
        public let label: String
    }

    public let category: ProgressCategory
    public let method: Method?
    public let baseline: IndicatorMeasurement?
    public let latest: IndicatorMeasurement?
    /// Where the ambition path is at the latest measurement.
    public let trajectoryNow: Double?
    /// Share of the change required by now that has been achieved.
    public let ratio: Double?
    public let finalAmbition: Ambition?
    /// Norwegian lines: inputs, intermediate figures, the rule applied.
    public let explanation: [String]
    public let secondOpinion: SecondOpinion?
    /// Why the second opinion is missing, when it is.
    public let secondOpinionNote: String
}

public enum Progress {
    /// Judges the latest measurement against the ambition trajectory to date (see docs/progress-method.md).
    public static func assess(_ series: IndicatorSeries) -> ProgressAssessment {
        let indicator = series.indicator
        let unit = indicator.unit
        let f = unit.format
        var lines: [String] = []
        let run = comparableRun(series)
        let final = series.finalAmbition
        func result(
            _ category: ProgressCategory, method: ProgressAssessment.Method? = nil,
            baseline: IndicatorMeasurement? = nil, latest: IndicatorMeasurement? = nil,
            trajectory: Double? = nil, ratio: Double? = nil, second: ProgressAssessment.SecondOpinion? = nil,
            note: String = ""
        ) -> ProgressAssessment {
            ProgressAssessment(
                category: category, method: method, baseline: baseline, latest: latest, trajectoryNow: trajectory,
                ratio: ratio,
                finalAmbition: final, explanation: lines, secondOpinion: second, secondOpinionNote: note)
        }

        if let lastBreak = series.breaks.last {
            lines.append(
                """
                Brudd i serien i \(lastBreak.period.norwegian): bare målinger fra og med \
                \(lastBreak.period.norwegian) brukes (\(lastBreak.note)).
                """
            )
        }
        guard let final else {
            lines.append(
                indicator.noAmbitionReason.isEmpty
                    ? "Det er ikke satt noen ambisjon for indikatoren."
                    : "Ingen ambisjon er foreslått: \(indicator.noAmbitionReason)")
            return result(.ingenAmbisjon, baseline: run.first, latest: run.last)
        }
        guard let baseline = run.first, let latest = run.last else {
            lines.append("Ingen målinger ennå.")
            return result(.forLiteData)
        }
        lines.append(
            """
            Grunnlinje: \(f(baseline.value)) (\(baseline.period.norwegian)). Siste måling: \(f(latest.value)) \
            (\(latest.period.norwegian)).
            """
        )
        let ambitionTexts = series.ambitions.map {
            "\(f($0.value)) i \($0.period.norwegian) (\($0.state.name.lowercased()))"
        }
        lines.append("Ambisjon: \(ambitionTexts.joined(separator: ", ")).")

        // Without a stated direction, the ambition says which way is forward.
        var sign = indicator.direction.sign
        if sign == 0 {
            sign = final.value > baseline.value ? 1 : (final.value < baseline.value ? -1 : 0)
            lines.append("Indikatoren har ingen retning; retningen fra grunnlinjen mot ambisjonen brukes.")
        }
        let achieved = sign == 0 ? abs(latest.value - final.value) < 1e-9 : sign * (latest.value - final.value) >= 0
        if achieved {
            lines.append(
                """
                Siste måling \(f(latest.value)) er \(sign >= 0 ? "på eller over" : "på eller under") ambisjonen \
                \(f(final.value)) for \(final.period.norwegian): nådd.
                """
            )
            return result(.nadd, baseline: baseline, latest: latest)
        }
        guard run.count >= 2, latest.period.fractionalYear > baseline.period.fractionalYear else {
            lines.append("Bare én sammenlignbar måling: fremgang kan ikke beregnes før neste måling.")
            return result(.forLiteData, baseline: baseline, latest: latest)
        }

        let now = latest.period.fractionalYear
        let trajectory = trajectoryValue(at: now, baseline: baseline, ambitions: series.ambitions)
        lines.append(
            """
            Ambisjonsbanen (rett linje fra grunnlinjen gjennom hver ambisjon) står på \(f(trajectory)) ved siste \
            måling (år \(decimal(now, 2))).
            """
        )
        let required = trajectory - baseline.value
        let second = secondOpinion(baseline: baseline, latest: latest, final: final, unit: unit)

        if sign * required <= 1e-12 {
            // The path asks for no progress by now (e.g. an expected dip): judge the level against the path.
            let onPath = sign * (latest.value - trajectory) >= 0
            lines.append(
                """
                Banen krever ingen fremgang ennå; siste måling er \
                \(onPath ? "på eller bedre enn" : "dårligere enn") banen.
                """
            )
            return result(
                onPath ? .iRute : .ingenFremgang, baseline: baseline, latest: latest, trajectory: trajectory,
                second: second.0, note: second.1)
        }

        let (method, why) = chooseMethod(
            baseline: baseline.value, latest: latest.value, trajectory: trajectory, final: final.value, unit: unit)
        let ratio: Double
        switch method {
        case .growth:
            ratio = log(latest.value / baseline.value) / log(trajectory / baseline.value)
            lines.append(
                """
                Metode: \(method.name) (\(why)). Forholdstall = ln(\(decimal(latest.value, 2)) / \
                \(decimal(baseline.value, 2))) / ln(\(decimal(trajectory, 2)) / \(decimal(baseline.value, 2))) = \
                \(decimal(ratio, 2)).
                """
            )
        case .distance:
            ratio = (latest.value - baseline.value) / required
            lines.append(
                """
                Metode: \(method.name) (\(why)). Forholdstall = (\(decimal(latest.value, 2)) − \
                \(decimal(baseline.value, 2))) / (\(decimal(trajectory, 2)) − \(decimal(baseline.value, 2))) = \
                \(decimal(ratio, 2)).
                """
            )
        }
        let category: ProgressCategory =
            ratio >= ProgressThresholds.onTrack ? .iRute : (ratio > 0 ? .noeFremgang : .ingenFremgang)
        lines.append(
            """
            Regel: minst \(decimal(ProgressThresholds.onTrack, 2)) gir «I rute», over 0 gir «Noe fremgang», \
            ellers «Ingen fremgang eller tilbakegang». Resultat: \(category.name).
            """
        )
        return result(
            category, method: method, baseline: baseline, latest: latest, trajectory: trajectory, ratio: ratio,
            second: second.0, note: second.1)
    }

    /// Headline measurements from the last series break on.
    public static func comparableRun(_ series: IndicatorSeries) -> [IndicatorMeasurement] {
        let headline = series.headline
        guard let lastBreak = series.breaks.last else { return headline }
        return headline.filter { $0.period >= lastBreak.period }
    }

    /// The ambition path at time `t`: straight lines from the baseline through each later ambition, flat after the
    /// last.
    public static func trajectoryValue(at t: Double, baseline: IndicatorMeasurement, ambitions: [Ambition]) -> Double {
        var points = [(baseline.period.fractionalYear, baseline.value)]
        points += ambitions.filter { $0.period.fractionalYear > baseline.period.fractionalYear }.map {
            ($0.period.fractionalYear, $0.value)
        }
        // Every ambition lies before the baseline: the last one is where the path should already be.
        if points.count == 1, let last = ambitions.last { return last.value }
        if t <= points[0].0 { return points[0].1 }
        for (a, b) in zip(points, points.dropFirst()) where t <= b.0 {
            return a.1 + (b.1 - a.1) * (t - a.0) / (b.0 - a.0)
        }
        return points.last!.1
    }

    /// Growth rates only where they mean something: positive values, a baseline that is not tiny, and not near a
    /// ceiling.
    static func chooseMethod(baseline: Double, latest: Double, trajectory: Double, final: Double, unit: IndicatorUnit)
        -> (ProgressAssessment.Method, String)
    {
        if baseline <= 0 || latest <= 0 || trajectory <= 0 {
            return (.distance, "verdier på eller under null gir ingen vekstrate")
        }
        if baseline < 0.01 * max(abs(trajectory), abs(final)) {
            return (.distance, "grunnlinjen er svært liten i forhold til ambisjonen")
        }
        if let ceiling = unit.ceiling, max(baseline, trajectory, final) >= 0.9 * ceiling {
            return (
                .distance, "verdien nærmer seg taket på \(unit.format(ceiling)), der vekstrater blir meningsløse"
            )
        }
        if unit.isBounded { return (.distance, "andeler måles som tilbakelagt avstand") }
        return (.growth, "antall og beløp vokser prosentvis")
    }

    /// Open SDG's method, for comparison: yearly compound growth achieved against that needed for the final ambition.
    static func secondOpinion(
        baseline: IndicatorMeasurement, latest: IndicatorMeasurement, final: Ambition, unit: IndicatorUnit
    ) -> (ProgressAssessment.SecondOpinion?, String) {
        let t0 = baseline.period.fractionalYear
        let t1 = latest.period.fractionalYear
        let tf = final.period.fractionalYear
        guard baseline.value > 0, latest.value > 0, final.value > 0 else {
            return (
                nil,
                """
                Vekstrate kan ikke beregnes når grunnlinje, siste måling eller ambisjon er null eller negativ \
                (Open SDG erstatter da 0 med 0,001, som gir meningsløse tall).
                """
            )
        }
        guard tf > t0, t1 > t0 else {
            return (nil, "Vekstrate krever minst to målinger og en ambisjon etter grunnlinjen.")
        }
        let actual = pow(latest.value / baseline.value, 1 / (t1 - t0)) - 1
        let needed = pow(final.value / baseline.value, 1 / (tf - t0)) - 1
        guard abs(needed) > 1e-12 else { return (nil, "Ambisjonen er lik grunnlinjen; ingen vekst kreves.") }
        let ratio = actual / needed
        let label: String
        switch ratio {
        case ProgressThresholds.onTrack...: label = "Betydelig fremgang"
        case ProgressThresholds.openSDGModerate..<ProgressThresholds.onTrack: label = "Moderat fremgang"
        case 0..<ProgressThresholds.openSDGModerate: label = "Begrenset fremgang"
        default: label = "Tilbakegang"
        }
        return (
            ProgressAssessment.SecondOpinion(actualRate: actual, requiredRate: needed, ratio: ratio, label: label), ""
        )
    }

    public static func decimal(_ value: Double, _ places: Int) -> String {
        NumberText.norwegian(value, decimals: places)
    }
}

/// A least-squares trend over the comparable run, drawn to the end of a horizon year (the final ambition's) as an
/// illustration, never as a forecast.
public struct Projection: Sendable, Equatable {
    public let slopePerYear: Double
    public let intercept: Double
    public let pointsUsed: Int
    public let from: (t: Double, value: Double)
    public let to: (t: Double, value: Double)

    public static func == (l: Projection, r: Projection) -> Bool {
        l.slopePerYear == r.slopePerYear && l.intercept == r.intercept && l.pointsUsed == r.pointsUsed
            && l.from == r.from && l.to == r.to
    }

    /// Nil with fewer than two comparable points or when the latest point is already past the horizon.
    public static func fit(_ series: IndicatorSeries, through horizonYear: Int) -> Projection? {
        let horizon = Period.year(horizonYear).fractionalYear
        let run = Progress.comparableRun(series)
        guard run.count >= 2 else { return nil }
        let xs = run.map(\.period.fractionalYear)
        let ys = run.map(\.value)
        let n = Double(run.count)
        let mx = xs.reduce(0, +) / n
        let my = ys.reduce(0, +) / n
        let sxx = zip(xs, xs).map { ($0 - mx) * ($1 - mx) }.reduce(0, +)
        guard sxx > 0 else { return nil }
        let sxy = zip(xs, ys).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let slope = sxy / sxx
        let intercept = my - slope * mx
        let start = xs.last!
        guard start < horizon else { return nil }
        func clamp(_ v: Double) -> Double {
            var v = max(v, series.indicator.unit == .count || series.indicator.unit.isBounded ? 0 : v)
            if let c = series.indicator.unit.ceiling { v = min(v, c) }
            return v
        }
        return Projection(
            slopePerYear: slope, intercept: intercept, pointsUsed: run.count,
            from: (start, clamp(slope * start + intercept)), to: (horizon, clamp(slope * horizon + intercept)))
    }
}
