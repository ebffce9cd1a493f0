"""The ingest contract as plain data: what an organisation submits and what it gets back per item.

The codes are stable API: integrations branch on them, so a code is never renamed or reused.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class ItemStatus(enum.Enum):
    """What happened to one submitted item."""

    ACCEPTED = "ACCEPTED"
    DUPLICATE = "DUPLICATE"
    REJECTED = "REJECTED"


class ItemCode(enum.Enum):
    """Why an item was not accepted (or, for DUPLICATE, how the duplicate was recognised)."""

    ALREADY_RECEIVED = "ALREADY_RECEIVED"
    DUPLICATE_IN_BATCH = "DUPLICATE_IN_BATCH"
    INVALID_CLIENT_REF = "INVALID_CLIENT_REF"
    UNKNOWN_SERVICE = "UNKNOWN_SERVICE"
    SERVICE_ARCHIVED = "SERVICE_ARCHIVED"
    NOT_YOUR_SERVICE = "NOT_YOUR_SERVICE"
    UNKNOWN_CHANNEL = "UNKNOWN_CHANNEL"
    CHANNEL_NOT_OF_SERVICE = "CHANNEL_NOT_OF_SERVICE"
    UNKNOWN_QUESTION = "UNKNOWN_QUESTION"
    NOT_YOUR_QUESTION = "NOT_YOUR_QUESTION"
    QUESTION_RETIRED = "QUESTION_RETIRED"
    VALUE_REQUIRED = "VALUE_REQUIRED"
    VALUE_WITH_SKIP = "VALUE_WITH_SKIP"
    VALUE_OUT_OF_RANGE = "VALUE_OUT_OF_RANGE"
    TIMESTAMP_IN_FUTURE = "TIMESTAMP_IN_FUTURE"
    TIMESTAMP_TOO_OLD = "TIMESTAMP_TOO_OLD"
    TIMESTAMP_WITHOUT_TIMEZONE = "TIMESTAMP_WITHOUT_TIMEZONE"
    UNSUPPORTED_LOCALE = "UNSUPPORTED_LOCALE"
    UNKNOWN_DRIVER = "UNKNOWN_DRIVER"
    FOLLOW_UP_WITH_SKIP = "FOLLOW_UP_WITH_SKIP"
    FREE_TEXT_TOO_LONG = "FREE_TEXT_TOO_LONG"
    INVALID_DEMOGRAPHICS = "INVALID_DEMOGRAPHICS"
    """Kept for compatibility; no longer sent: the finer demographic codes below name the attribute."""
    DEMOGRAPHICS_WITHOUT_LEGAL_BASIS = "DEMOGRAPHICS_WITHOUT_LEGAL_BASIS"
    INVALID_LEGAL_BASIS = "INVALID_LEGAL_BASIS"
    INVALID_BIRTH_YEAR = "INVALID_BIRTH_YEAR"
    INVALID_MUNICIPALITY_CODE = "INVALID_MUNICIPALITY_CODE"
    INVALID_LANGUAGE = "INVALID_LANGUAGE"
    INVALID_GENDER = "INVALID_GENDER"
    INVALID_PERSONAL_IDENTIFIER = "INVALID_PERSONAL_IDENTIFIER"
    MALFORMED_ITEM = "MALFORMED_ITEM"
    QUESTION_NOT_FOR_CHANNEL = "QUESTION_NOT_FOR_CHANNEL"
    """The question is not in the question set of the channel's type (federation/battery/question_sets.py)."""



class FollowUp(NamedTuple):
    """The follow-up answer: driver codes chosen and optional free text."""

    drivers: tuple[str, ...] = ()
    text: str | None = None


class RatingSubmission(NamedTuple):
    """One submitted answer or skip, as the organisation sent it (before validation).

    Immutable records of the ingest hot path are named tuples, not frozen dataclasses: a frozen dataclass sets
    each field through ``object.__setattr__``, which cost ~9 µs per 11-field item (11× a tuple, measured with
    ``timeit``), i.e. 9 ms of every 1000-item batch."""

    client_ref: str
    service_id: str
    question_id: str
    answered_at: dt.datetime
    value: int | None = None
    skipped: bool = False
    channel_id: str | None = None
    locale: str | None = None
    follow_up: FollowUp | None = None
    demographics: object | None = None
    wording_version: int | None = None
    """The wording shown, when known (a widget draw says it); None means the question's current wording."""


class ItemResult(NamedTuple):
    """The outcome of one item, at its index in the submitted list."""

    index: int  # type: ignore[assignment]  # the field shadows tuple.index(), which nothing calls
    status: ItemStatus
    code: ItemCode | None = None
    message: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """The outcome of a batch: counts, one result per item, and the services whose scores changed."""

    results: tuple[ItemResult, ...]
    touched_services: frozenset[str] = field(default_factory=frozenset)

    @property
    def accepted(self) -> int:
        """How many items were stored."""
        return sum(1 for r in self.results if r.status is ItemStatus.ACCEPTED)

    @property
    def duplicates(self) -> int:
        """How many items had been received before (or twice in this batch) and were not counted again."""
        return sum(1 for r in self.results if r.status is ItemStatus.DUPLICATE)

    @property
    def rejected(self) -> int:
        """How many items were refused; their results say why and how to fix them."""
        return sum(1 for r in self.results if r.status is ItemStatus.REJECTED)
