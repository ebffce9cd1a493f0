// The dashboard's start page: every service, its national rank and answers over the public window.

import { COMPARISON_QUERY, gql } from "./api.js";
import { html } from "./charts.js";
import { currentLanguage, dataLocale, fromCatalogue, number, t, whole } from "./i18n.js";
import { chrome, mountLanguages, ready, status } from "./layout.js";
import { terms } from "./panels.js";

const PAGE = 500;
const SERVICES = `
  query Services($locale: Locale!, $after: ID) {
    services(first: ${PAGE}, after: $after) { id name(locale: $locale) organisations }
  }`;
const ORGANISATIONS = `
  query Organisations($locale: Locale!, $after: String) {
    organisations(first: ${PAGE}, after: $after) { businessId name(locale: $locale) }
  }`;

// Every page of a list query (the API gives at most PAGE items per page, paged by the last item's key).
async function all(query, field, key, variables) {
  const items = [];
  let after = null;
  for (;;) {
    const page = (await gql(query, { ...variables, after }))[field];
    items.push(...page);
    if (page.length < PAGE) return items;
    after = page[page.length - 1][key];
  }
}

function row(service, entry, names) {
  const link = html("a", { href: `/dashboard/services/${service.id}?lang=${currentLanguage()}`, text: fromCatalogue(service.name) });
  const ranked = entry && entry.ranked;
  return html("tr", { "data-service-id": service.id },
    html("th", { scope: "row" }, link),
    html("td", { "data-organisations": service.organisations.join(" "), "data-label": t("organisation"),
      text: service.organisations.map((id) => names.get(id) ?? id).join(", ") }),
    html("td", { "data-value": ranked ? entry.shrunkMean : null, "data-label": `${t("shrunkMean")} (${t("rank")})`,
      text: ranked ? `${number(entry.shrunkMean)} (${entry.rank}.)` : t("notPublished") }),
    html("td", { "data-value": ranked ? entry.count : null, "data-label": t("answers"), text: ranked ? whole(entry.count) : "–" }));
}

async function load() {
  ready(false);
  chrome(t("servicesTitle"));
  status(t("loading"));
  try {
    const locale = dataLocale();
    const [services, organisations, comparison] = await Promise.all([
      all(SERVICES, "services", "id", { locale }),
      all(ORGANISATIONS, "organisations", "businessId", { locale }),
      gql(COMPARISON_QUERY, { questionId: "national.transaction-smooth", scope: "NATIONAL", peerOf: null, locale,
        lastDays: null }),
    ]);
    const byId = new Map(comparison.serviceComparison.entries.map((e) => [e.serviceId, e]));
    const names = new Map(organisations.map((o) => [o.businessId, o.name]));
    const signIn = html("p", {}, html("a", { href: `/dashboard/organisation?lang=${currentLanguage()}`,
      text: t("orgSignInLink") }));
    const table = html("table", { class: "data services stack" },
      html("caption", { text: t("servicesIntro") }),
      html("thead", {}, html("tr", {}, [t("service"), t("organisation"), `${t("shrunkMean")} (${t("rank")})`,
        t("answers")].map((h) => html("th", { scope: "col", text: h })))),
      html("tbody", {}, services.map((s) => row(s, byId.get(s.id), names))));
    document.getElementById("content").replaceChildren(signIn, table, terms("shrunkMean", "notPublished"));
    status("");
  } catch (error) {
    status(`${t("loadFailed")}: ${error.message}`, "error");
  }
  ready(true);
}

mountLanguages(load);
load();
