import Foundation

/// One node of a scoring model: a question answered on a scale, or a group that aggregates its children.
public struct Criterion: Hashable, Sendable, Codable {
    public enum Aggregation: Hashable, Sendable, Codable {
        /// Mean of the answered children (the 2022 sheet).
        case mean
        /// Weighted mean of the answered children, weights by child id (missing weight = 1).
        case weightedMean([String: Double])
    }

    public var id: String
    public var title: String
    public var help: String
    /// Empty for a question.
    public var children: [Criterion]
    public var aggregation: Aggregation
    public var scaleMin: Double
    public var scaleMax: Double
    /// A question where a low answer is good is turned around (max + min − answer) before it is aggregated.
    public var lowerIsBetter: Bool

    public init(
        id: String, title: String, help: String = "", children: [Criterion] = [], aggregation: Aggregation = .mean,
        scaleMin: Double = 0, scaleMax: Double = 10,
        lowerIsBetter: Bool = false
    ) {
        self.id = id
        self.title = title
        self.help = help
        self.children = children
        self.aggregation = aggregation
        self.scaleMin = scaleMin
        self.scaleMax = scaleMax
        self.lowerIsBetter = lowerIsBetter
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        help = try c.decodeIfPresent(String.self, forKey: .help) ?? ""
        children = try c.decodeIfPresent([Criterion].self, forKey: .children) ?? []
        aggregation = try c.decodeIfPresent(Aggregation.self, forKey: .aggregation) ?? .mean
        scaleMin = try c.decodeIfPresent(Double.self, forKey: .scaleMin) ?? 0
        scaleMax = try c.decodeIfPresent(Double.self, forKey: .scaleMax) ?? 10
        lowerIsBetter = try c.decodeIfPresent(Bool.self, forKey: .lowerIsBetter) ?? false
    }

    public var isQuestion: Bool { children.isEmpty }

    /// This node and everything under it, depth first, with the depth.
    public func flattened(depth: Int = 0) -> [(criterion: Criterion, depth: Int)] {
        [(self, depth)] + children.flatMap { $0.flattened(depth: depth + 1) }
    }
}

/// A versioned tree of criteria; the score is the weighted sum of the top-level groups (equal weights = plain sum).
public struct ScoringModel: Hashable, Sendable, Codable {
    public var id: String
    public var version: Int
    public var name: String
    public var groups: [Criterion]
    /// Weight per top-level group id; missing = 1.
    public var weights: [String: Double]

    public init(id: String, version: Int, name: String, groups: [Criterion], weights: [String: Double] = [:]) {
        self.id = id
        self.version = version
        self.name = name
        self.groups = groups
        self.weights = weights
    }

    public var allCriteria: [(criterion: Criterion, depth: Int)] { groups.flatMap { $0.flattened() } }

    /// More groups than this make a model hard to read and its sensitivity analysis long; refused on import and save.
    public static let maximumGroups = 12

    /// Problems with a model someone wrote (ids, scales, weights), in Norwegian; empty when it is usable.
    public var problems: [String] {
        var found: [String] = []
        let ids = allCriteria.map(\.criterion.id)
        if groups.isEmpty { found.append("modellen har ingen grupper") }
        if groups.count > Self.maximumGroups {
            found.append("modellen kan ha høyst \(Self.maximumGroups) toppnivågrupper (den har \(groups.count))")
        }
        for id in Set(ids) where ids.filter({ $0 == id }).count > 1 {
            found.append("kriteriet «\(id)» står flere ganger")
        }
        for id in ids
        where id.isEmpty || ["navn", "tiltak", "variant", "rangeres", "score", "rang"].contains(id)
            || !id.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-"
            })
        {
            found.append(
                "kriterie-id «\(id)» må bruke a–z, 0–9, punktum og bindestrek og kan ikke være et "
                    + "reservert ord")
        }
        for (c, _) in allCriteria where c.isQuestion && c.scaleMax <= c.scaleMin {
            found.append("«\(c.id)»: skalaen må gå fra lavt til høyt")
        }
        for g in groups where g.isQuestion {
            found.append("toppnivået «\(g.id)» må være en gruppe med spørsmål under")
        }
        for (id, w) in weights where !groups.contains(where: { $0.id == id }) || w < 0 {
            found.append("vekten for «\(id)» hører ikke til en toppnivågruppe eller er negativ")
        }
        return found
    }
    public var questions: [Criterion] { allCriteria.map(\.criterion).filter(\.isQuestion) }
    public func criterion(_ id: String) -> Criterion? { allCriteria.first { $0.criterion.id == id }?.criterion }
    public func weight(_ groupId: String) -> Double { weights[groupId] ?? 1 }
}

