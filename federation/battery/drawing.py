"""Drawing the main question of a final page: config loaded once, cached in-process, draws need no database.

A draw for (service, channel) needs the service's organisation, whether the channel is a voice channel, and the
resolved weights (``battery.rotation``) of the questions its channel type takes, in that type's wording
(``battery.question_sets``). That :class:`DrawConfig` is loaded in a few queries on first use and
kept for ``ttl`` seconds (unknown services are cached too, so garbage ids cannot hammer the database); question
and weight changes made in this process drop the cache at once, other processes see them within ``ttl``.
After that a draw is a cache lookup, one ``random()`` and one HMAC.

The organisation of a service is the one registered with role "Responsible" (PTV's responsible organisation),
else the lowest business ID registered for it: its questions and weights are used and the answers are its.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.battery.draw_token import DrawClaim, DrawSigner
from federation.battery.models import Question, QuestionVersion, QuestionWeight
from federation.battery.national import Wording
from federation.battery.question_sets import draw_pool, parse_types
from federation.battery.rotation import Candidate, DrawTable, PoolQuestion, WeightRule, build_table
from federation.errors import BatteryCode, DomainError, NotFound, RegistryCode
from federation.registry.kinds import ChannelType, ServiceStatus
from federation.registry.models import Channel, Service, ServiceChannel, ServiceOrganisation
from federation.registry.service import normalise_guid

VOICE_CHANNELS = frozenset({ChannelType.PHONE, ChannelType.CHAT})
"""Channels whose default question is NPS (answers collected by SMS after a call or at the end of a chat)."""

ANY = ""
"""``question_weight`` keys "any service" / "any channel" as the empty string."""


@dataclass(frozen=True)
class DrawConfig:
    """Everything a draw for one (service, channel) needs."""

    service_id: str
    channel_id: str | None
    organisation_id: str
    voice: bool
    table: DrawTable


@dataclass(frozen=True, slots=True)
class Drawn:
    """One draw: the signed draw id and the question shown."""

    draw_id: str
    client_ref: str
    candidate: Candidate
    config: DrawConfig
    drawn_at: dt.datetime


def reporting_organisation(session: Session, service_id: str) -> str | None:
    """The organisation whose questions a service's widget draws and to which its answers belong."""
    rows = session.execute(select(ServiceOrganisation.organisation_id, ServiceOrganisation.role)
                           .where(ServiceOrganisation.service_id == service_id)).all()
    ranked = sorted(rows, key=lambda r: (r.role != "Responsible", r.organisation_id))
    return ranked[0].organisation_id if ranked else None


def load_pool(session: Session, organisation_id: str) -> list[PoolQuestion]:
    """The national questions and the organisation's own, not retired, with their current wording."""
    stmt = (select(Question, QuestionVersion)
            .join(QuestionVersion, (QuestionVersion.question_id == Question.id)
                  & (QuestionVersion.version == Question.current_version))
            .where(Question.retired_at.is_(None),
                   Question.owner_organisation_id.is_(None) | (Question.owner_organisation_id == organisation_id)))
    return [PoolQuestion(q.id, q.current_version, q.scale, q.weight, q.owner_organisation_id,
                         Wording(v.text_fi, v.text_sv, v.text_en), parse_types(q.channel_types))
            for q, v in session.execute(stmt)]


def load_rules(session: Session, organisation_id: str, service_id: str, channel_id: str | None) -> list[WeightRule]:
    """The organisation's weight rules that can apply to (service, channel)."""
    stmt = select(QuestionWeight).where(QuestionWeight.organisation_id == organisation_id,
                                        QuestionWeight.service_id.in_((ANY, service_id)),
                                        QuestionWeight.channel_id.in_((ANY, channel_id or ANY)))
    return [WeightRule(w.question_id, w.weight, w.service_id or None, w.channel_id or None)
            for w in session.scalars(stmt)]


