"""``arvio notify run`` (one pass of notifications, for a systemd timer or cron every few minutes) and
``arvio notify send-test --org BUSINESS_ID`` (a test message to each of an organisation's subscriptions now).
The work is in federation/notify/runner.py; SMTP settings are the ``ARVIO_SMTP_*`` variables (README
"Notifications")."""

from __future__ import annotations

import argparse

from sqlalchemy import select

from federation.db import Database, utcnow
from federation.errors import DomainError, NotifyCode
from federation.notify.models import Channel, NotificationSubscription
from federation.notify.runner import MAX_MESSAGES_PER_RUN, Notifier
from federation.privacy.keyring import open_key_ring
from federation.registry.service import normalise_business_id
from federation.settings import Settings


def _notifier(settings: Settings) -> Notifier:
    return Notifier(Database(settings), settings, open_key_ring(settings))


def cmd_notify_run(args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= args.limit <= 100_000:
        raise ValueError("--limit must be 1–100000 (messages delivered in one pass).")
    report = _notifier(settings).run(now=utcnow(), limit=args.limit)
    print(f"enqueued {report.enqueued}, sent {report.sent}, retrying {report.retrying}, failed {report.failed}")
    return 0


def _require_subscriptions(notifier: Notifier, organisation_id: str) -> None:
    with notifier.database.transaction(write=False) as session:
        channels = set(session.scalars(select(NotificationSubscription.channel)
                                       .where(NotificationSubscription.organisation_id == organisation_id)))
    if not channels:
        raise DomainError(NotifyCode.UNKNOWN_SUBSCRIPTION, f"organisation {organisation_id} has no notification "
                                                           "subscriptions; add one with subscribeEmail or "
                                                           "addWebhook.")
    if Channel.EMAIL.value in channels and not notifier.settings.smtp_host:
        raise DomainError(NotifyCode.SMTP_NOT_CONFIGURED, "e-mail subscriptions need an SMTP server: set "
                                                          "ARVIO_SMTP_HOST (and ARVIO_SMTP_PORT, ARVIO_SMTP_FROM…).")


def cmd_notify_send_test(args: argparse.Namespace, settings: Settings) -> int:
    organisation_id = normalise_business_id(args.org)
    notifier = _notifier(settings)
    _require_subscriptions(notifier, organisation_id)
    outcomes = notifier.send_test(organisation_id, now=utcnow())
    for outcome in outcomes:
        print(f"subscription {outcome.subscription_id}\t{outcome.channel}\t{outcome.target_hint}\t{outcome.status}"
              f"{'' if outcome.error_code is None else chr(9) + outcome.error_code}")
    return 0 if all(o.status == "SENT" for o in outcomes) else 1


def add_notify_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``notify run`` and ``notify send-test`` to the CLI's subcommands."""
    notify = sub.add_parser("notify", help="notifications: digests, alerts, webhooks").add_subparsers(
        dest="action", required=True)
    run = notify.add_parser("run", help="one pass: enqueue due digests and alerts, deliver due messages "
                                        "(run every few minutes from a timer)")
    run.add_argument("--limit", type=int, default=MAX_MESSAGES_PER_RUN, help="deliver at most this many messages")
    run.set_defaults(handler=cmd_notify_run)
    test = notify.add_parser("send-test", help="send a test message to each subscription of an organisation now")
    test.add_argument("--org", required=True, help="business ID, e.g. 0245437-2")
    test.set_defaults(handler=cmd_notify_send_test)