/// An initiative (or one variant of it) being scored.
public struct Candidate: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// The roadmap initiative it belongs to, where there is one.
    public var initiativeSlug: String?
    public var variant: String
    /// Part of the ranking; scored but unranked candidates (the sheet left some out of "Samlet") are listed apart.
    public var ranked: Bool
    public init(id: String, name: String, initiativeSlug: String?, variant: String = "", ranked: Bool = true) {
        self.id = id
        self.name = name
        self.initiativeSlug = initiativeSlug
        self.variant = variant
        self.ranked = ranked
    }

    /// The name with the variant, so an initiative and its variant are told apart: "Pasientens legemiddelliste
    /// (regional)".
    public var label: String { variant.isEmpty ? name : "\(name) (\(variant))" }
}

public struct Answer: Hashable, Sendable, Codable {
    public var candidateId: String
    public var questionId: String
    /// nil: not answered ("ikke besvart"), or answered "vet ikke" when `unknown`.
    public var value: Double?
    public var comment: String
    /// The scorers said they do not know ("vet ikke"): no value, but not forgotten either. nil (not written) otherwise.
    public var unknown: Bool?
    public init(candidateId: String, questionId: String, value: Double?, comment: String = "", unknown: Bool = false) {
        self.candidateId = candidateId
        self.questionId = questionId
        self.value = value
        self.comment = comment
        self.unknown = unknown && value == nil ? true : nil
    }

    public var isUnknown: Bool { unknown == true && value == nil }

    /// How the answer is written in forms and files: `7,5`, `vet ikke` or empty.
    public var text: String {
        value.map { NumberText.plain($0).replacingOccurrences(of: ".", with: ",") }
            ?? (isUnknown ? Answer.unknownText : "")
    }

    public static let unknownText = "vet ikke"

    /// Reads a cell as people type it: `7`, `7,5`, `7.5`, `vet ikke` (or `?`), or empty for not answered.
    public static func parse(_ text: String, question: Criterion) -> Result<
        (value: Double?, unknown: Bool), AnswerProblem
    > {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.isEmpty { return .success((nil, false)) }
        if t == unknownText || t == "?" || t == "vet ikke." { return .success((nil, true)) }
        guard let v = NumberText.parse(t) else { return .failure(.notANumber) }
        guard v >= question.scaleMin, v <= question.scaleMax else { return .failure(.outOfScale) }
        return .success((v, false))
    }

    public enum AnswerProblem: Error, Equatable { case notANumber, outOfScale }
}

/// A figure an imported sheet carried itself (a group total, the score, the rank), kept beside the recomputed one.
public struct StoredFigure: Hashable, Sendable, Codable {
    public var candidateId: String
    /// A criterion id, `score` or `rang`.
    public var key: String
    public var value: Double
    public init(candidateId: String, key: String, value: Double) {
        self.candidateId = candidateId
        self.key = key
        self.value = value
    }
}

