"""One pass of notifications (``arvio notify run``): enqueue what is due, then deliver the due outbox rows.

Enqueuing, per organisation with subscriptions (computed in a read transaction, written in a short write
transaction):

- a digest per e-mail subscription with a frequency, for the last complete local day or ISO week that ended after
  the subscription was made (dedupe key ``digest:DAILY:2026-03-15`` / ``digest:WEEKLY:2026-W11``);
- an instant alert per finding of each subscribed kind (federation/notify/registry.py) detected in the last
  :data:`ALERT_LOOKBACK_DAYS` days and not before the subscription's local creation date (dedupe key
  ``alert:<KIND>:<finding key>``).

Delivering claims one row at a time (federation/notify/outbox.py), sends it outside any transaction, and records
the outcome; every attempt is logged with the row, subscription, target hash, status, attempt and error code.
Runs are safe to repeat and to overlap: see federation/notify/outbox.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr

import httpx
import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.analytics.reading import organisation_services
from federation.analytics.series import LOCAL_TIME_ZONE
from federation.db import Database, utcnow
from federation.notify import delivery, outbox, render
from federation.notify.digest import Digest, Names, build_digest, latest_period
from federation.notify.kinds import AlertFinding, AlertScan
from federation.notify.models import (
    Channel,
    DigestFrequency,
    MessageKind,
    NotificationOutbox,
    NotificationSubscription,
)
from federation.notify.registry import REGISTRY
from federation.notify.subscriptions import open_secret, open_target
from federation.registry.models import Service
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from pseudonymize.seal import SealError

ALERT_LOOKBACK_DAYS = 7
MAX_MESSAGES_PER_RUN = 1000
log = logging.getLogger("arvio.notify")


@dataclass
class RunReport:
    """What one pass did: messages enqueued, and attempts that sent, will retry, or failed for good."""

    enqueued: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def add(self, status: str | None) -> None:
        """Count one attempt's outcome."""
        if status == "SENT":
            self.sent += 1
        elif status == "PENDING":
            self.retrying += 1
        elif status == "FAILED":
            self.failed += 1


def delivery_id(subscription_id: int, dedupe_key: str) -> str:
    """The stable id of a message (``Arvio-Delivery`` header, the webhook body's ``id``, the Message-ID)."""
    digest = hashlib.sha256(f"{subscription_id}|{dedupe_key}".encode()).hexdigest()
    return f"ntf_{digest[:32]}"


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_TIME_ZONE).date()


