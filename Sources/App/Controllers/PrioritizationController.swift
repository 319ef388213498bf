import Domain
import FluentKit
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// Scoring rounds: list and import, the ranking page with sensitivity and comparison, answers, exports.
struct PrioritizationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.scoring) { req in try await self.list(req: req) }
        routes.post(.scoring, use: importRound)
        routes.get(.scoringModels) { req in try await self.models(req: req) }
        routes.post(.scoringModels, use: saveModel)
        routes.get(.newScoringRound, use: newRoundForm)
        routes.post(.newScoringRound, use: createRound)
        routes.get(.scoringRound(":round"), use: round)
        routes.post(.scoringCandidates(":round"), use: addCandidates)
        routes.get(.scoringAnswers(":round"), use: answersForm)
        routes.post(.scoringAnswers(":round"), use: saveAnswers)
        routes.get(.scoringPublication(":round"), use: publishConfirmation)
        routes.post(.scoringPublication(":round"), use: publish)
    }

    /// Drafts are the editors' until published: anyone else gets "not found", as if the round did not exist.
    static func visibleRound(_ req: Request, _ id: String) async throws -> (round: ScoringRound, version: Int64) {
        guard let found = try await ScoringStore.round(id, on: req.db),
            !found.round.isDraft || Access.canWriteStructure(req.principal)
        else {
            throw Abort(.notFound, reason: "Runden «\(id)» finnes ikke.")
        }
        return found
    }

    func list(req: Request, values: [String: String] = [:], issues: [ImportIssue] = []) async throws -> Response {
        let editor = Access.canWriteStructure(req.principal)
        let all = try await ScoringStore.all(on: req.db).filter { editor || !$0.isDraft }
        let rounds = all.map { ($0.id, $0.title, $0.date.map(\.norwegian) ?? "uten dato", $0.candidates.count) }
        let form = editor ? (req.csrfToken(), values, issues) : nil
        var model = ScoringListModel(
            rounds: rounds, importForm: form, models: try await modelOptions(req).map { ($0.id, $0.label) })
        model.drafts = Set(all.filter(\.isDraft).map(\.id))
        let r = Response.html(ScoringListView.render(model))
        if !issues.isEmpty { r.status = .unprocessableEntity }
        return r
    }

    func models(req: Request, text: String? = nil, problems: [String] = []) async throws -> Response {
        let models = try await ScoringStore.models(on: req.db)
        var example = ""
        if let latest = models.first {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            example = String(decoding: try encoder.encode(latest), as: UTF8.self)
        }
        let form = Access.canWriteStructure(req.principal) ? (req.csrfToken(), text ?? example, problems) : nil
        let r = Response.html(ScoringModelsView.render(ScoringModelsModel(models: models, form: form)))
        if !problems.isEmpty { r.status = .unprocessableEntity }
        return r
    }

    struct ModelForm: Content { let modell: String }

    func saveModel(req: Request) async throws -> Response {
        let text = try req.content.decode(ModelForm.self).modell
        let model: ScoringModel
        do { model = try JSONDecoder().decode(ScoringModel.self, from: Data(text.utf8)) } catch {
            return try await models(
                req: req, text: text,
                problems: ["Modellen er ikke gyldig JSON i riktig form. " + DecodingProblem.describe(error)])
        }
        guard model.problems.isEmpty else { return try await models(req: req, text: text, problems: model.problems) }
        try await ScoringStore.saveModel(model, author: Author(req.principal!, source: .ui), on: req.db)
        return req.redirect(to: SiteURL.scoringModels.path, redirectType: .normal)
    }

    struct ImportForm: Content {
        let id: String?
        let tittel: String?
        let dato: String?
        let fil: File?
        let tekst: String?
        let modell: String?
    }

    func importRound(req: Request) async throws -> Response {
        let form = try req.content.decode(ImportForm.self)
        let title = (form.tittel ?? "").trimmingCharacters(in: .whitespaces)
        // The address is made from the title (an id field is accepted from scripts and older forms).
        let givenId = (form.id ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let id = givenId.isEmpty ? try await Self.freeId(for: title, on: req.db) : givenId
        var values = ["tittel": title, "dato": form.dato ?? ""]
        var issues: [ImportIssue] = []
        if !givenId.isEmpty && (!Slug.isWellFormed(givenId) || Self.reserved.contains(givenId)) {
            issues.append(
                ImportIssue(
                    file: "skjema", line: nil,
                    message: "id må være a–z, 0–9 og bindestrek, og ikke «ny» eller «modeller»"))
        }
        if title.isEmpty { issues.append(ImportIssue(file: "skjema", line: nil, message: "tittel må fylles ut")) }
        // Without a choice: the installation's only model (the form offers a choice when there are several).
        let modelId =
            (form.modell ?? "").isEmpty ? try await ScoringStore.models(on: req.db).first?.id ?? "" : form.modell!
        values["modell"] = modelId
        let model = try await ScoringStore.latestModel(modelId, on: req.db)
        if model == nil {
            issues.append(
                ImportIssue(
                    file: "skjema", line: nil,
                    message: modelId.isEmpty
                        ? """
                        det finnes ingen poengmodell ennå; importer en prioriteringsrunde med modell \
                        (scoring-rounds.json) først
                        """
                        : "modellen «\(modelId)» finnes ikke"))
        }
        var date: Day?
        if let raw = form.dato, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            if let d = ReportingRound.day(raw.trimmingCharacters(in: .whitespaces)) {
                date = d
            } else {
                issues.append(
                    ImportIssue(file: "skjema", line: nil, message: "dato må være en dato, f.eks. 21.09.2022"))
            }
        }
        var sent: (name: String, text: String, pasted: Bool)?
        do { sent = try UploadedCSV.read(file: form.fil, pasted: form.tekst) } catch { issues += error.issues }
        if form.fil?.data.readableBytes ?? 0 == 0 { values["tekst"] = form.tekst ?? "" }
        guard issues.isEmpty, let model, let sent else {
            return try await list(req: req, values: values, issues: issues)
        }
        let d = try await req.dataset()
        do {
            var round = try ScoringCSV.read(
                sent.text, file: sent.name, id: id, title: title, date: date, model: model,
                initiatives: Set(d.initiatives.map(\.slug)))
            round.draft = true
            try await ScoringStore.save(round, author: Author(req.principal!, source: .ui), on: req.db)
        } catch let failure as ImportFailure {
            return try await list(req: req, values: values, issues: failure.issues)
        } catch let problem as ScoringStore.Problem {
            return try await list(
                req: req, values: values, issues: [ImportIssue(file: "skjema", line: nil, message: problem.description)]
            )
        }
        return req.redirect(to: SiteURL.scoringRound(id).path, redirectType: .normal)
    }

    /// `/prioritering/<id>`, `.csv` and `.json`. Weights (`vekt.<group>`) and `sammenlign` come from the query string.
    func round(req: Request) async throws -> Response {
        let (raw, ext) = req.parameter("round", extensions: ["csv", "json"])
        if let ext {
            let found = try await Self.visibleRound(req, raw)
            let filename = "prioritering-\(found.round.id).\(ext)"
            if ext == "csv" {
                return .attachment(ScoringCSV.write(found.round), type: Response.csvType, filename: filename)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            return .attachment(try encoder.encode(found.round), type: .json, filename: filename)
        }
        let found = try await Self.visibleRound(req, raw)
        var weights: [String: Double]?
        for g in found.round.model.groups {
            guard let text = req.queryDictionary["vekt.\(g.id)"], !text.isEmpty else { continue }
            guard let w = NumberText.parse(text), (0...10).contains(w) else {
                throw Abort(.badRequest, reason: "Vekten for \(g.title.lowercased()) må være et tall mellom 0 og 10.")
            }
            weights = (weights ?? [:]).merging([g.id: w]) { _, n in n }
        }
        if var w = weights {
            for g in found.round.model.groups where w[g.id] == nil { w[g.id] = found.round.model.weight(g.id) }
            weights = w
        }
        let compare = req.queryValues("sammenlign")
        let editor = Access.canWriteStructure(req.principal)
        var model = ScoringRoundModelView(round: found.round, weights: weights, compare: compare, canEdit: editor)
        model.handledIn = try await CouncilStore.handling(
            CaseLink(kind: .scoringRound, target: found.round.id), on: req.db)
        let response = Response.html(ScoringRoundView.render(model))
        if found.round.isDraft { response.headers.cacheControl = .init(noStore: true) }
        return response
    }

    static let reserved: Set<String> = ["ny", "modeller"]

    /// An address for a new round made from its title: `portefoljeradet-12-03-2027`, with `-2` … when taken.
    static func freeId(for title: String, on db: any FluentKit.Database) async throws -> String {
        let base = Slug.from(title).isEmpty ? "runde" : Slug.from(title)
        let taken = Set(try await ScoringStore.titles(on: db).map(\.id)).union(reserved)
        var id = base
        var n = 2
        while taken.contains(id) {
            id = "\(base)-\(n)"
            n += 1
        }
        return id
    }

    func initiatives(_ req: Request) async throws -> [(slug: String, title: String)] {
        try await req.dataset().initiatives.map { ($0.slug, $0.title) }.sorted {
            $0.title.localizedStandardCompare($1.title) == .orderedAscending
        }
    }

    func modelOptions(_ req: Request) async throws -> [(id: String, label: String)] {
        var latest: [(id: String, label: String)] = []
        for m in try await ScoringStore.models(on: req.db) where !latest.contains(where: { $0.id == m.id }) {
            latest.append((m.id, "\(m.name) (versjon \(m.version))"))
        }
        return latest
    }

    func newRoundForm(req: Request) async throws -> Response {
        return RoundController.noStore(
            ScoringNewRoundView.render(
                ScoringNewRoundModel(
                    models: try await modelOptions(req), initiatives: try await initiatives(req),
                    values: [:], chosen: [], errors: FieldErrors())))
    }

    struct NewRoundForm: Content {
        let tittel: String?
        let dato: String?
        let modell: String?
        let tiltak: [String]?
    }

    func createRound(req: Request) async throws -> Response {
        let form = try req.content.decode(NewRoundForm.self)
        let title = (form.tittel ?? "").trimmingCharacters(in: .whitespaces)
        var errors = FieldErrors()
        if title.isEmpty { errors.messages["tittel"] = "Skriv en tittel for runden." }
        if title.count > 200 || TextRules.hasControlCharacters(title) {
            errors.messages["tittel"] = "Tittelen kan ha høyst 200 vanlige tegn."
        }
        var date: Day?
        if let raw = form.dato?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let d = ReportingRound.day(raw) {
                date = d
            } else {
                errors.messages["dato"] = "Skriv datoen som 12.03.2027."
            }
        }
        let model = try await ScoringStore.latestModel(form.modell ?? "", on: req.db)
        if model == nil { errors.messages["modell"] = "Velg en poengmodell." }
        let d = try await req.dataset()
        let chosen = Array(Set(form.tiltak ?? [])).sorted()
        let picked = chosen.compactMap { d.initiative($0) }
        if picked.isEmpty { errors.messages["tiltak"] = "Velg minst ett tiltak." }
        if picked.count != chosen.count {
            errors.messages["tiltak"] = "Et av tiltakene finnes ikke lenger i veikartet. Velg på nytt."
        }
        guard errors.isEmpty, let model else {
            let page = ScoringNewRoundView.render(
                ScoringNewRoundModel(
                    models: try await modelOptions(req), initiatives: try await initiatives(req),
                    values: ["tittel": title, "dato": form.dato ?? "", "modell": form.modell ?? ""],
                    chosen: Set(chosen), errors: errors))
            return RoundController.noStore(page, .unprocessableEntity)
        }
        let id = try await Self.freeId(for: title, on: req.db)
        let round = ScoringRound(
            id: id, title: title, date: date, model: model,
            candidates: picked.map { Candidate(id: $0.slug, name: $0.title, initiativeSlug: $0.slug) },
            answers: [], stored: [], draft: true)
        try await ScoringStore.save(round, author: Author(req.principal!, source: .ui), on: req.db)
        return req.redirect(to: SiteURL.scoringAnswers(id).path, redirectType: .normal)
    }

    struct CandidatesForm: Content {
        let tiltak: [String]?
        let variantTiltak: String?
        let variantNavn: String?
        enum CodingKeys: String, CodingKey {
            case tiltak, variantTiltak = "variant-tiltak", variantNavn = "variant-navn"
        }
    }

    /// Adds initiatives, or a named variant of one, to the round; their answers are then entered in the grid.
    func addCandidates(req: Request) async throws -> Response {
        let (round, _) = try await Self.visibleRound(req, req.parameters.get("round") ?? "")
        let form = try req.content.decode(CandidatesForm.self)
        let d = try await req.dataset()
        var errors = FieldErrors()
        var candidates = (form.tiltak ?? []).compactMap { d.initiative($0) }.map {
            Candidate(id: $0.slug, name: $0.title, initiativeSlug: $0.slug)
        }
        if candidates.count != (form.tiltak ?? []).count {
            errors.messages["variant-tiltak"] = "Et av tiltakene finnes ikke lenger i veikartet."
        }
        let variantName = (form.variantNavn ?? "").trimmingCharacters(in: .whitespaces)
        let variantOf = (form.variantTiltak ?? "").trimmingCharacters(in: .whitespaces)
        if !variantName.isEmpty || !variantOf.isEmpty {
            if let initiative = d.initiative(variantOf), !variantName.isEmpty, variantName.count <= 100,
                !TextRules.hasControlCharacters(variantName)
            {
                let base = "\(initiative.slug)-\(Slug.from(variantName).isEmpty ? "variant" : Slug.from(variantName))"
                var id = base
                var n = 2
                while round.candidates.contains(where: { $0.id == id }) || candidates.contains(where: { $0.id == id }) {
                    id = "\(base)-\(n)"
                    n += 1
                }
                candidates.append(
                    Candidate(id: id, name: initiative.title, initiativeSlug: initiative.slug, variant: variantName))
            } else if variantName.isEmpty {
                errors.messages["variant-navn"] = "Skriv et navn på varianten (høyst 100 tegn)."
            } else {
                errors.messages["variant-tiltak"] = "Velg tiltaket varianten hører til."
            }
        }
        if candidates.isEmpty && errors.isEmpty {
            errors.messages["variant-tiltak"] = "Velg minst ett tiltak eller en variant."
        }
        if errors.isEmpty {
            do {
                try await ScoringStore.addCandidates(
                    round.id, candidates, author: Author(req.principal!, source: .ui), on: req.db)
                return req.redirect(
                    to: SiteURL.scoringAnswers(round.id).path(query: [("lagret", "kandidater")]),
                    redirectType: .normal)
            } catch let problem as ScoringStore.Problem {
                errors.messages["variant-tiltak"] = problem.description
            }
        }
        let values = ScoringGridModel.values(of: round, comments: false)
            .merging(["variant-tiltak": variantOf, "variant-navn": variantName]) { _, new in new }
            .merging((form.tiltak ?? []).map { ("tiltak.\($0)", "ja") }) { _, new in new }
        return try await grid(
            req, round: round, only: nil, values: values, errors: errors, conflicts: [:], status: .unprocessableEntity)
    }

    func grid(
        _ req: Request, round: ScoringRound, only: Candidate?, values: [String: String], errors: FieldErrors,
        conflicts: [String: String],
        notice: String? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        RoundController.noStore(
            ScoringGridView.render(
                ScoringGridModel(
                    round: round, only: only, values: values, errors: errors, conflicts: conflicts,
                    notice: notice, initiatives: try await initiatives(req))), status)
    }

    func onlyCandidate(_ round: ScoringRound, _ id: String?) throws -> Candidate? {
        guard let id, !id.isEmpty else { return nil }
        guard let c = round.candidates.first(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "Tiltaket er ikke med i runden.")
        }
        return c
    }

    func answersForm(req: Request) async throws -> Response {
        let (round, _) = try await Self.visibleRound(req, req.parameters.get("round") ?? "")
        let only = try onlyCandidate(round, req.queryDictionary["kandidat"])
        let notice: String? =
            switch req.queryDictionary["lagret"] {
            case "kandidater": "Tiltakene er lagt til. Skriv inn svarene deres i tabellen."
            case "svar": "Svarene er lagret."
            default: nil
            }
        return try await grid(
            req, round: round, only: only, values: ScoringGridModel.values(of: round, comments: only != nil),
            errors: FieldErrors(), conflicts: [:], notice: notice)
    }

    func saveAnswers(req: Request) async throws -> Response {
        let (round, _) = try await Self.visibleRound(req, req.parameters.get("round") ?? "")
        let input = try req.content.decode([String: String].self)
        let only = try onlyCandidate(round, input["kandidat"])
        var errors = FieldErrors()
        var rows: [ScoringStore.RowSave] = []
        for c in only.map({ [$0] }) ?? round.candidates {
            // A candidate added after the form was opened is not in it: left as stored.
            guard let stamp = input["stempel.\(c.id)"] else { continue }
            var answers: [Answer] = []
            for q in round.model.questions {
                let name = "svar.\(c.id).\(q.id)"
                let existing = round.answer(c.id, q.id)
                // The grid has no comment fields; the stored comment stays.
                let comment = (input["kommentar.\(c.id).\(q.id)"] ?? existing?.comment ?? "").trimmingCharacters(
                    in: .whitespaces)
                if comment.count > 1000 {
                    errors.messages[name] = "\(c.label), «\(q.title)»: kommentaren kan ha høyst 1000 tegn."
                }
                switch Answer.parse(input[name] ?? "", question: q) {
                case .success(let parsed):
                    if parsed.value != nil || parsed.unknown || !comment.isEmpty {
                        answers.append(
                            Answer(
                                candidateId: c.id, questionId: q.id, value: parsed.value, comment: comment,
                                unknown: parsed.unknown))
                    }
                case .failure:
                    errors.messages[name] =
                        """
                        \(c.label), «\(q.title)»: skriv et tall fra \
                        \(NumberText.plain(q.scaleMin).replacingOccurrences(of: ".", with: ","))
                        """
                            + """
                             til \(NumberText.plain(q.scaleMax).replacingOccurrences(of: ".", with: ",")), «vet \
                            ikke», eller la feltet stå tomt.
                            """
                }
            }
            rows.append(
                ScoringStore.RowSave(
                    candidateId: c.id, answers: answers, openedStamp: stamp, comments: only != nil,
                    original: ScoringGridModel.original(from: input["opprinnelig.\(c.id)"])))
        }
        let reason = (input["begrunnelse"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ReasonPolicy.problem(reason) { errors.messages["begrunnelse"] = problem }
        guard errors.isEmpty else {
            return try await grid(
                req, round: round, only: only, values: input, errors: errors, conflicts: [:],
                status: .unprocessableEntity)
        }
        switch try await ScoringStore.saveRows(
            round.id, rows, author: Author(req.principal!, source: .ui), reason: reason,
            on: req.db)
        {
        case .saved: break
        case .notFound: throw Abort(.notFound, reason: "Runden finnes ikke.")
        case .refused(let reasons): throw Abort(.unprocessableEntity, reason: reasons.joined(separator: " "))
        case .conflict(let ids, _):
            // Show what is stored now for those rows. The cells the user changed keep the user's input; the others show
            // what is stored now (never the stale value, which a second save would write back). The rows take the new
            // stamps, so saving again overwrites only the cells the user changed, knowingly.
            let (current, _) = try await Self.visibleRound(req, round.id)
            var values = input
            var conflicts: [String: String] = [:]
            let comments = only != nil
            for id in ids {
                let original = ScoringGridModel.original(from: input["opprinnelig.\(id)"]) ?? [:]
                let mine = rows.first { $0.candidateId == id }?.answers ?? []
                var mineRound = current
                mineRound.answers = current.answers.filter { $0.candidateId != id } + mine
                for q in current.model.questions
                where mineRound.cell(id, q.id, comments: comments) == (original[q.id] ?? "") {
                    values["svar.\(id).\(q.id)"] = current.answer(id, q.id)?.text ?? ""
                    if comments { values["kommentar.\(id).\(q.id)"] = current.answer(id, q.id)?.comment ?? "" }
                }
                values["opprinnelig.\(id)"] = ScoringGridModel.original(current.cells(of: id, comments: comments))
                values["stempel.\(id)"] = current.stamp(of: id, comments: comments)
                conflicts[id] = current.model.questions.map { q in
                    "\(q.title): \(current.answer(id, q.id)?.text.nonEmpty ?? "ikke besvart")"
                }
                .joined(separator: "; ")
            }
            return try await grid(
                req, round: current, only: only, values: values, errors: FieldErrors(), conflicts: conflicts,
                status: .conflict)
        }
        let answers = SiteURL.scoringAnswers(round.id)
        let back =
            only.map { answers.path + "?kandidat=\($0.id)&lagret=svar" }
            ?? answers.path(query: [("lagret", "svar")])
        return req.redirect(to: back, redirectType: .normal)
    }

    /// "Publish the round?": what becomes public, then the button.
    func publishConfirmation(req: Request) async throws -> Response {
        let (round, version) = try await Self.visibleRound(req, req.parameters.get("round") ?? "")
        guard round.isDraft else { return req.redirect(to: SiteURL.scoringRound(round.id).path, redirectType: .normal) }
        let results = Scoring.evaluate(round)
        let incomplete = results.filter { !$0.isComplete }.map(\.candidate.name)
        let open = ScoringOpenQuestions.analyse(round)
        var paragraphs = [
            """
            Runden blir synlig for alle, med svar, rangering og nedlasting. Svar kan fortsatt endres etterpå; \
            endringene logges.
            """
        ]
        if !incomplete.isEmpty {
            paragraphs.append("Uten poengsum (en hel gruppe mangler svar): " + incomplete.joined(separator: ", ") + ".")
        }
        if !open.isEmpty {
            paragraphs.append(
                NumberText.count(open.count, "svar mangler", "svar mangler")
                    + (open.contains(where: \.changesTop)
                        ? ", og minst ett av dem kan endre hvem som er nummer 1." : "."))
        }
        let path = SiteURL.scoringPublication(round.id).path
        return RoundController.noStore(
            ConfirmPageView.render(
                ConfirmPageModel(
                    title: "Publisere «\(round.title)»?", path: path,
                    breadcrumbs: [
                        ("Prioritering", SiteURL.scoring.path), (round.title, SiteURL.scoringRound(round.id).path),
                    ],
                    paragraphs: paragraphs, formURL: path, hidden: [("versjon", String(version))],
                    confirmLabel: "Publiser runden",
                    backURL: SiteURL.scoringRound(round.id).path)))
    }

    func publish(req: Request) async throws -> Response {
        let (round, _) = try await Self.visibleRound(req, req.parameters.get("round") ?? "")
        let input = try req.content.decode([String: String].self)
        switch try await ScoringStore.publish(
            round.id, expectedVersion: Int64(input["versjon"] ?? "") ?? -1,
            author: Author(req.principal!, source: .ui), on: req.db)
        {
        case .saved: break
        case .conflict:
            throw Abort(
                .conflict,
                reason: "Runden er endret etter at du åpnet siden. Gå tilbake, se over runden og publiser på nytt.")
        case .notFound: throw Abort(.notFound, reason: "Runden finnes ikke.")
        case .refused(let reasons): throw Abort(.unprocessableEntity, reason: reasons.joined(separator: " "))
        }
        return req.redirect(to: SiteURL.scoringRound(round.id).path, redirectType: .normal)
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