public struct ScoringRound: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var date: Day?
    public var model: ScoringModel
    public var candidates: [Candidate]
    public var answers: [Answer]
    public var stored: [StoredFigure]
    /// A round being entered: seen only by editors until it is published. nil (not written) for a published round.
    public var draft: Bool?
    public init(
        id: String, title: String, date: Day?, model: ScoringModel, candidates: [Candidate], answers: [Answer],
        stored: [StoredFigure],
        draft: Bool = false
    ) {
        self.id = id
        self.title = title
        self.date = date
        self.model = model
        self.candidates = candidates
        self.answers = answers
        self.stored = stored
        self.draft = draft ? true : nil
    }

    public var isDraft: Bool { draft == true }

    /// One cell as a form shows it: the answer's text, and its comment when the form has comments.
    public func cell(_ candidateId: String, _ questionId: String, comments: Bool) -> String {
        let a = answer(candidateId, questionId)
        return (a?.text ?? "") + (comments ? "\u{1F}" + (a?.comment ?? "") : "")
    }

    /// Every cell of a candidate's row as a form shows it, by question id (what the form was opened with).
    public func cells(of candidateId: String, comments: Bool) -> [String: String] {
        Dictionary(uniqueKeysWithValues: model.questions.map { ($0.id, cell(candidateId, $0.id, comments: comments)) })
    }

    /// A three-way merge of one candidate's row: `mine` (the form's answers), `original` (the cells the form was
    /// opened with) and what is stored now (`self`). A cell I did not change takes the stored one; a cell I changed
    /// is mine when nobody else changed it (or changed it the same way). Returns nil for the cells both changed
    /// differently: those are a conflict and nothing of the row may be written unseen.
    public func merge(
        _ candidateId: String, mine: [Answer], original: [String: String],
        comments: Bool
    ) -> (answers: [Answer], conflicts: [String]) {
        var mineRound = self
        mineRound.answers = answers.filter { $0.candidateId != candidateId } + mine
        var merged: [Answer] = []
        var conflicts: [String] = []
        for q in model.questions {
            let before = original[q.id] ?? ""
            let my = mineRound.cell(candidateId, q.id, comments: comments)
            let theirs = cell(candidateId, q.id, comments: comments)
            let take: Answer?
            if my == before {
                take = answer(candidateId, q.id)
            } else if theirs == before || theirs == my {
                take = mineRound.answer(candidateId, q.id)
            } else {
                conflicts.append(q.id)
                take = nil
            }
            if let take { merged.append(take) }
        }
        return (merged, conflicts)
    }

    /// A short, stable stamp of one candidate's answers as a form shows them: values and "vet ikke", and the comments
    /// when the form has them (the grid does not). Two editors entering different candidates at once never conflict;
    /// a save of a candidate someone changed meanwhile is refused.
    public func stamp(of candidateId: String, comments: Bool = true) -> String {
        // An empty answer (no value, not "vet ikke", no comment shown) is the same as none.
        let text = answers.filter {
            $0.candidateId == candidateId && ($0.value != nil || $0.isUnknown || (comments && !$0.comment.isEmpty))
        }
        .sorted { $0.questionId < $1.questionId }
        .map {
            "\($0.questionId)=\($0.value.map { String($0) } ?? ($0.isUnknown ? "?" : ""))"
                + (comments ? "|\($0.comment)" : "")
        }
        .joined(separator: "\n")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return String(hash, radix: 16)
    }

    public func answer(_ candidateId: String, _ questionId: String) -> Answer? {
        answers.first { $0.candidateId == candidateId && $0.questionId == questionId }
    }
}

/// The evaluation of one candidate: every criterion's value (nil when nothing under it is answered), the score and
/// rank.
public struct CandidateResult: Sendable, Equatable {
    public let candidate: Candidate
    public let values: [String: Double]
    /// Top-level groups without any answer: the score is incomplete.
    public let missingGroups: [String]
    public let unanswered: Int
    public let score: Double?
    /// Competition rank among complete, ranked candidates ("1224"); nil otherwise.
    public var rank: Int?
    public var tied: Bool
    public var isComplete: Bool { score != nil }
}

