import Domain
import Persistence
import Vapor
import Views

/// Indicator pages, the dashboard, CSV downloads and the measurement imports.
struct IndicatorController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("indikatorer", use: list)
        routes.get("indikatorer", "metode", use: method)
        routes.get("indikatorer", "importer", use: bulkImportForm)
        routes.post("indikatorer", "importer", use: bulkImport)
        routes.get("indikatorer", ":id", use: indicator)
        routes.get("indikatorer", ":id", "importer", use: importForm)
        routes.post("indikatorer", ":id", "importer", use: importMeasurements)
        routes.get("dashbord", use: dashboard)
    }

    func list(req: Request) async throws -> Response {
        let filter: IndicatorListFilter
        do { filter = try IndicatorListFilter.parse(req.queryDictionary) } catch {
            throw Abort(.badRequest, reason: "Ugyldig utvalg: \(error.message).")
        }
        let model = IndicatorListModel(dataset: try await req.datasetWithHeadlines(), today: req.today,
                                       assessed: try await req.publishedAssessments(), filter: filter)
        return .html(IndicatorListView.render(model))
    }

    func dashboard(req: Request) async throws -> Response {
        let d = try await req.dataset(withMeasurementsOf: { $0.indicators.filter(DashboardModel.shows) }, headlineOnly: true)
        return .html(DashboardView.render(DashboardModel(dataset: d, today: req.today, assessed: try await req.publishedAssessments())))
    }

    func method(req: Request) async throws -> Response { .html(ProgressMethodView.render()) }

    /// `/indikatorer/<id>` and its data as `/indikatorer/<id>.csv`.
    func indicator(req: Request) async throws -> Response {
        let (raw, ext) = req.parameter("id", extensions: ["csv"])
        let d = try await req.dataset(withMeasurementsOf: { d in d.indicator(raw).map { [$0] } ?? [] })
        if ext != nil {
            let ind = try d.requireIndicator(raw)
            return .attachment(DatasetFormat.writeOpenSDG(d.series(of: ind).measurements, indicator: ind), type: Response.csvType,
                               filename: "indikator-\(ind.id).csv")
        }
        let ind = try d.requireIndicator(raw)
        if ind.id != raw { return req.redirect(to: "/indikatorer/\(ind.id)", redirectType: .permanent) }
        var model = IndicatorPageModel(dataset: d, indicator: ind, today: req.today, canImport: Access.canWriteStructure(req.principal),
                                       assessed: try await req.publishedAssessments()[ind.id])
        model.handledIn = try await CouncilStore.handling(CaseLink(kind: .indicator, target: ind.id), on: req.db)
        return .html(IndicatorPageView.render(model))
    }

    // MARK: imports

    func importForm(req: Request) async throws -> Response {
        let ind = try await requireEditor(req).requireIndicator(req.parameters.get("id") ?? "")
        return .html(IndicatorImportView.render(IndicatorImportModel(indicator: ind, csrfToken: req.csrfToken())))
    }

    func bulkImportForm(req: Request) async throws -> Response {
        _ = try await requireEditor(req)
        return .html(IndicatorImportView.render(IndicatorImportModel(indicator: nil, csrfToken: req.csrfToken())))
    }

    struct Upload: Content {
        let fil: File?
        let tekst: String?
        let begrunnelse: String?
    }

    func importMeasurements(req: Request) async throws -> Response {
        let d = try await requireEditor(req)
        let ind = try d.requireIndicator(req.parameters.get("id") ?? "")
        return try await runImport(req, indicator: ind) { text, file in
            try DatasetFormat.readOpenSDG(csv: text, file: file, indicator: ind)
        }
    }

    func bulkImport(req: Request) async throws -> Response {
        let d = try await requireEditor(req)
        return try await runImport(req, indicator: nil) { text, file in
            try DatasetFormat.readMeasurements(csv: text, file: file, indicators: d.indicators)
        }
    }

    /// Validates the whole file first; on any problem nothing changes and every issue is listed with its line.
    private func runImport(_ req: Request, indicator: Indicator?, parse: (String, String) throws -> [IndicatorMeasurement]) async throws -> Response {
        try req.verifyCSRF()
        let principal = try req.requirePrincipal()
        let upload = try req.content.decode(Upload.self)
        let reason = upload.begrunnelse?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if let problem = ReasonPolicy.problem(reason) {
            return refuse(req, indicator, [ImportIssue(file: "skjema", line: nil, message: problem)], upload.tekst ?? "", String(reason.prefix(500)))
        }
        let sent: (name: String, text: String, pasted: Bool)
        do { sent = try UploadedCSV.read(file: upload.fil, pasted: upload.tekst) } catch {
            return refuse(req, indicator, error.issues, "", reason)
        }
        let measurements: [IndicatorMeasurement]
        do { measurements = try parse(sent.text, sent.name) } catch let failure as ImportFailure {
            // Pasted text goes back into the form; a file stays on the user's disk.
            return refuse(req, indicator, failure.issues, sent.pasted ? sent.text : "", reason)
        }
        let ids = Set(measurements.map(\.indicatorId) + (indicator.map { [$0.id] } ?? []))
        try await IndicatorStore.replaceMeasurements(of: ids, with: measurements, author: Author(principal, source: .ui), reason: reason, on: req.db)
        return req.redirect(to: indicator.map { "/indikatorer/\($0.id)#tall" } ?? "/indikatorer", redirectType: .normal)
    }

    private func refuse(_ req: Request, _ indicator: Indicator?, _ issues: [ImportIssue], _ text: String, _ reason: String) -> Response {
        let r = Response.html(IndicatorImportView.render(IndicatorImportModel(indicator: indicator, csrfToken: req.csrfToken(), issues: issues, text: text, reason: reason)))
        r.status = .unprocessableEntity
        return r
    }

    /// Indicators are the editors' (redaktør) responsibility. Anonymous visitors of a form are sent to sign in first.
    private func requireEditor(_ req: Request) async throws -> Dataset {
        try req.requireEditor("Bare redaktører kan importere målinger.")
        return try await req.dataset()
    }
}

