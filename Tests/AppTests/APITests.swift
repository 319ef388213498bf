import Foundation
import XCTVapor
import XCTest

@testable import App

final class APITests: XCTestCase {
    func json(_ res: XCTHTTPResponse) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])
    }

    func testStrategy() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/api/v1/strategy") { res async throws in
                XCTAssertEqual(res.status, .ok)
                let body = try self.json(res)
                XCTAssertEqual(
                    body["vision"] as? String,
                    "Sammen om helhetlige, trygge og nyskapende tjenester som fremmer helse og mestring")
                XCTAssertEqual((body["overarchingGoals"] as? [Any])?.count, 3)
                let goals = try XCTUnwrap(body["goals"] as? [[String: Any]])
                XCTAssertEqual(goals.map { $0["id"] as? String }, ["1", "2", "3", "4", "5"])
                let subgoals = goals.flatMap { ($0["subgoals"] as? [[String: Any]]) ?? [] }
                XCTAssertTrue(
                    subgoals.contains { $0["id"] as? String == "1.A" && $0["status"] as? String == "adopted" })
                XCTAssertTrue(subgoals.contains { $0["status"] as? String == "candidate" })
            }
        }
    }

    func testInitiativesAndPrioritisedOrder() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/api/v1/initiatives?prioritized=true") { res async throws in
                let list = try XCTUnwrap(try self.json(res)["initiatives"] as? [[String: Any]])
                XCTAssertEqual(
                    list.map { $0["slug"] as? String },
                    [
                        "pll", "pasientens-journaldokumenter", "pasientens-provesvar", "kritisk-informasjon",
                        "pasientens-maledata",
                    ])
                XCTAssertEqual(list.map { $0["priorityRank"] as? Int }, [1, 2, 3, 4, 5])
                XCTAssertEqual(list[0]["subgoalIds"] as? [String], ["2.B", "1.A"])
            }
            try await app.test(.GET, "/api/v1/initiatives") { res async throws in
                let list = try XCTUnwrap(try self.json(res)["initiatives"] as? [[String: Any]])
                XCTAssertGreaterThan(list.count, 40)
                XCTAssertTrue(list.contains { $0["priorityRank"] is NSNull })
            }
            try await app.test(.GET, "/api/v1/initiatives/pasientens-provesvar") { res async throws in
                let body = try self.json(res)
                let activities = try XCTUnwrap(body["activities"] as? [[String: Any]])
                let trinn2 = try XCTUnwrap(activities.first { $0["id"] as? String == "ps-nhn-trinn2" })
                XCTAssertEqual(trinn2["actor"] as? String, "nhn")
                XCTAssertEqual(trinn2["phase"] as? String, "utvikling")
                XCTAssertEqual(trinn2["start"] as? String, "2024-06")
                XCTAssertEqual(trinn2["end"] as? String, "2025-Q1")
                XCTAssertEqual(trinn2["tentative"] as? Bool, false)
                let milestones = try XCTUnwrap(body["milestones"] as? [[String: Any]])
                XCTAssertTrue(
                    milestones.contains {
                        $0["kind"] as? String == "tilgjengelig" && $0["date"] as? String == "2025-Q1"
                    })
            }
        }
    }

    func testSearchRanksAndFindsBothSpellings() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/api/v1/search?q=legemiddel") { res async throws in
                let results = try XCTUnwrap(try self.json(res)["results"] as? [[String: Any]])
                let top = results.prefix(5).map { "\($0["type"]!)/\($0["id"]!)" }
                XCTAssertTrue(top.contains("initiative/pll"), "\(top)")
                XCTAssertTrue(results.allSatisfy { ($0["url"] as? String)?.hasPrefix("/") == true })
            }
            for q in ["s%C3%B8r-%C3%B8st", "S%C3%B8r-%C3%98st"] {
                try await app.test(.GET, "/api/v1/search?q=\(q)") { res async throws in
                    let results = try XCTUnwrap(try self.json(res)["results"] as? [[String: Any]])
                    XCTAssertEqual(
                        results.first.map { "\($0["type"]!)/\($0["id"]!)" }, "actor/helse-sor-ost",
                        "a title match ranks first")
                }
            }
            try await app.test(.GET, "/api/v1/search?q=pr%C3%B8vesvar") { res async throws in
                let results = try XCTUnwrap(try self.json(res)["results"] as? [[String: Any]])
                XCTAssertTrue(results.contains { $0["id"] as? String == "pasientens-provesvar" })
                XCTAssertTrue(
                    (results.first?["snippet"] as? String ?? "").contains("<mark>")
                        || (results.first?["title"] as? String ?? "").lowercased().contains("prøvesvar"))
            }
        }
    }

    func testErrorsAreJSONWithTheRightStatus() async throws {
        try await TestApp.run { app in
            for (path, status) in [
                ("/api/v1/initiatives/finnes-ikke", HTTPStatus.notFound), ("/api/v1/subgoals/9.Z", .notFound),
                ("/api/v1/actors/x", .notFound),
                ("/api/v1/finnes-ikke", .notFound), ("/api/v1/initiatives?prioritized=kanskje", .badRequest),
                ("/api/v1/search", .badRequest), ("/api/v1/roadmap?fase=x", .badRequest),
            ] {
                try await app.test(.GET, path) { res async throws in
                    XCTAssertEqual(res.status, status, path)
                    XCTAssertEqual(res.headers.contentType?.subType, "json", path)
                    let body = try self.json(res)
                    XCTAssertEqual(body["status"] as? Int, Int(status.code))
                    XCTAssertFalse((body["message"] as? String ?? "").isEmpty)
                }
            }
            // A percent-encoded id is decoded once: the message names the id the client sent.
            try await app.test(.GET, "/api/v1/records/milestones/100%25") { res async throws in
                XCTAssertEqual(res.status, .notFound)
                XCTAssertTrue(
                    (try self.json(res)["message"] as? String ?? "").contains("«100%»"), res.body.string)
            }
        }
    }

    static let seedRecords = [
        "1.A": "2.B", "eksempel-tiltak": "pll", "eksempel-aktor": "helse-vest", "journal": "legemiddel",
        "eksempel-aktivitet": "pll-hv-innforing", "eksempel-milepael": "ps-minimum",
        "eksempel-indikator": "epj-effektivt", "eksempel-runde": "ehelseradet-2022-09-21",
        "eksempel-rad": "fagradet", "eksempel-mote": "ehr-2022-09-21",
        "2026-Q4": "2024-Q1",
    ]

    /// Every documented path answers as documented, and every API route is documented.
    func testImplementationMatchesOpenAPIDocument() async throws {
        try await TestApp.run { app in
            var document: [String: Any] = [:]
            try await app.test(.GET, "/api/openapi.json") { res async throws in
                XCTAssertEqual(res.status, .ok)
                document = try self.json(res)
            }
            XCTAssertEqual(document["openapi"] as? String, "3.0.3")
            let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
            let validator = SchemaValidator(document: document)
            for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
                // Write-only paths (creating a record) are checked against the document by the tests that write.
                guard let get = operations["get"] as? [String: Any] else {
                    XCTAssertNotNil(operations["post"], "\(path) documents neither GET nor POST")
                    continue
                }
                // A read that needs a token (a reporter's draft) refuses anonymous callers; the write tests read it
                // signed in.
                if let security = get["security"] as? [Any], !security.isEmpty {
                    let anyPath = path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "x", options: .regularExpression)
                    try await app.test(.GET, anyPath) { res async throws in
                        XCTAssertEqual(res.status, .unauthorized, path)
                    }
                    continue
                }
                let parameters = (get["parameters"] as? [[String: Any]]) ?? []
                var concrete = path
                var query: [String] = []
                for p in parameters where p["required"] as? Bool == true {
                    let placeholder = try XCTUnwrap(
                        p["example"] as? String, "\(path): required parameter \(p["name"]!) needs an example")
                    // The document's examples name no dataset's records; the seed's stand in for them.
                    let example = Self.seedRecords[placeholder] ?? placeholder
                    if p["in"] as? String == "path" {
                        concrete = concrete.replacingOccurrences(of: "{\(p["name"]!)}", with: example)
                    } else {
                        query.append("\(p["name"]!)=\(example)")
                    }
                }
                let url = concrete + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
                let responses = try XCTUnwrap(get["responses"] as? [String: Any])
                let schema = try XCTUnwrap(
                    ((((responses["200"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                        as? [String: Any])?["schema"]), path)
                try await app.test(.GET, url) { res async throws in
                    XCTAssertEqual(res.status, .ok, url)
                    let value = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView))
                    let problems = validator.validate(value, against: schema, at: url)
                    XCTAssertTrue(problems.isEmpty, problems.prefix(10).joined(separator: "\n"))
                }
                if responses["404"] != nil, concrete != path {
                    try await app.test(
                        .GET,
                        path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "finnes-ikke", options: .regularExpression)
                    ) { res async throws in
                        XCTAssertEqual(res.status, .notFound)
                        XCTAssertTrue(
                            validator.validate(
                                try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)),
                                against: ["$ref": "#/components/schemas/Error"], at: path
                            ).isEmpty)
                    }
                }
            }
            let routes = Set(
                app.routes.all.map {
                    "/"
                        + $0.path.map { component -> String in
                            if case .parameter(let name) = component { return "{\(name)}" }
                            return component.description
                        }.joined(separator: "/")
                }.filter { $0.hasPrefix("/api/v1/") && !$0.contains("**") })
            XCTAssertEqual(
                routes.map { $0.replacingOccurrences(of: "{id}", with: "{id}") }.sorted(), Set(paths.keys).sorted(),
                "undocumented or missing API routes")
        }
    }

    func testRoadmapEndpointFilters() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/api/v1/roadmap?aktor=nhn&fase=utvikling") { res async throws in
                let body = try self.json(res)
                let activities = try XCTUnwrap(body["activities"] as? [[String: Any]])
                XCTAssertFalse(activities.isEmpty)
                XCTAssertTrue(
                    activities.allSatisfy { $0["actor"] as? String == "nhn" && $0["phase"] as? String == "utvikling" })
                XCTAssertEqual(body["filter"] as? [String: String], ["aktor": "nhn", "fase": "utvikling"])
            }
        }
    }
}

