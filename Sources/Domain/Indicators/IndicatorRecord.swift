import Foundation

/// An indicator as editors change it: the definition together with its ambitions and series breaks,
/// so a change of ambition is versioned, audited and restorable like any other edit.
public struct IndicatorRecord: Hashable, Sendable {
    public var indicator: Indicator
    public var ambitions: [Ambition]
    public var breaks: [SeriesBreak]
    public init(indicator: Indicator, ambitions: [Ambition], breaks: [SeriesBreak]) {
        self.indicator = indicator
        self.ambitions = ambitions
        self.breaks = breaks
    }
}

extension IndicatorRecord: EditableRecord {
    public static var kind: RecordKind { .indicator }
    public var recordId: String { indicator.id }

    public var auditFields: [(String, String)] {
        let i = indicator
        return [
            ("Navn", i.name), ("Beskrivelse", i.description), ("Mål", i.goalIds.joined(separator: " ")),
            ("Overordnet mål", i.overarchingGoalId ?? ""),
            ("Internasjonal måling", i.international ? "ja" : "nei"), ("Type", i.kind.name), ("Enhet", i.unit.name),
            ("Retning", i.direction.name),
            ("Kilde", i.source), ("Frekvens", i.frequency.name), ("Klarhet", i.readiness.name),
            ("Plass på dashbordet", i.dashboardOrder.map(String.init) ?? ""),
            ("Ingen ambisjon foreslått fordi", i.noAmbitionReason),
            ("Ambisjoner", Self.ambitionLines(ambitions, unit: i.unit)), ("Brudd i serien", Self.breakLines(breaks)),
        ]
    }

    public func formValues() -> [String: String] {
        let i = indicator
        return [
            "name": i.name, "description": i.description, "goals": i.goalIds.joined(separator: " "),
            "overarching": i.overarchingGoalId ?? "",
            "international": i.international ? "ja" : "nei", "kind": i.kind.rawValue, "unit": i.unit.csv.0,
            "unitDetail": i.unit.csv.1,
            "direction": i.direction.rawValue, "source": i.source, "frequency": i.frequency.rawValue,
            "readiness": i.readiness.rawValue,
            "dashboardOrder": i.dashboardOrder.map(String.init) ?? "", "noAmbitionReason": i.noAmbitionReason,
            "ambitions": Self.ambitionLines(ambitions, unit: i.unit), "breaks": Self.breakLines(breaks),
        ]
    }

    static func ambitionLines(_ ambitions: [Ambition], unit: IndicatorUnit) -> String {
        ambitions.map {
            [$0.period.description, NumberText.plain($0.value), $0.state.rawValue, $0.note].joined(separator: "; ")
                .trimmingCharacters(in: CharacterSet(charactersIn: "; "))
        }.joined(separator: "\n")
    }

    static func breakLines(_ breaks: [SeriesBreak]) -> String {
        breaks.map { "\($0.period.description); \($0.note)" }.joined(separator: "\n")
    }

    public static func formFields(in d: Dataset) -> [FormField] {
        [
            FormField("name", "Navn", .text(hint: nil)),
            FormField("description", "Hva måles", .textarea),
            FormField(
                "goals", "Strategiske mål",
                .text(
                    hint:
                        """
                        Målnumre med mellomrom, f.eks. «2 4». Kan stå tomt når indikatoren hører til et \
                        overordnet mål.
                        """
                )),
            FormField(
                "overarching", "Overordnet mål",
                .select([("", "Ingen")] + d.overarchingGoals.map { ($0.id, $0.title) })
            ),
            FormField(
                "international", "Internasjonal måling",
                .radio([("nei", "Nei"), ("ja", "Ja (eget panel på dashbordet)")])),
            FormField("kind", "Type", .select(IndicatorKind.allCases.map { ($0.rawValue, $0.name) })),
            FormField(
                "unit", "Enhet",
                .select([
                    ("prosent", "Prosent"), ("antall", "Antall"), ("brok", "Brøk (x av n)"), ("valuta", "Valuta"),
                    ("annen", "Annen enhet"),
                ])),
            FormField(
                "unitDetail", "Enhetsdetalj",
                .text(
                    hint:
                        """
                        Nevneren for brøk (f.eks. 7), valutakode (NOK) eller navnet på en annen enhet. Tomt for \
                        prosent og antall.
                        """
                )),
            FormField("direction", "Retning", .radio(Direction.allCases.map { ($0.rawValue, $0.name) })),
            FormField("source", "Kilde", .text(hint: nil)),
            FormField("frequency", "Frekvens", .select(Frequency.allCases.map { ($0.rawValue, $0.name) })),
            FormField("readiness", "Klarhet", .select(Readiness.allCases.map { ($0.rawValue, $0.name) })),
            FormField(
                "dashboardOrder", "Plass på dashbordet",
                .text(hint: "Et positivt heltall; tomt betyr at indikatoren ikke er på dashbordet.")),
            FormField(
                "ambitions", "Ambisjoner (én per linje: periode; verdi; foreslatt eller vedtatt; merknad)", .textarea),
            FormField("noAmbitionReason", "Ingen ambisjon foreslått fordi", .textarea),
            FormField(
                "breaks", "Brudd i serien (én per linje: første periode med ny metode; hva som endret seg)",
                .textarea),
        ]
    }

