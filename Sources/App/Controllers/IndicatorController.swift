import Domain
import Persistence
import Routes
import Vapor
import Views

/// Indicator pages, the dashboard, CSV downloads and the measurement imports.
struct IndicatorController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.indicators, use: list)
        routes.get(.indicatorMethod, use: method)
        routes.get(.indicatorsImport, use: bulkImportForm)
        routes.post(.indicatorsImport, use: bulkImport)
        routes.get(.indicator(":id"), use: indicator)
        routes.get(.indicatorImport(":id"), use: importForm)
        routes.post(.indicatorImport(":id"), use: importMeasurements)
        routes.get(.indicatorValues(":id"), use: values)
        routes.post(.indicatorValues(":id"), use: saveValue)
        routes.get(.indicatorValueRemoval(":id"), use: removeValueForm)
        routes.post(.indicatorValueRemoval(":id"), use: removeValue)
        routes.get(.dashboard, use: dashboard)
    }

    func list(req: Request) async throws -> Response {
        let filter: IndicatorListFilter
        do { filter = try IndicatorListFilter.parse(req.queryDictionary) } catch {
            throw Abort(.badRequest, reason: "Ugyldig utvalg: \(error.message).")
        }
        let model = IndicatorListModel(
            dataset: try await req.datasetWithHeadlines(), today: req.today,
            assessed: try await req.publishedAssessments(), filter: filter)
        return .html(IndicatorListView.render(model))
    }

    func dashboard(req: Request) async throws -> Response {
        let d = try await req.dataset(
            withMeasurementsOf: { $0.indicators.filter(DashboardModel.shows) }, headlineOnly: true)
        return .html(
            DashboardView.render(
                DashboardModel(dataset: d, today: req.today, assessed: try await req.publishedAssessments())))
    }

    func method(req: Request) async throws -> Response { .html(ProgressMethodView.render()) }

    /// `/indikatorer/<id>` and its data as `/indikatorer/<id>.csv`.
    func indicator(req: Request) async throws -> Response {
        let (raw, ext) = req.parameter("id", extensions: ["csv"])
        let d = try await req.dataset(withMeasurementsOf: { d in d.indicator(raw).map { [$0] } ?? [] })
        if ext != nil {
            let ind = try d.requireIndicator(raw)
            return .attachment(
                DatasetFormat.writeOpenSDG(d.series(of: ind).measurements, indicator: ind), type: Response.csvType,
                filename: "indikator-\(ind.id).csv")
        }
        let ind = try d.requireIndicator(raw)
        if ind.id != raw { return req.redirect(to: SiteURL.indicator(ind.id).path, redirectType: .permanent) }
        var model = IndicatorPageModel(
            dataset: d, indicator: ind, today: req.today, canImport: Access.canWriteStructure(req.principal),
            assessed: try await req.publishedAssessments()[ind.id])
        model.handledIn = try await CouncilStore.handling(CaseLink(kind: .indicator, target: ind.id), on: req.db)
        return .html(IndicatorPageView.render(model))
    }

    // MARK: imports

    func importForm(req: Request) async throws -> Response {
        let ind = try await req.dataset().requireIndicator(req.parameters.get("id") ?? "")
        return .html(IndicatorImportView.render(IndicatorImportModel(indicator: ind, csrfToken: req.csrfToken())))
    }

    func bulkImportForm(req: Request) async throws -> Response {
        return .html(IndicatorImportView.render(IndicatorImportModel(indicator: nil, csrfToken: req.csrfToken())))
    }

    struct Upload: Content {
        let fil: File?
        let tekst: String?
        let begrunnelse: String?
        /// "ja" on the preview's confirmation, with the chosen mode, the stamp it was computed against and the file's
        /// name.
        let bekreft: String?
        let modus: String?
        let stempel: String?
        let filnavn: String?
    }

    func importMeasurements(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let ind = try d.requireIndicator(req.parameters.get("id") ?? "")
        return try await runImport(req, indicator: ind) { text, file in
            try DatasetFormat.readOpenSDG(csv: text, file: file, indicator: ind)
        }
    }

    func bulkImport(req: Request) async throws -> Response {
        let d = try await req.dataset()
        return try await runImport(req, indicator: nil) { text, file in
            try DatasetFormat.readMeasurements(csv: text, file: file, indicators: d.indicators)
        }
    }

    /// Validates the whole file first; on any problem nothing changes and every issue is listed with its line.
    private func runImport(
        _ req: Request, indicator: Indicator?, parse: (String, String) throws -> [IndicatorMeasurement]
    ) async throws -> Response {
        let principal = try req.requirePrincipal()
        let upload = try req.content.decode(Upload.self)
        let reason = upload.begrunnelse?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if let problem = ReasonPolicy.problem(reason) {
            return refuse(
                req, indicator, [ImportIssue(file: "skjema", line: nil, message: problem)], upload.tekst ?? "",
                String(reason.prefix(500)))
        }
        var sent: (name: String, text: String, pasted: Bool)
        do { sent = try UploadedCSV.read(file: upload.fil, pasted: upload.tekst) } catch {
            return refuse(req, indicator, error.issues, "", reason)
        }
        let confirming = upload.bekreft == "ja"
        if confirming, let name = upload.filnavn, !name.isEmpty { sent.name = String(name.prefix(200)) }
        let measurements: [IndicatorMeasurement]
        do { measurements = try parse(sent.text, sent.name) } catch let failure as ImportFailure {
            // Pasted text goes back into the form; a file stays on the user's disk.
            return refuse(req, indicator, failure.issues, sent.pasted ? sent.text : "", reason)
        }
        let ids = Set(measurements.map(\.indicatorId) + (indicator.map { [$0.id] } ?? []))
        let mode = MeasurementDiff.Mode(rawValue: upload.modus ?? "") ?? .merge
        func preview(_ status: HTTPStatus, stamp: String, conflict: String?) async throws -> Response {
            let current = try await IndicatorStore.measurements(of: ids.sorted(), on: req.db)
            let d = try await req.dataset()
            let merged = MeasurementDiff.compare(
                current: current, incoming: measurements, indicatorIds: ids.sorted(), mode: .merge)
            let replaced = MeasurementDiff.compare(
                current: current, incoming: measurements, indicatorIds: ids.sorted(), mode: .replace)
            let rows = zip(merged, replaced).map { (merge, replace) in
                ImportPreview.Row(
                    name: d.indicator(merge.indicatorId)?.name ?? merge.indicatorId, added: merge.added.count,
                    changed: merge.changed.count, unchanged: replace.unchangedCount,
                    removedIfReplaced: replace.removed.count,
                    details: Self.details(merge, replace, current: current))
            }
            var model = IndicatorImportModel(
                indicator: indicator, csrfToken: req.csrfToken(), text: sent.text, reason: reason)
            model.preview = ImportPreview(rows: rows, stamp: stamp, fileName: sent.name, mode: mode, conflict: conflict)
            let r = Response.html(IndicatorImportView.render(model))
            r.status = status
            r.headers.cacheControl = .init(noStore: true)
            return r
        }
        guard confirming, let stamp = upload.stempel else {
            return try await preview(.ok, stamp: try await IndicatorStore.stamp(of: ids, on: req.db), conflict: nil)
        }
        switch try await IndicatorStore.importMeasurements(
            of: ids, with: measurements, mode: mode, expectedStamp: stamp,
            author: Author(principal, source: .ui), reason: reason, on: req.db)
        {
        case .saved:
            let location = indicator.map { SiteURL.indicator($0.id).path(fragment: "tall") } ?? SiteURL.indicators.path
            return req.redirect(to: location, redirectType: .normal)
        case .conflict(_, let newStamp):
            return try await preview(
                .conflict, stamp: newStamp,
                conflict: "Noen har endret verdiene etter forhåndsvisningen. Ingenting er importert. "
                    + "Tabellen viser nå hva importen vil gjøre; bekreft på nytt hvis det fortsatt er riktig.")
        }
    }

    /// The preview's lines for one indicator: changed values with old and new, new values, and what replacing removes.
    static func details(
        _ merge: MeasurementDiff, _ replace: MeasurementDiff, current: [IndicatorMeasurement], limit: Int = 12
    ) -> [String] {
        let old = Dictionary(
            current.filter { $0.indicatorId == merge.indicatorId }.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a }
        )
        let lines =
            merge.changed.map { m -> String in
                let before = old[m.key]?.value ?? 0
                return "\(m.key.text): "
                    + (before == m.value
                        ? "merknad eller kilde endres" : "\(NumberText.plain(before)) → \(NumberText.plain(m.value))")
            }
            + merge.added.map { "\($0.key.text) (ny): \(NumberText.plain($0.value))" }
            + replace.removed.map { "\($0.key.text) (fjernes ved erstatt)" }
        return lines.count > limit ? Array(lines.prefix(limit)) + ["… og \(lines.count - limit) til"] : lines
    }

    // MARK: single values

    func values(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let ind = try d.requireIndicator(req.parameters.get("id") ?? "")
        let q = req.queryDictionary
        var values: [String: String] = [:]
        var version = ""
        if let p = q["periode"].flatMap({ try? Period.parse($0) }) {
            let key = MeasurementKey(period: p, dimension: q["dimensjon"] ?? "", member: q["medlem"] ?? "")
            if let row = try await IndicatorStore.versionedMeasurements(of: ind.id, on: req.db).first(where: {
                $0.measurement.key == key
            }) {
                values = MeasurementInput.values(row.measurement)
                version = String(row.version)
            }
        }
        let notices = ["lagret": "Verdien er lagret og publisert.", "fjernet": "Verdien er fjernet."]
        return try await valuesPage(
            req, ind, values: values, version: version, notice: q["lagret"].flatMap { notices[$0] },
            original: values.filter { ["periode", "dimensjon", "medlem"].contains($0.key) })
    }

    func valuesPage(
        _ req: Request, _ ind: Indicator, status: HTTPStatus = .ok, values: [String: String], version: String,
        reason: String = "",
        errors: FieldErrors = FieldErrors(), notice: String? = nil, conflict: String? = nil,
        original: [String: String] = [:]
    ) async throws -> Response {
        let base = SiteURL.indicatorValues(ind.id).path
        let removal = SiteURL.indicatorValueRemoval(ind.id).path
        func query(_ m: IndicatorMeasurement) -> String {
            var c = URLComponents()
            c.queryItems =
                [URLQueryItem(name: "periode", value: m.period.description)]
                + (m.dimension.isEmpty
                    ? []
                    : [
                        URLQueryItem(name: "dimensjon", value: m.dimension),
                        URLQueryItem(name: "medlem", value: m.member),
                    ])
            return "?" + (c.percentEncodedQuery ?? "")
        }
        let rows = try await IndicatorStore.versionedMeasurements(of: ind.id, on: req.db).map(\.measurement).sorted {
            $0.key < $1.key
        }.map { m in
            IndicatorValuesModel.Row(
                key: m.key, value: NumberText.plain(m.value), note: m.note, source: m.source,
                editURL: base + query(m) + "#skjema", removeURL: removal + query(m))
        }
        let r = Response.html(
            IndicatorValuesView.render(
                IndicatorValuesModel(
                    indicator: ind, rows: rows, values: values, version: version,
                    reason: reason, errors: errors, notice: notice, conflict: conflict,
                    original: original)))
        r.status = status
        r.headers.cacheControl = .init(noStore: true)
        return r
    }

    func saveValue(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let principal = try req.requirePrincipal()
        let ind = try d.requireIndicator(req.parameters.get("id") ?? "")
        let form = try req.content.decode([String: String].self)
        let values = Dictionary(uniqueKeysWithValues: MeasurementInput.fields.map { ($0.name, form[$0.name] ?? "") })
        let version = (form["versjon"] ?? "").trimmingCharacters(in: .whitespaces)
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        if let problem = ReasonPolicy.problem(reason) { errors.messages["reason"] = problem }
        let result = MeasurementInput.read(values, indicator: ind)
        if case .failure(let e) = result { errors.messages.merge(e.messages) { a, _ in a } }
        // A version belongs to the value the form was opened for: it may not be used on another period or breakdown.
        let original = Dictionary(
            uniqueKeysWithValues: ["periode", "dimensjon", "medlem"].map { ($0, form["fra-\($0)"] ?? "") })
        if !version.isEmpty, case .success(let m) = result, let from = try? Period.parse(original["periode"] ?? ""),
            MeasurementKey(period: from, dimension: original["dimensjon"] ?? "", member: original["medlem"] ?? "")
                .matching != m.key.matching
        {
            errors.messages["periode"] =
                "En lagret verdi kan ikke flyttes til en annen periode eller inndeling. Fjern den, og legg til en ny."
        }
        guard errors.isEmpty, case .success(let m) = result else {
            return try await valuesPage(
                req, ind, status: .unprocessableEntity, values: values, version: version, reason: reason,
                errors: errors,
                original: version.isEmpty ? [:] : original)
        }
        switch try await IndicatorStore.saveMeasurement(
            m, expectedVersion: version.isEmpty ? nil : Int64(version) ?? -1,
            author: Author(principal, source: .ui), reason: reason, on: req.db)
        {
        case .saved:
            return req.redirect(
                to: SiteURL.indicatorValues(ind.id).path(query: [("lagret", "lagret")]),
                redirectType: .normal)
        case .conflict(let current, let newVersion):
            return try await valuesPage(
                req, ind, status: .conflict, values: values, version: String(newVersion), reason: reason,
                conflict: "\(current.key.text): \(NumberText.plain(current.value))")
        case .notFound, .refused:
            return try await valuesPage(
                req, ind, status: .conflict, values: values, version: "", reason: reason,
                conflict: "Verdien er fjernet av noen andre etter at du åpnet skjemaet")
        }
    }

    func removeValueForm(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let ind = try d.requireIndicator(req.parameters.get("id") ?? "")
        let q = req.queryDictionary
        guard let p = q["periode"].flatMap({ try? Period.parse($0) }),
            let row = try await IndicatorStore.versionedMeasurements(of: ind.id, on: req.db)
                .first(where: {
                    $0.measurement.key
                        == MeasurementKey(period: p, dimension: q["dimensjon"] ?? "", member: q["medlem"] ?? "")
                })
        else {
            throw Abort(.notFound, reason: "Fant ingen slik verdi for indikatoren.")
        }
        return .html(
            RemoveValueView.render(
                indicator: ind, measurement: row.measurement, value: NumberText.plain(row.measurement.value),
                version: row.version, formURL: SiteURL.indicatorValueRemoval(ind.id).path))
    }

    func removeValue(req: Request) async throws -> Response {
        let d = try await req.dataset()
        let principal = try req.requirePrincipal()
        let ind = try d.requireIndicator(req.parameters.get("id") ?? "")
        let form = try req.content.decode([String: String].self)
        guard let p = form["periode"].flatMap({ try? Period.parse($0) }),
            let version = form["versjon"].flatMap(Int64.init)
        else {
            throw Abort(.badRequest, reason: "Skjemaet mangler periode eller versjon. Last siden på nytt.")
        }
        let key = MeasurementKey(period: p, dimension: form["dimensjon"] ?? "", member: form["medlem"] ?? "")
        switch try await IndicatorStore.removeMeasurement(
            key, of: ind.id, expectedVersion: version, author: Author(principal, source: .ui),
            reason: "", on: req.db)
        {
        case .saved:
            return req.redirect(
                to: SiteURL.indicatorValues(ind.id).path(query: [("lagret", "fjernet")]),
                redirectType: .normal)
        case .conflict(let current, _):
            return try await valuesPage(
                req, ind, status: .conflict, values: [:], version: "",
                conflict:
                    """
                    \(current.key.text): \(NumberText.plain(current.value)) (endret etter at du åpnet siden; ikke \
                    fjernet)
                    """
            )
        case .notFound, .refused:
            return try await valuesPage(
                req, ind, status: .conflict, values: [:], version: "", notice: "Verdien var allerede fjernet.")
        }
    }

    private func refuse(
        _ req: Request, _ indicator: Indicator?, _ issues: [ImportIssue], _ text: String, _ reason: String
    ) -> Response {
        let r = Response.html(
            IndicatorImportView.render(
                IndicatorImportModel(
                    indicator: indicator, csrfToken: req.csrfToken(), issues: issues, text: text, reason: reason)))
        r.status = .unprocessableEntity
        return r
    }

}

