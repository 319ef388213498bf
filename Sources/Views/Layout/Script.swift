/// The site's only script: small enhancements, never needed for a page to work (every form and link works without it).
/// Served from `/assets/veikart.js`, so the Content-Security-Policy can keep `script-src 'self'`.
public enum Script {
    public static let source = """
    // Veikart: progressive enhancements only.
    (function () {
      "use strict";
      // A form that came back with errors: move focus to the summary, so screen readers read it and keyboard users
      // start from the list of what to fix.
      function focusErrorSummary() {
        var summary = document.querySelector(".error-summary");
        if (!summary) { return; }
        if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
        summary.focus();
      }
      // A wide roadmap drawing on a narrow screen starts scrolled to today instead of the first year.
      function scrollRoadmapsToToday() {
        var scrollers = document.querySelectorAll(".svg-scroll");
        for (var i = 0; i < scrollers.length; i++) {
          var box = scrollers[i];
          var today = box.querySelector(".today line");
          if (!today || box.scrollWidth <= box.clientWidth) { continue; }
          var svg = box.querySelector("svg");
          var scale = svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width
            ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
          var x = parseFloat(today.getAttribute("x1")) * scale;
          box.scrollLeft = Math.max(0, x - box.clientWidth / 3);
        }
      }
      function start() { focusErrorSummary(); scrollRoadmapsToToday(); }
      if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
    })();
    """

    public static let url = "/assets/veikart.js?v=" + Site.fingerprint(source)
}
