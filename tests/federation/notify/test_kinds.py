"""The alert-kind registry: names are checked and registered once, and a kind registered by another module flows
through digests and the notify pass like SCORE_DROP (federation/notify/kinds.py, federation/notify/registry.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence

import pytest

from federation.db import Database
from federation.notify import digest, runner, subscriptions
from federation.notify.kinds import AlertFinding, AlertKind, AlertScan, KindRegistry
from federation.notify.models import Channel, DigestFrequency
from federation.notify.registry import REGISTRY
from federation.notify.render import render_alert
from federation.notify.runner import RunReport
from federation.notify.score_drop import SCORE_DROP
from tests.conftest import NOW, SERVICE_A
from tests.federation.notify.support import (
    add_subscription,
    notifier,
    register,
    smtp_server,
    wait_for,
    webhook_receiver,
)


def _unanswered(scan: AlertScan) -> Sequence[AlertFinding]:
    day = scan.now.date() - dt.timedelta(days=1)
    return [AlertFinding("UNANSWERED_FEEDBACK", f"{service}:{day}", service, day, {"serviceId": service, "days": 7})
            for service in scan.service_ids if day >= scan.since]


def _describe(finding: AlertFinding, locale: str, service_name: Callable[[str], str]) -> str:
    return f"{service_name(finding.service_id)}: {finding.facts['days']} days unanswered ({locale})"


UNANSWERED = AlertKind("UNANSWERED_FEEDBACK", "Feedback waiting for an answer.", _unanswered, _describe)


def test_names_are_checked_and_registered_once() -> None:
    registry = KindRegistry()
    registry.register(SCORE_DROP)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(SCORE_DROP)
    for bad in ("score_drop", "X", "A" * 41, "SCORE DROP"):
        with pytest.raises(ValueError, match="must be 2–40 characters"):
            registry.register(AlertKind(bad, "", _unanswered, _describe))
    assert registry.names() == ["SCORE_DROP"] and REGISTRY.get("SCORE_DROP") is SCORE_DROP


@pytest.fixture
def plugged(monkeypatch: pytest.MonkeyPatch) -> KindRegistry:
    registry = KindRegistry()
    registry.register(SCORE_DROP)
    registry.register(UNANSWERED)
    for module in (runner, digest, subscriptions):
        monkeypatch.setattr(module, "REGISTRY", registry)
    monkeypatch.setattr("federation.notify.render.REGISTRY", registry)
    return registry


@pytest.mark.usefixtures("plugged")
def test_a_registered_kind_is_subscribed_to_and_delivered(database: Database) -> None:
    register(database)
    with webhook_receiver([200]) as (receiver, url), smtp_server() as (inbox, port):
        add_subscription(database, Channel.WEBHOOK, url, at=NOW - dt.timedelta(days=3),
                         kinds=("UNANSWERED_FEEDBACK",))
        add_subscription(database, Channel.EMAIL, "ops@example.fi", at=NOW - dt.timedelta(days=3),
                         digest=DigestFrequency.DAILY, locale="en")
        assert notifier(database, port).run(now=NOW) == RunReport(enqueued=2, sent=2)
        assert notifier(database, port).run(now=NOW) == RunReport()
        wait_for(lambda: len(inbox.messages) == 1)
    ((_, body),) = receiver.requests
    event = json.loads(body)
    assert event["type"] == "alert.unanswered_feedback" and event["data"] == {"serviceId": SERVICE_A, "days": 7}
    text = inbox.messages[0].get_body(("plain",))
    assert text is not None and "Library card: 7 days unanswered (en)" in text.get_content()


def test_a_name_with_line_breaks_stays_on_one_subject_line() -> None:
    finding = AlertFinding("UNANSWERED_FEEDBACK", "k", SERVICE_A, NOW.date(), {"days": 3})
    with pytest.MonkeyPatch.context() as patch:
        registry = KindRegistry()
        registry.register(UNANSWERED)
        patch.setattr("federation.notify.render.REGISTRY", registry)
        message = render_alert(finding, "fi", {SERVICE_A: ("Kirjasto\r\nBcc: x@example.fi", None, None)})
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.startswith("Hälytys: Kirjasto Bcc: x@example.fi: 3 days")
    assert "<li>" not in message.html and "Kirjasto" in message.html
