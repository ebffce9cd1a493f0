"""``arvio notify run``'s pass end to end: digests by e-mail to a local SMTP server, score-drop alerts to a local
webhook receiver (signature verified), retries with backoff, at-most-once delivery under repeated and concurrent
runs (federation/notify/runner.py, federation/notify/outbox.py)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
from sqlalchemy import insert, select

from federation.db import Database
from federation.notify.models import Channel, DigestFrequency, NotificationOutbox, OutboxStatus
from federation.notify.outbox import LEASE, claim
from federation.notify.runner import RunReport
from federation.notify.signing import verify_signature
from federation.ratings.models import Rating
from tests.conftest import NOW, ORG_A, SERVICE_A
from tests.federation.notify.support import (
    add_subscription,
    free_port,
    notifier,
    register,
    smtp_server,
    wait_for,
    webhook_receiver,
)
from tests.schema.analytics_support import daily_history, put_rollups, rollup_row

YESTERDAY_09 = dt.datetime(2026, 3, 15, 9, tzinfo=dt.UTC)  # NOW is 2026-03-16 14:00 in Helsinki


def _free_texts(database: Database, count: int, at: dt.datetime) -> None:
    rows = [{"organisation_id": ORG_A, "client_ref": f"ft-{i}", "service_id": SERVICE_A,
             "question_id": "national.transaction-smooth", "wording_version": 1, "value": 4, "skipped": False,
             "answered_at": at, "received_at": at, "free_text": b"sealed"} for i in range(count)]
    with database.transaction() as session:
        session.execute(insert(Rating), rows)


def _outbox(database: Database) -> list[NotificationOutbox]:
    with database.transaction(write=False) as session:
        return list(session.scalars(select(NotificationOutbox).order_by(NotificationOutbox.id)))


def test_a_daily_digest_arrives_by_email_with_scores_changes_and_free_text_counts(database: Database) -> None:
    register(database)
    add_subscription(database, Channel.EMAIL, " Anna.Virtanen@Example.FI ", at=NOW - dt.timedelta(days=5),
                     digest=DigestFrequency.DAILY, locale="fi")
    put_rollups(database, [rollup_row(SERVICE_A, YESTERDAY_09, {4: 10, 5: 10}),
                           rollup_row(SERVICE_A, YESTERDAY_09 - dt.timedelta(days=1), {1: 10, 2: 10})])
    _free_texts(database, 3, YESTERDAY_09)
    with smtp_server() as (inbox, port):
        report = notifier(database, port).run(now=NOW)
        assert report == RunReport(enqueued=1, sent=1)
        wait_for(lambda: len(inbox.messages) == 1)
        again = notifier(database, port).run(now=NOW + dt.timedelta(minutes=5))
        assert again == RunReport()
    (mail,) = inbox.messages
    assert inbox.recipients == [["Anna.Virtanen@example.fi"]]
    assert mail["Subject"] == "Päivän yhteenveto 15.03.2026"
    text = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert text is not None and html is not None
    plain = text.get_content()
    assert "Esimerkkilän kaupunki" in plain
    assert "Kirjastokortti: 4.50 +3.00, 20 vastausta (edellinen jakso 1.50); 3 uutta vapaata tekstiä" in plain
    assert "Merkittävät muutokset" in plain and "Ei hälytyksiä." in plain
    assert "sealed" not in plain and "<li>Kirjastokortti: 4.50 +3.00" in html.get_content()


def test_a_weekly_digest_in_swedish_covers_the_last_complete_iso_week(database: Database) -> None:
    register(database)
    add_subscription(database, Channel.EMAIL, "a@example.fi", at=NOW - dt.timedelta(days=30),
                     digest=DigestFrequency.WEEKLY, locale="sv")
    put_rollups(database, [rollup_row(SERVICE_A, dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), {5: 4})])
    with smtp_server() as (inbox, port):
        assert notifier(database, port).run(now=NOW).sent == 1
        wait_for(lambda: len(inbox.messages) == 1)
    (mail,) = inbox.messages
    assert mail["Subject"] == "Veckans sammandrag 09.03.–15.03.2026"
    body = mail.get_body(("plain",))
    assert body is not None
    assert "Bibliotekskort: 5.00 (under publiceringströskeln), 4 svar (föregående period inga svar)" in \
        body.get_content()
    assert [row.dedupe_key for row in _outbox(database)] == ["digest:WEEKLY:2026-W11"]


def _drop_history(database: Database) -> None:
    put_rollups(database, daily_history(SERVICE_A, end=NOW, days=200, per_day=40,
                                        shares=[0.02, 0.03, 0.1, 0.35, 0.5], shift_at=194,
                                        shifted=[0.4, 0.3, 0.2, 0.05, 0.05]))


def test_a_score_drop_is_posted_to_a_webhook_once_with_a_valid_signature(database: Database) -> None:
    register(database)
    _drop_history(database)
    with webhook_receiver([200]) as (receiver, url):
        _, secret = add_subscription(database, Channel.WEBHOOK, url, at=NOW - dt.timedelta(days=30),
                                     kinds=("SCORE_DROP",))
        assert secret is not None and secret.startswith("whsec_")
        report = notifier(database).run(now=NOW)
        assert report == RunReport(enqueued=1, sent=1)
        assert notifier(database).run(now=NOW + dt.timedelta(hours=1)) == RunReport()
    ((headers, body),) = receiver.requests
    assert verify_signature(secret, headers["arvio-signature"], body, now=time.time()) > 0
    event = json.loads(body)
    assert event["type"] == "alert.score_drop" and event["organisationId"] == ORG_A
    assert event["id"] == headers["arvio-delivery"]
    assert event["data"]["serviceId"] == SERVICE_A
    assert event["text"].startswith("Kirjastokortti: pistemäärä laski (national.transaction-smooth)")
    assert event["data"]["shiftedMean"] < 3 < event["data"]["referenceMean"]
    assert NOW.date() - dt.timedelta(days=7) <= dt.date.fromisoformat(event["data"]["detectedOn"]) <= NOW.date()


def test_a_score_drop_reaches_an_email_subscription_in_english(database: Database) -> None:
    register(database)
    _drop_history(database)
    add_subscription(database, Channel.EMAIL, "alerts@example.fi", at=NOW - dt.timedelta(days=30),
                     kinds=("SCORE_DROP",), locale="en")
    with smtp_server() as (inbox, port):
        assert notifier(database, port).run(now=NOW).sent == 1
        wait_for(lambda: len(inbox.messages) == 1)
    assert inbox.messages[0]["Subject"].startswith("Alert: Library card: the score dropped")


def test_alerts_detected_before_the_subscription_are_not_sent(database: Database) -> None:
    register(database)
    _drop_history(database)
    with webhook_receiver([200]) as (receiver, url):
        add_subscription(database, Channel.WEBHOOK, url, at=NOW, kinds=("SCORE_DROP",))
        assert notifier(database).run(now=NOW) == RunReport()
    assert receiver.requests == []


def test_a_failing_endpoint_is_retried_with_backoff_then_marked_failed(database: Database,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    register(database)
    with webhook_receiver([503]) as (receiver, url):
        add_subscription(database, Channel.WEBHOOK, url, at=NOW, kinds=("SCORE_DROP",))
        runner = notifier(database, max_attempts=3)
        runner.enqueue_test(ORG_A, now=NOW)
        with caplog.at_level("DEBUG"):
            assert runner.deliver_due(now=NOW) == RunReport(retrying=1)
        assert "HTTP_503" in caplog.text and "/hooks/arvio" not in caplog.text and "127.0.0.1" not in caplog.text
        (row,) = _outbox(database)
        assert (row.status, row.attempts, row.last_error_code) == ("PENDING", 1, "HTTP_503")
        assert row.next_attempt_at == NOW + dt.timedelta(minutes=1)
        assert runner.deliver_due(now=NOW + dt.timedelta(seconds=59)) == RunReport()
        assert runner.deliver_due(now=NOW + dt.timedelta(minutes=1)) == RunReport(retrying=1)
        (row,) = _outbox(database)
        assert row.next_attempt_at == NOW + dt.timedelta(minutes=3)  # then 2 minutes later
        assert runner.deliver_due(now=NOW + dt.timedelta(minutes=3)) == RunReport(failed=1)
        assert runner.deliver_due(now=NOW + dt.timedelta(days=1)) == RunReport()
    (row,) = _outbox(database)
    assert (row.status, row.attempts, row.last_error_code, row.sent_at) == ("FAILED", 3, "HTTP_503", None)
    assert len(receiver.requests) == 3


@pytest.mark.parametrize(("statuses", "outcome"), [([410], ("FAILED", 1, "HTTP_410")),
                                                    ([429, 204], ("SENT", 2, None))])
def test_permanent_refusals_fail_at_once_and_transient_ones_recover(
        database: Database, statuses: list[int], outcome: tuple[str, int, str | None]) -> None:
    register(database)
    with webhook_receiver(statuses) as (_, url):
        add_subscription(database, Channel.WEBHOOK, url, at=NOW, kinds=("SCORE_DROP",))
        runner = notifier(database)
        runner.enqueue_test(ORG_A, now=NOW)
        runner.deliver_due(now=NOW)
        runner.deliver_due(now=NOW + dt.timedelta(minutes=1))
    (row,) = _outbox(database)
    assert (row.status, row.attempts, row.last_error_code) == outcome


def test_an_unreachable_smtp_server_is_an_error_code_not_an_address(database: Database,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    register(database)
    add_subscription(database, Channel.EMAIL, "secret.person@example.fi", at=NOW, digest=DigestFrequency.DAILY)
    runner = notifier(database, free_port())  # nobody listens on it
    runner.enqueue_test(ORG_A, now=NOW)
    with caplog.at_level("INFO", logger="arvio.notify"):
        assert runner.deliver_due(now=NOW) == RunReport(retrying=1)
    (row,) = _outbox(database)
    assert row.last_error_code == "SMTP_CONNECT_FAILED"
    assert "SMTP_CONNECT_FAILED" in caplog.text and "secret.person" not in caplog.text


def test_a_sender_that_stopped_mid_send_is_never_resent(database: Database) -> None:
    register(database)
    with webhook_receiver([200]) as (receiver, url):
        add_subscription(database, Channel.WEBHOOK, url, at=NOW, kinds=("SCORE_DROP",))
        runner = notifier(database)
        runner.enqueue_test(ORG_A, now=NOW)
        with database.transaction() as session:
            assert len(claim(session, now=NOW)) == 1  # …and the process dies before sending
        assert runner.deliver_due(now=NOW + LEASE / 2) == RunReport()
        assert runner.deliver_due(now=NOW + LEASE + dt.timedelta(seconds=1)) == RunReport(failed=1)
    (row,) = _outbox(database)
    assert (row.status, row.last_error_code) == (OutboxStatus.FAILED.value, "INTERRUPTED")
    assert receiver.requests == []


def test_concurrent_runs_enqueue_and_deliver_each_message_once(database: Database) -> None:
    register(database)
    _drop_history(database)
    with webhook_receiver([200]) as (receiver, url):
        for i in range(12):
            add_subscription(database, Channel.WEBHOOK, f"{url}?endpoint={i}", at=NOW - dt.timedelta(days=30),
                             kinds=("SCORE_DROP",))
        notifier(database).enqueue_test(ORG_A, now=NOW)
        reports: list[RunReport] = []
        start = threading.Barrier(3)

        def run() -> None:
            start.wait(timeout=60)
            reports.append(notifier(database).run(now=NOW))

        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(reports) == 3 and sum(r.enqueued for r in reports) == 12  # one score-drop alert each
        assert sum(r.sent for r in reports) == 24
        assert notifier(database).run(now=NOW + dt.timedelta(hours=1)) == RunReport()
    deliveries = [headers["arvio-delivery"] for headers, _ in receiver.requests]
    assert len(deliveries) == len(set(deliveries)) == 24
    assert {row.status for row in _outbox(database)} == {"SENT"}


def test_finished_messages_are_pruned_after_90_days(database: Database) -> None:
    register(database)
    with webhook_receiver([200, 410]) as (_, url):
        add_subscription(database, Channel.WEBHOOK, url, at=NOW - dt.timedelta(days=200), kinds=("SCORE_DROP",))
        runner = notifier(database)
        old, recent = NOW - dt.timedelta(days=91), NOW - dt.timedelta(days=89)
        for moment in (old, recent):
            runner.enqueue_test(ORG_A, now=moment)
            runner.deliver_due(now=moment)
        runner.enqueue_test(ORG_A, now=old + dt.timedelta(seconds=1))  # pending: kept whatever its age
        assert [r.status for r in _outbox(database)] == ["SENT", "FAILED", "PENDING"]
        runner.deliver_due(now=NOW, limit=0)
    assert [(r.status, r.created_at) for r in _outbox(database)] == [("FAILED", recent),
                                                                     ("PENDING", old + dt.timedelta(seconds=1))]
