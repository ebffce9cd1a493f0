// The organisation's feedback inbox: every follow-up of its services, newest first, filtered; status, handler,
// internal notes and a public reply per item (GraphQL feedbackInbox and the feedback mutations). The token is the
// one the organisation page keeps in sessionStorage; without it the page links to that sign-in.

import { ApiError, forgetToken, gql, token } from "./api.js";
import { html } from "./charts.js";
import { currentLanguage, dataLocale, driverName, t } from "./i18n.js";
import { chrome, mountLanguages, ready, select, status } from "./layout.js";

const STATUSES = ["RECEIVED", "READ", "IN_PROGRESS", "ANSWERED", "NO_ACTION"];
const BANDS = ["LOW", "MID", "HIGH"];
const DRIVERS = ["effectiveness", "ease", "efficiency", "transparency", "language", "staff", "other"];
const state = { services: [], themes: [], filter: { serviceId: "", band: "", driver: "", status: "", theme: "" },
  days: { from: "", to: "" }, cursors: [null] };

const SERVICES = `query Services($org: String!, $locale: Locale!) {
  services(organisationId: $org, first: 500) { id name(locale: $locale) } }`;
const INBOX = `query Inbox($filter: FeedbackFilter, $after: String, $locale: Locale!) {
  feedbackInbox(filter: $filter, first: 20, after: $after, locale: $locale) {
    items { id serviceId value band drivers text readable answeredAt status handler notes { text createdAt }
      themes { key label } }
    endCursor hasMore } }`;
const THEMES = `query Themes($locale: Locale!) { feedbackThemeSettings(locale: $locale) { key label mergedInto } }`;
const STATUS = `mutation Status($id: ID!, $status: FeedbackStatus!) {
  setFeedbackStatus(id: $id, status: $status) { id status } }`;
const ASSIGN = `mutation Assign($id: ID!, $handler: String) { assignFeedback(id: $id, handler: $handler) { id } }`;
const NOTE = `mutation Note($id: ID!, $text: String!) { addFeedbackNote(id: $id, text: $text) { text } }`;
const REPLY = `mutation Reply($input: PublishFeedbackReplyInput!) { publishFeedbackReply(input: $input) { id } }`;

async function act(query, variables, done) {
  try {
    await gql(query, variables, { auth: true });
    status(t(done));
    await load();
  } catch (error) {
    status(error.message, "error");
  }
}

function form(id, label, multiline, button, onSend, value = "") {
  const control = multiline
    ? html("textarea", { id, name: id, rows: 3, maxlength: 1000, text: value })
    : html("input", { id, name: id, type: "text", maxlength: 40, value });
  const node = html("form", { class: "inline-form" }, html("div", { class: "field" },
    html("label", { for: id, text: label }), control), html("button", { type: "submit", text: button }));
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    onSend(control.value.trim());
  });
  return node;
}

function item(entry) {
  const service = state.services.find((s) => s.id === entry.serviceId)?.name ?? entry.serviceId;
  const answered = new Date(entry.answeredAt).toLocaleString(currentLanguage());
  const statusSelect = select(`status-${entry.id}`, t("feedbackStatus"), STATUSES.map((s) => [s, t(s)]), entry.status,
    (value) => act(STATUS, { id: entry.id, status: value }, "saved"));
  const notes = entry.notes.map((n) => html("li", { text: n.text ?? t("unreadable") }));
  return html("article", { class: "card feedback-item", "data-feedback-id": entry.id,
    "aria-labelledby": `feedback-${entry.id}` },
  html("h3", { id: `feedback-${entry.id}`, text: `${service} — ${answered}` }),
  html("p", { class: "note", text: `${t("band")}: ${entry.band ? t(entry.band) : "–"} · ${t("drivers")}: ${
    entry.drivers.map(driverName).join(", ") || "–"}` }),
  entry.themes.length ? html("p", { class: "note themes", text: `${t("feedbackThemes")}: ${
    entry.themes.map((theme) => theme.label).join(", ")}` }) : null,
  entry.text !== null ? html("blockquote", { text: entry.text })
    : html("p", { class: "note", text: entry.readable ? t("noText") : t("unreadable") }),
  statusSelect,
  form(`handler-${entry.id}`, t("handler"), false, t("assign"),
    (value) => act(ASSIGN, { id: entry.id, handler: value || null }, "saved"), entry.handler ?? ""),
  notes.length ? html("ul", { class: "notes", "aria-label": t("notes") }, notes) : null,
  form(`note-${entry.id}`, t("addNote"), true, t("save"), (value) => act(NOTE, { id: entry.id, text: value }, "saved")),
  form(`reply-${entry.id}`, t("publicReply"), true, t("publish"), (value) => act(REPLY, { input: {
    feedbackId: entry.id, text: value, language: dataLocale() } }, "published")));
}

