import Charts
import Domain
import Foundation
@preconcurrency import Plot
import Routes

public struct ScoringListModel: Sendable {
    public let rounds: [(id: String, title: String, date: String, candidates: Int)]
    /// Rounds not yet published (listed for editors only).
    public var drafts: Set<String> = []
    /// For editors: CSRF token and the form's values and errors after a refused import.
    public let importForm: (csrf: String, values: [String: String], issues: [ImportIssue])?
    /// The latest version of each model: id and label.
    public let models: [(String, String)]
    public init(
        rounds: [(id: String, title: String, date: String, candidates: Int)],
        importForm: (csrf: String, values: [String: String], issues: [ImportIssue])?,
        models: [(String, String)] = []
    ) {
        self.rounds = rounds
        self.importForm = importForm
        self.models = models
    }
}

/// `/prioritering`: the scoring rounds, and importing a new one.
public enum ScoringListView {
    public static func render(_ m: ScoringListModel) -> String {
        let F = Fragments.self
        return PageFrame(
            title: "Prioritering", description: "Poengsetting og rangering av nasjonale tiltak.",
            path: SiteURL.scoring.path
        ).render(
            .h1(.text("Prioritering av nasjonale tiltak")),
            .p(
                .class("lead"),
                .text(
                    """
                    Tiltak poengsettes etter kriteriene i en poengmodell. Veikart regner ut gruppene og \
                    rangeringen, viser manglende svar,\u{20}
                    """
                        + "sjekker tallene i importerte ark og viser hvor robust rangeringen er når vektene endres.")),
            m.importForm == nil
                ? .empty
                : .p(.a(.class("button"), .href(SiteURL.newScoringRound.path), .text("Ny prioriteringsrunde"))),
            .ul(
                .forEach(m.rounds) { r in
                    .li(
                        .a(.href(SiteURL.scoringRound(r.id).path), .text(r.title)),
                        .text(
                            """
                             – \(r.date), \
                            \(NumberText.count(r.candidates, "tiltak eller variant", "tiltak og varianter"))
                            """
                        ),
                        m.drafts.contains(r.id) ? .strong(.text(" (utkast, ikke publisert)")) : .empty)
                }),
            .p(.a(.href(SiteURL.scoringModels.path), .text("Poengmodellene"))),
            m.importForm.map { f in
                .section(
                    .attribute(named: "aria-labelledby", value: "importer"),
                    .h2(.id("importer"), .text("Importer en runde fra CSV")),
                    .p(
                        .text(
                            """
                            For et ark som allerede er fylt ut. Én rad per kriterium (første kolonne er \
                            kriteriets kortnavn i modellen),\u{20}
                            """
                                + """
                                én kolonne per tiltak, og merknader i kolonnen «merknad». Øverst radene «navn» \
                                og «tiltak» (tiltakets adresse i\u{20}
                                """
                                    + """
                                    veikartet, f.eks. pll for /tiltak/pll); valgfritt «variant» og «rangeres» \
                                    (ja/nei). Svar skrives som tall med komma\u{20}
                                    """
                                    + """
                                    eller punktum, eller «vet ikke»; tomt er ikke besvart. Rader for gruppesummer, \
                                    «score» og «rang» kontrolleres mot\u{20}
                                    """
                                + "svarene. Runden lagres som utkast.")),
                    f.issues.isEmpty
                        ? .empty
                        : F.el(
                            "div", .class("error-summary"), F.attr("role", "alert"),
                            .h3(.text("Importen ble avvist – ingenting er endret")),
                            .ul(.forEach(f.issues) { .li(.text($0.description)) })),
                    F.el(
                        "form", .class("form"), F.attr("method", "post"), F.attr("action", SiteURL.scoring.path),
                        F.attr("enctype", "multipart/form-data"),
                        F.input([("type", "hidden"), ("name", "_csrf"), ("value", f.csrf)]),
                        field("tittel", "Tittel", f.values),
                        field("dato", "Dato (f.eks. 21.09.2022)", f.values),
                        F.el(
                            "div", .class("field"),
                            F.select(
                                name: "modell", id: "modell", label: "Modell", options: m.models.map { ($0.0, $0.1) },
                                selected: f.values["modell"], allLabel: nil)),
                        F.el(
                            "div", .class("field"), F.el("label", F.attr("for", "fil"), .text("CSV-fil")),
                            F.input([("type", "file"), ("name", "fil"), ("id", "fil"), ("accept", ".csv,text/csv")])),
                        F.el(
                            "div", .class("field"),
                            F.el("label", F.attr("for", "tekst"), .text("… eller lim inn innholdet")),
                            F.el(
                                "textarea", F.attr("name", "tekst"), F.attr("id", "tekst"), F.attr("rows", "8"),
                                .text(f.values["tekst"] ?? ""))),
                        F.el("button", F.attr("type", "submit"), .text("Importer"))))
            } ?? .empty
        )
    }

    static func field(_ name: String, _ label: String, _ values: [String: String]) -> Node<HTML.BodyContext> {
        Fragments.el(
            "div", .class("field"), Fragments.el("label", Fragments.attr("for", name), .text(label)),
            Fragments.input([("type", "text"), ("name", name), ("id", name), ("value", values[name] ?? "")]))
    }
}