@dataclass
class Notifier:
    """Enqueues and delivers notifications for one database, settings and master key ring."""

    database: Database
    settings: Settings
    ring: KeyRing
    http_client: Callable[[], httpx.Client] = field(default=httpx.Client)
    clock: Callable[[], dt.datetime] = utcnow
    """The moment a webhook is signed at (its ``t=``, checked against the receiver's replay window)."""

    def run(self, *, now: dt.datetime, limit: int = MAX_MESSAGES_PER_RUN) -> RunReport:
        """One pass: enqueue what is due, then deliver up to ``limit`` due messages."""
        report = RunReport(enqueued=self.enqueue_due(now=now))
        self.deliver_due(now=now, report=report, limit=limit)
        return report

    def enqueue_due(self, *, now: dt.datetime) -> int:
        """Enqueue the due digests and alerts of every organisation with subscriptions; how many were added.

        Each organisation's messages are computed in a read transaction and written in a short write transaction
        of their own, so SQLite's write lock is not held while a year of rollups is read."""
        with self.database.transaction(write=False) as session:
            organisations = list(session.scalars(select(NotificationSubscription.organisation_id).distinct()
                                                 .order_by(NotificationSubscription.organisation_id)))
        added = 0
        for organisation_id in organisations:
            with self.database.transaction(write=False) as session:
                subscriptions = _subscriptions_of(session, organisation_id)
                due = [*self._due_digests(session, subscriptions, now),
                       *_due_alerts(session, organisation_id, subscriptions, now, self.ring)]
            if due:
                with self.database.transaction() as session:
                    live = {s.id for s in _subscriptions_of(session, organisation_id)}  # none deleted meanwhile
                    added += sum(outbox.enqueue(session, subscription_id=d.subscription_id, dedupe_key=d.dedupe_key,
                                                kind=d.kind, payload=d.payload, now=now)
                                 for d in due if d.subscription_id in live)
        return added

    def _due_digests(self, session: Session, subscriptions: Sequence[NotificationSubscription],
                     now: dt.datetime) -> list[Due]:
        built: dict[tuple[str, str], Digest] = {}
        due = []
        for subscription in subscriptions:
            if subscription.channel != Channel.EMAIL or subscription.digest is None:
                continue
            period = latest_period(DigestFrequency(subscription.digest), now)
            key = f"digest:{subscription.digest}:{period.label}"
            if period.end <= subscription.created_at or outbox.existing_keys(session, subscription.id, [key]):
                continue
            digest = built.get((subscription.digest, period.label))
            if digest is None:
                digest = built[(subscription.digest, period.label)] = build_digest(
                    session, subscription.organisation_id, period, now=now,
                    publication_threshold=self.settings.publication_threshold, ring=self.ring)
            message = render.render_digest(digest, subscription.locale)
            due.append(Due(subscription.id, key, MessageKind.DIGEST, _email_payload(message)))
        return due

    def send_test(self, organisation_id: str, *, now: dt.datetime) -> list[TestOutcome]:
        """Enqueue a test message to every subscription of the organisation and deliver it at once; how each went
        (a failed attempt stays queued for retries by ``arvio notify run``)."""
        ids = self.enqueue_test(organisation_id, now=now)
        self.deliver_due(now=now, subscription_ids=ids)
        with self.database.transaction(write=False) as session:
            rows = session.execute(
                select(NotificationSubscription, NotificationOutbox)
                .join(NotificationOutbox, NotificationOutbox.subscription_id == NotificationSubscription.id)
                .where(NotificationSubscription.id.in_(ids), NotificationOutbox.dedupe_key == _test_key(now))
                .order_by(NotificationSubscription.id)).all()
        return [TestOutcome(s.id, s.channel, s.target_hint, o.status, o.last_error_code) for s, o in rows]

    def enqueue_test(self, organisation_id: str, *, now: dt.datetime) -> list[int]:
        """Enqueue a test message to every subscription of the organisation; their ids."""
        with self.database.transaction() as session:
            subscriptions = list(session.scalars(select(NotificationSubscription).where(
                NotificationSubscription.organisation_id == organisation_id)))
            key = _test_key(now)
            for subscription in subscriptions:
                message = render.render_test(subscription.locale)
                if subscription.channel == Channel.EMAIL:
                    payload = _email_payload(message)
                else:
                    payload = {"body": render.webhook_body("test", delivery_id(subscription.id, key),
                                                           organisation_id, now, {}, message.text.splitlines()[0])}
                outbox.enqueue(session, subscription_id=subscription.id, dedupe_key=key, kind=MessageKind.TEST,
                               payload=payload, now=now)
            return [s.id for s in subscriptions]

    def deliver_due(self, *, now: dt.datetime, report: RunReport | None = None, limit: int = MAX_MESSAGES_PER_RUN,
                    subscription_ids: Collection[int] | None = None) -> RunReport:
        """Deliver due messages one at a time (claim, send, record) until none is due or ``limit`` is reached."""
        report = report or RunReport()
        with self.database.transaction() as session:
            outbox.prune(session, now=now)
            for row_id in outbox.abandon_interrupted(session, now=now):
                log.warning("notify outbox %s status FAILED code INTERRUPTED (sender stopped mid-send)", row_id)
                report.failed += 1
        with self.http_client() as client:
            for _ in itertools.repeat(None, limit):
                with self.database.transaction() as session:
                    claimed = outbox.claim(session, now=now, subscription_ids=subscription_ids)
                if not claimed:
                    break
                report.add(self._attempt(claimed[0], client, now))
        return report

    def _attempt(self, claimed: outbox.Claimed, client: httpx.Client, now: dt.datetime) -> str | None:
        error: delivery.DeliveryFailure | None = None
        try:
            self._send(claimed, client, now)
        except delivery.DeliveryFailure as failure:
            error = failure
        with self.database.transaction() as session:
            status = outbox.finish(session, claimed, now=now, error_code=error.code if error else None,
                                   permanent=error.permanent if error else False,
                                   max_attempts=self.settings.notify_max_attempts)
        subscription = claimed.subscription
        log.info("notify outbox %s subscription %s %s target %s kind %s status %s attempt %s code %s",
                 claimed.id, subscription.id, subscription.channel, subscription.target_hash[:16], claimed.kind,
                 status or "LEASE_LOST", claimed.attempt, error.code if error else "-")
        return status

    def _send(self, claimed: outbox.Claimed, client: httpx.Client, now: dt.datetime) -> None:
        subscription = claimed.subscription
        ident = delivery_id(subscription.id, claimed.dedupe_key)
        try:
            target = open_target(subscription, self.ring)
            secret = open_secret(subscription, self.ring) if subscription.channel == Channel.WEBHOOK else ""
        except SealError:
            raise delivery.DeliveryFailure("TARGET_UNREADABLE", permanent=True) from None
        payload = claimed.payload
        if subscription.channel == Channel.EMAIL:
            message = render.Message(str(payload["subject"]), str(payload["text"]), str(payload["html"]))
            domain = parseaddr(self.settings.smtp_from)[1].rpartition("@")[2] or "arvio.invalid"
            mail = delivery.email_message(self.settings, to=target, message=message, message_id=f"<{ident}@{domain}>")
            delivery.send_email(self.settings, mail)
            return
        body = orjson.dumps(payload["body"], option=orjson.OPT_SORT_KEYS)
        delivery.post_webhook(client, target, secret, body, timestamp=int(self.clock().timestamp()), delivery_id=ident)


