"""The THEME_SURGE and UNANSWERED_FEEDBACK alert kinds: their rules, their lines in fi/sv/en, and their place in
digests and in ``arvio notify run``."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from sqlalchemy.orm import Session

from federation.db import Database
from federation.feedback.models import FeedbackState
from federation.notify import theme_surge, unanswered
from federation.notify.digest import Period, build_digest
from federation.notify.kinds import AlertScan
from federation.notify.models import Channel, DigestFrequency
from federation.notify.registry import REGISTRY
from federation.notify.render import render_digest
from federation.notify.runner import RunReport
from federation.notify.signing import verify_signature
from tests.conftest import NOW, ORG_A, SERVICE_A
from tests.federation.feedback.seed import RING, rating, registry
from tests.federation.notify.support import add_subscription, notifier, webhook_receiver

TODAY = dt.date(2026, 3, 16)  # NOW in Helsinki
DAY = dt.timedelta(days=1)
QUEUE, COSTS = "Jonotin tunnin tiskille.", "Maksu oli liian kallis."


def scan(session: Session, *, since: dt.date = TODAY - 7 * DAY, ring: bool = True) -> AlertScan:
    return AlertScan(session, ORG_A, [SERVICE_A], NOW, since, RING if ring else None)


def test_both_kinds_are_registered_with_descriptions() -> None:
    for name in ("THEME_SURGE", "UNANSWERED_FEEDBACK"):
        kind = REGISTRY.get(name)
        assert kind is not None and kind.description


def _unanswered(database: Database) -> None:
    with database.transaction() as session:
        registry(session)
        rating(session, "old-1", at=NOW - 6 * DAY)
        rating(session, "old-2", at=NOW - 6 * DAY - dt.timedelta(hours=1))
        read = rating(session, "old-read", at=NOW - 6 * DAY)
        done = rating(session, "old-done", at=NOW - 6 * DAY)
        rating(session, "old-no-text", text=None, at=NOW - 6 * DAY)
        rating(session, "fresh", at=NOW - 4 * DAY)
        rating(session, "ancient", at=NOW - 40 * DAY)
        session.add_all([FeedbackState(rating_id=read, status="READ", handler=None, updated_at=NOW),
                         FeedbackState(rating_id=done, status="ANSWERED", handler=None, updated_at=NOW)])


def test_unanswered_feedback_counts_open_items_with_a_text_per_service_and_day(database: Database) -> None:
    _unanswered(database)
    with database.transaction(write=False) as session:
        found = unanswered.detect(scan(session))
        later = unanswered.detect(scan(session, since=TODAY))
    overdue = TODAY - DAY
    assert [(f.key, f.detected_on, dict(f.facts)) for f in found] == [
        (f"{SERVICE_A}:{overdue}", overdue, {"serviceId": SERVICE_A, "overdueOn": overdue.isoformat(), "count": 3,
                                             "days": 5})]
    assert later == []
    lines = {locale: unanswered.describe(found[0], locale, lambda _: "Kirjastokortti") for locale in ("fi", "sv", "en")}
    assert lines["fi"] == ("Kirjastokortti: vastaamatonta palautetta: 3 (vapaa teksti, tila vastaanotettu tai luettu "
                           "yli 5 päivää; 15.03.2026)")
    assert lines["sv"].startswith("Kirjastokortti: obesvarad respons: 3") and "5 dagar" in lines["sv"]
    assert lines["en"].startswith("Kirjastokortti: unanswered feedback: 3") and "5 days" in lines["en"]


def test_unanswered_feedback_is_posted_once_and_listed_in_the_digest(database: Database) -> None:
    _unanswered(database)
    with webhook_receiver([204]) as (receiver, url):
        _, secret = add_subscription(database, Channel.WEBHOOK, url, at=NOW - 30 * DAY,
                                     kinds=("UNANSWERED_FEEDBACK",))
        assert notifier(database).run(now=NOW) == RunReport(enqueued=1, sent=1)
        assert notifier(database).run(now=NOW + dt.timedelta(hours=2)) == RunReport()
    ((headers, body),) = receiver.requests
    assert secret is not None and verify_signature(secret, headers["arvio-signature"], body, now=time.time()) > 0
    event = json.loads(body)
    assert event["type"] == "alert.unanswered_feedback" and event["data"]["count"] == 3
    assert "Jono" not in body.decode()
    with database.transaction(write=False) as session:
        digest = build_digest(session, ORG_A, Period(DigestFrequency.DAILY, TODAY - DAY, TODAY - DAY), now=NOW,
                              publication_threshold=5, ring=RING)
    assert [f.kind for f in digest.alerts] == ["UNANSWERED_FEEDBACK"]
    assert "vastaamatonta palautetta: 3" in render_digest(digest, "fi").text


def _texts(session: Session, prefix: str, texts: list[str], days_ago: range) -> None:
    for i, text in enumerate(texts):
        rating(session, f"{prefix}-{i}", text=text, value=2,
               at=NOW - days_ago[i % len(days_ago)] * DAY - dt.timedelta(minutes=i))


def _surge(database: Database, *, recent_queue: int, baseline_queue: int = 2) -> None:
    with database.transaction() as session:
        registry(session)
        _texts(session, "base", [QUEUE] * baseline_queue + [COSTS] * (40 - baseline_queue), range(8, 34))
        _texts(session, "recent", [QUEUE] * recent_queue + [COSTS] * 8, range(6))


def test_a_theme_surge_is_found_once_a_week_with_its_counts(database: Database) -> None:
    _surge(database, recent_queue=12)
    with database.transaction(write=False) as session:
        found = theme_surge.detect(scan(session))
        blind = theme_surge.detect(scan(session, ring=False))
    assert blind == []
    keys = [f.key for f in found]
    assert all(k.startswith("queueing:2026-W") for k in keys) and len(keys) == len(set(keys)) <= 2
    last = found[-1]
    assert last.facts["theme"] == "queueing" and last.service_id == SERVICE_A
    assert int(str(last.facts["recentCount"])) >= 10 and float(str(last.facts["pValue"])) < 0.01
    line = theme_surge.describe(last, "en", lambda _: "Library card")
    assert line.startswith('Library card and others: the theme "Queueing and waiting" surged: ')
    assert "Jonotin" not in json.dumps(dict(last.facts))


@pytest.mark.parametrize(("recent_queue", "baseline_queue"), [(9, 2), (12, 24)])
def test_too_few_texts_or_a_steady_share_is_no_surge(database: Database, recent_queue: int,
                                                      baseline_queue: int) -> None:
    _surge(database, recent_queue=recent_queue, baseline_queue=baseline_queue)
    with database.transaction(write=False) as session:
        assert theme_surge.detect(scan(session)) == []


def test_the_surge_rule_needs_counts_and_a_one_sided_p_below_one_percent() -> None:
    assert theme_surge.surging(10, 20, 2, 40) is not None
    assert theme_surge.surging(9, 9, 0, 100) is None  # fewer than ten recent mentions
    assert theme_surge.surging(10, 10, 0, 9) is None  # no baseline to compare with
    assert theme_surge.surging(10, 100, 10, 100) is None  # the same share
    assert theme_surge.surging(12, 100, 5, 100) is None  # higher, but one-sided p ≈ 0.038
    assert theme_surge.surging(30, 100, 10, 100) is not None


def test_a_digest_lists_a_theme_surge(database: Database) -> None:
    _surge(database, recent_queue=12)
    with database.transaction(write=False) as session:
        digest = build_digest(session, ORG_A, Period(DigestFrequency.WEEKLY, TODAY - 7 * DAY, TODAY - DAY), now=NOW,
                              publication_threshold=5, ring=RING)
    kinds = {f.kind for f in digest.alerts}
    assert "THEME_SURGE" in kinds
    assert 'Kirjastokortti ym.: aihe "Jonotus ja odotus" yleistyi: ' in render_digest(digest, "fi").text