    public func applying(_ input: [String: String], in d: Dataset) -> Result<IndicatorRecord, FieldErrors> {
        var c = Checks()
        let name = c.text(input, "name", required: true, max: 300)
        let description = c.text(input, "description", required: false, max: 4000)
        let goals = c.text(input, "goals", required: false, max: 100).split(whereSeparator: { $0 == " " || $0 == "," })
            .map(String.init)
        if let unknown = goals.first(where: { d.goal($0) == nil }) {
            c.errors["goals"] = "Mål «\(unknown)» finnes ikke. Bruk \(d.goals.map(\.id).joined(separator: ", "))."
        }
        let overarchingText = c.text(input, "overarching", required: false, max: 100)
        if !overarchingText.isEmpty && !d.overarchingGoals.contains(where: { $0.id == overarchingText }) {
            c.errors["overarching"] = "Velg et overordnet mål fra listen."
        }
        let international = input["international"] == "ja"
        if goals.isEmpty && overarchingText.isEmpty && !international {
            c.errors["goals"] =
                """
                Indikatoren må høre til minst ett strategisk mål, et overordnet mål eller være en internasjonal \
                måling.
                """
        }
        let kind = c.choice(input, "kind", IndicatorKind.self, message: "Velg type.")
        let unitDetail = c.text(input, "unitDetail", required: false, max: 60)
        let unit = IndicatorUnit.parse(unit: input["unit"] ?? "", detail: unitDetail)
        if unit == nil {
            c.errors["unitDetail"] = "Brøk trenger nevneren (et positivt heltall), og en annen enhet trenger et navn."
        }
        let direction = c.choice(
            input, "direction", Direction.self,
            message: "Velg retning: høyere er bedre, lavere er bedre eller ingen retning.")
        let source = c.text(input, "source", required: false, max: 300)
        let frequency = c.choice(input, "frequency", Frequency.self, message: "Velg frekvens.")
        let readiness = c.choice(input, "readiness", Readiness.self, message: "Velg klarhet.")
        var order: Int?
        let orderText = c.text(input, "dashboardOrder", required: false, max: 6)
        if !orderText.isEmpty {
            if let o = Int(orderText), o > 0 {
                if let other = d.indicators.first(where: { $0.dashboardOrder == o && $0.id != indicator.id }) {
                    c.errors["dashboardOrder"] = "Plass \(o) er allerede brukt av «\(other.name)»."
                } else {
                    order = o
                }
            } else {
                c.errors["dashboardOrder"] = "Skriv et positivt heltall, eller la feltet stå tomt."
            }
        }
        let noAmbitionReason = c.text(input, "noAmbitionReason", required: false, max: 2000)
        var ambitions: [Ambition] = []
        var problems: [String] = []
        var seen: Set<Period> = []
        for (n, line) in lines(input["ambitions"]) {
            let parts = line.split(separator: ";", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count >= 2, let period = try? Period.parse(parts[0]), period.precision <= .quarter else {
                problems.append(
                    "Linje \(n): start med et år eller kvartal, så verdien, f.eks. «2030; 68; foreslatt».")
                continue
            }
            guard let value = NumberText.parse(parts[1]) else {
                problems.append("Linje \(n): «\(parts[1])» er ikke et tall.")
                continue
            }
            if let ceiling = unit?.ceiling, value < 0 || value > ceiling {
                problems.append("Linje \(n): \(parts[1]) er utenfor 0–\(NumberText.plain(ceiling)).")
                continue
            }
            let stateText =
                parts.count > 2 && !parts[2].isEmpty ? parts[2].lowercased() : AmbitionState.foreslatt.rawValue
            guard let state = AmbitionState(rawValue: stateText) else {
                problems.append("Linje \(n): status må være foreslatt eller vedtatt.")
                continue
            }
            guard seen.insert(period).inserted else {
                problems.append("Linje \(n): \(period.description) står to ganger.")
                continue
            }
            ambitions.append(
                Ambition(
                    indicatorId: indicator.id, period: period, value: value, state: state,
                    note: parts.dropFirst(3).joined(separator: "; ")))
        }
        if !problems.isEmpty {
            c.errors["ambitions"] = problems.joined(separator: " ")
        } else if !ambitions.isEmpty && !noAmbitionReason.isEmpty {
            c.errors["noAmbitionReason"] =
                """
                Fjern begrunnelsen, eller fjern ambisjonene: en indikator har enten ambisjoner eller «ingen \
                ambisjon foreslått».
                """
        }
        var breaks: [SeriesBreak] = []
        var breakProblems: [String] = []
        for (n, line) in lines(input["breaks"]) {
            let parts = line.split(separator: ";", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty, let period = try? Period.parse(parts[0]) else {
                breakProblems.append("Linje \(n): skriv perioden og hva som endret seg, f.eks. «2022; Ny svarskala».")
                continue
            }
            breaks.append(SeriesBreak(indicatorId: indicator.id, period: period, note: parts[1]))
        }
        if !breakProblems.isEmpty { c.errors["breaks"] = breakProblems.joined(separator: " ") }
        guard c.errors.isEmpty, let kind, let unit, let direction, let frequency, let readiness else {
            return .failure(c.result)
        }
        let edited = Indicator(
            id: indicator.id, name: name, description: description, goalIds: goals,
            overarchingGoalId: overarchingText.isEmpty ? nil : overarchingText,
            international: international, kind: kind, unit: unit, direction: direction, source: source,
            frequency: frequency,
            readiness: readiness, dashboardOrder: order, noAmbitionReason: noAmbitionReason)
        return .success(
            IndicatorRecord(
                indicator: edited, ambitions: ambitions.sorted { $0.period < $1.period },
                breaks: breaks.sorted { $0.period < $1.period }))
    }

    private func lines(_ text: String?) -> [(Int, String)] {
        (text ?? "").components(separatedBy: .newlines).enumerated()
            .map { ($0.offset + 1, $0.element.trimmingCharacters(in: .whitespaces)) }.filter { !$0.1.isEmpty }
    }
}
