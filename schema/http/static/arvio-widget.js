/*! arvio feedback widget. No dependencies, no inline code or styles (works under a strict CSP).
 *
 *  <script src="https://ARVIO-HOST/widget/arvio-widget.js" data-service="PTV service id"
 *          data-channel="PTV channel id (optional)" data-locale="fi|sv|en|se (optional)"
 *          data-ticket="rating ticket from your back end (optional)" async></script>
 *
 * With a ticket the answer goes straight to arvio. Without one nothing is stored by arvio: the widget emits
 * "arvio:answer" and "arvio:follow-up" DOM events (bubbling to document) for the page to forward.
 * Texts come from /i18n/<locale>.json (gettext catalogs, any locale with a catalog; missing ones fall back to
 * Finnish). Host CSP needs the arvio origin in script-src, style-src and connect-src. Docs: docs/WIDGET.md.
 */
(function () {
  "use strict";

  // The widget's texts by key, as msgids of the gettext catalogs (federation/i18n/locales/<code>/LC_MESSAGES/
  // arvio.po), which the widget reads as JSON from /i18n/<locale>.json; a text its locale lacks comes in Finnish
  // and its element gets lang="fi". Marked for extraction (federation/i18n/babel.cfg, `arvio i18n update`).
  var N_ = function (msgid) { return msgid; };
  var NP_ = function (context, msgid) { return context + "\u0004" + msgid; };
  var MSG = {
    region: N_("Feedback on the service"),
    send: N_("Send"),
    skip: N_("Skip"),
    info: N_("What are the answers used for?"),
    choose: N_("Choose an answer first, or skip the question."),
    thanks: N_("Thank you for your answer!"),
    done: N_("Thank you for your feedback!"),
    skipped: N_("You skipped the question. Thank you!"),
    others: N_("Other users' rating"),
    othersNone: N_("Other users' rating is not shown yet: there are too few answers."),
    question: N_("Question"),
    saidYes: N_("answered yes"),
    // NPS interpretation bands (federation/scores/nps.py NPS_BAND_LABELS: cut-offs and their source there).
    NEEDS_IMPROVEMENT: N_("Needs improvement"),
    GOOD: N_("Good"),
    GREAT: N_("Great"),
    EXCELLENT: N_("Excellent"),
    more: N_("Tell us more if you like"),
    hint: N_("Do not write personal data such as your name, personal identity code or phone number."),
    receipt: N_("Reference"),
    failed: N_("The answer could not be sent. Please try again in a moment."),
    stars: N_("stars"),
    of: N_("of"),
    yes: N_("Yes"),
    no: N_("No"),
    low: N_("Poor"),
    high: N_("Excellent"),
    npsLow: N_("Not at all likely"),
    npsHigh: N_("Extremely likely"),
    likertLow: N_("Strongly disagree"),
    likertHigh: N_("Strongly agree"),
    faces: [N_("Poor"), N_("Fairly poor"), N_("Fairly good"), N_("Good")],
    loading: NP_("fetching", "Loading…"),
  };

  var FACE_GLYPHS = ["\u{1F61E}", "\u{1F641}", "\u{1F642}", "\u{1F600}"];

  var script = document.currentScript;
  if (!script || !script.dataset.service) {
    if (window.console) { console.warn("arvio: the widget <script> needs data-service (a PTV service id)"); }
    return;
  }
  var root = new URL(".", new URL(script.src, document.baseURI)).href;
  var data = script.dataset;
  var locale = pickLocale(data.locale || document.documentElement.lang);
  var catalog = null;  // /i18n/<locale>.json: {locale, messages: {key: text or [plural forms]}, langs: {key: lang}}
  var T = {};
  var box, stepHolder, live, infoButton, notice;
  var uid = "arvio-" + Math.random().toString(36).slice(2, 9);
  var state = { draw: null, value: null, started: false };

  function pickLocale(raw) {
    var code = String(raw || "").toLowerCase().split("-")[0];
    return /^[a-z]{2,3}$/.test(code) ? code : "fi";
  }

  // A text and the language it is in: the catalog's locale, or "fi" where the locale fell back to Finnish.
  function Msg(text, lang) { this.text = text; this.lang = lang; }
  Msg.prototype.toString = function () { return this.text; };

  function tr(key) {  // key: a msgid, or its context, U+0004 and the msgid
    var text = catalog.messages[key];
    if (text === undefined) { return new Msg(key.split("\u0004").pop(), "en"); }
    return new Msg(Array.isArray(text) ? text[0] : text, catalog.langs[key] || catalog.locale);
  }

  // The plural form for n: the catalog's forms in CLDR category order of their language (as in its Plural-Forms).
  function ngettext(singular, plural, n) {
    var forms = catalog.messages[singular];
    if (!Array.isArray(forms)) { return new Msg((n === 1 ? singular : plural).replace("{count}", n), "en"); }
    var lang = catalog.langs[singular] || catalog.locale;
    var order = ["zero", "one", "two", "few", "many", "other"];
    var rules = new Intl.PluralRules(lang);
    var categories = rules.resolvedOptions().pluralCategories.slice().sort(function (a, b) {
      return order.indexOf(a) - order.indexOf(b);
    });
    var index = categories.length === forms.length ? categories.indexOf(rules.select(n)) : (n === 1 ? 0 : 1);
    return new Msg(forms[Math.min(Math.max(index, 0), forms.length - 1)].replace("{count}", number(n, 0)), lang);
  }

  // Texts joined into one, in the language of the first part that fell back (numbers have none).
  function joined(parts) {
    var lang = locale;
    parts.forEach(function (part) { if (part instanceof Msg && part.lang !== locale && lang === locale) { lang = part.lang; } });
    return new Msg(parts.join(""), lang);
  }

  function useCatalog(json) {
    catalog = json;
    locale = json.locale;
    Object.keys(MSG).forEach(function (key) {
      T[key] = Array.isArray(MSG[key]) ? MSG[key].map(tr) : tr(MSG[key]);
    });
  }

  // The lang attribute of a text the server sent in another language than the widget's (a Finnish fallback).
  function foreign(lang) { return lang && lang !== locale ? lang : null; }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) {
        node.setAttribute(name, attrs[name] === true ? "" : String(attrs[name]));
      }
    });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (text instanceof Msg && text.lang !== locale && !node.hasAttribute("lang")) { node.setAttribute("lang", text.lang); }
    return node;
  }

  function request(method, path, body) {
    var init = { method: method, mode: "cors", credentials: "omit", headers: {} };
    if (body) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch(root + path, init).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, data: json }; });
    });
  }

  function emit(name, detail) {
    box.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  }

  function number(x, digits) {
    var tag = { fi: "fi-FI", sv: "sv-FI", en: "en-GB", se: "se-FI" }[locale] || locale;
    if (!Intl.NumberFormat.supportedLocalesOf([tag]).length) { tag = "fi-FI"; }  // Finnish conventions, as texts
    return new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
  }

  // The frame (built once the catalog is read): one step at a time, a live region, the "i" notice.
  function buildFrame() {
    if (!document.querySelector("link[data-arvio]")) {
      document.head.appendChild(el("link", { rel: "stylesheet", href: root + "arvio-widget.css", "data-arvio": true }));
    }
    box = el("section", { "class": "arvio-w", lang: locale, "aria-labelledby": uid + "-region" });
    box.appendChild(el("span", { id: uid + "-region", hidden: true }, T.region));  // its own lang if it fell back
    stepHolder = el("div");
    live = el("p", { "class": "arvio-status arvio-sr", role: "status", "aria-live": "polite" });
    infoButton = el("button", { type: "button", "class": "arvio-info", "aria-expanded": "false",
      "aria-controls": uid + "-notice", title: T.info, lang: T.info.lang !== locale ? T.info.lang : null });
    infoButton.appendChild(el("span", { "aria-hidden": "true" }, "i"));
    infoButton.appendChild(el("span", { "class": "arvio-sr" }, T.info));
    notice = el("div", { id: uid + "-notice", "class": "arvio-notice", hidden: true });
    box.appendChild(stepHolder);
    box.appendChild(live);
    var target = data.target ? document.getElementById(data.target) : null;
    if (target) { target.appendChild(box); } else { script.parentNode.insertBefore(box, script.nextSibling); }

    infoButton.addEventListener("click", function () {
      var open = infoButton.getAttribute("aria-expanded") === "true";
      infoButton.setAttribute("aria-expanded", open ? "false" : "true");
      notice.hidden = open;
      if (!open && !notice.firstChild) {
        notice.appendChild(el("p", null, T.loading));
        request("GET", "notice?locale=" + locale).then(function (res) {
          notice.textContent = "";
          if (res.data.locale !== locale) { notice.setAttribute("lang", res.data.locale); }  // fi/sv/en only
          // Not a heading: the host page's heading levels are unknown, and an h3 under its h1 skips a level.
          notice.appendChild(el("p", { "class": "arvio-notice-title", id: uid + "-notice-title" }, res.data.title));
          notice.setAttribute("role", "group");
          notice.setAttribute("aria-labelledby", uid + "-notice-title");
          res.data.paragraphs.forEach(function (text) { notice.appendChild(el("p", null, text)); });
          if (res.data.more) {
            var more = el("p");
            more.appendChild(el("a", { href: new URL(res.data.more.url, root).href, target: "_blank",
              rel: "noopener" }, res.data.more.label));
            if (res.data.accessibility) {
              more.appendChild(document.createTextNode(" · "));
              more.appendChild(el("a", { href: new URL(res.data.accessibility.url, root).href, target: "_blank",
                rel: "noopener" }, res.data.accessibility.label));
            }
            notice.appendChild(more);
          }
        }, function () { notice.textContent = T.failed; });
      }
    });
  }

  function actions(sendLabel) {
    var row = el("div", { "class": "arvio-actions" });
    var send = el("button", { type: "submit", "class": "arvio-primary" }, sendLabel);
    var skip = el("button", { type: "button", "class": "arvio-skip" }, T.skip);
    row.appendChild(send);
    row.appendChild(skip);
    row.appendChild(infoButton);
    return { row: row, send: send, skip: skip };
  }

  // The first step does not take the focus (the page has just loaded); later steps move it to their title so
  // keyboard and screen-reader users continue where the new content starts.
  function show(step, title, announcement) {
    stepHolder.textContent = "";
    stepHolder.appendChild(step);
    step.appendChild(notice);
    if (announcement) {
      live.textContent = announcement;
      if (announcement instanceof Msg && announcement.lang !== locale) { live.setAttribute("lang", announcement.lang); }
      else { live.removeAttribute("lang"); }
    }
    if (state.started) { title.focus(); }
    state.started = true;
  }

  function showError(form, message) {
    var old = form.querySelector(".arvio-error");
    if (old) { old.remove(); }
    var error = el("p", { "class": "arvio-error", role: "alert", id: uid + "-error" }, message);
    form.insertBefore(error, form.querySelector(".arvio-actions"));
    return error;
  }

  function busy(buttons, on) {
    buttons.forEach(function (b) { b.setAttribute("aria-busy", on ? "true" : "false"); b.disabled = on; });
  }

  // ---- step 1: the main question -----------------------------------------------------------------------------
  function optionText(scale, v, min, max) {
    if (scale === "YES_NO") { return v === 1 ? T.yes : T.no; }
    if (scale === "FACES_4") { return T.faces[v - 1] || String(v); }
    var parts = scale === "STARS_5" ? [v, " ", T.of, " ", max, " ", T.stars] : [v, " ", T.of, " ", max];
    if (v === min) { parts.push(" – ", endLabels(scale)[0]); }
    if (v === max) { parts.push(" – ", endLabels(scale)[1]); }
    return joined(parts);
  }

  // The labels of the scale's two ends (the same as SCALE_LABELS in federation/battery/wording_rules.py).
  function endLabels(scale) {
    if (scale === "NPS_11") { return [T.npsLow, T.npsHigh]; }
    if (scale === "LIKERT_5") { return [T.likertLow, T.likertHigh]; }
    return [T.low, T.high];
  }

  function optionGlyph(scale, v) {
    if (scale === "STARS_5") { return el("span", { "class": "arvio-glyph", "aria-hidden": "true" }, "\u2605"); }
    if (scale === "FACES_4") { return el("span", { "class": "arvio-glyph", "aria-hidden": "true" }, FACE_GLYPHS[v - 1]); }
    if (scale === "YES_NO") { return el("span", { "aria-hidden": "true" }, v === 1 ? T.yes : T.no); }
    return el("span", { "aria-hidden": "true" }, String(v));
  }

  function renderQuestion() {
    var q = state.draw.question;
    var form = el("form", { "class": "arvio-step", novalidate: true });
    var fieldset = el("fieldset");
    var legend = el("legend", { "class": "arvio-title", id: uid + "-q", tabindex: "-1", lang: foreign(q.lang) }, q.text);
    var group = el("div", { "class": "arvio-scale" + (q.scale === "STARS_5" ? " arvio-stars" : "") });
    var labels = [];
    for (var v = q.min; v <= q.max; v += 1) {
      var input = el("input", { type: "radio", name: uid + "-value", value: v, id: uid + "-v" + v });
      var label = el("label", { "class": "arvio-opt", "for": uid + "-v" + v });
      label.appendChild(input);
      label.appendChild(optionGlyph(q.scale, v));
      label.appendChild(el("span", { "class": "arvio-sr" }, optionText(q.scale, v, q.min, q.max)));
      if (q.scale === "STARS_5" && (v === q.min || v === q.max)) {
        // The end label sits centred under its own star (the first and the fifth), not under the row's edge.
        label.appendChild(el("span", { "class": "arvio-cap", "aria-hidden": "true" },
          endLabels(q.scale)[v === q.min ? 0 : 1]));
      }
      labels.push(label);
      group.appendChild(label);
    }
    group.addEventListener("change", function (event) {
      var chosen = Number(event.target.value);
      labels.forEach(function (l, i) {
        var value = q.min + i;
        l.classList.toggle("arvio-on", q.scale === "STARS_5" ? value <= chosen : value === chosen);
      });
    });
    var range = el("div", { "class": "arvio-range" + (q.scale === "STARS_5" ? " arvio-captioned" : "") });
    range.appendChild(group);
    if (q.scale !== "YES_NO" && q.scale !== "FACES_4" && q.scale !== "STARS_5") {
      var ends = el("p", { "class": "arvio-ends", "aria-hidden": "true" });
      ends.appendChild(el("span", null, endLabels(q.scale)[0]));
      ends.appendChild(el("span", null, endLabels(q.scale)[1]));
      range.appendChild(ends);
    }
    fieldset.appendChild(legend);
    fieldset.appendChild(range);
    var buttons = actions(T.send);
    form.appendChild(fieldset);
    form.appendChild(buttons.row);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var checked = form.querySelector("input:checked");
      if (!checked) {
        var error = showError(form, T.choose);
        Array.prototype.forEach.call(group.querySelectorAll("input"), function (input) {
          input.setAttribute("aria-describedby", error.id);
        });
        group.querySelector("input").focus();
        return;
      }
      sendAnswer(form, [buttons.send, buttons.skip], Number(checked.value), false);
    });
    buttons.skip.addEventListener("click", function () {
      sendAnswer(form, [buttons.send, buttons.skip], null, true);
    });
    show(form, legend, null);
  }

  function sendAnswer(form, buttons, value, skipped) {
    var draw = state.draw;
    state.value = value;
    emit("arvio:answer", { drawId: draw.drawId, clientRef: draw.clientRef, serviceId: draw.serviceId,
      channelId: draw.channelId, questionId: draw.question.id, wordingVersion: draw.question.wordingVersion,
      value: value, skipped: skipped, locale: locale, answeredAt: new Date().toISOString() });
    var next = function (receipt) {
      if (skipped) { renderReceipt(T.skipped, receipt); } else { renderFollowUp(value, receipt); }
    };
    if (!data.ticket) { next(null); return; }
    busy(buttons, true);
    request("POST", "answer", { drawId: draw.drawId, ticket: data.ticket, value: value, skipped: skipped,
      locale: locale }).then(function (res) {
      busy(buttons, false);
      if (res.data.status === "ACCEPTED" || res.data.code === "TICKET_REPLAYED") { next(res.data.receipt); return; }
      if (window.console) { console.warn("arvio:", res.data.code, res.data.message); }
      showError(form, T.failed);
    }, function () { busy(buttons, false); showError(form, T.failed); });
  }

  // ---- step 2: the follow-up, drawn by the answer's band ------------------------------------------------------
  function renderFollowUp(value, receipt) {
    var table = state.draw.followUps;
    var band = table.bands.filter(function (b) { return b.from <= value && value <= b.to; })[0];
    var form = el("form", { "class": "arvio-step", novalidate: true });
    var fieldset = el("fieldset");
    var legend = el("legend", { "class": "arvio-title", tabindex: "-1", lang: foreign(band.lang) }, band.question);
    var choices = el("div", { "class": "arvio-choices" });
    table.drivers.forEach(function (driver) {
      var label = el("label", { "class": "arvio-check" });
      label.appendChild(el("input", { type: "checkbox", name: uid + "-driver", value: driver.code }));
      label.appendChild(el("span", { lang: foreign(driver.lang) }, driver.label));
      choices.appendChild(label);
    });
    fieldset.appendChild(legend);
    fieldset.appendChild(choices);
    var textId = uid + "-text";
    var textLabel = el("label", { "class": "arvio-label", "for": textId }, T.more);
    var hint = el("p", { "class": "arvio-hint", id: textId + "-hint" }, T.hint);
    var text = el("textarea", { id: textId, maxlength: table.maxText, rows: 3, "aria-describedby": textId + "-hint" });
    var buttons = actions(T.send);
    form.appendChild(fieldset);
    form.appendChild(textLabel);
    form.appendChild(hint);
    form.appendChild(text);
    form.appendChild(buttons.row);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var drivers = Array.prototype.map.call(form.querySelectorAll("input:checked"), function (i) { return i.value; });
      sendFollowUp(form, [buttons.send, buttons.skip], drivers, text.value.trim(), receipt);
    });
    buttons.skip.addEventListener("click", function () { renderReceipt(T.done, receipt); });
    show(form, legend, T.thanks);
  }

  function sendFollowUp(form, buttons, drivers, text, receipt) {
    if (!drivers.length && !text) { renderReceipt(T.done, receipt); return; }
    var draw = state.draw;
    emit("arvio:follow-up", { drawId: draw.drawId, clientRef: draw.clientRef, serviceId: draw.serviceId,
      drivers: drivers, text: text || null, locale: locale });
    if (!data.ticket) { renderReceipt(T.done, receipt); return; }
    busy(buttons, true);
    request("POST", "follow-up", { drawId: draw.drawId, ticket: data.ticket, drivers: drivers, text: text || null,
      locale: locale }).then(function (res) {
      busy(buttons, false);
      if (res.data.status !== "REJECTED") { renderReceipt(T.done, receipt); return; }
      if (window.console) { console.warn("arvio:", res.data.code, res.data.message); }
      showError(form, T.failed);
    }, function () { busy(buttons, false); showError(form, T.failed); });
  }

  // ---- step 3: receipt and other users' rating ---------------------------------------------------------------
  function renderReceipt(message, receipt) {
    var step = el("div", { "class": "arvio-step" });
    var title = el("p", { "class": "arvio-title", tabindex: "-1" }, message);
    var others = el("p", { "class": "arvio-others" }, T.loading);
    step.appendChild(title);
    step.appendChild(others);
    if (receipt) {  // the code opens the page where the organisation's reply appears (/r/<code>)
      var ref = el("p", { "class": "arvio-ref" }, joined([T.receipt, ": "]));
      ref.appendChild(el("a", { href: new URL("../r/" + encodeURIComponent(receipt) + "?lang=" + locale, root).href,
        target: "_blank", rel: "noopener" }, receipt));
      step.appendChild(ref);
    }
    var row = el("div", { "class": "arvio-actions" });
    row.appendChild(infoButton);
    step.appendChild(row);
    show(step, title, null);  // the focused title is read out; announcing it too would say it twice
    var q = state.draw.question;
    request("GET", "../public/score?service=" + encodeURIComponent(data.service) + "&question=" +
      encodeURIComponent(q.id)).then(function (res) {
      others.textContent = "";
      var figure = res.ok && res.data.published ? othersFigure(q, res.data) : null;
      if (!figure) { others.textContent = T.othersNone; return; }
      others.appendChild(el("span", null, joined([T.others, ": "])));
      if (figure.glyphs) {
        others.appendChild(el("span", { "class": "arvio-glyphs", "aria-hidden": "true" }, figure.glyphs));
      }
      others.appendChild(el("span", { "class": "arvio-others-value" },
        joined([" ", figure.text, " (", ngettext("{count} answer", "{count} answers", res.data.count), ")"])));
      var asked = el("span", { "class": "arvio-others-q" }, joined([T.question, ": "]));
      asked.appendChild(el("span", { lang: q.lang && q.lang !== locale ? q.lang : null }, q.text));
      others.appendChild(asked);
    }, function () { others.textContent = T.othersNone; });
  }

  // Other users' rating in the figure of the question's scale: NPS for NPS, the share of yes for yes/no, stars
  // for stars, else the mean on the scale.
  function othersFigure(q, r) {
    if (q.scale === "NPS_11") {
      if (r.nps === null) { return null; }
      var band = r.npsBand && T[r.npsBand] ? [" – ", T[r.npsBand]] : [];
      return { text: joined(["NPS ", (r.nps > 0 ? "+" : ""), number(r.nps, 0)].concat(band)) };
    }
    if (q.scale === "YES_NO") {
      return r.yesShare === null ? null : { text: joined([number(100 * r.yesShare, 0), " % ", T.saidYes]) };
    }
    if (q.scale === "STARS_5") {
      if (r.stars === null) { return null; }
      var full = Math.round(r.stars);
      return { glyphs: "\u2605\u2605\u2605\u2605\u2605".slice(0, full) +
        "\u2606\u2606\u2606\u2606\u2606".slice(0, 5 - full), text: joined([number(r.stars, 1), " ", T.of, " 5"]) };
    }
    return r.mean === null ? null : { text: joined([number(r.mean, 1), " ", T.of, " ", q.max]) };
  }

  // ---- start: read the catalog (Finnish when the locale has none), then draw the question -----------------------
  function draw() {
    buildFrame();
    var query = "draw?service=" + encodeURIComponent(data.service) + "&locale=" + locale +
      (data.channel ? "&channel=" + encodeURIComponent(data.channel) : "");
    request("GET", query).then(function (res) {
      if (!res.ok) {
        if (window.console) { console.warn("arvio:", res.data.code, res.data.message); }
        box.remove();
        return;
      }
      state.draw = res.data;
      renderQuestion();
    }, function () { box.remove(); });
  }

  function readCatalog(code, then) {
    request("GET", "../i18n/" + code + ".json").then(function (res) {
      if (res.ok) { useCatalog(res.data); then(); return; }
      if (code !== "fi") { readCatalog("fi", then); return; }
      if (window.console) { console.warn("arvio: no texts", res.data.code); }
    }, function () { if (window.console) { console.warn("arvio: the texts could not be read"); } });
  }

  readCatalog(locale, draw);
}());
