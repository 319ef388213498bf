import Domain
import Foundation
import Persistence
import Vapor
import XCTVapor
import XCTest

@testable import App

/// One indicator value at a time (API and form), and imports that preview first, merge or replace, and refuse to
/// overwrite a change made after the preview.
final class MeasurementEditingTests: XCTestCase {
    let api = APIClient.self
    let path = "/api/v1/indicators/epj-effektivt/measurements"

    func values(_ app: Application) async throws -> [IndicatorMeasurement] {
        try await IndicatorStore.measurements(of: ["epj-effektivt"], on: app.db)
    }

    func testOneValueIsAddedChangedAndRemovedThroughTheAPIWithoutTouchingTheOthers() async throws {
        try await TestApp.run { app in
            let token = try await api.token(for: "red-verdi@example.no", .redaktor, app: app)
            let before = try await values(app)
            XCTAssertEqual(before.count, 5)
            // Adding one 2026 value keeps the five 2025 values and their breakdowns.
            var (status, json, _) = try await api.send(
                app, .POST, path, token: token, ["period": "2026", "value": 54, "note": "Foreløpig"])
            XCTAssertEqual(status, .created, "\(json)")
            var version = json["version"] as? Int ?? 0
            var now = try await values(app)
            XCTAssertEqual(now.count, 6)
            XCTAssertEqual(Set(before).subtracting(now), [], "no other value changed")
            // The same key again without a version: a conflict carrying the stored value.
            (status, json, _) = try await api.send(app, .POST, path, token: token, ["period": "2026", "value": "55"])
            XCTAssertEqual(status, .conflict)
            XCTAssertEqual((json["current"] as? [String: Any])?["value"] as? Double, 54)
            // Change at the version read; a stale version is refused.
            (status, json, _) = try await api.send(
                app, .POST, path, token: token, ["period": "2026", "value": "55,5", "version": version])
            XCTAssertEqual(status, .ok, "\(json)")
            let stale = version
            version = json["version"] as? Int ?? 0
            (status, json, _) = try await api.send(
                app, .POST, path, token: token, ["period": "2026", "value": 60, "version": stale])
            XCTAssertEqual(status, .conflict)
            now = try await values(app)
            XCTAssertEqual(now.first { $0.period == .year(2026) }?.value, 55.5)
            // A breakdown value, and checks worded per field.
            (status, json, _) = try await api.send(
                app, .POST, path, token: token,
                ["period": "2026-13", "value": "mye", "dimension": "region", "farge": "rød"])
            XCTAssertEqual(status, .unprocessableEntity)
            let errors = json["errors"] as? [String: String] ?? [:]
            XCTAssertEqual(Set(errors.keys), ["period", "value", "member", "farge"], "\(errors)")
            XCTAssertTrue(errors["value"]?.contains("ikke et tall") == true, "\(errors)")
            XCTAssertTrue(errors["period"]?.contains("ikke en gyldig periode") == true)
            // A number beyond what any indicator measures is refused, not a crash (found by schemathesis).
            (status, json, _) = try await api.send(
                app, .POST, path, token: token, ["period": "2027", "value": 5.4710329014994296e16])
            XCTAssertEqual(status, .unprocessableEntity)
            XCTAssertTrue((json["errors"] as? [String: String])?["value"]?.contains("for stort") == true, "\(json)")
            XCTAssertEqual(NumberText.plain(1e20), "100000000000000000000")
            XCTAssertEqual(NumberText.norwegian(-3e19), NumberText.plain(-3e19))
            // Remove: the version is required and checked.
            (status, _, _) = try await api.send(app, .DELETE, path + "?period=2026", token: token)
            XCTAssertEqual(status, .preconditionRequired)
            (status, _, _) = try await api.send(app, .DELETE, path + "?period=2026&version=\(stale)", token: token)
            XCTAssertEqual(status, .conflict)
            try await app.test(
                .DELETE, path + "?period=2026&version=\(version)",
                beforeRequest: { req in
                    req.headers.bearerAuthorization = BearerAuthorization(token: token)
                }, afterResponse: { res async in XCTAssertEqual(res.status, .noContent) })
            now = try await values(app)
            XCTAssertEqual(Set(now), Set(before))
            // Every write is in the indicator's history.
            let trail = try await RoadmapWrites.history(entityType: "indicator", entityId: "epj-effektivt", on: app.db)
                .map(\.action)
            XCTAssertEqual(trail.prefix(3), ["measurement-remove", "measurement-change", "measurement-add"])
            // The list carries the versions; reporters may not write.
            let (listed, list, _) = try await api.send(app, .GET, path, token: nil)
            XCTAssertEqual(listed, .ok)
            XCTAssertEqual((list["measurements"] as? [[String: Any]])?.count, 5)
            let reporter = try await api.token(
                for: "rap-verdi@example.no", .rapportor, actors: ["helse-vest"], app: app)
            (status, _, _) = try await api.send(app, .POST, path, token: reporter, ["period": "2027", "value": 1])
            XCTAssertEqual(status, .forbidden)
        }
    }

