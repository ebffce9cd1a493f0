"""The citizen's own answer, sent by the widget: a draw id plus a rating ticket become one ingested rating.

Flow: the widget draws (``battery.drawing``; no write), the citizen answers or skips, the widget sends the
draw id and the e-service's rating ticket. arvio checks both, records the ticket as used (one ticket, one
answer) and passes a :class:`RatingSubmission` of the ticket's organisation to the ordinary
:func:`~federation.ratings.ingest.submit_ratings` — same validation, privacy protection and rollups as any
organisation's push. clientRef is ``ticket:<nonce>`` so a resend can never count twice. The answer is stored
at once; the follow-up (drivers + free text, drawn by the answer's band) is attached later, if it comes.

Expected refusals are outcomes with a stable :class:`CitizenCode`, never exceptions.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.battery.draw_token import DrawClaim, DrawSigner
from federation.battery.drawing import DrawConfig, Drawer, Drawn
from federation.battery.followups import (
    DRIVER_LABELS,
    DRIVERS,
    FOLLOW_UP_QUESTIONS,
    MAX_FREE_TEXT,
    Band,
    band_of,
)
from federation.battery.models import Question
from federation.battery.scales import Scale
from federation.feedback.receipts import issue_receipt
from federation.ratings.contract import FollowUp, ItemCode, ItemStatus, RatingSubmission
from federation.ratings.exposures import ExposureCounter
from federation.ratings.ingest import IngestPolicy, Protector, submit_ratings
from federation.ratings.models import Rating
from federation.ratings.ticket_keys import consume_ticket, verify_ticket
from federation.ratings.tickets import Ticket, TicketError
from federation.rollups.models import NO_CHANNEL
from federation.rollups.writing import DriverDelta, rollup_key
from pseudonymize.keys import KeyRing, derive_key

FOLLOW_UP_GRACE = dt.timedelta(hours=1)
"""How long after its ticket expired the follow-up of an accepted answer is still taken."""


class CitizenCode(enum.Enum):
    """Why the widget's answer or follow-up was not accepted (or, for DUPLICATE, why it was not needed)."""

    DRAW_MALFORMED = "DRAW_MALFORMED"
    DRAW_FORGED = "DRAW_FORGED"
    DRAW_EXPIRED = "DRAW_EXPIRED"
    TICKET_REQUIRED = "TICKET_REQUIRED"
    TICKET_MALFORMED = "TICKET_MALFORMED"
    TICKET_FORGED = "TICKET_FORGED"
    TICKET_EXPIRED = "TICKET_EXPIRED"
    TICKET_TOO_LONG_LIVED = "TICKET_TOO_LONG_LIVED"
    TICKET_KEY_RETIRED = "TICKET_KEY_RETIRED"
    TICKET_REPLAYED = "TICKET_REPLAYED"
    TICKET_MISMATCH = "TICKET_MISMATCH"
    RATING_REJECTED = "RATING_REJECTED"
    FOLLOW_UP_WITHOUT_ANSWER = "FOLLOW_UP_WITHOUT_ANSWER"
    FOLLOW_UP_AFTER_SKIP = "FOLLOW_UP_AFTER_SKIP"
    FOLLOW_UP_ALREADY_RECEIVED = "FOLLOW_UP_ALREADY_RECEIVED"


@dataclass(frozen=True)
class FollowUpPrompt:
    """The follow-up to show after an answer: the band's question and the drivers to choose from."""

    band: Band
    question: str
    """The band's follow-up question as a msgid (federation/i18n/catalogs.py translates it)."""
    drivers: tuple[tuple[str, str], ...]
    """Each driver's code and its label's msgid."""


@dataclass(frozen=True)
class CitizenOutcome:
    """What happened to a widget answer or follow-up."""

    status: ItemStatus
    code: CitizenCode | None = None
    message: str | None = None
    item_code: ItemCode | None = None
    receipt: str | None = None
    """The receipt code of an accepted answer (not of a skip; the follow-up keeps the answer's)."""
    follow_up: FollowUpPrompt | None = None
    service_id: str | None = None
    question_id: str | None = None
    """The question answered (its receipt shows other users' rating of this question)."""

    @property
    def stored(self) -> bool:
        """Whether this changed what is stored (the caller then invalidates the service's cached scores)."""
        return self.status is ItemStatus.ACCEPTED


