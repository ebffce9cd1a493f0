// The panels of a service's analytics, shared by the public service page and the organisation page.

import { barChart, heatmapChart, html, intervalChart, trendChart } from "./charts.js";
import { date, driverName, number, t, whole } from "./i18n.js";

const SCALE_DOMAINS = { STARS_5: [1, 5], LIKERT_5: [1, 5], FACES_4: [1, 4], NPS_11: [0, 10], YES_NO: [0, 1] };

export function domainOf(analytics) {
  if (analytics.headline === "NPS") return [-100, 100];
  if (analytics.headline === "YES_SHARE") return [0, 1];
  return SCALE_DOMAINS[analytics.scale] ?? [0, 10];
}

export function formatterOf(headline) {
  return headline === "NPS" ? (v) => number(v, 0) : (v) => number(v, 2);
}

function section(id, title, ...content) {
  return html("section", { class: "panel", id, "aria-labelledby": `${id}-title` },
    html("h2", { id: `${id}-title`, text: title }), ...content);
}

function note(text) {
  return html("p", { class: "note", text });
}

// One line in plain language for each statistical term a panel shows: [label key, explanation key].
const TERMS = { interval: ["interval", "intervalHelp"], notPublished: ["notPublished", "notPublishedHelp"],
  NPS: ["NPS", "npsHelp"], shrunkMean: ["shrunkMean", "shrunkMeanHelp"], percentile: ["percentile", "percentileHelp"],
  significant: ["significant", "significantHelp"] };

export function terms(...names) {
  return html("dl", { class: "terms", "aria-label": t("terms") }, names.flatMap((name) => {
    const [label, help] = TERMS[name];
    const text = t(label);
    return [html("dt", { text: text.charAt(0).toUpperCase() + text.slice(1) }), html("dd", { text: t(help) })];
  }));
}

function scoreSummary(a, format) {
  const s = a.score;
  if (!s.published && s.count === null) return note(`${t("score")}: ${t("notPublished")}`);
  if (s.count === 0) return note(t("noData"));
  const value = { MEAN: s.mean, NPS: s.nps, YES_SHARE: s.yesShare }[a.headline] ?? null;
  const interval = s.interval ? ` (${t("interval")} ${format(s.interval.low)}–${format(s.interval.high)})` : "";
  const band = a.headline === "NPS" && s.npsBand ? ` – ${t(s.npsBand)}` : "";
  const text = value === null ? `${t("answers")}: ${whole(s.count)}`
    : `${t(a.headline)} ${format(value)}${band}${interval}, ${t("answers").toLowerCase()} ${whole(s.count)}`;
  return html("p", { class: "headline", id: "score-summary", "data-value": value, "data-count": s.count, text });
}

function trendPanel(a, format, events) {
  const points = a.series.map((p) => ({ label: p.label, from: p.from, to: p.to, value: p.value,
    low: p.interval?.low ?? null, high: p.interval?.high ?? null, count: p.count }));
  const caption = t("trendCaption", { metric: t(a.headline) });
  const explained = a.headline === "NPS" ? ["NPS", "interval", "notPublished"] : ["interval", "notPublished"];
  return section("trend-panel", t("trend"), trendChart("trend", caption, points,
    { domain: domainOf(a), format, start: a.from, end: a.to, events }), terms(...explained));
}

function distributionPanel(a) {
  const distribution = a.score.distribution;
  if (!distribution) return section("distribution-panel", t("distribution"), note(t("notPublished")));
  const rows = distribution.slice().reverse().map((d) => ({ key: String(d.value), label: String(d.value),
    count: d.count }));
  return section("distribution-panel", t("distribution"),
    barChart("distribution", t("distributionCaption"), rows, { labelHeader: t("value") }));
}

function driversPanel(a) {
  const d = a.drivers;
  const bands = [["wentWell", d.wentWell], ["couldBeBetter", d.couldBeBetter], ["toImprove", d.toImprove]];
  const shown = bands.filter(([, list]) => list.length);
  if (!shown.length) return section("drivers-panel", t("drivers"), note(t("noDrivers")));
  return section("drivers-panel", t("drivers"), ...shown.map(([key, list]) => barChart(`drivers-${key}`, t(key),
    list.map((row) => ({ key: row.driver, label: driverName(row.driver), count: row.count })),
    { labelHeader: t("drivers") })));
}

function heatmapPanel(a, format) {
  return section("heatmap-panel", t("heatmap"),
    heatmapChart("heatmap", t("heatmapCaption"), a.heatmap.cells, { format }));
}

function pText(p) {
  return p < 0.001 ? `p < ${number(0.001, 3)}` : `p = ${number(p, 3)}`;
}

