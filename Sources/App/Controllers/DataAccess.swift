import Domain
import Foundation
import Metrics
import Persistence
import Vapor

extension Request {
    /// The published dataset. A missing dataset is a service problem, not a client one.
    func dataset() async throws -> Dataset {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { Telemetry.datasetLoad.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)) }
        do {
            guard let d = try await DatasetStore.load(on: db) else {
                throw Abort(.serviceUnavailable, reason: "Veikart har ingen data ennå. Last inn data med «veikart import».")
            }
            return d
        } catch let error as any AbortError {
            throw error
        } catch {
            Telemetry.dbErrors.increment()
            throw error
        }
    }

    func search(_ query: String, limit: Int = 50) async throws -> [SearchHit] {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { Telemetry.searchQuery.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)) }
        return try await SearchIndex.search(query, limit: limit, on: db)
    }

    /// All query parameters as plain strings (last value wins).
    var queryDictionary: [String: String] {
        var result: [String: String] = [:]
        for item in URLComponents(string: url.string)?.queryItems ?? [] { result[item.name] = item.value ?? "" }
        return result
    }

    func roadmapFilter(_ d: Dataset) throws -> RoadmapFilter {
        do { return try RoadmapFilter.parse(queryDictionary, dataset: d) } catch {
            throw Abort(.badRequest, reason: "Ugyldig filter «\(error.parameter)»: \(error.message).")
        }
    }

    /// The search query, validated: at most 200 characters.
    func searchQuery() throws -> String {
        let q = (try? query.get(String.self, at: "q")) ?? ""
        guard q.count <= 200 else { throw Abort(.badRequest, reason: "Søket er for langt (høyst 200 tegn).") }
        return q.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Response {
    static func html(_ body: String) -> Response {
        let r = Response(status: .ok, body: .init(string: body))
        r.headers.contentType = .html
        return r
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
