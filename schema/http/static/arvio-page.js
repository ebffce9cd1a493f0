/*! arvio "Was this page useful?" snippet. No dependencies, no inline code or styles (works under a strict CSP),
 *  no cookies or storage, fi/sv/en.
 *
 *  <script src="https://ARVIO-HOST/widget/arvio-page.js" data-organisation="your business ID"
 *          data-locale="fi|sv|en (optional)" data-target="element id (optional)" async></script>
 *
 * The page must be registered by the organisation (GraphQL registerPages). The snippet sends the page's address
 * (location.href; arvio drops the fragment, and the query unless the page keeps it), a random ref for this answer
 * and yes or no to POST /pages/answer; after a no it asks what was missing and sends the text to
 * POST /pages/follow-up. Host CSP needs the arvio origin in script-src, style-src and connect-src.
 * Docs: README.md "Was this page useful?".
 */
(function () {
  "use strict";

  var TEXT_ROWS = {
    region: ["Palaute sivusta", "Respons om sidan", "Feedback on this page"],
    question: ["Oliko tästä sivusta hyötyä?", "Var den här sidan till nytta?", "Was this page useful?"],
    yes: ["Kyllä", "Ja", "Yes"],
    no: ["Ei", "Nej", "No"],
    missing: ["Mitä sivulta puuttui?", "Vad saknades på sidan?", "What was missing?"],
    hint: ["Älä kirjoita henkilötietoja, kuten nimeä, henkilötunnusta tai puhelinnumeroa. Emme vastaa viesteihin.",
           "Skriv inga personuppgifter, som namn, personbeteckning eller telefonnummer. Vi svarar inte på meddelanden.",
           "Do not write personal data such as your name, personal identity code or phone number. We do not reply."],
    send: ["Lähetä", "Skicka", "Send"],
    empty: ["Kirjoita ensin, mitä sivulta puuttui.", "Skriv först vad som saknades.", "Write first what was missing."],
    thanks: ["Kiitos palautteestasi!", "Tack för din respons!", "Thank you for your feedback!"],
    failed: ["Vastausta ei voitu lähettää. Yritä hetken kuluttua uudelleen.",
             "Svaret kunde inte skickas. Försök igen om en stund.",
             "The answer could not be sent. Please try again in a moment."],
    privacy: ["Tietosuoja", "Dataskydd", "Privacy"]
  };
  var TEXT = {};
  ["fi", "sv", "en"].forEach(function (lang, i) {
    TEXT[lang] = {};
    Object.keys(TEXT_ROWS).forEach(function (key) { TEXT[lang][key] = TEXT_ROWS[key][i]; });
  });
  var MAX_TEXT = 2000;

  var script = document.currentScript;
  if (!script || !script.dataset.organisation) {
    if (window.console) { console.warn("arvio: the page snippet needs data-organisation (your business ID)"); }
    return;
  }
  var widgetRoot = new URL(".", new URL(script.src, document.baseURI)).href;
  var pagesRoot = new URL("../pages/", widgetRoot).href;
  var data = script.dataset;
  var code = String(data.locale || document.documentElement.lang || "").toLowerCase().slice(0, 2);
  var locale = TEXT[code] ? code : "fi";
  var T = TEXT[locale];
  var uid = "arvio-page-" + Math.random().toString(36).slice(2, 9);
  var ref = newRef();

  function newRef() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
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

  if (!document.querySelector("link[data-arvio]")) {
    document.head.appendChild(el("link", { rel: "stylesheet", href: widgetRoot + "arvio-widget.css", "data-arvio": true }));
  }
  var box = el("section", { "class": "arvio-w arvio-page", lang: locale, "aria-label": T.region });
  var holder = el("div");
  var live = el("p", { "class": "arvio-status arvio-sr", role: "status", "aria-live": "polite" });
  box.appendChild(holder);
  box.appendChild(live);
  box.appendChild(el("p", { "class": "arvio-hint" })).appendChild(
    el("a", { href: new URL("../privacy?locale=" + locale, widgetRoot).href, target: "_blank", rel: "noopener" },
       T.privacy));
  var target = data.target ? document.getElementById(data.target) : null;
  if (target) { target.appendChild(box); } else { script.parentNode.insertBefore(box, script.nextSibling); }

  function show(node) {
    holder.textContent = "";
    holder.appendChild(node);
  }

  function done() {
    var title = el("p", { "class": "arvio-title", tabindex: "-1" }, T.thanks);
    show(title);
    live.textContent = "";
    title.focus();
  }

  function failed(button) {
    live.textContent = "";
    var alert = holder.querySelector(".arvio-error") || el("p", { "class": "arvio-error", role: "alert" });
    alert.textContent = T.failed;
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
      if (!area.value.trim()) { live.textContent = T.empty; area.focus(); return; }
      send.setAttribute("aria-busy", "true");
      send.disabled = true;
      post("follow-up", { text: area.value }).then(done).catch(function () { failed(send); });
    });
    show(form);
    area.focus();
  }

  askYesNo();
}());
