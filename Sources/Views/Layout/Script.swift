import Routes

/// The site's only script: small enhancements, never needed for a page to work (every form and link works without it).
/// Served from `/assets/veikart.js`, so the Content-Security-Policy can keep `script-src 'self'`.
///
/// Written without backslashes: this is a Swift string literal, where `\` starts an escape.
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

          // Text for matching: lower case, without diacritics (å → a, é → e), ø → o, æ → ae.
          var COMBINING = new RegExp("[" + String.fromCharCode(0x300) + "-" + String.fromCharCode(0x36f) + "]", "g");
          function fold(s) {
            s = String(s || "").toLowerCase();
            if (s.normalize) { s = s.normalize("NFD").replace(COMBINING, ""); }
            return s.replace(/ø/g, "o").replace(/æ/g, "ae");
          }
          function words(s) { return fold(s).split(" ").filter(function (w) { return w !== ""; }); }
          function fire(el, type) {
            var e;
            if (typeof Event === "function") { e = new Event(type, { bubbles: true }); } else {
              e = document.createEvent("Event"); e.initEvent(type, true, false);
            }
            el.dispatchEvent(e);
          }
          function make(tag, className, text) {
            var el = document.createElement(tag);
            if (className) { el.className = className; }
            if (text) { el.textContent = text; }
            return el;
          }
          // A polite live region, in place before anything is said in it.
          function liveRegion(parent) {
            var region = make("div", "visually-hidden");
            region.setAttribute("role", "status");
            region.setAttribute("aria-live", "polite");
            region.setAttribute("aria-atomic", "true");
            parent.appendChild(region);
            return region;
          }
          var uid = 0;

          // `.picker` around a `select`: a search-as-you-type combobox over its options (optgroup label included) and,
          // with `data-search`, the search API (finds things by words in their description). The select stays in the
          // form, hidden, and holds the value that is submitted.
          var PICKER_LIMIT = 12, PICKER_EXTRA = 8, PICKER_MIN_SEARCH = 3;
          var SEARCH_TYPES = { goal: true, subgoal: true, initiative: true, indicator: true };
          function enhancePicker(box) {
            var select = box.querySelector("select");
            if (!select || box.getAttribute("data-enhanced") === "true") { return; }
            box.setAttribute("data-enhanced", "true");
            uid += 1;
            var base = "picker-" + uid;
            var records = [], byValue = Object.create(null);
            for (var i = 0; i < select.options.length; i++) {
              var o = select.options[i], parent = o.parentNode;
              var group = parent && parent.tagName === "OPTGROUP" ? parent.label : "";
              var rec = { value: o.value, text: o.text, group: group, hay: fold(group + " " + o.text), name: \
        fold(o.text) };
              byValue[o.value] = rec;
              if (o.value !== "" && !o.disabled && !(parent && parent.disabled)) { records.push(rec); }
            }
            var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
            var input = make("input", "picker-input");
            input.type = "text";
            input.id = base + "-sok";
            var list = make("ul", "picker-list");
            list.id = base + "-forslag";
            list.setAttribute("role", "listbox");
            list.hidden = true;
            input.setAttribute("role", "combobox");
            input.setAttribute("aria-autocomplete", "list");
            input.setAttribute("aria-expanded", "false");
            input.setAttribute("aria-controls", list.id);
            input.setAttribute("autocomplete", "off");
            input.setAttribute("spellcheck", "false");
            if (label) {
              if (!label.id) { label.id = base + "-etikett"; }
              label.htmlFor = input.id;
              list.setAttribute("aria-labelledby", label.id);
            } else {
              input.setAttribute("aria-label", select.getAttribute("aria-label") || "Velg");
              list.setAttribute("aria-label", "Forslag");
            }
            var hint = make("span", "visually-hidden",
              "Skriv for å søke, velg med piltastene og Enter. Tøm feltet for å fjerne valget.");
            hint.id = base + "-hint";
            var described = select.getAttribute("aria-describedby");
            input.setAttribute("aria-describedby", hint.id + (described ? " " + described : ""));
            var invalid = select.getAttribute("aria-invalid");
            if (invalid) { input.setAttribute("aria-invalid", invalid); }
            // A hidden required select would stop the form with a message nobody can see: the input asks instead.
            if (select.required) { input.required = true; select.required = false; }
            input.disabled = select.disabled;
            var empty = byValue[""];
            if (empty && empty.text) { input.placeholder = empty.text; }
            var field = make("div", "picker-field");
            field.appendChild(input);
            field.appendChild(list);
            select.parentNode.insertBefore(field, select.nextSibling);
            field.parentNode.insertBefore(hint, field.nextSibling);
            var status = liveRegion(box);
            select.hidden = true;

            var shown = [], active = -1, extras = [], extrasFor = null, cache = Object.create(null);
            var timer = null, speakTimer = null, controller = null, seq = 0, dismissed = false;
            function current() { var r = byValue[select.value]; return r && r.value !== "" ? r : null; }
            function currentText() { var r = current(); return r ? r.text : ""; }
            function query() { return input.value.trim(); }
            function isOpen() { return !list.hidden; }
            function say(text) {
              clearTimeout(speakTimer);
              speakTimer = setTimeout(function () { status.textContent = text; }, 400);
            }
            function setOpen(open) {
              list.hidden = !open;
              input.setAttribute("aria-expanded", open ? "true" : "false");
              if (!open) { setActive(-1); }
            }
            function setActive(k) {
              active = k;
              var items = list.children;
              for (var j = 0; j < items.length; j++) {
                items[j].setAttribute("aria-selected", j === k ? "true" : "false");
                items[j].classList.toggle("is-active", j === k);
              }
              if (k < 0 || !items[k]) { input.removeAttribute("aria-activedescendant"); return; }
              input.setAttribute("aria-activedescendant", items[k].id);
              var top = items[k].offsetTop, bottom = top + items[k].offsetHeight;
              if (top < list.scrollTop) { list.scrollTop = top; } else if (bottom > list.scrollTop + \
        list.clientHeight) {
                list.scrollTop = bottom - list.clientHeight;
              }
            }
            function matches(q) {
              var w = words(q);
              return records.filter(function (r) {
                for (var j = 0; j < w.length; j++) { if (r.hay.indexOf(w[j]) < 0) { return false; } }
                return true;
              });
            }
            // Local matches first, then what the search API found that is among the options.
            function render(q) {
              var all = matches(q), items = all.slice(0, PICKER_LIMIT), seen = Object.create(null), added = 0;
              var keep = active >= 0 && shown[active] ? shown[active].value : null;
              items.forEach(function (r) { seen[r.value] = true; });
              if (extrasFor === q) {
                extras.forEach(function (v) {
                  if (seen[v] || !byValue[v] || added >= PICKER_EXTRA) { return; }
                  seen[v] = true; items.push(byValue[v]); added += 1;
                });
              }
              shown = items;
              while (list.firstChild) { list.removeChild(list.firstChild); }
              var next = -1;
              items.forEach(function (r, k) {
                var li = make("li", "picker-option");
                li.id = list.id + "-" + k;
                li.setAttribute("role", "option");
                li.setAttribute("aria-selected", "false");
                li.setAttribute("data-value", r.value);
                if (r.value === select.value) { li.className += " is-current"; }
                if (r.group) {
                  li.appendChild(make("span", "picker-group", r.group));
                  li.appendChild(document.createTextNode(" "));
                }
                li.appendChild(make("span", "picker-text", r.text));
                list.appendChild(li);
                if (r.value === keep) { next = k; }
              });
              setOpen(items.length > 0);
              setActive(next);
              var total = all.length + added;
              say(items.length === 0 ? "Ingen treff"
                : total > items.length ? "Viser " + items.length + " av " + total + " treff" : items.length + " treff");
            }
            function cancelSearch() {
              clearTimeout(timer);
              seq += 1;
              if (controller) { controller.abort(); controller = null; }
            }
            function search(q) {
              cancelSearch();
              var endpoint = box.getAttribute("data-search");
              if (!endpoint || !window.fetch || q.length < PICKER_MIN_SEARCH || cache[q]) { return; }
              var mine = seq;
              timer = setTimeout(function () {
                controller = window.AbortController ? new AbortController() : null;
                var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
                var options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
                if (controller) { options.signal = controller.signal; }
                fetch(url, options).then(function (response) {
                  if (!response.ok) { throw new Error("HTTP " + response.status); }
                  return response.json();
                }).then(function (data) {
                  if (mine !== seq) { return; }
                  controller = null;
                  var values = [];
                  ((data && data.results) || []).forEach(function (x) {
                    var v = x && SEARCH_TYPES[x.type] === true ? x.type + ":" + x.id : null;
                    if (v && byValue[v] && values.indexOf(v) < 0) { values.push(v); }
                  });
                  cache[q] = values;
                  if (!dismissed && document.activeElement === input && query() === q) {
                    extras = values; extrasFor = q; render(q);
                  }
                })["catch"](function () { /* the local matches are enough */ });
              }, 200);
            }
            function pick(r) {
              cancelSearch();
              dismissed = true;
              input.value = r.value === "" ? "" : r.text;
              setOpen(false);
              if (select.value !== r.value) { select.value = r.value; fire(select, "change"); }
            }
            function restore() { cancelSearch(); dismissed = true; setOpen(false); input.value = currentText(); }
            // Leaving the field: empty means none, an option's exact text picks it, anything else is undone.
            function commit() {
              var q = query();
              if (q === "" && empty) { pick(empty); return; }
              if (q === currentText()) { restore(); return; }
              var f = fold(q), hits = records.filter(function (r) { return r.name === f; });
              if (hits.length === 1) { pick(hits[0]); } else { restore(); }
            }
            function open() {
              var q = query();
              render(q === currentText() ? "" : q);
            }
            input.value = currentText();
            input.addEventListener("input", function () {
              dismissed = false;
              var q = query();
              if (q === "") { cancelSearch(); setOpen(false); say(""); return; }
              if (cache[q]) { extras = cache[q]; extrasFor = q; }
              render(q);
              search(q);
            });
            input.addEventListener("keydown", function (e) {
              var key = e.key, n = shown.length;
              if (e.isComposing) { return; }
              if (e.altKey && (key === "ArrowDown" || key === "ArrowUp")) {
                e.preventDefault();
                if (key === "ArrowDown" && !isOpen()) { open(); } else if (key === "ArrowUp") { setOpen(false); }
              } else if (key === "ArrowDown" || key === "Down") {
                e.preventDefault();
                if (!isOpen()) { open(); setActive(shown.length ? 0 : -1); } else {
                  setActive(active + 1 < n ? active + 1 : 0);
                }
              } else if (key === "ArrowUp" || key === "Up") {
                e.preventDefault();
                if (!isOpen()) { open(); setActive(shown.length - 1); } else { setActive(active > 0 ? active - 1 : n - \
        1); }
              } else if (key === "Enter") {
                // Never submit the form from here while the list is open or the text is not a choice.
                if (isOpen()) {
                  e.preventDefault();
                  if (active >= 0) { pick(shown[active]); } else if (n === 1) { pick(shown[0]); }
                } else if (query() !== "" && query() !== currentText()) {
                  e.preventDefault();
                  commit();
                } else if (query() === "" && empty) {
                  pick(empty);
                }
              } else if (key === "Escape" || key === "Esc") {
                if (isOpen() || input.value !== currentText()) { e.preventDefault(); restore(); }
              }
            });
            input.addEventListener("blur", commit);
            // Clicks on the list must not take focus from the input (that would close the list before the click).
            list.addEventListener("mousedown", function (e) { e.preventDefault(); });
            list.addEventListener("click", function (e) {
              var li = e.target;
              while (li && li !== list && li.getAttribute("role") !== "option") { li = li.parentNode; }
              if (li && li !== list && byValue[li.getAttribute("data-value")]) {
                pick(byValue[li.getAttribute("data-value")]);
                input.focus();
              }
            });
            select.addEventListener("change", function () {
              if (document.activeElement !== input) { input.value = currentText(); }
            });
            if (select.form) {
              select.form.addEventListener("reset", function () {
                setTimeout(function () { setOpen(false); input.value = currentText(); }, 0);
              });
            }
            // Links to the select (the error summary's) go to the input instead.
            if (select.id) {
              document.addEventListener("click", function (e) {
                var a = e.target;
                while (a && a.tagName !== "A") { a = a.parentNode; }
                if (a && a.getAttribute("href") === "#" + select.id) { e.preventDefault(); input.focus(); }
              });
            }
          }
          function enhancePickers() {
            var boxes = document.querySelectorAll(".picker");
            for (var i = 0; i < boxes.length; i++) { enhancePicker(boxes[i]); }
          }

          // `data-fill="innleder.1"` on a name input with a datalist: picking a name whose option carries \
        `data-tittel`,
          // `data-organisasjon` (any `data-*`) fills the empty inputs named `innleder.1.tittel` and so on in the same \
        form.
          function enhanceFills() {
            var inputs = document.querySelectorAll("input[data-fill][list]");
            if (!inputs.length) { return; }
            var status = liveRegion(document.body);
            Array.prototype.forEach.call(inputs, function (input) {
              function fill() {
                var prefix = input.getAttribute("data-fill"), value = input.value;
                var datalist = document.getElementById(input.getAttribute("list"));
                if (!prefix || !datalist || value === "") { return; }
                var options = datalist.querySelectorAll("option"), scope = input.form || document, filled = [];
                for (var i = 0; i < options.length; i++) {
                  if (options[i].value !== value) { continue; }
                  var attrs = options[i].attributes;
                  for (var j = 0; j < attrs.length; j++) {
                    if (attrs[j].name.indexOf("data-") !== 0 || attrs[j].value === "") { continue; }
                    var key = attrs[j].name.slice(5);
                    var target = scope.querySelector('[name="' + prefix + "." + key + '"]');
                    if (target && target !== input && target.value.trim() === "") {
                      target.value = attrs[j].value;
                      fire(target, "input");
                      filled.push(key);
                    }
                  }
                  break;
                }
                if (filled.length) { status.textContent = "Fylte inn " + filled.join(" og ") + " for " + value + "."; }
              }
              input.addEventListener("input", fill);
              input.addEventListener("change", fill);
            });
          }

          function start() { focusErrorSummary(); scrollRoadmapsToToday(); enhancePickers(); enhanceFills(); }
          if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { \
        start(); }
        })();
        """

    public static let url = SiteURL.script.path(query: [("v", Site.fingerprint(source))])
}
