"""The alert-kind registry: what an instant alert is, and how a new kind is plugged in.

An alert kind is a name (``SCORE_DROP``), a *detector* and a *describer*:

- ``detect(scan: AlertScan) -> Sequence[AlertFinding]`` reads what it needs through ``scan.session`` for the
  organisation's services and returns the findings detected on or after ``scan.since`` (a local date). It must not
  write or commit. Each finding's ``key`` must be stable across runs (the same situation gives the same key), since
  ``(subscription, "alert:" + kind + ":" + key)`` is the outbox's dedupe key: a finding is delivered once per
  subscription, however often ``arvio notify run`` sees it.
- ``describe(finding, locale, service_name) -> str`` gives one line in the subscription's locale for e-mails
  and digests (a gettext message with msgctxt ``notification``, read through federation/i18n/catalogs.py, so a
  locale without it gets Finnish); ``service_name`` maps a service id to its name in that locale.

``finding.facts`` is plain JSON data (str, int, float, bool, None) sent as the webhook's ``data`` object; it must
never hold free texts or personal data.

To add a kind: write its module beside federation/notify/score_drop.py (federation/notify/theme_surge.py and
federation/notify/unanswered.py are two more, the first reading sealed free texts through ``scan.ring``), and add
one ``REGISTRY.register(…)`` line to federation/notify/registry.py.
Subscriptions name kinds by string, so the GraphQL schema does not change (``notificationAlertKinds`` lists them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pseudonymize.keys import KeyRing

Fact = str | int | float | bool | None
_NAME = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


@dataclass(frozen=True)
class AlertScan:
    """What a detector is handed: the session (read only), the organisation, its services, the time of the pass,
    the first local date whose findings are wanted, and the master key ring for kinds that read the organisation's
    sealed free texts (None where no ring is at hand: such kinds then find nothing)."""

    session: Session
    organisation_id: str
    service_ids: Sequence[str]
    now: dt.datetime
    since: dt.date
    ring: KeyRing | None = None


@dataclass(frozen=True)
class AlertFinding:
    """One situation worth an alert: its kind, a key stable across runs, the service, the local date it was
    detected, and plain facts (the webhook's ``data``)."""

    kind: str
    key: str
    service_id: str
    detected_on: dt.date
    facts: Mapping[str, Fact]


Detector = Callable[[AlertScan], Sequence[AlertFinding]]
Describer = Callable[[AlertFinding, str, Callable[[str], str]], str]


@dataclass(frozen=True)
class AlertKind:
    """A registered kind: its name (upper case, ``A-Z0-9_``), a one-line English description, detector, describer."""

    name: str
    description: str
    detect: Detector
    describe: Describer


class KindRegistry:
    """The alert kinds by name; a name is registered once."""

    def __init__(self) -> None:
        self._kinds: dict[str, AlertKind] = {}

    def register(self, kind: AlertKind) -> AlertKind:
        """Add ``kind``; ValueError for a malformed or already registered name."""
        if not _NAME.match(kind.name):
            raise ValueError(f"alert kind name {kind.name!r} must be 2–40 characters of A-Z, 0-9 and _")
        if kind.name in self._kinds:
            raise ValueError(f"alert kind {kind.name} is already registered")
        self._kinds[kind.name] = kind
        return kind

    def get(self, name: str) -> AlertKind | None:
        """The kind called ``name``, or None."""
        return self._kinds.get(name)

    def names(self) -> list[str]:
        """Every registered name, sorted."""
        return sorted(self._kinds)

    def kinds(self) -> list[AlertKind]:
        """Every registered kind, by name."""
        return [self._kinds[name] for name in self.names()]
