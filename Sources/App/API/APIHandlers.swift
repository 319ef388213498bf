import APIContract
import Charts
import Domain
import Foundation
import Persistence
import Routes
import Vapor
import Views

/// `/api/v1`: the operations of Resources/openapi.json, whose types and protocol are generated into APIContract
/// (scripts/generate-api). Each handler reads its typed input, calls the same queries and domain rules as the pages,
/// and returns the document's response; errors it throws are rendered by `ErrorRenderingMiddleware` as `{status,
/// message}`. The Vapor request (database, principal, dataset) is `APIRequest.current`.
struct APIHandlers: APIProtocol {
    /// The document itself, and JSON for paths the document does not have.
    static func registerDocumentRoutes(_ routes: any RoutesBuilder) {
        routes.get(.openAPI) { _ -> Response in
            let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")!
            let r = Response(status: .ok, body: .init(data: try Data(contentsOf: url)))
            r.headers.contentType = .json
            return r
        }
        routes.get(.api("**")) { _ -> Response in throw Abort(.notFound, reason: "Ukjent API-sti.") }
    }

    var req: Request { get throws { try APIRequest.require() } }

    // MARK: Strategy, initiatives, actors, roadmap, search

    func getStrategy(_ input: Operations.GetStrategy.Input) async throws -> Operations.GetStrategy.Output {
        .ok(.init(body: .json(.init(try await req.dataset()))))
    }

    func getSubgoal(_ input: Operations.GetSubgoal.Input) async throws -> Operations.GetSubgoal.Output {
        let d = try await req.dataset()
        return .ok(.init(body: .json(.init(try d.requireSubgoal(input.path.id), dataset: d))))
    }

    func listInitiatives(_ input: Operations.ListInitiatives.Input) async throws
        -> Operations.ListInitiatives.Output
    {
        let d = try await req.dataset()
        let prioritized: Bool
        switch try req.queryDictionary["prioritized"]?.lowercased() {
        case nil, "", "false", "0": prioritized = false
        case "true", "1": prioritized = true
        default: throw Abort(.badRequest, reason: "«prioritized» må være true eller false.")
        }
        let list = (prioritized ? d.prioritized : d.initiatives).map(Components.Schemas.InitiativeSummary.init)
        return .ok(.init(body: .json(.init(initiatives: list))))
    }

    func getInitiative(_ input: Operations.GetInitiative.Input) async throws -> Operations.GetInitiative.Output {
        let d = try await req.dataset()
        return .ok(.init(body: .json(.init(try d.requireInitiative(input.path.slug), dataset: d))))
    }

    func listActors(_ input: Operations.ListActors.Input) async throws -> Operations.ListActors.Output {
        let actors = try await req.dataset().actors.map(Components.Schemas.ActorSummary.init)
        return .ok(.init(body: .json(.init(actors: actors))))
    }

    func getActor(_ input: Operations.GetActor.Input) async throws -> Operations.GetActor.Output {
        let d = try await req.dataset()
        return .ok(.init(body: .json(.init(try d.requireActor(input.path.slug), dataset: d))))
    }

    func getRoadmap(_ input: Operations.GetRoadmap.Input) async throws -> Operations.GetRoadmap.Output {
        let req = try req
        let d = try await req.dataset()
        // The page's filter reader, so the API filters (and refuses) exactly as /veikart does.
        let filter = try req.roadmapFilter(d)
        let rows = Roadmap(dataset: d, filter: filter).sections.flatMap { $0.initiatives.flatMap(\.rows) }
        return .ok(
            .init(
                body: .json(
                    .init(
                        filter: .init(
                            additionalProperties: Dictionary(filter.queryItems, uniquingKeysWith: { a, _ in a })),
                        activities: rows.flatMap(\.activities).map { Components.Schemas.Activity($0, dataset: d) },
                        milestones: rows.flatMap(\.milestones).map(Components.Schemas.Milestone.init)))))
    }

    func search(_ input: Operations.Search.Input) async throws -> Operations.Search.Output {
        let req = try req
        let q = try req.searchQuery()
        guard !q.isEmpty else { throw Abort(.badRequest, reason: "Parameteren «q» mangler.") }
        let terms = SearchText.queryTerms(q)
        let results = try await req.search(q).map { hit in
            Operations.Search.Output.Ok.Body.JsonPayload.ResultsPayloadPayload(
                _type: .init(hit.kind), id: hit.id, title: hit.title, url: hit.link,
                snippet: SearchText.highlight(hit.body, terms: terms).map {
                    $0.isMatch ? "<mark>\(xmlEscape($0.text))</mark>" : xmlEscape($0.text)
                }.joined())
        }
        return .ok(.init(body: .json(.init(query: q, results: results))))
    }

