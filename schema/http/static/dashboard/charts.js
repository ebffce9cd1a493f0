// Small inline-SVG charts with a keyboard-navigable set of marks (roving tabindex, arrow keys, Home/End), a
// polite live read-out, and a table alternative. Every mark carries its numbers in data-* attributes.

import { t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 720;
const NARROW = 480;

// The drawing width: the room a panel leaves in #content, so one SVG unit is one CSS pixel and the 12 px chart text
// stays 12 px on a phone (a fixed 720-unit drawing scaled into 300 px would shrink it to 5 px).
export function chartWidth() {
  const content = document.getElementById("content");
  const room = content ? content.clientWidth - 48 : WIDTH;
  return Math.max(260, Math.min(WIDTH, Math.floor(room)));
}

// A label cut to about `room` pixels of 12 px text (the full text is in the mark's label and the table).
export function fit(text, room) {
  const most = Math.max(4, Math.floor(room / 7));
  return text.length <= most ? text : `${text.slice(0, most - 1)}…`;
}

export function svg(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

export function html(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") {
      node.textContent = value;
      if (value instanceof String && value.lang && !("lang" in attrs)) node.setAttribute("lang", value.lang);
    }
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function rove(items, readout, columns = 1) {
  items.forEach((item, index) => {
    item.setAttribute("tabindex", index === 0 ? "0" : "-1");
    item.classList.add("mark");
    item.addEventListener("focus", () => {
      for (const other of items) other.setAttribute("tabindex", other === item ? "0" : "-1");
      readout.textContent = item.getAttribute("aria-label");
    });
    item.addEventListener("pointerenter", () => { readout.textContent = item.getAttribute("aria-label"); });
    item.addEventListener("keydown", (event) => {
      const steps = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns };
      let next = null;
      if (event.key in steps) next = index + steps[event.key];
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = items.length - 1;
      if (next === null) return;
      event.preventDefault();
      items[Math.max(0, Math.min(items.length - 1, next))].focus();
    });
  });
}

function table(caption, headers, rows) {
  return html("table", { class: "data" },
    html("caption", { text: caption }),
    html("thead", {}, html("tr", {}, headers.map((h) => html("th", { scope: "col", text: h })))),
    html("tbody", {}, rows.map((row) => html("tr", {}, row.map((cell, i) => {
      const attrs = { text: cell.text, "data-value": cell.value ?? null };
      return i === 0 ? html("th", { scope: "row", ...attrs }) : html("td", attrs);
    })))));
}

function figure(id, caption, chart, marks, columns, alternative) {
  const help = marks.length ? html("p", { class: "help", id: `${id}-help`, text: t("keysHelp") }) : null;
  const readout = html("p", { class: "readout", id: `${id}-readout`, "aria-live": "polite" });
  chart.setAttribute("role", "group");
  chart.setAttribute("aria-labelledby", `${id}-caption`);
  if (help) chart.setAttribute("aria-describedby", `${id}-help`);
  rove(marks, readout, columns);
  return html("figure", { class: "chart", id },
    html("figcaption", { id: `${id}-caption`, text: caption }), chart, help, readout,
    html("details", {}, html("summary", { text: t("showTable") }), alternative));
}

function linear(domain, range) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  return (value) => r0 + ((value - d0) / (d1 - d0 || 1)) * (r1 - r0);
}

function yAxis(chart, y, domain, format, left, right) {
  const ticks = 4;
  for (let i = 0; i <= ticks; i += 1) {
    const value = domain[0] + ((domain[1] - domain[0]) * i) / ticks;
    const py = y(value);
    chart.append(svg("line", { x1: left, x2: right, y1: py, y2: py, class: "grid", "aria-hidden": "true" }));
    chart.append(svg("text", { x: left - 6, y: py + 4, class: "tick", "text-anchor": "end", "aria-hidden": "true" },
      format(value)));
  }
}

