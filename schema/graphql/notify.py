"""GraphQL of notifications (ORGANISATION tokens): subscribe an e-mail address to digests and alerts, add a signed
webhook endpoint for alerts, list and delete subscriptions, and the alert kinds on offer. Domain logic in
federation/notify/ (subscriptions.py); delivery by ``arvio notify run`` (schema/cli/notify.py)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from federation.errors import DomainError, RegistryCode
from federation.notify import subscriptions
from federation.notify.models import Channel, DigestFrequency, NotificationOutbox, NotificationSubscription
from federation.notify.registry import REGISTRY
from schema.graphql.context import Context
from schema.graphql.locale import Locale
from schema.graphql.ratings.widget import runtime

MAX_ID = 2**63 - 1


@strawberry.enum(name="NotificationChannel", description="How a subscription is delivered.")
class NotificationChannel(enum.Enum):
    EMAIL = "EMAIL"
    WEBHOOK = "WEBHOOK"


@strawberry.enum(name="DigestFrequency", description="How often an e-mail digest is sent; NONE sends alerts only.")
class Digest(enum.Enum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    NONE = "NONE"


@strawberry.type(name="NotificationSubscription",
                 description="One e-mail address or webhook endpoint of your organisation that receives "
                             "notifications.")
class NotificationSubscriptionInfo:
    id: strawberry.ID = strawberry.field(description="The subscription's id (for deleteNotificationSubscription).")
    channel: NotificationChannel = strawberry.field(description="E-mail or webhook.")
    target: str = strawberry.field(description="The address or URL, masked (n…@example.fi, https://host/…).")
    digest: Digest = strawberry.field(description="How often a digest is e-mailed (webhooks: NONE).")
    alert_kinds: list[str] = strawberry.field(description="The instant alerts it receives (see "
                                                          "notificationAlertKinds).")
    locale: Locale = strawberry.field(description="The language of its messages.")
    created_at: dt.datetime = strawberry.field(description="When it was made.")

    @classmethod
    def of(cls, row: NotificationSubscription) -> NotificationSubscriptionInfo:
        """The API view of a stored subscription."""
        return cls(id=strawberry.ID(str(row.id)), channel=NotificationChannel(row.channel), target=row.target_hint,
                   digest=Digest(row.digest or "NONE"), alert_kinds=list(row.alert_kinds),
                   locale=Locale(row.locale), created_at=row.created_at)


@strawberry.type(description="A webhook endpoint just added, with its signing secret (shown this once only).")
class WebhookCreated:
    subscription: NotificationSubscriptionInfo = strawberry.field(description="The new subscription.")
    secret: str = strawberry.field(description="The endpoint's signing secret (whsec_…): verify the "
                                               "Arvio-Signature header with it (README \"Notifications\"). Store "
                                               "it now: it is never shown again.")


@strawberry.type(description="An instant-alert kind a subscription may name.")
class NotificationAlertKind:
    name: str = strawberry.field(description="The kind's name, as given in alertKinds (e.g. SCORE_DROP).")
    description: str = strawberry.field(description="What raises it.")


@strawberry.type(description="One message to one subscription and how its delivery went (no address or content).")
class NotificationDelivery:
    id: strawberry.ID = strawberry.field(description="The message's id.")
    subscription_id: strawberry.ID = strawberry.field(description="The subscription it goes to.")
    kind: str = strawberry.field(description="DIGEST, ALERT or TEST.")
    dedupe_key: str = strawberry.field(description="What it is about, e.g. digest:WEEKLY:2026-W11 or "
                                                   "alert:SCORE_DROP:<service>:<question>:<start date>.")
    status: str = strawberry.field(description="PENDING (waiting for an attempt), SENDING, SENT or FAILED.")
    attempts: int = strawberry.field(description="Attempts made so far.")
    last_error_code: str | None = strawberry.field(description="The last failed attempt's code (HTTP_503, "
                                                               "SMTP_CONNECT_FAILED, …), if any.")
    created_at: dt.datetime = strawberry.field(description="When it was queued.")
    next_attempt_at: dt.datetime | None = strawberry.field(description="When a PENDING message is tried next.")
    sent_at: dt.datetime | None = strawberry.field(description="When it was delivered.")

    @classmethod
    def of(cls, row: NotificationOutbox) -> NotificationDelivery:
        """The API view of an outbox row."""
        pending = row.status == "PENDING"
        return cls(id=strawberry.ID(str(row.id)), subscription_id=strawberry.ID(str(row.subscription_id)),
                   kind=row.kind, dedupe_key=row.dedupe_key, status=row.status, attempts=row.attempts,
                   last_error_code=row.last_error_code, created_at=row.created_at,
                   next_attempt_at=row.next_attempt_at if pending else None, sent_at=row.sent_at)


@strawberry.input(description="An e-mail address to notify.")
class SubscribeEmailInput:
    address: str = strawberry.field(description="The e-mail address (name@example.fi), at most 254 characters.")
    digest: Digest = strawberry.field(default=Digest.WEEKLY, description="DAILY, WEEKLY or NONE (alerts only).")
    alert_kinds: list[str] = strawberry.field(default_factory=list, description="Instant alerts to e-mail, e.g. "
                                                                                "[\"SCORE_DROP\"].")
    locale: Locale = strawberry.field(default=Locale.FI, description="The language of the messages.")


@strawberry.input(description="A webhook endpoint to notify of alerts.")
class AddWebhookInput:
    url: str = strawberry.field(description="The endpoint: https (http only outside production), at most 2000 "
                                            "characters, no credentials.")
    alert_kinds: list[str] = strawberry.field(description="The alerts to POST, e.g. [\"SCORE_DROP\"] (at least "
                                                          "one).")
    locale: Locale = strawberry.field(default=Locale.FI, description="The language of texts in the payloads.")


def _subscribe(ctx: Context, draft: subscriptions.SubscriptionDraft) -> tuple[NotificationSubscription, str | None]:
    organisation_id = ctx.require_organisation()
    assert ctx.principal is not None
    return subscriptions.subscribe(ctx.session, draft, runtime(ctx.services).ring, organisation_id=organisation_id,
                                   actor=ctx.principal.actor, now=ctx.now,
                                   allow_http=ctx.settings.environment != "production")


def _parse_id(raw: str) -> int:
    text = raw.strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else 0
    if not 1 <= number <= MAX_ID:
        raise DomainError(RegistryCode.INVALID_ID, f"A subscription id is a whole number from 1 to {MAX_ID}; take "
                                                   "it from `notificationSubscriptions { id }`.")
    return number


@strawberry.type
class NotifyMutation:
    @strawberry.mutation(description="Subscribe an e-mail address of your organisation to digests and/or instant "
                                     "alerts (ORGANISATION). Audited; the address is stored sealed.")
    def subscribe_email(self, info: Info[Context, None], input: SubscribeEmailInput) -> NotificationSubscriptionInfo:
        digest = None if input.digest is Digest.NONE else DigestFrequency(input.digest.value)
        draft = subscriptions.SubscriptionDraft(Channel.EMAIL, input.address, digest, input.alert_kinds,
                                                input.locale.value)
        row, _ = _subscribe(info.context, draft)
        return NotificationSubscriptionInfo.of(row)

    @strawberry.mutation(description="Add a webhook endpoint for instant alerts (ORGANISATION). The answer holds "
                                     "the signing secret, shown this once. Audited.")
    def add_webhook(self, info: Info[Context, None], input: AddWebhookInput) -> WebhookCreated:
        draft = subscriptions.SubscriptionDraft(Channel.WEBHOOK, input.url, None, input.alert_kinds,
                                                input.locale.value)
        row, secret = _subscribe(info.context, draft)
        assert secret is not None
        return WebhookCreated(subscription=NotificationSubscriptionInfo.of(row), secret=secret)

    @strawberry.mutation(description="Delete a subscription of your organisation and its queued messages "
                                     "(ORGANISATION). Audited.")
    def delete_notification_subscription(self, info: Info[Context, None], id: strawberry.ID) -> bool:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        assert ctx.principal is not None
        subscriptions.unsubscribe(ctx.session, _parse_id(str(id)), organisation_id=organisation_id,
                                  actor=ctx.principal.actor, now=ctx.now)
        return True


@strawberry.type
class NotifyQuery:
    @strawberry.field(description="Your organisation's notification subscriptions, oldest first (ORGANISATION).")
    def notification_subscriptions(self, info: Info[Context, None]) -> list[NotificationSubscriptionInfo]:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        return [NotificationSubscriptionInfo.of(row)
                for row in subscriptions.list_subscriptions(ctx.session, organisation_id)]

    @strawberry.field(description="Your organisation's newest notification messages and how their delivery went, "
                                  "newest first (ORGANISATION).")
    def notification_deliveries(
        self, info: Info[Context, None],
        first: Annotated[int, strawberry.argument(
            description=f"At most this many, 1–{subscriptions.MAX_DELIVERIES}.")] = 50,
    ) -> list[NotificationDelivery]:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        return [NotificationDelivery.of(row)
                for row in subscriptions.list_deliveries(ctx.session, organisation_id, limit=first)]

    @strawberry.field(description="The instant-alert kinds subscriptions may name.")
    def notification_alert_kinds(self) -> list[NotificationAlertKind]:
        return [NotificationAlertKind(name=kind.name, description=kind.description) for kind in REGISTRY.kinds()]
