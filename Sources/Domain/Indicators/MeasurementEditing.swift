import Foundation

/// What identifies one value of an indicator: its period and breakdown (empty dimension and member: the headline).
public struct MeasurementKey: Hashable, Sendable, Comparable {
    public let period: Period
    public let dimension: String
    public let member: String
    public init(period: Period, dimension: String, member: String) {
        self.period = period
        self.dimension = dimension
        self.member = member
    }

    public static func < (a: MeasurementKey, b: MeasurementKey) -> Bool {
        (a.period.firstDay.ordinal, a.dimension, a.member) < (b.period.firstDay.ordinal, b.dimension, b.member)
    }

    /// How keys are matched: breakdown names without regard to case, as the file check counts duplicates.
    public var matching: MeasurementKey {
        MeasurementKey(period: period, dimension: dimension.lowercased(), member: member.lowercased())
    }

    /// "2025", "2025 – Region: Region nord".
    public var text: String { period.norwegian + (dimension.isEmpty ? "" : " – \(dimension): \(member)") }
}

extension IndicatorMeasurement {
    public var key: MeasurementKey { MeasurementKey(period: period, dimension: dimension, member: member) }
}

/// One value typed into a form or sent to the API, checked like a row of `measurements.csv`, with the problems keyed by
/// field and worded with the form's Norwegian names.
public enum MeasurementInput {
    /// The fields, in the form's order: the API takes the `measurements.csv` names (period, value, …) and maps them
    /// here.
    public static let fields: [(name: String, csvName: String, label: String)] = [
        ("periode", "period", "Periode"), ("verdi", "value", "Verdi"), ("dimensjon", "dimension", "Inndeling"),
        ("medlem", "member", "Gruppe i inndelingen"), ("merknad", "note", "Merknad"), ("kilde", "source", "Kilde"),
    ]

    public static func read(_ input: [String: String], indicator: Indicator) -> Result<
        IndicatorMeasurement, FieldErrors
    > {
        var errors: [String: String] = [:]
        let value = { (name: String) in (input[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var period: Period?
        if value("periode").isEmpty {
            errors["periode"] = "Oppgi perioden verdien gjelder."
        } else {
            do { period = try Period.parse(value("periode")) } catch {
                errors["periode"] =
                    """
                    «\(value("periode"))» er ikke en gyldig periode. Skriv år (2025), kvartal (2025-Q1), måned \
                    (2025-06) eller dato (2025-06-30).
                    """
            }
        }
        var reader = DatasetFormat.Reader()
        let row = DatasetFormat.Row(file: "skjema", line: 0, values: ["verdi": value("verdi")])
        let number = reader.measuredValue(row, "verdi", unit: indicator.unit)
        if let issue = reader.issues.first { errors["verdi"] = sentence(issue.message) }
        let dimension = value("dimensjon")
        let member = value("medlem")
        if dimension.isEmpty != member.isEmpty {
            errors[dimension.isEmpty ? "dimensjon" : "medlem"] =
                "Fyll ut både inndeling og gruppe, eller la begge stå tomme for hovedserien."
        }
        for name in ["dimensjon", "medlem"] where value(name).count > 200 { errors[name] = "Høyst 200 tegn." }
        for name in ["merknad", "kilde"] where value(name).count > 2000 { errors[name] = "Høyst 2000 tegn." }
        guard errors.isEmpty, let period, let number else { return .failure(FieldErrors(errors)) }
        return .success(
            IndicatorMeasurement(
                indicatorId: indicator.id, period: period, value: number, dimension: dimension, member: member,
                note: value("merknad"), source: value("kilde")))
    }

    /// Form values for a stored measurement.
    public static func values(_ m: IndicatorMeasurement) -> [String: String] {
        [
            "periode": m.period.description, "verdi": NumberText.plain(m.value), "dimensjon": m.dimension,
            "medlem": m.member,
            "merknad": m.note, "kilde": m.source,
        ]
    }

    static func sentence(_ message: String) -> String {
        let trimmed = message.hasSuffix(".") ? message : message + "."
        return trimmed.capitalizedFirst
    }
}

/// What an import would do to one indicator's values: added, changed, unchanged and (when replacing) removed.
public struct MeasurementDiff: Sendable, Equatable {
    public enum Mode: String, CaseIterable, Sendable {
        /// Values in the file are added or changed; the others stay.
        case merge = "slaa-sammen"
        /// The file becomes the indicator's values: those not in it are removed.
        case replace = "erstatt"
    }

    public let indicatorId: String
    public var added: [IndicatorMeasurement] = []
    public var changed: [IndicatorMeasurement] = []
    public var unchangedCount = 0
    public var removed: [IndicatorMeasurement] = []

    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }

    /// One diff per indicator in `indicatorIds` (in that order), comparing the stored values with the incoming ones.
    public static func compare(
        current: [IndicatorMeasurement], incoming: [IndicatorMeasurement], indicatorIds: [String],
        mode: Mode
    ) -> [MeasurementDiff] {
        indicatorIds.map { id in
            var diff = MeasurementDiff(indicatorId: id)
            let stored = Dictionary(
                current.filter { $0.indicatorId == id }.map { ($0.key.matching, $0) }, uniquingKeysWith: { a, _ in a })
            var seen: Set<MeasurementKey> = []
            for m in incoming where m.indicatorId == id {
                seen.insert(m.key.matching)
                if let old = stored[m.key.matching] {
                    // The stored spelling of the breakdown stays (it is what identifies the row).
                    var changed = m
                    changed.dimension = old.dimension
                    changed.member = old.member
                    if old == changed { diff.unchangedCount += 1 } else { diff.changed.append(changed) }
                } else {
                    diff.added.append(m)
                }
            }
            if mode == .replace {
                diff.removed = current.filter { $0.indicatorId == id && !seen.contains($0.key.matching) }
            } else {
                diff.unchangedCount += stored.count - seen.intersection(stored.keys).count
            }
            return diff
        }
    }
}
