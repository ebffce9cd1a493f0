"""Subscribing an organisation to notifications, listing and deleting its subscriptions (audited).

Targets are sealed under the master key ring (``AES-GCM``, bound to the organisation and channel), the webhook
secret too; the audit trail and the log name a target by its hash only (federation/notify/validation.py).
Services never commit: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.errors import DomainError, NotFound, NotifyCode, RegistryCode, RequestCode
from federation.i18n import catalogs
from federation.locks import serialise
from federation.notify import validation
from federation.notify.models import Channel, DigestFrequency, NotificationOutbox, NotificationSubscription
from federation.notify.registry import REGISTRY
from federation.registry.models import Organisation
from pseudonymize.keys import KeyRing
from pseudonymize.seal import open_sealed, seal

MAX_SUBSCRIPTIONS = 20
MAX_ALERT_KINDS = 20
SECRET_PREFIX = "whsec_"  # noqa: S105 - a public marker of webhook secrets, not a secret


@dataclass(frozen=True)
class SubscriptionDraft:
    """What to subscribe: the raw target (address or URL), digest frequency, alert kinds and locale."""

    channel: Channel
    target: str
    digest: DigestFrequency | None
    alert_kinds: Sequence[str]
    locale: str


def _aad(organisation_id: str, channel: str, what: str) -> bytes:
    return f"notify|{what}|{organisation_id}|{channel}".encode()


def _alert_kinds(names: Sequence[str]) -> list[str]:
    if len(names) > MAX_ALERT_KINDS:
        raise DomainError(NotifyCode.TOO_MANY_ALERT_KINDS, f"give at most {MAX_ALERT_KINDS} alert kinds.")
    chosen = sorted({name.strip().upper() for name in names})
    for name in chosen:
        if REGISTRY.get(name) is None:
            raise DomainError(NotifyCode.UNKNOWN_ALERT_KIND,
                              f"alertKinds holds an unknown kind; use some of {', '.join(REGISTRY.names())} "
                              "(listed by `notificationAlertKinds`).")
    return chosen


def _check(draft: SubscriptionDraft, *, allow_http: bool) -> tuple[str, list[str]]:
    if not catalogs.is_locale(draft.locale):
        raise DomainError(NotifyCode.INVALID_NOTIFICATION_LOCALE,
                          f"locale must be one of {', '.join(catalogs.available_locales())}.")
    kinds = _alert_kinds(draft.alert_kinds)
    if draft.channel is Channel.EMAIL:
        target = validation.normalise_email(draft.target)
        if draft.digest is None and not kinds:
            raise DomainError(NotifyCode.NOTHING_TO_NOTIFY,
                              "choose a digest (DAILY or WEEKLY), some alertKinds, or both.")
        return target, kinds
    target = validation.normalise_webhook_url(draft.target, allow_http=allow_http)
    if not kinds:
        raise DomainError(NotifyCode.NOTHING_TO_NOTIFY, "a webhook needs at least one of alertKinds.")
    return target, kinds


def subscribe(session: Session, draft: SubscriptionDraft, ring: KeyRing, *, organisation_id: str, actor: str,
              now: dt.datetime, allow_http: bool) -> tuple[NotificationSubscription, str | None]:
    """Store a subscription; returns it and, for a webhook, its signing secret (the only time it is shown)."""
    target, kinds = _check(draft, allow_http=allow_http)
    serialise(session, "notify_subscription", organisation_id)
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(RegistryCode.UNKNOWN_ORGANISATION, f"no organisation {organisation_id} is registered.")
    hashed = validation.target_hash(target.lower() if draft.channel is Channel.EMAIL else target)
    _check_room(session, organisation_id, draft.channel, hashed)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32) if draft.channel is Channel.WEBHOOK else None
    channel = draft.channel.value
    row = NotificationSubscription(
        organisation_id=organisation_id, channel=channel, target_hash=hashed,
        target_sealed=seal(target, ring.current, associated_data=_aad(organisation_id, channel, "target")),
        target_hint=validation.email_hint(target) if draft.channel is Channel.EMAIL else validation.url_hint(target),
        secret_sealed=None if secret is None else seal(secret, ring.current,
                                                       associated_data=_aad(organisation_id, channel, "secret")),
        digest=None if draft.digest is None else draft.digest.value, alert_kinds=kinds, locale=draft.locale,
        created_at=now, created_by=actor)
    session.add(row)
    session.flush()
    record(session, actor=actor, action="notify.subscribe", subject=str(row.id), now=now, channel=channel,
           target_hash=hashed[:16], digest=row.digest, alert_kinds=kinds)
    return row, secret


def _check_room(session: Session, organisation_id: str, channel: Channel, hashed: str) -> None:
    rows = session.execute(select(NotificationSubscription.channel, NotificationSubscription.target_hash)
                           .where(NotificationSubscription.organisation_id == organisation_id)).all()
    if (channel.value, hashed) in {(c, h) for c, h in rows}:
        raise DomainError(NotifyCode.SUBSCRIPTION_EXISTS, "this target is already subscribed; delete its "
                                                          "subscription first to change it.")
    if len(rows) >= MAX_SUBSCRIPTIONS:
        raise DomainError(NotifyCode.TOO_MANY_SUBSCRIPTIONS,
                          f"an organisation may have at most {MAX_SUBSCRIPTIONS} subscriptions; delete one first.")


def unsubscribe(session: Session, subscription_id: int, *, organisation_id: str, actor: str,
                now: dt.datetime) -> None:
    """Delete a subscription of the organisation and its undelivered and delivered outbox rows (audited). Deletes
    of one organisation's subscriptions queue (a second, concurrent delete of the same one finds it gone)."""
    serialise(session, "notify_subscription", organisation_id)
    row = session.get(NotificationSubscription, subscription_id)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound(NotifyCode.UNKNOWN_SUBSCRIPTION, f"no subscription {subscription_id} of organisation "
                                                        f"{organisation_id}; list them with "
                                                        "`notificationSubscriptions { id }`.")
    session.execute(delete(NotificationOutbox).where(NotificationOutbox.subscription_id == subscription_id))
    session.delete(row)
    record(session, actor=actor, action="notify.unsubscribe", subject=str(subscription_id), now=now,
           channel=row.channel, target_hash=row.target_hash[:16])


