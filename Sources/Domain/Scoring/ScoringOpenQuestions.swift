import Foundation

/// One unanswered (candidate, question) pair of a scoring round, and what answering it could do to the ranking.
///
/// Only that one answer is varied; every other answer stays as it is.
///
/// Why the two ends of the scale are enough: with the question's set of answered siblings fixed, every group value
/// is a (weighted) mean of its answered children and the score a weighted sum of the top-level groups, so the
/// candidate's score is an affine function of this one answer (`lowerIsBetter` only flips the sign of the slope).
/// It is therefore monotonic, and every score an answer can give lies between the scores at the two ends of the
/// scale. The other candidates' scores do not move. The candidate's rank only gets better as its score rises, and
/// the set at rank 1 goes from the others' leaders, through a tie with them, to the candidate alone as its score
/// rises, each state on one interval of scores; so if neither end changes rank 1, no value in between can.
/// A midpoint (or any interior value) therefore adds nothing and is not evaluated; the tests check this claim
/// against a full `Scoring.evaluate` at the ends, quarters and midpoint of the scale.
public struct OpenQuestion: Sendable, Equatable {
    public let candidateId: String
    public let questionId: String
    /// The candidate's rank now; nil when it is incomplete or not ranked.
    public let currentRank: Int?
    /// The rank with the most favourable answer; nil when the candidate would still have no rank (another top-level
    /// group still has no answer, or the candidate is not ranked).
    public let bestRank: Int?
    /// The rank with the least favourable answer; nil exactly when `bestRank` is.
    public let worstRank: Int?
    /// The answers on the question's own scale that give `bestRank` and `worstRank`: normally the top and the bottom
    /// of the scale, the other way round for a `lowerIsBetter` question.
    public let bestAnswer: Double
    public let worstAnswer: Double
    /// Whether the candidate takes part in the ranking at all (`Candidate.ranked`).
    public let isRanked: Bool
    /// The candidate ids at rank 1 now, with the best answer and with the worst answer, in round order.
    public let leadersNow: [String]
    public let leadersAtBest: [String]
    public let leadersAtWorst: [String]

    public init(
        candidateId: String, questionId: String, currentRank: Int?, bestRank: Int?, worstRank: Int?,
        bestAnswer: Double, worstAnswer: Double, isRanked: Bool,
        leadersNow: [String], leadersAtBest: [String], leadersAtWorst: [String]
    ) {
        self.candidateId = candidateId
        self.questionId = questionId
        self.currentRank = currentRank
        self.bestRank = bestRank
        self.worstRank = worstRank
        self.bestAnswer = bestAnswer
        self.worstAnswer = worstAnswer
        self.isRanked = isRanked
        self.leadersNow = leadersNow
        self.leadersAtBest = leadersAtBest
        self.leadersAtWorst = leadersAtWorst
    }

    /// Some answer to this question would change which candidate(s) hold rank 1.
    public var changesTop: Bool { leadersAtBest != leadersNow || leadersAtWorst != leadersNow }

    /// Leaders that some answer would give and that are not at rank 1 now, in round order.
    public var newLeaders: [String] {
        var seen = Set(leadersNow)
        return (leadersAtBest + leadersAtWorst).filter { seen.insert($0).inserted }
    }
}

