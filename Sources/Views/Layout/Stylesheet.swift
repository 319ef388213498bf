import Charts
import Domain

/// The one stylesheet. Phase colours come from the dataset's `PhaseCatalog`, as the drawings' do, so HTML and SVG
/// never disagree.
public enum Stylesheet {
    public static func css(phases: PhaseCatalog) -> String { base + phaseRules(phases) }

    static func phaseRules(_ phases: PhaseCatalog) -> String {
        phases.all.map { ".phase-\($0.code.rawValue){background:\($0.colour);color:\($0.textColour)}" }
            .joined(separator: "\n") + "\n"
    }

    static let base = """
        :root{--ink:#1a1a1a;--muted:#4a525c;--line:#d5dbe1;--accent:#0b5394;--accent-dark:#083d6e;--bg-soft:#f3f5f8;\
        --focus:#ffbf47}
        *{box-sizing:border-box}
        html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);line-height:1.5;\
        -webkit-text-size-adjust:100%}
        body{margin:0;background:#fff}
        .wrap{max-width:1240px;margin:0 auto;padding:0 1rem}
        a{color:var(--accent)}a:hover{color:var(--accent-dark)}
        :focus-visible{outline:3px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 5px var(--ink)}
        .skip-link{position:absolute;left:-999px;top:0;background:var(--ink);color:#fff;padding:.5rem 1rem;z-index:10}
        .skip-link:focus{left:0}
        .site-header{background:#102a43;color:#fff;padding:.5rem 0}
        .site-header .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem}
        .brand{color:#fff;font-weight:700;font-size:1.25rem;text-decoration:none}.brand-sub{font-weight:400;\
        font-size:.9rem}
        .site-header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0}
        .site-header nav a{color:#fff;text-decoration:none;padding:.25rem 0;border-bottom:2px solid transparent}
        .site-header nav a[aria-current=page],.site-header nav a:hover{border-bottom-color:#fff}
        .breadcrumbs ol{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;padding:.5rem 0 0;margin:0;\
        font-size:.9rem}
        .breadcrumbs li+li::before{content:"›";margin-right:.25rem;color:var(--muted)}
        main{padding-bottom:2rem}main:focus{outline:none}
        h1{font-size:1.9rem;line-height:1.2;margin:1rem 0 .5rem}h2{margin-top:2rem}
        .lead{font-size:1.15rem;max-width:70ch}.meta,.kicker{color:var(--muted)}
        .label{font-weight:700}
        .badge{display:inline-block;font-size:.8rem;font-weight:600;padding:.05rem .5rem;border-radius:1rem;\
        vertical-align:middle;border:1px solid}
        .badge-candidate{background:#fff4e5;color:#6b3d00;border-color:#b36b00}
        .badge-priority{background:#e8f1fb;color:#083d6e;border-color:#0b5394}
        .notice{background:#fff4e5;border-left:4px solid #b36b00;padding:.5rem 1rem}
        .cards{display:grid;gap:1rem;padding:0;list-style:none}
        .cards.two{grid-template-columns:repeat(auto-fill,minmax(320px,1fr))}\
        .cards.three{grid-template-columns:repeat(auto-fill,minmax(260px,1fr))}
        .card,.goal-card{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;background:#fff}
        .card h3,.goal-card h3{margin:.25rem 0 .5rem;font-size:1.1rem}
        .goals{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(340px,1fr))}
        .subgoal-list{padding-left:1.1rem}.subgoal-id{font-weight:700}
        .compact{padding-left:1.1rem}
        ul.inline{list-style:none;padding:0;margin:0}
        .facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}.facts dt{font-weight:700}.facts \
        dd{margin:0}
        .button,button{display:inline-block;background:var(--accent);color:#fff;border:2px solid var(--accent);\
        border-radius:4px;padding:.45rem 1rem;font:inherit;text-decoration:none;cursor:pointer}
        .button.secondary,button.secondary{background:#fff;color:var(--accent)}
        .search-form label{display:block;font-weight:600;margin-bottom:.25rem}
        .search-row{display:flex;gap:.5rem;max-width:40rem}
        input[type=search],select{font:inherit;padding:.4rem;border:2px solid var(--muted);border-radius:4px;\
        min-width:0}
        input[type=search]{flex:1}
        .filters fieldset{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem}
        .filters legend{font-weight:700;padding:0 .25rem}
        .field-grid{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(220px,1fr))}
        .field label{display:block;font-weight:600}.field select{width:100%}
        .field.checkbox{display:flex;align-items:center;gap:.5rem}.field.checkbox input{width:1.25rem;height:1.25rem}
        .actions{margin-top:.75rem;display:flex;gap:.5rem;flex-wrap:wrap}
        .inline-form{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;margin-bottom:.75rem}
        .roadmap-figure{margin:1rem 0}.svg-scroll{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
        .svg-scroll svg{display:block;min-width:900px;width:100%;height:auto}
        .roadmap-scroll{max-height:85vh;overflow:auto}.axis-sticky{position:sticky;top:0;z-index:1;background:#fff;\
        border-bottom:1px solid var(--line)}
        .gantt a:focus{outline:none}.gantt a:focus>g rect,.gantt a:focus>g path,.gantt a:focus>g circle{stroke:#000;\
        stroke-width:3}
        .gantt a:focus>text{text-decoration:underline;font-weight:bold}.gantt a:hover>text{text-decoration:underline}
        figcaption{color:var(--muted);margin-top:.5rem}
        .table-scroll{overflow-x:auto;margin:1rem 0;position:relative}
        table.data{border-collapse:collapse;width:100%;font-size:.92rem}
        table.data caption{text-align:left;font-weight:700;font-size:1.05rem;padding:.5rem 0}
        table.data th,table.data td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;\
        vertical-align:top}
        table.data thead th{background:var(--bg-soft)}
        .nowrap{white-space:nowrap}
        .phase{white-space:nowrap}
        .roadmap-table .phase,.roadmap-table .nowrap{white-space:normal}.roadmap-table .swatch{flex:none}
        .phase-legend{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.5rem 0}
        .swatch{display:inline-block;min-width:1.4rem;text-align:center;border:1px solid var(--ink);border-radius:3px;\
        font-size:.75rem;font-weight:700}
        .results{list-style:none;padding:0}.result{border-bottom:1px solid var(--line);padding:.5rem 0}
        .result h3{margin:.1rem 0;font-size:1.1rem}.result-kind{margin:0;font-size:.85rem;color:var(--muted);\
        text-transform:uppercase;letter-spacing:.03em}
        .snippet{margin:.25rem 0}
        mark{background:#ffe58a;color:inherit;padding:0 .1em}
        .priority-list li{margin:.25rem 0}
        .empty{font-style:italic}
        .account{display:flex;justify-content:flex-end;align-items:center;gap:.75rem;padding-top:.25rem;font-size:.9rem}
        form.inline{display:inline}
        .visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;\
        clip:rect(0,0,0,0);white-space:nowrap;border:0}
        button.danger{background:#a4161a;border-color:#a4161a;color:#fff}
        .muted{color:var(--muted)}
        ul.link-list{padding-left:1.1rem}ul.link-list li{margin:.35rem 0}
        ul.flags{margin:0;padding-left:1rem;color:#7a2e00}
        .row-actions{display:flex;flex-wrap:wrap;gap:.35rem;align-items:center}
        .row-actions button{padding:.2rem .5rem;font-size:.9rem}
        tr.flagged th,tr.flagged td{background:#fff8ec}
        .link-button{background:none;border:0;color:var(--accent);text-decoration:underline;padding:0;font:inherit;\
        cursor:pointer}
        .form{max-width:44rem}.form .field{margin:1rem 0}.form label{display:block;font-weight:600}
        .form input[type=text],.form input[type=email],.form input[type=password],.form textarea,.form \
        select{font:inherit;padding:.4rem;border:2px solid var(--muted);border-radius:4px;width:100%}
        .form .hint{color:var(--muted);font-size:.9rem;margin:.1rem 0}
        .form .error-message{color:#a4161a;font-weight:600;margin:.1rem 0}
        .form .has-error input,.form .has-error select,.form .has-error textarea{border-color:#a4161a}
        .error-summary{border:3px solid #a4161a;padding:.5rem 1rem;margin:1rem 0}
        .conflict{border:3px solid #b36b00;background:#fff4e5;padding:.5rem 1rem;margin:1rem 0}
        .radio{display:flex;gap:1rem}.radio label{font-weight:400;display:inline}
        .success{border-left:4px solid #1e6b3a;background:#eaf6ee;padding:.5rem 1rem}
        .status{display:inline-block;font-weight:600;white-space:nowrap;padding:.05rem .5rem;border-radius:1rem;\
        border:1px solid var(--muted);font-size:.85rem}
        .status-nadd{background:#e6f4ea;border-color:#1e6b3a;color:#134a27}.status-i-rute{background:#eaf6ee;\
        border-color:#1e6b3a;color:#134a27}
        .status-noe-fremgang{background:#fff4e5;border-color:#b36b00;color:#6b3d00}\
        .status-ingen-fremgang{background:#fde8e8;border-color:#a4161a;color:#7a1014}
        .status-for-lite-data,.status-ingen-ambisjon{background:#f3f5f8;color:var(--muted)}
        .readiness-klar{background:#eaf6ee;color:#134a27;border-color:#1e6b3a}\
        .readiness-under-arbeid{background:#fff4e5;color:#6b3d00;border-color:#b36b00}
        .readiness-kandidat,.readiness-fremtidig{background:#f3f5f8;color:var(--muted);border-color:var(--muted)}
        .indicator-card h3{font-size:1.05rem}.card-figures{display:flex;align-items:center;gap:.75rem}
        .big-number{font-size:1.6rem;font-weight:700;margin:.25rem 0}.no-data{color:var(--muted);font-style:italic;\
        margin:.25rem 0}
        .svg-scroll.chart svg{min-width:560px;max-width:760px}
        .small-multiples{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(320px,1fr))}\
        .breakdown-figure{margin:0}
        .breakdown-figure svg{width:100%;height:auto}
        .light{font-weight:600;white-space:nowrap}.light-gronn span{color:#1e6b3a}.light-gul span{color:#8a6100}\
        .light-rod span{color:#a4161a}.light-none{color:var(--muted)}
        .report-section{border-top:2px solid var(--line);margin-top:1.5rem}.status-line{font-size:1.05rem}
        tr.disagreement{background:#fff4e5}.disagreement-flag{color:#7a1014}
        .computed-panel{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;background:var(--bg-soft)}
        .workflow{border:2px solid var(--accent);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
        .report-item{border-left:3px solid var(--line);padding-left:.75rem;margin:1rem 0}
        fieldset.field{border:0;padding:0;margin:.75rem 0}fieldset.field legend{font-weight:600;padding:0}
        .model-tree{overflow-wrap:anywhere}
        .badge.round-levert{background:#eaf6ee;color:#134a27;border-color:#1e6b3a}\
        .badge.round-forfalt{background:#fde8e8;color:#7a1014;border-color:#a4161a}
        .badge.round-under-arbeid{background:#fff4e5;color:#6b3d00;border-color:#b36b00}\
        .badge.round-ikke-pabegynt{background:#f3f5f8;color:#3d444d;border-color:#4a525c}
        fieldset.status-entry{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}\
        fieldset.status-entry legend{font-weight:600}
        fieldset.rows{margin:1rem 0}
        fieldset.rows>legend{font-weight:600}
        fieldset.row{margin:.5rem 0;padding:.25rem .75rem;display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}
        fieldset.row>legend{font-size:.9rem;color:var(--muted)}
        fieldset.row .field{flex:1 1 12rem;margin:.25rem 0}
        fieldset.row.has-error{border-color:#a4161a;border-width:2px}
        .radios{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;flex-basis:100%}
        .radios label{font-weight:normal}
        .corrections{border-left:4px solid var(--accent);padding:.25rem .75rem;margin:.75rem 0}
        .corrections h3{font-size:1rem;margin:.25rem 0}
        ul.follow-ups>li{margin:.75rem 0}
        .answer-grid input{width:5.5rem;padding:.25rem .35rem}
        .answer-grid th[scope=row]{min-width:12rem;text-align:left}
        .answer-grid td.has-error input{border:2px solid #a4161a}
        .answer-grid .error-message{font-size:.85rem;max-width:10rem}
        .checkboxes .checkbox{display:flex;align-items:center;gap:.5rem;margin:.2rem 0}.form .checkboxes .checkbox \
        label{font-weight:400;display:inline}
        .checkboxes .checkbox input{width:1.1rem;height:1.1rem}
        .badge[class*=round-]{white-space:nowrap}textarea.reminder{width:100%;max-width:44rem;font:inherit}
        .calendar-subscribe label{display:block;font-weight:600;margin-top:.5rem}
        input.copy-address{font:inherit;width:100%;max-width:40rem;padding:.3rem}
        ul.plain{list-style:none;padding:0;margin:0}.moved.later{color:#7a1014;font-weight:600}\
        .notice.attention{border-left-color:#a4161a}
        figure.chart{margin:1rem 0;overflow-x:auto}figure.chart svg{max-width:100%;height:auto}
        .timeline{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
        .site-footer{border-top:1px solid var(--line);background:var(--bg-soft);padding:1rem 0;font-size:.9rem;\
        color:var(--muted)}
        @media (max-width:600px){h1{font-size:1.5rem}.facts{grid-template-columns:1fr}\
        .search-row{flex-direction:column}}
        .pager{margin:1rem 0}.pager p{margin:.2rem 0}.pager ul{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;\
        padding:0;margin:0}
        .pager a,.pager span{display:inline-block;min-width:2.2rem;text-align:center;padding:.3rem .6rem;border:1px \
        solid #8a8f98;border-radius:4px}
        .pager [aria-current]{font-weight:700;background:#e8edf3}
        .picker label{display:block;font-weight:600}.picker select{max-width:100%}.picker-field{position:relative}
        .picker .picker-input{font:inherit;padding:.4rem;border:2px solid var(--muted);border-radius:4px;width:100%;
          background:#fff;color:var(--ink)}
        .picker-input::placeholder{color:var(--muted);opacity:1}
        .has-error .picker-input,.picker-input[aria-invalid=true]{border-color:#a4161a}
        .picker-list{position:absolute;left:0;right:0;top:100%;z-index:20;margin:.15rem 0 0;padding:.2rem 0;\
        list-style:none;
          background:#fff;color:var(--ink);border:2px solid var(--muted);border-radius:4px;max-height:20rem;\
        overflow-y:auto;
          box-shadow:0 4px 12px rgba(0,0,0,.18)}
        .picker-list[hidden]{display:none}
        .picker-option{padding:.35rem .6rem .35rem .5rem;border-left:4px solid transparent;cursor:pointer;\
        line-height:1.35}
        .picker-option:hover{background:var(--bg-soft)}
        .picker-option.is-active{background:#e8f1fb;border-left-color:var(--accent);outline:2px solid var(--accent);
          outline-offset:-2px}
        .picker-option.is-current .picker-text{font-weight:600}
        .picker-group{font-size:.8rem;color:var(--muted);margin-right:.2rem}
        @media print{@page{size:A4;margin:16mm 14mm}.site-header \
        nav,.filters,.skip-link,.search-form,.no-print,.account,.breadcrumbs,.site-footer{display:none}
          .svg-scroll{overflow:visible;border:0;max-height:none}.axis-sticky{position:static;border:0}\
        .skip-figure{display:none}a{color:inherit;text-decoration:none}body{font-size:10.5pt}
          .report-section.goal-section{break-before:page}table.data{font-size:9pt}tr{break-inside:avoid}}

        """
}
