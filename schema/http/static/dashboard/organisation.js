// The organisation's page: token sign-in (kept in sessionStorage, sent as a bearer header), its services'
// analytics including unpublished figures and internal changes, alerts, volumes and KPIs, free texts, change
// recording, organisation summaries. Alerts, KPIs and free texts follow the chosen window.

import { ANALYTICS_FIELDS, ApiError, COMPARISON_QUERY, forgetToken, gql, keepToken, token } from "./api.js";
import { html } from "./charts.js";
import { currentLanguage, dataLocale, date, fromCatalogue, number, t, whole } from "./i18n.js";
import { chrome, mountLanguages, onWidthChange, ready, select, status } from "./layout.js";
import { KPI_FIELDS, freeTextPanel, kpiPanel } from "./organisation_panels.js";
import { renderAnalytics, renderPeers, terms } from "./panels.js";

const state = { organisationId: null, serviceId: null, questionId: "national.transaction-smooth",
  granularity: "WEEK", lastDays: 365, scope: "NATIONAL", overview: null };

const OVERVIEW = `
  query Overview($org: String!, $locale: Locale!) {
    organisation(businessId: $org) { businessId name(locale: $locale) }
    services(organisationId: $org, first: 500) { id name(locale: $locale) }
    questions { id scale text(locale: $locale) }
    organisationSummaries(lastDays: 365) { organisationId name(locale: $locale) services publishedServices
      published count mean interval { low high } }
  }`;

const ANALYTICS = `
  query OrgService($id: ID!, $questionId: ID!, $granularity: Granularity!, $locale: Locale!, $lastDays: Int!) {
    serviceAnalytics(serviceId: $id, questionId: $questionId, lastDays: $lastDays) { ${ANALYTICS_FIELDS} }
    alerts(lastDays: $lastDays) { serviceId questionId direction startedOn detectedOn referenceMean shiftedMean }
    service(id: $id) { kpis(lastDays: $lastDays) { ${KPI_FIELDS} } }
  }`;

const RECORD = `mutation Record($input: RecordServiceEventInput!) { recordServiceEvent(input: $input) { id } }`;

const locale = () => dataLocale();

function signInForm(message = "") {
  document.querySelector(".signed-in")?.remove();
  chrome(t("signInTitle"));
  document.getElementById("controls").replaceChildren();
  const input = html("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: true,
    spellcheck: "false", "aria-describedby": message ? "sign-in-error token-help" : "token-help" });
  const form = html("form", { id: "sign-in", class: "card" },
    html("div", { class: "field" }, html("label", { for: "token", text: t("tokenLabel") }), input),
    message ? html("p", { id: "sign-in-error", class: "status error", role: "alert", text: message }) : null,
    html("button", { type: "submit", text: t("signIn") }),
    html("div", { class: "token-help", id: "token-help" }, html("p", { class: "help", text: t("tokenHelp") }),
      html("code", { text: t("tokenCommand") }), html("p", { class: "help", text: t("tokenKeep") })));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    keepToken(input.value.trim());
    start();
  });
  document.getElementById("content").replaceChildren(form);
  input.focus();
  status("");
  ready(true);
}

function alertsPanel(overview, alerts) {
  const names = new Map(overview.services.map((s) => [s.id, s.name]));
  const questions = new Map(overview.questions.map((q) => [q.id, q.text]));
  const items = alerts.map((a) => html("li", { class: `alert ${a.direction.toLowerCase()}`,
    "data-service-id": a.serviceId, "data-direction": a.direction, text: t("alertText", {
      service: names.get(a.serviceId) ?? a.serviceId, question: questions.get(a.questionId) ?? a.questionId,
      direction: t(a.direction), from: number(a.referenceMean),
      to: number(a.shiftedMean), start: date(a.startedOn), detected: date(a.detectedOn) }) }));
  return html("section", { class: "panel", id: "alerts-panel", "aria-labelledby": "alerts-title" },
    html("h2", { id: "alerts-title", text: t("alertsIn", { days: state.lastDays }) }),
    html("p", { class: "help", text: t("alertsHelp") }),
    items.length ? html("ul", { class: "alerts" }, items)
      : html("p", { class: "note", text: t("noAlerts", { days: state.lastDays }) }));
}

