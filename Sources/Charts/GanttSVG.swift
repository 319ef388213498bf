import Domain

/// Renders a `GanttLayout` as standalone SVG text (usable inline in HTML and as a download).
public enum GanttSVG {
    /// `interactive`: for the page, not the download: bars, milestones and row labels link to their records (keyboard
    /// reachable, named by their titles), and the year and quarter heading is left to `axisHeading`, which the page
    /// keeps in view while the chart scrolls.
    public static func render(
        _ layout: GanttLayout, title: String, description: String, id: String = "veikart",
        interactive: Bool = false
    ) -> String {
        let n = svgNumber
        var s = svgOpening(
            width: layout.width, height: layout.height, title: title, description: description, id: id,
            cssClass: "gantt",
            role: interactive ? nil : "img", top: interactive ? layout.top : 0)
        func open(_ link: String?, _ name: String) -> String {
            guard interactive, let link else { return "" }
            return "<a href=\"\(xmlEscape(link))\" aria-label=\"\(xmlEscape(name))\">"
        }
        func close(_ link: String?) -> String { interactive && link != nil ? "</a>" : "" }
        s +=
            """
            <defs><pattern id=\"\(id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
            patternTransform=\"rotate(45)\">
            """
        s +=
            """
            <rect width=\"6\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.55\"/><line x1=\"0\" y1=\"0\" \
            x2=\"0\" y2=\"6\" stroke=\"#ffffff\" stroke-width=\"2\"/></pattern></defs>\n
            """
        s += svgBackground
        // Row bands, alternating, to guide the eye from label to bar.
        s += "<g class=\"bands\">"
        for (i, band) in layout.bands.enumerated() where i % 2 == 0 {
            s +=
                """
                <rect x=\"0\" y=\"\(n(band.y))\" width=\"\(n(layout.width))\" height=\"\(n(band.height))\" \
                fill=\"#f3f5f8\"/>
                """
        }
        s += "</g>\n"
        s += grid(layout)
        // Labels on the left.
        s += "<g class=\"labels\">"
        for label in layout.labels {
            switch label.level {
            case .section:
                s +=
                    "<text x=\"8\" y=\"\(n(label.y))\" font-weight=\"bold\" font-size=\"13\" fill=\"#102a43\">"
                    + "\(xmlEscape(truncate(label.text, 150)))<title>\(xmlEscape(label.text))</title></text>"
            case .initiative:
                s += open(label.link, label.text)
                s +=
                    "<text x=\"16\" y=\"\(n(label.y))\" font-weight=\"bold\" fill=\"#243b53\">"
                    + "\(xmlEscape(truncate(label.text, 44)))<title>\(xmlEscape(label.text))</title></text>"
                s += close(label.link)
            case .actor:
                s += open(label.link, label.text)
                s +=
                    "<text x=\"30\" y=\"\(n(label.y))\" fill=\"#1a1a1a\">\(xmlEscape(truncate(label.text, 40)))"
                    + "<title>\(xmlEscape(label.text))</title></text>"
                s += close(label.link)
            }
        }
        s += "</g>\n"
        // Bars.
        s += "<g class=\"bars\">"
        for bar in layout.bars {
            let style = layout.phases.definition(bar.phase)
            let fill = style.colour
            s += open(bar.link, bar.label)
            s +=
                """
                <g class=\"bar\" data-phase=\"\(bar.phase.rawValue)\" data-actor=\"\(xmlEscape(bar.actorSlug))\" \
                data-activity=\"\(xmlEscape(bar.activityId))\">
                """
            s += "<title>\(xmlEscape(bar.label))</title>"
            // The plan as it first was, behind the bar: visible where the end moved earlier.
            if let bx = bar.baselineX, bx > bar.x {
                s +=
                    """
                    <rect x=\"\(n(bar.x))\" y=\"\(n(bar.y - 2))\" width=\"\(n(bx - bar.x))\" \
                    height=\"\(n(bar.height + 4))\" rx=\"2\"\u{20}
                    """
                    + "fill=\"none\" stroke=\"#5b6470\" stroke-width=\"1\" stroke-dasharray=\"2 2\"/>"
            }
            s +=
                """
                <rect x=\"\(n(bar.x))\" y=\"\(n(bar.y))\" width=\"\(n(bar.width))\" height=\"\(n(bar.height))\" \
                rx=\"2\" fill=\"\(fill)\"
                """
            if bar.tentative {
                s += " stroke=\"#1a1a1a\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>"
                s +=
                    """
                    <rect x=\"\(n(bar.x))\" y=\"\(n(bar.y))\" width=\"\(n(bar.width))\" \
                    height=\"\(n(bar.height))\" rx=\"2\" fill=\"url(#\(id)-hatch)\"/>
                    """
            } else {
                s += " stroke=\"#1a1a1a\" stroke-width=\"0.6\"/>"
            }
            if bar.continuesLeft {
                let tipX = bar.x
                let midY = bar.y + bar.height / 2
                s +=
                    """
                    <path d=\"M\(n(tipX + 5)) \(n(bar.y - 2))L\(n(tipX - 3)) \(n(midY))L\(n(tipX + 5)) \
                    \(n(bar.y + bar.height + 2))Z\" fill=\"#1a1a1a\"/>
                    """
            }
            if bar.continuesRight {
                let tipX = bar.x + bar.width
                let midY = bar.y + bar.height / 2
                s +=
                    """
                    <path d=\"M\(n(tipX - 5)) \(n(bar.y - 2))L\(n(tipX + 3)) \(n(midY))L\(n(tipX - 5)) \
                    \(n(bar.y + bar.height + 2))Z\" fill=\"#1a1a1a\"/>
                    """
            }
            if bar.width >= 16 {
                // The hatching of a tentative bar washes its colour out: the number gets a patch of the full colour,
                // so it keeps the contrast the import checked.
                let numberX = bar.x + (bar.continuesLeft ? 8 : 5)
                if bar.tentative {
                    s +=
                        """
                        <rect x=\"\(n(numberX - 2))\" y=\"\(n(bar.y + 1))\" \
                        width=\"\(n(digitsWidth(layout.phases.number(bar.phase))))\"\u{20}
                        """
                        + "height=\"\(n(bar.height - 2))\" fill=\"\(fill)\" aria-hidden=\"true\"/>"
                }
                s +=
                    """
                    <text x=\"\(n(numberX))\" y=\"\(n(bar.y + bar.height - 3))\" font-size=\"10\" \
                    fill=\"\(style.textColour)\" aria-hidden=\"true\">\(layout.phases.number(bar.phase))</text>
                    """
            }
            // On top: where the end was first planned, and a recorded significant delay at the end.
            if let bx = bar.baselineX {
                s +=
                    "<line x1=\"\(n(bx))\" y1=\"\(n(bar.y - 3))\" x2=\"\(n(bx))\" y2=\"\(n(bar.y + bar.height + 3))\" "
                    + "stroke=\"#1a1a1a\" stroke-width=\"2\" class=\"baseline\"/>"
            }
            s += "</g>" + close(bar.link)
        }
        s += "</g>\n"
        // Milestones.
        s += "<g class=\"milestones\">"
        for mark in layout.marks {
            s += open(mark.link, mark.label)
            s +=
                "<g class=\"milestone\" data-kind=\"\(mark.kind.rawValue)\"><title>\(xmlEscape(mark.label))</title>"
                + "\(symbol(mark.kind, x: mark.x, y: mark.y, tentative: mark.tentative))</g>"
            s += close(mark.link)
        }
        s += "</g>\n"
        // Delay markers last, above the bar's end, so a milestone on the same date cannot cover them.
        s += "<g class=\"delays\">"
        for bar in layout.bars where bar.delay != nil {
            let ex = bar.x + bar.width
            s +=
                """
                <path d=\"M\(n(ex - 5)) \(n(bar.y - 9))L\(n(ex + 5)) \(n(bar.y - 9))L\(n(ex)) \(n(bar.y - 1))Z\" \
                fill=\"#c0392b\"\u{20}
                """
                + "stroke=\"#ffffff\" stroke-width=\"1\" class=\"delay\"><title>\(xmlEscape(bar.label))</title></path>"
        }
        s += "</g>\n"
        if let tx = layout.todayX {
            s +=
                """
                <g class=\"today\"><line x1=\"\(n(tx))\" y1=\"\(n(layout.top - 20))\" x2=\"\(n(tx))\" \
                y2=\"\(n(layout.plotBottom))\" stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>
                """
            // Inside the plot on a white patch, clear of the year and quarter headings (SVG 1.1 has no paint-order).
            s += "<rect x=\"\(n(tx + 1))\" y=\"\(n(layout.top + 1))\" width=\"27\" height=\"12\" fill=\"#ffffff\"/>"
            s +=
                """
                <text x=\"\(n(tx + 3))\" y=\"\(n(layout.top + 10))\" font-size=\"10\" fill=\"#a93226\">I \
                dag</text></g>\n
                """
        }
        s += legend(layout, id: id)
        s += "</svg>\n"
        return s
    }

