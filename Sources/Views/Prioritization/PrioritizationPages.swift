@preconcurrency import Plot
import Charts
import Domain

public struct ScoringListModel: Sendable {
    public let rounds: [(id: String, title: String, date: String, candidates: Int)]
    /// For editors: CSRF token and the form's values and errors after a refused import.
    public let importForm: (csrf: String, values: [String: String], issues: [ImportIssue])?
    /// The latest version of each model: id and label.
    public let models: [(String, String)]
    public init(rounds: [(id: String, title: String, date: String, candidates: Int)], importForm: (csrf: String, values: [String: String], issues: [ImportIssue])?,
                models: [(String, String)] = []) {
        self.rounds = rounds; self.importForm = importForm; self.models = models
    }
}

/// `/prioritering`: the scoring rounds, and importing a new one.
public enum ScoringListView {
    public static func render(_ m: ScoringListModel) -> String {
        let F = Fragments.self
        return PageFrame(title: "Prioritering", description: "Poengsetting og rangering av nasjonale tiltak.", path: "/prioritering").render(
            .h1(.text("Prioritering av nasjonale tiltak")),
            .p(.class("lead"), .text("Tiltak poengsettes etter kriteriene i en poengmodell. Veikart regner ut gruppene og rangeringen, viser manglende svar, "
                                     + "sjekker tallene i importerte ark og viser hvor robust rangeringen er når vektene endres.")),
            .ul(.forEach(m.rounds) { r in .li(.a(.href("/prioritering/\(r.id)"), .text(r.title)), .text(" – \(r.date), \(r.candidates) tiltak og varianter")) }),
            .p(.a(.href("/prioritering/modeller"), .text("Poengmodellene"))),
            m.importForm.map { f in
                .section(.attribute(named: "aria-labelledby", value: "importer"),
                    .h2(.id("importer"), .text("Importer en runde fra CSV")),
                    .p(.text("Kriteriene som rader, tiltakene som kolonner, merknader i kolonnen «merknad». Se formatet i dokumentasjonen (docs/data-format.md).")),
                    f.issues.isEmpty ? .empty : F.el("div", .class("error-summary"), F.attr("role", "alert"),
                        .h3(.text("Importen ble avvist – ingenting er endret")), .ul(.forEach(f.issues) { .li(.text($0.description)) })),
                    F.el("form", .class("form"), F.attr("method", "post"), F.attr("action", "/prioritering"), F.attr("enctype", "multipart/form-data"),
                        F.input([("type", "hidden"), ("name", "_csrf"), ("value", f.csrf)]),
                        field("id", "Id (a–z, 0–9, bindestrek)", f.values), field("tittel", "Tittel", f.values),
                        field("dato", "Dato (ÅÅÅÅ-MM-DD)", f.values),
                        F.el("div", .class("field"), F.select(name: "modell", id: "modell", label: "Modell", options: m.models.map { ($0.0, $0.1) },
                                                               selected: f.values["modell"], allLabel: nil)),
                        F.el("div", .class("field"), F.el("label", F.attr("for", "fil"), .text("CSV-fil")),
                             F.input([("type", "file"), ("name", "fil"), ("id", "fil"), ("accept", ".csv,text/csv")])),
                        F.el("div", .class("field"), F.el("label", F.attr("for", "tekst"), .text("… eller lim inn innholdet")),
                             F.el("textarea", F.attr("name", "tekst"), F.attr("id", "tekst"), F.attr("rows", "8"), .text(f.values["tekst"] ?? ""))),
                        F.el("button", F.attr("type", "submit"), .text("Importer"))))
            } ?? .empty
        )
    }