public struct ScoringRoundModelView: Sendable {
    /// Council cases that dealt with this ("behandlet i"), newest first.
    public var handledIn: [CaseReference] = []
    public let round: ScoringRound
    public let results: [CandidateResult]
    public let findings: [Scoring.Finding]
    public let ranges: [String: (best: Int, worst: Int)]
    /// Ranks with each top-level group left out, per candidate.
    public let leaveOneOut: [(group: String, ranks: [String: Int])]
    public let weights: [String: Double]
    public let customWeights: Bool
    public let compare: [String]
    public let chartSVG: String
    public let canEdit: Bool
    /// Unanswered questions that could move a candidate, and those that could change who is first.
    public let openQuestions: [OpenQuestion]

    public init(round: ScoringRound, weights: [String: Double]?, compare: [String], canEdit: Bool) {
        self.round = round
        let w =
            weights ?? Dictionary(uniqueKeysWithValues: round.model.groups.map { ($0.id, round.model.weight($0.id)) })
        self.weights = w
        self.customWeights = weights != nil
        self.results = Scoring.evaluate(round, weights: w)
        self.findings = Scoring.consistency(round)
        self.ranges = Scoring.rankRanges(round)
        self.leaveOneOut = Scoring.leaveOneOut(round)
        self.compare = compare
        self.canEdit = canEdit
        self.openQuestions = ScoringOpenQuestions.analyse(round)
        let ranked = results.filter { $0.rank != nil }.sorted { $0.rank! < $1.rank! }
        let rows = ranked.map { r in
            StackedScoreBars.Row(
                label: "\(r.rank!). \(r.candidate.name)",
                segments: round.model.groups.map { (w[$0.id] ?? 1) * (r.values[$0.id] ?? 0) },
                total: NumberText.norwegian(r.score!))
        }
        self.chartSVG = StackedScoreBars.svg(
            rows, legend: round.model.groups.map(\.title), title: "Poengsum per tiltak, delt på gruppene",
            description: "Stolper per tiltak i rangert rekkefølge; hver stolpe er summen av "
                + round.model.groups.map(\.title).joined(separator: ", ")
                + ". "
                + ranked.map { "\($0.candidate.name): \(NumberText.norwegian($0.score!))" }.joined(separator: "; ")
                + ".", id: "poeng")
    }
}

/// `/prioritering/<round>`: ranking, breakdown, consistency findings, sensitivity and comparison.
public enum ScoringRoundView {
    /// How the groups' values are made from their questions, as the model says (a plain or a weighted mean).
    static func aggregationText(_ groups: [Criterion]) -> String {
        let weighted = groups.filter { if case .weightedMean = $0.aggregation { true } else { false } }
        if weighted.isEmpty { return "hver gruppe er gjennomsnittet av de besvarte spørsmålene under den" }
        if weighted.count == groups.count {
            return "hver gruppe er et vektet gjennomsnitt av de besvarte spørsmålene under den"
        }
        return weighted.map(\.title).joined(separator: ", ")
            + " er vektede gjennomsnitt, de andre gruppene vanlige gjennomsnitt, "
            + "av de besvarte spørsmålene under dem"
    }

