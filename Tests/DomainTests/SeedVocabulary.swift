import Domain
import Foundation

// The default (Norwegian roadmap) phases and actor types by name, for tests that build data by hand.
extension Phase {
    static let konsept = Phase(rawValue: "konsept"), utvikling = Phase(rawValue: "utvikling")
    static let tilpasning = Phase(rawValue: "tilpasning"), innforing = Phase(rawValue: "innforing")
    static let nyPraksis = Phase(rawValue: "ny-praksis")
}

extension ActorType {
    static let rhf = ActorType(rawValue: "rhf"), hf = ActorType(rawValue: "hf"),
        kommune = ActorType(rawValue: "kommune")
}

extension ScoringModel {
    /// The seed's model (Sources/App/Seed/scoring/model-ehelseradet-2022.json), read from the source tree.
    static let ehelseraadet2022: ScoringModel = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/App/Seed/scoring/model-ehelseradet-2022.json")
        return try! JSONDecoder().decode(ScoringModel.self, from: Data(contentsOf: url))
    }()
}
