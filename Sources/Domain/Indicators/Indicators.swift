import Foundation

/// Donabedian's structure–process–outcome model, as indicator sets for digitalisation use it (seed document 003).
public enum IndicatorKind: String, CaseIterable, Sendable {
    case innsatsfaktor, gjennomforing, effekt
    public var name: String {
        switch self {
        case .innsatsfaktor: "Innsatsfaktor/struktur"
        case .gjennomforing: "Gjennomføring/prosess"
        case .effekt: "Effekt/resultat"
        }
    }
}

/// Which way is better. Mandatory: Veikart never guesses (Open SDG silently assumes "lower is better").
public enum Direction: String, CaseIterable, Sendable {
    case hoyere = "hoyere-er-bedre", lavere = "lavere-er-bedre", ingen = "ingen-retning"
    public var name: String {
        switch self {
        case .hoyere: "Høyere er bedre"
        case .lavere: "Lavere er bedre"
        case .ingen: "Ingen retning"
        }
    }
    /// +1 when higher is better, −1 when lower is better, 0 without a direction.
    public var sign: Double {
        switch self {
        case .hoyere: 1
        case .lavere: -1
        case .ingen: 0
        }
    }
}

public enum Frequency: String, CaseIterable, Sendable {
    case kvartalsvis, arlig, uregelmessig
    public var name: String {
        switch self {
        case .kvartalsvis: "Kvartalsvis"
        case .arlig: "Årlig"
        case .uregelmessig: "Uregelmessig"
        }
    }
}

/// Klar = reported, data available; under arbeid = not yet (003's dashboard draft legend).
public enum Readiness: String, CaseIterable, Sendable {
    case klar, underArbeid = "under-arbeid", kandidat, fremtidig
    public var name: String {
        switch self {
        case .klar: "Klar"
        case .underArbeid: "Under arbeid"
        case .kandidat: "Kandidat"
        case .fremtidig: "Fremtidig"
        }
    }
}

public enum AmbitionState: String, CaseIterable, Sendable {
    case foreslatt, vedtatt
    public var name: String { self == .foreslatt ? "Foreslått" : "Vedtatt" }
}

/// How values are counted and shown.
public enum IndicatorUnit: Hashable, Sendable {
    case percent
    case count
    /// "5/7": the value is the numerator of a fixed denominator.
    case fraction(denominator: Int)
    case currency(code: String)
    case other(label: String)

    /// The CSV pair (unit, unit_detail).
    public var csv: (String, String) {
        switch self {
        case .percent: ("prosent", "")
        case .count: ("antall", "")
        case .fraction(let d): ("brok", String(d))
        case .currency(let code): ("valuta", code)
        case .other(let label): ("annen", label)
        }
    }

    public static func parse(unit: String, detail: String) -> IndicatorUnit? {
        switch unit.lowercased() {
        case "prosent": return .percent
        case "antall": return .count
        case "brok": return Int(detail).flatMap { $0 > 0 ? .fraction(denominator: $0) : nil }
        case "valuta": return detail.isEmpty ? .currency(code: "NOK") : .currency(code: detail.uppercased())
        case "annen": return detail.isEmpty ? nil : .other(label: detail)
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .percent: "Prosent"
        case .count: "Antall"
        case .fraction(let d): "Brøk (av \(d))"
        case .currency(let code): "Valuta (\(code))"
        case .other(let label): label
        }
    }

    /// Percentages and fractions have a ceiling, which makes growth rates meaningless near it.
    public var isBounded: Bool {
        switch self {
        case .percent, .fraction: true
        default: false
        }
    }

    /// The highest possible value, if bounded.
    public var ceiling: Double? {
        switch self {
        case .percent: 100
        case .fraction(let d): Double(d)
        default: nil
        }
    }

    /// Norwegian formatting, independent of the machine's locale: "27,5 %", "148 651", "5/7", "1 200 NOK".
    public func format(_ value: Double) -> String {
        switch self {
        case .percent: NumberText.norwegian(value) + " %"
        case .count: NumberText.norwegian(value)
        case .fraction(let d): NumberText.norwegian(value) + "/" + String(d)
        case .currency(let code): NumberText.norwegian(value) + " " + code
        case .other(let label): NumberText.norwegian(value) + " " + label
        }
    }

    /// A change between two values: "+2 prosentpoeng", "−1 234".
    public func formatChange(_ delta: Double) -> String {
        let sign = delta > 0 ? "+" : (delta < 0 ? "−" : "±")
        let magnitude = NumberText.norwegian(abs(delta))
        switch self {
        case .percent: return sign + magnitude + " prosentpoeng"
        case .currency(let code): return sign + magnitude + " " + code
        case .other(let label): return sign + magnitude + " " + label
        case .fraction, .count: return sign + magnitude
        }
    }
}

/// Numbers as Norwegians write them, without Foundation's locale machinery: space as thousands
/// separator (no-break), comma for decimals, at most `decimals` decimals with trailing zeros dropped.
public enum NumberText {
    /// "1 aktivitet", "2 aktiviteter", "0 aktiviteter": the number in Norwegian with the noun in the right number.
    public static func count(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(norwegian(Double(n), decimals: 0)) \(n == 1 ? singular : plural)"
    }