public enum Scoring {
    /// Evaluates every candidate with the model's weights (or `weights`), then ranks the complete ones; ties share a
    /// rank.
    public static func evaluate(_ round: ScoringRound, weights: [String: Double]? = nil) -> [CandidateResult] {
        let w = weights ?? round.model.weights
        var results = round.candidates.map { c -> CandidateResult in
            var values: [String: Double] = [:]
            for a in round.answers where a.candidateId == c.id {
                guard let v = a.value else { continue }
                let q = round.model.criterion(a.questionId)
                values[a.questionId] = q?.lowerIsBetter == true ? q!.scaleMax + q!.scaleMin - v : v
            }
            let unanswered = round.model.questions.filter { round.answer(c.id, $0.id)?.value == nil }.count
            return scored(c, answers: values, model: round.model, weights: w, unanswered: unanswered)
        }
        rank(&results)
        return results
    }

    /// One candidate scored from its (turned-around) answer values: groups bottom-up, then the weighted sum; unranked.
    static func scored(
        _ c: Candidate, answers: [String: Double], model: ScoringModel, weights w: [String: Double],
        unanswered: Int
    ) -> CandidateResult {
        var values = answers
        for g in model.groups { _ = value(of: g, answers: &values) }
        let missing = model.groups.filter { values[$0.id] == nil }.map(\.id)
        let score: Double? = missing.isEmpty ? model.groups.reduce(0) { $0 + (w[$1.id] ?? 1) * values[$1.id]! } : nil
        return CandidateResult(
            candidate: c, values: values, missingGroups: missing, unanswered: unanswered, score: score, rank: nil,
            tied: false)
    }

    /// Fills `values` bottom-up; a group with no answered child has no value (never zero, never a division by zero).
    static func value(of c: Criterion, answers values: inout [String: Double]) -> Double? {
        if c.isQuestion { return values[c.id] }
        var parts: [(String, Double)] = []
        for child in c.children { if let v = value(of: child, answers: &values) { parts.append((child.id, v)) } }
        guard !parts.isEmpty else { return nil }
        let result: Double
        switch c.aggregation {
        case .mean: result = parts.map(\.1).reduce(0, +) / Double(parts.count)
        case .weightedMean(let weights):
            let total = parts.reduce(0) { $0 + (weights[$1.0] ?? 1) }
            guard total > 0 else { return nil }
            result = parts.reduce(0) { $0 + (weights[$1.0] ?? 1) * $1.1 } / total
        }
        values[c.id] = result
        return result
    }

    /// Scores equal to 1e-9 are ties: both get the better rank and are marked tied.
    static func rank(_ results: inout [CandidateResult]) {
        let order = results.indices.filter { results[$0].score != nil && results[$0].candidate.ranked }.sorted {
            results[$0].score! > results[$1].score!
        }
        var position = 0
        for (i, index) in order.enumerated() {
            if i == 0 || abs(results[order[i - 1]].score! - results[index].score!) > 1e-9 { position = i + 1 }
            results[index].rank = position
        }
        let sharing = Dictionary(grouping: order, by: { results[$0].rank! }).mapValues(\.count)
        for index in order where sharing[results[index].rank!]! > 1 { results[index].tied = true }
    }

    // MARK: sensitivity

    public struct Variation: Sendable, Equatable {
        public let label: String
        public let weights: [String: Double]
    }

    /// Up to this many groups every combination is tried (3^6 = 729 rankings); past it one weight at a time.
    public static let exhaustiveGroupLimit = 6

    public static func variationsAreExhaustive(_ model: ScoringModel) -> Bool {
        model.groups.count <= exhaustiveGroupLimit
    }

    /// What the rank ranges vary, for the page: "… (27 kombinasjoner)".
    public static func variationSummary(_ model: ScoringModel) -> String {
        let n = model.groups.count
        let all = (0..<n).reduce(1) { product, _ in product * 3 }
        return variationsAreExhaustive(model)
            ? "når hver gruppevekt ganges med 0,5, 1 og 1,5 (\(all) kombinasjoner) og når hver gruppe utelates"
            : """
            når én gruppevekt om gangen ganges med 0,5 eller 1,5 og når hver gruppe utelates (modellen har \(n) \
            grupper:\u{20}
            """
                + "alle \(all) kombinasjoner prøves ikke)"
    }

