import Foundation

/// A scoring round as CSV shaped like the council's spreadsheet: criteria as rows, candidates as columns,
/// notes in a separate `merknad` column (docs/data-format.md). Reading validates everything first.
public enum ScoringCSV {
    static let metaRows = ["navn", "tiltak", "variant", "rangeres"]
    static let figureRows = ["score", "rang"]
    /// What the 2022 sheet printed where a group had no answers; read as "no stored value".
    static let sheetErrors: Set<String> = ["#div/0!", "error:#div/0!"]

    public static func read(
        _ text: String, file: String, id: String, title: String, date: Day?, model: ScoringModel,
        initiatives: Set<String>
    ) throws(ImportFailure) -> ScoringRound {
        var issues: [ImportIssue] = []
        func issue(_ line: Int?, _ message: String) {
            issues.append(ImportIssue(file: file, line: line, message: message))
        }
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch {
            throw ImportFailure(issues: [ImportIssue(file: file, line: error.line, message: error.message)])
        }
        guard let header = records.first else {
            throw ImportFailure(issues: [ImportIssue(file: file, line: nil, message: "filen er tom")])
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.first?.lowercased() == "kriterium" else {
            throw ImportFailure(issues: [
                ImportIssue(file: file, line: header.line, message: "første kolonne skal hete «kriterium»")
            ])
        }
        let noteColumn = names.lastIndex { $0.lowercased() == "merknad" }
        let candidateColumns = Array(names.indices.dropFirst()).filter { $0 != noteColumn }
        let ids = candidateColumns.map { names[$0].lowercased() }
        if ids.isEmpty {
            issue(header.line, "ingen kandidater: hver kolonne etter «kriterium» er et tiltak eller en variant")
        }
        for candidateId in ids where !Slug.isWellFormed(candidateId) {
            issue(header.line, "kandidat-id «\(candidateId)» må bare inneholde a–z, 0–9 og bindestrek")
        }
        if Set(ids).count != ids.count { issue(header.line, "en kandidat står to ganger") }

        var meta: [String: [String]] = [:]
        var answers: [Answer] = []
        var stored: [StoredFigure] = []
        var seenRows: [String: Int] = [:]
        let criteria = Dictionary(uniqueKeysWithValues: model.allCriteria.map { ($0.criterion.id, $0.criterion) })
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                issue(record.line, "har \(record.fields.count) felt, men overskriften har \(names.count)")
                continue
            }
            let f = record.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let key = f[0].lowercased()
            if let first = seenRows[key] {
                issue(record.line, "raden «\(key)» står allerede på linje \(first)")
                continue
            }
            seenRows[key] = record.line
            // Text cells were written spreadsheet-safe (`CSV.neutralizeFormula`); numbers never are.
            let cells = candidateColumns.map { metaRows.contains(key) ? CSV.restoreFormulaText(f[$0]) : f[$0] }
            if metaRows.contains(key) {
                meta[key] = cells
                continue
            }
            // Notes: "kandidat: tekst | kandidat: tekst".
            var notes: [String: String] = [:]
            if let n = noteColumn, !f[n].isEmpty {
                for part in CSV.restoreFormulaText(f[n]).components(separatedBy: " | ") {
                    let pieces = part.split(separator: ":", maxSplits: 1).map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                    guard pieces.count == 2, ids.contains(pieces[0].lowercased()) else {
                        issue(record.line, "merknaden «\(part)» må ha formen «kandidat-id: tekst»")
                        continue
                    }
                    notes[pieces[0].lowercased()] = pieces[1]
                }
            }
            // A question row holds answers; a group row, `score` or `rang` holds a figure the sheet printed.
            let criterion = criteria[key]
            guard criterion != nil || figureRows.contains(key) else {
                issue(
                    record.line,
                    """
                    ukjent kriterium «\(f[0])»; gyldige er \(metaRows.joined(separator: ", ")), \
                    \(model.allCriteria.map(\.criterion.id).joined(separator: ", ")), score og rang
                    """
                )
                continue
            }
            for (candidateId, cell) in zip(ids, cells) {
                var value: Double?
                let isAnswer = criterion?.isQuestion == true
                if isAnswer && cell.lowercased() == Answer.unknownText {
                    answers.append(
                        Answer(
                            candidateId: candidateId, questionId: key, value: nil, comment: notes[candidateId] ?? "",
                            unknown: true))
                    continue
                }
                if !cell.isEmpty && !(sheetErrors.contains(cell.lowercased()) && !isAnswer) {
                    guard let v = NumberText.parse(cell) else {
                        issue(
                            record.line,
                            "«\(cell)» for \(candidateId) er ikke et tall; skriv merknader i kolonnen «merknad»")
                        continue
                    }
                    if isAnswer, let q = criterion, v < q.scaleMin || v > q.scaleMax {
                        issue(
                            record.line,
                            """
                            \(NumberText.plain(v)) for \(candidateId) er utenfor skalaen \
                            \(NumberText.plain(q.scaleMin))–\(NumberText.plain(q.scaleMax))
                            """
                        )
                        continue
                    }
                    value = v
                }
                if isAnswer {
                    answers.append(
                        Answer(
                            candidateId: candidateId, questionId: key, value: value, comment: notes[candidateId] ?? ""))
                } else if let value {
                    stored.append(StoredFigure(candidateId: candidateId, key: key, value: value))
                }
            }
        }
        guard let nameCells = meta["navn"] else {
            issue(nil, "raden «navn» mangler")
            throw ImportFailure(issues: issues)
        }
        var candidates: [Candidate] = []
        for (i, candidateId) in ids.enumerated() {
            let name = nameCells[i]
            if name.isEmpty { issue(seenRows["navn"], "\(candidateId) mangler navn") }
            let slug = meta["tiltak"]?[i] ?? ""
            if !slug.isEmpty && !initiatives.contains(slug) {
                issue(seenRows["tiltak"], "ukjent tiltak «\(slug)» for \(candidateId)")
            }
            let rankedText = (meta["rangeres"]?[i] ?? "").lowercased()
            if !["", "ja", "nei"].contains(rankedText) {
                issue(seenRows["rangeres"], "«rangeres» må være ja eller nei for \(candidateId)")
            }
            candidates.append(
                Candidate(
                    id: candidateId, name: name, initiativeSlug: slug.isEmpty ? nil : slug,
                    variant: meta["variant"]?[i] ?? "",
                    ranked: rankedText != "nei"))
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        return ScoringRound(
            id: id, title: title, date: date, model: model, candidates: candidates, answers: answers, stored: stored)
    }

