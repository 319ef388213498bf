import Domain
import Foundation
import Persistence
import Vapor
import Views

/// Scoring rounds: list and import, the ranking page with sensitivity and comparison, answers, exports.
struct PrioritizationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("prioritering") { req in try await self.list(req: req) }
        routes.post("prioritering", use: importRound)
        routes.get("prioritering", "modeller") { req in try await self.models(req: req) }
        routes.post("prioritering", "modeller", use: saveModel)
        routes.get("prioritering", ":round", use: round)
        routes.post("prioritering", ":round", "kandidater", use: addCandidate)
        routes.get("prioritering", ":round", "svar", ":candidate", use: answersForm)
        routes.post("prioritering", ":round", "svar", ":candidate", use: saveAnswers)
    }

    func list(req: Request, values: [String: String] = [:], issues: [ImportIssue] = []) async throws -> Response {
        let rounds = try await ScoringStore.all(on: req.db).map { ($0.id, $0.title, $0.date.map(\.norwegian) ?? "uten dato", $0.candidates.count) }
        let form = Access.canWriteStructure(req.principal) ? (req.csrfToken(), values, issues) : nil
        let models = try await ScoringStore.models(on: req.db)
        var latest: [(String, String)] = []
        for m in models where !latest.contains(where: { $0.0 == m.id }) { latest.append((m.id, "\(m.name) (versjon \(m.version))")) }
        let r = Response.html(ScoringListView.render(ScoringListModel(rounds: rounds, importForm: form, models: latest)))
        if !issues.isEmpty { r.status = .unprocessableEntity }
        return r
    }

    func models(req: Request, text: String? = nil, problems: [String] = []) async throws -> Response {
        let models = try await ScoringStore.models(on: req.db)
        var example = ""
        if let latest = models.first {
            let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            example = String(decoding: try encoder.encode(latest), as: UTF8.self)
        }
        let form = Access.canWriteStructure(req.principal) ? (req.csrfToken(), text ?? example, problems) : nil
        let r = Response.html(ScoringModelsView.render(ScoringModelsModel(models: models, form: form)))
        if !problems.isEmpty { r.status = .unprocessableEntity }
        return r
    }

    struct ModelForm: Content { let modell: String }

    func saveModel(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireEditor("Bare redaktører endrer poengmodeller.")
        let text = try req.content.decode(ModelForm.self).modell
        let model: ScoringModel
        do { model = try JSONDecoder().decode(ScoringModel.self, from: Data(text.utf8)) } catch {
            return try await models(req: req, text: text, problems: ["Modellen er ikke gyldig JSON i riktig form. " + DecodingProblem.describe(error)])
        }
        guard model.problems.isEmpty else { return try await models(req: req, text: text, problems: model.problems) }
        try await ScoringStore.saveModel(model, author: Author(req.principal!, source: .ui), on: req.db)
        return req.redirect(to: "/prioritering/modeller", redirectType: .normal)
    }

    struct ImportForm: Content { let id: String?; let tittel: String?; let dato: String?; let fil: File?; let tekst: String?; let modell: String? }

    func importRound(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireEditor("Bare redaktører importerer prioriteringsrunder.")
        let form = try req.content.decode(ImportForm.self)
        let id = (form.id ?? "").trimmingCharacters(in: .whitespaces).lowercased(), title = (form.tittel ?? "").trimmingCharacters(in: .whitespaces)
        var values = ["id": id, "tittel": title, "dato": form.dato ?? ""]
        var issues: [ImportIssue] = []
        if !Slug.isWellFormed(id) {
            issues.append(ImportIssue(file: "skjema", line: nil, message: "id må fylles ut med a–z, 0–9 og bindestrek"))
        }
        if id == "modeller" { issues.append(ImportIssue(file: "skjema", line: nil, message: "«modeller» er et reservert navn")) }
        if title.isEmpty { issues.append(ImportIssue(file: "skjema", line: nil, message: "tittel må fylles ut")) }
        // Without a choice: the installation's only model (the form offers a choice when there are several).
        let modelId = (form.modell ?? "").isEmpty ? try await ScoringStore.models(on: req.db).first?.id ?? "" : form.modell!
        values["modell"] = modelId
        let model = try await ScoringStore.latestModel(modelId, on: req.db)
        if model == nil {
            issues.append(ImportIssue(file: "skjema", line: nil, message: modelId.isEmpty
                ? "det finnes ingen poengmodell ennå; importer en prioriteringsrunde med modell (scoring-rounds.json) først"
                : "modellen «\(modelId)» finnes ikke"))
        }
        var date: Day?
        if let raw = form.dato, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            if let d = Day.parse(raw.trimmingCharacters(in: .whitespaces)) { date = d } else {
                issues.append(ImportIssue(file: "skjema", line: nil, message: "dato må skrives ÅÅÅÅ-MM-DD"))
            }
        }
        var sent: (name: String, text: String, pasted: Bool)?
        do { sent = try UploadedCSV.read(file: form.fil, pasted: form.tekst) } catch { issues += error.issues }
        if form.fil?.data.readableBytes ?? 0 == 0 { values["tekst"] = form.tekst ?? "" }
        guard issues.isEmpty, let model, let sent else { return try await list(req: req, values: values, issues: issues) }
        let d = try await req.dataset()
        do {
            let round = try ScoringCSV.read(sent.text, file: sent.name, id: id, title: title, date: date, model: model, initiatives: Set(d.initiatives.map(\.slug)))
            try await ScoringStore.save(round, author: Author(req.principal!, source: .ui), on: req.db)
        } catch let failure as ImportFailure {
            return try await list(req: req, values: values, issues: failure.issues)
        } catch let problem as ScoringStore.Problem {
            return try await list(req: req, values: values, issues: [ImportIssue(file: "skjema", line: nil, message: problem.description)])
        }
        return req.redirect(to: "/prioritering/\(id)", redirectType: .normal)
    }

    /// `/prioritering/<id>`, `.csv` and `.json`. Weights (`vekt.<group>`) and `sammenlign` come from the query string.
    func round(req: Request) async throws -> Response {
        let (raw, ext) = req.parameter("round", extensions: ["csv", "json"])
        if let ext {
            guard let found = try await ScoringStore.round(raw, on: req.db) else { throw Abort(.notFound, reason: "Runden finnes ikke.") }
            let filename = "prioritering-\(found.round.id).\(ext)"
            if ext == "csv" { return .attachment(ScoringCSV.write(found.round), type: Response.csvType, filename: filename) }
            let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            return .attachment(try encoder.encode(found.round), type: .json, filename: filename)
        }
        guard let found = try await ScoringStore.round(raw, on: req.db) else { throw Abort(.notFound, reason: "Runden «\(raw)» finnes ikke.") }
        var weights: [String: Double]?
        for g in found.round.model.groups {
            guard let text = req.queryDictionary["vekt.\(g.id)"], !text.isEmpty else { continue }
            guard let w = NumberText.parse(text), (0...10).contains(w) else { throw Abort(.badRequest, reason: "Vekten for \(g.title.lowercased()) må være et tall mellom 0 og 10.") }
            weights = (weights ?? [:]).merging([g.id: w]) { _, n in n }
        }
        if var w = weights { for g in found.round.model.groups where w[g.id] == nil { w[g.id] = found.round.model.weight(g.id) }; weights = w }
        let compare = req.queryValues("sammenlign")
        let editor = Access.canWriteStructure(req.principal)
        var model = ScoringRoundModelView(round: found.round, weights: weights, compare: compare, canEdit: editor)
        model.handledIn = try await CouncilStore.handling(CaseLink(kind: .scoringRound, target: found.round.id), on: req.db)
        if editor {
            model.addCandidate = (req.csrfToken(), found.version, try await req.dataset().initiatives.map { ($0.slug, $0.title) })
        }
        return .html(ScoringRoundView.render(model))
    }

    struct CandidateForm: Content { let id: String; let navn: String; let tiltak: String?; let variant: String?; let versjon: Int64 }

    /// Adds an initiative (or a variant of one) to the round; its answers are then entered like any other.
    func addCandidate(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireEditor("Bare redaktører endrer runder.")
        let roundId = req.parameters.get("round") ?? ""
        let form = try req.content.decode(CandidateForm.self)
        let id = form.id.trimmingCharacters(in: .whitespaces).lowercased(), name = form.navn.trimmingCharacters(in: .whitespaces)
        let slug = (form.tiltak ?? "").trimmingCharacters(in: .whitespaces)
        guard Slug.isWellFormed(id) else {
            throw Abort(.unprocessableEntity, reason: "Id må fylles ut med a–z, 0–9 og bindestrek.")
        }
        guard !name.isEmpty else { throw Abort(.unprocessableEntity, reason: "Navn må fylles ut.") }
        if !slug.isEmpty, try await req.dataset().initiative(slug) == nil { throw Abort(.unprocessableEntity, reason: "Tiltaket «\(slug)» finnes ikke.") }
        do {
            try await ScoringStore.addCandidate(roundId, candidate: Candidate(id: id, name: name, initiativeSlug: slug.isEmpty ? nil : slug,
                                                                              variant: (form.variant ?? "").trimmingCharacters(in: .whitespaces)),
                                                expectedVersion: form.versjon, author: Author(req.principal!, source: .ui), on: req.db)
        } catch let problem as ScoringStore.Problem {
            switch problem {
            case .notFound: throw Abort(.notFound, reason: problem.description)
            case .conflict: throw Abort(.conflict, reason: problem.description + " Last siden på nytt og prøv igjen.")
            case .exists: throw Abort(.unprocessableEntity, reason: "Det finnes allerede en kandidat med id «\(id)» i runden.")
            }
        }
        return req.redirect(to: "/prioritering/\(roundId)/svar/\(id)", redirectType: .normal)
    }

    func answersForm(req: Request) async throws -> Response {
        try req.requireEditor("Bare redaktører endrer svar.")
        let (round, version, candidate) = try await find(req)
        var values: [String: String] = [:]
        for a in round.answers where a.candidateId == candidate.id {
            values["svar.\(a.questionId)"] = a.value.map(NumberText.plain) ?? ""; values["kommentar.\(a.questionId)"] = a.comment
        }
        return .html(ScoringAnswersFormView.render(ScoringAnswersFormModel(round: round, candidate: candidate, version: version, csrfToken: req.csrfToken(),
                                                                           values: values, errors: [:], conflict: nil)))
    }

    func find(_ req: Request) async throws -> (ScoringRound, Int64, Candidate) {
        let id = req.parameters.get("round") ?? ""
        guard let found = try await ScoringStore.round(id, on: req.db) else { throw Abort(.notFound, reason: "Runden «\(id)» finnes ikke.") }
        let cid = req.parameters.get("candidate") ?? ""
        guard let candidate = found.round.candidates.first(where: { $0.id == cid }) else { throw Abort(.notFound, reason: "Tiltaket «\(cid)» er ikke med i runden.") }
        return (found.round, found.version, candidate)
    }

    func saveAnswers(req: Request) async throws -> Response {
        try req.verifyCSRF()
        try req.requireEditor("Bare redaktører endrer svar.")
        let (round, version, candidate) = try await find(req)
        let input = try req.content.decode([String: String].self)
        var errors: [String: String] = [:]
        var answers: [Answer] = []
        for q in round.model.questions {
            let text = (input["svar.\(q.id)"] ?? "").trimmingCharacters(in: .whitespaces)
            let comment = (input["kommentar.\(q.id)"] ?? "").trimmingCharacters(in: .whitespaces)
            var value: Double?
            if !text.isEmpty {
                if let v = NumberText.parse(text), v >= q.scaleMin, v <= q.scaleMax { value = v } else {
                    errors["svar.\(q.id)"] = "«\(text)» for «\(q.title)»: skriv et tall fra \(NumberText.plain(q.scaleMin)) til \(NumberText.plain(q.scaleMax)), eller la feltet stå tomt."
                }
            }
            if comment.count > 1000 { errors["svar.\(q.id)"] = "Kommentaren er for lang (høyst 1000 tegn)." }
            answers.append(Answer(candidateId: candidate.id, questionId: q.id, value: value, comment: comment))
        }
        let reason = (input["begrunnelse"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ReasonPolicy.problem(reason) { errors["begrunnelse"] = problem }
        let expected = Int64(input["versjon"] ?? "") ?? -1
        func form(_ status: HTTPStatus, conflict: String?, version v: Int64) -> Response {
            let r = Response.html(ScoringAnswersFormView.render(ScoringAnswersFormModel(round: round, candidate: candidate, version: v, csrfToken: req.csrfToken(),
                                                                                        values: input, errors: errors, conflict: conflict)))
            r.status = status
            return r
        }
        guard errors.isEmpty else { return form(.unprocessableEntity, conflict: nil, version: expected) }
        do {
            try await ScoringStore.saveAnswers(round.id, candidateId: candidate.id, answers: answers, expectedVersion: expected,
                                               author: Author(req.principal!, source: .ui), reason: reason, on: req.db)
        } catch ScoringStore.Problem.conflict {
            let current = round.answers.filter { $0.candidateId == candidate.id }
                .map { "\(round.model.criterion($0.questionId)?.title ?? $0.questionId): \($0.value.map(NumberText.plain) ?? "ikke besvart")" }.joined(separator: "; ")
            return form(.conflict, conflict: "Noen andre har lagret svar i runden etter at du åpnet skjemaet. Ingenting er overskrevet. Lagret nå: \(current). "
                                             + "Svarene dine står i skjemaet; lagre igjen for å bruke dem.", version: version)
        }
        return req.redirect(to: "/prioritering/\(round.id)#rangering", redirectType: .normal)
    }
}