/// `veikart indicators import FILE [--indicator ID]`: measurements from CSV, all or nothing.
struct IndicatorsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "import")
        var action: String
        @Argument(name: "file", help: "CSV-fil med målinger")
        var file: String
        @Option(name: "indicator", help: "Indikator-id: filen er i Open SDG-stil for denne indikatoren. Uten: bulkformatet (measurements.csv).")
        var indicator: String?
        @Option(name: "reason", help: "Begrunnelse i historikken")
        var reason: String?
    }

    var help: String { "Importerer målinger for én indikator (Open SDG-stil) eller mange (bulk). Ved feil endres ingenting." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "import" else { context.console.error("Ukjent handling «\(signature.action)»; bruk import"); throw ExitCode(2) }
        let db = context.application.db
        guard let d = try await DatasetStore.load(on: db) else { context.console.error("Databasen har ikke noe datasett"); throw ExitCode(1) }
        let url = URL(fileURLWithPath: signature.file)
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            context.console.error("\(signature.file): finnes ikke eller er ikke UTF-8"); throw ExitCode(1)
        }
        do {
            let measurements: [IndicatorMeasurement]
            var ids: Set<String> = []
            if let id = signature.indicator {
                guard let ind = d.indicator(id) else { context.console.error("Ukjent indikator «\(id)»"); throw ExitCode(1) }
                measurements = try DatasetFormat.readOpenSDG(csv: text, file: url.lastPathComponent, indicator: ind)
                ids.insert(ind.id)
            } else {
                measurements = try DatasetFormat.readMeasurements(csv: text, file: url.lastPathComponent, indicators: d.indicators)
            }
            ids.formUnion(measurements.map(\.indicatorId))
            let reason = signature.reason ?? ""
            if let problem = ReasonPolicy.problem(reason) { context.console.error("--reason: " + problem); throw ExitCode(2) }
            try await IndicatorStore.replaceMeasurements(of: ids, with: measurements, author: .commandLine, reason: reason, on: db)
            context.console.info("Importert \(measurements.count) målinger for \(ids.count) indikator(er).")
        } catch let failure as ImportFailure {
            context.console.error(failure.description)
            throw ExitCode(1)
        }
    }
}