    static func field(_ name: String, _ label: String, _ values: [String: String]) -> Node<HTML.BodyContext> {
        Fragments.el("div", .class("field"), Fragments.el("label", Fragments.attr("for", name), .text(label)),
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
    /// For editors: CSRF token, the round's version and the roadmap's initiatives, to add a candidate.
    public var addCandidate: (csrf: String, version: Int64, initiatives: [(String, String)])?

    public init(round: ScoringRound, weights: [String: Double]?, compare: [String], canEdit: Bool) {
        self.round = round
        let w = weights ?? Dictionary(uniqueKeysWithValues: round.model.groups.map { ($0.id, round.model.weight($0.id)) })
        self.weights = w
        self.customWeights = weights != nil
        self.results = Scoring.evaluate(round, weights: w)
        self.findings = Scoring.consistency(round)
        self.ranges = Scoring.rankRanges(round)
        self.leaveOneOut = Scoring.leaveOneOut(round)
        self.compare = compare
        self.canEdit = canEdit
        let ranked = results.filter { $0.rank != nil }.sorted { $0.rank! < $1.rank! }
        let rows = ranked.map { r in
            StackedScoreBars.Row(label: "\(r.rank!). \(r.candidate.name)", segments: round.model.groups.map { (w[$0.id] ?? 1) * (r.values[$0.id] ?? 0) },
                                 total: NumberText.norwegian(r.score!))
        }
        self.chartSVG = StackedScoreBars.svg(rows, legend: round.model.groups.map(\.title), title: "Poengsum per tiltak, delt på gruppene",
            description: "Stolper per tiltak i rangert rekkefølge; hver stolpe er summen av " + round.model.groups.map(\.title).joined(separator: ", ")
                + ". " + ranked.map { "\($0.candidate.name): \(NumberText.norwegian($0.score!))" }.joined(separator: "; ") + ".", id: "poeng")
    }
}

/// `/prioritering/<round>`: ranking, breakdown, consistency findings, sensitivity and comparison.
public enum ScoringRoundView {
    /// How the groups' values are made from their questions, as the model says (a plain or a weighted mean).
    static func aggregationText(_ groups: [Criterion]) -> String {
        let weighted = groups.filter { if case .weightedMean = $0.aggregation { true } else { false } }
        if weighted.isEmpty { return "hver gruppe er gjennomsnittet av de besvarte spørsmålene under den" }
        if weighted.count == groups.count { return "hver gruppe er et vektet gjennomsnitt av de besvarte spørsmålene under den" }
        return weighted.map(\.title).joined(separator: ", ") + " er vektede gjennomsnitt, de andre gruppene vanlige gjennomsnitt, "
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
        func label(_ key: String) -> String { key == "score" ? "Poengsum" : (key == "rang" ? "Rangering" : r.model.criterion(key)?.title ?? key) }
        return PageFrame(title: r.title, description: "Rangering av tiltak: \(r.title)", path: "/prioritering/\(r.id)",
                         breadcrumbs: [("Prioritering", "/prioritering")]).render(
            .h1(.text(r.title)),
            .p(.class("meta"), .text("Modell: \(r.model.name), versjon \(r.model.version). Poengsum = " + groups.map { "\(Progress.decimal(m.weights[$0.id] ?? 1, 2)) × \($0.title)" }.joined(separator: " + ")
                                     + "; " + Self.aggregationText(groups) + ".")),
            .p(.class("no-print"), .text("Last ned: "), F.el("a", F.attr("href", "/prioritering/\(r.id).csv"), .text("CSV")), .text(" · "),
               F.el("a", F.attr("href", "/prioritering/\(r.id).json"), .text("JSON"))),
            .section(.attribute(named: "aria-labelledby", value: "rangering"),
                .h2(.id("rangering"), .text(m.customWeights ? "Rangering med valgte vekter" : "Rangering")),
                .div(.class("table-scroll"), .table(.class("data"),
                    .caption(.text("Rangering med poengsum og gruppesummer")),
                    .thead(.tr(.th(.text("Rang")), .th(.text("Tiltak")), .group(groups.map { .th(.text($0.title)) }), .th(.text("Poengsum")),
                               .th(.text("Ubesvarte spørsmål")), .th(.text("Rangspenn ved vektvariasjoner")))),
                    .tbody(.forEach(ranked) { res in
                        .tr(.td(.text("\(res.rank!)\(res.tied ? " (delt)" : "")")),
                            .td(candidateName(res.candidate), m.canEdit ? .group(.text(" "), .a(.class("no-print"), .href("/prioritering/\(r.id)/svar/\(res.candidate.id)"), .text("Endre svar"))) : .empty),
                            .group(groups.map { g in .td(.text(value(res.values[g.id]))) }),
                            .td(.strong(.text(NumberText.norwegian(res.score!, decimals: 2)))),
                            .td(.text(String(res.unanswered))),
                            .td(.text(m.ranges[res.candidate.id].map { $0.best == $0.worst ? "alltid \($0.best)" : "\($0.best)–\($0.worst)" } ?? "–")))
                    }))),
                .if(!apart.isEmpty, .group(
                    .h3(.text("Utenfor rangeringen")),
                    .p(.text("Tiltak der en hel gruppe mangler svar har ingen poengsum (aldri null, aldri deling på null); tiltak arket ikke rangerte, står også her.")),
                    .ul(.forEach(apart) { res in
                        .li(candidateName(res.candidate), .text(": "),
                            .text(res.score.map { "poengsum \(NumberText.norwegian($0, decimals: 2)), ikke rangert" }
                                  ?? "ufullstendig – ingen svar i \(res.missingGroups.compactMap { r.model.criterion($0)?.title.lowercased() }.joined(separator: ", "))"),
                            m.canEdit ? .group(.text(" "), .a(.class("no-print"), .href("/prioritering/\(r.id)/svar/\(res.candidate.id)"), .text("Endre svar"))) : .empty)
                    })))),
            Fragments.element("figure", .class("score-figure"), .div(.class("svg-scroll chart"), .raw(m.chartSVG)),
                Fragments.element("figcaption", .text("Hver stolpe deles i gruppene (vektet). Tallene står også i tabellen over."))),
            .section(.attribute(named: "aria-labelledby", value: "konsistens"),
                .h2(.id("konsistens"), .text("Kontroll av tallene i arket")),
                m.findings.isEmpty ? .p(.text("Alle tall arket selv oppga, stemmer med det Veikart regner ut (innenfor arkets avrunding).")) :
                .div(.class("table-scroll"), .table(.class("data"),
                    .caption(.text("Tall i arket som ikke stemmer med svarene (ingen av dem er overskrevet)")),
                    .thead(.tr(.th(.text("Tiltak")), .th(.text("Tall")), .th(.text("I arket")), .th(.text("Regnet ut")))),
                    .tbody(.forEach(m.findings) { f in
                        .tr(.td(.text(names[f.candidateId] ?? f.candidateId)), .td(.text(label(f.key))), .td(.text(NumberText.norwegian(f.stored, decimals: 2))),
                            .td(.text(f.computed.map { NumberText.norwegian($0, decimals: 2) } ?? "kan ikke regnes ut (ingen svar)")))
                    })))),
            .section(.attribute(named: "aria-labelledby", value: "sensitivitet"),
                .h2(.id("sensitivitet"), .text("Hvor robust er rangeringen?")),
                .p(.text("Rangspennet over viser beste og dårligste plass \(Scoring.variationSummary(r.model)). Prøv egne vekter:")),
                F.el("form", .class("inline-form"), F.attr("method", "get"), F.attr("action", "/prioritering/\(r.id)#rangering"),
                     .group(groups.map { g in
                         .group(F.el("label", F.attr("for", "vekt-\(g.id)"), .text(g.title)),
                                F.input([("type", "number"), ("name", "vekt.\(g.id)"), ("id", "vekt-\(g.id)"), ("min", "0"), ("max", "3"), ("step", "0.25"),
                                         ("value", NumberText.plain(m.weights[g.id] ?? 1))]))
                     }),
                     F.el("button", F.attr("type", "submit"), .text("Vis rangering"))),
                .div(.class("table-scroll"), .table(.class("data"),
                    .caption(.text("Rangering når én gruppe utelates")),
                    .thead(.tr(.th(.text("Tiltak")), .group(m.leaveOneOut.map { .th(.text("Uten \($0.group.lowercased())")) }))),
                    .tbody(.forEach(ranked) { res in
                        .tr(.td(.text(res.candidate.name)), .group(m.leaveOneOut.map { l in .td(.text(l.ranks[res.candidate.id].map(String.init) ?? "–")) }))
                    })))),
            .section(.attribute(named: "aria-labelledby", value: "sammenlign"),
                .h2(.id("sammenlign"), .text("Sammenlign tiltak")),
                F.el("form", F.attr("method", "get"), F.attr("action", "/prioritering/\(r.id)#sammenlign"),
                     F.el("fieldset", .class("checkboxes"), F.el("legend", .text("Velg tiltak")),
                          .group(r.candidates.map { c in
                              F.el("label", F.input([("type", "checkbox"), ("name", "sammenlign"), ("value", c.id)] + (m.compare.contains(c.id) ? [("checked", nil)] : [])),
                                   .text(" " + c.name))
                          })),
                     F.el("button", F.attr("type", "submit"), .text("Sammenlign"))),
                m.compare.isEmpty ? .empty : comparison(m)),
            m.addCandidate.map { a in
                .section(.class("no-print"), .attribute(named: "aria-labelledby", value: "ny-kandidat"),
                    .h2(.id("ny-kandidat"), .text("Legg til et tiltak eller en variant")),
                    F.el("form", .class("form"), F.attr("method", "post"), F.attr("action", "/prioritering/\(r.id)/kandidater"),
                         F.input([("type", "hidden"), ("name", "_csrf"), ("value", a.csrf)]),
                         F.input([("type", "hidden"), ("name", "versjon"), ("value", String(a.version))]),
                         ScoringListView.field("id", "Id (a–z, 0–9, bindestrek)", [:]), ScoringListView.field("navn", "Navn", [:]),
                         F.el("div", .class("field"), F.select(name: "tiltak", id: "tiltak", label: "Tiltak i veikartet", options: a.initiatives.map { ($0.0, $0.1) },
                                                                selected: nil, allLabel: "Ikke i veikartet")),
                         ScoringListView.field("variant", "Variant (valgfri)", [:]),
                         F.el("button", F.attr("type", "submit"), .text("Legg til og skriv svar"))))
            } ?? .empty,
            Fragments.handledIn(m.handledIn)
        )
    }

    static func candidateName(_ c: Candidate) -> Node<HTML.BodyContext> {
        guard let slug = c.initiativeSlug else { return .text(c.name) }
        return .group(.a(.href("/tiltak/\(slug)"), .text(c.name)), c.variant.isEmpty ? .empty : .span(.class("meta"), .text(" (\(c.variant))")))
    }

    static func comparison(_ m: ScoringRoundModelView) -> Node<HTML.BodyContext> {
        let chosen = m.compare.compactMap { id in m.results.first { $0.candidate.id == id } }
        return .div(.class("table-scroll"), .table(.class("data comparison"),
            .caption(.text("Side om side")),
            .thead(.tr(.th(.text("Kriterium")), .group(chosen.map { .th(.text($0.candidate.name)) }))),
            .tbody(.group(m.round.model.allCriteria.map { item in
                .tr(.th(.attribute(named: "scope", value: "row"), .class("depth-\(item.depth)"), .text(item.criterion.title)),
                    .group(chosen.map { res in
                        let answer = m.round.answer(res.candidate.id, item.criterion.id)
                        return .td(.text(res.values[item.criterion.id].map { NumberText.norwegian($0, decimals: 2) } ?? "ikke besvart"),
                                   answer.map { $0.comment.isEmpty ? .empty : .span(.class("meta"), .text(" – \($0.comment)")) } ?? .empty)
                    }))
            }),
            .tr(.th(.text("Poengsum")), .group(chosen.map { .td(.strong(.text($0.score.map { NumberText.norwegian($0, decimals: 2) } ?? "ufullstendig"))) })))))
    }
}

public struct ScoringAnswersFormModel: Sendable {
    public let round: ScoringRound
    public let candidate: Candidate
    public let version: Int64
    public let csrfToken: String
    public let values: [String: String]
    public let errors: [String: String]
    public let conflict: String?
    public init(round: ScoringRound, candidate: Candidate, version: Int64, csrfToken: String, values: [String: String], errors: [String: String], conflict: String?) {
        self.round = round; self.candidate = candidate; self.version = version; self.csrfToken = csrfToken; self.values = values; self.errors = errors; self.conflict = conflict
    }
}

public enum ScoringAnswersFormView {
    public static func render(_ m: ScoringAnswersFormModel) -> String {
        let F = Fragments.self
        let path = "/prioritering/\(m.round.id)/svar/\(m.candidate.id)"
        return PageFrame(title: "Svar: \(m.candidate.name)", description: m.round.title, path: path,
                         breadcrumbs: [("Prioritering", "/prioritering"), (m.round.title, "/prioritering/\(m.round.id)")]).render(
            .h1(.text("Svar for \(m.candidate.name)")),
            .p(.text("0–10 per spørsmål. Tomt felt betyr «ikke besvart» og holdes utenfor gjennomsnittet.")),
            m.conflict.map { c in F.el("div", .class("conflict"), F.attr("role", "alert"), .p(.text(c))) } ?? .empty,
            m.errors.isEmpty ? .empty : F.el("div", .class("error-summary"), F.attr("role", "alert"), .ul(.forEach(m.errors.sorted { $0.key < $1.key }) { .li(.text($0.value)) })),
            F.el("form", .class("form"), F.attr("method", "post"), F.attr("action", path),
                F.input([("type", "hidden"), ("name", "_csrf"), ("value", m.csrfToken)]),
                F.input([("type", "hidden"), ("name", "versjon"), ("value", String(m.version))]),
                .group(m.round.model.allCriteria.map { item in
                    let c = item.criterion
                    guard c.isQuestion else { return .h2(.text(c.title)) }
                    return F.el("div", .class(m.errors["svar.\(c.id)"] == nil ? "field" : "field has-error"),
                        F.el("label", F.attr("for", "svar-\(c.id)"), .text(c.title)),
                        c.help.isEmpty ? .empty : .p(.class("hint"), .text(c.help)),
                        m.errors["svar.\(c.id)"].map { .p(.class("error-message"), .text($0)) } ?? .empty,
                        F.input([("type", "text"), ("inputmode", "decimal"), ("name", "svar.\(c.id)"), ("id", "svar-\(c.id)"), ("value", m.values["svar.\(c.id)"] ?? "")]),
                        F.el("label", F.attr("for", "kommentar-\(c.id)"), .text("Kommentar")),
                        F.input([("type", "text"), ("name", "kommentar.\(c.id)"), ("id", "kommentar-\(c.id)"), ("value", m.values["kommentar.\(c.id)"] ?? "")]))
                }),
                F.el("div", .class("field"), F.el("label", F.attr("for", "begrunnelse"), .text("Begrunnelse for endringen (valgfri)")),
                     F.input([("type", "text"), ("name", "begrunnelse"), ("id", "begrunnelse"), ("value", m.values["begrunnelse"] ?? "")])),
                F.el("button", F.attr("type", "submit"), .text("Lagre svar")))
        )
    }
}

public struct ScoringModelsModel: Sendable {
    public let models: [ScoringModel]
    public let form: (csrf: String, text: String, problems: [String])?
    public init(models: [ScoringModel], form: (csrf: String, text: String, problems: [String])?) { self.models = models; self.form = form }
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
                case .weightedMean(let w): facts.append("vektet snitt (" + c.children.map { "\($0.title): \(NumberText.norwegian(w[$0.id] ?? 1, decimals: 2))" }.joined(separator: ", ") + ")")
                }
            }
            if top { facts.append("vekt \(NumberText.norwegian(model.weight(c.id), decimals: 2))") }
            return .li(.strong(.text(c.title)), .text(" (\(c.id); \(facts.joined(separator: "; ")))"), c.help.isEmpty ? .empty : .span(.class("meta"), .text(" – \(c.help)")),
                       c.children.isEmpty ? .empty : .ul(.group(c.children.map { tree($0, model, top: false) })))
        }
        return PageFrame(title: "Poengmodeller", description: "Modellene prioriteringsrundene bruker.", path: "/prioritering/modeller",
                         breadcrumbs: [("Prioritering", "/prioritering")]).render(
            .h1(.text("Poengmodeller")),
            .p(.class("lead"), .text("En modell er et tre av grupper og spørsmål. En ny versjon endrer aldri rundene som brukte en eldre versjon.")),
            .forEach(m.models) { model in
                .section(.h2(.text("\(model.name) – versjon \(model.version)")), .p(.class("meta"), .text("Id: \(model.id)")),
                         .ul(.class("model-tree"), .group(model.groups.map { tree($0, model, top: true) })))
            },
            m.form.map { f in
                .section(.attribute(named: "aria-labelledby", value: "ny-modell"),
                    .h2(.id("ny-modell"), .text("Ny modell eller ny versjon")),
                    .p(.text("Skriv modellen som JSON (samme form som eksporten av en runde, feltet «model»). Samme id gir en ny versjon.")),
                    f.problems.isEmpty ? .empty : F.el("div", .class("error-summary"), F.attr("role", "alert"), .ul(.forEach(f.problems) { .li(.text($0)) })),
                    F.el("form", .class("form"), F.attr("method", "post"), F.attr("action", "/prioritering/modeller"),
                         F.input([("type", "hidden"), ("name", "_csrf"), ("value", f.csrf)]),
                         F.el("div", .class("field"), F.el("label", F.attr("for", "modell"), .text("Modell (JSON)")),
                              F.el("textarea", F.attr("name", "modell"), F.attr("id", "modell"), F.attr("rows", "16"), .text(f.text))),
                         F.el("button", F.attr("type", "submit"), .text("Lagre modellen"))))
            } ?? .empty
        )
    }
}