    public static func render(_ m: ScoringRoundModelView) -> String {
        let F = Fragments.self
        let r = m.round
        let groups = r.model.groups
        let ranked = m.results.filter { $0.rank != nil }.sorted { $0.rank! < $1.rank! }
        let apart = m.results.filter { $0.rank == nil }
        let names = Dictionary(uniqueKeysWithValues: r.candidates.map { ($0.id, $0.name) })
        func value(_ v: Double?) -> String { v.map { NumberText.norwegian($0, decimals: 2) } ?? "ikke besvart" }
        func label(_ key: String) -> String {
            key == "score" ? "Poengsum" : (key == "rang" ? "Rangering" : r.model.criterion(key)?.title ?? key)
        }
        func missingTitles(_ ids: [String]) -> String {
            ids.compactMap { r.model.criterion($0)?.title.lowercased() }.joined(separator: ", ")
        }
        return PageFrame(
            title: r.title, description: "Rangering av tiltak: \(r.title)",
            path: SiteURL.scoringRound(r.id).path,
            breadcrumbs: [("Prioritering", SiteURL.scoring.path)]
        ).render(
            .h1(.text(r.title)),
            r.isDraft
                ? F.el(
                    "div", .class("notice"), F.attr("role", "status"),
                    .p(.strong(.text("Utkast: ")), .text("runden er bare synlig for redaktører til den publiseres.")),
                    m.canEdit
                        ? .p(
                            .a(.href(SiteURL.scoringAnswers(r.id).path), .text("Skriv inn svar")), .text(" · "),
                            .a(.href(SiteURL.scoringPublication(r.id).path), .text("Publiser runden …")))
                        : .empty) : .empty,
            !r.isDraft && m.canEdit
                ? .p(
                    .class("no-print"),
                    .a(.href(SiteURL.scoringAnswers(r.id).path), .text("Endre svar og kandidater")))
                : .empty,
            .p(
                .class("meta"),
                .text(
                    "Modell: \(r.model.name), versjon \(r.model.version). Poengsum = "
                        + groups.map { "\(Progress.decimal(m.weights[$0.id] ?? 1, 2)) × \($0.title)" }.joined(
                            separator: " + ")
                        + "; " + Self.aggregationText(groups) + ".")),
            .p(
                .class("no-print"), .text("Last ned: "),
                F.el("a", F.attr("href", SiteURL.scoringRound(r.id).path + ".csv"), .text("CSV")), .text(" · "),
                F.el("a", F.attr("href", SiteURL.scoringRound(r.id).path + ".json"), .text("JSON"))),
            .section(
                .attribute(named: "aria-labelledby", value: "rangering"),
                .h2(.id("rangering"), .text(m.customWeights ? "Rangering med valgte vekter" : "Rangering")),
                .div(
                    .class("table-scroll"),
                    .table(
                        .class("data"),
                        .caption(.text("Rangering med poengsum og gruppesummer")),
                        .thead(
                            .tr(
                                .th(.text("Rang")), .th(.text("Tiltak")), .group(groups.map { .th(.text($0.title)) }),
                                .th(.text("Poengsum")),
                                .th(.text("Ubesvarte spørsmål")), .th(.text("Rangspenn ved vektvariasjoner")))),
                        .tbody(
                            .forEach(ranked) { res in
                                .tr(
                                    .td(.text("\(res.rank!)\(res.tied ? " (delt)" : "")")),
                                    .td(
                                        candidateName(res.candidate),
                                        m.canEdit
                                            ? .group(
                                                .text(" "),
                                                .a(
                                                    .class("no-print"),
                                                    .href(
                                                        SiteURL.scoringAnswers(r.id).path
                                                            + "?kandidat=\(res.candidate.id)"),
                                                    .text("Endre svar"))) : .empty),
                                    .group(groups.map { g in .td(.text(value(res.values[g.id]))) }),
                                    .td(.strong(.text(NumberText.norwegian(res.score!, decimals: 2)))),
                                    .td(.text(String(res.unanswered))),
                                    .td(
                                        .text(
                                            m.ranges[res.candidate.id].map {
                                                $0.best == $0.worst ? "alltid \($0.best)" : "\($0.best)–\($0.worst)"
                                            } ?? "–")))
                            }))),
                .if(
                    !apart.isEmpty,
                    .group(
                        .h3(.text("Utenfor rangeringen")),
                        .p(
                            .text(
                                """
                                Tiltak der en hel gruppe mangler svar har ingen poengsum (aldri null, aldri \
                                deling på null); tiltak arket ikke rangerte, står også her.
                                """
                            )),
                        .ul(
                            .forEach(apart) { res in
                                .li(
                                    candidateName(res.candidate), .text(": "),
                                    .text(
                                        res.score.map {
                                            "poengsum \(NumberText.norwegian($0, decimals: 2)), ikke rangert"
                                        }
                                            ?? "ufullstendig – ingen svar i \(missingTitles(res.missingGroups))"
                                    ),
                                    m.canEdit
                                        ? .group(
                                            .text(" "),
                                            .a(
                                                .class("no-print"),
                                                .href(
                                                    SiteURL.scoringAnswers(r.id).path
                                                        + "?kandidat=\(res.candidate.id)"),
                                                .text("Endre svar"))) : .empty)
                            })))),
            Fragments.element(
                "figure", .class("score-figure"), .div(.class("svg-scroll chart"), .raw(m.chartSVG)),
                Fragments.element(
                    "figcaption",
                    .text("Hver stolpe deles i gruppene (vektet). Tallene står også i tabellen over."))),
            openQuestionsSection(m),
            // Only an imported sheet printed its own totals; a round entered here has nothing to check against.
            r.stored.isEmpty
                ? .empty
                : .section(
                    .attribute(named: "aria-labelledby", value: "konsistens"),
                    .h2(.id("konsistens"), .text("Kontroll av tallene i arket")),
                    m.findings.isEmpty
                        ? .p(
                            .text(
                                """
                                Alle tall arket selv oppga, stemmer med det Veikart regner ut (innenfor arkets \
                                avrunding).
                                """
                            ))
                        : .div(
                            .class("table-scroll"),
                            .table(
                                .class("data"),
                                .caption(
                                    .text("Tall i arket som ikke stemmer med svarene (ingen av dem er overskrevet)")),
                                .thead(
                                    .tr(
                                        .th(.text("Tiltak")), .th(.text("Tall")), .th(.text("I arket")),
                                        .th(.text("Regnet ut")))),
                                .tbody(
                                    .forEach(m.findings) { f in
                                        .tr(
                                            .td(.text(names[f.candidateId] ?? f.candidateId)), .td(.text(label(f.key))),
                                            .td(.text(NumberText.norwegian(f.stored, decimals: 2))),
                                            .td(
                                                .text(
                                                    f.computed.map { NumberText.norwegian($0, decimals: 2) }
                                                        ?? "kan ikke regnes ut (ingen svar)")))
                                    })))),
            .section(
                .attribute(named: "aria-labelledby", value: "sensitivitet"),
                .h2(.id("sensitivitet"), .text("Hvor robust er rangeringen?")),
                .p(
                    .text(
                        """
                        Rangspennet over viser beste og dårligste plass \(Scoring.variationSummary(r.model)). \
                        Prøv egne vekter:
                        """
                    )),
                F.el(
                    "form", .class("inline-form"), F.attr("method", "get"),
                    F.attr("action", SiteURL.scoringRound(r.id).path(fragment: "rangering")),
                    .group(
                        groups.map { g in
                            .group(
                                F.el("label", F.attr("for", "vekt-\(g.id)"), .text(g.title)),
                                F.input([
                                    ("type", "number"), ("name", "vekt.\(g.id)"), ("id", "vekt-\(g.id)"), ("min", "0"),
                                    ("max", "3"), ("step", "0.25"),
                                    ("value", NumberText.plain(m.weights[g.id] ?? 1)),
                                ]))
                        }),
                    F.el("button", F.attr("type", "submit"), .text("Vis rangering"))),
                .div(
                    .class("table-scroll"),
                    .table(
                        .class("data"),
                        .caption(.text("Rangering når én gruppe utelates")),
                        .thead(
                            .tr(
                                .th(.text("Tiltak")),
                                .group(m.leaveOneOut.map { .th(.text("Uten \($0.group.lowercased())")) }))),
                        .tbody(
                            .forEach(ranked) { res in
                                .tr(
                                    .td(.text(res.candidate.name)),
                                    .group(
                                        m.leaveOneOut.map { l in
                                            .td(.text(l.ranks[res.candidate.id].map(String.init) ?? "–"))
                                        }))
                            })))),
            .section(
                .attribute(named: "aria-labelledby", value: "sammenlign"),
                .h2(.id("sammenlign"), .text("Sammenlign tiltak")),
                F.el(
                    "form", F.attr("method", "get"),
                    F.attr("action", SiteURL.scoringRound(r.id).path(fragment: "sammenlign")),
                    F.el(
                        "fieldset", .class("checkboxes"), F.el("legend", .text("Velg tiltak")),
                        .group(
                            r.candidates.map { c in
                                F.el(
                                    "label",
                                    F.input(
                                        [("type", "checkbox"), ("name", "sammenlign"), ("value", c.id)]
                                            + (m.compare.contains(c.id) ? [("checked", nil)] : [])),
                                    .text(" " + c.name))
                            })),
                    F.el("button", F.attr("type", "submit"), .text("Sammenlign"))),
                m.compare.isEmpty ? .empty : comparison(m)),
            Fragments.handledIn(m.handledIn)
        )
    }

