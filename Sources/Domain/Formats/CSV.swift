import Foundation

/// RFC 4180 CSV with line numbers, so every import error can say where it is.
/// Lines whose first character is `#` (outside quotes) are comments.
public enum CSV {
    public struct Record: Equatable, Sendable {
        public let line: Int
        public let fields: [String]
    }

    public struct SyntaxError: Error, Equatable, Sendable {
        public let line: Int
        public let message: String
    }

    public static func parse(_ text: String) throws(SyntaxError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var atRecordStart = true
        var inComment = false
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }  // Excel's byte-order mark
        var i = 0
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
            atRecordStart = true
        }
        while i < chars.count {
            let c = chars[i]
            if inComment {
                if c == "\n" {
                    inComment = false
                    line += 1
                    recordLine = line
                }
                i += 1
                continue
            }
            if atRecordStart {
                recordLine = line
                if c == "#" {
                    inComment = true
                    i += 1
                    continue
                }
                atRecordStart = false
            }
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 2
                        continue
                    }
                    inQuotes = false
                    i += 1
                    continue
                }
                if c == "\n" { line += 1 }
                field.unicodeScalars.append(c)
                i += 1
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty else {
                    throw SyntaxError(
                        line: line,
                        message:
                            "anførselstegn midt i et felt; sett hele feltet i anførselstegn og doble "
                            + "anførselstegn inni"
                    )
                }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                break
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted { throw SyntaxError(line: line, message: "tegn etter avsluttende anførselstegn") }
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes { throw SyntaxError(line: recordLine, message: "anførselstegn som aldri lukkes") }
        if !atRecordStart { endRecord() }
        return records
    }

    public static func escape(_ value: String) -> String {
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || value.hasPrefix("#") {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    /// For files meant for spreadsheets: a cell that starts with = + - @ (or a tab/CR) would be run as a
    /// formula by Excel and LibreOffice, so it gets a leading apostrophe.
    public static func neutralizeFormula(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else {
            return value
        }
        return "'" + value
    }

    /// For files Veikart also reads back: like `neutralizeFormula`, but a plain negative number ("-0.5") stays a
    /// number, and a text that already starts with `'` gets another, so reading gives exactly the text back.
    public static func spreadsheetSafe(_ value: String) -> String {
        if value.hasPrefix("-"), Double(value) != nil { return value }
        if value.hasPrefix("'") { return "'" + value }
        return neutralizeFormula(value)
    }

    /// A file for people to open in a spreadsheet and for Veikart to read back: every cell spreadsheet-safe.
    public static func writeForSpreadsheets(header: [String], rows: [[String]]) -> String {
        write(header: header.map(spreadsheetSafe), rows: rows.map { $0.map(spreadsheetSafe) })
    }

    /// Parses a file Veikart may have written with `writeForSpreadsheets`: the leading `'` of a neutralised cell goes.
    public static func parseExported(_ text: String) throws(SyntaxError) -> [Record] {
        try parse(text).map { Record(line: $0.line, fields: $0.fields.map(restoreFormulaText)) }
    }

    /// The inverse of `spreadsheetSafe` for files Veikart reads back: `'=…` is the text `=…`, `''…` is `'…`.
    public static func restoreFormulaText(_ value: String) -> String {
        let scalars = Array(value.unicodeScalars.prefix(2))
        guard scalars.count == 2, scalars[0] == "'", ["=", "+", "-", "@", "\t", "\r", "'"].contains(scalars[1]) else {
            return value
        }
        return String(value.dropFirst())
    }

    public static func write(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