function impactText(impact, format) {
  if (!impact) return "";
  if (impact.status !== "COMPLETE" && impact.status !== "PARTIAL") return t(impact.status);
  const sign = impact.difference > 0 ? "+" : "";
  const verdict = impact.significant ? t("significant") : t("notSignificant");
  const running = impact.status === "PARTIAL" ? ` (${t("PARTIAL")})` : "";
  return `${t("difference")} ${sign}${format(impact.difference)} (${format(impact.interval.low)}–` +
    `${format(impact.interval.high)}), ${pText(impact.pValue)}, ${verdict}; ${t("before")} ` +
    `${format(impact.before)} → ${t("after")} ${format(impact.after)}${running}`;
}

const percent = (v) => `${number(100 * v, 0)} %`;

function eventsPanel(a, format) {
  const title = a.publicView ? t("events") : t("eventsInternal");
  if (!a.events.length) return section("events-panel", title, note(t("noEvents")));
  const items = a.events.map((e, i) => html("li", { class: "event", "data-event-id": e.id },
    html("span", { class: "event-number", text: `${i + 1}` }), " ",
    html("time", { datetime: e.occurredOn, text: date(e.occurredOn) }), " ",
    a.publicView ? null : html("span", { class: `badge ${e.public ? "public" : "internal"}`,
      text: e.public ? t("publicEvent") : t("internalEvent") }),
    html("p", { class: "event-text", text: e.description }),
    html("p", { class: "impact", "data-difference": e.impact?.difference ?? null,
      text: impactText(e.impact, format) }),
    ...(e.driverImpacts ?? []).map((d) => html("p", { class: "impact driver-impact", "data-driver": d.driver,
      "data-difference": d.difference ?? null,
      text: `${t("driverShare", { driver: driverName(d.driver) })}: ${impactText(d, percent)}` }))));
  const tested = a.events.some((e) => e.impact && (e.impact.status === "COMPLETE" || e.impact.status === "PARTIAL"));
  return section("events-panel", title, html("ol", { class: "events" }, items), tested ? terms("significant") : null);
}

export function eventMarkers(a) {
  return a.events.map((e, i) => ({ number: i + 1, at: e.impact?.changeAt ?? `${e.occurredOn}T00:00:00+02:00`,
    text: e.description }));
}

export function renderAnalytics(root, a) {
  const format = formatterOf(a.headline);
  root.replaceChildren(
    scoreSummary(a, format), trendPanel(a, format, eventMarkers(a)), distributionPanel(a), driversPanel(a),
    heatmapPanel(a, format), eventsPanel(a, format));
}

export function renderPeers(root, comparison, serviceId, analytics) {
  const nps = comparison.metric === "NPS";  // NPS questions are ranked by their NPS (−100…100), not the mean
  const format = formatterOf(nps ? "NPS" : "MEAN");
  const ranked = comparison.entries.filter((e) => e.ranked);
  const unranked = comparison.entries.filter((e) => !e.ranked);
  const domain = nps ? [-100, 100] : SCALE_DOMAINS[analytics.scale] ?? [0, 10];
  const entries = ranked.map((e) => ({ key: e.serviceId, label: nps && e.npsBand ? `${e.name} (${t(e.npsBand)})` : e.name,
    value: nps ? e.shrunkNps : e.shrunkMean, low: e.interval.low,
    high: e.interval.high, focus: e.serviceId === serviceId, rankText: `${e.rank}.` }));
  const focus = comparison.focus;
  const position = focus && focus.rank !== null
    ? html("p", { class: "headline", id: "peer-position", "data-rank": focus.rank, "data-percentile": focus.percentile,
      text: `${t("rank")} ${focus.rank} / ${comparison.rankedCount}` +
        (ranked.filter((e) => e.rank === focus.rank).length > 1 ? ` (${t("tied")})` : "") +
        (focus.percentile === null ? "" : `, ${t("percentile")} ${number(focus.percentile, 0)}`) })
    : note(`${t("rank")}: ${t("notRanked")}`);
  const list = unranked.length ? html("p", { class: "note", text: `${t("notRanked")}: ` +
    unranked.map((e) => e.name).join(", ") }) : null;
  const chart = ranked.length ? intervalChart("peers", t(nps ? "peersCaptionNps" : "peersCaption"), entries,
    { domain, format, valueHeader: t(nps ? "shrunkNps" : "shrunkMean") }) : null;
  const explained = terms(...(nps ? ["NPS"] : []), "shrunkMean", "interval", "percentile");
  root.replaceChildren(...[position, chart, list, explained].filter(Boolean));
}
