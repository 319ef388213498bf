import FluentKit
import Foundation

/// PDFs of published status reports, made once and kept.
public enum ReportPDFs {
    public static func find(digest: String, on db: any Database) async throws -> Data? {
        try await ReportPDFModel.query(on: db).filter(\.$digest == digest).first()?.pdf
    }

    /// Keeps the PDF; an older PDF of the same period (a corrected revision, a re-import) is removed.
    public static func store(_ pdf: Data, digest: String, period: String, on db: any Database) async throws {
        try await ReportPDFModel.query(on: db).filter(\.$period == period).filter(\.$digest != digest).delete()
        let row = ReportPDFModel()
        row.digest = digest
        row.period = period
        row.pdf = pdf
        row.createdAt = Date()
        // Another instance may have stored the same document a moment ago; its copy is as good.
        do { try await row.create(on: db) } catch {
            if try await find(digest: digest, on: db) == nil { throw error }
        }
    }

    public static func count(on db: any Database) async throws -> Int {
        try await ReportPDFModel.query(on: db).count()
    }
}