    /// "Kan gi rang 1–3": what each unanswered question could do to its candidate, and which could change the top.
    static func openQuestionsSection(_ m: ScoringRoundModelView) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        let r = m.round
        guard !m.openQuestions.isEmpty else { return .empty }
        let names = Dictionary(uniqueKeysWithValues: r.candidates.map { ($0.id, $0.label) })
        let top = m.openQuestions.filter(\.changesTop)
        func title(_ q: OpenQuestion) -> String { r.model.criterion(q.questionId)?.title ?? q.questionId }
        func unknown(_ q: OpenQuestion) -> Bool { r.answer(q.candidateId, q.questionId)?.isUnknown == true }
        return .section(
            .attribute(named: "aria-labelledby", value: "ubesvart"),
            .h2(.id("ubesvart"), .text("Ubesvarte spørsmål")),
            .p(
                .text(
                    NumberText.count(m.openQuestions.count, "svar mangler", "svar mangler")
                        + """
                         (tomt eller «vet ikke»). Tabellen viser hvilken rang tiltaket kan få når bare det ene \
                        svaret settes til det\u{20}
                        """
                        + "beste eller dårligste på skalaen, og alt annet står som nå"
                        + (m.customWeights ? ", med modellens egne vekter (ikke vektene du har valgt over)." : "."))),
            top.isEmpty
                ? .p(.text("Ingen enkeltsvar kan endre hvem som er nummer 1."))
                : F.el(
                    "div", .class("notice"), F.attr("role", "note"),
                    .p(.strong(.text("Kan endre hvem som er nummer 1: "))),
                    .ul(.forEach(top) { q in .li(.text(topChange(q, names: names, question: title(q)))) })),
            .div(
                .class("table-scroll"),
                .table(
                    .class("data"),
                    .caption(.text("Ubesvarte spørsmål og rangen de kan gi")),
                    .thead(
                        .tr(
                            .th(.text("Tiltak")), .th(.text("Spørsmål")), .th(.text("Nå")),
                            .th(.text("Rang med dette svaret")))),
                    .tbody(
                        .forEach(m.openQuestions) { q in
                            .tr(
                                .td(.text(names[q.candidateId] ?? q.candidateId)),
                                .td(.text(title(q) + (unknown(q) ? " (vet ikke)" : ""))),
                                .td(.text(q.currentRank.map(String.init) ?? "ikke rangert")),
                                .td(.text(rankRange(q))))
                        }))))
    }

    /// Which answer gives whom the first place: "«Nytte» for PLL (nå rang 2): med svaret 10 blir PLL nummer 1."
    static func topChange(_ q: OpenQuestion, names: [String: String], question: String) -> String {
        func who(_ ids: [String]) -> String { ids.map { names[$0] ?? $0 }.joined(separator: " og ") }
        func answer(_ v: Double) -> String { NumberText.plain(v).replacingOccurrences(of: ".", with: ",") }
        let candidate = names[q.candidateId] ?? q.candidateId
        var parts: [String] = []
        if q.leadersAtBest != q.leadersNow {
            parts.append("med svaret \(answer(q.bestAnswer)) blir \(who(q.leadersAtBest)) nummer 1")
        }
        if q.leadersAtWorst != q.leadersNow {
            parts.append("med svaret \(answer(q.worstAnswer)) blir \(who(q.leadersAtWorst)) nummer 1")
        }
        let now = q.currentRank.map { " (nå rang \($0))" } ?? " (nå uten poengsum)"
        return "«\(question)» for \(candidate)\(now): " + parts.joined(separator: ", og ") + "."
    }

    static func rankRange(_ q: OpenQuestion) -> String {
        guard let best = q.bestRank, let worst = q.worstRank else { return "fortsatt ufullstendig" }
        return best == worst ? "\(best) uansett svar" : "kan gi rang \(best)–\(worst)"
    }

    static func candidateName(_ c: Candidate) -> Node<HTML.BodyContext> {
        guard let slug = c.initiativeSlug else { return .text(c.name) }
        return .group(
            .a(.href(SiteURL.initiative(slug).path), .text(c.name)),
            c.variant.isEmpty ? .empty : .span(.class("meta"), .text(" (\(c.variant))")))
    }

    static func comparison(_ m: ScoringRoundModelView) -> Node<HTML.BodyContext> {
        let chosen = m.compare.compactMap { id in m.results.first { $0.candidate.id == id } }
        return .div(
            .class("table-scroll"),
            .table(
                .class("data comparison"),
                .caption(.text("Side om side")),
                .thead(.tr(.th(.text("Kriterium")), .group(chosen.map { .th(.text($0.candidate.name)) }))),
                .tbody(
                    .group(
                        m.round.model.allCriteria.map { item in
                            .tr(
                                .th(
                                    .attribute(named: "scope", value: "row"), .class("depth-\(item.depth)"),
                                    .text(item.criterion.title)),
                                .group(
                                    chosen.map { res in
                                        let answer = m.round.answer(res.candidate.id, item.criterion.id)
                                        return .td(
                                            .text(
                                                res.values[item.criterion.id].map {
                                                    NumberText.norwegian($0, decimals: 2)
                                                } ?? "ikke besvart"),
                                            answer.map {
                                                $0.comment.isEmpty
                                                    ? .empty : .span(.class("meta"), .text(" – \($0.comment)"))
                                            } ?? .empty)
                                    }))
                        }),
                    .tr(
                        .th(.text("Poengsum")),
                        .group(
                            chosen.map {
                                .td(
                                    .strong(
                                        .text($0.score.map { NumberText.norwegian($0, decimals: 2) } ?? "ufullstendig"))
                                )
                            })))))
    }
}