function summaryPanel(overview) {
  const rows = overview.organisationSummaries.map((s) => html("tr", {
    class: s.organisationId === state.organisationId ? "own" : null, "data-organisation-id": s.organisationId },
  html("th", { scope: "row", text: s.name }),
  html("td", { "data-label": t("services"), text: `${s.publishedServices} / ${s.services}` }),
  html("td", { "data-label": t("answers"), "data-value": s.count,
    text: s.published ? whole(s.count) : t("notPublished") }),
  html("td", { "data-label": t("MEAN"), "data-value": s.mean, text: s.published ? number(s.mean) : "–" }),
  html("td", { "data-label": t("interval"),
    text: s.interval ? `${number(s.interval.low)}–${number(s.interval.high)}` : "–" })));
  return html("section", { class: "panel", id: "summary-panel", "aria-labelledby": "summary-title" },
    html("h2", { id: "summary-title", text: t("summary") }),
    html("table", { class: "data stack" }, html("caption", { text: t("summaryCaption") }),
      html("thead", {}, html("tr", {}, [t("organisation"), t("services"), t("answers"), t("MEAN"), t("interval")]
        .map((h) => html("th", { scope: "col", text: h })))), html("tbody", {}, rows)),
    terms("interval", "notPublished"));
}

function recordForm() {
  const field = (id, label, attrs = {}) => html("div", { class: "field" }, html("label", { for: id, text: label }),
    html("input", { id, name: id, ...attrs }));
  const form = html("form", { id: "record-event", class: "card" },
    field("event-date", t("date"), { type: "date", required: true }),
    field("event-fi", t("descriptionFi"), { type: "text", required: true, maxlength: 2000 }),
    field("event-sv", t("descriptionSv"), { type: "text", maxlength: 2000 }),
    field("event-en", t("descriptionEn"), { type: "text", maxlength: 2000 }),
    html("div", { class: "field checkbox" }, html("input", { id: "event-public", name: "event-public",
      type: "checkbox" }), html("label", { for: "event-public", text: t("publicCheckbox") })),
    html("button", { type: "submit", text: t("save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (id) => form.querySelector(`#${id}`).value.trim() || null;
    try {
      await gql(RECORD, { input: { serviceId: state.serviceId, occurredOn: value("event-date"),
        public: form.querySelector("#event-public").checked,
        description: { fi: value("event-fi") ?? "", sv: value("event-sv"), en: value("event-en") } } }, { auth: true });
      await showService();
      status(t("saved"));
    } catch (error) {
      status(error.message, "error");
    }
  });
  return html("section", { class: "panel", id: "record-panel", "aria-labelledby": "record-title" },
    html("h2", { id: "record-title", text: t("recordEvent") }), form);
}

function controls(overview) {
  const reload = (key) => (value) => {
    state[key] = key === "lastDays" ? Number(value) : value;
    showService();
  };
  document.getElementById("controls").replaceChildren(
    select("service", t("service"), overview.services.map((s) => [s.id, s.name]), state.serviceId,
      reload("serviceId")),
    select("question", t("question"), overview.questions.map((q) => [q.id, q.text]), state.questionId,
      reload("questionId")),
    select("window", t("window"), [["30", t("last30")], ["90", t("last90")], ["365", t("last365")]],
      String(state.lastDays), reload("lastDays")),
    select("granularity", t("granularity"), ["HOUR", "DAY", "WEEK", "MONTH", "QUARTER"].map((g) => [g, t(g)]),
      state.granularity, reload("granularity")));
}

async function peers(root, analytics) {
  const body = html("div", { id: "peers-body" });
  root.replaceChildren(html("h2", { id: "peers-panel-title", text: t("peers") }),
    select("peer-scope", t("peerScope"), ["NATIONAL", "SERVICE_CLASS", "ORGANISATION_TYPE"].map((s) => [s, t(s)]),
      state.scope, (value) => {
        state.scope = value;
        peers(root, analytics);
      }), body);
  try {
    const data = await gql(COMPARISON_QUERY, { questionId: state.questionId, scope: state.scope,
      peerOf: state.serviceId, locale: locale(), lastDays: state.lastDays }, { auth: true });
    drawn.peers = [body, data.serviceComparison, state.serviceId, analytics];
    renderPeers(...drawn.peers);
  } catch (error) {
    body.replaceChildren(html("p", { class: "note", text: error.message }));
  }
}

async function showService() {
  ready(false);
  status(t("loading"));
  const analyticsRoot = html("div", { id: "analytics" });
  const alertsRoot = html("div", { id: "alerts" });
  const kpiRoot = html("div", { id: "kpis" });
  const peersRoot = html("section", { class: "panel", id: "peers-panel", "aria-labelledby": "peers-panel-title" });
  const textsRoot = html("section", { class: "panel", id: "free-texts-panel",
    "aria-labelledby": "free-texts-panel-title" });
  const overview = state.overview;
  document.getElementById("content").replaceChildren(alertsRoot, analyticsRoot, kpiRoot, peersRoot, textsRoot,
    recordForm(), summaryPanel(overview));
  try {
    const data = await gql(ANALYTICS, { id: state.serviceId, questionId: state.questionId,
      granularity: state.granularity, locale: locale(), lastDays: state.lastDays }, { auth: true });
    alertsRoot.replaceChildren(alertsPanel(overview, data.alerts));
    renderAnalytics(analyticsRoot, data.serviceAnalytics);
    drawn.analytics = [analyticsRoot, data.serviceAnalytics];
    kpiRoot.replaceChildren(kpiPanel(data.service?.kpis));
    await peers(peersRoot, data.serviceAnalytics);
    await freeTextPanel(textsRoot, state.serviceId, data.serviceAnalytics).catch((error) => {
      textsRoot.append(html("p", { class: "status error", text: error.message }));
    });
    status("");
  } catch (error) {
    analyticsRoot.replaceChildren(html("p", { class: "status error", text: error.message }));
    status(`${t("loadFailed")}: ${error.message}`, "error");
  }
  ready(true);
}

function signOutButton() {
  const button = html("button", { type: "button", id: "sign-out", class: "secondary", text: t("signOut") });
  button.addEventListener("click", () => {
    forgetToken();
    signInForm();
  });
  return button;
}

async function start() {
  ready(false);
  if (!token()) {
    signInForm();
    return;
  }
  status(t("loading"));
  try {
    const { viewer } = await gql("query Viewer { viewer { role organisationId label } }", {}, { auth: true });
    if (!viewer || viewer.role !== "ORGANISATION") {
      forgetToken();
      signInForm(t("notOrganisation"));
      return;
    }
    state.organisationId = viewer.organisationId;
    const overview = await gql(OVERVIEW, { org: viewer.organisationId, locale: locale() }, { auth: true });
    state.overview = overview;
    if (!overview.services.some((s) => s.id === state.serviceId)) state.serviceId = overview.services[0]?.id ?? null;
    chrome(fromCatalogue(overview.organisation.name));
    document.querySelector(".signed-in")?.remove();
    document.getElementById("status").before(html("p", { class: "signed-in" },
      t("signedInAs", { name: viewer.label }), " ", signOutButton(), " ",
      html("a", { href: `/dashboard/organisation/feedback?lang=${currentLanguage()}`, id: "feedback-link",
        text: t("feedbackLink") })));
    controls(overview);
    if (state.serviceId) await showService();
    else ready(true);
  } catch (error) {
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED") {
      forgetToken();
      signInForm(t("badToken"));
      return;
    }
    status(`${t("loadFailed")}: ${error.message}`, "error");
    ready(true);
  }
}

// The figures last drawn, so the charts can be drawn again at a new width.
const drawn = { analytics: null, peers: null };
onWidthChange(() => {
  if (drawn.analytics && document.contains(drawn.analytics[0])) renderAnalytics(...drawn.analytics);
  if (drawn.peers && document.contains(drawn.peers[0])) renderPeers(...drawn.peers);
});

mountLanguages(start);
start();
