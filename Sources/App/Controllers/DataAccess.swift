import Domain
import Foundation
import Metrics
import NIOConcurrencyHelpers
import Persistence
import Routes
import Vapor

extension Request {
    /// The published structure at this request's data version (or later): everything but the measurements,
    /// from this instance's read model. A missing dataset is a service problem, not a client one.
    func dataset() async throws -> Dataset {
        do {
            let version = try await dataVersion()
            guard let d = try await application.readModel.dataset(atLeast: version, on: db) else {
                throw Abort(
                    .serviceUnavailable, reason: "Veikart har ingen data ennå. Last inn data med «veikart import».")
            }
            return d
        } catch let error as any AbortError {
            throw error
        } catch {
            Telemetry.dbErrors.increment()
            throw error
        }
    }

    /// The structure with every indicator's headline values (no breakdowns): for summaries, lists and reports.
    func datasetWithHeadlines() async throws -> Dataset {
        try await dataset(withMeasurementsOf: \.indicators, headlineOnly: true)
    }

    /// The structure with the measurements of `indicators` filled in (only those: the rest stay in the database).
    /// With `headlineOnly`, without breakdowns, for summaries and lists.
    func dataset(withMeasurementsOf indicators: (Dataset) -> [Indicator], headlineOnly: Bool = false) async throws
        -> Dataset
    {
        var d = try await dataset()
        d.measurements = try await IndicatorStore.measurements(
            of: indicators(d).map(\.id), headlineOnly: headlineOnly, on: db)
        return d
    }

    func search(_ query: String, limit: Int = 50) async throws -> [SearchHit] {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { Telemetry.searchQuery.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)) }
        return try await SearchIndex.search(query, limit: limit, on: db)
    }

    /// Every indicator's latest published hand assessment (from the published reports' frozen snapshots).
    func publishedAssessments() async throws -> [String: PublishedAssessment] {
        PublishedAssessment.latestByIndicator(try await ReportStore.published(on: db).map(\.snapshot))
    }

    func roadmapFilter(_ d: Dataset) throws -> RoadmapFilter {
        do { return try RoadmapFilter.parse(queryDictionary, dataset: d) } catch {
            throw Abort(.badRequest, reason: "Ugyldig filter «\(error.parameter)»: \(error.message).")
        }
    }

    /// The data version this request reads at. A GET never writes, so it is read once (the page cache's check and the
    /// dataset share it); any other method reads it afresh on every call, as a handler may have written in between.
    func dataVersion() async throws -> Int64 {
        guard method == .GET else { return try await DatasetStore.version(on: db) }
        if let known = storage[DataVersionKey.self] { return known }
        // Shared with the other reading requests of the moment, never older than this request.
        let version = try await application.dataVersionReader.read(on: application.db)
        storage[DataVersionKey.self] = version
        return version
    }

    /// `?side=N` for paginated views: a whole number from 1 (a page past the end shows the last page).
    func pageNumber() throws -> Int {
        guard let raw = queryDictionary["side"], !raw.isEmpty else { return 1 }
        guard let n = Int(raw), (1...100_000).contains(n) else {
            throw Abort(.badRequest, reason: "«side» må være et helt tall fra 1.")
        }
        return n
    }

    /// The search query, validated: at most 200 characters.
    func searchQuery() throws -> String {
        let q = queryDictionary["q"] ?? ""
        guard q.count <= 200 else { throw Abort(.badRequest, reason: "Søket er for langt (høyst 200 tegn).") }
        return q.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Lookups by id from the URL, shared by pages and the API: the record, or a 404 in Norwegian.
extension Dataset {
    func requireGoal(_ id: String) throws -> Goal {
        guard let g = goal(id) else {
            throw Abort(.notFound, reason: "Mål «\(id)» finnes ikke. Strategien har mål 1–\(goals.count).")
        }
        return g
    }

    func requireSubgoal(_ id: String) throws -> Subgoal {
        guard let s = subgoal(id) else { throw Abort(.notFound, reason: "Delmål «\(id)» finnes ikke.") }
        return s
    }

    func requireInitiative(_ slug: String) throws -> Initiative {
        guard let i = initiative(slug) else { throw Abort(.notFound, reason: "Tiltaket «\(slug)» finnes ikke.") }
        return i
    }

    func requireActor(_ slug: String) throws -> Actor {
        guard let a = actor(slug) else { throw Abort(.notFound, reason: "Aktøren «\(slug)» finnes ikke.") }
        return a
    }

    func requireIndicator(_ id: String) throws -> Indicator {
        guard let i = indicator(id) else { throw Abort(.notFound, reason: "Indikatoren «\(id)» finnes ikke.") }
        return i
    }
}

struct DataVersionKey: StorageKey { typealias Value = Int64 }

extension Response {
    static func html(_ body: String) -> Response {
        let r = Response(status: .ok, body: .init(string: body))
        r.headers.contentType = .html
        return r
    }

    static let csvType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])

    /// A download: the body with its type, saved under `filename`.
    static func attachment(_ body: Data, type: HTTPMediaType, filename: String) -> Response {
        let r = Response(status: .ok, body: .init(data: body))
        r.headers.contentType = type
        r.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return r
    }

    static func attachment(_ body: String, type: HTTPMediaType, filename: String) -> Response {
        attachment(Data(body.utf8), type: type, filename: filename)
    }

    static func svg(_ body: String, filename: String) -> Response {
        let r = Response(status: .ok, body: .init(string: body))
        r.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        r.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(filename)\"")
        // A standalone SVG needs no scripts or styles at all.
        r.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'")
        return r
    }
}

extension Request {
    /// A path parameter that may end in one of `extensions` (`/indikatorer/1.1.csv`): the name before it, and the
    /// extension if there was one.
    func parameter(_ name: String, extensions: [String]) -> (base: String, ext: String?) {
        let raw = parameters.get(name) ?? ""
        for ext in extensions where raw.hasSuffix("." + ext) { return (String(raw.dropLast(ext.count + 1)), ext) }
        return (raw, nil)
    }
}

/// The CSV a user sent with an import form: an uploaded file if there is one, else the pasted text.
/// `name` is what line numbers in error messages refer to.
enum UploadedCSV {
    static let pastedName = "innlimt tekst"

    static func read(file: File?, pasted: String?) throws(ImportFailure) -> (name: String, text: String, pasted: Bool) {
        if let f = file, f.data.readableBytes > 0 {
            let name = f.filename.isEmpty ? "fil" : f.filename
            // Decoding strictly: NIO's getString would quietly replace invalid bytes.
            guard let text = String(data: Data(f.data.readableBytesView), encoding: .utf8) else {
                throw ImportFailure(issues: [
                    ImportIssue(
                        file: name, line: nil,
                        message: "filen er ikke gyldig UTF-8; lagre den som UTF-8 (CSV UTF-8 i Excel)")
                ])
            }
            return (name, text, false)
        }
        let text = pasted ?? ""
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ImportFailure(issues: [
                ImportIssue(file: pastedName, line: nil, message: "velg en fil eller lim inn innholdet")
            ])
        }
        return (pastedName, text, true)
    }
}