    // MARK: Scoring, councils, reports, indicators

    func listScoringRounds(_ input: Operations.ListScoringRounds.Input) async throws
        -> Operations.ListScoringRounds.Output
    {
        let req = try req
        // Drafts are the editors' until published (`PrioritizationController.visibleRound`).
        let editor = Access.canWriteStructure(req.principal)
        let rounds = try await ScoringStore.all(on: req.db).filter { editor || !$0.isDraft }.map {
            Components.Schemas.ScoringRoundSummary(
                id: $0.id, title: $0.title, date: $0.date?.description, modelId: $0.model.id,
                modelVersion: $0.model.version, candidates: $0.candidates.count, url: SiteURL.scoringRound($0.id).path)
        }
        return .ok(.init(body: .json(.init(rounds: rounds))))
    }

    func getScoringRound(_ input: Operations.GetScoringRound.Input) async throws -> Operations.GetScoringRound.Output {
        .ok(.init(body: .json(.init(try await PrioritizationController.visibleRound(req, input.path.id).round))))
    }

    func listCouncils(_ input: Operations.ListCouncils.Input) async throws -> Operations.ListCouncils.Output {
        let req = try req
        let members = try await CouncilStore.members(on: req.db)
        let councils = try await CouncilStore.councils(on: req.db).map { c in
            Components.Schemas.Council(c, members: members.filter { $0.council == c.slug }, today: req.today)
        }
        return .ok(.init(body: .json(.init(councils: councils))))
    }

    /// A council's meetings, oldest first.
    func listCouncilMeetings(_ input: Operations.ListCouncilMeetings.Input) async throws
        -> Operations.ListCouncilMeetings.Output
    {
        let req = try req
        let slug = input.path.slug
        guard let (c, _) = try await CouncilStore.council(slug, on: req.db) else {
            throw Abort(.notFound, reason: "Rådet «\(slug)» finnes ikke.")
        }
        let meetings = try await CouncilStore.meetings(of: c.slug, on: req.db).map {
            Components.Schemas.MeetingSummary($0, council: c)
        }
        return .ok(.init(body: .json(.init(council: c.slug, meetings: meetings))))
    }

    /// A meeting with its agenda (once the notice is published) and decisions (once the minutes are).
    func getMeeting(_ input: Operations.GetMeeting.Input) async throws -> Operations.GetMeeting.Output {
        let req = try req
        let id = input.path.id
        guard let (m, _) = try await CouncilStore.meeting(id: id, on: req.db),
            let (c, _) = try await CouncilStore.council(m.council, on: req.db)
        else {
            throw Abort(.notFound, reason: "Møtet «\(id)» finnes ikke.")
        }
        let cases = try await CouncilStore.cases(of: m.id, on: req.db).map(\.item)
        let targets = try await CouncilStore.linkTargets(dataset: try await req.dataset(), on: req.db)
        let members = try await CouncilStore.members(of: c.slug, on: req.db)
        return .ok(.init(body: .json(.init(m, council: c, cases: cases, members: members, targets: targets))))
    }

    /// Published reports only (the latest revision of each period), newest first.
    func listReports(_ input: Operations.ListReports.Input) async throws -> Operations.ListReports.Output {
        let reports = try await ReportStore.published(on: req.db).map { r in
            Components.Schemas.ReportSummary(
                period: r.period.description, revision: r.revision, publishedAt: r.publishedAt,
                overall: .init(r.snapshot.overall), url: SiteURL.report(r.period.description).path)
        }
        return .ok(.init(body: .json(.init(reports: reports))))
    }

    func getReport(_ input: Operations.GetReport.Input) async throws -> Operations.GetReport.Output {
        let raw = input.path.period
        guard let p = ReportRules.parsePeriod(raw),
            let snapshot = try await ReportStore.published(on: req.db).first(where: { $0.period == p })?.snapshot
        else {
            throw Abort(.notFound, reason: "Det er ikke publisert noen rapport for «\(raw)».")
        }
        return .ok(.init(body: .json(.init(snapshot))))
    }

    func listIndicators(_ input: Operations.ListIndicators.Input) async throws -> Operations.ListIndicators.Output {
        let req = try req
        let d = try await req.datasetWithHeadlines()
        let assessed = try await req.publishedAssessments()
        let indicators = d.series(of: d.indicators).map {
            Components.Schemas.IndicatorSummary(
                IndicatorSummary(
                    series: $0, today: req.today, strategyEnd: d.strategy.periodEnd,
                    assessed: assessed[$0.indicator.id]))
        }
        return .ok(.init(body: .json(.init(indicators: indicators))))
    }

