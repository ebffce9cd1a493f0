// The dashboard's start page: every service, its national rank and answers over the public window.

import { COMPARISON_QUERY, gql } from "./api.js";
import { html } from "./charts.js";
import { currentLanguage, number, t, whole } from "./i18n.js";
import { chrome, mountLanguages, ready, status } from "./layout.js";

const QUERY = `
  query Services($locale: Locale!) {
    services(first: 500) { id name(locale: $locale) organisations }
  }`;

function row(service, entry) {
  const link = html("a", { href: `/dashboard/services/${service.id}?lang=${currentLanguage()}`, text: service.name });
  const ranked = entry && entry.ranked;
  return html("tr", { "data-service-id": service.id },
    html("th", { scope: "row" }, link),
    html("td", { text: service.organisations.join(", ") }),
    html("td", { "data-value": ranked ? entry.shrunkMean : null,
      text: ranked ? `${number(entry.shrunkMean)} (${entry.rank}.)` : t("notPublished") }),
    html("td", { "data-value": ranked ? entry.count : null, text: ranked ? whole(entry.count) : "–" }));
}

async function load() {
  ready(false);
  chrome(t("servicesTitle"));
  status(t("loading"));
  try {
    const locale = currentLanguage().toUpperCase();
    const [list, comparison] = await Promise.all([
      gql(QUERY, { locale }),
      gql(COMPARISON_QUERY, { questionId: "national.transaction-smooth", scope: "NATIONAL", peerOf: null, locale,
        lastDays: null }),
    ]);
    const byId = new Map(comparison.serviceComparison.entries.map((e) => [e.serviceId, e]));
    const signIn = html("p", {}, html("a", { href: `/dashboard/organisation?lang=${currentLanguage()}`,
      text: t("orgSignInLink") }));
    const table = html("table", { class: "data services" },
      html("caption", { text: t("servicesIntro") }),
      html("thead", {}, html("tr", {}, [t("service"), t("organisation"), `${t("shrunkMean")} (${t("rank")})`,
        t("answers")].map((h) => html("th", { scope: "col", text: h })))),
      html("tbody", {}, list.services.map((s) => row(s, byId.get(s.id)))));
    document.getElementById("content").replaceChildren(signIn, table);
    status("");
  } catch (error) {
    status(`${t("loadFailed")}: ${error.message}`, "error");
  }
  ready(true);
}

mountLanguages(load);
load();
