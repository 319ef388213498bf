import Domain
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

/// The quarterly cycle end to end on the real database: a round opened, reported by two actors through the API and
/// the forms, delivered, closed into a roadmap version; the changes, the trend and the figures that follow.
final class ReportingRoundTests: XCTestCase {
    func testTheSeedHasTheRoundBehindTheQ1ReportAndVersionOne() async throws {
        try await TestApp.run { app in
            let (status, body, _) = try await APIClient.send(app, .GET, "/api/v1/roadmap/versions", token: nil)
            XCTAssertEqual(status, .ok)
            let versions = try XCTUnwrap(body["versions"] as? [[String: Any]])
            XCTAssertEqual(versions.map { $0["number"] as? String }, ["1.0"])
            XCTAssertEqual(versions.first?["publishedOn"] as? String, "2024-08-21")
            let loaded = try await DatasetStore.load(on: app.db)
            let d = try XCTUnwrap(loaded)
            XCTAssertEqual(versions.first?["activities"] as? Int, d.activities.count)
            let reader = try await APIClient.token(for: "leser-runde@example.no", .leser, app: app)
            let (anonymous, _, _) = try await APIClient.send(app, .GET, "/api/v1/reporting-rounds/2024-Q1", token: nil)
            XCTAssertEqual(anonymous, .unauthorized, "the actors' progress is for signed-in users")
            let (_, round, _) = try await APIClient.send(app, .GET, "/api/v1/reporting-rounds/2024-Q1", token: reader)
            XCTAssertEqual(round["open"] as? Bool, false)
            XCTAssertEqual(round["period"] as? String, "2024-Q1")
            // What a token read is never kept for the next visitor: the page cache must not serve it without one.
            for path in ["/api/v1/reporting-rounds/2024-Q1", "/api/v1/reporting-rounds"] {
                _ = try await APIClient.send(app, .GET, path, token: reader)
                let (again, _, _) = try await APIClient.send(app, .GET, path, token: nil)
                XCTAssertEqual(again, .unauthorized, "\(path) answered from the cache without a token")
                let (wrong, _, _) = try await APIClient.send(app, .GET, path, token: "vk_feil")
                XCTAssertEqual(wrong, .unauthorized, "\(path) answered from the cache with a wrong token")
            }
            // Nothing changed since version 1.0.
            let (_, changes, _) = try await APIClient.send(
                app, .GET, "/api/v1/roadmap/changes?from=1.0&to=naa", token: nil)
            XCTAssertEqual((changes["changes"] as? [Any])?.count, 0)
        }
    }