def load_draw_config(session: Session, service_id: str, channel_id: str | None) -> DrawConfig:
    """The draw config of (service, channel); :class:`DomainError` for unknown or unusable ids."""
    sid = normalise_guid(service_id, "Service")
    cid = normalise_guid(channel_id, "Channel") if channel_id else None
    service = session.get(Service, sid)
    if service is None:
        raise NotFound(RegistryCode.UNKNOWN_SERVICE,
                       f"serviceId {sid} is not registered in arvio; use the service's PTV id.")
    if service.status is ServiceStatus.ARCHIVED:
        raise DomainError(RegistryCode.SERVICE_ARCHIVED,
                          f"service {sid} is archived in the catalogue and takes no ratings.")
    organisation_id = reporting_organisation(session, sid)
    if organisation_id is None:
        raise DomainError(BatteryCode.NO_REPORTING_ORGANISATION, f"no organisation is registered to report for service "
                                                                 f"{sid}; ask the arvio operator to register one.")
    channel_type: ChannelType | None = None
    if cid is not None:
        channel = session.get(Channel, cid)
        if channel is None:
            raise NotFound(RegistryCode.UNKNOWN_CHANNEL,
                           f"channelId {cid} is not registered; use the channel's PTV id or leave it out.")
        if session.get(ServiceChannel, (sid, cid)) is None:
            raise DomainError(RegistryCode.CHANNEL_NOT_OF_SERVICE, f"channel {cid} is not a channel of service {sid}.")
        channel_type = channel.channel_type
    voice = channel_type in VOICE_CHANNELS
    pool = draw_pool(load_pool(session, organisation_id), channel_type)  # the channel type's question set
    try:
        table = build_table(pool, load_rules(session, organisation_id, sid, cid),
                            service_id=sid, channel_id=cid, voice=voice)
    except LookupError as error:
        raise DomainError(BatteryCode.NO_QUESTION_TO_DRAW, str(error)) from None
    return DrawConfig(sid, cid, organisation_id, voice, table)


class Drawer:
    """Draws questions from cached configs and signs draw ids. Thread-safe; one per process."""

    def __init__(self, signer: DrawSigner, *, rng: random.Random | None = None, ttl: float = 30.0,
                 clock: Callable[[], float] = time.monotonic, max_entries: int = 50_000) -> None:
        self.signer = signer
        self._rng = rng or random.Random()
        self._ttl = ttl
        self._clock = clock
        self._max = max_entries
        self._cache: dict[tuple[str, str], tuple[float, DrawConfig | DomainError]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(service_id: str, channel_id: str | None) -> tuple[str, str]:
        return service_id.strip().lower(), (channel_id or "").strip().lower()

    def cached(self, service_id: str, channel_id: str | None) -> DrawConfig | None:
        """The cached config, None when it must be loaded; re-raises a cached refusal."""
        entry = self._cache.get((service_id, channel_id or "")) or self._cache.get(self._key(service_id, channel_id))
        if entry is None or entry[0] < self._clock():
            return None
        if isinstance(entry[1], DomainError):
            raise entry[1]
        return entry[1]

    def config(self, session: Session, service_id: str, channel_id: str | None) -> DrawConfig:
        """The config from the cache, or loaded with ``session`` and cached."""
        found = self.cached(service_id, channel_id)
        if found is not None:
            return found
        try:
            loaded: DrawConfig | DomainError = load_draw_config(session, service_id, channel_id)
        except DomainError as error:
            loaded = error
        with self._lock:
            if len(self._cache) >= self._max:
                self._cache.clear()
            self._cache[self._key(service_id, channel_id)] = (self._clock() + self._ttl, loaded)
        if isinstance(loaded, DomainError):
            raise loaded
        return loaded

    def draw(self, config: DrawConfig, *, now: dt.datetime) -> Drawn:
        """Draw a question for ``config`` and sign its draw id. Writes nothing."""
        candidate = config.table.pick(self._rng)
        question = candidate.question
        draw_id, client_ref = self.signer.sign(service_id=config.service_id, channel_id=config.channel_id,
                                               question_id=question.question_id,
                                               wording_version=question.wording_version, now=now)
        return Drawn(draw_id, client_ref, candidate, config, now)

    def verify(self, draw_id: str, *, now: dt.datetime) -> DrawClaim:
        """The claim of a genuine, unexpired draw id (``DrawError`` otherwise)."""
        return self.signer.verify(draw_id, now=now)

    def invalidate(self) -> None:
        """Forget every cached config (after a question or weight change)."""
        with self._lock:
            self._cache.clear()
