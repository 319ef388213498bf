import Domain
import FluentKit
import Foundation
import SQLKit

/// What one write touched: a record, or a whole area that is not held per record in memory.
/// Every writer names its parts when it takes the next data version (`RoadmapWrites.nextVersion(touching:)`);
/// readers replay them in version order to update their read model and page cache (docs/ARCHITECTURE.md).
public enum DataPart: Hashable, Sendable, CustomStringConvertible {
    /// A whole-dataset import or restore: readers start over.
    case everything
    case strategy
    case goal(String)
    case subgoal(String)
    case actor(String)
    case initiative(String)
    case activity(String)
    case milestone(String)
    /// An indicator's own fields, ambitions and series breaks.
    case indicator(String)
    /// The values of one indicator; never held in memory, so only pages are affected.
    case measurements(String)
    case reports
    case councils
    case scoring
    /// Reporting rounds and their parts (the board, the calendar's deadlines).
    case rounds
    /// The published roadmap versions (closing a round or publishing by hand).
    case versions

    public var description: String {
        switch self {
        case .everything: "everything"
        case .strategy: "strategy"
        case .goal(let id): "goal:" + id
        case .subgoal(let id): "subgoal:" + id
        case .actor(let id): "actor:" + id
        case .initiative(let id): "initiative:" + id
        case .activity(let id): "activity:" + id
        case .milestone(let id): "milestone:" + id
        case .indicator(let id): "indicator:" + id
        case .measurements(let id): "measurements:" + id
        case .reports: "reports"
        case .councils: "councils"
        case .scoring: "scoring"
        case .rounds: "rounds"
        case .versions: "versions"
        }
    }

    /// The stored text back; anything unknown (a newer writer's part) is read as `.everything`, which is always safe.
    public init(stored: String) {
        let (kind, id): (Substring, String) = {
            guard let colon = stored.firstIndex(of: ":") else { return (Substring(stored), "") }
            return (stored[..<colon], String(stored[stored.index(after: colon)...]))
        }()
        switch (kind, id.isEmpty) {
        case ("strategy", true): self = .strategy
        case ("goal", false): self = .goal(id)
        case ("subgoal", false): self = .subgoal(id)
        case ("actor", false): self = .actor(id)
        case ("initiative", false): self = .initiative(id)
        case ("activity", false): self = .activity(id)
        case ("milestone", false): self = .milestone(id)
        case ("indicator", false): self = .indicator(id)
        case ("measurements", false): self = .measurements(id)
        case ("reports", true): self = .reports
        case ("councils", true): self = .councils
        case ("scoring", true): self = .scoring
        case ("rounds", true): self = .rounds
        case ("versions", true): self = .versions
        default: self = .everything
        }
    }

    /// The part an edit of a record of `kind` touches.
    public static func record(_ kind: RecordKind, id: String) -> DataPart {
        switch kind {
        case .goal: .goal(id)
        case .subgoal: .subgoal(id)
        case .actor: .actor(id)
        case .initiative: .initiative(id)
        case .activity: .activity(id)
        case .milestone: .milestone(id)
        case .indicator: .indicator(id)
        }
    }
}

/// The ordered feed of what each data version changed (`data_changes`), written in the writer's transaction.
public enum ChangeFeed {
    public struct Change: Sendable, Hashable {
        public let version: Int64
        public let part: DataPart
    }

    /// Rows older than this many versions are removed by writers; a reader further behind starts over.
    static let retainedVersions: Int64 = 5_000

    /// Records `parts` as what `version` changed. Called only by `RoadmapWrites.nextVersion(touching:)`.
    static func record(_ parts: [DataPart], version: Int64, on db: any Database) async throws {
        let sql = db.sql
        let stored = parts.isEmpty ? ["everything"] : Array(Set(parts.map(\.description))).sorted()
        for part in stored {
            try await sql.raw("INSERT INTO data_changes (version, part) VALUES (\(bind: version), \(bind: part))").run()
        }
        // A cheap trim on every 100th version keeps the table small without a background job.
        if version % 100 == 0 {
            try await sql.raw("DELETE FROM data_changes WHERE version < \(bind: version - retainedVersions)").run()
        }
    }

    /// Every change after `version`, oldest first, up to `limit` rows (a reader this far behind starts over).
    public static func changes(after version: Int64, limit: Int = 2_000, on db: any Database) async throws -> [Change] {
        struct Row: Decodable {
            let version: Int64
            let part: String
        }
        let rows = try await db.sql
            .raw(
                """
                SELECT version, part FROM data_changes WHERE version > \(bind: version) ORDER BY version, part \
                LIMIT \(bind: limit)
                """
            )
            .all(decoding: Row.self)
        return rows.map { Change(version: $0.version, part: DataPart(stored: $0.part)) }
    }
}
