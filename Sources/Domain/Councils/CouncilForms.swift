import Foundation

/// The council forms keep lists as repeated rows of plain fields (`innleder.2.navn`, `oppfolging.1.frist`), never as
/// a syntax typed into one box. Reading and refilling those rows lives here, so the rules are tested without a server.
/// Errors are `FieldErrors` keyed by the field's name; the form links each message to its field.
public enum CouncilForms {
    /// At most this many rows of one kind are read (a form offers the stored rows plus a few empty ones).
    public static let maximumRows = 100

    /// The name of one field of row `n` (1-based): `innleder.2.navn`.
    public static func field(_ prefix: String, _ n: Int, _ name: String) -> String { "\(prefix).\(n).\(name)" }

    /// Rows sent for `prefix`, in row order, with trimmed values; rows whose fields are all empty are left out.
    public static func rows(_ form: [String: String], _ prefix: String) -> [(n: Int, values: [String: String])] {
        var rows: [Int: [String: String]] = [:]
        for (key, value) in form where key.hasPrefix(prefix + ".") {
            let parts = key.dropFirst(prefix.count + 1).split(separator: ".", maxSplits: 1)
            guard parts.count == 2, let n = Int(parts[0]), (1...maximumRows).contains(n) else { continue }
            rows[n, default: [:]][String(parts[1])] = value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return rows.filter { $0.value.values.contains { !$0.isEmpty } }.sorted { $0.key < $1.key }.map {
            ($0.key, $0.value)
        }
    }

    /// An optional cell of a row: nil when empty; when it does not read as a value, nil and `problem(raw)` on its
    /// field.
    static func optional<T>(
        _ raw: String?, _ read: (String) -> T?, field key: String, errors: inout FieldErrors,
        problem: (String) -> String
    ) -> T? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let value = read(raw) else {
            errors.messages[key] = problem(raw)
            return nil
        }
        return value
    }

    /// Plain lines (questions, responsibilities): one item per non-empty line, kept as written.
    public static func items(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        .filter { !$0.isEmpty }
    }

    // MARK: Presenters

    public static func presenters(_ form: [String: String], errors: inout FieldErrors) -> [Presenter] {
        rows(form, "innleder").compactMap { n, v in
            guard let name = v["navn"], !name.isEmpty else {
                errors.messages[field("innleder", n, "navn")] = "Innleder \(n): skriv navnet, eller tøm raden."
                return nil
            }
            return Presenter(name: name, title: v["tittel"] ?? "", organisation: v["organisasjon"] ?? "")
        }
    }

    public static func presenterValues(_ list: [Presenter]) -> [String: String] {
        var v: [String: String] = [:]
        for (i, p) in list.enumerated() {
            v[field("innleder", i + 1, "navn")] = p.name
            v[field("innleder", i + 1, "tittel")] = p.title
            v[field("innleder", i + 1, "organisasjon")] = p.organisation
        }
        return v
    }

    // MARK: Follow-ups

    public static func followUps(_ form: [String: String], errors: inout FieldErrors) -> [FollowUp] {
        rows(form, "oppfolging").compactMap { n, v in
            let text = v["tekst"] ?? ""
            let due = optional(v["frist"], ReportingRound.day, field: field("oppfolging", n, "frist"), errors: &errors)
            {
                "Oppfølging \(n): «\($0)» er ikke en dato (skriv f.eks. 15.10.2027)."
            }
            guard !text.isEmpty else {
                errors.messages[field("oppfolging", n, "tekst")] =
                    "Oppfølging \(n): skriv hva som skal følges opp, eller tøm raden."
                return nil
            }
            return FollowUp(text: text, owner: v["ansvarlig"] ?? "", due: due, done: v["utfort"] == "ja")
        }
    }

    public static func followUpValues(_ list: [FollowUp]) -> [String: String] {
        var v: [String: String] = [:]
        for (i, f) in list.enumerated() {
            v[field("oppfolging", i + 1, "tekst")] = f.text
            v[field("oppfolging", i + 1, "ansvarlig")] = f.owner
            v[field("oppfolging", i + 1, "frist")] = f.due?.description ?? ""
            v[field("oppfolging", i + 1, "utfort")] = f.done ? "ja" : ""
        }
        return v
    }

    // MARK: Links

    /// Links picked in the form (each row a choice among what exists); `targets` checks the choice is still there.
    public static func links(_ form: [String: String], targets: LinkTargets?, errors: inout FieldErrors) -> [CaseLink] {
        var result: [CaseLink] = []
        for (n, v) in rows(form, "kobling") {
            let raw = v["mal"] ?? ""
            guard let link = CaseLink.parse(raw), targets.map({ $0.title(link) != nil }) ?? true else {
                errors.messages[field("kobling", n, "mal")] = "Kobling \(n): velg noe som finnes i strategien."
                continue
            }
            if result.contains(link) {
                errors.messages[field("kobling", n, "mal")] =
                    "Kobling \(n): \(targets?.title(link) ?? "denne") er valgt før."
                continue
            }
            result.append(link)
        }
        return result
    }