class _Refused(Exception):
    def __init__(self, code: CitizenCode, message: str, item_code: ItemCode | None = None,
                 status: ItemStatus = ItemStatus.REJECTED) -> None:
        super().__init__(message)
        self.outcome = CitizenOutcome(status, code, message, item_code)


def follow_up_prompt(scale: Scale, value: int) -> FollowUpPrompt:
    """The follow-up drawn by the band of ``value``."""
    band = band_of(scale, value)
    return FollowUpPrompt(band, FOLLOW_UP_QUESTIONS[band], tuple((d, DRIVER_LABELS[d]) for d in DRIVERS))


def _checked_ticket(session: Session, ring: KeyRing, text: str | None, claim: DrawClaim, *, now: dt.datetime,
                    grace: dt.timedelta = dt.timedelta(0)) -> Ticket:
    if not text:
        raise _Refused(CitizenCode.TICKET_REQUIRED, "a direct answer needs the rating ticket the e-service minted "
                                                    "(data-ticket); without one, the e-service forwards answers.")
    try:
        ticket = verify_ticket(session, ring, text, now=now, grace=grace)
    except TicketError as error:
        raise _Refused(CitizenCode(error.code), error.message) from None
    if ticket.service_id != claim.service_id or ticket.channel_id != claim.channel_id:
        raise _Refused(CitizenCode.TICKET_MISMATCH, "the ticket was minted for another service or channel than "
                                                    "the question drawn; draw with the ticket's service and channel.")
    return ticket


def answer(session: Session, claim: DrawClaim, *, ticket: str | None, value: int | None, skipped: bool,
           locale: str | None, now: dt.datetime, protector: Protector, ring: KeyRing,
           policy: IngestPolicy = IngestPolicy()) -> CitizenOutcome:
    """Ingest the citizen's answer (or skip) to a draw; the caller commits."""
    try:
        checked = _checked_ticket(session, ring, ticket, claim, now=now)
        savepoint = session.begin_nested()
        if not consume_ticket(session, checked, now=now):
            savepoint.rollback()
            raise _Refused(CitizenCode.TICKET_REPLAYED, "this ticket was used already: one ticket, one answer. "
                                                        "Your earlier answer counts.")
        item = RatingSubmission(client_ref=checked.client_ref, service_id=claim.service_id,
                                channel_id=claim.channel_id, question_id=claim.question_id, answered_at=now,
                                value=None if skipped else value, skipped=skipped, locale=locale,
                                wording_version=claim.wording_version)
        result = submit_ratings(session, checked.organisation_id, [item], now=now, protector=protector,
                                policy=policy).results[0]
        if result.status is not ItemStatus.ACCEPTED:
            savepoint.rollback()
            raise _Refused(CitizenCode.RATING_REJECTED, result.message or "the answer was not accepted.",
                           result.code)
        savepoint.commit()
    except _Refused as refused:
        return refused.outcome
    prompt = receipt = None
    if not skipped and value is not None:
        question = session.get(Question, claim.question_id)
        prompt = follow_up_prompt(question.scale, value) if question is not None else None
        receipt = _receipt(session, checked, now)
    return CitizenOutcome(ItemStatus.ACCEPTED, receipt=receipt, follow_up=prompt, service_id=claim.service_id,
                          question_id=claim.question_id)


def _receipt(session: Session, ticket: Ticket, now: dt.datetime) -> str | None:
    """A fresh receipt code for the answer just stored (federation/feedback/receipts.py); shown once."""
    rating_id = session.scalar(select(Rating.id).where(Rating.organisation_id == ticket.organisation_id,
                                                       Rating.client_ref == ticket.client_ref))
    return issue_receipt(session, rating_id, now=now) if rating_id is not None else None


def send_follow_up(session: Session, claim: DrawClaim, *, ticket: str | None, follow_up: FollowUp,
                   now: dt.datetime, protector: Protector, ring: KeyRing) -> CitizenOutcome:
    """Attach the follow-up to the answer this ticket sent; the caller commits."""
    try:
        checked = _checked_ticket(session, ring, ticket, claim, now=now, grace=FOLLOW_UP_GRACE)
    except _Refused as refused:
        return refused.outcome
    return attach_follow_up(session, checked.organisation_id, checked.client_ref, follow_up, now=now,
                            protector=protector)


