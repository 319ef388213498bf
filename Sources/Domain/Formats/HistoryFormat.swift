import Foundation

/// One audit-trail entry as it travels in `history.csv`, so export → import keeps the history.
public struct HistoryRecord: Hashable, Sendable {
    public let id: String
    public let at: Date
    public let userEmail: String
    public let source: String
    public let entityType: String
    public let entityId: String
    public let action: String
    /// JSON arrays of [field, value] pairs; `afterValues` a JSON object of form values. Empty when absent.
    public let before: String
    public let after: String
    public let reason: String
    public let afterValues: String

    public init(
        id: String, at: Date, userEmail: String, source: String, entityType: String, entityId: String, action: String,
        before: String, after: String, reason: String, afterValues: String
    ) {
        self.id = id
        self.at = at
        self.userEmail = userEmail
        self.source = source
        self.entityType = entityType
        self.entityId = entityId
        self.action = action
        self.before = before
        self.after = after
        self.reason = reason
        self.afterValues = afterValues
    }
}

/// `history.csv`: optional beside the dataset files. With it, import replaces the audit trail by the file's;
/// without it, the trail is kept. Timestamps are ISO 8601 with milliseconds, in UTC.
public enum HistoryFormat {
    public static let file = "history.csv"
    static let header = [
        "id", "at", "user_email", "source", "entity_type", "entity_id", "action", "before", "after", "reason",
        "after_values",
    ]

    static func formatter() -> ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }

    public static func write(_ records: [HistoryRecord]) -> String {
        let f = formatter()
        return CSV.writeForSpreadsheets(
            header: header,
            rows: records.map {
                [
                    $0.id, f.string(from: $0.at), $0.userEmail, $0.source, $0.entityType, $0.entityId, $0.action,
                    $0.before, $0.after, $0.reason, $0.afterValues,
                ]
            })
    }

    public static func read(_ text: String) throws(ImportFailure) -> [HistoryRecord] {
        let records: [CSV.Record]
        do { records = try CSV.parseExported(text) } catch {
            throw ImportFailure(issues: [ImportIssue(file: file, line: error.line, message: error.message)])
        }
        guard let head = records.first, head.fields == header else {
            throw ImportFailure(issues: [
                ImportIssue(
                    file: file, line: records.first?.line,
                    message: "overskriften skal være \(header.joined(separator: ","))")
            ])
        }
        let f = formatter()
        var issues: [ImportIssue] = []
        var result: [HistoryRecord] = []
        var seen: Set<String> = []
        for r in records.dropFirst() {
            guard r.fields.count == header.count else {
                issues.append(
                    ImportIssue(
                        file: file, line: r.line, message: "har \(r.fields.count) felt, forventet \(header.count)"))
                continue
            }
            let v = Dictionary(uniqueKeysWithValues: zip(header, r.fields))
            guard UUID(uuidString: v["id"]!) != nil, seen.insert(v["id"]!).inserted else {
                issues.append(ImportIssue(file: file, line: r.line, message: "ugyldig eller gjentatt id"))
                continue
            }
            guard let at = f.date(from: v["at"]!) else {
                issues.append(ImportIssue(file: file, line: r.line, message: "ugyldig tidspunkt «\(v["at"]!)»"))
                continue
            }
            var jsonOK = true
            for key in ["before", "after", "after_values"] where !v[key]!.isEmpty {
                if (try? JSONSerialization.jsonObject(with: Data(v[key]!.utf8))) == nil {
                    issues.append(ImportIssue(file: file, line: r.line, message: "«\(key)» er ikke gyldig JSON"))
                    jsonOK = false
                }
            }
            guard jsonOK, !v["entity_type"]!.isEmpty, !v["action"]!.isEmpty else {
                if jsonOK {
                    issues.append(
                        ImportIssue(file: file, line: r.line, message: "«entity_type» og «action» må ha verdi"))
                }
                continue
            }
            result.append(
                HistoryRecord(
                    id: v["id"]!, at: at, userEmail: v["user_email"]!, source: v["source"]!,
                    entityType: v["entity_type"]!,
                    entityId: v["entity_id"]!, action: v["action"]!, before: v["before"]!, after: v["after"]!,
                    reason: v["reason"]!,
                    afterValues: v["after_values"]!))
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        return result
    }
}