    /// The same shape back: every question, the stored figures of the sheet, and the notes.
    public static func write(_ r: ScoringRound) -> String {
        let ids = r.candidates.map(\.id)
        var rows: [[String]] = [
            ["navn"] + r.candidates.map { CSV.spreadsheetSafe($0.name) } + [""],
            ["tiltak"] + r.candidates.map { $0.initiativeSlug ?? "" } + [""],
            ["variant"] + r.candidates.map { CSV.spreadsheetSafe($0.variant) } + [""],
            ["rangeres"] + r.candidates.map { $0.ranked ? "ja" : "nei" } + [""],
        ]
        for (criterion, _) in r.model.allCriteria {
            if criterion.isQuestion {
                let answers = ids.map { r.answer($0, criterion.id) }
                let notes = zip(ids, answers).compactMap { id, a in
                    a.flatMap { $0.comment.isEmpty ? nil : "\(id): \($0.comment)" }
                }
                rows.append(
                    [criterion.id]
                        + answers.map { a in
                            a?.value.map(NumberText.plain) ?? (a?.isUnknown == true ? Answer.unknownText : "")
                        }
                        + [CSV.spreadsheetSafe(notes.joined(separator: " | "))])
            } else if r.stored.contains(where: { $0.key == criterion.id }) {
                rows.append(
                    [criterion.id]
                        + ids.map { id in
                            r.stored.first { $0.candidateId == id && $0.key == criterion.id }.map {
                                NumberText.plain($0.value)
                            } ?? ""
                        } + [""])
            }
        }
        for key in figureRows where r.stored.contains(where: { $0.key == key }) {
            rows.append(
                [key]
                    + ids.map { id in
                        r.stored.first { $0.candidateId == id && $0.key == key }.map { NumberText.plain($0.value) }
                            ?? ""
                    } + [""])
        }
        return CSV.write(header: ["kriterium"] + ids + ["merknad"], rows: rows)
    }
}
