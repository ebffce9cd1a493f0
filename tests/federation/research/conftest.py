"""Fixtures of the research tests: a registry of two services in one class, and a way to ask breakdowns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction

import pytest

from federation.db import Database
from federation.registry.service import Names, upsert_organisation, upsert_service
from federation.research.service import BreakdownResult, Protection, Researcher, run_breakdown
from federation.research.shapes import (
    BreakdownRequest,
    Dimension,
    Period,
    PrivacyMode,
    ResearchPolicy,
    Scope,
    ScopeKind,
)
from pseudonymize.disclosure import CellKeyNoise, Metric
from pseudonymize.noise import SeededRandomSource
from tests.conftest import NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B
from tests.federation.research.cubes import SMOOTH

SECRET = bytes(range(100, 132))
LIBRARIES = "kirjastopalvelut"
RESEARCHER = Researcher(actor="token:9:dr-virtanen", label="dr-virtanen")

Ask = Callable[..., BreakdownResult]


def register(database: Database) -> None:
    """Organisation A reports for service A, B for service B; both services are in the class LIBRARIES."""
    with database.transaction() as session:
        upsert_organisation(session, ORG_A, Names("Esimerkkilä"), now=NOW)
        upsert_organisation(session, ORG_B, Names("Demovirasto"), now=NOW)
        session.flush()
        upsert_service(session, SERVICE_A, Names("Kirjastokortti"), now=NOW, organisation_ids=(ORG_A,),
                       service_class=LIBRARIES)
        upsert_service(session, SERVICE_B, Names("Kaukolaina"), now=NOW, organisation_ids=(ORG_B,),
                       service_class=LIBRARIES)


def request(*by: Dimension, scope: Scope | None = None, first: str = "2025Q3", last: str = "2025Q4",
            metrics: frozenset[Metric] = frozenset({Metric.COUNT, Metric.MEAN}), question: str = SMOOTH,
            epsilon: Fraction | None = None) -> BreakdownRequest:
    """A breakdown request with test defaults (service A, 2025Q3–Q4, count and mean)."""
    return BreakdownRequest(scope or Scope(ScopeKind.SERVICE, SERVICE_A), question, Period(first, last), by, metrics,
                            PrivacyMode.DISCLOSURE_CONTROL if epsilon is None else PrivacyMode.DIFFERENTIAL_PRIVACY,
                            epsilon)


@pytest.fixture
def registry(database: Database) -> Database:
    register(database)
    return database


@pytest.fixture
def ask(registry: Database) -> Ask:
    """Run a breakdown on the registry database as RESEARCHER (policy and now overridable)."""
    def run(req: BreakdownRequest, *, policy: ResearchPolicy | None = None, now: dt.datetime = NOW,
            researcher: Researcher = RESEARCHER, seed: int = 1) -> BreakdownResult:
        protection = Protection(policy or ResearchPolicy(), CellKeyNoise(SECRET), SeededRandomSource(seed))
        with registry.transaction(write=False) as session:
            return run_breakdown(session, registry.transaction, req, researcher=researcher, protection=protection,
                                 now=now)
    return run
