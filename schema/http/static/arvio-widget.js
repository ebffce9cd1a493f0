/*! arvio feedback widget. No dependencies, no inline code or styles (works under a strict CSP), fi/sv/en.
 *
 *  <script src="https://ARVIO-HOST/widget/arvio-widget.js" data-service="PTV service id"
 *          data-channel="PTV channel id (optional)" data-locale="fi|sv|en (optional)"
 *          data-ticket="rating ticket from your back end (optional)" async></script>
 *
 * With a ticket the answer goes straight to arvio. Without one nothing is stored by arvio: the widget emits
 * "arvio:answer" and "arvio:follow-up" DOM events (bubbling to document) for the page to forward.
 * Host CSP needs the arvio origin in script-src, style-src and connect-src. Docs: docs/WIDGET.md.
 */
(function () {
  "use strict";

  // Each text in Finnish, Swedish and English, side by side (null: that language falls back).
  var TEXT_ROWS = {
    region: ["Palaute palvelusta", "Respons om tjänsten", "Feedback on the service"],
    send: ["Lähetä", "Skicka", "Send"],
    skip: ["Ohita", "Hoppa över", "Skip"],
    info: ["Mihin vastauksia käytetään?", "Vad används svaren till?", "What are the answers used for?"],
    choose: ["Valitse ensin vastaus tai ohita kysymys.", "Välj först ett svar eller hoppa över frågan.", "Choose an answer first, or skip the question."],
    thanks: ["Kiitos vastauksestasi!", "Tack för ditt svar!", "Thank you for your answer!"],
    done: ["Kiitos palautteestasi!", "Tack för din respons!", "Thank you for your feedback!"],
    skipped: ["Ohitit kysymyksen. Kiitos!", "Du hoppade över frågan. Tack!", "You skipped the question. Thank you!"],
    others: ["Muiden käyttäjien arvio", "Andra användares betyg", "Other users' rating"],
    othersNone: ["Muiden käyttäjien arviota ei vielä näytetä: vastauksia on liian vähän.", "Andra användares betyg visas inte ännu: det finns för få svar.", "Other users' rating is not shown yet: there are too few answers."],
    answers: ["vastausta", "svar", "answers"],
    question: ["Kysymys", "Fråga", "Question"],
    saidYes: ["vastasi kyllä", "svarade ja", "answered yes"],
    // NPS interpretation bands (federation/scores/nps.py NPS_BAND_LABELS: cut-offs and their source there).
    NEEDS_IMPROVEMENT: ["Parannettavaa", "Behöver förbättras", "Needs improvement"],
    GOOD: ["Hyvä", "Bra", "Good"],
    GREAT: ["Erittäin hyvä", "Mycket bra", "Great"],
    EXCELLENT: ["Erinomainen", "Utmärkt", "Excellent"],
    more: ["Kerro halutessasi lisää", "Berätta gärna mer", "Tell us more if you like"],
    hint: ["Älä kirjoita henkilötietoja, kuten nimeä, henkilötunnusta tai puhelinnumeroa.", "Skriv inga personuppgifter, som namn, personbeteckning eller telefonnummer.", "Do not write personal data such as your name, personal identity code or phone number."],
    receipt: ["Viite", "Referens", "Reference"],
    failed: ["Vastausta ei voitu lähettää. Yritä hetken kuluttua uudelleen.", "Svaret kunde inte skickas. Försök igen om en stund.", "The answer could not be sent. Please try again in a moment."],
    stars: ["tähteä", "stjärnor", "stars"],
    of: ["/", "av", "of"],
    yes: ["Kyllä", "Ja", "Yes"],
    no: ["Ei", "Nej", "No"],
    low: ["Huono", "Dålig", "Poor"],
    high: ["Erinomainen", "Utmärkt", "Excellent"],
    npsLow: ["Ei lainkaan todennäköisesti", "Inte alls sannolikt", "Not at all likely"],
    npsHigh: ["Erittäin todennäköisesti", "Mycket sannolikt", "Extremely likely"],
    likertLow: ["Täysin eri mieltä", "Helt av annan åsikt", "Strongly disagree"],
    likertHigh: ["Täysin samaa mieltä", "Helt av samma åsikt", "Strongly agree"],
    faces: [["Huono","Melko huono","Melko hyvä","Hyvä"], ["Dålig","Ganska dålig","Ganska bra","Bra"], ["Poor","Fairly poor","Fairly good","Good"]],
    loading: ["Haetaan…", "Hämtar…", "Loading…"],
  };
  var TEXT = {};
  ["fi", "sv", "en"].forEach(function (lang, i) {
    TEXT[lang] = {};
    Object.keys(TEXT_ROWS).forEach(function (key) {
      if (TEXT_ROWS[key][i] !== null) { TEXT[lang][key] = TEXT_ROWS[key][i]; }
    });
  });
  var FACE_GLYPHS = ["\u{1F61E}", "\u{1F641}", "\u{1F642}", "\u{1F600}"];

  var script = document.currentScript;
  if (!script || !script.dataset.service) {
    if (window.console) { console.warn("arvio: the widget <script> needs data-service (a PTV service id)"); }
    return;
  }
  var root = new URL(".", new URL(script.src, document.baseURI)).href;
  var data = script.dataset;
  var locale = pickLocale(data.locale || document.documentElement.lang);
  var T = TEXT[locale];
  var uid = "arvio-" + Math.random().toString(36).slice(2, 9);
  var state = { draw: null, value: null, started: false };

  function pickLocale(raw) {
    var code = String(raw || "").toLowerCase().slice(0, 2);
    return TEXT[code] ? code : "fi";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) {
        node.setAttribute(name, attrs[name] === true ? "" : String(attrs[name]));
      }
    });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
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
    var tag = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" }[locale];
    return new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
  }

  // ---- the widget's frame: one step at a time, a live region, the "i" notice -------------------------------
  if (!document.querySelector("link[data-arvio]")) {
    document.head.appendChild(el("link", { rel: "stylesheet", href: root + "arvio-widget.css", "data-arvio": true }));
  }
  var box = el("section", { "class": "arvio-w", lang: locale, "aria-label": T.region });
  var stepHolder = el("div");
  var live = el("p", { "class": "arvio-status arvio-sr", role: "status", "aria-live": "polite" });
  var infoButton = el("button", { type: "button", "class": "arvio-info", "aria-expanded": "false",
    "aria-controls": uid + "-notice", title: T.info });
  infoButton.appendChild(el("span", { "aria-hidden": "true" }, "i"));
  infoButton.appendChild(el("span", { "class": "arvio-sr" }, T.info));
  var notice = el("div", { id: uid + "-notice", "class": "arvio-notice", hidden: true });
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
    if (announcement) { live.textContent = announcement; }
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
    var text = scale === "STARS_5" ? v + " " + T.of + " " + max + " " + T.stars : v + " " + T.of + " " + max;
    if (v === min) { text += " – " + endLabels(scale)[0]; }
    if (v === max) { text += " – " + endLabels(scale)[1]; }
    return text;
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
    var legend = el("legend", { "class": "arvio-title", id: uid + "-q", tabindex: "-1" }, q.text);
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
    var legend = el("legend", { "class": "arvio-title", tabindex: "-1" }, band.question);
    var choices = el("div", { "class": "arvio-choices" });
    table.drivers.forEach(function (driver) {
      var label = el("label", { "class": "arvio-check" });
      label.appendChild(el("input", { type: "checkbox", name: uid + "-driver", value: driver.code }));
      label.appendChild(el("span", null, driver.label));
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
      var ref = el("p", { "class": "arvio-ref" }, T.receipt + ": ");
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
      others.appendChild(el("span", null, T.others + ": "));
      if (figure.glyphs) {
        others.appendChild(el("span", { "class": "arvio-glyphs", "aria-hidden": "true" }, figure.glyphs));
      }
      others.appendChild(el("span", { "class": "arvio-others-value" },
        " " + figure.text + " (" + res.data.count + " " + T.answers + ")"));
      others.appendChild(el("span", { "class": "arvio-others-q" }, T.question + ": " + q.text));
    }, function () { others.textContent = T.othersNone; });
  }

  // Other users' rating in the figure of the question's scale: NPS for NPS, the share of yes for yes/no, stars
  // for stars, else the mean on the scale.
  function othersFigure(q, r) {
    if (q.scale === "NPS_11") {
      if (r.nps === null) { return null; }
      var band = r.npsBand && T[r.npsBand] ? " – " + T[r.npsBand] : "";
      return { text: "NPS " + (r.nps > 0 ? "+" : "") + number(r.nps, 0) + band };
    }
    if (q.scale === "YES_NO") {
      return r.yesShare === null ? null : { text: number(100 * r.yesShare, 0) + " % " + T.saidYes };
    }
    if (q.scale === "STARS_5") {
      if (r.stars === null) { return null; }
      var full = Math.round(r.stars);
      return { glyphs: "\u2605\u2605\u2605\u2605\u2605".slice(0, full) +
        "\u2606\u2606\u2606\u2606\u2606".slice(0, 5 - full), text: number(r.stars, 1) + " " + T.of + " 5" };
    }
    return r.mean === null ? null : { text: number(r.mean, 1) + " " + T.of + " " + q.max };
  }

  // ---- start: draw the question ------------------------------------------------------------------------------
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
}());