    func testARoundFromOpeningToClosingThroughTheAPI() async throws {
        try await TestApp.run { app in
            let editor = try await APIClient.token(for: "red-runde@example.no", .redaktor, app: app)
            let west = try await APIClient.token(for: "vest@example.no", .rapportor, actors: ["helse-vest"], app: app)
            let north = try await APIClient.token(for: "nord@example.no", .rapportor, actors: ["helse-nord"], app: app)
            // Only editors open rounds.
            var (status, body, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds", token: west,
                ["period": "2026-Q4", "deadline": "2026-12-15"])
            XCTAssertEqual(status, .forbidden)
            (status, body, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds", token: editor,
                ["period": "2026-Q5", "deadline": "31.02.2026", "initiatives": ["finnes-ikke"]])
            XCTAssertEqual(status, .unprocessableEntity)
            XCTAssertEqual(
                Set((body["errors"] as? [String: String] ?? [:]).keys), ["period", "deadline", "initiatives"])
            (status, body, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds", token: editor,
                ["period": "2026-Q4", "deadline": "2026-12-15", "note": "Husk milepælene"])
            XCTAssertEqual(status, .created, "\(body)")
            let actors = try XCTUnwrap(body["actors"] as? [[String: Any]])
            XCTAssertTrue(
                actors.contains { $0["actor"] as? String == "helse-vest" && $0["state"] as? String == "ikke-pabegynt" })
            (status, _, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds", token: editor,
                ["period": "2026-Q4", "deadline": "2026-12-15"])
            XCTAssertEqual(status, .unprocessableEntity, "one round per period")

            let westPart = "/api/v1/reporting-rounds/2026-Q4/actors/helse-vest"
            (status, _, _) = try await APIClient.send(app, .GET, westPart, token: nil)
            XCTAssertEqual(status, .unauthorized, "drafts are not public")
            (status, _, _) = try await APIClient.send(app, .GET, westPart, token: north)
            XCTAssertEqual(status, .forbidden, "a reporter touches only their own actors' parts")
            (status, body, _) = try await APIClient.send(app, .GET, westPart, token: west)
            XCTAssertEqual(status, .ok)
            let initiatives = try XCTUnwrap(body["initiatives"] as? [String])
            XCTAssertTrue(initiatives.contains("pll"))
            XCTAssertTrue(body["version"] is NSNull, "no version before the first save")

            // First save without a version, then with the version of the last answer.
            (status, body, _) = try await APIClient.send(
                app, .PUT, westPart, token: west,
                [
                    "statuses": [
                        [
                            "initiative": "pll", "status": "gul", "tendency": "mot-rodt",
                            "comment": "Forsinket hos leverandør",
                        ]
                    ]
                ])
            XCTAssertEqual(status, .ok, "\(body)")
            let first = try XCTUnwrap(body["version"] as? Int)
            XCTAssertEqual(body["state"] as? String, "under-arbeid")
            // A stale or missing version never overwrites: 409 with what is stored.
            (status, body, _) = try await APIClient.send(app, .PUT, westPart, token: west, ["statuses": []])
            XCTAssertEqual(status, .conflict)
            XCTAssertEqual(
                ((body["current"] as? [String: Any])?["statuses"] as? [[String: Any]])?.first?["status"] as? String,
                "gul")
            // Delivering needs a status for every initiative.
            (status, body, _) = try await APIClient.send(
                app, .POST, westPart + "/deliver", token: west, ["version": first])
            XCTAssertEqual(status, .conflict)
            XCTAssertTrue(((body["reasons"] as? [String])?.first ?? "").contains("Mangler"), "\(body)")
            (status, body, _) = try await APIClient.send(
                app, .PUT, westPart, token: west,
                [
                    "version": first,
                    "statuses": initiatives.map { ["initiative": $0, "status": $0 == "pll" ? "gul" : "gronn"] },
                ])
            XCTAssertEqual(status, .ok)
            let second = try XCTUnwrap(body["version"] as? Int)
            (status, body, _) = try await APIClient.send(
                app, .POST, westPart + "/deliver", token: west, ["version": second])
            XCTAssertEqual(status, .ok, "\(body)")
            XCTAssertEqual(body["state"] as? String, "levert")
            let delivered = try XCTUnwrap(body["version"] as? Int)
            // Delivered is read-only to the reporter; only an editor reopens.
            (status, body, _) = try await APIClient.send(
                app, .PUT, westPart, token: west, ["version": delivered, "statuses": []])
            XCTAssertEqual(status, .conflict)
            (status, _, _) = try await APIClient.send(
                app, .POST, westPart + "/reopen", token: west, ["version": delivered])
            XCTAssertEqual(status, .forbidden)
            (status, body, _) = try await APIClient.send(
                app, .POST, westPart + "/reopen", token: editor, ["version": delivered])
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(body["state"] as? String, "under-arbeid")

            // A significant delay recorded on a milestone of a national initiative.
            let (_, record, _) = try await APIClient.send(
                app, .GET, "/api/v1/records/milestones/ps-minimum", token: nil)
            let values = try XCTUnwrap(record["values"] as? [String: String])
            (status, body, _) = try await APIClient.send(
                app, .PATCH, "/api/v1/records/milestones/ps-minimum", token: editor,
                [
                    "version": record["version"] as Any,
                    "values": [
                        "date": "2025-Q4", "delayKind": "utvikling", "delayCause": "leverandor",
                        "baseline": values["date"] ?? "",
                    ],
                ])
            XCTAssertEqual(status, .ok, "\(body)")

            // Closing publishes the roadmap as version 1.1 and freezes the round.
            (status, _, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds/2026-Q4/close", token: west, [:])
            XCTAssertEqual(status, .forbidden)
            (status, body, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds/2026-Q4/close", token: editor,
                ["note": "Revidert med aktørene"])
            XCTAssertEqual(status, .created, "\(body)")
            XCTAssertEqual(body["number"] as? String, "1.1")
            XCTAssertEqual(body["round"] as? String, "2026-Q4")
            (status, body, _) = try await APIClient.send(app, .PUT, westPart, token: editor, ["statuses": []])
            XCTAssertEqual(status, .conflict, "a closed round takes no more reports")
            (status, _, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds/2026-Q4/close", token: editor, [:])
            XCTAssertEqual(status, .conflict)

            (status, body, _) = try await APIClient.send(
                app, .GET, "/api/v1/roadmap/changes?from=1.0&to=1.1", token: nil)
            let changes = try XCTUnwrap(body["changes"] as? [[String: Any]])
            XCTAssertEqual(changes.count, 1, "\(changes)")
            XCTAssertEqual(changes.first?["id"] as? String, "ps-minimum")
            XCTAssertEqual(changes.first?["change"] as? String, "flyttet")
            XCTAssertGreaterThan(changes.first?["days"] as? Int ?? 0, 0)
            XCTAssertEqual((changes.first?["after"] as? [String: Any])?["delayCause"] as? String, "leverandor")
            (status, body, _) = try await APIClient.send(app, .GET, "/api/v1/milestones/ps-minimum/trend", token: nil)
            XCTAssertEqual(
                (body["points"] as? [[String: Any]])?.map { $0["date"] as? String }, [values["date"], "2025-Q4"])
            (status, _, _) = try await APIClient.send(app, .GET, "/api/v1/roadmap/changes?to=9.9", token: nil)
            XCTAssertEqual(status, .notFound)

            // The audit trail has the whole cycle.
            let trail = try await RoadmapWrites.auditTrail(on: app.db).filter {
                ["reporting-round", "round-part"].contains($0.entityType)
            }
            XCTAssertEqual(trail.map(\.entry.action).filter { $0 == "deliver" }.count, 1)
            XCTAssertTrue(trail.contains { $0.entry.action == "close" && $0.entry.userEmail == "red-runde@example.no" })
        }
    }

    func testReportersWorkInTheirPartThroughTheForms() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red-skjema@example.no", .redaktor)
            var page = try await editor.get("/rapportering/ny")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("name=\"tiltak[]\" value=\"pll\""))
            var csrf = Client.csrf(in: page.body)
            // Bad input: an error summary, and the input kept.
            var answer = try await editor.post(
                "/rapportering/ny",
                [
                    "_csrf": csrf, "periode": "2026-Q9", "frist": "i morgen",
                    "tiltak[]": "pll", "aktorer[]": "helse-vest",
                ])
            XCTAssertEqual(answer.status, .unprocessableEntity)
            XCTAssertTrue(answer.body.contains("error-summary"))
            XCTAssertTrue(answer.body.contains("value=\"i morgen\""))
            XCTAssertTrue(answer.body.contains("href=\"#felt-period\""))
            answer = try await editor.post(
                "/rapportering/ny",
                [
                    "_csrf": csrf, "periode": "2026-Q4", "frist": "2026-12-15",
                    "tiltak[]": "pll", "aktorer[]": "helse-vest",
                ])
            XCTAssertEqual(answer.status, .seeOther)
            XCTAssertEqual(answer.headers.first(name: .location), "/rapportering/2026-Q4?lagret=apnet")

            var reporter = try await signedIn(app, "vest-skjema@example.no", .rapportor, actors: ["helse-vest"])
            let work = try await reporter.get("/mitt-arbeid")
            XCTAssertTrue(work.body.contains("/rapportering/2026-Q4/helse-vest"), "the open round shows in Mitt arbeid")
            page = try await reporter.get("/rapportering/2026-Q4/helse-vest")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("name=\"status-pll\""))
            csrf = Client.csrf(in: page.body)
            do {
                let r = try await reporter.get("/rapportering/2026-Q4/helse-nord")
                XCTAssertEqual(r.status, .forbidden)
            }
            do {
                let r = try await reporter.get("/rapportering/ny")
                XCTAssertEqual(r.status, .forbidden)
            }
            answer = try await reporter.post(
                "/rapportering/2026-Q4/helse-vest",
                [
                    "_csrf": csrf, "versjon": "", "status-pll": "lilla",
                    "comment-pll": "Beholdt tekst", "handling": "lagre",
                ])
            XCTAssertEqual(answer.status, .unprocessableEntity)
            XCTAssertTrue(answer.body.contains("Beholdt tekst"))
            XCTAssertTrue(answer.body.contains("href=\"#felt-status-pll\""))
            answer = try await reporter.post(
                "/rapportering/2026-Q4/helse-vest",
                [
                    "_csrf": csrf, "versjon": "", "status-pll": "gronn",
                    "comment-pll": "Går som planlagt", "handling": "lever",
                ])
            XCTAssertEqual(answer.status, .seeOther)
            XCTAssertEqual(answer.headers.first(name: .location), "/rapportering/2026-Q4/helse-vest/lever")
            page = try await reporter.get("/rapportering/2026-Q4/helse-vest/lever")
            XCTAssertTrue(page.body.contains("Ja, lever delen"))
            let version = Client.value(of: "versjon", in: page.body)
            answer = try await reporter.post(
                "/rapportering/2026-Q4/helse-vest/lever", ["_csrf": csrf, "versjon": version])
            XCTAssertEqual(answer.status, .seeOther)
            page = try await reporter.get("/rapportering/2026-Q4/helse-vest")
            XCTAssertTrue(page.body.contains("Delen er levert"))
            XCTAssertFalse(page.body.contains("Lagre utkast"), "read-only once delivered")

