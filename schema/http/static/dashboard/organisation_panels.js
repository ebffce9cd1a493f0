// The organisation page's own panels: its service's volumes and KPIs (GraphQL Service.kpis) and the follow-up free
// texts of the chosen window (GraphQL freeTexts, ORGANISATION only; every read is audited by the server).

import { gql } from "./api.js";
import { html } from "./charts.js";
import { date, driverName, euros, moment, number, percent, t, whole } from "./i18n.js";

export const KPI_FIELDS = `firstDay lastDay channelDays transactionsCompleted digitalTakeUp completionRate
  contactsReceived answeredDirectlyShare callbackShare abandonmentRate medianWait { minutes openEnded }
  p90Wait { minutes openEnded } coverage responseRate costPerTransaction firstContactResolution
  peakHours(top: 1) { weekday hour share } requestQueue { backlog oldestShare }`;

const FREE_TEXTS = `
  query FreeTexts($serviceId: ID!, $from: DateTime!, $to: DateTime!, $after: ID) {
    freeTexts(serviceId: $serviceId, from: $from, to: $to, first: 20, after: $after) {
      items { cursor value drivers text readable answeredAt } endCursor hasMore
    }
  }`;

function wait(q) {
  if (!q) return "–";
  return q.openEnded ? t("over", { value: whole(q.minutes) }) : t("minutes", { value: number(q.minutes, 1) });
}

function peak(cell) {
  return `${t("weekdays")[cell.weekday - 1]} ${cell.hour}–${cell.hour + 1} (${percent(cell.share)})`;
}

const KPIS = [
  ["transactionsCompleted", whole], ["digitalTakeUp", percent], ["completionRate", percent],
  ["contactsReceived", whole], ["answeredDirectlyShare", percent], ["callbackShare", percent],
  ["abandonmentRate", percent], ["medianWait", wait], ["p90Wait", wait], ["coverage", percent],
  ["responseRate", percent], ["costPerTransaction", euros], ["firstContactResolution", percent],
  ["peakHour", peak], ["backlog", whole], ["oldestBacklogShare", percent],
];

// Nested figures (the busiest hour, the e-request queue) flattened to one value per KPI.
function flat(kpis) {
  const queue = kpis.requestQueue ?? {};
  return { ...kpis, peakHour: kpis.peakHours?.[0] ?? null, backlog: queue.backlog ?? null,
    oldestBacklogShare: queue.oldestShare ?? null };
}

function valueOf(value) {
  return typeof value === "number" ? value : value.minutes ?? value.share;
}

function section(id, title, ...content) {
  return html("section", { class: "panel", id, "aria-labelledby": `${id}-title` },
    html("h2", { id: `${id}-title`, text: title }), ...content);
}

export function kpiPanel(reported) {
  if (!reported || reported.channelDays === 0) return section("kpi-panel", t("kpis"), html("p", { class: "note",
    text: t("noKpis") }));
  const kpis = flat(reported);
  const shown = KPIS.filter(([key]) => kpis[key] !== null && kpis[key] !== undefined);
  const items = shown.map(([key, format]) => html("div", { class: "kpi", "data-kpi": key },
    html("dt", { text: t(key) }),
    html("dd", { class: "kpi-value", "data-value": valueOf(kpis[key]), text: format(kpis[key]) }),
    html("dd", { class: "help", text: t(`${key}Help`) })));
  return section("kpi-panel", t("kpis"),
    html("p", { class: "note", text: t("kpisIntro", { from: date(kpis.firstDay), to: date(kpis.lastDay) }) }),
    html("dl", { class: "kpis" }, items));
}

function freeTextItem(item) {
  const meta = [moment(item.answeredAt), item.value === null ? null : `${t("answer")} ${item.value}`,
    ...item.drivers.map(driverName)].filter(Boolean).join(" · ");
  return html("li", { class: "free-text", "data-cursor": item.cursor },
    html("blockquote", { text: item.readable && item.text !== null ? item.text : t("unreadable") }),
    html("p", { class: "meta", text: meta }));
}

// The panel, filled page by page (20 texts a page; "show more" reads the next page).
export async function freeTextPanel(root, serviceId, window) {
  const list = html("ol", { class: "free-texts" });
  root.replaceChildren(html("h2", { id: "free-texts-panel-title", text: t("freeTexts") }),
    html("p", { class: "help", text: t("freeTextsHelp") }), list);
  const more = html("button", { type: "button", class: "secondary", id: "more-free-texts", text: t("moreFreeTexts") });
  let after = null;
  const next = async () => {
    more.remove();
    const page = (await gql(FREE_TEXTS, { serviceId, from: window.from, to: window.to, after },
      { auth: true })).freeTexts;
    list.append(...page.items.map(freeTextItem));
    after = page.endCursor;
    if (!list.children.length) list.replaceWith(html("p", { class: "note", id: "no-free-texts",
      text: t("noFreeTexts") }));
    if (page.hasMore) root.append(more);
  };
  more.addEventListener("click", () => {
    next().catch((error) => root.append(html("p", { class: "status error", text: error.message })));
  });
  await next();
}
