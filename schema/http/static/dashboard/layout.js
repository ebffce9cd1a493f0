// Page furniture shared by the dashboard pages: language switch, status line, labelled form controls.

import { chartWidth, html } from "./charts.js";
import { LANGUAGES, LANGUAGE_NAMES, currentLanguage, langOf, t, useLanguage, watchFallbacks } from "./i18n.js";

export function mountLanguages(onChange) {
  const nav = document.getElementById("languages");
  const draw = () => {
    const label = t("language");
    nav.setAttribute("aria-label", label);
    if (langOf(label)) nav.setAttribute("lang", langOf(label)); else nav.removeAttribute("lang");
    nav.replaceChildren(...LANGUAGES.map((lang) => {
      const button = html("button", { type: "button", lang, class: "language",
        "aria-pressed": String(lang === currentLanguage()), text: LANGUAGE_NAMES[lang] });
      button.addEventListener("click", () => {
        ready(false);  // until the page is drawn again in the new language (its catalog is fetched first)
        useLanguage(lang).then(() => {
          draw();
          onChange();
        });
      });
      return button;
    }));
  };
  document.documentElement.lang = currentLanguage();
  draw();
  watchFallbacks(document.getElementById("main"));
}

// Sets a node's text and, where the text fell back to another language, its lang attribute.
function marked(node, text) {
  node.textContent = text;
  if (langOf(text)) node.setAttribute("lang", langOf(text));
  else node.removeAttribute("lang");
}

export function chrome(title) {
  document.title = `${title} — ${t("appName")}`;
  marked(document.getElementById("page-title"), title);
  marked(document.querySelector(".skip"), t("skip"));
  const statement = document.getElementById("accessibility-link");
  marked(statement, t("accessibilityStatement"));
  statement.setAttribute("href", `/accessibility?locale=${currentLanguage()}`);
}

export function status(text, kind = "info") {
  const line = document.getElementById("status");
  marked(line, text);
  line.className = `status ${kind}`;
}

export function ready(done) {
  document.body.dataset.ready = done ? "true" : "false";
}

export function select(id, label, options, value, onChange) {
  const control = html("select", { id, name: id },
    options.map(([key, text]) => html("option", { value: key, selected: key === value, text })));
  control.addEventListener("change", () => onChange(control.value));
  return html("div", { class: "field" }, html("label", { for: id, text: label }), control);
}

// Charts are drawn at their panel's width (charts.js chartWidth); when that width changes (a phone turned, a window
// resized), `redraw` draws them again from the figures the view already has (no new request).
export function onWidthChange(redraw) {
  let drawn = chartWidth();
  let timer = null;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const width = chartWidth();
      if (Math.abs(width - drawn) < 24) return;
      drawn = width;
      redraw();
    }, 200);
  });
}