// points: [{label, from, to, value, low, high, count}], events: [{number, at, text}]
export function trendChart(id, caption, points, { domain, format, start, end, events = [] }) {
  const width = chartWidth();
  const height = width < NARROW ? 220 : 260;
  const left = 48;
  const right = width - 8;
  const top = 16;
  const bottom = height - 36;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart-svg trend" });
  const x = linear([Date.parse(start), Date.parse(end)], [left, right]);
  const y = linear(domain, [bottom, top]);
  yAxis(chart, y, domain, format, left, right);
  const mid = (p) => x((Date.parse(p.from) + Date.parse(p.to)) / 2);
  let segment = [];
  const segments = [];
  for (const point of points) {
    if (point.value === null) {
      if (segment.length) segments.push(segment);
      segment = [];
    } else {
      segment.push(point);
    }
  }
  if (segment.length) segments.push(segment);
  for (const run of segments) {
    const upper = run.map((p) => `${mid(p)},${y(p.high ?? p.value)}`);
    const lower = run.slice().reverse().map((p) => `${mid(p)},${y(p.low ?? p.value)}`);
    chart.append(svg("polygon", { points: [...upper, ...lower].join(" "), class: "band", "aria-hidden": "true" }));
    chart.append(svg("polyline", { points: run.map((p) => `${mid(p)},${y(p.value)}`).join(" "), class: "line",
      "aria-hidden": "true" }));
  }
  for (const event of events) {
    const ex = x(Date.parse(event.at));
    if (ex < left || ex > right) continue;
    const marker = svg("g", { class: "event-marker", "data-event": event.number, "aria-hidden": "true" });
    marker.append(svg("line", { x1: ex, x2: ex, y1: top, y2: bottom }), svg("text", { x: ex + 4, y: top + 10 },
      String(event.number)), svg("title", {}, event.text));
    chart.append(marker);
  }
  const marks = [];
  for (const point of points.filter((p) => p.value !== null)) {
    const label = `${point.label}: ${format(point.value)} (${format(point.low)}–${format(point.high)}), ` +
      `${t("answers").toLowerCase()} ${point.count}`;
    const mark = svg("circle", { cx: mid(point), cy: y(point.value), r: 4, class: "point", role: "img",
      "aria-label": label, "data-label": point.label, "data-value": point.value, "data-low": point.low,
      "data-high": point.high, "data-count": point.count });
    chart.append(mark);
    marks.push(mark);
  }
  const last = points.length - 1;
  const middle = Math.floor(points.length / 2);
  const anchors = new Map([[0, ["start", left]], [middle, ["middle", null]], [last, ["end", right]]]);
  for (const [index, [anchor, at]] of anchors) {
    if (!points[index]) continue;
    chart.append(svg("text", { x: at ?? mid(points[index]), y: height - 12, class: "tick", "text-anchor": anchor,
      "aria-hidden": "true" }, points[index].label));
  }
  const rows = points.map((p) => [
    { text: p.label }, { text: p.value === null ? t("notPublished") : format(p.value), value: p.value },
    { text: p.value === null ? "–" : `${format(p.low)}–${format(p.high)}` },
    { text: p.count === null ? "–" : String(p.count), value: p.count }]);
  return figure(id, caption, chart, marks, 1,
    table(caption, [t("period"), t("value"), t("interval"), t("answers")], rows));
}

// rows: [{key, label, count, share?}]; horizontal bars, the longest scaled to the chart's width.
// On a narrow screen each label sits on its own line above its bar.
export function barChart(id, caption, rows, { labelHeader, valueText = (row) => String(row.count) } = {}) {
  const full = chartWidth();
  const narrow = full < NARROW;
  const above = narrow ? 18 : 0;
  const rowHeight = 28 + above;
  const left = narrow ? 0 : 200;
  const right = full - 64;
  const height = rows.length * rowHeight + 8;
  const chart = svg("svg", { viewBox: `0 0 ${full} ${height}`, class: "chart-svg bars" });
  const most = Math.max(1, ...rows.map((r) => r.count));
  const marks = rows.map((row, i) => {
    const y = 4 + i * rowHeight + above;
    const width = ((right - left) * row.count) / most;
    chart.append(svg("text", { x: narrow ? 0 : left - 8, y: narrow ? y - 2 : y + 18, class: "tick",
      "text-anchor": narrow ? "start" : "end", "aria-hidden": "true" }, fit(row.label, narrow ? full : left - 8)));
    const bar = svg("rect", { x: left, y: y + 4, width: Math.max(width, 1), height: rowHeight - above - 8, class: "bar",
      role: "img", "aria-label": `${row.label}: ${valueText(row)}`, "data-key": row.key, "data-count": row.count });
    chart.append(bar, svg("text", { x: left + width + 6, y: y + 18, class: "tick", "aria-hidden": "true" },
      valueText(row)));
    return bar;
  });
  const tableRows = rows.map((r) => [{ text: r.label }, { text: valueText(r), value: r.count }]);
  return figure(id, caption, chart, marks, 1, table(caption, [labelHeader ?? caption, t("count")], tableRows));
}