/// `/prioritering/<round>/svar`: every candidate's answers in one grid (candidates × questions), or one candidate's
/// with comments (`?kandidat=`). Each row carries the stamp of what it showed, so two editors entering different
/// candidates never conflict.
public struct ScoringGridModel: Sendable {
    public let round: ScoringRound
    /// nil: every candidate; otherwise the one candidate shown (with comments).
    public let only: Candidate?
    public let values: [String: String]
    public let errors: FieldErrors
    /// Rows someone else saved since the form was opened: candidate id → what is stored now.
    public let conflicts: [String: String]
    public let notice: String?
    /// The roadmap's initiatives, to add candidates.
    public let initiatives: [(slug: String, title: String)]
    public init(
        round: ScoringRound, only: Candidate?, values: [String: String], errors: FieldErrors,
        conflicts: [String: String],
        notice: String?, initiatives: [(slug: String, title: String)]
    ) {
        self.round = round
        self.only = only
        self.values = values
        self.errors = errors
        self.conflicts = conflicts
        self.notice = notice
        self.initiatives = initiatives
    }

    /// The form's values for the stored answers (and each row's stamp; the grid shows no comments, so its stamps
    /// leave them out and a colleague's comment never makes an untouched row conflict).
    /// The cells a row was opened with, carried in the form (JSON) for a cell-by-cell merge with a colleague's save.
    public static func original(_ cells: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(cells)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    public static func original(from text: String?) -> [String: String]? {
        text.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
    }

    public static func values(of round: ScoringRound, comments: Bool) -> [String: String] {
        var v: [String: String] = [:]
        for c in round.candidates {
            v["stempel.\(c.id)"] = round.stamp(of: c.id, comments: comments)
            v["opprinnelig.\(c.id)"] = original(round.cells(of: c.id, comments: comments))
            for q in round.model.questions {
                let a = round.answer(c.id, q.id)
                v["svar.\(c.id).\(q.id)"] = a?.text ?? ""
                v["kommentar.\(c.id).\(q.id)"] = a?.comment ?? ""
            }
        }
        return v
    }
}

public enum ScoringGridView {
    public static func render(_ m: ScoringGridModel) -> String {
        let F = Fragments.self
        let r = m.round
        let path = SiteURL.scoringAnswers(r.id).path
        let candidates = m.only.map { [$0] } ?? r.candidates
        let questions = r.model.questions
        let title = m.only.map { "Svar for \($0.label)" } ?? "Svar i \(r.title)"
        let order = candidates.flatMap { c in questions.map { "svar.\(c.id).\($0.id)" } }
        let scale =
            questions.first.map { "fra \(NumberText.plain($0.scaleMin)) til \(NumberText.plain($0.scaleMax))" } ?? ""
        func cell(_ c: Candidate, _ q: Criterion) -> Node<HTML.TableRowContext> {
            let name = "svar.\(c.id).\(q.id)"
            return F.el(
                "td", m.errors[name] == nil ? .empty : .class("has-error"),
                F.input(
                    [
                        ("type", "text"), ("inputmode", "decimal"), ("name", name), ("id", "felt-\(name)"),
                        ("value", m.values[name] ?? ""),
                        ("list", "svarvalg"), ("size", "6"), ("autocomplete", "off"),
                        ("aria-label", "\(c.label): \(q.title)"),
                    ]
                        + (m.errors[name] == nil
                            ? [] : [("aria-invalid", "true"), ("aria-describedby", "feil-\(name)")])),
                RoundUI.fieldError(m.errors, name))
        }
        return PageFrame(
            title: title, description: r.title, path: path,
            breadcrumbs: [
                ("Prioritering", SiteURL.scoring.path),
                (r.title, SiteURL.scoringRound(r.id).path),
            ]
        ).render(
            .h1(.text(title)),
            RoundUI.notice(m.notice),
            CouncilForm.errorSummary(
                m.conflicts.isEmpty
                    ? []
                    : [
                        "Noen andre har lagret svar for "
                            + m.conflicts.keys.sorted().compactMap { id in r.candidates.first { $0.id == id }?.label }
                            .joined(separator: ", ")
                                + """
                                 etter at du åpnet skjemaet. Ingenting er lagret. Det som er lagret nå, står under \
                                hver av dem; svarene dine står i skjemaet.\u{20}
                                """
                            + "Lagre igjen for å bruke dine."
                    ], errors: m.errors, order: order),
            .p(
                .text(
                    """
                    Skriv et tall \(scale) (desimaler med komma, f.eks. 7,5), «vet ikke», eller la feltet stå \
                    tomt hvis spørsmålet ikke er\u{20}
                    """
                        + """
                        besvart ennå. Flere kan skrive inn samtidig: hver kandidat lagres for seg, og bare \
                        kandidater du har endret, lagres.
                        """
                )),
            F.el("datalist", F.attr("id", "svarvalg"), F.el("option", F.attr("value", Answer.unknownText))),
            F.el(
                "form", .class("form grid-form"), F.attr("method", "post"), F.attr("action", path),
                F.attr("novalidate", ""),
                RoundUI.csrf(),
                m.only.map { F.input([("type", "hidden"), ("name", "kandidat"), ("value", $0.id)]) } ?? .empty,
                .group(
                    candidates.map { c in
                        .group(
                            F.input([
                                ("type", "hidden"), ("name", "stempel.\(c.id)"),
                                ("value", m.values["stempel.\(c.id)"] ?? ""),
                            ]),
                            F.input([
                                ("type", "hidden"), ("name", "opprinnelig.\(c.id)"),
                                ("value", m.values["opprinnelig.\(c.id)"] ?? "{}"),
                            ]))
                    }),
                m.only == nil
                    ? RoundUI.scrollTable(
                        "Svar per kandidat og spørsmål",
                        .table(
                            .class("data answer-grid"),
                            .caption(.text("Svar: én rad per kandidat, én kolonne per spørsmål")),
                            .thead(
                                .tr(
                                    .th(.attribute(named: "scope", value: "col"), .text("Kandidat")),
                                    .group(
                                        questions.map { q in
                                            .th(
                                                .attribute(named: "scope", value: "col"), .text(q.title),
                                                q.help.isEmpty
                                                    ? .empty : .group(.br(), .span(.class("meta"), .text(q.help))))
                                        }))),
                            .tbody(
                                .forEach(candidates) { c in
                                    .tr(
                                        .th(
                                            .attribute(named: "scope", value: "row"), .text(c.label),
                                            .br(),
                                            .a(
                                                .class("meta no-print"), .href("\(path)?kandidat=\(c.id)"),
                                                .text("Bare denne, med kommentarer")),
                                            m.conflicts[c.id].map {
                                                .p(.class("error-message"), .text("Lagret nå: \($0)"))
                                            } ?? .empty),
                                        .group(questions.map { cell(c, $0) }))
                                }))) : single(m, candidates[0]),
                F.el(
                    "div", .class("field"),
                    F.el("label", F.attr("for", "felt-begrunnelse"), .text("Begrunnelse for endringen (valgfri)")),
                    F.input([
                        ("type", "text"), ("name", "begrunnelse"), ("id", "felt-begrunnelse"),
                        ("value", m.values["begrunnelse"] ?? ""),
                    ])),
                F.el("button", F.attr("type", "submit"), .text("Lagre svar"))),
            m.only == nil ? addCandidates(m) : .p(.a(.href(path), .text("Alle kandidater"))),
            r.isDraft ? .p(.a(.href(SiteURL.scoringPublication(r.id).path), .text("Publiser runden …"))) : .empty
        )
    }

