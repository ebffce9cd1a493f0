"""Checking one submitted item against the registry, the battery and the clock. Pure: lookups are passed in."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from stdnum.fi import hetu

from federation.battery.followups import DRIVERS, MAX_FREE_TEXT
from federation.battery.question_sets import NATIONAL_SETS, VARIANTS, describe
from federation.battery.scales import Scale
from federation.i18n.catalogs import available_locales, is_locale
from federation.ratings.contract import ItemCode, RatingSubmission
from federation.registry.checks import RegistryFacts, Rejection, check_channel, check_service
from federation.registry.kinds import ChannelType
from pseudonymize import scrub

CLOCK_SKEW = dt.timedelta(minutes=5)
"""How far in the future an answer time may be, to allow for clocks that run a little fast."""

MAX_CLIENT_REF = 200


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    """What validation needs to know of a question."""

    scale: Scale
    current_version: int
    owner: str | None
    retired: bool
    channel_types: frozenset[ChannelType] | None = None
    """An own question's channel types (None: every type); national questions follow their question sets."""


@dataclass(frozen=True)
class Lookups:
    """Registry and battery facts for one batch, loaded once so validating an item touches no database."""

    registry: RegistryFacts
    questions: dict[str, QuestionInfo]
    now: dt.datetime
    oldest: dt.datetime

    @property
    def organisation_id(self) -> str:
        """The organisation sending the batch."""
        return self.registry.organisation_id


def check_item(item: RatingSubmission, look: Lookups) -> QuestionInfo:
    """Raise :class:`Rejection` for the first problem of ``item``; return its question when all is well."""
    _check_client_ref(item.client_ref)
    channel_type = _check_service(item, look)
    question = _check_question(item, look)
    check_question_set(item.question_id, channel_type, question)
    _check_value(item, question.scale)
    _check_time(item.answered_at, look)
    if item.locale is not None and not is_locale(item.locale):
        raise Rejection(ItemCode.UNSUPPORTED_LOCALE,
                        f"locale {item.locale!r} is not supported; use one of {', '.join(available_locales())} "
                        "or leave it out.")
    _check_follow_up(item)
    return question


_HETU_TOKEN = re.compile(r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Za-z](?![0-9A-Za-z])")
"""A personal identity code standing alone in a clientRef (not inside a UUID's hex groups or a longer number)."""
_EMAIL_SIGN = re.compile(r"@|\(at\)|\[at\]", re.I)


def _check_client_ref(client_ref: str) -> None:
    if not client_ref or len(client_ref) > MAX_CLIENT_REF or not client_ref.isprintable():
        raise Rejection(ItemCode.INVALID_CLIENT_REF,
                        f"clientRef must be 1–{MAX_CLIENT_REF} printable characters, unique per organisation; "
                        "use your own id of the answer.")
    if _is_personal(client_ref):
        # The reference is stored as it is (it makes resending safe), so it must not identify a person.
        raise Rejection(ItemCode.INVALID_CLIENT_REF,
                        "clientRef holds a personal identity code or an e-mail address, which would be stored as "
                        "it is; use your own id of the answer (e.g. a transaction number or a UUID).")


def _is_personal(client_ref: str) -> bool:
    """Whether the reference holds a valid personal identity code (check character right, so ids that merely look
    alike pass) or an e-mail address. Limits: a code with a mistyped check character is not caught here."""
    text = unicodedata.normalize("NFKC", client_ref)
    if any(hetu.is_valid(match.group().upper()) for match in _HETU_TOKEN.finditer(text)):
        return True
    return bool(_EMAIL_SIGN.search(text)) and scrub(text).removed["EMAIL"] > 0


def _check_service(item: RatingSubmission, look: Lookups) -> ChannelType | None:
    """Refuse an item the registry does not allow; return its channel's type (None without a channel)."""
    check_service(item.service_id, look.registry, ItemCode, "ratings")
    if item.channel_id is None:
        return None
    return check_channel(item.service_id, item.channel_id, look.registry, ItemCode,
                         "use the channel's PTV id or leave it out")


