"""Messages in a subscription's locale (fi, sv or en; federation/notify/subscriptions.py): digests, alerts and test
messages as plain text + simple HTML (e-mail), and the JSON bodies of webhooks. Their words are msgids (context
``notification``) of the gettext catalogs (federation/i18n/catalogs.py); the alert kinds word their own lines
(federation/notify/kinds.py). Pure functions of their input; every caller-given text is HTML-escaped."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from federation.i18n import catalogs
from federation.i18n.markers import NP_
from federation.notify.digest import Digest, Names, ServiceDigest
from federation.notify.kinds import AlertFinding
from federation.notify.registry import REGISTRY

TEXTS: dict[str, tuple[str, str]] = {
    "daily": NP_("notification", "Daily digest {period}"),
    "weekly": NP_("notification", "Weekly digest {period}"),
    "intro": NP_("notification", "{organisation}: customer feedback digest ({question})."),
    "service": NP_("notification", "{name}: {score}, {count} answers (previous period {previous}); {texts} new free "
                                   "texts"),
    "empty": NP_("notification", "{name}: no answers (previous period {previous}); {texts} new free texts"),
    "few": NP_("notification", "below the publication threshold"),
    "none": NP_("notification", "no answers"),
    "notable": NP_("notification", "Notable changes"),
    "alerts": NP_("notification", "Alerts"),
    "no_alerts": NP_("notification", "No alerts."),
    "no_services": NP_("notification", "The organisation has no registered services."),
    "services": NP_("notification", "Services"),
    "alert_subject": NP_("notification", "Alert: {line}"),
    "test_subject": NP_("notification", "arvio: test message"),
    "test_body": NP_("notification", "This is a test message from arvio. Notifications work."),
    "footer": NP_("notification", "Sent by arvio. Delete the subscription with deleteNotificationSubscription."),
}
"""The messages' words by key: ``(msgctxt, msgid)`` of the gettext catalogs (federation/i18n/locales/)."""


@dataclass(frozen=True)
class Message:
    """An e-mail's subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def _texts(locale: str) -> Mapping[str, str]:
    """Every word of the messages in ``locale``, by key (Finnish where its catalog lacks one)."""
    return {key: catalogs.pgettext(locale, context, msgid) for key, (context, msgid) in TEXTS.items()}


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
