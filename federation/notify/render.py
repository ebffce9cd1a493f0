"""Messages in fi, sv or en: digests, alerts and test messages as plain text + simple HTML (e-mail), and the JSON
bodies of webhooks. Pure functions of their input; every caller-given text is HTML-escaped."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from federation.notify.digest import Digest, Names, ServiceDigest
from federation.notify.kinds import AlertFinding
from federation.notify.registry import REGISTRY

_TEXTS: Mapping[str, Mapping[str, str]] = {
    "fi": {
        "daily": "Päivän yhteenveto {period}", "weekly": "Viikon yhteenveto {period}",
        "intro": "{organisation}: asiakaspalautteen yhteenveto ({question}).",
        "service": "{name}: {score}, {count} vastausta (edellinen jakso {previous}); {texts} uutta vapaata tekstiä",
        "empty": "{name}: ei vastauksia (edellinen jakso {previous}); {texts} uutta vapaata tekstiä",
        "few": "alle julkaisukynnyksen", "none": "ei vastauksia",
        "notable": "Merkittävät muutokset", "alerts": "Hälytykset", "no_alerts": "Ei hälytyksiä.",
        "no_services": "Organisaatiolla ei ole rekisteröityjä palveluja.", "services": "Palvelut",
        "alert_subject": "Hälytys: {line}", "test_subject": "arvio: testiviesti",
        "test_body": "Tämä on arvion testiviesti. Ilmoitukset toimivat.",
        "footer": "Lähettäjä arvio. Tilauksen voi poistaa deleteNotificationSubscription-kutsulla.",
    },
    "sv": {
        "daily": "Dagens sammandrag {period}", "weekly": "Veckans sammandrag {period}",
        "intro": "{organisation}: sammandrag av kundrespons ({question}).",
        "service": "{name}: {score}, {count} svar (föregående period {previous}); {texts} nya fritexter",
        "empty": "{name}: inga svar (föregående period {previous}); {texts} nya fritexter",
        "few": "under publiceringströskeln", "none": "inga svar",
        "notable": "Betydande förändringar", "alerts": "Larm", "no_alerts": "Inga larm.",
        "no_services": "Organisationen har inga registrerade tjänster.", "services": "Tjänster",
        "alert_subject": "Larm: {line}", "test_subject": "arvio: testmeddelande",
        "test_body": "Detta är ett testmeddelande från arvio. Aviseringarna fungerar.",
        "footer": "Skickat av arvio. Prenumerationen tas bort med deleteNotificationSubscription.",
    },
    "en": {
        "daily": "Daily digest {period}", "weekly": "Weekly digest {period}",
        "intro": "{organisation}: customer feedback digest ({question}).",
        "service": "{name}: {score}, {count} answers (previous period {previous}); {texts} new free texts",
        "empty": "{name}: no answers (previous period {previous}); {texts} new free texts",
        "few": "below the publication threshold", "none": "no answers",
        "notable": "Notable changes", "alerts": "Alerts", "no_alerts": "No alerts.",
        "no_services": "The organisation has no registered services.", "services": "Services",
        "alert_subject": "Alert: {line}", "test_subject": "arvio: test message",
        "test_body": "This is a test message from arvio. Notifications work.",
        "footer": "Sent by arvio. Delete the subscription with deleteNotificationSubscription.",
    },
}


@dataclass(frozen=True)
class Message:
    """An e-mail's subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def _texts(locale: str) -> Mapping[str, str]:
    return _TEXTS.get(locale, _TEXTS["en"])


def pick(names: Names, locale: str) -> str:
    """The name in ``locale``, falling back to Finnish."""
    fi, sv, en = names
    return {"sv": sv, "en": en}.get(locale) or fi


def _score(mean: float | None, count: int, published: bool, t: Mapping[str, str]) -> str:
    if mean is None:
        return t["none"]
    return f"{mean:.2f}" if published else f"{mean:.2f} ({t['few']})"


