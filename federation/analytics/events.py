"""Recording, listing and deleting service change events. Services never commit: the caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.analytics.models import ServiceEvent
from federation.audit.log import record
from federation.battery.followups import DRIVERS
from federation.errors import AnalyticsCode, AuthCode, BatteryCode, DomainError, Forbidden, NotFound, RegistryCode
from federation.locks import serialise
from federation.registry.models import Service
from federation.registry.service import normalise_guid, organisations_of

MAX_DESCRIPTION = 2000
EARLIEST = dt.date(2000, 1, 1)
MAX_DAYS_AHEAD = 366
MAX_THEMES = 10
THEME_KEY = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
"""A theme key: 1–64 characters of a–z, 0–9, '.', '_' and '-', starting with a letter or digit."""


@dataclass(frozen=True)
class EventDraft:
    """A change to record: which service, the local date it takes effect, descriptions, and visibility."""

    service_id: str
    occurred_on: dt.date
    description_fi: str
    description_sv: str | None
    description_en: str | None
    public: bool
    drivers: tuple[str, ...] = ()
    """Driver codes the change answers ("you said, we did"): each one of ``DRIVERS``."""
    theme_keys: tuple[str, ...] | None = None
    """Keys of the feedback themes it answers (None: not given); themes are kept elsewhere, so only the form of a
    key is checked here."""

    def check(self, today: dt.date) -> None:
        """Raise ``DomainError`` with a fixing message when the draft cannot be recorded."""
        texts = {"fi": self.description_fi, "sv": self.description_sv, "en": self.description_en}
        if not self.description_fi.strip():
            raise DomainError(AnalyticsCode.DESCRIPTION_REQUIRED,
                              "description.fi is empty; describe the change in Finnish (sv and en are optional).")
        for language, text in texts.items():
            if text is not None and len(text) > MAX_DESCRIPTION:
                raise DomainError(AnalyticsCode.DESCRIPTION_TOO_LONG,
                                  f"description.{language} has {len(text)} characters; "
                                  f"shorten it to at most {MAX_DESCRIPTION}.")
        clean_drivers(self.drivers)
        clean_theme_keys(self.theme_keys)
        if not EARLIEST <= self.occurred_on <= today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise DomainError(AnalyticsCode.DATE_OUT_OF_RANGE, f"occurredOn {self.occurred_on} must be between "
                                                               f"{EARLIEST} and a year from today; planned changes "
                                                               "may be recorded ahead.")


def clean_drivers(drivers: Sequence[str]) -> tuple[str, ...]:
    """The cited drivers without repeats, in ``DRIVERS`` order; UNKNOWN_DRIVER names the first unknown one."""
    if len(drivers) > 4 * len(DRIVERS):
        raise DomainError(BatteryCode.UNKNOWN_DRIVER, f"cite at most the {len(DRIVERS)} drivers, each once.")
    for code in drivers:
        if code not in DRIVERS:
            shown = code[:40] + ("…" if len(code) > 40 else "")
            raise DomainError(BatteryCode.UNKNOWN_DRIVER, f"{shown!r} is not a driver; use one of "
                                                            f"{', '.join(DRIVERS)}.")
    return tuple(d for d in DRIVERS if d in set(drivers))


def clean_theme_keys(keys: Sequence[str] | None) -> tuple[str, ...] | None:
    """The theme keys without repeats, in the order given (None stays None); refused when malformed."""
    if keys is None:
        return None
    unique = tuple(dict.fromkeys(keys[:4 * MAX_THEMES + 1]))
    if len(keys) > 4 * MAX_THEMES or len(unique) > MAX_THEMES:
        raise DomainError(AnalyticsCode.TOO_MANY_THEMES,
                          f"cite at most {MAX_THEMES} themes, each once; got {len(keys)}.")
    for key in unique:
        if not THEME_KEY.fullmatch(key):
            raise DomainError(AnalyticsCode.INVALID_THEME_KEY,
                              f"theme key {key[:40]!r}{'…' if len(key) > 40 else ''} must be 1–64 characters of "
                              "a–z, 0–9, '.', '_' and '-', starting with a letter or digit.")
    return unique


def event_drivers(event: ServiceEvent) -> tuple[str, ...]:
    """The driver codes an event cites (empty when none)."""
    return tuple(event.drivers.split(",")) if event.drivers else ()


def event_theme_keys(event: ServiceEvent) -> tuple[str, ...] | None:
    """The theme keys an event cites (None when none were given)."""
    return tuple(event.theme_keys.split(",")) if event.theme_keys else None


def _require_owner(session: Session, service_id: str, organisation_id: str) -> str:
    key = normalise_guid(service_id, "Service")
    if session.get(Service, key) is None:
        raise NotFound(RegistryCode.UNKNOWN_SERVICE, f"No service {service_id} is registered in arvio.")
    if organisation_id not in organisations_of(session, key):
        raise Forbidden(f"Organisation {organisation_id} is not registered for service {key}; only its "
                        "registered organisations may record its changes.", code=AuthCode.NOT_YOUR_SERVICE)
    return key


def record_event(session: Session, draft: EventDraft, *, organisation_id: str, actor: str, now: dt.datetime,
                 today: dt.date) -> ServiceEvent:
    """Store a change event of a service the organisation is registered for (audited)."""
    service_id = _require_owner(session, draft.service_id, organisation_id)
    draft.check(today)
    event = ServiceEvent(service_id=service_id, organisation_id=organisation_id, occurred_on=draft.occurred_on,
                         description_fi=draft.description_fi.strip(),
                         description_sv=(draft.description_sv or "").strip() or None,
                         description_en=(draft.description_en or "").strip() or None,
                         public=draft.public, created_at=now, created_by=actor,
                         drivers=",".join(clean_drivers(draft.drivers)) or None,
                         theme_keys=",".join(clean_theme_keys(draft.theme_keys) or ()) or None)
    session.add(event)
    session.flush()
    record(session, actor=actor, action="service_event.record", subject=str(event.id), now=now,
           service=service_id, public=draft.public, drivers=event.drivers or "",
           themes=len(event_theme_keys(event) or ()))
    return event


MAX_EVENT_ID = 2**63 - 1  # BIGINT on PostgreSQL, INTEGER on SQLite


def parse_event_id(raw: str) -> int:
    """An event id from the API: ASCII digits, 1 … 2^63-1 (the column's range); INVALID_ID otherwise."""
    text = raw.strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 19 else 0
    if not 1 <= number <= MAX_EVENT_ID:
        raise DomainError(RegistryCode.INVALID_ID, f"An event id is a whole number from 1 to {MAX_EVENT_ID}; "
                                                   "take it from `serviceAnalytics { events { id } }`.")
    return number


def delete_event(session: Session, event_id: int, *, organisation_id: str, actor: str, now: dt.datetime) -> None:
    """Delete an event recorded by the organisation (audited)."""
    serialise(session, "service_event", str(event_id))
    event = session.get(ServiceEvent, event_id)
    if event is None or event.organisation_id != organisation_id:
        raise NotFound(AnalyticsCode.UNKNOWN_EVENT,
                       f"No event {event_id} of organisation {organisation_id} exists; list "
                       "them with `serviceAnalytics { events { id } }`.")
    session.delete(event)
    record(session, actor=actor, action="service_event.delete", subject=str(event_id), now=now,
           service=event.service_id)


def list_events(session: Session, *, service_ids: Collection[str] | None = None, public_only: bool,
                limit: int = 500) -> list[ServiceEvent]:
    """Events of the services (None: every service), newest first; only public ones when ``public_only``."""
    stmt = select(ServiceEvent).order_by(ServiceEvent.occurred_on.desc(), ServiceEvent.id.desc()).limit(limit)
    if service_ids is not None:
        stmt = stmt.where(ServiceEvent.service_id.in_(sorted(service_ids)))
    if public_only:
        stmt = stmt.where(ServiceEvent.public.is_(True))
    return list(session.scalars(stmt))
