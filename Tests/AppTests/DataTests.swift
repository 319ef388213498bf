import Domain
import Foundation
import Persistence
import Routes
import SQLKit
import Vapor
import XCTVapor
import XCTest

@testable import App

final class DataTests: XCTestCase {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("veikart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// An index from before it kept route values held paths: it is written again at start, and links stay the same.
    func testASearchIndexThatHeldPathsIsWrittenAgainAtStart() async throws {
        try await TestApp.run { app in
            let table = app.db.sql.dialect.name == "sqlite" ? "search_fts" : "search_documents"
            try await app.db.sql.raw(
                "UPDATE \(unsafeRaw: table) SET url = '/tiltak/pll' WHERE kind = 'initiative' AND ref = 'pll'"
            ).run()
            try await SearchIndex.upgradeStoredPlaces(on: app.db)
            let hits = try await SearchIndex.search("legemiddelliste", on: app.db)
            let hit = try XCTUnwrap(hits.first { $0.kind == .initiative && $0.id == "pll" })
            XCTAssertEqual(hit.place, ["pll"])
            let pllHits = try await SearchIndex.search("pll", limit: 200, on: app.db)
            let activity = try XCTUnwrap(pllHits.first { $0.kind == .activity })
            XCTAssertEqual(SiteURL.searchHit(activity.kind, place: activity.place).hasPrefix("/tiltak/"), true)
            try await app.test(.GET, "/sok?q=legemiddelliste") { res async in
                XCTAssertTrue(
                    res.body.string.contains("href=\"/tiltak/pll\""), "the link is made from the route values")
            }
        }
    }

    func testExportThenImportIntoAnEmptyDatabaseIsLossless() async throws {
        let folder = try temporaryFolder()
        var exported: Dataset?
        var reportPage = ""
        var rounds: [ScoringRound] = []
        var councils = CouncilData.empty
        var models: [ScoringModel] = []
        try await TestApp.run { app in
            // A model no round uses must travel too.
            var unused = try SeedData.scoringModel()
            unused.id = "ubrukt-modell"
            unused.name = "Modell ingen runde bruker"
            unused.weights = [unused.groups[0].id: 2]
            _ = try await ScoringStore.saveModel(unused, author: .commandLine, on: app.db)
            models = try await ScoringStore.models(on: app.db)
            XCTAssertTrue(models.contains { $0.id == "ubrukt-modell" })
            exported = try await DatasetImport.exportFolder(folder, on: app.db)
            rounds = try await ScoringStore.all(on: app.db)
            councils = try await CouncilStore.data(on: app.db)
            var client = Client(app: app)
            reportPage = try await client.get("/status/2024-Q1").body
        }
        let original = try XCTUnwrap(exported)
        XCTAssertEqual(original, try SeedData.load(), "the database holds exactly the shipped seed")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("reports.json").path),
            "status reports travel with the dataset")
        try await TestApp.run(seed: false) { app in
            let loadedBefore = try await DatasetStore.load(on: app.db)
            XCTAssertNil(loadedBefore)
            _ = try await DatasetImport.importFolder(folder, on: app.db)
            let loaded = try await DatasetStore.load(on: app.db)
            XCTAssertEqual(loaded, original)
            var client = Client(app: app)
            let restored = try await client.get("/status/2024-Q1")
            XCTAssertEqual(restored.body, reportPage, "a published report comes back exactly as it was published")
            let restoredRounds = try await ScoringStore.all(on: app.db)
            XCTAssertEqual(restoredRounds, rounds, "scoring rounds travel with the dataset")
            XCTAssertFalse(rounds.isEmpty)
            let restoredModels = try await ScoringStore.models(on: app.db)
            XCTAssertEqual(restoredModels, models, "every model version, also one no round uses")
            let restoredCouncils = try await CouncilStore.data(on: app.db)
            XCTAssertEqual(restoredCouncils, councils, "so does the council model, whose cases link to the rounds")
        }
    }

    func testAFileWithAnyErrorChangesNothing() async throws {
        let folder = try temporaryFolder()
        try await TestApp.run { app in
            let before = try await DatasetStore.load(on: app.db)
            _ = try await DatasetImport.exportFolder(folder, on: app.db)
            // Change a title (which would land) and break one line further down.
            let file = folder.appendingPathComponent("activities.csv")
            var text = try String(contentsOf: file, encoding: .utf8)
            text = text.replacingOccurrences(of: "Videre innføring av e-multidose.", with: "Endret tekst")
            text += "ny-aktivitet,pll,helse-sor,innforing,2025,2024,planlagt,Feil,,,,\n"
            try text.write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try await DatasetImport.importFolder(folder, on: app.db)
                XCTFail("the import should be refused")
            } catch let failure as ImportFailure {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
                XCTAssertTrue(
                    failure.description.contains("activities.csv:\(lines): ukjent aktør «helse-sor»"),
                    failure.description)
            }
            let after = try await DatasetStore.load(on: app.db)
            XCTAssertEqual(after, before)
        }
    }

    func testImportReplacesTheSearchIndexAndTextIsEscapedEverywhere() async throws {
        try await TestApp.run { app in
            var d = try SeedData.load()
            let hostile = "<script>alert(1)</script> Ødegård & «sitat»"
            d.initiatives[0].title = hostile
            d.initiatives[0].shortTitle = hostile
            d.actors[0].name = "Helse <b>Nord</b>"
            try await DatasetStore.replace(with: d, on: app.db)
            for path in [
                "/tiltak/pll", "/veikart", "/veikart.svg", "/", "/sok?q=alert", "/aktorer", "/aktorer/helse-nord",
            ] {
                try await app.test(.GET, path) { res async in
                    XCTAssertEqual(res.status, .ok, path)
                    XCTAssertFalse(res.text.contains("<script>alert"), path)
                    XCTAssertFalse(res.text.contains("<b>Nord</b>"), path)
                }
            }
            try await app.test(.GET, "/sok?q=%C3%B8deg%C3%A5rd") { res async in
                XCTAssertTrue(res.text.contains("href=\"/tiltak/pll\""), "the new title is searchable")
                XCTAssertTrue(res.text.contains("&lt;script&gt;"))
            }
            try await app.test(.GET, "/api/v1/search?q=alert") { res async throws in
                let body = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]
                let snippets = ((body?["results"] as? [[String: Any]]) ?? []).compactMap { $0["snippet"] as? String }
                XCTAssertFalse(snippets.isEmpty)
                XCTAssertFalse(snippets.contains { $0.contains("<script>") }, "snippets are escaped HTML")
            }
            // Text typed into the search box comes back inside an attribute; it must not break out.
            try await app.test(.GET, "/sok?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E") { res async in
                XCTAssertFalse(res.text.contains("<script>alert"))
                XCTAssertTrue(res.text.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
            }
        }
    }

    /// Pages come from a cached dataset; a write anywhere bumps the data version, so the next request sees it.
    func testACachedDatasetIsNeverServedAfterAWrite() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/tiltak/pll") { res async in
                XCTAssertTrue(res.text.contains("Pasientens legemiddelliste"))
            }
            let before = try await DatasetStore.version(on: app.db)
            var d = try SeedData.load()
            d.initiatives[0].title = "Ny tittel etter skriving"
            try await DatasetStore.replace(with: d, on: app.db)
            let after = try await DatasetStore.version(on: app.db)
            XCTAssertEqual(after, before + 1)
            try await app.test(.GET, "/tiltak/pll") { res async in
                XCTAssertTrue(res.text.contains("Ny tittel etter skriving"))
            }
            try await app.test(.GET, "/api/v1/initiatives/pll") { res async in
                XCTAssertTrue(res.text.contains("Ny tittel etter skriving"))
            }
        }
    }

    /// Guards against a PostgreSQL run that silently fell back to SQLite.
    func testRunsOnTheRequestedDatabase() async throws {
        try await TestApp.run { app in
            let dialect = app.db.sql.dialect.name
            XCTAssertEqual(dialect, TestApp.usesPostgres ? "postgresql" : "sqlite")
        }
    }

    func testHealthAndMetrics() async throws {
        let token = "metrikk-token-1234567890"
        try await TestApp.run(adjust: { $0.metricsToken = token }) { app in
            try await app.test(.GET, "/healthz") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("\"database\":\"ok\""))
            }
            try await app.test(.GET, "/veikart") { _ async in }
            try await app.test(.GET, "/metrics") { res async in
                XCTAssertEqual(res.status, .unauthorized, "metrics are not public")
                XCTAssertFalse(res.text.contains("http_requests_total"))
            }
            try await app.test(.GET, "/metrics", headers: ["Authorization": "Bearer feil-token-1234567890"]) {
                res async in
                XCTAssertEqual(res.status, .unauthorized)
            }
            try await app.test(.GET, "/metrics", headers: ["Authorization": "Bearer \(token)"]) { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("http_requests_total"), String(res.text.prefix(500)))
                XCTAssertTrue(res.text.contains("http_request_duration_seconds"))
                XCTAssertTrue(res.text.contains("veikart_db_dataset_load_seconds"))
            }
        }
        try await TestApp.run { app in
            try await app.test(.GET, "/metrics") { res async in
                XCTAssertEqual(res.status, .notFound, "without a configured token there are no metrics to read")
            }
        }
    }
}