def _service_line(line: ServiceDigest, locale: str, t: Mapping[str, str]) -> str:
    previous = _score(line.previous_mean, line.previous_count, True, t)
    if line.count == 0:
        return t["empty"].format(name=pick(line.names, locale), previous=previous, texts=line.free_texts)
    change = "" if line.change is None else f" {line.change:+.2f}"
    return t["service"].format(name=pick(line.names, locale), score=_score(line.mean, line.count, line.published, t)
                               + change, count=line.count, previous=previous, texts=line.free_texts)


def _alert_line(finding: AlertFinding, locale: str, service_name: Callable[[str], str]) -> str:
    kind = REGISTRY.get(finding.kind)
    if kind is None:
        return f"{finding.kind}: {service_name(finding.service_id)}"
    return kind.describe(finding, locale, service_name)


def _sections(digest: Digest, locale: str) -> list[tuple[str, list[str]]]:
    t = _texts(locale)
    names = {s.service_id: pick(s.names, locale) for s in digest.services}

    def name_of(service_id: str) -> str:
        return names.get(service_id, service_id)

    services = [_service_line(s, locale, t) for s in digest.services] or [t["no_services"]]
    sections = [(t["services"], services)]
    if digest.notable:
        sections.append((t["notable"], [_service_line(s, locale, t) for s in digest.notable]))
    alerts = [_alert_line(f, locale, name_of) for f in digest.alerts] or [t["no_alerts"]]
    sections.append((t["alerts"], alerts))
    return sections


def _period_text(digest: Digest) -> str:
    period = digest.period
    if period.first == period.last:
        return period.first.strftime("%d.%m.%Y")
    return f"{period.first:%d.%m.}–{period.last:%d.%m.%Y}"


def _compose(subject: str, intro: str, sections: list[tuple[str, list[str]]], footer: str) -> Message:
    subject = " ".join(subject.split())[:200]  # one header line, whatever a name holds
    text_parts = [intro, ""]
    html_parts = [f"<p>{html.escape(intro)}</p>"]
    for title, lines in sections:
        text_parts += [title, *(f"- {line}" for line in lines), ""]
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        html_parts.append(f"<h2>{html.escape(title)}</h2><ul>{items}</ul>")
    text_parts.append(footer)
    html_parts.append(f"<p><small>{html.escape(footer)}</small></p>")
    body = "".join(html_parts)
    page = (f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(subject)}</title></head>'
            f"<body>{body}</body></html>")
    return Message(subject, "\n".join(text_parts) + "\n", page)


def render_digest(digest: Digest, locale: str) -> Message:
    """The digest e-mail in ``locale``."""
    t = _texts(locale)
    key = "daily" if digest.period.first == digest.period.last else "weekly"
    subject = t[key].format(period=_period_text(digest))
    intro = t["intro"].format(organisation=pick(digest.organisation_names, locale), question=digest.question_id)
    return _compose(subject, intro, _sections(digest, locale), t["footer"])


def render_alert(finding: AlertFinding, locale: str, service_names: Mapping[str, Names]) -> Message:
    """An instant alert e-mail in ``locale``."""
    t = _texts(locale)

    def name_of(service_id: str) -> str:
        names = service_names.get(service_id)
        return service_id if names is None else pick(names, locale)

    line = _alert_line(finding, locale, name_of)
    subject = t["alert_subject"].format(line=line)
    return _compose(subject, line, [], t["footer"])


def render_test(locale: str) -> Message:
    """The test e-mail of ``arvio notify send-test``."""
    t = _texts(locale)
    return _compose(t["test_subject"], t["test_body"], [], t["footer"])


def webhook_body(event_type: str, delivery_id: str, organisation_id: str, created_at: dt.datetime,
                 data: Mapping[str, object], text: str) -> dict[str, object]:
    """The JSON object a webhook receives: type (``alert.score_drop``, ``test``), delivery id, organisation,
    creation time, the event's data and a one-line ``text`` in the subscription's locale (for chat channels)."""
    return {"type": event_type, "id": delivery_id, "organisationId": organisation_id,
            "createdAt": created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"), "data": dict(data),
            "text": text}