def attach_follow_up(session: Session, organisation_id: str, client_ref: str, follow_up: FollowUp, *,
                     now: dt.datetime, protector: Protector) -> CitizenOutcome:
    """Add drivers and free text to an accepted answer of ``organisation_id`` (once) and count the drivers."""
    row = session.scalar(select(Rating).where(Rating.organisation_id == organisation_id,
                                              Rating.client_ref == client_ref).with_for_update())
    try:
        _check_attachable(row, follow_up)
    except _Refused as refused:
        return refused.outcome
    assert row is not None and row.value is not None
    item = RatingSubmission(client_ref=client_ref, service_id=row.service_id, question_id=row.question_id,
                            answered_at=row.answered_at, value=row.value, follow_up=follow_up)
    row.free_text = protector.protect(item, organisation_id).get("free_text")
    row.drivers = ",".join(sorted(set(follow_up.drivers))) or None
    question = session.get(Question, row.question_id)
    if question is not None and row.drivers:
        delta = DriverDelta()
        delta.add(rollup_key(row.service_id, row.channel_id, row.question_id, row.wording_version, row.answered_at),
                  question.scale, row.value, follow_up.drivers)
        delta.apply(session)
    session.flush()
    return CitizenOutcome(ItemStatus.ACCEPTED, service_id=row.service_id, question_id=row.question_id)


def _check_attachable(row: Rating | None, follow_up: FollowUp) -> None:
    if row is None:
        raise _Refused(CitizenCode.FOLLOW_UP_WITHOUT_ANSWER, "no accepted answer belongs to this follow-up; send "
                                                             "the answer first.")
    if row.skipped or row.value is None:
        raise _Refused(CitizenCode.FOLLOW_UP_AFTER_SKIP, "the question was skipped; a skip has no follow-up.")
    if row.drivers or row.free_text:
        raise _Refused(CitizenCode.FOLLOW_UP_ALREADY_RECEIVED, "the follow-up of this answer was received "
                                                               "already; it is not counted again.",
                       status=ItemStatus.DUPLICATE)
    unknown = [d for d in follow_up.drivers if d not in DRIVERS]
    if unknown:
        raise _Refused(CitizenCode.RATING_REJECTED, f"unknown driver code(s) {', '.join(map(repr, unknown))}; "
                                                    f"use {', '.join(DRIVERS)}.", ItemCode.UNKNOWN_DRIVER)
    if follow_up.text is not None and len(follow_up.text) > MAX_FREE_TEXT:
        raise _Refused(CitizenCode.RATING_REJECTED, f"the free text has {len(follow_up.text)} characters; "
                                                    f"shorten it to {MAX_FREE_TEXT}.", ItemCode.FREE_TEXT_TOO_LONG)


def as_outcome(error: Exception) -> CitizenOutcome:
    """A refusal outcome for a bad draw id (``DrawError``)."""
    code = getattr(error, "code", "DRAW_MALFORMED")
    return CitizenOutcome(ItemStatus.REJECTED, CitizenCode(code), getattr(error, "message", str(error)))


@dataclass
class CitizenRuntime:
    """The long-lived parts of the citizen flow in one process: drawer (config cache, draw key), exposure
    counter and the master key ring (ticket keys, free text)."""

    drawer: Drawer
    exposures: ExposureCounter
    ring: KeyRing

    @classmethod
    def create(cls, ring: KeyRing, *, rng: random.Random | None = None, ttl: float = 30.0) -> CitizenRuntime:
        """A runtime whose draw key is derived from ``ring`` (purpose "draw")."""
        keys = {key.version: derive_key(key, "draw", "") for key in ring.keys}
        return cls(Drawer(DrawSigner(keys, ring.current.version), rng=rng, ttl=ttl), ExposureCounter(), ring)

    def draw(self, config: DrawConfig, *, now: dt.datetime) -> Drawn:
        """Draw for ``config`` and count the exposure (in memory; flushed to the rollups in batches)."""
        drawn = self.drawer.draw(config, now=now)
        question = drawn.candidate.question
        self.exposures.count((config.service_id, config.channel_id or NO_CHANNEL, question.question_id,
                              question.wording_version, _hour(int(now.timestamp()) // 3600)))
        return drawn


@functools.lru_cache(maxsize=4)
def _hour(index: int) -> dt.datetime:
    """The UTC hour number ``index`` since the epoch (what ``federation.rollups.writing.hour_of`` gives, without
    its cost per draw)."""
    return dt.datetime.fromtimestamp(index * 3600, dt.UTC)
