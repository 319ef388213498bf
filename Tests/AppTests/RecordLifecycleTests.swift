import Domain
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

/// Creating, retiring and reinstating every kind of record, through the forms and the API: the rules (`Access`), the
/// checks, the refusals while other records depend on one, and that a retired record is gone from pages and search but
/// kept in the history.
final class RecordLifecycleTests: XCTestCase {
    let api = APIClient.self

    /// Problems of a response body against a schema of the OpenAPI document.
    func problems(_ app: Application, _ value: Any, _ schema: String) async throws -> [String] {
        var document: [String: Any] = [:]
        try await app.test(.GET, "/api/openapi.json") { res async throws in
            document = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any] ?? [:]
        }
        return SchemaValidator(document: document).validate(
            value, against: ["$ref": "#/components/schemas/\(schema)"], at: schema)
    }

    func testAnEditorCreatesEveryKindThroughTheAPIWithDerivedIds() async throws {
        try await TestApp.run { app in
            let token = try await api.token(for: "red-ny@example.no", .redaktor, app: app)
            let bodies: [(RecordKind, [String: String], String)] = [
                (.goal, ["title": "Et nytt mål"], "6"),
                (.subgoal, ["goal": "2", "title": "Et nytt delmål", "status": "adopted"], "2.G"),
                (
                    .actor,
                    ["name": "Nordre Helseforetak", "shortName": "Nordre HF", "type": "hf", "parent": "helse-vest"],
                    "nordre-hf"
                ),
                (
                    .initiative,
                    ["title": "Felles testtiltak", "shortTitle": "Testtiltak", "kind": "national", "subgoals": "2.A"],
                    "testtiltak"
                ),
                (
                    .activity,
                    [
                        "initiative": "pll", "actor": "helse-vest", "phase": "utvikling", "start": "2027",
                        "end": "2028",
                        "planning": "planlagt", "description": "Pilot i to foretak",
                    ], "pll-helse-vest-pilot-i-to-foretak"
                ),
                (
                    .milestone,
                    [
                        "initiative": "pll", "actor": "", "kind": "ferdigstilt", "date": "2029-Q2",
                        "planning": "tentativ",
                    ],
                    "pll-nasjonal-ferdigstilt-2029-q2"
                ),
                (
                    .indicator,
                    [
                        "name": "Andel testede løsninger", "goals": "2", "kind": "effekt", "unit": "prosent",
                        "direction": "hoyere-er-bedre",
                        "frequency": "arlig", "readiness": "kandidat",
                    ], "2."
                ),
            ]
            for (kind, values, expected) in bodies {
                let (status, json, _) = try await api.send(
                    app, .POST, "/api/v1/records/\(kind.apiName)", token: token, ["values": values])
                XCTAssertEqual(status, .created, "\(kind): \(json)")
                let schemaProblems = try await problems(app, json, "Record")
                XCTAssertEqual(schemaProblems, [])
                let id = json["id"] as? String ?? ""
                XCTAssertTrue(id.hasPrefix(expected), "\(kind): derived id \(id)")
                let (got, record, _) = try await api.send(
                    app, .GET, "/api/v1/records/\(kind.apiName)/\(id)", token: nil)
                XCTAssertEqual(got, .ok, "\(kind) readable after creation")
                XCTAssertEqual(record["version"] as? Int, json["version"] as? Int)
            }
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertEqual(d.goals.last?.id, "6")
            XCTAssertEqual(d.actors.last?.parentSlug, "helse-vest")
            XCTAssertEqual(d.initiatives.last?.subgoalIds, ["2.A"])
            XCTAssertEqual(d.activities.last?.description, "Pilot i to foretak")
            XCTAssertNil(d.milestones.last?.actorSlug)
            // The new records are on their pages and in search at once.
            let page = try await app.sendRequest(.GET, "/tiltak/testtiltak")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("Felles testtiltak"))
            let pll = try await app.sendRequest(.GET, "/tiltak/pll")
            XCTAssertTrue(pll.text.contains("Pilot i to foretak"), "the cached initiative page shows the new activity")
            let (_, found, _) = try await api.send(app, .GET, "/api/v1/search?q=Nordre", token: nil)
            XCTAssertTrue("\(found)".contains("nordre-hf"), "the new actor is found by search")
            // The audit trail records each creation.
            let trail = try await RoadmapWrites.history(entityType: "initiative", entityId: "testtiltak", on: app.db)
            XCTAssertEqual(trail.first?.action, "create")
        }
    }

    func testCreationIsCheckedLikeAnEditAndIdsAreNeverReused() async throws {
        try await TestApp.run { app in
            let token = try await api.token(for: "red-sjekk@example.no", .redaktor, app: app)
            let before = try await DatasetStore.version(on: app.db)
            // Every problem at once, with Norwegian messages, nothing written.
            var (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/activities", token: token,
                [
                    "id": "Ugyldig Id",
                    "values": [
                        "initiative": "finnes-ikke", "actor": "", "phase": "x",
                        "end": "2020-13", "planning": "planlagt", "farge": "rød",
                    ],
                ])
            XCTAssertEqual(status, .unprocessableEntity)
            let errors = json["errors"] as? [String: String] ?? [:]
            XCTAssertEqual(Set(errors.keys), ["id", "initiative", "actor", "phase", "end", "farge"], "\(errors)")
            XCTAssertTrue(errors["initiative"]?.contains("Velg tiltaket") == true)
            let unchanged = try await DatasetStore.version(on: app.db)
            XCTAssertEqual(unchanged, before)
            // A taken id is refused; so is the id of a retired record.
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/initiatives", token: token,
                ["id": "pll", "values": ["title": "Kopi", "kind": "national", "subgoals": "2.A"]])
            XCTAssertEqual(status, .unprocessableEntity)
            XCTAssertTrue((json["errors"] as? [String: String])?["id"]?.contains("allerede i bruk") == true)
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/goals", token: token, ["id": "9", "values": ["title": "Kortvarig"]])
            XCTAssertEqual(status, .created)
            (status, json, _) = try await api.send(
                app, .DELETE, "/api/v1/records/goals/9", token: token, ["version": json["version"] as? Int ?? 0])
            XCTAssertEqual(status, .ok, "\(json)")
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/goals", token: token, ["id": "9", "values": ["title": "Ny bruk"]])
            XCTAssertEqual(status, .unprocessableEntity)
            XCTAssertTrue((json["errors"] as? [String: String])?["id"]?.contains("avviklet") == true, "\(json)")
            // A derived id steps past the retired one.
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/actors", token: token,
                ["values": ["name": "Kortliv", "type": "hf"]])
            XCTAssertEqual(json["id"] as? String, "kortliv")
            (status, _, _) = try await api.send(
                app, .DELETE, "/api/v1/records/actors/kortliv", token: token, ["version": json["version"] as? Int ?? 0])
            XCTAssertEqual(status, .ok)
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/actors", token: token,
                ["values": ["name": "Kortliv", "type": "hf"]])
            XCTAssertEqual(json["id"] as? String, "kortliv-2")
        }
    }

    func testReportersCreateAndRetireOnlyTheirOwnActorsRoadmapItems() async throws {
        try await TestApp.run { app in
            let reporter = try await api.token(for: "rap-ny@example.no", .rapportor, actors: ["helse-vest"], app: app)
            var (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/activities", token: reporter,
                [
                    "values": [
                        "initiative": "pll", "actor": "helse-nord", "phase": "innforing", "end": "2027",
                        "planning": "planlagt",
                    ]
                ])
            XCTAssertEqual(status, .forbidden, "another actor's activity: \(json)")
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/initiatives", token: reporter,
                ["values": ["title": "Mitt tiltak", "kind": "actor", "subgoals": "2.A"]])
            XCTAssertEqual(status, .forbidden, "structure is the editors'")
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/activities", token: reporter,
                [
                    "values": [
                        "initiative": "pll", "actor": "helse-vest", "phase": "innforing", "end": "2027",
                        "planning": "planlagt", "description": "Egen innføring",
                    ]
                ])
            XCTAssertEqual(status, .created, "\(json)")
            let id = json["id"] as? String ?? ""
            let version = json["version"] as? Int ?? 0
            // Stale version: a conflict, nothing retired.
            (status, json, _) = try await api.send(
                app, .DELETE, "/api/v1/records/activities/\(id)", token: reporter, ["version": version - 1])
            XCTAssertEqual(status, .conflict)
            XCTAssertNotNil(json["current"])
            // Without a version: precondition required.
            (status, _, _) = try await api.send(app, .DELETE, "/api/v1/records/activities/\(id)", token: reporter)
            XCTAssertEqual(status, .preconditionRequired)
            (status, json, _) = try await api.send(
                app, .DELETE, "/api/v1/records/activities/\(id)", token: reporter,
                ["version": version, "reason": "Lagt inn ved en feil"])
            XCTAssertEqual(status, .ok, "\(json)")
            XCTAssertEqual(json["retired"] as? Bool, true)
            let retiredProblems = try await problems(app, json, "RecordRetired")
            XCTAssertEqual(retiredProblems, [])
            (status, _, _) = try await api.send(app, .GET, "/api/v1/records/activities/\(id)", token: nil)
            XCTAssertEqual(status, .gone)
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertNil(d.activities.first { $0.id == id }, "gone from the dataset (pages, exports)")
            let pll = try await app.sendRequest(.GET, "/tiltak/pll")
            XCTAssertFalse(pll.text.contains("Egen innføring"))
            // Kept in the history, restorable by the reporter.
            let trail = try await RoadmapWrites.history(entityType: "activity", entityId: id, on: app.db)
            XCTAssertEqual(trail.map(\.action), ["retire", "create"])
            XCTAssertEqual(trail.first?.reason, "Lagt inn ved en feil")
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/activities/\(id)/reinstate", token: reporter,
                ["version": json["version"] as? Int ?? 0])
            XCTAssertEqual(status, .ok, "\(json)")
            let back = try await app.sendRequest(.GET, "/tiltak/pll")
            XCTAssertTrue(back.text.contains("Egen innføring"))
            // Someone else's activity cannot be retired by this reporter.
            let foreign = try await DatasetStore.load(on: app.db)!.activities.first {
                $0.actorSlug != "helse-vest" && $0.actorSlug != "helse-bergen"
            }!
            (status, _, _) = try await api.send(
                app, .DELETE, "/api/v1/records/activities/\(foreign.id)", token: reporter, ["version": 1])
            XCTAssertEqual(status, .forbidden)
        }
    }

    func testRetiringIsRefusedWhileOtherRecordsDependOnIt() async throws {
        try await TestApp.run { app in
            let token = try await api.token(for: "red-avh@example.no", .redaktor, app: app)
            let (_, pll, _) = try await api.send(app, .GET, "/api/v1/records/initiatives/pll", token: nil)
            let before = try await DatasetStore.version(on: app.db)
            var (status, json, _) = try await api.send(
                app, .DELETE, "/api/v1/records/initiatives/pll", token: token,
                ["version": pll["version"] as? Int ?? 0])
            XCTAssertEqual(status, .conflict)
            let reasons = json["reasons"] as? [String] ?? []
            let schemaProblems = try await problems(app, json, "RecordRefused")
            XCTAssertEqual(schemaProblems, [])
            XCTAssertTrue(reasons.contains { $0.hasPrefix("Aktiviteten «") }, "\(reasons)")
            XCTAssertTrue(
                reasons.contains { $0.contains("prioriteringsrunden") }, "the scoring round's candidate: \(reasons)")
            let after = try await DatasetStore.version(on: app.db)
            XCTAssertEqual(after, before, "a refusal writes nothing")
            // A goal with sub-goals; an actor with an account that reports for it.
            let (_, goal, _) = try await api.send(app, .GET, "/api/v1/records/goals/2", token: nil)
            (status, json, _) = try await api.send(
                app, .DELETE, "/api/v1/records/goals/2", token: token, ["version": goal["version"] as? Int ?? 0])
            XCTAssertEqual(status, .conflict)
            XCTAssertTrue((json["reasons"] as? [String] ?? []).contains { $0.hasPrefix("Delmål 2.A") })
            _ = try await api.token(for: "rap-kobling@example.no", .rapportor, actors: ["apotek"], app: app)
            let (_, actor, _) = try await api.send(app, .GET, "/api/v1/records/actors/apotek", token: nil)
            (status, json, _) = try await api.send(
                app, .DELETE, "/api/v1/records/actors/apotek", token: token, ["version": actor["version"] as? Int ?? 0])
            XCTAssertEqual(status, .conflict)
            XCTAssertTrue((json["reasons"] as? [String] ?? []).contains { $0.contains("rap-kobling@example.no") })
        }
    }

    func testTheFormsCreateConfirmRetireAndReinstate() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red-skjema@example.no", .redaktor)
            let form = try await client.get("/aktivitet/ny?tiltak=pll&aktor=helse-vest")
            XCTAssertEqual(form.status, .ok)
            XCTAssertTrue(form.body.contains("<h1>Ny aktivitet</h1>"))
            XCTAssertTrue(
                form.body.contains("<option value=\"pll\" selected"), "the initiative is chosen from the link")
            let csrf = Client.csrf(in: form.body)
            // Errors: a summary, the input kept.
            var res = try await client.post(
                "/aktivitet/ny",
                [
                    "_csrf": csrf, "initiative": "pll", "actor": "helse-vest", "phase": "innforing",
                    "start": "2027", "end": "2026", "planning": "planlagt", "description": "Skjematest",
                ])
            XCTAssertEqual(res.status, .unprocessableEntity)
            XCTAssertTrue(res.body.contains("Aktiviteten ble ikke opprettet"))
            XCTAssertTrue(res.body.contains("Skjematest"))
            res = try await client.post(
                "/aktivitet/ny",
                [
                    "_csrf": csrf, "initiative": "pll", "actor": "helse-vest", "phase": "innforing",
                    "start": "2027", "end": "2028", "planning": "planlagt", "description": "Skjematest",
                ])
            XCTAssertEqual(res.status, .seeOther)
            let location = res.headers.first(name: .location) ?? ""
            XCTAssertTrue(location.hasSuffix("/rediger?lagret=opprettet"), location)
            let id = location.split(separator: "/")[1]
            let edit = try await client.get(location)
            XCTAssertTrue(edit.body.contains("Aktiviteten er opprettet og publisert."))
            XCTAssertTrue(edit.body.contains("/aktivitet/\(id)/avvikle"))
            // The confirmation step, then the retirement, then the way back.
            let confirm = try await client.get("/aktivitet/\(id)/avvikle")
            XCTAssertTrue(confirm.body.contains("Ja, avvikle aktiviteten"))
            let version = confirm.body.firstMatch(of: /name="versjon" value="(\d+)"/).map { String($0.1) } ?? ""
            res = try await client.post(
                "/aktivitet/\(id)/avvikle", ["_csrf": csrf, "versjon": version, "reason": "Feil"])
            XCTAssertEqual(res.status, .seeOther)
            let list = try await client.get(res.headers.first(name: .location) ?? "")
            XCTAssertTrue(list.body.contains("er avviklet"), list.body)
            XCTAssertTrue(list.body.contains("Skjematest"))
            let retiredVersion =
                list.body.firstMatch(of: /gjeninnfor"[^>]*>.*?name="versjon" value="(\d+)"/.dotMatchesNewlines()).map {
                    String($0.1)
                } ?? ""
            res = try await client.post("/aktivitet/\(id)/gjeninnfor", ["_csrf": csrf, "versjon": retiredVersion])
            XCTAssertEqual(res.status, .seeOther, res.body)
            let pll = try await client.get("/tiltak/pll")
            XCTAssertTrue(pll.body.contains("Skjematest"))
            // A refusal shows what depends on the record.
            let refused = try await client.get("/tiltak/pll/avvikle")
            XCTAssertTrue(refused.body.contains("Tiltaket kan ikke avvikles ennå"))
            XCTAssertFalse(refused.body.contains("Ja, avvikle"))
        }
    }

    func testCreatingAndRetiringAnActivityIsReplayedInPlaceByEveryInstance() async throws {
        try await TestApp.run { app in
            _ = try await app.sendRequest(.GET, "/tiltak/pll")
            let loads = app.readModel.fullLoads
            let d = try await DatasetStore.load(on: app.db)!
            let new = try Activity.creating(
                [
                    "initiative": "pll", "actor": "helse-vest", "phase": "innforing", "end": "2028",
                    "planning": "planlagt", "description": "Replikert aktivitet", "delayKind": "ingen",
                ],
                in: d, reserved: []
            ).get()
            guard
                case .saved(let version) = try await RecordLifecycle.create(
                    Activity.self, new, author: .commandLine, reason: "",
                    on: app.db)
            else { return XCTFail("not created") }
            let page = try await app.sendRequest(.GET, "/tiltak/pll")
            XCTAssertTrue(page.text.contains("Replikert aktivitet"))
            try await TestApp.withSecondInstance { other in
                let there = try await other.sendRequest(.GET, "/tiltak/pll")
                XCTAssertTrue(there.text.contains("Replikert aktivitet"), "another instance sees the new activity")
                guard
                    case .saved = try await RecordLifecycle.retire(
                        Activity.self, id: new.id, expectedVersion: version,
                        author: .commandLine, reason: "", on: other.db)
                else { return XCTFail("not retired") }
            }
            let after = try await app.sendRequest(.GET, "/tiltak/pll")
            XCTAssertFalse(
                after.text.contains("Replikert aktivitet"),
                "the retirement made through the other instance is replayed here")
            XCTAssertEqual(app.readModel.fullLoads, loads, "created and retired in place, without reloading everything")
            let fresh = try await DatasetStore.load(on: app.db)!
            let replayed = try await app.readModel.dataset(
                atLeast: try await DatasetStore.version(on: app.db), on: app.db)
            XCTAssertEqual(
                replayed?.activities, fresh.activities, "the replayed list equals a full load, order included")
        }
    }

    func testIdsKeepTheFormTheFilesRequireAndTheDataStillExports() async throws {
        try await TestApp.run { app in
            let token = try await api.token(for: "red-form@example.no", .redaktor, app: app)
            for (kind, id, values) in [
                (RecordKind.goal, "A", ["title": "Bokstavmål"]),
                (.subgoal, "3.A", ["goal": "2", "title": "Feil mål", "status": "adopted"]),
                (.subgoal, "2.h", ["goal": "2", "title": "Liten bokstav", "status": "adopted"]),
                (.indicator, "Ab.1", ["name": "Store bokstaver", "kind": "effekt"]),
                (.initiative, "ny", ["title": "Ny", "kind": "national", "subgoals": "2.A"]),
            ] {
                let (status, json, _) = try await api.send(
                    app, .POST, "/api/v1/records/\(kind.apiName)", token: token, ["id": id, "values": values])
                XCTAssertEqual(status, .unprocessableEntity, "\(kind) «\(id)»: \(json)")
                XCTAssertNotNil((json["errors"] as? [String: String])?["id"], "\(kind) «\(id)»")
            }
            // A derived sub-goal id skips a retired one; an initiative titled «Ny» does not take the form's address.
            var (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/subgoals", token: token,
                ["values": ["goal": "2", "title": "Kort", "status": "adopted"]])
            XCTAssertEqual(json["id"] as? String, "2.G")
            (status, _, _) = try await api.send(
                app, .DELETE, "/api/v1/records/subgoals/2.G", token: token, ["version": json["version"] as? Int ?? 0])
            XCTAssertEqual(status, .ok)
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/subgoals", token: token,
                ["values": ["goal": "2", "title": "Neste", "status": "adopted"]])
            XCTAssertEqual(json["id"] as? String, "2.H")
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/initiatives", token: token,
                ["values": ["title": "Ny", "kind": "national", "subgoals": "2.A"]])
            XCTAssertEqual(json["id"] as? String, "ny-2")
            // Whatever was created, retired and reinstated, the export reads back.
            let d = try await DatasetStore.load(on: app.db)!
            XCTAssertNoThrow(try DatasetFormat.read(DatasetFormat.write(d)))
        }
    }

    func testReinstatingChecksWhatOthersTookAndEditsRecheckTheirLinks() async throws {
        try await TestApp.run { app in
            let token = try await api.token(for: "red-gjen@example.no", .redaktor, app: app)
            var (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/initiatives", token: token,
                [
                    "id": "prioritert",
                    "values": ["title": "Prioritert", "kind": "national", "subgoals": "2.A", "priorityRank": "90"],
                ])
            XCTAssertEqual(status, .created, "\(json)")
            (status, json, _) = try await api.send(
                app, .DELETE, "/api/v1/records/initiatives/prioritert", token: token,
                ["version": json["version"] as? Int ?? 0])
            let retiredVersion = json["version"] as? Int ?? 0
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/initiatives", token: token,
                [
                    "id": "etterfolger",
                    "values": ["title": "Etterfølger", "kind": "national", "subgoals": "2.A", "priorityRank": "90"],
                ])
            XCTAssertEqual(status, .created, "the retired initiative gave up its priority: \(json)")
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/initiatives/prioritert/reinstate", token: token,
                ["version": retiredVersion])
            XCTAssertEqual(status, .ok, "\(json)")
            XCTAssertEqual((json["values"] as? [String: String])?["priorityRank"], "", "it comes back without one")
            let ranks = try await DatasetStore.load(on: app.db)!.initiatives.compactMap(\.priorityRank)
            XCTAssertEqual(ranks.count, Set(ranks).count, "no priority is held twice")
            // An edit that would link a sub-goal retired after the form was read is refused inside the transaction.
            (status, json, _) = try await api.send(
                app, .POST, "/api/v1/records/subgoals", token: token,
                ["id": "2.Z", "values": ["goal": "2", "title": "Snart borte", "status": "adopted"]])
            (status, _, _) = try await api.send(
                app, .DELETE, "/api/v1/records/subgoals/2.Z", token: token, ["version": json["version"] as? Int ?? 0])
            XCTAssertEqual(status, .ok)
            let (initiative, version) = try await RoadmapWrites.record(Initiative.self, id: "pll", on: app.db)!
            var stale = initiative
            stale.subgoalIds.append("2.Z")
            let result = try await RoadmapWrites.update(
                Initiative.self, stale, expectedVersion: version, author: .commandLine, reason: "",
                on: app.db)
            guard case .refused(let reasons) = result else { return XCTFail("\(result)") }
            XCTAssertTrue(reasons.contains { $0.contains("2.Z") })
            // The goal the strategy takes its delay figures from cannot be retired.
            let d = try await DatasetStore.load(on: app.db)!
            if let delayGoal = d.strategy.delayGoal {
                XCTAssertTrue(RecordDependants.of(.goal, id: delayGoal, in: d).contains { $0.contains("delay_goal") })
            }
        }
    }
}
