/*! arvio "Was this page useful?" snippet. No dependencies, no inline code or styles (works under a strict CSP),
 *  no cookies or storage. Texts from /i18n/<locale>.json (any locale with a gettext catalog; missing ones in
 *  Finnish, marked lang="fi").
 *
 *  <script src="https://ARVIO-HOST/widget/arvio-page.js" data-organisation="your business ID"
 *          data-locale="fi|sv|en|se (optional)" data-target="element id (optional)" async></script>
 *
 * The page must be registered by the organisation (GraphQL registerPages). The snippet sends the page's address
 * (location.href; arvio drops the fragment, and the query unless the page keeps it), a random ref for this answer
 * and yes or no to POST /pages/answer; after a no it asks what was missing and sends the text to
 * POST /pages/follow-up. Host CSP needs the arvio origin in script-src, style-src and connect-src.
 * Docs: README.md "Was this page useful?".
 */
(function () {
  "use strict";

  // The snippet's texts by key, as msgids of the gettext catalogs (federation/i18n/locales/<code>/LC_MESSAGES/
  // arvio.po), read as JSON from /i18n/<locale>.json; a text its locale lacks comes in Finnish and its element gets
  // lang="fi". Marked for extraction (federation/i18n/babel.cfg, `arvio i18n update`).
  var N_ = function (msgid) { return msgid; };
  var MSG = {
    region: N_("Feedback on this page"),
    question: N_("Was this page useful?"),
    yes: N_("Yes"),
    no: N_("No"),
    missing: N_("What was missing?"),
    hint: N_("Do not write personal data such as your name, personal identity code or phone number. We do not reply."),
    send: N_("Send"),
    empty: N_("Write first what was missing."),
    thanks: N_("Thank you for your feedback!"),
    failed: N_("The answer could not be sent. Please try again in a moment."),
    privacy: N_("Privacy")
  };
  var MAX_TEXT = 2000;

  var script = document.currentScript;
  if (!script || !script.dataset.organisation) {
    if (window.console) { console.warn("arvio: the page snippet needs data-organisation (your business ID)"); }
    return;
  }
  var widgetRoot = new URL(".", new URL(script.src, document.baseURI)).href;
  var pagesRoot = new URL("../pages/", widgetRoot).href;
  var data = script.dataset;
  var locale = pickLocale(data.locale || document.documentElement.lang);
  var T = {};
  var uid = "arvio-page-" + Math.random().toString(36).slice(2, 9);
  var ref = newRef();

  function newRef() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function pickLocale(raw) {
    var code = String(raw || "").toLowerCase().split("-")[0];
    return /^[a-z]{2,3}$/.test(code) ? code : "fi";
  }

  // A text and the language it is in: the catalog's locale, or "fi" where the locale fell back to Finnish.
  function Msg(text, lang) { this.text = text; this.lang = lang; }
  Msg.prototype.toString = function () { return this.text; };

  function useCatalog(json) {
    locale = json.locale;
    Object.keys(MSG).forEach(function (key) {
      var text = json.messages[MSG[key]];
      T[key] = text === undefined ? new Msg(MSG[key], "en")
        : new Msg(Array.isArray(text) ? text[0] : text, json.langs[MSG[key]] || json.locale);
    });
  }

  // Puts msg into node, with lang="fi" (say) when it fell back from the snippet's language.
  function say(node, msg) {
    node.textContent = msg ? String(msg) : "";
    if (msg instanceof Msg && msg.lang !== locale) { node.setAttribute("lang", msg.lang); } else { node.removeAttribute("lang"); }
  }

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

  function post(path, body) {
    body.organisation = data.organisation;
    body.url = window.location.href;
    body.ref = ref;
    return fetch(pagesRoot + path, { method: "POST", mode: "cors", credentials: "omit",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) { throw new Error(json.code || "HTTP " + response.status); }
          return json;
        });
      });
  }

  var box, holder, live;

  function build() {
    if (!document.querySelector("link[data-arvio]")) {
      document.head.appendChild(el("link", { rel: "stylesheet", href: widgetRoot + "arvio-widget.css", "data-arvio": true }));
    }
    box = el("section", { "class": "arvio-w arvio-page", lang: locale, "aria-label": T.region });
    holder = el("div");
    live = el("p", { "class": "arvio-status arvio-sr", role: "status", "aria-live": "polite" });
    box.appendChild(holder);
    box.appendChild(live);
    box.appendChild(el("p", { "class": "arvio-hint" })).appendChild(
      el("a", { href: new URL("../privacy?locale=" + locale, widgetRoot).href, target: "_blank", rel: "noopener" },
         T.privacy));
    var target = data.target ? document.getElementById(data.target) : null;
    if (target) { target.appendChild(box); } else { script.parentNode.insertBefore(box, script.nextSibling); }
  }

  function show(node) {
    holder.textContent = "";
    holder.appendChild(node);
  }

  function done() {
    var title = el("p", { "class": "arvio-title", tabindex: "-1" }, T.thanks);
    show(title);
    say(live, null);
    title.focus();
  }

  function failed(button) {
    say(live, null);
    var alert = holder.querySelector(".arvio-error") || el("p", { "class": "arvio-error", role: "alert" });
    say(alert, T.failed);
    holder.appendChild(alert);
    button.removeAttribute("aria-busy");
    button.disabled = false;
  }

  function askYesNo() {
    var group = el("div", { role: "group", "aria-labelledby": uid + "-q" });
    group.appendChild(el("p", { id: uid + "-q", "class": "arvio-title" }, T.question));
    var actions = el("div", { "class": "arvio-actions" });
    [[true, T.yes], [false, T.no]].forEach(function (choice) {
      var button = el("button", { type: "button", "class": "arvio-primary", "data-useful": String(choice[0]) },
                      choice[1]);
      button.addEventListener("click", function () { answer(choice[0], button); });
      actions.appendChild(button);
    });
    group.appendChild(actions);
    show(group);
  }

  function answer(useful, button) {
    button.setAttribute("aria-busy", "true");
    button.disabled = true;
    post("answer", { useful: useful, locale: locale }).then(function (json) {
      if (json.followUp) { askMissing(); } else { done(); }
    }).catch(function () { failed(button); });
  }

  function askMissing() {
    var form = el("form", { novalidate: true });
    form.appendChild(el("label", { "for": uid + "-text", "class": "arvio-label", tabindex: "-1" }, T.missing));
    form.appendChild(el("p", { id: uid + "-hint", "class": "arvio-hint" }, T.hint));
    var area = el("textarea", { id: uid + "-text", name: "text", rows: "4", maxlength: String(MAX_TEXT),
      "aria-describedby": uid + "-hint" });
    form.appendChild(area);
    var actions = el("div", { "class": "arvio-actions" });
    var send = el("button", { type: "submit", "class": "arvio-primary" }, T.send);
    actions.appendChild(send);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!area.value.trim()) { say(live, T.empty); area.focus(); return; }
      send.setAttribute("aria-busy", "true");
      send.disabled = true;
      post("follow-up", { text: area.value }).then(done).catch(function () { failed(send); });
    });
    show(form);
    area.focus();
  }

  function readCatalog(code) {
    fetch(widgetRoot + "../i18n/" + code + ".json", { mode: "cors", credentials: "omit" }).then(function (response) {
      return response.json().then(function (json) {
        if (response.ok) { useCatalog(json); build(); askYesNo(); return; }
        if (code !== "fi") { readCatalog("fi"); return; }
        if (window.console) { console.warn("arvio: no texts", json.code); }
      });
    }).catch(function () { if (window.console) { console.warn("arvio: the texts could not be read"); } });
  }

  readCatalog(locale);
}());