    /// Every top-level weight in {0.5, 1, 1.5} (3^groups combinations, or one group at a time past
    /// `exhaustiveGroupLimit`), plus leaving each group out (weight 0).
    public static func variations(_ model: ScoringModel) -> [Variation] {
        var result: [Variation] = []
        var combos: [[String: Double]] = [[:]]
        // Factors on the model's own weights: with weights 2/1 the variations are 1–3 and 0.5–1.5, not 0.5–1.5
        // for both.
        if variationsAreExhaustive(model) {
            for g in model.groups {
                combos = combos.flatMap { base in [0.5, 1.0, 1.5].map { base.merging([g.id: $0]) { _, n in n } } }
            }
        } else {
            let ones = Dictionary(uniqueKeysWithValues: model.groups.map { ($0.id, 1.0) })
            combos = [ones] + model.groups.flatMap { g in [0.5, 1.5].map { ones.merging([g.id: $0]) { _, n in n } } }
        }
        for c in combos {
            let weights = Dictionary(
                uniqueKeysWithValues: model.groups.map { ($0.id, c[$0.id]! * model.weight($0.id)) })
            result.append(
                Variation(
                    label: model.groups.map { "\($0.title) \(Progress.decimal(weights[$0.id]!, 2))" }.joined(
                        separator: ", "),
                    weights: weights))
        }
        for g in model.groups {
            result.append(Variation(label: "Uten \(g.title.lowercased())", weights: leaveOut(g.id, of: model)))
        }
        return result
    }

    /// The model's own weights with one group left out (weight 0).
    public static func leaveOut(_ groupId: String, of model: ScoringModel) -> [String: Double] {
        var w = Dictionary(uniqueKeysWithValues: model.groups.map { ($0.id, model.weight($0.id)) })
        w[groupId] = 0
        return w
    }

    /// For each top-level group: the ranks with that group left out and the other groups at the model's weights.
    public static func leaveOneOut(_ round: ScoringRound) -> [(group: String, ranks: [String: Int])] {
        round.model.groups.map { g in
            (
                g.title,
                Dictionary(
                    uniqueKeysWithValues: evaluate(round, weights: leaveOut(g.id, of: round.model)).compactMap { r in
                        r.rank.map { (r.candidate.id, $0) }
                    })
            )
        }
    }

    /// For each candidate: the best and worst rank it takes over the variations (complete candidates only).
    public static func rankRanges(_ round: ScoringRound) -> [String: (best: Int, worst: Int)] {
        var ranges: [String: (best: Int, worst: Int)] = [:]
        for v in variations(round.model) {
            for r in evaluate(round, weights: v.weights) {
                guard let rank = r.rank else { continue }
                let current = ranges[r.candidate.id] ?? (rank, rank)
                ranges[r.candidate.id] = (min(current.best, rank), max(current.worst, rank))
            }
        }
        return ranges
    }

    // MARK: consistency

    public struct Finding: Sendable, Equatable {
        public let candidateId: String
        public let key: String
        public let stored: Double
        /// nil when Veikart cannot compute it (no answers under it).
        public let computed: Double?
    }

    /// Every stored figure that disagrees with the recomputed one beyond the sheet's own rounding (half a unit in its
    /// last decimal, at least 0.05).
    public static func consistency(_ round: ScoringRound) -> [Finding] {
        let results = Dictionary(uniqueKeysWithValues: evaluate(round).map { ($0.candidate.id, $0) })
        return round.stored.compactMap { s in
            guard let r = results[s.candidateId] else { return nil }
            let computed: Double? =
                s.key == "score" ? r.score : (s.key == "rang" ? r.rank.map(Double.init) : r.values[s.key])
            guard let computed else {
                return Finding(candidateId: s.candidateId, key: s.key, stored: s.value, computed: nil)
            }
            let tolerance = s.key == "rang" ? 0.0 : 0.05 + 1e-9
            return abs(computed - s.value) > tolerance
                ? Finding(candidateId: s.candidateId, key: s.key, stored: s.value, computed: computed) : nil
        }
    }
}