    /// Grid: quarters light, years dark, year and quarter labels on top.
    static func grid(_ layout: GanttLayout) -> String {
        let n = svgNumber
        let axis = layout.axis
        var s = "<g class=\"grid\">"
        for year in axis.fromYear...axis.toYear {
            for q in 2...4 {
                let x = axis.x(Period.quarter(year, q).firstDay)
                s +=
                    """
                    <line x1=\"\(n(x))\" y1=\"\(n(layout.top - 6))\" x2=\"\(n(x))\" \
                    y2=\"\(n(layout.plotBottom))\" stroke=\"#dde1e6\" stroke-width=\"0.6\"/>
                    """
            }
            let x = axis.x(Period.year(year).firstDay)
            let xNext = axis.x(Period.year(year + 1).firstDay)
            s +=
                """
                <line x1=\"\(n(x))\" y1=\"\(n(layout.top - 20))\" x2=\"\(n(x))\" y2=\"\(n(layout.plotBottom))\" \
                stroke=\"#8a939e\" stroke-width=\"1\"/>
                """
            s +=
                """
                <text x=\"\(n((x + xNext) / 2))\" y=\"\(n(layout.top - 24))\" text-anchor=\"middle\" \
                font-weight=\"bold\" fill=\"#1a1a1a\">\(year)</text>
                """
            if xNext - x > 90 {
                for q in 1...4 {
                    let qx = axis.x(Period.quarter(year, q).firstDay)
                    let qxe = axis.x(Period.quarter(year, q).lastDay.adding(days: 1))
                    s +=
                        """
                        <text x=\"\(n((qx + qxe) / 2))\" y=\"\(n(layout.top - 8))\" text-anchor=\"middle\" \
                        font-size=\"10\" fill=\"#4a525c\">K\(q)</text>
                        """
                }
            }
        }
        let xEnd = axis.x1
        s +=
            """
            <line x1=\"\(n(xEnd))\" y1=\"\(n(layout.top - 20))\" x2=\"\(n(xEnd))\" y2=\"\(n(layout.plotBottom))\" \
            stroke=\"#8a939e\" stroke-width=\"1\"/>
            """
        s += "</g>\n"
        return s
    }

