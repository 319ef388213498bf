import FluentKit
import Foundation

final class ReportPDFModel: Model, @unchecked Sendable {
    static let schema = "report_pdfs"
    @ID(key: .id) var id: UUID?
    /// SHA-256 of the document the PDF was printed from: a published revision's HTML never changes, so one digest is
    /// one PDF, whichever instance made it and however often the data changes around it.
    @Field(key: "digest") var digest: String
    @Field(key: "period") var period: String
    @Field(key: "pdf") var pdf: Data
    @Field(key: "created_at") var createdAt: Date
    init() {}
}