            // The board: delivered, the reminder leaves out who delivered, the deadline is in the calendar.
            page = try await editor.get("/rapportering/2026-Q4")
            XCTAssertTrue(page.body.contains("round-levert"))
            XCTAssertFalse(page.body.contains("vest-skjema@example.no"))
            let feed = try await editor.get("/rad/moter.ics")
            XCTAssertTrue(feed.body.contains("SUMMARY:Frist for rapportering 4. kv. 2026"), feed.body)

            // Closing asks first, then publishes 1.1 and shows what changed.
            page = try await editor.get("/rapportering/2026-Q4/avslutt")
            XCTAssertTrue(page.body.contains("value=\"1.1\""))
            csrf = Client.csrf(in: page.body)
            let stamp = Client.value(of: "stempel", in: page.body)
            answer = try await editor.post(
                "/rapportering/2026-Q4/avslutt", ["_csrf": csrf, "nummer": "1.0", "merknad": "", "stempel": stamp])
            XCTAssertEqual(answer.status, .unprocessableEntity, "a version number is never reused")
            // A part that changed after the page was shown refuses the close: the editor confirmed something else.
            answer = try await editor.post(
                "/rapportering/2026-Q4/avslutt", ["_csrf": csrf, "nummer": "1.1", "merknad": "", "stempel": "x"])
            XCTAssertEqual(answer.status, .conflict)
            XCTAssertTrue(answer.body.contains("etter at du åpnet denne siden"))
            answer = try await editor.post(
                "/rapportering/2026-Q4/avslutt",
                [
                    "_csrf": csrf, "nummer": "1.1", "merknad": "Fra runden",
                    "stempel": stamp,
                ])
            XCTAssertEqual(answer.status, .seeOther)
            let changes = try await editor.get(answer.headers.first(name: .location) ?? "")
            XCTAssertEqual(changes.status, .ok)
            XCTAssertTrue(changes.body.contains("Versjon 1.1 er publisert"))
            // The initiative's page shows the delivered status beside the computed signals.
            var anonymous = Client(app: app)
            let initiative = try await anonymous.get("/tiltak/pll")
            XCTAssertTrue(initiative.body.contains("Status i rapporteringsrundene"))
            XCTAssertTrue(initiative.body.contains("Går som planlagt"))
        }
    }

    func testVersionsAreViewableAndComparedPublicly() async throws {
        try await TestApp.run { app in
            var visitor = Client(app: app)
            let v1 = try await visitor.get("/veikart?versjon=1.0")
            XCTAssertEqual(v1.status, .ok)
            XCTAssertTrue(v1.body.contains("Du ser versjon 1.0 av veikartet, publisert 21.08.2024."))
            do {
                let r = try await visitor.get("/veikart?versjon=7.7")
                XCTAssertEqual(r.status, .notFound)
            }
            let now = try await visitor.get("/veikart")
            XCTAssertTrue(now.body.contains("href=\"/veikart?versjon=1.0\""))
            do {
                let r = try await visitor.get("/veikart/versjoner")
                XCTAssertEqual(r.status, .ok)
            }
            let changes = try await visitor.get("/veikart/endringer?fra=1.0&til=naa")
            XCTAssertEqual(changes.status, .ok)
            XCTAssertTrue(changes.body.contains("Ingen endringer."))
            do {
                let r = try await visitor.get("/veikart/endringer?til=3.3")
                XCTAssertEqual(r.status, .notFound)
            }
            let trend = try await visitor.get("/tiltak/pasientens-provesvar/milepaeltrend")
            XCTAssertEqual(trend.status, .ok)
            XCTAssertTrue(trend.body.contains("<svg"))
            XCTAssertTrue(trend.body.contains("Versjon 1.0"))
            do {
                let r = try await visitor.get("/rapportering")
                XCTAssertEqual(r.status, .seeOther, "rounds are for signed-in users")
            }
            do {
                let r = try await visitor.get("/veikart/versjoner/ny")
                XCTAssertEqual(r.status, .seeOther)
            }
        }
    }

    func testRoundsAndVersionsTravelWithExportAndABrokenFileChangesNothing() async throws {
        try await TestApp.run { app in
            let editor = try await APIClient.token(for: "red-eksport@example.no", .redaktor, app: app)
            let west = try await APIClient.token(
                for: "vest-eksport@example.no", .rapportor, actors: ["helse-vest"], app: app)
            _ = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds", token: editor, ["period": "2026-Q4", "deadline": "2026-12-15"])
            let (status, _, _) = try await APIClient.send(
                app, .PUT, "/api/v1/reporting-rounds/2026-Q4/actors/helse-vest", token: west,
                ["statuses": [["initiative": "pll", "status": "rod", "comment": "Æ, ø og å"]]])
            XCTAssertEqual(status, .ok)
            _ = try await APIClient.send(
                app, .POST, "/api/v1/roadmap/versions", token: editor, ["number": "2.0", "note": "Ny hovedversjon"])
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "veikart-cycle-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try await DatasetImport.exportFolder(folder, on: app.db)
            let file = folder.appendingPathComponent(CycleFile.file)
            let exported = try CycleFiles.read(try Data(contentsOf: file))
            XCTAssertEqual(exported.rounds.map(\.id), ["2026-Q4", "2024-Q1"])
            XCTAssertEqual(exported.versions?.map(\.number), ["1.0", "2.0"])
            let partsBefore = try await RoundStore.allParts(on: app.db)
            let versionsBefore = try await RoundStore.versions(on: app.db)
            _ = try await DatasetImport.importFolder(folder, on: app.db)
            let partsAfter = try await RoundStore.allParts(on: app.db)
            let versionsAfter = try await RoundStore.versions(on: app.db)
            XCTAssertEqual(partsAfter, partsBefore, "export → import is lossless")
            XCTAssertEqual(versionsAfter, versionsBefore)

            var text = try String(contentsOf: file, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"helse-vest\"", with: "\"finnes-ikke\"")
            try text.write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try await DatasetImport.importFolder(folder, on: app.db)
                XCTFail("a round naming an unknown actor must refuse the import")
            } catch let failure as ImportFailure {
                XCTAssertTrue(failure.description.contains("cycle.json"), failure.description)
                XCTAssertTrue(failure.description.contains("finnes-ikke"), failure.description)
            }
            let unchanged = try await RoundStore.allParts(on: app.db)
            XCTAssertEqual(unchanged, partsBefore, "nothing changed")
            // Replacing everything from a folder without the file empties the cycle.
            try FileManager.default.removeItem(at: file)
            _ = try await DatasetImport.importFolder(folder, replaceEverything: true, on: app.db)
            let rounds = try await RoundStore.rounds(on: app.db)
            XCTAssertTrue(rounds.isEmpty)
        }
    }

    func testARoundOpenedByMistakeIsRemovedOnlyWhileUntouched() async throws {
        try await TestApp.run { app in
            let editor = try await APIClient.token(for: "red-slett@example.no", .redaktor, app: app)
            let west = try await APIClient.token(
                for: "vest-slett@example.no", .rapportor, actors: ["helse-vest"], app: app)
            var (status, _, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds", token: editor,
                ["period": "2027-Q1", "deadline": "2027-03-15"])
            XCTAssertEqual(status, .created)
            (status, _, _) = try await APIClient.send(app, .DELETE, "/api/v1/reporting-rounds/2027-Q1", token: west)
            XCTAssertEqual(status, .forbidden)
            (status, _, _) = try await APIClient.send(
                app, .PUT, "/api/v1/reporting-rounds/2027-Q1/actors/helse-vest", token: west,
                ["statuses": []])
            XCTAssertEqual(status, .ok)
            var body: [String: Any]
            (status, body, _) = try await APIClient.send(
                app, .DELETE, "/api/v1/reporting-rounds/2027-Q1", token: editor)
            XCTAssertEqual(status, .conflict)
            XCTAssertTrue(((body["reasons"] as? [String])?.first ?? "").contains("1 aktør har lagret"), "\(body)")
            // Through the form: an untouched round, a confirmation step, and the period is free again.
            (status, _, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds", token: editor,
                ["period": "2027-Q2", "deadline": "2027-06-15"])
            var client = try await signedIn(app, "red-slett-skjema@example.no", .redaktor)
            let board = try await client.get("/rapportering/2027-Q2")
            XCTAssertTrue(board.body.contains("href=\"/rapportering/2027-Q2/slett\""))
            let confirm = try await client.get("/rapportering/2027-Q2/slett")
            XCTAssertTrue(confirm.body.contains("Ja, slett runden"))
            let answer = try await client.post("/rapportering/2027-Q2/slett", ["_csrf": Client.csrf(in: confirm.body)])
            XCTAssertEqual(answer.status, .seeOther)
            let gone = try await client.get("/rapportering/2027-Q2")
            XCTAssertEqual(gone.status, .notFound)
            (status, _, _) = try await APIClient.send(
                app, .POST, "/api/v1/reporting-rounds", token: editor,
                ["period": "2027-Q2", "deadline": "2027-06-30"])
            XCTAssertEqual(status, .created, "the period is free again")
            let trail = try await RoadmapWrites.auditTrail(on: app.db)
            XCTAssertTrue(
                trail.contains {
                    $0.entityType == "reporting-round" && $0.entityId == "2027-Q2" && $0.entry.action == "delete"
                })
        }
    }

    func testAnOpenRoundsDeadlineAndScopeChangeWithoutDroppingWhatWasReported() async throws {
        try await TestApp.run { app in
            let west = try await APIClient.token(
                for: "vest-endre@example.no", .rapportor, actors: ["helse-vest"], app: app)
            var editor = try await signedIn(app, "red-endre@example.no", .redaktor)
            var page = try await editor.get("/rapportering/ny")
            let csrf = Client.csrf(in: page.body)
            var answer = try await editor.post(
                "/rapportering/ny",
                [
                    "_csrf": csrf, "periode": "2027-Q1", "frist": "15.03.2027",
                    "tiltak[]": "pll", "aktorer[]": "helse-vest",
                ])
            XCTAssertEqual(answer.status, .seeOther)
            let (status, _, _) = try await APIClient.send(
                app, .PUT, "/api/v1/reporting-rounds/2027-Q1/actors/helse-vest", token: west,
                ["statuses": [["initiative": "pll", "status": "gul"]]])
            XCTAssertEqual(status, .ok)
            page = try await editor.get("/rapportering/2027-Q1/endre")
            XCTAssertTrue(page.body.contains("value=\"15.03.2027\""))
            let version = Client.value(of: "versjon", in: page.body)
            // The actor that reported cannot be taken out: refused, nothing changed.
            answer = try await editor.post(
                "/rapportering/2027-Q1/endre",
                [
                    "_csrf": csrf, "versjon": version, "frist": "31.03.2027",
                    "tiltak[]": "pll", "aktorer[]": "helse-nord",
                ])
            XCTAssertEqual(answer.status, .conflict)
            XCTAssertTrue(answer.body.contains("Helse Vest RHF har lagret i runden og kan ikke tas ut."), answer.body)
            answer = try await editor.post(
                "/rapportering/2027-Q1/endre",
                [
                    "_csrf": csrf, "versjon": version, "frist": "31.03.2027",
                    "tiltak[]": "pll", "aktorer[]": "helse-vest",
                ])
            XCTAssertEqual(answer.status, .seeOther)
            let stored = try await RoundStore.round("2027-Q1", on: app.db)
            XCTAssertEqual(stored?.round.deadline, Day(year: 2027, month: 3, day: 31))
            // The same form again, at the old version: a conflict showing the round as it is now.
            answer = try await editor.post(
                "/rapportering/2027-Q1/endre",
                [
                    "_csrf": csrf, "versjon": version, "frist": "01.04.2027",
                    "tiltak[]": "pll", "aktorer[]": "helse-vest",
                ])
            XCTAssertEqual(answer.status, .conflict)
            XCTAssertTrue(answer.body.contains("value=\"31.03.2027\""))
        }
    }
}