    /// Small numbers in words, as Norwegian prose writes them ("de fem tiltakene"); digits from 13.
    public static func words(_ n: Int) -> String {
        let names = ["null", "én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve", "tolv"]
        return names.indices.contains(n) ? names[n] : norwegian(Double(n), decimals: 0)
    }

    public static func norwegian(_ value: Double, decimals: Int = 1) -> String {
        // Beyond what an indicator measures (and what Int arithmetic below holds): written out without grouping.
        guard value.isFinite, abs(value) < maximum else { return plain(value) }
        let scale = pow(10, Double(decimals))
        let scaled = (abs(value) * scale).rounded()
        var whole = Int(scaled / scale)
        var fraction = Int(scaled) - whole * Int(scale)
        if fraction < 0 { fraction = 0 }
        if whole < 0 { whole = 0 }
        var digits = String(whole)
        var grouped = ""
        if digits.count > 4 {
            while digits.count > 3 {
                grouped = "\u{00A0}" + digits.suffix(3) + grouped
                digits = String(digits.dropLast(3))
            }
        }
        grouped = digits + grouped
        var text = grouped
        if fraction > 0 {
            var f = pad(fraction, decimals)
            while f.hasSuffix("0") { f.removeLast() }
            text += "," + f
        }
        let negative = value < 0 && (whole > 0 || fraction > 0)
        return (negative ? "−" : "") + text
    }

    /// Machine form for files: "." decimals, no grouping, up to six decimals, trailing zeros dropped.
    public static func plain(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if abs(value) >= maximum { return String(format: "%.0f", value) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        let scaled = Int((abs(value) * 1_000_000).rounded())
        var fraction = pad(scaled % 1_000_000, 6)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let whole = String(scaled / 1_000_000)
        return (value < 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// The largest magnitude a measured value may have: far above any count or amount an indicator tracks, and well
    /// inside what the formatting arithmetic holds.
    public static let maximum = 1e12

    /// Reads "28", "27.5", "27,5", "148 651", "−3": a value in a CSV cell.
    public static func parse(_ raw: String) -> Double? {
        var s = raw.trimmingCharacters(in: .whitespaces)
        s = s.replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: "\u{202F}", with: "")
            .replacingOccurrences(of: " ", with: "")
        s = s.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: ",", with: ".")
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
            s.filter({ $0 == "." }).count <= 1, let v = Double(s), v.isFinite
        else { return nil }
        return v
    }
}

public struct Indicator: Hashable, Sendable {
    /// `1.3` or a slug such as `epj-effektivt-pasientarbeid`.
    public var id: String
    public var name: String
    public var description: String
    /// Strategic goals ("1"–"5") the indicator belongs to; may be empty when it belongs to an overarching goal.
    public var goalIds: [String]
    public var overarchingGoalId: String?
    /// Norway's placement in international measurements (a panel of its own on the dashboard).
    public var international: Bool
    public var kind: IndicatorKind
    public var unit: IndicatorUnit
    public var direction: Direction
    public var source: String
    public var frequency: Frequency
    public var readiness: Readiness
    /// Position on the curated dashboard; nil when not on it.
    public var dashboardOrder: Int?
    /// "No ambition proposed" is a decision with a reason, not a gap: set when that is the case.
    public var noAmbitionReason: String

    public init(
        id: String, name: String, description: String, goalIds: [String], overarchingGoalId: String?,
        international: Bool,
        kind: IndicatorKind, unit: IndicatorUnit, direction: Direction, source: String, frequency: Frequency,
        readiness: Readiness, dashboardOrder: Int?, noAmbitionReason: String
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.goalIds = goalIds
        self.overarchingGoalId = overarchingGoalId
        self.international = international
        self.kind = kind
        self.unit = unit
        self.direction = direction
        self.source = source
        self.frequency = frequency
        self.readiness = readiness
        self.dashboardOrder = dashboardOrder
        self.noAmbitionReason = noAmbitionReason
    }
}

public struct IndicatorMeasurement: Hashable, Sendable {
    public var indicatorId: String
    public var period: Period
    public var value: Double
    /// Empty for the headline series; otherwise e.g. "region" / the region's name.
    public var dimension: String
    public var member: String
    public var note: String
    public var source: String

    public init(
        indicatorId: String, period: Period, value: Double, dimension: String = "", member: String = "",
        note: String = "", source: String = ""
    ) {
        self.indicatorId = indicatorId
        self.period = period
        self.value = value
        self.dimension = dimension
        self.member = member
        self.note = note
        self.source = source
    }