@dataclass(frozen=True)
class Due:
    """A message to enqueue: its subscription, dedupe key, kind and payload."""

    subscription_id: int
    dedupe_key: str
    kind: MessageKind
    payload: dict[str, object]


def _subscriptions_of(session: Session, organisation_id: str) -> list[NotificationSubscription]:
    return list(session.scalars(select(NotificationSubscription)
                                .where(NotificationSubscription.organisation_id == organisation_id)
                                .order_by(NotificationSubscription.id)))


def _due_alerts(session: Session, organisation_id: str, subscriptions: Sequence[NotificationSubscription],
                now: dt.datetime, ring: KeyRing) -> list[Due]:
    wanted = sorted({kind for s in subscriptions for kind in s.alert_kinds if REGISTRY.get(kind) is not None})
    if not wanted:
        return []
    service_ids = organisation_services(session, organisation_id)
    since = max(_local_date(now) - dt.timedelta(days=ALERT_LOOKBACK_DAYS),
                min(_local_date(s.created_at) for s in subscriptions))
    scan = AlertScan(session, organisation_id, service_ids, now, since, ring)
    names = _service_names(session, service_ids)
    due: list[Due] = []
    for name in wanted:
        kind = REGISTRY.get(name)
        assert kind is not None
        findings = kind.detect(scan)
        for subscription in subscriptions:
            if name in subscription.alert_kinds:
                due += _due_findings(subscription, findings, names, now)
    return due


def _due_findings(subscription: NotificationSubscription, findings: Sequence[AlertFinding],
                  names: dict[str, Names], now: dt.datetime) -> list[Due]:
    due = []
    for finding in findings:
        if finding.detected_on < _local_date(subscription.created_at):
            continue
        key = f"alert:{finding.kind}:{finding.key}"
        message = render.render_alert(finding, subscription.locale, names)
        if subscription.channel == Channel.EMAIL:
            payload = _email_payload(message)
        else:
            payload = {"body": render.webhook_body(f"alert.{finding.kind.lower()}", delivery_id(subscription.id, key),
                                                   subscription.organisation_id, now, finding.facts,
                                                   message.text.splitlines()[0])}
        due.append(Due(subscription.id, key, MessageKind.ALERT, payload))
    return due


@dataclass(frozen=True)
class TestOutcome:
    """How a test message to one subscription went: its status and last error code."""

    __test__ = False  # not a pytest test class

    subscription_id: int
    channel: str
    target_hint: str
    status: str
    error_code: str | None


def _test_key(now: dt.datetime) -> str:
    return f"test:{now.astimezone(dt.UTC).isoformat()}"


def _email_payload(message: render.Message) -> dict[str, object]:
    return {"subject": message.subject, "text": message.text, "html": message.html}


def _service_names(session: Session, service_ids: Sequence[str]) -> dict[str, Names]:
    rows = session.scalars(select(Service).where(Service.id.in_(sorted(service_ids))))
    return {s.id: (s.name_fi, s.name_sv, s.name_en) for s in rows}