// cells: 168 of {weekday, hour, count, value} (Monday 0:00 first); shading by count.
export function heatmapChart(id, caption, cells, { format }) {
  const full = chartWidth();
  const left = 40;
  const cell = Math.min(26, (full - left - 4) / 24);
  const row = 26;
  const top = 22;
  const height = top + 7 * row + 8;
  const chart = svg("svg", { viewBox: `0 0 ${full} ${height}`, class: "chart-svg heat" });
  const most = Math.max(1, ...cells.map((c) => c.count ?? 0));
  const weekdays = t("weekdays");
  for (let hour = 0; hour < 24; hour += cell < 16 ? 6 : 3) {
    chart.append(svg("text", { x: left + hour * cell + cell / 2, y: 14, class: "tick", "text-anchor": "middle",
      "aria-hidden": "true" }, String(hour)));
  }
  const marks = cells.map((c) => {
    const level = c.count === null ? "hidden" : String(Math.min(5, Math.ceil((5 * c.count) / most)));
    const label = `${weekdays[c.weekday - 1]} ${c.hour}–${c.hour + 1}: ` + (c.count === null ? t("notPublished")
      : `${t("answers").toLowerCase()} ${c.count}${c.value === null ? "" : `, ${format(c.value)}`}`);
    return svg("rect", { x: left + c.hour * cell + 1, y: top + (c.weekday - 1) * row + 1, width: cell - 2,
      height: row - 2, class: `heat-cell level-${level}`, role: "img", "aria-label": label,
      "data-weekday": c.weekday, "data-hour": c.hour, "data-count": c.count, "data-value": c.value });
  });
  weekdays.forEach((name, i) => chart.append(svg("text", { x: left - 6, y: top + i * row + 17, class: "tick",
    "text-anchor": "end", "aria-hidden": "true" }, name)));
  chart.append(...marks);
  // The table has a row per hour and a column per weekday, so it fits a phone's width.
  const rows = Array.from({ length: 24 }, (_, hour) => [{ text: String(hour) }, ...weekdays.map((_, i) => {
    const c = cells.find((x) => x.weekday === i + 1 && x.hour === hour);
    return { text: !c || c.count === null ? "–" : String(c.count), value: c ? c.count : null };
  })]);
  return figure(id, caption, chart, marks, 24, table(caption, [t("hour"), ...weekdays], rows));
}

// entries: [{key, label, value, low, high, focus}] best first; dots with interval whiskers.
// On a narrow screen each service's name sits on its own line above its whisker.
export function intervalChart(id, caption, entries, { domain, format, valueHeader = t("shrunkMean") }) {
  const full = chartWidth();
  const narrow = full < NARROW;
  const above = narrow ? 18 : 0;
  const rowHeight = 26 + above;
  const left = narrow ? 8 : 260;
  const right = full - 12;
  const height = entries.length * rowHeight + 30;
  const chart = svg("svg", { viewBox: `0 0 ${full} ${height}`, class: "chart-svg peers" });
  const x = linear(domain, [left, right]);
  const marks = entries.map((e, i) => {
    const y = 8 + i * rowHeight + above + (rowHeight - above) / 2;
    chart.append(svg("text", { x: narrow ? 0 : left - 8, y: narrow ? y - 12 : y + 4,
      class: `tick${e.focus ? " focus" : ""}`, "text-anchor": narrow ? "start" : "end", "aria-hidden": "true" },
    fit(narrow ? `${e.rankText} ${e.label}` : e.label, narrow ? full : left - 8)));
    chart.append(svg("line", { x1: x(e.low), x2: x(e.high), y1: y, y2: y, class: "whisker", "aria-hidden": "true" }));
    const dot = svg("circle", { cx: x(e.value), cy: y, r: e.focus ? 6 : 4, class: `point${e.focus ? " focus" : ""}`,
      role: "img", "aria-label": `${e.rankText} ${e.label}: ${format(e.value)} (${format(e.low)}–${format(e.high)})`,
      "data-key": e.key, "data-value": e.value, "data-low": e.low, "data-high": e.high });
    chart.append(dot);
    return dot;
  });
  chart.append(svg("text", { x: left, y: height - 6, class: "tick", "aria-hidden": "true" }, format(domain[0])),
    svg("text", { x: right, y: height - 6, class: "tick", "text-anchor": "end", "aria-hidden": "true" },
      format(domain[1])));
  const rows = entries.map((e) => [{ text: e.label }, { text: e.rankText }, { text: format(e.value), value: e.value },
    { text: `${format(e.low)}–${format(e.high)}` }]);
  return figure(id, caption, chart, marks, 1,
    table(caption, [t("service"), t("rank"), valueHeader, t("interval")], rows));
}