/// Validates JSON against the subset of OpenAPI 3.0 schema the document uses:
/// $ref, allOf, type, properties, required, items, enum, nullable, additionalProperties.
struct SchemaValidator {
    let document: [String: Any]

    func resolve(_ schema: Any) -> [String: Any] {
        guard let s = schema as? [String: Any] else { return [:] }
        if let ref = s["$ref"] as? String {
            let name = ref.replacingOccurrences(of: "#/components/schemas/", with: "")
            return resolve(((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] ?? [:])
        }
        return s
    }

    func validate(_ value: Any, against schema: Any, at path: String) -> [String] {
        let s = resolve(schema)
        if value is NSNull { return s["nullable"] as? Bool == true ? [] : ["\(path): null is not allowed"] }
        var problems: [String] = []
        for part in (s["allOf"] as? [Any]) ?? [] { problems += validate(value, against: part, at: path) }
        switch s["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { return ["\(path): expected object"] }
            for key in (s["required"] as? [String]) ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            let properties = (s["properties"] as? [String: Any]) ?? [:]
            for (key, child) in object {
                if let p = properties[key] {
                    problems += validate(child, against: p, at: "\(path).\(key)")
                } else if let extra = s["additionalProperties"] {
                    problems += validate(child, against: extra, at: "\(path).\(key)")
                } else {
                    problems.append("\(path): undocumented property \(key)")
                }
            }
        case "array":
            guard let array = value as? [Any] else { return ["\(path): expected array"] }
            for (i, item) in array.enumerated() {
                problems += validate(item, against: s["items"] ?? [:], at: "\(path)[\(i)]")
            }
        case "string":
            guard let string = value as? String else { return ["\(path): expected string"] }
            if let allowed = s["enum"] as? [String], !allowed.contains(string) {
                problems.append("\(path): \(string) not in enum")
            }
        case "integer":
            guard let number = value as? NSNumber, number.doubleValue.rounded() == number.doubleValue else {
                return ["\(path): expected integer"]
            }
        case "boolean":
            guard value is Bool else { return ["\(path): expected boolean"] }
        case "number":
            guard let number = value as? NSNumber, number.doubleValue.isFinite else {
                return ["\(path): expected number"]
            }
        default:
            break
        }
        return problems
    }
}
