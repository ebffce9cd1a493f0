// Page furniture shared by the dashboard pages: language switch, status line, labelled form controls.

import { chartWidth, html } from "./charts.js";
import { LANGUAGES, currentLanguage, t, useLanguage } from "./i18n.js";

const LANGUAGE_NAMES = { fi: "Suomeksi", sv: "På svenska", en: "In English" };

export function mountLanguages(onChange) {
  const nav = document.getElementById("languages");
  const draw = () => {
    nav.setAttribute("aria-label", t("language"));
    nav.replaceChildren(...LANGUAGES.map((lang) => {
      const button = html("button", { type: "button", lang, class: "language",
        "aria-pressed": String(lang === currentLanguage()), text: LANGUAGE_NAMES[lang] });
      button.addEventListener("click", () => {
        useLanguage(lang);
        draw();
        onChange();
      });
      return button;
    }));
  };
  document.documentElement.lang = currentLanguage();
  draw();
}

export function chrome(title) {
  document.title = `${title} — ${t("appName")}`;
  document.getElementById("page-title").textContent = title;
  document.querySelector(".skip").textContent = t("skip");
  const statement = document.getElementById("accessibility-link");
  statement.textContent = t("accessibilityStatement");
  statement.setAttribute("href", `/accessibility?locale=${currentLanguage()}`);
}

export function status(text, kind = "info") {
  const line = document.getElementById("status");
  line.textContent = text;
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