final class BackupAndAuditExportTests: XCTestCase {
    func testOnlineSQLiteBackupIsConsistentAndRestores() async throws {
        try XCTSkipIf(TestApp.usesPostgres, "SQLite backup; PostgreSQL uses pg_dump (docs/operations.md)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "veikart-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("kopi.sqlite").path
        try await TestApp.run { app in
            try await Backup.sqliteCopy(to: copy, on: app.db)
            let original = try await DatasetStore.load(on: app.db)
            // Restore over another database file and read it back.
            let target = folder.appendingPathComponent("gjenopprettet.sqlite").path
            FileManager.default.createFile(atPath: target, contents: Data("gammel".utf8))
            try await Backup.restoreSQLite(from: copy, to: target, checkingWith: app.db)
            XCTAssertTrue(FileManager.default.fileExists(atPath: target + ".før-gjenoppretting"))
            let restoredApp = try await Application.make(.testing)
            restoredApp.logger.logLevel = .warning
            try await configure(restoredApp, settings: Settings(database: .sqliteFile(target), seedIfEmpty: false))
            let restored = try await DatasetStore.load(on: restoredApp.db)
            try await restoredApp.asyncShutdown()
            XCTAssertEqual(restored, original)
        }
        // A damaged file is refused before anything is replaced.
        let broken = folder.appendingPathComponent("ødelagt.sqlite").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: copy))
        for i in stride(from: 4096, to: min(bytes.count, 40960), by: 7) { bytes[i] ^= 0xFF }
        try bytes.write(to: URL(fileURLWithPath: broken))
        try await TestApp.run { app in
            do {
                try await Backup.restoreSQLite(
                    from: broken, to: folder.appendingPathComponent("mål.sqlite").path, checkingWith: app.db)
                XCTFail("a damaged backup must be refused")
            } catch {}
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("mål.sqlite").path))
        }
    }

    func testAuditCSVIsForEditorsAndNeutralisesFormulas() async throws {
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            var reporter = try await signedIn(app, "vest@example.no", .rapportor, actors: ["helse-vest"])
            let form = try await editor.get("/aktivitet/pll-hv-innforing/rediger")
            let version = String(try XCTUnwrap(form.body.firstMatch(of: /name="versjon" value="(\d+)"/)).1)
            let saved = try await editor.post(
                "/aktivitet/pll-hv-innforing/rediger",
                [
                    "_csrf": Client.csrf(in: form.body), "versjon": version,
                    "phase": "innforing", "start": "2024", "end": "", "planning": "tentativ",
                    "description": "=HYPERLINK(\"http://x\")", "reason": "@kollega",
                ])
            XCTAssertEqual(saved.status, .seeOther)
            let denied = try await reporter.get("/historikk.csv")
            XCTAssertEqual(denied.status, .forbidden)
            let csv = try await editor.get("/historikk.csv")
            XCTAssertEqual(csv.status, .ok)
            XCTAssertEqual(csv.headers.contentType?.subType, "csv")
            let records = try CSV.parse(csv.body)
            let row = try XCTUnwrap(records.first { $0.fields.count > 4 && $0.fields[4] == "pll-hv-innforing" })
            XCTAssertEqual(row.fields[1], "red@example.no")
            XCTAssertTrue(row.fields[7].contains("Beskrivelse: =HYPERLINK"), "inside a cell the text is kept")
            XCTAssertEqual(row.fields[8], "'@kollega", "a cell starting with @ is neutralised")
            XCTAssertTrue(
                records.contains { $0.fields.count > 5 && $0.fields[3] == "dataset" && $0.fields[5] == "import" },
                "imports are in the trail")
        }
    }
}

