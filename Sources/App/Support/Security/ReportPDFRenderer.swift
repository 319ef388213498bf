import Crypto
import Fluent
import Foundation
import Persistence
import Vapor

/// Makes report PDFs once and keeps them (`ReportPDFs`, by the digest of the document printed): a published revision
/// is frozen, so its PDF never needs making twice. Chromium is expensive (hundreds of MB, seconds), so at most
/// `limit` print at a time in an instance; requests for the same document share one print; anyone else waits up to
/// `patience` for a free place and is then told to come back (`Busy`, answered 503 with Retry-After).
actor ReportPDFRenderer {
    struct Busy: Error {}

    let limit: Int
    let patience: Duration
    /// Prints HTML to PDF: headless Chromium, or a stand-in in tests of the limits.
    let print: @Sendable (String) async throws -> Data
    private var running = 0
    private var inFlight: [String: Task<Data, any Error>] = [:]

    init(
        limit: Int = 2, patience: Duration = .seconds(5),
        print: @escaping @Sendable (String) async throws -> Data = { try await ReportExport.pdf(html: $0) }
    ) {
        self.limit = limit
        self.patience = patience
        self.print = print
    }

    func pdf(html: String, period: String, on db: any Database) async throws -> Data {
        let digest = Digests.sha256Hex(html)
        if let stored = try await ReportPDFs.find(digest: digest, on: db) { return stored }
        if let shared = inFlight[digest] { return try await shared.value }
        let deadline = ContinuousClock.now + patience
        while running >= limit {
            guard ContinuousClock.now < deadline else {
                Telemetry.pdfRendersRefused.increment()
                throw Busy()
            }
            try await Task.sleep(for: .milliseconds(100))
            if let shared = inFlight[digest] { return try await shared.value }
        }
        running += 1
        let print = self.print
        let task = Task<Data, any Error> {
            Telemetry.pdfRenders.increment()
            let data = try await print(html)
            try await ReportPDFs.store(data, digest: digest, period: period, on: db)
            return data
        }
        inFlight[digest] = task
        defer {
            running -= 1
            inFlight[digest] = nil
        }
        return try await task.value
    }

    var active: Int { running }
}

struct ReportPDFRendererKey: StorageKey { typealias Value = ReportPDFRenderer }

extension Application {
    var reportPDFs: ReportPDFRenderer { storage[ReportPDFRendererKey.self]! }
}