def check_question_set(question_id: str, channel_type: ChannelType | None, question: QuestionInfo) -> None:
    """Refuse an answer to a question its channel's type does not take (federation/battery/question_sets.py):
    precomputed sets, no query. An answer without a channel is not limited."""
    if channel_type is None:
        return
    if question.owner is None:
        if question_id in NATIONAL_SETS[channel_type]:
            return
    elif question.channel_types is None or channel_type in question.channel_types:
        return
    raise Rejection(ItemCode.QUESTION_NOT_FOR_CHANNEL,
                    f"question {question_id!r} is not asked on {channel_type.value} channels: "
                    f"{describe(channel_type)}; send the answer with a question of that set.")


def wording_variant(item: RatingSubmission, look: Lookups) -> str | None:
    """The channel wording the item's question was shown in on its channel (``rating.wording_variant``, e.g.
    "Kiosk.1"), None for the national wording. For an item :func:`check_item` accepted."""
    channel_type = look.registry.channels.get(item.channel_id) if item.channel_id is not None else None
    return None if channel_type is None else VARIANTS[channel_type].get(item.question_id)


def _check_question(item: RatingSubmission, look: Lookups) -> QuestionInfo:
    question = look.questions.get(item.question_id)
    if question is None:
        raise Rejection(ItemCode.UNKNOWN_QUESTION,
                        f"questionId {item.question_id!r} is unknown; use a national question such as "
                        "'national.transaction-smooth' or one of your own questions.")
    if question.owner is not None and question.owner != look.organisation_id:
        raise Rejection(ItemCode.NOT_YOUR_QUESTION,
                        f"question {item.question_id!r} belongs to another organisation; use your own or a "
                        "national question.")
    if question.retired:
        raise Rejection(ItemCode.QUESTION_RETIRED,
                        f"question {item.question_id!r} is retired and takes no new answers.")
    return question


def _check_value(item: RatingSubmission, scale: Scale) -> None:
    if item.skipped:
        if item.value is not None:
            raise Rejection(ItemCode.VALUE_WITH_SKIP,
                            "a skipped item carries no value; send value null with skipped true, or skipped false.")
        return
    if item.value is None:
        raise Rejection(ItemCode.VALUE_REQUIRED,
                        "value is missing; send the answer's value, or skipped: true if the question was skipped.")
    if not scale.contains(item.value):
        raise Rejection(ItemCode.VALUE_OUT_OF_RANGE,
                        f"value {item.value} is outside the {scale.value} scale of question {item.question_id!r}; "
                        f"send a whole number in {scale.describe_range()}.")


def _check_time(answered_at: dt.datetime, look: Lookups) -> None:
    if answered_at.tzinfo is None:
        raise Rejection(ItemCode.TIMESTAMP_WITHOUT_TIMEZONE,
                        "answeredAt has no time zone; send ISO 8601 with an offset, e.g. 2026-03-01T09:30:00+02:00.")
    if answered_at > look.now + CLOCK_SKEW:
        raise Rejection(ItemCode.TIMESTAMP_IN_FUTURE,
                        f"answeredAt {answered_at.isoformat()} is in the future; send the time the answer was given.")
    if answered_at < look.oldest:
        raise Rejection(ItemCode.TIMESTAMP_TOO_OLD,
                        f"answeredAt {answered_at.isoformat()} is older than the retention window "
                        f"(oldest accepted {look.oldest.date().isoformat()}); such answers can no longer be taken.")


def _check_follow_up(item: RatingSubmission) -> None:
    follow_up = item.follow_up
    if follow_up is None:
        return
    if item.skipped:
        raise Rejection(ItemCode.FOLLOW_UP_WITH_SKIP, "a skipped item has no follow-up; leave followUp out.")
    unknown = [d for d in follow_up.drivers if d not in DRIVERS]
    if unknown:
        raise Rejection(ItemCode.UNKNOWN_DRIVER,
                        f"unknown driver code(s) {', '.join(map(repr, unknown))}; use {', '.join(DRIVERS)}.")
    if follow_up.text is not None and len(follow_up.text) > MAX_FREE_TEXT:
        raise Rejection(ItemCode.FREE_TEXT_TOO_LONG,
                        f"the free text has {len(follow_up.text)} characters; shorten it to {MAX_FREE_TEXT}.")
