// A service's public page: published figures only, from the public GraphQL queries (no token).

import { ANALYTICS_FIELDS, COMPARISON_QUERY, gql } from "./api.js";
import { html } from "./charts.js";
import { dataLocale, fromCatalogue, t } from "./i18n.js";
import { chrome, mountLanguages, onWidthChange, ready, select, status } from "./layout.js";
import { renderAnalytics, renderPeers } from "./panels.js";

const serviceId = decodeURIComponent(window.location.pathname.split("/").filter(Boolean).pop());
const state = { questionId: "national.transaction-smooth", granularity: "WEEK", scope: "NATIONAL" };
const PUBLIC_GRANULARITIES = ["DAY", "WEEK", "MONTH", "QUARTER"];

const QUERY = `
  query PublicService($id: ID!, $questionId: ID!, $granularity: Granularity!, $locale: Locale!) {
    service(id: $id) { id name(locale: $locale) }
    questions { id scale text(locale: $locale) }
    publicServiceAnalytics(serviceId: $id, questionId: $questionId) { ${ANALYTICS_FIELDS} }
  }`;

function controls(questions) {
  const national = questions.filter((q) => q.id.startsWith("national."));
  document.getElementById("controls").replaceChildren(
    select("question", t("question"), national.map((q) => [q.id, q.text]), state.questionId, (value) => {
      state.questionId = value;
      load();
    }),
    select("granularity", t("granularity"), PUBLIC_GRANULARITIES.map((g) => [g, t(g)]), state.granularity,
      (value) => {
        state.granularity = value;
        load();
      }));
}

async function peers(root, analytics) {
  const scopeControl = select("peer-scope", t("peerScope"),
    ["NATIONAL", "SERVICE_CLASS", "ORGANISATION_TYPE"].map((s) => [s, t(s)]), state.scope, (value) => {
      state.scope = value;
      peers(root, analytics);
    });
  const body = html("div", { id: "peers-body" });
  root.replaceChildren(html("h2", { id: "peers-panel-title", text: t("peers") }), scopeControl, body);
  try {
    const data = await gql(COMPARISON_QUERY, { questionId: state.questionId, scope: state.scope, peerOf: serviceId,
      locale: dataLocale(), lastDays: null });
    drawn.peers = [body, data.serviceComparison, serviceId, analytics];
    renderPeers(...drawn.peers);
  } catch (error) {
    body.replaceChildren(html("p", { class: "note", text: error.message }));
  }
}

async function load() {
  ready(false);
  status(t("loading"));
  try {
    const data = await gql(QUERY, { id: serviceId, questionId: state.questionId, granularity: state.granularity,
      locale: dataLocale() });
    if (!data.service) throw new Error(t("loadFailed"));
    chrome(fromCatalogue(data.service.name));
    controls(data.questions);
    const content = html("div", { id: "analytics" });
    const peersRoot = html("section", { class: "panel", id: "peers-panel", "aria-labelledby": "peers-panel-title" });
    document.getElementById("content").replaceChildren(content, peersRoot);
    renderAnalytics(content, data.publicServiceAnalytics);
    drawn.analytics = [content, data.publicServiceAnalytics];
    await peers(peersRoot, data.publicServiceAnalytics);
    status("");
  } catch (error) {
    status(`${t("loadFailed")}: ${error.message}`, "error");
  }
  ready(true);
}

// The figures last drawn, so the charts can be drawn again at a new width.
const drawn = { analytics: null, peers: null };
onWidthChange(() => {
  if (drawn.analytics && document.contains(drawn.analytics[0])) renderAnalytics(...drawn.analytics);
  if (drawn.peers && document.contains(drawn.peers[0])) renderPeers(...drawn.peers);
});

mountLanguages(load);
load();
