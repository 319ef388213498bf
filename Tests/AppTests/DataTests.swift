@testable import App
import Domain
import Foundation
import Persistence
import SQLKit
import XCTVapor
import XCTest

final class DataTests: XCTestCase {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("veikart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testExportThenImportIntoAnEmptyDatabaseIsLossless() async throws {
        let folder = try temporaryFolder()
        var exported: Dataset?
        try await TestApp.run { app in
            exported = try await DatasetImport.exportFolder(folder, on: app.db)
        }
        let original = try XCTUnwrap(exported)
        XCTAssertEqual(original, try SeedData.load(), "the database holds exactly the shipped seed")
        try await TestApp.run(seed: false) { app in
            let loadedBefore = try await DatasetStore.load(on: app.db)
            XCTAssertNil(loadedBefore)
            _ = try await DatasetImport.importFolder(folder, on: app.db)
            let loaded = try await DatasetStore.load(on: app.db)
            XCTAssertEqual(loaded, original)
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
            text += "ny-aktivitet,pll,helse-sor,innforing,2025,2024,planlagt,Feil\n"
            try text.write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try await DatasetImport.importFolder(folder, on: app.db)
                XCTFail("the import should be refused")
            } catch let failure as ImportFailure {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
                XCTAssertTrue(failure.description.contains("activities.csv:\(lines): ukjent aktør «helse-sor»"), failure.description)
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
            for path in ["/tiltak/pll", "/veikart", "/veikart.svg", "/", "/sok?q=alert", "/aktorer", "/aktorer/helse-nord"] {
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
            try await app.test(.GET, "/tiltak/pll") { res async in XCTAssertTrue(res.text.contains("Pasientens legemiddelliste")) }
            let before = try await DatasetStore.version(on: app.db)
            var d = try SeedData.load()
            d.initiatives[0].title = "Ny tittel etter skriving"
            try await DatasetStore.replace(with: d, on: app.db)
            let after = try await DatasetStore.version(on: app.db)
            XCTAssertEqual(after, before + 1)
            try await app.test(.GET, "/tiltak/pll") { res async in XCTAssertTrue(res.text.contains("Ny tittel etter skriving")) }
            try await app.test(.GET, "/api/v1/initiatives/pll") { res async in XCTAssertTrue(res.text.contains("Ny tittel etter skriving")) }
        }
    }

    /// Guards against a PostgreSQL run that silently fell back to SQLite.
    func testRunsOnTheRequestedDatabase() async throws {
        try await TestApp.run { app in
            let dialect = (app.db as! any SQLDatabase).dialect.name
            XCTAssertEqual(dialect, TestApp.usesPostgres ? "postgresql" : "sqlite")
        }
    }

    func testHealthAndMetrics() async throws {
        try await TestApp.run { app in
            try await app.test(.GET, "/healthz") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("\"database\":\"ok\""))
            }
            try await app.test(.GET, "/veikart") { _ async in }
            try await app.test(.GET, "/metrics") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.text.contains("http_requests_total"), String(res.text.prefix(500)))
                XCTAssertTrue(res.text.contains("http_request_duration_seconds"))
                XCTAssertTrue(res.text.contains("veikart_db_dataset_load_seconds"))
            }
        }
    }
}
