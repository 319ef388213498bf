import XCTest

@testable import Domain

/// Files Veikart writes are opened in Excel and LibreOffice, and read back by Veikart: text a spreadsheet would run
/// as a formula is written with a leading apostrophe, and reading takes it off again.
final class SpreadsheetSafetyTests: XCTestCase {
    func testTheDatasetExportIsSafeToOpenAndReadsBackUnchanged() throws {
        var d = try DatasetFormat.read(try SeedFolder.read())
        d.initiatives[0].title = "=HYPERLINK(\"https://evil.example\",\"Klikk\")"
        d.goals[0].description = "@SUM(1+1)"
        d.goals[1].title = "+47 22 00 00 00"
        d.goals[2].title = "- et punkt"
        let files = DatasetFormat.write(d)
        for (name, text) in files {
            for record in try CSV.parse(text) {
                for cell in record.fields {
                    let dangerous =
                        ["=", "+", "@", "\t", "\r"].contains(cell.first.map(String.init) ?? "")
                        || (cell.hasPrefix("-") && Double(cell) == nil)
                    XCTAssertFalse(dangerous, "\(name):\(record.line): \(cell)")
                }
            }
        }
        XCTAssertTrue(files["initiatives.csv"]!.contains("'=HYPERLINK("))
        let back = try DatasetFormat.read(files)
        XCTAssertEqual(back, d, "import(export(x)) == x")
    }

    func testTheHistoryFileIsSafeAndReadsBack() throws {
        let record = HistoryRecord(
            id: UUID().uuidString, at: Date(timeIntervalSince1970: 1_764_000_000), userEmail: "a@b.no", source: "ui",
            entityType: "activity", entityId: "x", action: "update", before: "", after: "", reason: "=1+1",
            afterValues: "")
        let text = HistoryFormat.write([record])
        XCTAssertTrue(text.contains(",'=1+1,"), text)
        XCTAssertEqual(try HistoryFormat.read(text), [record])
    }

    func testNegativeNumbersStayNumbers() {
        XCTAssertEqual(CSV.spreadsheetSafe("-0.5"), "-0.5")
        XCTAssertEqual(CSV.spreadsheetSafe("-2+3"), "'-2+3")
        XCTAssertEqual(CSV.restoreFormulaText("'-2+3"), "-2+3")
        XCTAssertEqual(CSV.restoreFormulaText("'vanlig"), "'vanlig", "an apostrophe before ordinary text is kept")
        for text in ["'=allerede sitert", "''", "'", "=x", "'vanlig"] {
            XCTAssertEqual(CSV.restoreFormulaText(CSV.spreadsheetSafe(text)), text, "exact round trip of \(text)")
        }
    }

    func testCountsTakeTheRightNounForm() {
        XCTAssertEqual(NumberText.count(1, "aktivitet", "aktiviteter"), "1 aktivitet")
        XCTAssertEqual(NumberText.count(0, "milepæl", "milepæler"), "0 milepæler")
        XCTAssertEqual(NumberText.count(21_003, "aktivitet", "aktiviteter"), "21\u{00A0}003 aktiviteter")
    }
}