    /// The year and quarter heading alone, as wide as the chart: the page keeps it in view above a scrolling chart.
    /// Decorative for assistive technology (the chart and the table carry the dates).
    public static func axisHeading(_ layout: GanttLayout) -> String {
        let n = svgNumber
        var s =
            """
            <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(layout.width)) \(n(layout.top))\" \
            width=\"\(n(layout.width))\"\u{20}
            """
                + """
                height=\"\(n(layout.top))\" aria-hidden=\"true\" focusable=\"false\" font-family=\"system-ui, \
                -apple-system, 'Segoe UI', Roboto, sans-serif\"\u{20}
                """
            + "font-size=\"12\" class=\"gantt-axis\">"
        s += svgBackground + grid(layout)
        if let tx = layout.todayX {
            s +=
                """
                <line x1=\"\(n(tx))\" y1=\"\(n(layout.top - 20))\" x2=\"\(n(tx))\" y2=\"\(n(layout.top))\" \
                stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>
                """
        }
        return s + "</svg>"
    }

    static func truncate(_ text: String, _ max: Int) -> String {
        text.count <= max ? text : String(text.prefix(max - 1)) + "…"
    }

    static func symbol(_ kind: MilestoneKind, x: Double, y: Double, tentative: Bool) -> String {
        let n = svgNumber
        let dash = tentative ? " stroke-dasharray=\"2 1.5\"" : ""
        switch kind {
        case .tilgjengelig:  // filled diamond
            return
                """
                <path d=\"M\(n(x)) \(n(y - 7))L\(n(x + 7)) \(n(y))L\(n(x)) \(n(y + 7))L\(n(x - 7)) \(n(y))Z\" \
                fill=\"#102a43\" stroke=\"#ffffff\" stroke-width=\"1\"\(dash)/>
                """
        case .forelopig:  // hollow diamond
            return
                """
                <path d=\"M\(n(x)) \(n(y - 7))L\(n(x + 7)) \(n(y))L\(n(x)) \(n(y + 7))L\(n(x - 7)) \(n(y))Z\" \
                fill=\"#ffffff\" stroke=\"#102a43\" stroke-width=\"2\"\(dash)/>
                """
        case .ferdigstilt:  // filled circle with a check-like ring
            return
                """
                <circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"6.5\" fill=\"#1e6b3a\" stroke=\"#ffffff\" \
                stroke-width=\"1.5\"\(dash)/>
                """
        }
    }