/// PostgreSQL is backed up with its own tools; this proves the documented commands round-trip a live database.
final class PostgresDumpRestoreTests: XCTestCase {
    func testPgDumpAndPgRestoreRoundTrip() async throws {
        try XCTSkipUnless(TestApp.usesPostgres, "runs in the PostgreSQL pass")
        let tools = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted().last.map {
            "/usr/lib/postgresql/\($0)/bin"
        }
        let binDir = try XCTUnwrap(tools)
        var components = try XCTUnwrap(URLComponents(string: TestApp.postgresURL))
        let restoredName = "restored_\(UUID().uuidString.prefix(8).lowercased())"
        let dumpFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(restoredName).dump").path
        defer { try? FileManager.default.removeItem(atPath: dumpFile) }
        func run(_ tool: String, _ args: [String]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "\(binDir)/\(tool)")
            p.arguments = args
            p.environment = ["PGPASSWORD": components.password ?? "", "PATH": "/usr/bin:/bin"]
            let pipe = Pipe()
            p.standardError = pipe
            p.standardOutput = pipe
            try p.run()
            p.waitUntilExit()
            return (
                p.terminationStatus, String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            )
        }
        let host = components.host ?? "127.0.0.1"
        let port = String(components.port ?? 5432)
        let user = components.user ?? "veikart"
        var original: Dataset?
        var schema = ""
        try await TestApp.run { app in
            original = try await DatasetStore.load(on: app.db)
            schema =
                try await app.db.sql.raw("SELECT current_schema() AS s").first(decoding: [String: String].self)?["s"]
                ?? ""
            // The documented online backup: custom format, one schema, while the app holds connections.
            let dump = try run(
                "pg_dump",
                [
                    "-h", host, "-p", port, "-U", user, "--format=custom", "--schema=\(schema)", "--file=\(dumpFile)",
                    components.path.replacingOccurrences(of: "/", with: ""),
                ])
            XCTAssertEqual(dump.0, 0, dump.1)
        }
        XCTAssertEqual(try run("createdb", ["-h", host, "-p", port, "-U", user, restoredName]).0, 0)
        let restore = try run(
            "pg_restore", ["-h", host, "-p", port, "-U", user, "--no-owner", "--dbname=\(restoredName)", dumpFile])
        XCTAssertEqual(restore.0, 0, restore.1)
        components.path = "/" + restoredName
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        try await configure(
            app,
            settings: Settings(database: .postgres(url: components.string!, searchPath: [schema]), seedIfEmpty: false))
        let restored = try await DatasetStore.load(on: app.db)
        try await app.asyncShutdown()
        _ = try run("dropdb", ["-h", host, "-p", port, "-U", user, restoredName])
        XCTAssertEqual(restored, original)
        XCTAssertNotNil(restored)
    }
}