    func getIndicator(_ input: Operations.GetIndicator.Input) async throws -> Operations.GetIndicator.Output {
        let req = try req
        let id = input.path.id
        let d = try await req.dataset(withMeasurementsOf: { d in d.indicator(id).map { [$0] } ?? [] })
        let ind = try d.requireIndicator(id)
        let summary = IndicatorSummary(
            series: d.series(of: ind), today: req.today, strategyEnd: d.strategy.periodEnd,
            assessed: try await req.publishedAssessments()[ind.id])
        return .ok(.init(body: .json(.init(summary))))
    }

    /// One indicator's values with their versions.
    func getMeasurements(_ input: Operations.GetMeasurements.Input) async throws -> Operations.GetMeasurements.Output {
        let req = try req
        let ind = try await req.dataset().requireIndicator(input.path.id)
        let measurements = try await IndicatorStore.versionedMeasurements(of: ind.id, on: req.db).map {
            Components.Schemas.VersionedMeasurement($0.measurement, version: $0.version)
        }
        return .ok(.init(body: .json(.init(indicator: ind.id, measurements: measurements))))
    }
}

// MARK: Shared by the write operations

extension APIHandlers {
    /// The checks `APIBodyChecks` runs on a write's JSON object before it is decoded, by operation: a refusal is a
    /// 422 naming each field.
    typealias BodyCheck =
        @Sendable ([String: Any], [String: String], Request) async throws -> Components.Schemas.ValidationError?

    static let bodyChecks: [String: BodyCheck] = [
        Operations.PatchActivity.id: { object, path, _ in
            refusal(
                refusedFields(
                    object, allowed: ["version", "phase", "start", "end", "tentative", "description", "reason"],
                    readOnly: ["id", "initiative", "actor", "actorName", "phaseName"],
                    elsewhere: ["baseline", "delay", "delayKind", "delayCause", "delayNote"],
                    elsewherePath: "PATCH /api/v1/records/activities/\(path["id"] ?? "")"))
        },
        Operations.PatchRecord.id: { object, _, _ in
            refusal(
                refusedFields(
                    object, allowed: ["version", "values", "reason"], readOnly: ["id", "kind"], elsewhere: [],
                    elsewherePath: ""))
        },
        Operations.CreateRecord.id: { object, _, _ in
            refusal(
                refusedFields(
                    object, allowed: ["id", "values", "reason"], readOnly: ["kind", "version"], elsewhere: [],
                    elsewherePath: ""))
        },
        Operations.SaveMeasurement.id: { object, path, req in
            let indicator = try await req.dataset().requireIndicator(path["id"] ?? "")
            switch MeasurementJSON.read(object, indicator: indicator) {
            case .success(let write):
                // The handler saves what was read here (the generated body has no CSV semantics).
                req.storage[MeasurementJSON.Key.self] = write
                return nil
            case .failure(let errors):
                return invalid("Verdien ble ikke lagret; se feltene.", errors)
            }
        },
    ]

    /// The top-level keys of a JSON object body that the endpoint does not change, each with the reason in Norwegian.
    static func refusedFields(
        _ object: [String: Any], allowed: Set<String>, readOnly: Set<String>, elsewhere: Set<String>,
        elsewherePath: String
    ) -> [String: String] {
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

    static func refusal(_ fields: [String: String]) -> Components.Schemas.ValidationError? {
        fields.isEmpty ? nil : invalid("Endringen ble ikke lagret: felt som ikke kan endres her; se feltene.", fields)
    }

    static func invalid(_ message: String, _ errors: [String: String]) -> Components.Schemas.ValidationError {
        .init(status: 422, message: message, errors: .init(additionalProperties: errors))
    }

    static func invalid(_ message: String, _ errors: FieldErrors) -> Components.Schemas.ValidationError {
        invalid(message, errors.messages)
    }

    /// The reason a write gives, trimmed, and the field error if it breaks the policy.
    static func reason(_ given: String?, into errors: inout FieldErrors) -> String {
        let reason = (given ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ReasonPolicy.problem(reason) { errors.messages["reason"] = problem }
        return reason
    }

    /// A record's ETag: its version, quoted.
    static func eTag(_ version: Int64) -> String { "\"\(version)\"" }

    /// The version named by `If-Match` (quotes and a weak prefix taken off), as the ETag of a record carries it.
    static func ifMatch(_ value: String?) -> Int64? {
        guard let value else { return nil }
        return Int64(value.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/")))
    }
}
