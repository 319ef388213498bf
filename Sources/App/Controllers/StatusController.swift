import Domain
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// Quarterly status reports: list, read (published snapshots), write (sections), workflow, corrections, exports.
struct StatusController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.reports) { req in try await self.list(req: req) }
        routes.post(.reports, use: create)
        routes.get(.report(":period"), use: report)
        routes.get(.reportRevision(":period", revision: ":revision"), use: revision)
        routes.get(.reportDraft(":period"), use: draft)
        routes.get(.reportPublication(":period"), use: publishConfirmation)
        routes.post(.reportState(":period"), use: transition)
        routes.post(.reportCorrection(":period"), use: correct)
        routes.get(.reportSection(":period", section: ":section"), use: editSection)
        routes.post(.reportSection(":period", section: ":section"), use: saveSection)
    }

    static func canEdit(_ req: Request) -> Bool { Access.canWriteStructure(req.principal) }

    func period(_ req: Request) throws -> Period {
        let raw = req.parameters.get("period") ?? ""
        guard let p = ReportRules.parsePeriod(raw) else {
            throw Abort(.notFound, reason: "«\(raw)» er ikke en rapporteringsperiode (bruk f.eks. 2024-Q1).")
        }
        return p
    }

    // MARK: reading

    func list(req: Request, error: String? = nil) async throws -> Response {
        let editor = Self.canEdit(req)
        let all = try await ReportStore.all(on: req.db)
        var rows: [StatusListModel.Row] = []
        for period in Set(all.map(\.period)).sorted(by: >) {
            let revisions = all.filter { $0.period == period }
            let published = revisions.last { $0.state == .publisert }
            let shown = editor ? revisions.last! : published
            guard let shown else { continue }
            let location =
                shown.state == .publisert
                ? SiteURL.report(period.description) : .reportDraft(period.description)
            rows.append(
                .init(
                    period: period.description, periodName: period.norwegian,
                    url: location.path,
                    state: shown.state, revision: shown.revision,
                    overall: (published ?? shown).content.overall.assessment))
        }
        // After the latest report its next period; the first report suggests the current quarter.
        let today = req.today
        let suggestion =
            all.map(\.period).max().map(Self.next) ?? "\(today.year)-Q\((today.components.month - 1) / 3 + 1)"
        let r = Response.html(
            StatusListView.render(
                StatusListModel(rows: rows, create: editor ? (req.csrfToken(), suggestion) : nil, error: error)))
        if error != nil { r.status = .unprocessableEntity }
        return r
    }

    static func next(_ p: Period) -> String {
        switch p {
        case .quarter(let y, let q): q == 4 ? "\(y + 1)-Q1" : "\(y)-Q\(q + 1)"
        default: String(p.year + 1)
        }
    }

    /// `/status/<period>` (latest published revision), `.md` and `.pdf` of it.
    func report(req: Request) async throws -> Response {
        let (raw, ext) = req.parameter("period", extensions: ["md", "pdf", "html"])
        if let ext {
            guard let p = ReportRules.parsePeriod(raw) else { throw Abort(.notFound) }
            return try await export(req, period: p, format: ext)
        }
        let p = try period(req)
        let revisions = try await ReportStore.revisions(of: p, on: req.db)
        guard let published = revisions.last(where: { $0.state == .publisert }) else {
            if Self.canEdit(req), !revisions.isEmpty {
                return req.redirect(to: SiteURL.reportDraft(p.description).path, redirectType: .normal)
            }
            throw Abort(.notFound, reason: "Det er ikke publisert noen rapport for \(p.norwegian).")
        }
        return try await page(req, published, all: revisions)
    }

    func revision(req: Request) async throws -> Response {
        let p = try period(req)
        let revisions = try await ReportStore.revisions(of: p, on: req.db)
        guard let n = Int(req.parameters.get("revision") ?? ""),
            let r = revisions.first(where: { $0.revision == n && $0.state == .publisert })
        else {
            throw Abort(.notFound, reason: "Utgaven finnes ikke eller er ikke publisert.")
        }
        return try await page(req, r, all: revisions)
    }

    /// A published revision, rendered from its frozen snapshot only.
    func page(_ req: Request, _ r: StoredReport, all: [StoredReport]) async throws -> Response {
        guard let snapshot = r.snapshot else {
            throw Abort(.internalServerError, reason: "Publisert rapport uten øyeblikksbilde.")
        }
        let others = all.filter { $0.state == .publisert && $0.revision != r.revision }
            .map {
                (
                    $0.revision, SiteURL.reportRevision(r.period.description, revision: "\($0.revision)").path,
                    "Utgave \($0.revision)"
                )
            }
        let working = all.last.flatMap {
            $0.state != .publisert && Self.canEdit(req) ? SiteURL.reportDraft(r.period.description).path : nil
        }
        let latest = all.last { $0.state == .publisert }?.revision == r.revision
        var model = ReportPageModel(
            snapshot: snapshot, state: .publisert,
            publishedText: r.publishedAt.map { "publisert " + EditController.timestamp.string(from: $0) },
            revisions: others, workflow: nil, draftURL: working,
            canCorrect: Self.canEdit(req) && latest && working == nil
                ? (req.csrfToken(), SiteURL.reportCorrection(r.period.description).path) : nil)
        // Not part of the frozen report: which council meetings have dealt with it since.
        model.handledIn = try await CouncilStore.handling(
            CaseLink(kind: .report, target: r.period.description), on: req.db)
        return .html(ReportPageView.render(model, path: req.url.path))
    }

    /// The working revision, built live from the current data, with the workflow for editors.
    func draft(req: Request) async throws -> Response {
        let p = try period(req)
        let revisions = try await ReportStore.revisions(of: p, on: req.db)
        guard let working = revisions.last else {
            throw Abort(.notFound, reason: "Det finnes ingen rapport for \(p.norwegian).")
        }
        guard working.state != .publisert else {
            return req.redirect(to: SiteURL.report(p.description).path, redirectType: .normal)
        }
        let d = try await req.datasetWithHeadlines()
        let previous = try await ReportStore.previousSnapshot(before: p, on: req.db)
        let snapshot = ReportSnapshot.build(
            period: p, revision: working.revision, content: working.content, previous: previous, dataset: d,
            correctionReason: working.correctionReason,
            roundDelays: try await RoundStore.delaySummary(for: p, dataset: d, on: req.db))
        let links =
            [
                (
                    "Rediger helhetsvurdering",
                    SiteURL.reportSection(p.description, section: ReportSectionKey.overall).path
                )
            ]
            + working.content.goals.map {
                (
                    "Rediger mål \($0.goalId)",
                    SiteURL.reportSection(p.description, section: ReportSectionKey.goal($0.goalId)).path
                )
            }
        let model = ReportPageModel(
            snapshot: snapshot, state: working.state, publishedText: nil,
            revisions: revisions.filter { $0.state == .publisert }.map {
                (
                    $0.revision,
                    SiteURL.reportRevision(p.description, revision: "\($0.revision)").path,
                    "Utgave \($0.revision) (publisert)"
                )
            },
            workflow: .init(
                state: working.state, version: working.version, csrfToken: req.csrfToken(), sectionLinks: links),
            draftURL: nil, canCorrect: nil)
        return .html(ReportPageView.render(model, path: req.url.path))
    }

    /// "Publish the report?": publishing cannot be undone (a published edition is only ever corrected by a new one).
    func publishConfirmation(req: Request) async throws -> Response {
        let p = try period(req)
        guard let working = try await ReportStore.revisions(of: p, on: req.db).last else {
            throw Abort(.notFound, reason: "Det finnes ingen rapport for \(p.norwegian).")
        }
        guard working.state.canMove(to: .publisert) else {
            return req.redirect(to: SiteURL.reportDraft(p.description).path, redirectType: .normal)
        }
        let delays = try await RoundStore.delaySummary(
            for: p, dataset: try await req.datasetWithHeadlines(), on: req.db)
        return RoundController.noStore(
            ConfirmPageView.render(
                ConfirmPageModel(
                    title: "Publisere statusrapporten for \(p.norwegian)?",
                    path: SiteURL.reportPublication(p.description).path,
                    breadcrumbs: [
                        ("Status", SiteURL.reports.path),
                        ("Utkast \(p.norwegian)", SiteURL.reportDraft(p.description).path),
                    ],
                    paragraphs: [
                        """
                        Rapporten blir offentlig på statussiden, i API-et og i eksporten, med vurderingene slik \
                        de står nå.
                        """,
                        """
                        Tallene fra veikartet og indikatorene fryses i \
                        rapporten\(delays == nil ? "" : ", også forsinkelsene fra rapporteringsrunden")
                        """
                            + ", så de ikke endrer seg når dataene endres senere.",
                        "En publisert utgave kan ikke trekkes tilbake; feil rettes med en ny, begrunnet utgave.",
                    ],
                    formURL: SiteURL.reportState(p.description).path,
                    hidden: [("versjon", String(working.version)), ("til", ReportState.publisert.rawValue)],
                    confirmLabel: "Publiser rapporten", backURL: SiteURL.reportDraft(p.description).path)))
    }

    // MARK: writing

    struct CreateForm: Content { let periode: String }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(CreateForm.self)
        guard let p = ReportRules.parsePeriod(form.periode.trimmingCharacters(in: .whitespaces)) else {
            return try await list(
                req: req,
                error: "«\(form.periode)» er ikke en gyldig periode. Skriv et kvartal (2024-Q2) eller et år (2024).")
        }
        do {
            try await ReportStore.create(
                period: p, dataset: try await req.datasetWithHeadlines(), author: Author(req.principal!, source: .ui),
                on: req.db)
        } catch let problem as ReportStore.Problem {
            return try await list(req: req, error: problem.description)
        }
        return req.redirect(to: SiteURL.reportDraft(p.description).path, redirectType: .normal)
    }

    struct TransitionForm: Content {
        let til: String
        let versjon: Int64
    }

    func transition(req: Request) async throws -> Response {
        let p = try period(req)
        let form = try req.content.decode(TransitionForm.self)
        guard let next = ReportState(rawValue: form.til) else {
            throw Abort(.badRequest, reason: "Ukjent status «\(form.til)».")
        }
        switch try await ReportStore.transition(
            p, to: next, expectedVersion: form.versjon, dataset: try await req.datasetWithHeadlines(),
            author: Author(req.principal!, source: .ui), on: req.db)
        {
        case .saved: break
        case .conflict:
            throw Abort(
                .conflict,
                reason:
                    """
                    Noen andre har endret rapporten i mellomtiden. Last utkastet på nytt og se endringene før du \
                    går videre.
                    """
            )
        case .notFound: throw Abort(.notFound)
        case .refused(let reasons): throw Abort(.unprocessableEntity, reason: reasons.joined(separator: " "))
        }
        let location = next == .publisert ? SiteURL.report(p.description) : .reportDraft(p.description)
        return req.redirect(to: location.path, redirectType: .normal)
    }

    struct CorrectionForm: Content { let begrunnelse: String }

    func correct(req: Request) async throws -> Response {
        let p = try period(req)
        let reason = try req.content.decode(CorrectionForm.self).begrunnelse.trimmingCharacters(
            in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw Abort(.unprocessableEntity, reason: "En rettet utgave trenger en begrunnelse.")
        }
        if let problem = ReasonPolicy.problem(reason) { throw Abort(.unprocessableEntity, reason: problem) }
        do {
            try await ReportStore.correct(p, reason: reason, author: Author(req.principal!, source: .ui), on: req.db)
        } catch let problem as ReportStore.Problem {
            throw Abort(.unprocessableEntity, reason: problem.description)
        }
        return req.redirect(to: SiteURL.reportDraft(p.description).path, redirectType: .normal)
    }

    // MARK: sections

    func editSection(req: Request) async throws -> Response {
        let p = try period(req)
        let (working, key) = try await section(req, p)
        let d = try await req.datasetWithHeadlines()
        var model = try formModel(
            req, p, working: working, key: key, dataset: d, values: nil, errors: FieldErrors(), conflict: nil)
        model.roundPanel = try await Self.roundPanel(req, p, key: key, dataset: d)
        return .html(ReportSectionFormView.render(model))
    }

    /// For a goal's section: its initiatives (through its sub-goals) in the period's reporting round.
    static func roundPanel(_ req: Request, _ p: Period, key: String, dataset d: Dataset) async throws
        -> RoundStatusPanel?
    {
        guard let goal = d.goals.first(where: { ReportSectionKey.goal($0.id) == key }),
            let r = try await RoundStore.round(p.description, on: req.db)?.round
        else { return nil }
        let subgoals = Set(d.subgoals(ofGoal: goal.id).map(\.id))
        let initiatives = r.initiatives.filter { slug in
            d.initiative(slug)?.subgoalIds.contains(where: subgoals.contains) ?? false
        }
        let parts = try await RoundStore.parts(of: r.id, on: req.db).map(\.part).filter(\.delivered)
        let roadmaps = r.roadmaps(versions: try await RoundStore.versions(on: req.db), dataset: d)
        let current = roadmaps?.current ?? RoadmapVersion.items(of: d)
        let previous = roadmaps?.previous?.items
        let computed = roadmaps != nil
        let rows = initiatives.map { slug in
            let s = InitiativeRoundStatus.compute(
                initiative: slug, round: r, parts: parts, previous: previous, current: current)
            return RoundStatusPanel.Row(
                initiative: d.initiative(slug)?.shortTitle ?? slug,
                url: SiteURL.initiative(slug).path,
                status: RoundStatusRow(
                    round: r.period.norwegian,
                    statuses: s.statuses.map { (d.actor($0.actor)?.name ?? $0.actor, $0.assessment) },
                    delayed: computed ? s.delayed : nil, overdue: computed ? s.overdue : nil,
                    disagreement: computed ? s.disagreement : nil))
        }
        let waiting = r.actors.filter { actor in !parts.contains { $0.actor == actor } }.count
        return RoundStatusPanel(title: "Fra rapporteringsrunden \(r.period.norwegian)", rows: rows, waiting: waiting)
    }

    func section(_ req: Request, _ p: Period) async throws -> (StoredReport, String) {
        guard let working = try await ReportStore.revisions(of: p, on: req.db).last else {
            throw Abort(.notFound, reason: "Det finnes ingen rapport for \(p.norwegian).")
        }
        guard working.state.isEditable else {
            throw Abort(.conflict, reason: "Rapporten er publisert. Lag en rettet utgave for å endre den.")
        }
        let key = req.parameters.get("section") ?? ""
        guard working.sectionVersions[key] != nil else {
            throw Abort(.notFound, reason: "Rapporten har ingen del «\(key)».")
        }
        return (working, key)
    }

    func formModel(
        _ req: Request, _ p: Period, working: StoredReport, key: String, dataset d: Dataset, values: [String: String]?,
        errors: FieldErrors,
        conflict: [(label: String, value: String)]?, version: Int64? = nil
    ) throws -> ReportSectionFormModel {
        let texts = Self.texts(of: key)
        if key == ReportSectionKey.overall {
            let section = working.content.overall
            return ReportSectionFormModel(
                period: p.description, periodName: p.norwegian, sectionTitle: "Helhetsvurdering", action: req.url.path,
                csrfToken: req.csrfToken(), version: version ?? working.sectionVersions[key]!,
                values: values ?? ReportForms.values(section), errors: errors,
                texts: texts,
                items: [
                    (
                        "Oppsummering per overordnet mål",
                        d.overarchingGoals.map { .init(prefix: "og.\($0.id).", title: $0.title, withStatus: false) }
                    )
                ],
                survey: d.initiatives.filter { $0.kind == .national }.map { ($0.slug, $0.title) },
                withIndicatorIds: false, conflict: conflict)
        }
        guard let section = working.content.goals.first(where: { ReportSectionKey.goal($0.goalId) == key }) else {
            throw Abort(.notFound)
        }
        return ReportSectionFormModel(
            period: p.description, periodName: p.norwegian, sectionTitle: "Mål \(section.goalId)",
            action: req.url.path,
            csrfToken: req.csrfToken(), version: version ?? working.sectionVersions[key]!,
            values: values ?? ReportForms.values(section), errors: errors,
            texts: texts,
            items: [
                (
                    "Strategiske delmål",
                    section.subgoals.map {
                        .init(
                            prefix: "sub.\($0.id).", title: d.subgoal($0.id).map { "\($0.id) \($0.title)" } ?? $0.id,
                            withStatus: true)
                    }
                ),
                (
                    "Indikatorer",
                    section.indicators.map {
                        .init(prefix: "ind.\($0.id).", title: d.indicator($0.id)?.name ?? $0.id, withStatus: true)
                    }
                ),
            ],
            survey: [], withIndicatorIds: true, conflict: conflict)
    }

    /// The free-text fields of a section, with their labels.
    static func texts(of key: String) -> [(name: String, label: String)] {
        let common = [
            ("positives", "Positive bevegelser"), ("followUps", "Oppfølgingspunkter"),
            ("strategicThemes", "Strategisk tema og spørsmål til rådene"),
            ("otherInfo", "Annen kvalitativ informasjon"),
        ]
        return key == ReportSectionKey.overall
            ? common
            : common + [
                ("candidateIndicators", "Kandidater til indikatorer"),
                ("candidateSubgoals", "Kandidater til strategiske delmål"),
            ]
    }

    func saveSection(req: Request) async throws -> Response {
        let p = try period(req)
        let (working, key) = try await section(req, p)
        let d = try await req.datasetWithHeadlines()
        let input = try req.content.decode([String: String].self)
        guard let expected = Int64(input["versjon"] ?? "") else {
            throw Abort(.badRequest, reason: "Skjemaet mangler versjon.")
        }
        let author = Author(req.principal!, source: .ui)
        let reason = (input["begrunnelse"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let panel = try await Self.roundPanel(req, p, key: key, dataset: d)
        func refuse(_ errors: FieldErrors) throws -> Response {
            var model = try formModel(
                req, p, working: working, key: key, dataset: d, values: input, errors: errors, conflict: nil,
                version: expected)
            model.roundPanel = panel
            let r = Response.html(ReportSectionFormView.render(model))
            r.status = .unprocessableEntity
            return r
        }
        if let problem = ReasonPolicy.problem(reason) { return try refuse(FieldErrors(["begrunnelse": problem])) }
        let result: SaveResult<String>
        if key == ReportSectionKey.overall {
            switch ReportForms.overall(input, base: working.content.overall, in: d) {
            case .failure(let e): return try refuse(e)
            case .success(let s):
                result = try await ReportStore.saveSection(
                    p, key: key, content: s, expectedVersion: expected, author: author, reason: reason, on: req.db)
            }
        } else {
            guard let base = working.content.goals.first(where: { ReportSectionKey.goal($0.goalId) == key }) else {
                throw Abort(.notFound)
            }
            switch ReportForms.goal(input, base: base, in: d) {
            case .failure(let e): return try refuse(e)
            case .success(let s):
                result = try await ReportStore.saveSection(
                    p, key: key, content: s, expectedVersion: expected, author: author, reason: reason, on: req.db)
            }
        }
        switch result {
        case .saved:
            let fragment = key == ReportSectionKey.overall ? "helhet" : key
            return req.redirect(to: SiteURL.reportDraft(p.description).path(fragment: fragment), redirectType: .normal)
        case .notFound: throw Abort(.notFound)
        case .refused(let reasons): throw Abort(.unprocessableEntity, reason: reasons.joined(separator: " "))
        case .conflict(let json, let version):
            // Show the colleague's text next to ours; the form keeps what this user typed, with the new version to save
            // over.
            let theirs: [String: String]
            if key == ReportSectionKey.overall {
                theirs = ReportForms.values(try JSONDecoder().decode(OverallSection.self, from: Data(json.utf8)))
            } else {
                theirs = ReportForms.values(try JSONDecoder().decode(GoalSection.self, from: Data(json.utf8)))
            }
            let labels = Dictionary(Self.texts(of: key).map { ($0.name, $0.label) }, uniquingKeysWith: { a, _ in a })
                .merging(["comment": "Kommentar", "status": "Status", "tendency": "Retning"]) { a, _ in a }
            let differing = theirs.filter { (input[$0.key] ?? "") != $0.value }
            var conflictModel = try formModel(
                req, p, working: working, key: key, dataset: d, values: input, errors: FieldErrors(),
                conflict: ReportForms.lines(differing, labels: labels), version: version)
            conflictModel.roundPanel = panel
            let r = Response.html(ReportSectionFormView.render(conflictModel))
            r.status = .conflict
            return r
        }
    }

    // MARK: exports

    func export(_ req: Request, period p: Period, format: String) async throws -> Response {
        guard
            let published = try await ReportStore.revisions(of: p, on: req.db).last(where: { $0.state == .publisert }),
            let snapshot = published.snapshot
        else {
            throw Abort(.notFound, reason: "Det er ikke publisert noen rapport for \(p.norwegian).")
        }
        let name = "statusrapport-\(p.description)"
        switch format {
        case "md":
            return .attachment(
                ReportMarkdown.render(snapshot),
                type: HTTPMediaType(type: "text", subType: "markdown", parameters: ["charset": "utf-8"]),
                filename: "\(name).md")
        default:
            let html = ReportExport.standaloneHTML(snapshot)
            if format == "html" { return .html(html) }
            do {
                let pdf = try await req.application.reportPDFs.pdf(html: html, period: p.description, on: req.db)
                return .attachment(
                    pdf, type: HTTPMediaType(type: "application", subType: "pdf"), filename: "\(name).pdf")
            } catch is ReportPDFRenderer.Busy {
                let busy = Abort(
                    .serviceUnavailable, headers: ["Retry-After": "10"],
                    reason:
                        """
                        Mange lager PDF akkurat nå. Prøv igjen om ti sekunder, eller åpne rapporten og skriv den \
                        ut fra nettleseren.
                        """
                )
                throw busy
            } catch let failure as ReportExport.Unavailable {
                req.logger.warning("PDF export unavailable", metadata: ["reason": .string(failure.description)])
                throw Abort(
                    .serviceUnavailable,
                    reason:
                        """
                        PDF kan ikke lages på denne serveren (Chromium mangler). Åpne rapporten og velg «Skriv \
                        ut» → «Lagre som PDF» i nettleseren; utskriften er tilpasset A4.
                        """
                )
            }
        }
    }
}

/// The report outside the site: one HTML document with the stylesheet inline, and a PDF printed from it by headless
/// Chromium.
enum ReportExport {
    struct Unavailable: Error, CustomStringConvertible { let description: String }

    static func standaloneHTML(_ s: ReportSnapshot) -> String {
        let page = ReportPageView.render(
            ReportPageModel(
                snapshot: s, state: .publisert, publishedText: nil, revisions: [], workflow: nil, draftURL: nil,
                canCorrect: nil),
            path: SiteURL.report(s.period).path)
        // The printed document may load nothing and run nothing: a policy of its own, first in <head>, beside
        // Chromium's flags. Without a <head> to put it in, nothing is printed (`pdf` refuses a document without it).
        let policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"\(printPolicy)\"/>"
        let site = Site.current
        let inlined = page.replacingOccurrences(
            of: "<link rel=\"stylesheet\" href=\"\(site.stylesheetURL)\"/>",
            with: "<style>\(Stylesheet.css(phases: site.strategy?.phases ?? .defaults))</style>")
        guard let head = inlined.range(of: "<head>") else { return inlined }
        return inlined.replacingCharacters(in: head, with: "<head>" + policy)
    }

    static let printPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    static func pdf(html: String) async throws -> Data {
        guard let browser = chromium else { throw Unavailable(description: "no chromium in /usr/bin") }
        guard html.contains("content=\"\(printPolicy)\"") else {
            throw Unavailable(description: "document without its print policy")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("veikart-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("rapport.html")
        let output = dir.appendingPathComponent("rapport.pdf")
        try Data(html.utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        // No network (every host name unresolvable, every connection through a proxy that is not there) and no
        // background services; JavaScript is refused by the document's own policy (`standaloneHTML`) — Chromium's
        // scriptEnabled=false would also stop its printing. The sandbox is off only where Chromium refuses it (root).
        process.arguments =
            [
                "--headless", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(dir.path)/profil",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                "--no-first-run", "--mute-audio", "--print-to-pdf=\(output.path)", input.absoluteString,
            ]
            + (getuid() == 0 ? ["--no-sandbox"] : [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Chromium should finish in seconds; never hold a request forever.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw Unavailable(description: "chromium timed out")
            }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output.path),
            data.starts(with: Array("%PDF".utf8))
        else {
            throw Unavailable(description: "chromium exited with \(process.terminationStatus)")
        }
        return data
    }
}

/// `veikart report 2024-Q1 --format pdf|md|html --out FILE`: the published report, as on the site.
struct ReportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "period", help: "Rapporteringsperiode, f.eks. 2024-Q1")
        var period: String
        @Option(name: "format", help: "pdf, md eller html (standard: html)")
        var format: String?
        @Option(name: "out", help: "Fil å skrive til")
        var out: String?
    }

    var help: String { "Skriver en publisert statusrapport som PDF (A4), Markdown eller HTML." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let p = ReportRules.parsePeriod(signature.period) else {
            context.console.error("«\(signature.period)» er ikke en periode")
            throw ExitCode(2)
        }
        let format = signature.format ?? "html"
        guard ["pdf", "md", "html"].contains(format) else {
            context.console.error("--format må være pdf, md eller html")
            throw ExitCode(2)
        }
        guard
            let published = try await ReportStore.revisions(of: p, on: context.application.db).last(where: {
                $0.state == .publisert
            }),
            let snapshot = published.snapshot
        else {
            context.console.error("Ingen publisert rapport for \(p.norwegian)")
            throw ExitCode(1)
        }
        // The page's frame names the strategy, as on the site (no request middleware runs for a command).
        let site = Site(strategy: try await DatasetStore.loadStructure(on: context.application.db)?.strategy)
        let data = try await Site.$current.withValue(site) {
            try await Self.render(snapshot, format: format, context: context)
        }
        let out = signature.out ?? "statusrapport-\(p.description).\(format)"
        try data.write(to: URL(fileURLWithPath: out))
        context.console.info("Skrev \(out) (\(data.count) byte).")
    }

    static func render(_ snapshot: ReportSnapshot, format: String, context: CommandContext) async throws -> Data {
        let data: Data
        switch format {
        case "md": data = Data(ReportMarkdown.render(snapshot).utf8)
        case "pdf":
            do { data = try await ReportExport.pdf(html: ReportExport.standaloneHTML(snapshot)) } catch let e
                as ReportExport.Unavailable
            {
                context.console.error(
                    """
                    PDF kunne ikke lages: \(e.description). Installer chromium eller bruk --format html og skriv \
                    ut fra nettleseren.
                    """
                )
                throw ExitCode(1)
            }
        default: data = Data(ReportExport.standaloneHTML(snapshot).utf8)
        }
        return data
    }
}