    /// Room for a phase number drawn at font size 10 with a point of margin each side.
    static func digitsWidth(_ number: Int) -> Double { Double(String(number).count) * 6 + 4 }

    static func legend(_ layout: GanttLayout, id: String) -> String {
        let n = svgNumber
        var s = "<g class=\"legend\" transform=\"translate(8 \(n(layout.plotBottom + 14)))\">"
        s += "<text x=\"0\" y=\"10\" font-weight=\"bold\">Faser i verdikjeden</text>"
        let positions = GanttLayout.phaseLegend(layout.phases, width: layout.width)
        for (index, (phase, at)) in zip(layout.phases.all, positions).enumerated() {
            let x = at.x
            let dy = GanttLayout.legendRowHeight * Double(at.row)
            s +=
                "<rect x=\"\(n(x))\" y=\"\(n(20 + dy))\" width=\"22\" height=\"14\" rx=\"2\" fill=\"\(phase.colour)\" "
                + "stroke=\"#1a1a1a\" stroke-width=\"0.6\"/>"
            s +=
                """
                <text x=\"\(n(x + 5))\" y=\"\(n(31 + dy))\" font-size=\"10\" \
                fill=\"\(phase.textColour)\">\(index + 1)</text>
                """
            s += "<text x=\"\(n(x + 28))\" y=\"\(n(31 + dy))\">\(xmlEscape(phase.name))</text>"
        }
        // Further phase rows push the rest of the legend down.
        let extraRows = positions.map(\.row).max() ?? 0
        if extraRows > 0 { s += "<g transform=\"translate(0 \(n(GanttLayout.legendRowHeight * Double(extraRows))))\">" }
        // Planned and tentative in a neutral grey: the phases' colours are the dataset's.
        s +=
            """
            <rect x=\"0\" y=\"48\" width=\"36\" height=\"14\" rx=\"2\" fill=\"#6b7580\" stroke=\"#1a1a1a\" \
            stroke-width=\"0.6\"/><text x=\"42\" y=\"59\">Planlagt (heltrukken)</text>
            """
        s +=
            """
            <rect x=\"180\" y=\"48\" width=\"36\" height=\"14\" rx=\"2\" fill=\"#6b7580\" stroke=\"#1a1a1a\" \
            stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>
            """
        s +=
            """
            <rect x=\"180\" y=\"48\" width=\"36\" height=\"14\" rx=\"2\" fill=\"url(#\(id)-hatch)\"/><text \
            x=\"222\" y=\"59\">Tentativ (stiplet)</text>
            """
        var mx = 360.0
        for kind in MilestoneKind.allCases {
            s += symbol(kind, x: mx + 7, y: 55, tentative: false)
            s += "<text x=\"\(n(mx + 20))\" y=\"59\">\(xmlEscape(kind.name))</text>"
            mx += 20 + Double(kind.name.count) * 6.2 + 20
        }
        s +=
            """
            <line x1=\"0\" y1=\"76\" x2=\"24\" y2=\"76\" stroke=\"#c0392b\" stroke-width=\"1.5\" \
            stroke-dasharray=\"6 3\"/><text x=\"30\" y=\"80\">I dag</text>
            """
        s +=
            """
            <path d=\"M80 70L88 76L80 82Z\" fill=\"#1a1a1a\"/><text x=\"94\" y=\"80\">Fortsetter etter tidsaksen \
            eller har ingen sluttdato</text>
            """
        s +=
            """
            <path d=\"M420 70L412 76L420 82Z\" fill=\"#1a1a1a\"/><text x=\"426\" y=\"80\">Startet før tidsaksen \
            eller før oppgitt periode</text>
            """
        if layout.bars.contains(where: { $0.baselineX != nil || $0.delay != nil }) {
            // Moved and delayed work: one more row (the layout made room for it).
            s +=
                """
                <rect x=\"0\" y=\"91\" width=\"36\" height=\"12\" rx=\"2\" fill=\"none\" stroke=\"#5b6470\" \
                stroke-dasharray=\"2 2\"/>
                """
            s += "<line x1=\"28\" y1=\"88\" x2=\"28\" y2=\"106\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>"
            s += "<text x=\"42\" y=\"102\">Opprinnelig planlagt slutt (før flytting)</text>"
            s +=
                """
                <path d=\"M320 92L330 92L325 100Z\" fill=\"#c0392b\"/><text x=\"338\" y=\"102\">Vesentlig \
                forsinkelse (årsak i verktøytipset)</text>
                """
        }
        if extraRows > 0 { s += "</g>" }
        s += "</g>\n"
        return s
    }
}