    /// One candidate, question by question under its group, with a comment per answer.
    static func single(_ m: ScoringGridModel, _ c: Candidate) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        return .group(
            m.conflicts[c.id].map { F.el("div", .class("conflict"), .p(.text("Lagret nå: \($0)"))) } ?? .empty,
            .group(
                m.round.model.allCriteria.map { item in
                    let q = item.criterion
                    guard q.isQuestion else { return item.depth == 0 ? .h2(.text(q.title)) : .h3(.text(q.title)) }
                    let name = "svar.\(c.id).\(q.id)"
                    let note = "kommentar.\(c.id).\(q.id)"
                    return F.el(
                        "div", .class(m.errors[name] == nil ? "field" : "field has-error"),
                        F.el("label", F.attr("for", "felt-\(name)"), .text(q.title)),
                        q.help.isEmpty ? .empty : .p(.class("hint"), .id("hjelp-\(name)"), .text(q.help)),
                        RoundUI.fieldError(m.errors, name),
                        F.input(
                            [
                                ("type", "text"), ("inputmode", "decimal"), ("name", name), ("id", "felt-\(name)"),
                                ("value", m.values[name] ?? ""),
                                ("list", "svarvalg"), ("autocomplete", "off"),
                            ]
                                + (m.errors[name] != nil
                                    ? [("aria-invalid", "true"), ("aria-describedby", "feil-\(name)")]
                                    : q.help.isEmpty ? [] : [("aria-describedby", "hjelp-\(name)")])),
                        F.el("label", F.attr("for", "felt-\(note)"), .text("Kommentar til «\(q.title)»")),
                        F.input([
                            ("type", "text"), ("name", note), ("id", "felt-\(note)"), ("value", m.values[note] ?? ""),
                        ]))
                }))
    }