    func testTheFormAddsChangesAndRemovesOneValue() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red-skjemaverdi@example.no", .redaktor)
            let page = try await client.get("/indikatorer/epj-effektivt/verdier")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("Lagrede verdier"))
            let csrf = Client.csrf(in: page.body)
            var res = try await client.post(
                "/indikatorer/epj-effektivt/verdier", ["_csrf": csrf, "periode": "2026", "verdi": "abc", "versjon": ""])
            XCTAssertEqual(res.status, .unprocessableEntity)
            XCTAssertTrue(res.body.contains("Verdien ble ikke lagret"))
            XCTAssertTrue(res.body.contains("value=\"abc\""), "the input is kept")
            res = try await client.post(
                "/indikatorer/epj-effektivt/verdier",
                [
                    "_csrf": csrf, "periode": "2026", "verdi": "52,5", "versjon": "",
                    "dimensjon": "region", "medlem": "Helse Vest",
                ])
            XCTAssertEqual(res.status, .seeOther)
            var now = try await values(app)
            XCTAssertEqual(now.first { $0.period == .year(2026) && $0.member == "Helse Vest" }?.value, 52.5)
            // Edit: the form is filled from the link and carries the value's version.
            let edit = try await client.get(
                "/indikatorer/epj-effektivt/verdier?periode=2026&dimensjon=region&medlem=Helse%20Vest")
            XCTAssertTrue(edit.body.contains("value=\"52.5\""))
            let version = edit.body.firstMatch(of: /name="versjon" value="(\d+)"/).map { String($0.1) } ?? ""
            XCTAssertFalse(version.isEmpty)
            // The version belongs to that value: it cannot be carried to another period.
            res = try await client.post(
                "/indikatorer/epj-effektivt/verdier",
                [
                    "_csrf": csrf, "periode": "2025", "verdi": "51", "versjon": version,
                    "dimensjon": "region", "medlem": "Helse Vest", "fra-periode": "2026",
                    "fra-dimensjon": "region", "fra-medlem": "Helse Vest",
                ])
            XCTAssertEqual(res.status, .unprocessableEntity)
            XCTAssertTrue(res.body.contains("kan ikke flyttes til en annen periode"))
            // Someone changes it meanwhile: the form shows a conflict and overwrites nothing.
            let token = try await api.token(for: "red-annen@example.no", .redaktor, app: app)
            _ = try await api.send(
                app, .POST, path, token: token,
                [
                    "period": "2026", "dimension": "region", "member": "Helse Vest", "value": 53,
                    "version": Int(version)!,
                ])
            res = try await client.post(
                "/indikatorer/epj-effektivt/verdier",
                [
                    "_csrf": csrf, "periode": "2026", "verdi": "51", "versjon": version,
                    "dimensjon": "region", "medlem": "Helse Vest",
                ])
            XCTAssertEqual(res.status, .conflict)
            XCTAssertTrue(res.body.contains("Noen andre har endret denne verdien"))
            now = try await values(app)
            XCTAssertEqual(now.first { $0.period == .year(2026) }?.value, 53)
            // Remove after a confirmation step.
            let confirm = try await client.get(
                "/indikatorer/epj-effektivt/verdier/fjern?periode=2026&dimensjon=region&medlem=Helse%20Vest")
            XCTAssertTrue(confirm.body.contains("Ja, fjern verdien"))
            let removeVersion = confirm.body.firstMatch(of: /name="versjon" value="(\d+)"/).map { String($0.1) } ?? ""
            res = try await client.post(
                "/indikatorer/epj-effektivt/verdier/fjern",
                [
                    "_csrf": csrf, "versjon": removeVersion, "periode": "2026",
                    "dimensjon": "region", "medlem": "Helse Vest",
                ])
            XCTAssertEqual(res.status, .seeOther)
            now = try await values(app)
            XCTAssertEqual(now.count, 5)
        }
    }

    func testAnImportIsPreviewedThenMergedOrReplacedAndNeverOverwritesALaterChange() async throws {
        try await TestApp.run { app in
            var client = try await signedIn(app, "red-import@example.no", .redaktor)
            let form = try await client.get("/indikatorer/epj-effektivt/importer")
            let csrf = Client.csrf(in: form.body)
            let csv = "periode,verdi,merknad\n2026,55,Ny\n2025,51,Rettet\n"
            let versionBefore = try await DatasetStore.version(on: app.db)
            var res = try await client.post(
                "/indikatorer/epj-effektivt/importer", ["_csrf": csrf, "tekst": csv, "begrunnelse": "Nye tall"])
            XCTAssertEqual(res.status, .ok)
            XCTAssertTrue(res.body.contains("Forhåndsvisning av importen"))
            XCTAssertTrue(res.body.contains("2025: 50 → 51"), "the change with old and new value")
            XCTAssertTrue(res.body.contains("2026 (ny): 55"))
            XCTAssertTrue(res.body.contains("2025 – region: Helse Vest (fjernes ved erstatt)"))
            let versionAfterPreview = try await DatasetStore.version(on: app.db)
            XCTAssertEqual(versionAfterPreview, versionBefore, "a preview writes nothing")
            let stamp = res.body.firstMatch(of: /name="stempel" value="([0-9a-f]+)"/).map { String($0.1) } ?? ""
            XCTAssertFalse(stamp.isEmpty)
            // A colleague changes a value after the preview: the confirmation is refused with a fresh preview.
            let token = try await api.token(for: "red-samtidig@example.no", .redaktor, app: app)
            _ = try await api.send(app, .POST, path, token: token, ["period": "2024", "value": 40])
            res = try await client.post(
                "/indikatorer/epj-effektivt/importer",
                [
                    "_csrf": csrf, "tekst": csv, "begrunnelse": "Nye tall",
                    "bekreft": "ja", "modus": "slaa-sammen", "stempel": stamp,
                ])
            XCTAssertEqual(res.status, .conflict)
            XCTAssertTrue(res.body.contains("Noen har endret verdiene etter forhåndsvisningen"))
            var now = try await values(app)
            XCTAssertEqual(now.first { $0.period == .year(2025) && $0.isHeadline }?.value, 50, "nothing imported")
            // Merge at the new stamp: the file's values land, the others (2024 and the breakdowns) stay.
            let fresh = res.body.firstMatch(of: /name="stempel" value="([0-9a-f]+)"/).map { String($0.1) } ?? ""
            res = try await client.post(
                "/indikatorer/epj-effektivt/importer",
                [
                    "_csrf": csrf, "tekst": csv, "begrunnelse": "Nye tall",
                    "bekreft": "ja", "modus": "slaa-sammen", "stempel": fresh,
                ])
            XCTAssertEqual(res.status, .seeOther)
            now = try await values(app)
            XCTAssertEqual(now.count, 7)
            XCTAssertEqual(now.first { $0.period == .year(2025) && $0.isHeadline }?.value, 51)
            // A breakdown spelt in another case is the same value, changed in place (no duplicate the export would
            // refuse).
            let cased = "periode,region,verdi\n2025,helse vest,70\n"
            res = try await client.post("/indikatorer/epj-effektivt/importer", ["_csrf": csrf, "tekst": cased])
            let caseStamp = res.body.firstMatch(of: /name="stempel" value="([0-9a-f]+)"/).map { String($0.1) } ?? ""
            res = try await client.post(
                "/indikatorer/epj-effektivt/importer",
                [
                    "_csrf": csrf, "tekst": cased, "bekreft": "ja",
                    "modus": "slaa-sammen", "stempel": caseStamp,
                ])
            XCTAssertEqual(res.status, .seeOther)
            now = try await values(app)
            XCTAssertEqual(now.filter { $0.member.lowercased() == "helse vest" }.map(\.member), ["Helse Vest"])
            XCTAssertEqual(now.first { $0.member == "Helse Vest" }?.value, 70)
            // Replace: only the file's values remain.
            res = try await client.post("/indikatorer/epj-effektivt/importer", ["_csrf": csrf, "tekst": csv])
            let third = res.body.firstMatch(of: /name="stempel" value="([0-9a-f]+)"/).map { String($0.1) } ?? ""
            res = try await client.post(
                "/indikatorer/epj-effektivt/importer",
                [
                    "_csrf": csrf, "tekst": csv, "bekreft": "ja", "modus": "erstatt",
                    "stempel": third,
                ])
            XCTAssertEqual(res.status, .seeOther)
            now = try await values(app)
            XCTAssertEqual(Set(now.map(\.period)), [.year(2025), .year(2026)])
            XCTAssertEqual(now.count, 2)
        }
    }
}

