"""Question sets per channel type: which national questions a channel of each type may draw and accept, and the
wording a channel type shows instead of the national one. Pure data and lookups (no I/O).

Why: the national wording of ``national.recommend`` asks about the *online* service ("Suosittelisitko
verkkoasiointia muille?"), which a kiosk, a phone line or a service point must never ask. So each
:class:`~federation.registry.kinds.ChannelType` has a set (:data:`QUESTION_SETS`):

* e-services and web pages: the six star questions (the online-service wording fits them) and NPS;
* phone, chat, service locations and printable forms: the star questions that are not about the online service,
  and NPS;
* kiosks: the transaction and recommend questions only, in a kiosk wording (:data:`KIOSK_WORDINGS`) that asks
  about this kiosk's service.

NPS stays where it was: the default question of phone and chat, drawn elsewhere only when an organisation gives it
a weight there (federation/battery/rotation.py).

A draw leaves out every question outside its channel's set (federation/battery/drawing.py) and ingest refuses
an answer to one (``QUESTION_NOT_FOR_CHANNEL``, federation/ratings/validation.py). An organisation's own
questions are outside the national sets: each is taken on the channel types it was defined for (every type by
default; ``question.channel_types``).

A channel wording is versioned like a national one (oldest first, never edited: a fix is a new version). An
answer given on a channel type with its own wording keeps it as ``rating.wording_variant``, e.g. ``Kiosk.1``
(:func:`variant_label`); the national ``wording_version`` is kept beside it, so scores keep pooling one question
across channels. Every current channel wording follows federation/battery/wording_rules.py
(tests/federation/battery/test_question_sets.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from federation.battery.national import (
    EASY_TO_USE,
    FOUND_EASILY,
    HELPED_PROGRESS,
    LANGUAGE_CLEAR,
    NATIONAL_BATTERY,
    NPS,
    RECOMMEND,
    TRANSACTION_SMOOTH,
    Versioned,
    Wording,
)
from federation.battery.rotation import PoolQuestion
from federation.registry.kinds import ChannelType


@dataclass(frozen=True)
class ChannelWording(Versioned):
    """A channel type's own wording of a national question, every version oldest first (as in
    federation/battery/national.py)."""

    question_id: str
    wordings: tuple[Wording, ...]


@dataclass(frozen=True)
class QuestionSet:
    """The national questions a channel type may draw and accept, with its own wordings of some of them."""

    channel_type: ChannelType
    questions: tuple[str, ...]
    wordings: tuple[ChannelWording, ...] = ()
    description: str = ""

    def wording_of(self, question_id: str) -> ChannelWording | None:
        """This type's own wording of ``question_id``, or None when the national wording is shown."""
        return next((w for w in self.wordings if w.question_id == question_id), None)


KIOSK_WORDINGS: tuple[ChannelWording, ...] = (
    ChannelWording(TRANSACTION_SMOOTH, (Wording(
        "Kuinka asiointisi tällä asiointipisteellä sujui?", "Hur gick ditt ärende vid den här kiosken?",
        "How did your transaction at this kiosk go?"),)),
    ChannelWording(RECOMMEND, (Wording(
        "Miten arvioisit tämän palvelun suositeltavuutta muille?",
        "Hur bedömer du den här tjänsten som en tjänst att rekommendera till andra?",
        "How would you rate this service as one to recommend to others?"),)),
)
"""The kiosk's wordings: about the service at hand, never the online service."""

_STARS = (TRANSACTION_SMOOTH, LANGUAGE_CLEAR, FOUND_EASILY, EASY_TO_USE, HELPED_PROGRESS, RECOMMEND)
_OFFLINE_STARS = tuple(q for q in _STARS if q != RECOMMEND)