public enum ScoringOpenQuestions {
    /// Every question of the model without a value for a candidate (no answer, or only answers with value nil), for
    /// every candidate in round order, questions in model order.
    ///
    /// The round is evaluated once with `Scoring.evaluate`; for each open pair only that candidate is re-scored, at
    /// the two ends of the scale, and the round re-ranked with `Scoring.rank`. This mirrors `Scoring.evaluate` with
    /// the answer appended to the round (the tests check that they agree), and costs O(candidates · log candidates +
    /// criteria) per pair instead of a full evaluation.
    public static func analyse(_ round: ScoringRound) -> [OpenQuestion] {
        let model = round.model
        let base = Scoring.evaluate(round)
        let leadersNow = leaders(base)
        var unranked = base
        for i in unranked.indices {
            unranked[i].rank = nil
            unranked[i].tied = false
        }

        var answered: [String: Set<String>] = [:]
        for a in round.answers where a.value != nil { answered[a.candidateId, default: []].insert(a.questionId) }

        // `Scoring.evaluate` turns an answer around with the first criterion carrying its id.
        var firstById: [String: Criterion] = [:]
        for (c, _) in model.allCriteria where firstById[c.id] == nil { firstById[c.id] = c }
        let questions = model.questions

        var found: [OpenQuestion] = []
        for (index, result) in base.enumerated() {
            let candidate = result.candidate
            let done = answered[candidate.id] ?? []
            for question in questions where !done.contains(question.id) {
                let scale = firstById[question.id] ?? question
                let high = rescored(unranked, index, question.id, answer: scale.scaleMax, scale: scale, model: model)
                let low = rescored(unranked, index, question.id, answer: scale.scaleMin, scale: scale, model: model)
                // The end with the higher score is the favourable one (ties: the nominal one).
                let highIsBest: Bool
                switch (high[index].score, low[index].score) {
                case (let h?, let l?) where h != l: highIsBest = h > l
                default: highIsBest = !scale.lowerIsBetter
                }
                let (best, worst) = highIsBest ? (high, low) : (low, high)
                found.append(
                    OpenQuestion(
                        candidateId: candidate.id, questionId: question.id, currentRank: result.rank,
                        bestRank: best[index].rank, worstRank: worst[index].rank,
                        bestAnswer: highIsBest ? scale.scaleMax : scale.scaleMin,
                        worstAnswer: highIsBest ? scale.scaleMin : scale.scaleMax,
                        isRanked: candidate.ranked, leadersNow: leadersNow,
                        leadersAtBest: leaders(best), leadersAtWorst: leaders(worst)))
            }
        }
        return found
    }

    /// The open questions whose single answer could change who holds rank 1, in the order of `analyse`
    /// (candidates in round order, questions in model order).
    public static func topChangers(_ round: ScoringRound) -> [OpenQuestion] {
        analyse(round).filter(\.changesTop)
    }

    /// Norwegian text for the scoring round page, e.g.
    /// "«Kostnad» for Kandidat A: kan gi rang 1–3 (nå rang 2). Svaret kan endre hvem som er nummer 1."
    public static func summary(_ q: OpenQuestion, candidateName: String, questionTitle: String) -> String {
        var text = "«\(questionTitle)» for \(candidateName): "
        if let best = q.bestRank, let worst = q.worstRank {
            let range = best == worst ? "gir rang \(best) uansett svar" : "kan gi rang \(best)–\(worst)"
            if let current = q.currentRank {
                text += range + (current == best && current == worst ? "" : " (nå rang \(current))")
            } else {
                text += "svaret gjør poengsummen komplett og " + range
            }
        } else if !q.isRanked {
            text += "kandidaten er ikke med i rangeringen"
        } else {
            text += "gir ingen rang alene, for kandidaten mangler fortsatt svar i minst én gruppe"
        }
        text += "."
        if q.changesTop { text += " Svaret kan endre hvem som er nummer 1." }
        return text
    }

    // MARK: helpers

    /// The candidate ids at rank 1, in round order.
    static func leaders(_ results: [CandidateResult]) -> [String] {
        results.filter { $0.rank == 1 }.map(\.candidate.id)
    }

    /// `results` (ranks cleared) with candidate `index` re-scored as if `questionId` were answered `answer`, re-ranked.
    /// Mirrors `Scoring.evaluate` step for step, so the scores are bit for bit the same as a full evaluation.
    static func rescored(
        _ results: [CandidateResult], _ index: Int, _ questionId: String, answer: Double,
        scale: Criterion, model: ScoringModel
    ) -> [CandidateResult] {
        let old = results[index]
        // Only the questions' values: the groups are computed again from them.
        var values = old.values.filter { id, _ in model.criterion(id)?.isQuestion == true }
        values[questionId] = scale.lowerIsBetter ? scale.scaleMax + scale.scaleMin - answer : answer
        var changed = results
        changed[index] = Scoring.scored(
            old.candidate, answers: values, model: model, weights: model.weights,
            unanswered: max(0, old.unanswered - 1))
        Scoring.rank(&changed)
        return changed
    }
}