final class MeasurementDiffTests: XCTestCase {
    func testMergeKeepsAndReplaceRemovesWhatTheFileLeavesOut() {
        let old = [
            IndicatorMeasurement(indicatorId: "x", period: .year(2024), value: 1),
            IndicatorMeasurement(indicatorId: "x", period: .year(2025), value: 2),
            IndicatorMeasurement(indicatorId: "x", period: .year(2025), value: 3, dimension: "region", member: "Nord"),
        ]
        let incoming = [
            IndicatorMeasurement(indicatorId: "x", period: .year(2025), value: 2),
            IndicatorMeasurement(indicatorId: "x", period: .year(2026), value: 4),
            IndicatorMeasurement(indicatorId: "x", period: .year(2024), value: 9),
        ]
        let merge = MeasurementDiff.compare(current: old, incoming: incoming, indicatorIds: ["x"], mode: .merge)[0]
        XCTAssertEqual(merge.added.map(\.period), [.year(2026)])
        XCTAssertEqual(merge.changed.map(\.value), [9])
        XCTAssertEqual(merge.unchangedCount, 2, "2025 as it was, and the breakdown the file leaves out")
        XCTAssertEqual(merge.removed, [])
        let replace = MeasurementDiff.compare(current: old, incoming: incoming, indicatorIds: ["x"], mode: .replace)[0]
        XCTAssertEqual(replace.removed.map(\.member), ["Nord"])
        XCTAssertEqual(replace.unchangedCount, 1)
    }
}