def list_subscriptions(session: Session, organisation_id: str) -> list[NotificationSubscription]:
    """The organisation's subscriptions, oldest first."""
    return list(session.scalars(select(NotificationSubscription)
                                .where(NotificationSubscription.organisation_id == organisation_id)
                                .order_by(NotificationSubscription.id)))


MAX_DELIVERIES = 200


def list_deliveries(session: Session, organisation_id: str, *, limit: int) -> list[NotificationOutbox]:
    """The organisation's newest outbox rows (any subscription), newest first."""
    if not 1 <= limit <= MAX_DELIVERIES:
        raise DomainError(RequestCode.PAGE_TOO_LARGE, f"first must be 1–{MAX_DELIVERIES}.")
    stmt = (select(NotificationOutbox)
            .join(NotificationSubscription, NotificationSubscription.id == NotificationOutbox.subscription_id)
            .where(NotificationSubscription.organisation_id == organisation_id)
            .order_by(NotificationOutbox.id.desc()).limit(limit))
    return list(session.scalars(stmt))


def open_target(row: NotificationSubscription, ring: KeyRing) -> str:
    """The subscription's address or URL in clear (for delivery only; never log it)."""
    return open_sealed(row.target_sealed, ring, associated_data=_aad(row.organisation_id, row.channel, "target"))


def open_secret(row: NotificationSubscription, ring: KeyRing) -> str:
    """A webhook's signing secret in clear (for signing only)."""
    if row.secret_sealed is None:
        raise ValueError("only webhook subscriptions have a signing secret")
    return open_sealed(row.secret_sealed, ring, associated_data=_aad(row.organisation_id, row.channel, "secret"))
