import Foundation

/// Report sections as form values and back, with the same checks and Norwegian messages as every other form.
public enum ReportForms {
    static let maxText = 6000

    static func assessmentValues(_ a: Assessment, prefix: String) -> [String: String] {
        [
            prefix + "status": a.status?.rawValue ?? "", prefix + "tendency": a.tendency?.rawValue ?? "",
            prefix + "comment": a.comment,
        ]
    }

    static func readAssessment(_ input: [String: String], prefix: String, _ c: inout Checks) -> Assessment {
        var a = Assessment()
        let status = input[prefix + "status"] ?? ""
        if !status.isEmpty {
            if let s = TrafficLight(rawValue: status) {
                a.status = s
            } else {
                c.errors[prefix + "status"] = "Velg grønn, gul, rød eller ikke vurdert."
            }
        }
        let tendency = input[prefix + "tendency"] ?? ""
        if !tendency.isEmpty {
            if let t = Tendency(rawValue: tendency) {
                a.tendency = t
            } else {
                c.errors[prefix + "tendency"] = "Velg retning eller ingen."
            }
        }
        if a.tendency != nil && a.status == nil {
            c.errors[prefix + "tendency"] = "En retning hører til en status; velg status først."
        }
        a.comment = c.text(input, prefix + "comment", required: false, max: maxText)
        return a
    }

    static let commonTexts = ["positives", "followUps", "strategicThemes", "otherInfo"]

    static func readTexts(_ input: [String: String], _ names: [String], _ c: inout Checks) -> [String: String] {
        Dictionary(uniqueKeysWithValues: names.map { ($0, c.text(input, $0, required: false, max: maxText)) })
    }

    // MARK: overall

    public static func values(_ s: OverallSection) -> [String: String] {
        var v = assessmentValues(s.assessment, prefix: "")
        v["positives"] = s.positives
        v["followUps"] = s.followUps
        v["strategicThemes"] = s.strategicThemes
        v["otherInfo"] = s.otherInfo
        for o in s.overarching { v["og.\(o.id).comment"] = o.assessment.comment }
        for (slug, answer) in s.benefitAnswers { v["benefit.\(slug)"] = answer.rawValue }
        return v
    }

    public static func overall(_ input: [String: String], base: OverallSection, in d: Dataset) -> Result<
        OverallSection, FieldErrors
    > {
        var c = Checks()
        var s = base
        s.assessment = readAssessment(input, prefix: "", &c)
        let t = readTexts(input, commonTexts, &c)
        (s.positives, s.followUps, s.strategicThemes, s.otherInfo) = (
            t["positives"]!, t["followUps"]!, t["strategicThemes"]!, t["otherInfo"]!
        )
        s.overarching = d.overarchingGoals.map { og in
            ItemAssessment(
                id: og.id,
                assessment: Assessment(comment: c.text(input, "og.\(og.id).comment", required: false, max: maxText)))
        }
        var answers: [String: SurveyAnswer] = [:]
        for i in d.initiatives where i.kind == .national {
            let raw = input["benefit.\(i.slug)"] ?? ""
            if raw.isEmpty { continue }
            if let a = SurveyAnswer(rawValue: raw) {
                answers[i.slug] = a
            } else {
                c.errors["benefit.\(i.slug)"] = "Velg ja, nei eller ikke svart."
            }
        }
        s.benefitAnswers = answers
        return c.errors.isEmpty ? .success(s) : .failure(c.result)
    }

    // MARK: goal

    public static func values(_ s: GoalSection) -> [String: String] {
        var v = assessmentValues(s.assessment, prefix: "")
        v["positives"] = s.positives
        v["followUps"] = s.followUps
        v["strategicThemes"] = s.strategicThemes
        v["otherInfo"] = s.otherInfo
        v["candidateIndicators"] = s.candidateIndicators
        v["candidateSubgoals"] = s.candidateSubgoals
        v["indicatorIds"] = s.indicators.map(\.id).joined(separator: " ")
        for i in s.subgoals { v.merge(assessmentValues(i.assessment, prefix: "sub.\(i.id).")) { a, _ in a } }
        for i in s.indicators { v.merge(assessmentValues(i.assessment, prefix: "ind.\(i.id).")) { a, _ in a } }
        return v
    }

    public static func goal(_ input: [String: String], base: GoalSection, in d: Dataset) -> Result<
        GoalSection, FieldErrors
    > {
        var c = Checks()
        var s = base
        s.assessment = readAssessment(input, prefix: "", &c)
        let t = readTexts(input, commonTexts + ["candidateIndicators", "candidateSubgoals"], &c)
        (s.positives, s.followUps, s.strategicThemes, s.otherInfo) = (
            t["positives"]!, t["followUps"]!, t["strategicThemes"]!, t["otherInfo"]!
        )
        (s.candidateIndicators, s.candidateSubgoals) = (t["candidateIndicators"]!, t["candidateSubgoals"]!)
        s.subgoals = base.subgoals.map {
            ItemAssessment(id: $0.id, assessment: readAssessment(input, prefix: "sub.\($0.id).", &c))
        }
        let ids = (input["indicatorIds"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," || $0.isNewline }).map(
            String.init)
        if let unknown = ids.first(where: { d.indicator($0) == nil }) {
            c.errors["indicatorIds"] = "Indikatoren «\(unknown)» finnes ikke."
        }
        s.indicators = ids.compactMap { id in
            guard let ind = d.indicator(id) else { return nil }
            // A newly added indicator starts unassessed; the others keep what the form sent.
            let known = base.indicators.contains { $0.id == ind.id }
            return ItemAssessment(
                id: ind.id, assessment: known ? readAssessment(input, prefix: "ind.\(ind.id).", &c) : Assessment())
        }
        return c.errors.isEmpty ? .success(s) : .failure(c.result)
    }

    /// Readable lines of a section, for showing a colleague's newer version next to one's own.
    public static func lines(_ values: [String: String], labels: [String: String]) -> [(label: String, value: String)] {
        values.keys.sorted().compactMap { key in
            guard let value = values[key], !value.isEmpty else { return nil }
            return (labels[key] ?? key, value)
        }
    }
}