    public static func linkValues(_ list: [CaseLink]) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: list.enumerated().map { (field("kobling", $0.offset + 1, "mal"), $0.element.text) })
    }

    // MARK: Other agenda lines

    /// Lunch, breaks and other agenda lines that are not cases; `days` is the meeting's length.
    public static func breaks(_ form: [String: String], days: Int, errors: inout FieldErrors) -> [AgendaBreak] {
        rows(form, "punkt").compactMap { n, v in
            let title = v["tittel"] ?? ""
            let dayText = v["dag"] ?? ""
            let day = dayText.isEmpty ? 1 : Int(dayText) ?? 0
            if !(1...max(1, days)).contains(day) {
                errors.messages[field("punkt", n, "dag")] = "Punkt \(n): dagen må være mellom 1 og \(max(1, days))."
            }
            let time = optional(v["tid"], ClockTime.parse, field: field("punkt", n, "tid"), errors: &errors) {
                "Punkt \(n): «\($0)» er ikke et klokkeslett (skriv f.eks. 11:30)."
            }
            guard !title.isEmpty else {
                errors.messages[field("punkt", n, "tittel")] =
                    "Punkt \(n): skriv hva punktet er (f.eks. Lunsj), eller tøm raden."
                return nil
            }
            return AgendaBreak(title: title, day: day, time: time)
        }
    }

    public static func breakValues(_ list: [AgendaBreak]) -> [String: String] {
        var v: [String: String] = [:]
        for (i, b) in list.enumerated() {
            v[field("punkt", i + 1, "dag")] = String(b.day)
            v[field("punkt", i + 1, "tid")] = b.time?.description ?? ""
            v[field("punkt", i + 1, "tittel")] = b.title
        }
        return v
    }

    // MARK: Council names

    /// The council's names, oldest first; every name but the first needs the day it took effect.
    public static func names(_ form: [String: String], errors: inout FieldErrors) -> [CouncilName] {
        let rows = rows(form, "navn")
        if rows.isEmpty { errors.messages[field("navn", 1, "navn")] = "Rådet må ha et navn." }
        return rows.enumerated().compactMap { position, row in
            let (n, v) = row
            let name = v["navn"] ?? ""
            let short = v["kortnavn"] ?? ""
            let from = optional(v["fra"], ReportingRound.day, field: field("navn", n, "fra"), errors: &errors) {
                "Navn \(n): «\($0)» er ikke en dato (skriv f.eks. 1.1.2026)."
            }
            if (v["fra"] ?? "").isEmpty && position > 0 {
                errors.messages[field("navn", n, "fra")] = "Navn \(n): skriv fra hvilken dato navnet gjelder."
            }
            guard !name.isEmpty else {
                errors.messages[field("navn", n, "navn")] = "Navn \(n): skriv navnet, eller tøm raden."
                return nil
            }
            return CouncilName(name: name, shortName: short.isEmpty ? name : short, from: from)
        }
    }

    public static func nameValues(_ list: [CouncilName]) -> [String: String] {
        var v: [String: String] = [:]
        for (i, n) in list.enumerated() {
            v[field("navn", i + 1, "navn")] = n.name
            v[field("navn", i + 1, "kortnavn")] = n.shortName
            v[field("navn", i + 1, "fra")] = n.from?.description ?? ""
        }
        return v
    }

    // MARK: Attendance and substitutes

    /// Per member sitting on the meeting day: `oppmote.<member>` is `motte`, `forfall` or empty (not recorded), and
    /// `stedfortreder.<member>.navn` / `.organisasjon` name who came instead. Attendance counts as recorded when any
    /// member is marked; then every member must be. Others present: `andre`, one name per line.
    public static func attendance(
        _ form: [String: String], sitting: [Membership],
        errors: inout FieldErrors
    ) -> (attendance: Attendance?, substitutes: [MeetingSubstitute]) {
        var present: [String] = []
        var unmarked: [Membership] = []
        var substitutes: [MeetingSubstitute] = []
        for m in sitting {
            let mark = form["oppmote.\(m.id)"] ?? ""
            switch mark {
            case "motte": present.append(m.id)
            case "forfall": break
            case "": unmarked.append(m)
            default: errors.messages["oppmote.\(m.id)"] = "\(m.name): velg «Møtte» eller «Forfall»."
            }
            let name = (form["stedfortreder.\(m.id).navn"] ?? "").trimmingCharacters(in: .whitespaces)
            let organisation = (form["stedfortreder.\(m.id).organisasjon"] ?? "").trimmingCharacters(in: .whitespaces)
            if !name.isEmpty {
                if mark == "motte" {
                    errors.messages["stedfortreder.\(m.id).navn"] =
                        "\(m.name) er merket «Møtte» og kan ikke også ha stedfortreder."
                }
                substitutes.append(MeetingSubstitute(name: name, organisation: organisation, forMember: m.id))
            } else if !organisation.isEmpty {
                errors.messages["stedfortreder.\(m.id).navn"] = "Stedfortreder for \(m.name): skriv navnet."
            }
        }
        let others = items(form["andre"] ?? "")
        let recorded = unmarked.count < sitting.count || !others.isEmpty
        if recorded {
            for m in unmarked { errors.messages["oppmote.\(m.id)"] = "\(m.name): velg «Møtte» eller «Forfall»." }
        }
        return (recorded ? Attendance(present: present, others: others) : nil, substitutes)
    }

    public static func attendanceValues(
        _ attendance: Attendance?, substitutes: [MeetingSubstitute],
        sitting: [Membership]
    ) -> [String: String] {
        var v: [String: String] = [:]
        let present = Set(attendance?.present ?? [])
        for m in sitting {
            v["oppmote.\(m.id)"] = attendance == nil ? "" : (present.contains(m.id) ? "motte" : "forfall")
        }
        for s in substitutes {
            v["stedfortreder.\(s.forMember).navn"] = s.name
            v["stedfortreder.\(s.forMember).organisasjon"] = s.organisation
        }
        v["andre"] = (attendance?.others ?? []).joined(separator: "\n")
        return v
    }
}