    public var isHeadline: Bool { dimension.isEmpty }
}

public struct Ambition: Hashable, Sendable {
    public var indicatorId: String
    public var period: Period
    public var value: Double
    public var state: AmbitionState
    public var note: String
    public init(indicatorId: String, period: Period, value: Double, state: AmbitionState, note: String = "") {
        self.indicatorId = indicatorId
        self.period = period
        self.value = value
        self.state = state
        self.note = note
    }
}

/// A change in method (e.g. a new answer scale) after which values are not comparable with those before.
public struct SeriesBreak: Hashable, Sendable {
    public var indicatorId: String
    public var period: Period
    public var note: String
    public init(indicatorId: String, period: Period, note: String) {
        self.indicatorId = indicatorId
        self.period = period
        self.note = note
    }
}

extension Day {
    /// The day as a fractional year (2022-07-02 ≈ 2022.5), for trends and trajectories.
    public var fractionalYear: Double {
        let y = year
        let start = Day(year: y, month: 1, day: 1)!.ordinal
        let length = Day.isLeap(y) ? 366.0 : 365.0
        return Double(y) + (Double(ordinal - start) + 0.5) / length
    }
}

extension Period {
    /// The middle of the period as a fractional year: 2022 → 2022.5, 2027-Q4 → 2027.875.
    /// Measurements and ambitions are both placed by this rule.
    public var fractionalYear: Double {
        (firstDay.fractionalYear + lastDay.fractionalYear) / 2
    }
}

/// Everything Veikart knows about one indicator, gathered from a dataset.
public struct IndicatorSeries: Sendable {
    public let indicator: Indicator
    /// Sorted by period, then dimension and member.
    public let measurements: [IndicatorMeasurement]
    public let ambitions: [Ambition]
    public let breaks: [SeriesBreak]

    public init(
        indicator: Indicator, measurements: [IndicatorMeasurement], ambitions: [Ambition], breaks: [SeriesBreak]
    ) {
        self.indicator = indicator
        self.measurements = measurements.sorted {
            ($0.period, $0.dimension, $0.member) < ($1.period, $1.dimension, $1.member)
        }
        self.ambitions = ambitions.sorted { $0.period < $1.period }
        self.breaks = breaks.sorted { $0.period < $1.period }
    }

    public var headline: [IndicatorMeasurement] { measurements.filter(\.isHeadline) }
    public var latest: IndicatorMeasurement? { headline.last }
    public var previous: IndicatorMeasurement? {
        let h = headline
        return h.count >= 2 ? h[h.count - 2] : nil
    }

    /// Dimensions with their members' measurements, in first-seen order.
    public var breakdowns: [(dimension: String, members: [(member: String, measurements: [IndicatorMeasurement])])] {
        var order: [String] = []
        var byDimension: [String: [IndicatorMeasurement]] = [:]
        for m in measurements where !m.isHeadline {
            if byDimension[m.dimension] == nil { order.append(m.dimension) }
            byDimension[m.dimension, default: []].append(m)
        }
        return order.map { dim in
            var memberOrder: [String] = []
            var byMember: [String: [IndicatorMeasurement]] = [:]
            for m in byDimension[dim]! {
                if byMember[m.member] == nil { memberOrder.append(m.member) }
                byMember[m.member, default: []].append(m)
            }
            return (dim, memberOrder.map { ($0, byMember[$0]!) })
        }
    }

    /// The break, if any, between two periods (after `from`, at or before `to`).
    public func breakBetween(_ from: Period, _ to: Period) -> SeriesBreak? {
        breaks.last { $0.period > from && $0.period <= to }
    }

    /// The first ambition after `day`, and the last (final) ambition.
    public func nextAmbition(after day: Day) -> Ambition? { ambitions.first { $0.period.lastDay >= day } }
    public var finalAmbition: Ambition? { ambitions.last }
    /// The year a trend is drawn to: the final ambition's, or the strategy's last year without one.
    public func horizonYear(strategyEnd: Int) -> Int { finalAmbition?.period.year ?? strategyEnd }
}

extension Dataset {
    public func indicator(_ id: String) -> Indicator? {
        indicators.first { $0.id.caseInsensitiveCompare(id) == .orderedSame }
    }

    public func series(of indicator: Indicator) -> IndicatorSeries {
        IndicatorSeries(
            indicator: indicator, measurements: measurements.filter { $0.indicatorId == indicator.id },
            ambitions: ambitions.filter { $0.indicatorId == indicator.id },
            breaks: seriesBreaks.filter { $0.indicatorId == indicator.id })
    }

    /// The series of many indicators in one pass over the values (calling `series(of:)` for each would read all
    /// values once per indicator: minutes for a dashboard of thousands).
    public func series(of many: [Indicator]) -> [IndicatorSeries] {
        let values = Dictionary(grouping: measurements, by: \.indicatorId)
        let ambitionsOf = Dictionary(grouping: ambitions, by: \.indicatorId)
        let breaksOf = Dictionary(grouping: seriesBreaks, by: \.indicatorId)
        return many.map {
            IndicatorSeries(
                indicator: $0, measurements: values[$0.id] ?? [], ambitions: ambitionsOf[$0.id] ?? [],
                breaks: breaksOf[$0.id] ?? [])
        }
    }

    public func indicators(ofGoal id: String) -> [Indicator] { indicators.filter { $0.goalIds.contains(id) } }
}
