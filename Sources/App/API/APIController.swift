import Charts
import Domain
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// JSON API under /api/v1, documented in Resources/openapi.json.
struct APIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.openAPI, use: openAPI)
        routes.get(.api("strategy"), use: strategy)
        routes.get(.api("subgoals/:id"), use: subgoal)
        routes.get(.api("initiatives"), use: initiatives)
        routes.get(.api("initiatives/:slug"), use: initiative)
        routes.get(.api("actors"), use: actors)
        routes.get(.api("actors/:slug"), use: actor)
        routes.get(.api("roadmap"), use: roadmap)
        routes.get(.api("search"), use: search)
        routes.get(.api("scoring/rounds"), use: scoringRounds)
        routes.get(.api("scoring/rounds/:id"), use: scoringRound)
        routes.get(.api("councils"), use: councils)
        routes.get(.api("councils/:slug/meetings"), use: councilMeetings)
        routes.get(.api("meetings/:id"), use: meeting)
        routes.get(.api("reports"), use: reports)
        routes.get(.api("reports/:period"), use: report)
        routes.get(.api("indicators"), use: indicators)
        routes.get(.api("indicators/:id"), use: indicator)
        routes.get(.api("indicators/:id/measurements"), use: measurements)
        routes.post(.api("indicators/:id/measurements"), use: saveMeasurement)
        routes.on(.DELETE, .api("indicators/:id/measurements"), access: .apiToken, use: removeMeasurement)
        routes.get(.api("activities/:id"), use: activity)
        routes.on(.PATCH, .api("activities/:id"), access: .apiToken, use: patchActivity)
        routes.get(.api("records/:kind/:id")) { req in try await self.record(try self.kind(req).recordType, req) }
        routes.on(.PATCH, .api("records/:kind/:id"), access: .apiToken) { req in
            try await self.patchRecord(try self.kind(req).recordType, req)
        }
        routes.post(.api("records/:kind")) { req in try await self.createRecord(try self.kind(req).recordType, req) }
        routes.on(.DELETE, .api("records/:kind/:id"), access: .apiToken) { req in
            try await self.retireRecord(try self.kind(req).recordType, req)
        }
        routes.post(.api("records/:kind/:id/reinstate")) { req in
            try await self.reinstateRecord(try self.kind(req).recordType, req)
        }
        registerRounds(routes)
        // Unknown API paths answer JSON too.
        routes.get(.api("**")) { _ -> Response in throw Abort(.notFound, reason: "Ukjent API-sti.") }
    }

    func openAPI(req: Request) async throws -> Response {
        let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")!
        let r = Response(status: .ok, body: .init(data: try Data(contentsOf: url)))
        r.headers.contentType = .json
        return r
    }

    func strategy(req: Request) async throws -> StrategyDTO {
        StrategyDTO(try await req.dataset())
    }

    func subgoal(req: Request) async throws -> SubgoalDTO {
        let d = try await req.dataset()
        return SubgoalDTO(try d.requireSubgoal(req.parameters.get("id") ?? ""), dataset: d)
    }

    func scoringRounds(req: Request) async throws -> ScoringRoundListDTO {
        // Drafts are the editors' until published (`PrioritizationController.visibleRound`).
        let editor = Access.canWriteStructure(req.principal)
        return ScoringRoundListDTO(
            rounds: try await ScoringStore.all(on: req.db).filter { editor || !$0.isDraft }.map {
                ScoringRoundSummaryDTO(
                    id: $0.id, title: $0.title, date: $0.date?.description, modelId: $0.model.id,
                    modelVersion: $0.model.version,
                    candidates: $0.candidates.count, url: SiteURL.scoringRound($0.id).path)
            })
    }

    func scoringRound(req: Request) async throws -> ScoringRoundDTO {
        ScoringRoundDTO(try await PrioritizationController.visibleRound(req, req.parameters.get("id") ?? "").round)
    }

    func councils(req: Request) async throws -> CouncilListDTO {
        let members = try await CouncilStore.members(on: req.db)
        return CouncilListDTO(
            councils: try await CouncilStore.councils(on: req.db).map { c in
                CouncilDTO(c, members: members.filter { $0.council == c.slug }, today: req.today)
            })
    }

    /// A council's meetings, oldest first.
    func councilMeetings(req: Request) async throws -> MeetingListDTO {
        let slug = req.parameters.get("slug") ?? ""
        guard let (c, _) = try await CouncilStore.council(slug, on: req.db) else {
            throw Abort(.notFound, reason: "Rådet «\(slug)» finnes ikke.")
        }
        return MeetingListDTO(
            council: c.slug,
            meetings: try await CouncilStore.meetings(of: c.slug, on: req.db).map { MeetingSummaryDTO($0, council: c) })
    }

    /// A meeting with its agenda (once the notice is published) and decisions (once the minutes are).
    func meeting(req: Request) async throws -> MeetingDTO {
        let id = req.parameters.get("id") ?? ""
        guard let (m, _) = try await CouncilStore.meeting(id: id, on: req.db),
            let (c, _) = try await CouncilStore.council(m.council, on: req.db)
        else {
            throw Abort(.notFound, reason: "Møtet «\(id)» finnes ikke.")
        }
        let cases = try await CouncilStore.cases(of: m.id, on: req.db).map(\.item)
        let targets = try await CouncilStore.linkTargets(dataset: try await req.dataset(), on: req.db)
        return MeetingDTO(
            m, council: c, cases: cases, members: try await CouncilStore.members(of: c.slug, on: req.db),
            targets: targets)
    }

    /// Published reports only (the latest revision of each period), newest first.
    func reports(req: Request) async throws -> ReportListDTO {
        ReportListDTO(
            reports: try await ReportStore.published(on: req.db).map { r in
                ReportSummaryDTO(
                    period: r.period.description, revision: r.revision, publishedAt: r.publishedAt,
                    overall: AssessmentDTO(r.snapshot.overall), url: SiteURL.report(r.period.description).path)
            })
    }

    func report(req: Request) async throws -> ReportDTO {
        let raw = req.parameters.get("period") ?? ""
        guard let p = ReportRules.parsePeriod(raw),
            let snapshot = try await ReportStore.published(on: req.db).first(where: { $0.period == p })?.snapshot
        else {
            throw Abort(.notFound, reason: "Det er ikke publisert noen rapport for «\(raw)».")
        }
        return ReportDTO(snapshot)
    }

    func indicators(req: Request) async throws -> IndicatorListDTO {
        let d = try await req.datasetWithHeadlines()
        let assessed = try await req.publishedAssessments()
        return IndicatorListDTO(
            indicators: d.series(of: d.indicators).map {
                IndicatorSummaryDTO(
                    IndicatorSummary(
                        series: $0, today: req.today, strategyEnd: d.strategy.periodEnd,
                        assessed: assessed[$0.indicator.id]))
            })
    }

    func indicator(req: Request) async throws -> IndicatorDTO {
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset(withMeasurementsOf: { d in d.indicator(id).map { [$0] } ?? [] })
        let ind = try d.requireIndicator(id)
        return IndicatorDTO(
            IndicatorSummary(
                series: d.series(of: ind), today: req.today, strategyEnd: d.strategy.periodEnd,
                assessed: try await req.publishedAssessments()[ind.id]))
    }

    /// One indicator's values with their versions.
    func measurements(req: Request) async throws -> MeasurementListDTO {
        let ind = try await req.dataset().requireIndicator(req.parameters.get("id") ?? "")
        return MeasurementListDTO(
            indicator: ind.id,
            measurements: try await IndicatorStore.versionedMeasurements(of: ind.id, on: req.db)
                .map { VersionedMeasurementDTO($0.measurement, version: $0.version) })
    }

    /// `POST /api/v1/indicators/{id}/measurements`: adds one value (no `version`) or changes the one with the same
    /// period
    /// and breakdown (its `version`). The fields of measurements.csv; errors name the fields the same way.
    func saveMeasurement(req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        guard Access.canWriteStructure(principal) else {
            throw Abort(.forbidden, reason: "Bare redaktører kan endre verdiene til en indikator.")
        }
        let ind = try await req.dataset().requireIndicator(req.parameters.get("id") ?? "")
        guard let data = req.body.data,
            let object = try? JSONSerialization.jsonObject(with: Data(buffer: data)) as? [String: Any]
        else {
            throw Abort(.badRequest, reason: "Ugyldig JSON: forventet {\"period\": …, \"value\": …}.")
        }
        let names = Dictionary(uniqueKeysWithValues: MeasurementInput.fields.map { ($0.csvName, $0.name) })
        var errors: [String: String] = [:]
        var input: [String: String] = [:]
        for (key, raw) in object where key != "version" && key != "reason" {
            guard let field = names[key] else {
                errors[String(key.prefix(64))] =
                    """
                    Ukjent felt; gyldige felt er \
                    \((names.keys.sorted() + ["reason", "version"]).joined(separator: ", ")).
                    """
                continue
            }
            switch raw {
            case let s as String: input[field] = s
            // true/false are not numbers, whatever the JSON decoder bridges them to.
            case let n as NSNumber where !String(describing: type(of: raw)).lowercased().contains("bool"):
                // Written out in full, so the same checks as for text apply (an exponent would read as "not a number").
                input[field] =
                    n.doubleValue.isFinite && abs(n.doubleValue) < NumberText.maximum
                    ? NumberText.plain(n.doubleValue)
                    : String(format: "%.0f", n.doubleValue)
            default: errors[key] = "Må være tekst\(key == "value" ? " eller et tall" : "")."
            }
        }
        let version: Int64?
        switch object["version"] {
        case nil, is NSNull: version = nil
        case let n as NSNumber: version = n.int64Value
        default:
            version = nil
            errors["version"] = "Må være et heltall."
        }
        let reason = (object["reason"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ReasonPolicy.problem(reason) { errors["reason"] = problem }
        let result = MeasurementInput.read(input, indicator: ind)
        if case .failure(let e) = result {
            let csvName = Dictionary(uniqueKeysWithValues: MeasurementInput.fields.map { ($0.name, $0.csvName) })
            for (field, message) in e.messages { errors[csvName[field] ?? field] = message }
        }
        let response = Response()
        guard errors.isEmpty, case .success(let m) = result else {
            response.status = .unprocessableEntity
            try response.content.encode(
                ValidationErrorDTO(status: 422, message: "Verdien ble ikke lagret; se feltene.", errors: errors))
            return response
        }
        switch try await IndicatorStore.saveMeasurement(
            m, expectedVersion: version, author: Author(principal, source: .api), reason: reason,
            on: req.db)
        {
        case .saved(let newVersion):
            response.status = version == nil ? .created : .ok
            try response.content.encode(VersionedMeasurementDTO(m, version: newVersion))
        case .conflict(let current, let currentVersion):
            response.status = .conflict
            try response.content.encode(
                MeasurementConflictDTO(
                    status: 409,
                    message: version == nil
                        ? """
                        Det finnes allerede en verdi for denne perioden og inndelingen; send versjonen for å \
                        endre den.
                        """
                        : "Noen andre har endret verdien. Ingenting er endret.",
                    current: VersionedMeasurementDTO(current, version: currentVersion)))
        case .notFound, .refused:
            throw Abort(.notFound, reason: "Verdien finnes ikke lenger; send uten versjon for å legge den til på nytt.")
        }
        return response
    }

    /// `DELETE /api/v1/indicators/{id}/measurements?period=…&dimension=…&member=…` with the value's version.
    func removeMeasurement(req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        guard Access.canWriteStructure(principal) else {
            throw Abort(.forbidden, reason: "Bare redaktører kan endre verdiene til en indikator.")
        }
        let ind = try await req.dataset().requireIndicator(req.parameters.get("id") ?? "")
        let q = req.queryDictionary
        guard let raw = q["period"], let period = try? Period.parse(raw) else {
            throw Abort(
                .badRequest, reason: "Oppgi perioden: ?period=2025 (og dimension og member for en inndelt verdi).")
        }
        guard let version = (q["version"] ?? Self.ifMatch(req)).flatMap(Int64.init) else {
            throw Abort(.preconditionRequired, reason: "Oppgi versjonen du sist leste: ?version=… eller If-Match.")
        }
        let key = MeasurementKey(period: period, dimension: q["dimension"] ?? "", member: q["member"] ?? "")
        let response = Response()
        switch try await IndicatorStore.removeMeasurement(
            key, of: ind.id, expectedVersion: version, author: Author(principal, source: .api),
            reason: "", on: req.db)
        {
        case .saved:
            response.status = .noContent
        case .conflict(let current, let currentVersion):
            response.status = .conflict
            try response.content.encode(
                MeasurementConflictDTO(
                    status: 409, message: "Noen andre har endret verdien. Ingenting er fjernet.",
                    current: VersionedMeasurementDTO(current, version: currentVersion)))
        case .notFound, .refused:
            throw Abort(.notFound, reason: "Fant ingen verdi for \(key.text).")
        }
        return response
    }

    func initiatives(req: Request) async throws -> InitiativeListDTO {
        let d = try await req.dataset()
        let prioritized: Bool
        switch req.queryDictionary["prioritized"]?.lowercased() {
        case nil, "", "false", "0": prioritized = false
        case "true", "1": prioritized = true
        default: throw Abort(.badRequest, reason: "«prioritized» må være true eller false.")
        }
        return InitiativeListDTO(
            initiatives: (prioritized ? d.prioritized : d.initiatives).map(InitiativeSummaryDTO.init))
    }

    func initiative(req: Request) async throws -> InitiativeDTO {
        let d = try await req.dataset()
        return InitiativeDTO(try d.requireInitiative(req.parameters.get("slug") ?? ""), dataset: d)
    }

    func actors(req: Request) async throws -> ActorListDTO {
        ActorListDTO(actors: try await req.dataset().actors.map(ActorSummaryDTO.init))
    }

    func actor(req: Request) async throws -> ActorDTO {
        let d = try await req.dataset()
        return ActorDTO(try d.requireActor(req.parameters.get("slug") ?? ""), dataset: d)
    }

    func roadmap(req: Request) async throws -> RoadmapDTO {
        let d = try await req.dataset()
        let filter = try req.roadmapFilter(d)
        let r = Roadmap(dataset: d, filter: filter)
        let rows = r.sections.flatMap { $0.initiatives.flatMap(\.rows) }
        return RoadmapDTO(
            filter: Dictionary(filter.queryItems, uniquingKeysWith: { a, _ in a }),
            activities: rows.flatMap(\.activities).map { ActivityDTO($0, dataset: d) },
            milestones: rows.flatMap(\.milestones).map(MilestoneDTO.init))
    }

    func activity(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        guard let stored = try await RoadmapWrites.record(Activity.self, id: id, on: req.db) else {
            throw Abort(.notFound, reason: "Aktiviteten «\(id)» finnes ikke.")
        }
        let d = try await req.dataset()
        let r = Response(status: .ok)
        try r.content.encode(
            ActivityRecordDTO(activity: ActivityDTO(stored.record, dataset: d), version: stored.version))
        r.headers.replaceOrAdd(name: .eTag, value: "\"\(stored.version)\"")
        return r
    }

    /// Partial update with optimistic concurrency: `version` must be the one the client last read.
    func patchActivity(req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(Activity.self, id: id, on: req.db) else {
            throw Abort(.notFound, reason: "Aktiviteten «\(id)» finnes ikke.")
        }
        guard Access.canWrite(stored.record, principal, in: d) else {
            throw Abort(
                .forbidden,
                reason:
                    """
                    Du har ikke tilgang til å endre aktiviteter for \
                    \(d.actor(stored.record.actorSlug)?.name ?? stored.record.actorSlug).
                    """
            )
        }
        // A field this endpoint never changes (the actor, the initiative) or does not know is refused, never ignored:
        // a client must not believe it moved an activity when nothing moved.
        let unchangeable = Self.refusedFields(
            req, allowed: ["version", "phase", "start", "end", "tentative", "description", "reason"],
            readOnly: ["id", "initiative", "actor", "actorName", "phaseName"],
            elsewhere: ["baseline", "delay", "delayKind", "delayCause", "delayNote"],
            elsewherePath: "PATCH /api/v1/records/activities/\(id)")
        if !unchangeable.isEmpty { return try Self.refuse(unchangeable) }
        let patch: ActivityPatchDTO
        do { patch = try req.content.decode(ActivityPatchDTO.self) } catch {
            throw Abort(
                .badRequest, reason: "Ugyldig JSON: forventet et objekt med «version» og feltene som skal endres.")
        }
        // The same validation as the form: the stored values with the patch laid over them.
        var input = stored.record.formValues()
        if let v = patch.phase { input["phase"] = v }
        if let v = patch.start { input["start"] = v }
        if let v = patch.end { input["end"] = v }
        // A done activity stays done unless the client asks for tentative.
        if let v = patch.tentative { input["planning"] = v ? "tentativ" : (stored.record.done ? "ferdig" : "planlagt") }
        if let v = patch.description { input["description"] = v }
        let reason = (patch.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let response = Response()
        var errors = FieldErrors()
        if let problem = ReasonPolicy.problem(reason) { errors.messages["reason"] = problem }
        let result = stored.record.applying(input, in: d)
        if case .failure(let e) = result { errors.messages.merge(e.messages) { a, _ in a } }
        if !errors.isEmpty {
            response.status = .unprocessableEntity
            let fields = Dictionary(
                uniqueKeysWithValues: errors.messages.map { ($0.key == "planning" ? "tentative" : $0.key, $0.value) })
            try response.content.encode(
                ValidationErrorDTO(status: 422, message: "Endringen ble ikke lagret; se feltene.", errors: fields))
        } else if case .success(let edited) = result {
            switch try await RoadmapWrites.update(
                Activity.self, edited, expectedVersion: patch.version, author: Author(principal, source: .api),
                reason: reason, on: req.db)
            {
            case .saved(let version):
                try response.content.encode(
                    ActivityRecordDTO(activity: ActivityDTO(edited, dataset: d), version: version))
                response.headers.replaceOrAdd(name: .eTag, value: "\"\(version)\"")
            case .conflict(let current, let version):
                response.status = .conflict
                try response.content.encode(
                    ConflictDTO(
                        status: 409, message: "Noen andre har lagret en nyere versjon. Ingenting er endret.",
                        current: ActivityRecordDTO(activity: ActivityDTO(current, dataset: d), version: version)))
            case .notFound:
                throw Abort(.notFound, reason: "Aktiviteten finnes ikke lenger.")
            case .refused(let reasons):
                response.status = .conflict
                try response.content.encode(
                    RecordRefusedDTO(status: 409, message: "Endringen ble ikke lagret.", reasons: reasons))
            }
        }
        return response
    }

    /// The top-level keys of a JSON object body that the endpoint does not change, each with the reason in Norwegian.
    static func refusedFields(
        _ req: Request, allowed: Set<String>, readOnly: Set<String>, elsewhere: Set<String>,
        elsewherePath: String
    ) -> [String: String] {
        guard let data = req.body.data,
            let object = try? JSONSerialization.jsonObject(with: Data(buffer: data)) as? [String: Any]
        else {
            return [:]  // not an object: the decoder's own error follows
        }
        var refused: [String: String] = [:]
        for key in object.keys where !allowed.contains(key) {
            let shown = String(key.prefix(64))
            if readOnly.contains(key) {
                refused[shown] = "Feltet kan ikke endres gjennom API-et."
            } else if elsewhere.contains(key) {
                refused[shown] = "Feltet endres med \(elsewherePath)."
            } else {
                refused[shown] = "Ukjent felt; gyldige felt er \(allowed.sorted().joined(separator: ", "))."
            }
        }
        return refused
    }

    static func refuse(_ fields: [String: String]) throws -> Response {
        let response = Response(status: .unprocessableEntity)
        try response.content.encode(
            ValidationErrorDTO(
                status: 422, message: "Endringen ble ikke lagret: felt som ikke kan endres her; se feltene.",
                errors: fields))
        return response
    }

    func kind(_ req: Request) throws -> RecordKind {
        let name = req.parameters.get("kind") ?? ""
        guard let kind = RecordKind.allCases.first(where: { $0.apiName == name }) else {
            throw Abort(
                .notFound,
                reason: "Ukjent posttype «\(name)»; bruk \(RecordKind.allCases.map(\.apiName).joined(separator: ", "))."
            )
        }
        return kind
    }

    func record<R: CreatableRecord>(_ type: R.Type, _ req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
            throw try await Self.missing(R.kind, id, req)
        }
        let r = Response(status: .ok)
        try r.content.encode(
            RecordDTO(kind: R.kind.apiName, id: id, version: stored.version, values: stored.record.formValues()))
        r.headers.replaceOrAdd(name: .eTag, value: "\"\(stored.version)\"")
        return r
    }

    /// The form's path for every kind of record: fields left out keep their value.
    func patchRecord<R: CreatableRecord>(_ type: R.Type, _ req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        let kind = R.kind
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
            throw Abort(.notFound, reason: "Fant ingen \(kind.name) med id «\(id)».")
        }
        guard Access.canWrite(stored.record, principal, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å endre denne posten.")
        }
        let unchangeable = Self.refusedFields(
            req, allowed: ["version", "values", "reason"], readOnly: ["id", "kind"], elsewhere: [],
            elsewherePath: "")
        if !unchangeable.isEmpty { return try Self.refuse(unchangeable) }
        let patch: RecordPatchDTO
        do { patch = try req.content.decode(RecordPatchDTO.self) } catch {
            throw Abort(.badRequest, reason: "Ugyldig JSON: forventet {\"version\": …, \"values\": {…}}.")
        }
        let known = Set(R.formFields(in: d).map(\.name))
        var errors = FieldErrors()
        for key in patch.values.keys where !known.contains(key) {
            errors.messages[key] = "Ukjent felt; gyldige felt er \(known.sorted().joined(separator: ", "))."
        }
        let reason = (patch.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ReasonPolicy.problem(reason) { errors.messages["reason"] = problem }
        let result = stored.record.applying(stored.record.formValues().merging(patch.values) { _, new in new }, in: d)
        if case .failure(let e) = result { errors.messages.merge(e.messages) { a, _ in a } }
        let response = Response()
        if !errors.isEmpty {
            response.status = .unprocessableEntity
            try response.content.encode(
                ValidationErrorDTO(
                    status: 422, message: "Endringen ble ikke lagret; se feltene.", errors: errors.messages))
        } else if case .success(let edited) = result {
            switch try await RoadmapWrites.update(
                R.self, edited, expectedVersion: patch.version, author: Author(principal, source: .api), reason: reason,
                on: req.db)
            {
            case .saved(let version):
                try response.content.encode(
                    RecordDTO(kind: kind.apiName, id: id, version: version, values: edited.formValues()))
            case .conflict(let current, let version):
                response.status = .conflict
                try response.content.encode(
                    RecordConflictDTO(
                        status: 409, message: "Noen andre har lagret en nyere versjon. Ingenting er endret.",
                        current: RecordDTO(kind: kind.apiName, id: id, version: version, values: current.formValues())))
            case .notFound:
                throw Abort(.notFound, reason: "Posten finnes ikke lenger.")
            case .refused(let reasons):
                response.status = .conflict
                try response.content.encode(
                    RecordRefusedDTO(status: 409, message: "Endringen ble ikke lagret.", reasons: reasons))
            }
        }
        return response
    }

    /// 410 for a retired record (it can be reinstated), 404 for one that never existed.
    static func missing(_ kind: RecordKind, _ id: String, _ req: Request) async throws -> Abort {
        if try await RecordLifecycle.retiredIds(kind, on: req.db).contains(id) {
            return Abort(
                .gone,
                reason: "\(kind.definiteName.capitalizedFirst) «\(id)» er avviklet. "
                    + """
                    \(kind.pronoun.capitalizedFirst) kan gjeninnføres med POST \
                    /api/v1/records/\(kind.apiName)/\(id)/reinstate.
                    """
            )
        }
        return Abort(.notFound, reason: "Fant ingen \(kind.name) med id «\(id)».")
    }

    /// `POST /api/v1/records/{kind}`: the form's fields and checks, plus the id (given or derived) and the parents.
    func createRecord<R: CreatableRecord>(_ type: R.Type, _ req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        let kind = R.kind
        guard Access.canCreate(kind, principal) else {
            throw Abort(.forbidden, reason: "Rollen din kan ikke legge til \(kind.name).")
        }
        let unknownTop = Self.refusedFields(
            req, allowed: ["id", "values", "reason"], readOnly: ["kind", "version"], elsewhere: [],
            elsewherePath: "")
        if !unknownTop.isEmpty { return try Self.refuse(unknownTop) }
        let body: RecordCreateDTO
        do { body = try req.content.decode(RecordCreateDTO.self) } catch {
            throw Abort(.badRequest, reason: "Ugyldig JSON: forventet {\"id\": …, \"values\": {…}}; id kan utelates.")
        }
        let d = try await req.dataset()
        let fields = R.creationFields(in: d, actors: nil).map(\.name).filter { $0 != "id" }
        var errors = FieldErrors()
        for key in body.values.keys where !fields.contains(key) {
            errors.messages[key] = "Ukjent felt; gyldige felt er \(fields.sorted().joined(separator: ", "))."
        }
        let reason = (body.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ReasonPolicy.problem(reason) { errors.messages["reason"] = problem }
        var input = R.defaults(in: d).merging(body.values) { _, given in given }
        input["id"] = body.id ?? ""
        let result = R.creating(input, in: d, reserved: try await RecordLifecycle.retiredIds(kind, on: req.db))
        if case .failure(let e) = result { errors.messages.merge(e.messages) { a, _ in a } }
        if case .success(let record) = result, !Access.canWrite(record, principal, in: d) {
            throw Abort(.forbidden, reason: "Du kan bare legge til for aktører du rapporterer for.")
        }
        let response = Response()
        guard errors.isEmpty, case .success(let record) = result else {
            response.status = .unprocessableEntity
            try response.content.encode(
                ValidationErrorDTO(
                    status: 422, message: "Posten ble ikke opprettet; se feltene.", errors: errors.messages))
            return response
        }
        switch try await RecordLifecycle.create(
            R.self, record, author: Author(principal, source: .api), reason: reason, on: req.db)
        {
        case .saved(let version):
            response.status = .created
            response.headers.replaceOrAdd(
                name: .location,
                value: SiteURL.api("records/\(kind.apiName)/\(record.recordId)").path)
            response.headers.replaceOrAdd(name: .eTag, value: "\"\(version)\"")
            try response.content.encode(
                RecordDTO(kind: kind.apiName, id: record.recordId, version: version, values: record.formValues()))
        case .refused(let reasons):
            response.status = .conflict
            try response.content.encode(
                RecordRefusedDTO(status: 409, message: "Posten ble ikke opprettet.", reasons: reasons))
        case .conflict, .notFound:
            response.status = .conflict
            try response.content.encode(
                RecordRefusedDTO(
                    status: 409, message: "Posten ble ikke opprettet.",
                    reasons: ["Noen andre endret det samme samtidig. Prøv igjen."]))
        }
        return response
    }

    /// The version named by `If-Match` (quotes and a weak prefix taken off), as the ETag of a record carries it.
    static func ifMatch(_ req: Request) -> String? {
        req.headers.first(name: .ifMatch)?.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))
    }

    /// The version a retire or reinstate is based on: the body's `version`, `If-Match` or `?version=`.
    static func lifecycleVersion(_ req: Request) throws -> (version: Int64, reason: String) {
        if let data = req.body.data, data.readableBytes > 0 {
            guard let body = try? req.content.decode(RecordLifecycleDTO.self) else {
                throw Abort(.badRequest, reason: "Ugyldig JSON: forventet {\"version\": …, \"reason\": …}.")
            }
            return (body.version, (body.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let version = Self.ifMatch(req).flatMap(Int64.init) else {
            throw Abort(
                .preconditionRequired,
                reason: "Oppgi versjonen du sist leste: {\"version\": …} i kroppen eller If-Match.")
        }
        return (version, "")
    }

    /// `DELETE /api/v1/records/{kind}/{id}`: a soft retirement, refused while anything depends on the record.
    func retireRecord<R: CreatableRecord>(_ type: R.Type, _ req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        let kind = R.kind
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset()
        guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
            throw try await Self.missing(kind, id, req)
        }
        guard Access.canWrite(stored.record, principal, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å avvikle denne posten.")
        }
        let (expected, reason) = try Self.lifecycleVersion(req)
        if let refused = try Self.refusedReason(reason, "Posten ble ikke avviklet.") { return refused }
        let result = try await RecordLifecycle.retire(
            R.self, id: id, expectedVersion: expected, author: Author(principal, source: .api),
            reason: reason, on: req.db)
        if case .notFound = result { throw try await Self.missing(kind, id, req) }
        return try await Self.lifecycleResponse(
            result, kind: kind, id: id,
            refused: "Posten kan ikke avvikles mens andre poster viser til den."
        ) { response, version in
            try response.content.encode(RecordRetiredDTO(kind: kind.apiName, id: id, version: version, retired: true))
        }
    }

    static func refusedReason(_ reason: String, _ message: String) throws -> Response? {
        guard let problem = ReasonPolicy.problem(reason) else { return nil }
        let r = Response(status: .unprocessableEntity)
        try r.content.encode(ValidationErrorDTO(status: 422, message: message, errors: ["reason": problem]))
        return r
    }

    /// A retirement's or reinstatement's answer: `saved` fills the body; a refusal lists its reasons; a stale version
    /// carries what is stored now.
    static func lifecycleResponse<R: CreatableRecord>(
        _ result: SaveResult<R>, kind: RecordKind, id: String, refused: String,
        saved: (Response, Int64) async throws -> Void
    ) async throws -> Response {
        let response = Response()
        switch result {
        case .saved(let version):
            try await saved(response, version)
        case .refused(let reasons):
            response.status = .conflict
            try response.content.encode(RecordRefusedDTO(status: 409, message: refused, reasons: reasons))
        case .conflict(let current, let version):
            response.status = .conflict
            try response.content.encode(
                RecordConflictDTO(
                    status: 409, message: "Noen andre har lagret en nyere versjon. Ingenting er endret.",
                    current: RecordDTO(kind: kind.apiName, id: id, version: version, values: current.formValues())))
        case .notFound:
            throw Abort(.notFound, reason: "Fant ingen avviklet \(kind.name) med id «\(id)».")
        }
        return response
    }

    /// `POST /api/v1/records/{kind}/{id}/reinstate`: a retired record back, if what it hangs off still exists.
    func reinstateRecord<R: CreatableRecord>(_ type: R.Type, _ req: Request) async throws -> Response {
        let principal = try await APIAuth.principal(req)
        let kind = R.kind
        let id = req.parameters.get("id") ?? ""
        let d = try await req.dataset()
        guard let retired = try await RecordLifecycle.retired(R.self, on: req.db).first(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "Fant ingen avviklet \(kind.name) med id «\(id)».")
        }
        guard Access.canWrite(kind, owningActor: retired.owningActor, principal, in: d) else {
            throw Abort(.forbidden, reason: "Du har ikke tilgang til å gjeninnføre denne posten.")
        }
        let (expected, reason) = try Self.lifecycleVersion(req)
        if let refused = try Self.refusedReason(reason, "Posten ble ikke gjeninnført.") { return refused }
        let result = try await RecordLifecycle.reinstate(
            R.self, id: id, expectedVersion: expected, author: Author(principal, source: .api),
            reason: reason, on: req.db)
        return try await Self.lifecycleResponse(
            result, kind: kind, id: id, refused: "Posten kan ikke gjeninnføres ennå."
        ) { response, version in
            guard let stored = try await RoadmapWrites.record(R.self, id: id, on: req.db) else {
                throw Abort(.notFound)
            }
            try response.content.encode(
                RecordDTO(kind: kind.apiName, id: id, version: version, values: stored.record.formValues()))
        }
    }

    func search(req: Request) async throws -> SearchDTO {
        let q = try req.searchQuery()
        guard !q.isEmpty else { throw Abort(.badRequest, reason: "Parameteren «q» mangler.") }
        let terms = SearchText.queryTerms(q)
        let hits = try await req.search(q)
        return SearchDTO(
            query: q,
            results: hits.map { hit in
                SearchResultDTO(
                    type: hit.kind.rawValue, id: hit.id, title: hit.title,
                    url: hit.link,
                    snippet: SearchText.highlight(hit.body, terms: terms).map {
                        $0.isMatch ? "<mark>\(xmlEscape($0.text))</mark>" : xmlEscape($0.text)
                    }.joined())
            })
    }

}