/// `veikart indicators import FILE [--indicator ID]`: measurements from CSV, all or nothing.
struct IndicatorsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "import")
        var action: String
        @Argument(name: "file", help: "CSV-fil med målinger")
        var file: String
        @Option(
            name: "indicator",
            help: "Indikator-id: filen er i Open SDG-stil for denne indikatoren. Uten: bulkformatet (measurements.csv)."
        )
        var indicator: String?
        @Option(name: "reason", help: "Begrunnelse i historikken")
        var reason: String?
    }

    var help: String {
        "Importerer målinger for én indikator (Open SDG-stil) eller mange (bulk). Ved feil endres ingenting."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "import" else {
            context.console.error("Ukjent handling «\(signature.action)»; bruk import")
            throw ExitCode(2)
        }
        let db = context.application.db
        guard let d = try await DatasetStore.load(on: db) else {
            context.console.error("Databasen har ikke noe datasett")
            throw ExitCode(1)
        }
        let url = URL(fileURLWithPath: signature.file)
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8)
        else {
            context.console.error("\(signature.file): finnes ikke eller er ikke UTF-8")
            throw ExitCode(1)
        }
        do {
            let measurements: [IndicatorMeasurement]
            var ids: Set<String> = []
            if let id = signature.indicator {
                guard let ind = d.indicator(id) else {
                    context.console.error("Ukjent indikator «\(id)»")
                    throw ExitCode(1)
                }
                measurements = try DatasetFormat.readOpenSDG(csv: text, file: url.lastPathComponent, indicator: ind)
                ids.insert(ind.id)
            } else {
                measurements = try DatasetFormat.readMeasurements(
                    csv: text, file: url.lastPathComponent, indicators: d.indicators)
            }
            ids.formUnion(measurements.map(\.indicatorId))
            let reason = signature.reason ?? ""
            if let problem = ReasonPolicy.problem(reason) {
                context.console.error("--reason: " + problem)
                throw ExitCode(2)
            }
            try await IndicatorStore.replaceMeasurements(
                of: ids, with: measurements, author: .commandLine, reason: reason, on: db)
            context.console.info("Importert \(measurements.count) målinger for \(ids.count) indikator(er).")
        } catch let failure as ImportFailure {
            context.console.error(failure.description)
            throw ExitCode(1)
        }
    }
}