    /// Adding initiatives (or a named variant of one) to the round.
    static func addCandidates(_ m: ScoringGridModel) -> Node<HTML.BodyContext> {
        let F = Fragments.self
        let taken = Set(m.round.candidates.compactMap { $0.variant.isEmpty ? $0.initiativeSlug : nil })
        let options = m.initiatives.map { (value: $0.slug, text: $0.title) }
        return .section(
            .class("no-print"), .attribute(named: "aria-labelledby", value: "ny-kandidat"),
            .h2(.id("ny-kandidat"), .text("Legg til tiltak")),
            .p(.text("Lagre svarene over først: dette er et eget skjema, og svar som ikke er lagret, blir ikke med.")),
            F.el(
                "form", .class("form"), F.attr("method", "post"),
                F.attr("action", SiteURL.scoringCandidates(m.round.id).path), F.attr("novalidate", ""),
                RoundUI.csrf(),
                F.el(
                    "fieldset", .class("checkboxes"), F.el("legend", .text("Tiltak fra veikartet")),
                    .group(
                        m.initiatives.filter { !taken.contains($0.slug) }.map { i in
                            F.el(
                                "label",
                                F.input(
                                    [("type", "checkbox"), ("name", "tiltak"), ("value", i.slug)]
                                        + (m.values["tiltak.\(i.slug)"] == "ja" ? [("checked", nil)] : [])),
                                .text(" " + i.title))
                        })),
                F.el(
                    "fieldset", .class("rows"), F.el("legend", .text("Eller en variant av et tiltak")),
                    F.el(
                        "p", .class("hint"),
                        .text(
                            "For å score et tiltak på flere måter (f.eks. «nasjonal løsning» og "
                                + "«regional løsning»).")
                    ),
                    CouncilForm.select(
                        "variant-tiltak", "Tiltak", options: options, selected: m.values["variant-tiltak"],
                        empty: "Velg tiltak",
                        errors: m.errors),
                    CouncilForm.text(
                        "variant-navn", "Navn på varianten", m.values["variant-navn"] ?? "", errors: m.errors)),
                F.el("button", F.attr("type", "submit"), .text("Legg til"))))
    }
}

/// `/prioritering/ny`: a round entered in Veikart: title, date, model and the candidates, as a draft.
public struct ScoringNewRoundModel: Sendable {
    public let models: [(id: String, label: String)]
    public let initiatives: [(slug: String, title: String)]
    public let values: [String: String]
    public let chosen: Set<String>
    public let errors: FieldErrors
    public init(
        models: [(id: String, label: String)], initiatives: [(slug: String, title: String)], values: [String: String],
        chosen: Set<String>,
        errors: FieldErrors
    ) {
        self.models = models
        self.initiatives = initiatives
        self.values = values
        self.chosen = chosen
        self.errors = errors
    }
}

