"""The volume-reporting contract as plain data: one day's figures of a service channel, and the result per item.

An item is the *whole* day for one (service, channel, day): a figure left out is "not reported", and a later
item for the same day replaces every figure of the earlier one (a correction). The codes are stable API.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, fields

from federation.ratings.contract import ItemStatus
from federation.registry.kinds import ChannelType

WAIT_BUCKET_BOUNDS = (0.0, 1.0, 5.0, 15.0)
"""Lower bounds, in minutes, of the waiting-time buckets: < 1, 1–5, 5–15 and > 15 minutes (open-ended)."""

DIGITAL_CHANNELS = frozenset({ChannelType.ECHANNEL, ChannelType.WEB_PAGE, ChannelType.CHAT})
"""Channels whose transactions count as digital (the numerator of digital take-up)."""

CONTACT_CHANNELS = frozenset({ChannelType.PHONE, ChannelType.CHAT, ChannelType.SERVICE_LOCATION})
"""Channels with a queue of contacts (calls, chats, visitors); only these take contact-centre figures."""

REQUEST_CHANNELS = frozenset({ChannelType.ECHANNEL})
"""E-service channels: only these take e-request (ticket) queue figures."""

BACKLOG_AGE_BOUNDS = (0.0, 1.0, 3.0, 7.0, 14.0)
"""Lower bounds, in days, of the backlog age buckets: < 1, 1–3, 3–7, 7–14 and > 14 days (open-ended)."""

HOURS_PER_DAY = 24
"""Hourly counts are 24, one per local clock hour 0–23 of the day in Finland (on the day clocks go back the repeated
hour counts in its one slot; on the day they go forward the skipped hour 3 is simply 0)."""

MAX_COUNT = 2**31 - 1
"""The largest count stored (a figure derived from hourly counts may not exceed it)."""


class VolumeItemCode(enum.Enum):
    """Why a volume item was not stored as new (and, for DUPLICATE and corrections, what happened)."""

    CORRECTED = "CORRECTED"
    UNCHANGED = "UNCHANGED"
    DUPLICATE_IN_BATCH = "DUPLICATE_IN_BATCH"
    CONFLICT_IN_BATCH = "CONFLICT_IN_BATCH"
    UNKNOWN_SERVICE = "UNKNOWN_SERVICE"
    NOT_YOUR_SERVICE = "NOT_YOUR_SERVICE"
    SERVICE_ARCHIVED = "SERVICE_ARCHIVED"
    UNKNOWN_CHANNEL = "UNKNOWN_CHANNEL"
    CHANNEL_NOT_OF_SERVICE = "CHANNEL_NOT_OF_SERVICE"
    DAY_IN_FUTURE = "DAY_IN_FUTURE"
    DAY_TOO_OLD = "DAY_TOO_OLD"
    NOTHING_REPORTED = "NOTHING_REPORTED"
    NEGATIVE_COUNT = "NEGATIVE_COUNT"
    COMPLETED_EXCEEDS_STARTED = "COMPLETED_EXCEEDS_STARTED"
    CONTACT_FIGURES_WITHOUT_RECEIVED = "CONTACT_FIGURES_WITHOUT_RECEIVED"
    ANSWERED_EXCEEDS_RECEIVED = "ANSWERED_EXCEEDS_RECEIVED"
    OUTCOMES_EXCEED_RECEIVED = "OUTCOMES_EXCEED_RECEIVED"
    WAIT_BUCKETS_MISMATCH = "WAIT_BUCKETS_MISMATCH"
    FIGURE_NOT_FOR_CHANNEL = "FIGURE_NOT_FOR_CHANNEL"
    INVALID_COST = "INVALID_COST"
    HOURLY_NOT_24 = "HOURLY_NOT_24"
    HOURLY_SUM_MISMATCH = "HOURLY_SUM_MISMATCH"
    COUNT_TOO_LARGE = "COUNT_TOO_LARGE"
    RESOLVED_EXCEEDS_RECEIVED = "RESOLVED_EXCEEDS_RECEIVED"
    HOURLY_RESOLVED_WITHOUT_HOURLY_CONTACTS = "HOURLY_RESOLVED_WITHOUT_HOURLY_CONTACTS"
    BACKLOG_AGES_WITHOUT_BACKLOG = "BACKLOG_AGES_WITHOUT_BACKLOG"
    BACKLOG_AGES_MISMATCH = "BACKLOG_AGES_MISMATCH"


@dataclass(frozen=True, slots=True)
class WaitBuckets:
    """Contacts answered, by how long the customer waited: < 1, 1–5, 5–15 and > 15 minutes."""

    under_1: int
    from_1_to_5: int
    from_5_to_15: int
    over_15: int

    def as_tuple(self) -> tuple[int, int, int, int]:
        """The four counts, shortest wait first."""
        return (self.under_1, self.from_1_to_5, self.from_5_to_15, self.over_15)

    @property
    def total(self) -> int:
        """Contacts counted in the buckets."""
        return sum(self.as_tuple())


@dataclass(frozen=True, slots=True)
class BacklogAges:
    """E-requests open at the end of the day, by age: < 1, 1–3, 3–7, 7–14 and > 14 days."""

    under_1: int
    from_1_to_3: int
    from_3_to_7: int
    from_7_to_14: int
    over_14: int

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        """The five counts, youngest first."""
        return (self.under_1, self.from_1_to_3, self.from_3_to_7, self.from_7_to_14, self.over_14)

    @property
    def total(self) -> int:
        """Requests counted in the buckets."""
        return sum(self.as_tuple())


@dataclass(frozen=True, slots=True)
class DayFigures:
    """The figures of one channel of one service on one day; None means "not reported"."""

    transactions_completed: int | None = None
    transactions_started: int | None = None
    contacts_received: int | None = None
    contacts_answered_directly: int | None = None
    callbacks: int | None = None
    contacts_abandoned: int | None = None
    waits: WaitBuckets | None = None
    cost_cents: int | None = None
    hourly_contacts: tuple[int, ...] | None = None
    """Contacts received per local clock hour 0–23 (see ``HOURS_PER_DAY``); they add up to ``contacts_received``."""
    first_contact_resolved: int | None = None
    """Contacts resolved at the first contact (no callback, transfer or new contact needed)."""
    hourly_first_contact_resolved: tuple[int, ...] | None = None
    """Of ``hourly_contacts``, those resolved at the first contact, per hour; they add up to
    ``first_contact_resolved``."""
    requests_received: int | None = None
    """E-requests (tickets) received in an e-service channel that day."""
    requests_resolved: int | None = None
    """E-requests resolved that day (also ones received earlier)."""
    requests_backlog: int | None = None
    """E-requests still open at the end of the day."""
    backlog_ages: BacklogAges | None = None
    """The end-of-day backlog by age; adds up to ``requests_backlog``."""

    @property
    def is_empty(self) -> bool:
        """Whether no figure at all is reported."""
        return all(getattr(self, f.name) is None for f in fields(self))

    @property
    def contact_figures(self) -> dict[str, int | WaitBuckets | tuple[int, ...]]:
        """The contact-centre figures that are reported (by API name), for channel-type checks."""
        named = {"contactsReceived": self.contacts_received, "contactsAnsweredDirectly":
                 self.contacts_answered_directly, "callbacks": self.callbacks,
                 "contactsAbandoned": self.contacts_abandoned, "waitingTime": self.waits,
                 "hourlyContacts": self.hourly_contacts, "resolvedAtFirstContact": self.first_contact_resolved,
                 "hourlyResolvedAtFirstContact": self.hourly_first_contact_resolved}
        return {name: value for name, value in named.items() if value is not None}

    @property
    def request_figures(self) -> dict[str, int | BacklogAges]:
        """The e-request queue figures that are reported (by API name), for channel-type checks."""
        named = {"requestsReceived": self.requests_received, "requestsResolved": self.requests_resolved,
                 "requestsBacklog": self.requests_backlog, "backlogAges": self.backlog_ages}
        return {name: value for name, value in named.items() if value is not None}

    def counts(self) -> dict[str, int]:
        """Every reported count by API name (wait buckets included), for sign and size checks."""
        named: dict[str, int | None] = {
            "transactionsCompleted": self.transactions_completed, "transactionsStarted": self.transactions_started,
            "contactsReceived": self.contacts_received, "contactsAnsweredDirectly": self.contacts_answered_directly,
            "callbacks": self.callbacks, "contactsAbandoned": self.contacts_abandoned,
            "resolvedAtFirstContact": self.first_contact_resolved, "requestsReceived": self.requests_received,
            "requestsResolved": self.requests_resolved, "requestsBacklog": self.requests_backlog,
        }
        if self.waits is not None:
            named.update(zip(("waitingTime.underOneMinute", "waitingTime.oneToFiveMinutes",
                              "waitingTime.fiveToFifteenMinutes", "waitingTime.overFifteenMinutes"),
                             self.waits.as_tuple(), strict=True))
        named.update((f"hourlyContacts[{hour}]", n) for hour, n in enumerate(self.hourly_contacts or ()))
        if self.backlog_ages is not None:
            named.update(zip(("backlogAges.underOneDay", "backlogAges.oneToThreeDays", "backlogAges.threeToSevenDays",
                              "backlogAges.sevenToFourteenDays", "backlogAges.overFourteenDays"),
                             self.backlog_ages.as_tuple(), strict=True))
        named.update((f"hourlyResolvedAtFirstContact[{hour}]", n)
                     for hour, n in enumerate(self.hourly_first_contact_resolved or ()))
        return {name: value for name, value in named.items() if value is not None}


@dataclass(frozen=True, slots=True)
class VolumeReport:
    """One submitted item: a day's figures for one channel of a service (before validation)."""

    service_id: str
    channel_id: str
    day: dt.date
    figures: DayFigures
    cost_eur: float | None = None
    """The day's cost as sent (euros); validated and stored as ``figures.cost_cents``."""

    @property
    def key(self) -> tuple[str, str, dt.date]:
        """The (service, channel, day) a report is about: a later report for the same key replaces it."""
        return (self.service_id, self.channel_id, self.day)


@dataclass(frozen=True, slots=True)
class VolumeItemResult:
    """The outcome of one item, at its index in the submitted list."""

    index: int
    status: ItemStatus
    code: VolumeItemCode | None = None
    message: str | None = None


@dataclass(frozen=True)
class VolumeBatchResult:
    """The outcome of a batch: one result per item, in order."""

    results: tuple[VolumeItemResult, ...]
    touched_services: frozenset[str] = field(default_factory=frozenset)

    def _count(self, status: ItemStatus) -> int:
        return sum(1 for r in self.results if r.status is status)

    @property
    def accepted(self) -> int:
        """Days stored: new ones and corrections."""
        return self._count(ItemStatus.ACCEPTED)

    @property
    def corrected(self) -> int:
        """Of the accepted, the days that replaced figures reported before."""
        return sum(1 for r in self.results if r.code is VolumeItemCode.CORRECTED)

    @property
    def duplicates(self) -> int:
        """Days sent again with exactly the figures already stored (nothing changed)."""
        return self._count(ItemStatus.DUPLICATE)

    @property
    def rejected(self) -> int:
        """Items refused; their results say why and how to fix them."""
        return self._count(ItemStatus.REJECTED)