QUESTION_SETS: dict[ChannelType, QuestionSet] = {s.channel_type: s for s in (
    QuestionSet(ChannelType.ECHANNEL, (*_STARS, NPS), description="An e-service: the six star questions and NPS "
                                                                  "(when weighted)."),
    QuestionSet(ChannelType.WEB_PAGE, (*_STARS, NPS), description="A web page: the six star questions and NPS "
                                                                  "(when weighted)."),
    QuestionSet(ChannelType.PRINTABLE_FORM, (*_OFFLINE_STARS, NPS),
                description="A printable form: the star questions not about the online service, and NPS (when "
                            "weighted)."),
    QuestionSet(ChannelType.PHONE, (NPS, *_OFFLINE_STARS),
                description="A phone line: NPS (its default) and the star questions not about the online "
                            "service."),
    QuestionSet(ChannelType.SERVICE_LOCATION, (*_OFFLINE_STARS, NPS),
                description="A service location: the star questions not about the online service, and NPS "
                            "(when weighted)."),
    QuestionSet(ChannelType.CHAT, (NPS, *_OFFLINE_STARS),
                description="A chat: NPS (its default) and the star questions not about the online service."),
    QuestionSet(ChannelType.KIOSK, (TRANSACTION_SMOOTH, RECOMMEND), KIOSK_WORDINGS,
                description="A kiosk: the transaction and recommend questions, in a kiosk wording about this "
                            "service."),
)}
"""The set of every channel type (a draw or an answer without a channel is not limited)."""

NATIONAL_SETS: dict[ChannelType, frozenset[str]] = {t: frozenset(s.questions) for t, s in QUESTION_SETS.items()}
"""The national question ids of each channel type's set, for lookups on the ingest path."""
VARIANTS: dict[ChannelType, dict[str, str]] = {
    t: {w.question_id: f"{t.value}.{w.current_version}" for w in s.wordings} for t, s in QUESTION_SETS.items()}
"""Each channel type's current wording variants by question id (empty for a type without its own wordings)."""
NATIONAL_IDS = frozenset(q.id for q in NATIONAL_BATTERY)


def takes(channel_type: ChannelType, question_id: str, owner_types: frozenset[ChannelType] | None,
          *, national: bool) -> bool:
    """Whether a channel of ``channel_type`` may draw and accept the question. ``national``: a question of the
    national battery (held to :data:`QUESTION_SETS`); else an organisation's own, taken on ``owner_types``
    (None: every type)."""
    if national:
        return question_id in NATIONAL_SETS[channel_type]
    return owner_types is None or channel_type in owner_types


def variant_label(channel_type: ChannelType | None, question_id: str) -> str | None:
    """The current channel wording of the question on ``channel_type`` as stored with an answer ("Kiosk.1"), or
    None when the national wording is shown."""
    return None if channel_type is None else VARIANTS[channel_type].get(question_id)


def channel_wording(channel_type: ChannelType | None, question_id: str) -> Wording | None:
    """The current wording ``channel_type`` shows for the question instead of the national one, if any."""
    if channel_type is None:
        return None
    own = QUESTION_SETS[channel_type].wording_of(question_id)
    return None if own is None else own.wording


def describe(channel_type: ChannelType) -> str:
    """The questions a channel type takes, for refusal messages: national ids, then organisations' own."""
    return (f"{channel_type.value} channels take {', '.join(QUESTION_SETS[channel_type].questions)} and the "
            f"organisations' own questions defined for {channel_type.value}")


def format_types(types: frozenset[ChannelType] | None) -> str | None:
    """Stored form of an own question's channel types (``question.channel_types``): sorted values joined by
    commas; None for every type."""
    return None if types is None else ",".join(sorted(t.value for t in types))


def parse_types(stored: str | None) -> frozenset[ChannelType] | None:
    """The channel types of an own question as stored by :func:`format_types` (None: every type)."""
    return None if stored is None else frozenset(ChannelType(v) for v in stored.split(",") if v)


def normalise_types(types: Iterable[ChannelType] | None) -> frozenset[ChannelType] | None:
    """Given types as a set; None (or every type) means every type. Raises ValueError for an empty list."""
    if types is None:
        return None
    chosen = frozenset(types)
    if not chosen:
        raise ValueError("give at least one channel type, or leave channelTypes out for every type.")
    return None if chosen == frozenset(ChannelType) else chosen


def draw_pool(pool: Iterable[PoolQuestion], channel_type: ChannelType | None) -> list[PoolQuestion]:
    """The questions of ``pool`` a channel of ``channel_type`` may draw, each with the wording it shows there
    (all of them, as they are, without a channel)."""
    if channel_type is None:
        return list(pool)
    chosen: list[PoolQuestion] = []
    for question in pool:
        if not takes(channel_type, question.question_id, question.channel_types,
                     national=question.owner is None):
            continue
        wording = channel_wording(channel_type, question.question_id) if question.owner is None else None
        chosen.append(question if wording is None else replace(
            question, wording=wording, variant=variant_label(channel_type, question.question_id)))
    return chosen