public enum ScoringNewRoundView {
    public static func render(_ m: ScoringNewRoundModel) -> String {
        let F = Fragments.self
        let v = m.values
        let e = m.errors
        return PageFrame(
            title: "Ny prioriteringsrunde", description: "Ny prioriteringsrunde",
            path: SiteURL.newScoringRound.path,
            breadcrumbs: [("Prioritering", SiteURL.scoring.path)]
        ).render(
            .h1(.text("Ny prioriteringsrunde")),
            CouncilForm.errorSummary([], errors: e, order: ["tittel", "dato", "modell", "tiltak"]),
            .p(
                .text(
                    """
                    Runden lagres som utkast: bare redaktører ser den til den publiseres. Svarene skrives inn \
                    etterpå, i ett skjema for alle.
                    """
                )),
            F.el(
                "form", .class("form"), F.attr("method", "post"), F.attr("action", SiteURL.newScoringRound.path),
                F.attr("novalidate", ""),
                RoundUI.csrf(),
                CouncilForm.text(
                    "tittel", "Tittel", v["tittel"] ?? "", hint: "F.eks. «Porteføljerådet 12.03.2027»", errors: e),
                CouncilForm.text("dato", "Dato", v["dato"] ?? "", type: "date", errors: e),
                CouncilForm.select(
                    "modell", "Poengmodell", options: m.models.map { ($0.id, $0.label) }, selected: v["modell"],
                    empty: nil, errors: e),
                F.el(
                    "fieldset", .class(e["tiltak"] == nil ? "checkboxes" : "checkboxes has-error"),
                    F.attr("id", "felt-tiltak"),
                    F.el("legend", .text("Tiltak som skal scores")),
                    RoundUI.fieldError(e, "tiltak"),
                    .group(
                        m.initiatives.map { i in
                            F.el(
                                "label",
                                F.input(
                                    [("type", "checkbox"), ("name", "tiltak"), ("value", i.slug)]
                                        + (m.chosen.contains(i.slug) ? [("checked", nil)] : [])),
                                .text(" " + i.title))
                        })),
                F.el("button", F.attr("type", "submit"), .text("Opprett runden"))))
    }
}

public struct ScoringModelsModel: Sendable {
    public let models: [ScoringModel]
    public let form: (csrf: String, text: String, problems: [String])?
    public init(models: [ScoringModel], form: (csrf: String, text: String, problems: [String])?) {
        self.models = models
        self.form = form
    }
}

/// `/prioritering/modeller`: every version of every scoring model, and (for editors) a new version from JSON.
public enum ScoringModelsView {
    public static func render(_ m: ScoringModelsModel) -> String {
        let F = Fragments.self
        func tree(_ c: Criterion, _ model: ScoringModel, top: Bool) -> Node<HTML.ListContext> {
            var facts: [String] = []
            if c.isQuestion {
                facts.append("skala \(NumberText.plain(c.scaleMin))–\(NumberText.plain(c.scaleMax))")
                facts.append(c.lowerIsBetter ? "lavt svar er best (snus før snittet)" : "høyt svar er best")
            } else {
                switch c.aggregation {
                case .mean: facts.append("snitt av besvarte")
                case .weightedMean(let w):
                    facts.append(
                        "vektet snitt ("
                            + c.children.map { "\($0.title): \(NumberText.norwegian(w[$0.id] ?? 1, decimals: 2))" }
                            .joined(separator: ", ") + ")")
                }
            }
            if top { facts.append("vekt \(NumberText.norwegian(model.weight(c.id), decimals: 2))") }
            return .li(
                .strong(.text(c.title)), .text(" (\(c.id); \(facts.joined(separator: "; ")))"),
                c.help.isEmpty ? .empty : .span(.class("meta"), .text(" – \(c.help)")),
                c.children.isEmpty ? .empty : .ul(.group(c.children.map { tree($0, model, top: false) })))
        }
        return PageFrame(
            title: "Poengmodeller", description: "Modellene prioriteringsrundene bruker.",
            path: SiteURL.scoringModels.path,
            breadcrumbs: [("Prioritering", SiteURL.scoring.path)]
        ).render(
            .h1(.text("Poengmodeller")),
            .p(
                .class("lead"),
                .text(
                    """
                    En modell er et tre av grupper og spørsmål. En ny versjon endrer aldri rundene som brukte en \
                    eldre versjon.
                    """
                )),
            .forEach(m.models) { model in
                .section(
                    .h2(.text("\(model.name) – versjon \(model.version)")),
                    .p(.class("meta"), .text("Id: \(model.id)")),
                    .ul(.class("model-tree"), .group(model.groups.map { tree($0, model, top: true) })))
            },
            m.form.map { f in
                .section(
                    .attribute(named: "aria-labelledby", value: "ny-modell"),
                    .h2(.id("ny-modell"), .text("Ny modell eller ny versjon")),
                    .p(
                        .text(
                            """
                            Skriv modellen som JSON (samme form som eksporten av en runde, feltet «model»). Samme \
                            id gir en ny versjon.
                            """
                        )),
                    f.problems.isEmpty
                        ? .empty
                        : F.el(
                            "div", .class("error-summary"), F.attr("role", "alert"),
                            .ul(.forEach(f.problems) { .li(.text($0)) })),
                    F.el(
                        "form", .class("form"), F.attr("method", "post"), F.attr("action", SiteURL.scoringModels.path),
                        F.input([("type", "hidden"), ("name", "_csrf"), ("value", f.csrf)]),
                        F.el(
                            "div", .class("field"), F.el("label", F.attr("for", "modell"), .text("Modell (JSON)")),
                            F.el(
                                "textarea", F.attr("name", "modell"), F.attr("id", "modell"), F.attr("rows", "16"),
                                .text(f.text))),
                        F.el("button", F.attr("type", "submit"), .text("Lagre modellen"))))
            } ?? .empty
        )
    }
}