function dayField(id, label, key) {  // local days: from its first moment, to the end of the day chosen
  const input = html("input", { id, name: id, type: "date", value: state.days[key] });
  input.addEventListener("change", () => {
    state.days[key] = input.value;
    state.cursors = [null];
    load();
  });
  return html("div", { class: "field" }, html("label", { for: id, text: label }), input);
}

function period() {
  const at = (day, plus) => {
    const moment = new Date(`${day}T00:00:00`);
    moment.setDate(moment.getDate() + plus);
    return moment.toISOString();
  };
  return { ...(state.days.from ? { from: at(state.days.from, 0) } : {}),
    ...(state.days.to ? { to: at(state.days.to, 1) } : {}) };
}

function filters() {
  const change = (key) => (value) => {
    state.filter[key] = value;
    state.cursors = [null];
    load();
  };
  const any = ["", t("all")];
  document.getElementById("controls").replaceChildren(
    select("filter-service", t("service"), [any, ...state.services.map((s) => [s.id, s.name])],
      state.filter.serviceId, change("serviceId")),
    select("filter-band", t("band"), [any, ...BANDS.map((b) => [b, t(b)])], state.filter.band, change("band")),
    select("filter-driver", t("drivers"), [any, ...DRIVERS.map((d) => [d, driverName(d)])], state.filter.driver,
      change("driver")),
    select("filter-status", t("feedbackStatus"), [any, ...STATUSES.map((s) => [s, t(s)])], state.filter.status,
      change("status")),
    select("filter-theme", t("feedbackThemes"), [any, ...state.themes.map((theme) => [theme.key, theme.label])],
      state.filter.theme, change("theme")),
    dayField("filter-from", t("periodFrom"), "from"), dayField("filter-to", t("periodTo"), "to"));
}

function pager(page) {
  const row = html("nav", { class: "pager", "aria-label": t("pages") });
  if (state.cursors.length > 1) {
    const back = html("button", { type: "button", class: "secondary", text: t("newer") });
    back.addEventListener("click", () => { state.cursors.pop(); load(); });
    row.append(back);
  }
  if (page.hasMore) {
    const next = html("button", { type: "button", text: t("older") });
    next.addEventListener("click", () => { state.cursors.push(page.endCursor); load(); });
    row.append(next);
  }
  return row;
}

async function load() {
  ready(false);
  const filter = { ...Object.fromEntries(Object.entries(state.filter).filter(([, v]) => v)), ...period() };
  try {
    const { feedbackInbox: page } = await gql(INBOX, { filter, after: state.cursors.at(-1),
      locale: dataLocale() }, { auth: true });
    const scanNote = state.filter.theme ? html("p", { class: "note", text: t("themeScanNote") }) : null;
    document.getElementById("content").replaceChildren(html("section", { "aria-labelledby": "page-title" },
      scanNote, page.items.length ? page.items.map(item) : html("p", { class: "note", text: t("noFeedback") })),
    pager(page));
  } catch (error) {
    status(`${t("loadFailed")}: ${error.message}`, "error");
  }
  ready(true);
}

async function start() {
  chrome(t("feedbackTitle"));
  if (!token()) {
    document.getElementById("content").replaceChildren(html("p", {}, html("a", { href: "/dashboard/organisation",
      text: t("orgSignInLink") })));
    ready(true);
    return;
  }
  try {
    const { viewer } = await gql("query Viewer { viewer { role organisationId } }", {}, { auth: true });
    if (!viewer || viewer.role !== "ORGANISATION") throw new ApiError(t("notOrganisation"), "FORBIDDEN", 403);
    const data = await gql(SERVICES, { org: viewer.organisationId, locale: dataLocale() },
      { auth: true });
    state.services = data.services;
    const themes = await gql(THEMES, { locale: dataLocale() }, { auth: true });
    state.themes = themes.feedbackThemeSettings.filter((theme) => !theme.mergedInto);
    filters();
    status("");
    await load();
  } catch (error) {
    if (error.code === "UNAUTHENTICATED") forgetToken();
    status(error.message, "error");
    ready(true);
  }
}

mountLanguages(start);
start();