final class HistoryRoundTripTests: XCTestCase {
    func testExportImportKeepsTheHistory() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("veikart-hist-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var before: [HistoryRecord] = []
        var dataset: Dataset?
        try await TestApp.run { app in
            var editor = try await signedIn(app, "red@example.no", .redaktor)
            let form = try await editor.get("/aktivitet/pll-hv-innforing/rediger")
            let version = String(try XCTUnwrap(form.body.firstMatch(of: /name="versjon" value="(\d+)"/)).1)
            _ = try await editor.post(
                "/aktivitet/pll-hv-innforing/rediger",
                [
                    "_csrf": Client.csrf(in: form.body), "versjon": version,
                    "phase": "innforing", "start": "2024", "end": "", "planning": "tentativ",
                    "description": "Med «sitat», komma og\nlinjeskift", "reason": "=1+1",
                ])
            dataset = try await DatasetImport.exportFolder(folder, on: app.db)
            before = try await RoadmapWrites.historyRecords(on: app.db)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("history.csv").path))
        XCTAssertTrue(before.contains { $0.action == "update" && $0.entityId == "pll-hv-innforing" })
        try await TestApp.run(seed: false) { app in
            let imported = try await DatasetImport.importFolder(folder, on: app.db)
            XCTAssertEqual(imported, dataset)
            let after = try await RoadmapWrites.historyRecords(on: app.db)
            // Times are kept to the millisecond (the precision of history.csv); everything else exactly.
            func comparable(_ r: [HistoryRecord]) -> [String] {
                r.map {
                    """
                    \($0.id)|\(Int(($0.at.timeIntervalSince1970 * 1000).rounded()))|\($0.userEmail)|\($0.source)|\
                    \($0.entityType)|\($0.entityId)|\($0.action)|\($0.before)|\($0.after)|\($0.reason)|\($0.afterValues)
                    """
                }
            }
            XCTAssertEqual(comparable(Array(after.prefix(before.count))), comparable(before), "the trail comes back")
            XCTAssertEqual(after.count, before.count + 1)
            XCTAssertEqual(after.last?.action, "import", "and the import itself is recorded")
            // The restored history still restores: its form values came along.
            let entry = try await RoadmapWrites.historyEntry(
                id: UUID(uuidString: after.first { $0.action == "update" }!.id)!, entityType: "activity",
                entityId: "pll-hv-innforing", on: app.db)
            XCTAssertEqual(entry?.afterValues?["description"], "Med «sitat», komma og\nlinjeskift")
        }
    }

    func testABadHistoryLineRejectsTheWholeImport() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("veikart-hist-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestApp.run { app in
            _ = try await DatasetImport.exportFolder(folder, on: app.db)
            let file = folder.appendingPathComponent("history.csv")
            var text = try String(contentsOf: file, encoding: .utf8)
            text += "\(UUID().uuidString),i går,,ui,activity,x,update,{ikke json,,,\n"
            try text.write(to: file, atomically: true, encoding: .utf8)
            var d = try SeedData.load()
            d.initiatives[0].title = "Skulle ikke lande"
            try DatasetFormat.write(d)["initiatives.csv"]!.write(
                to: folder.appendingPathComponent("initiatives.csv"), atomically: true, encoding: .utf8)
            let trailBefore = try await RoadmapWrites.historyRecords(on: app.db)
            do {
                _ = try await DatasetImport.importFolder(folder, on: app.db)
                XCTFail("must be refused")
            } catch let failure as ImportFailure {
                XCTAssertTrue(failure.description.contains("history.csv:"), failure.description)
                XCTAssertTrue(failure.description.contains("ugyldig tidspunkt «i går»"), failure.description)
            }
            let loaded = try await DatasetStore.load(on: app.db)
            XCTAssertNotEqual(loaded?.initiatives[0].title, "Skulle ikke lande")
            let trailAfter = try await RoadmapWrites.historyRecords(on: app.db)
            XCTAssertEqual(trailAfter, trailBefore)
        }
    }
}
