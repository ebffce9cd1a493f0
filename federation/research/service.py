"""Answering a researcher's breakdown: check the shape, read the cube, protect, debit, cache and audit.

The request's own session reads; everything that must be kept — the budget debit, the cached answer, the audit
event — is written in a separate short write transaction (``write``), committed before the answer is returned,
so a query (not a mutation) still leaves its trace and its debit, and a refused request is audited too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.audit.models import AuditEvent
from federation.battery.models import Question
from federation.errors import DomainError
from federation.registry.models import Service
from federation.registry.service import normalise_business_id, normalise_guid
from federation.research.answers import cached_answer, request_key, store_answer
from federation.research.compute import Answer, BreakdownSpec, prepare, release_with_cell_key, release_with_dp
from federation.research.ledger import GLOBAL_LEDGER, Balance, balance, debit, researcher_ledger, set_cap
from federation.research.reading import QuestionInfo, ScopeInfo, read_rows, resolve_question, resolve_scope
from federation.research.shapes import (
    BreakdownRefusal,
    BreakdownRequest,
    PrivacyMode,
    ResearchPolicy,
    ScopeKind,
    check_request,
    to_micro,
)
from federation.settings import Settings
from pseudonymize.disclosure import CellKeyNoise, DisclosurePolicy
from pseudonymize.noise import RandomSource

AUDIT_ACTION = "research.breakdown"
BUDGET_ACTION = "research.budget"

WriteTransaction = Callable[[], AbstractContextManager[Session]]
"""Opens a write transaction that commits when its block ends (``Database.transaction``)."""


@dataclass(frozen=True)
class Researcher:
    """Who asks: the audit name and the label that names their budget ledger — a registered researcher's key, or
    for an organisation asking about its own services (``federation/research/organisations.py``) its business ID
    with ``ledger_name`` set to its ``organisation:`` ledger."""

    actor: str
    label: str
    ledger_name: str | None = None

    @property
    def ledger(self) -> str:
        """The asker's own budget ledger."""
        return self.ledger_name or researcher_ledger(self.label)


@dataclass(frozen=True)
class BreakdownResult:
    """An answer with what it was an answer to: the normalised request, question and scope, and its cost."""

    request: BreakdownRequest
    question: QuestionInfo
    scope: ScopeInfo
    answer: Answer
    cost: Fraction
    cached: bool
    threshold: int


@dataclass(frozen=True)
class Protection:
    """What protects answers: the policy, the cell-key noise (server secret) and the source of DP noise."""

    policy: ResearchPolicy
    cell_key: CellKeyNoise
    rng: RandomSource


class _AnsweredMeanwhile(Exception):
    """A concurrent identical request stored its answer first; ours is rolled back and theirs returned."""


def run_breakdown(session: Session, write: WriteTransaction, request: BreakdownRequest, *, researcher: Researcher,
                  protection: Protection, now: dt.datetime) -> BreakdownResult:
    """Answer ``request`` under disclosure control (and differential privacy if asked), auditing it.

    Guarantee: a differentially private answer is released only after its epsilon was debited from the
    researcher's and the global ledger in a committed transaction; an identical repeated request costs nothing
    and returns the same values; every request — answered or refused — leaves one audit event.
    """
    policy = protection.policy
    try:
        question = resolve_question(session, request.question_id, request.wording_version, policy)
        scope = resolve_scope(session, request.scope, policy)
        request = replace(request, scope=scope.scope, wording_version=question.wording_version)
        check_request(request, question.scale, policy, now)
        spec = BreakdownSpec(question.id, question.wording_version, question.scale, request.dimensions,
                             request.metrics)
        if request.mode is PrivacyMode.DISCLOSURE_CONTROL:
            prepared = prepare(read_rows(session, question, scope, request.period.quarters, request.dimensions),
                               spec, threshold=policy.disclosure.threshold, subgroups=scope.subgroups,
                               members=scope.members)
            answer = release_with_cell_key(prepared, protection.cell_key, policy.disclosure)
            result = BreakdownResult(request, question, scope, answer, Fraction(0), False, policy.disclosure.threshold)
        else:
            result = _differentially_private(session, write, request, question, scope, spec, researcher, protection,
                                              now)
    except BreakdownRefusal as refusal:
        record_refusal(write, researcher, request.canonical(), refusal, now)
        raise
    if request.mode is PrivacyMode.DISCLOSURE_CONTROL:
        with write() as tx:
            _audit(tx, researcher, request, now, outcome="answered")
    return result


def _differentially_private(session: Session, write: WriteTransaction, request: BreakdownRequest,
                            question: QuestionInfo, scope: ScopeInfo, spec: BreakdownSpec, researcher: Researcher,
                            protection: Protection, now: dt.datetime) -> BreakdownResult:
    policy = protection.policy
    assert request.epsilon is not None
    key, cost = request_key(request.canonical_json()), to_micro(request.epsilon)
    threshold = policy.disclosure.threshold

    def result(answer: Answer, paid: int) -> BreakdownResult:
        return BreakdownResult(request, question, scope, answer, Fraction(paid, 1_000_000), paid == 0, threshold)

    cached = cached_answer(session, key)
    if cached is None:
        prepared = prepare(read_rows(session, question, scope, request.period.quarters, request.dimensions),
                           spec, threshold=threshold, subgroups=scope.subgroups, members=scope.members)
        domains = scope.service_count * len(request.period.quarters)
        try:
            with write() as tx:
                cached = cached_answer(tx, key)
                if cached is None:
                    debit(tx, [(researcher.ledger, to_micro(policy.researcher_budget)),
                               (GLOBAL_LEDGER, to_micro(policy.global_budget))], cost, now)
                    answer = release_with_dp(prepared, request.epsilon, domains, protection.rng, policy.disclosure,
                                             protection.cell_key)
                    if not store_answer(tx, key, request.canonical(), answer, cost_micro=cost,
                                        ledger=researcher.ledger, now=now):
                        raise _AnsweredMeanwhile
                    _audit(tx, researcher, request, now, outcome="answered", cost=cost)
                    return result(answer, cost)
                _audit(tx, researcher, request, now, outcome="answered", cached=True)
                return result(cached, 0)
        except _AnsweredMeanwhile:
            cached = cached_answer(session, key)
            with write() as tx:
                cached = cached or cached_answer(tx, key)
                _audit(tx, researcher, request, now, outcome="answered", cached=True)
            assert cached is not None
            return result(cached, 0)
    with write() as tx:
        _audit(tx, researcher, request, now, outcome="answered", cached=True)
    return result(cached, 0)


def _audit(session: Session, researcher: Researcher, request: BreakdownRequest, now: dt.datetime, *,
           outcome: str, cost: int = 0, cached: bool = False) -> None:
    record(session, actor=researcher.actor, action=AUDIT_ACTION, subject=request.scope.label, now=now,
           request=request.canonical(), outcome=outcome, code=None, cached=cached,
           cost=str(Fraction(cost, 1_000_000)))


def record_refusal(write: WriteTransaction, researcher: Researcher, description: dict[str, object],
                   refusal: BreakdownRefusal, now: dt.datetime) -> None:
    """Audit a refused request in its own transaction, so the refusal is kept although the request fails.

    ``description`` is what was asked as typed; only what validates is kept (:func:`validated_description`), so
    nothing a caller types into a free-form field — a personal identity code in a scope id, say — reaches the
    audit table."""
    with write() as tx:
        kept = validated_description(tx, description)
        subject = str(kept["scope"]) + (f":{kept['scopeId']}" if kept.get("scopeId") else "")
        record(tx, actor=researcher.actor, action=AUDIT_ACTION, subject=subject, now=now, request=kept,
               outcome="refused", code=refusal.code, cached=False, cost="0")


_ENUMERATED = ("scope", "by", "metrics", "mode")
"""Fields whose values GraphQL already checked against an enum."""


def validated_description(session: Session, description: dict[str, object]) -> dict[str, object]:
    """The parts of a described request that are known values: enum fields, numbers, a period end in the
    ``2025``/``2025Q1`` form, a registered question, a scope id that is a valid service id or business ID or an
    existing service class. Anything else is replaced by ``"<withheld>"``."""
    kept: dict[str, object] = {name: description.get(name) for name in _ENUMERATED}
    for name in ("epsilon", "wording"):
        value = description.get(name)
        kept[name] = value if value is None or isinstance(value, (int, float)) else WITHHELD
    for name in ("from", "to"):
        value = description.get(name)
        kept[name] = value if isinstance(value, str) and _PERIOD_END.fullmatch(value) else WITHHELD
    question = description.get("question")
    known = isinstance(question, str) and len(question) <= 120 and session.get(Question, question) is not None
    kept["question"] = question if known else WITHHELD
    kept["scopeId"] = _known_scope_id(session, description.get("scope"), description.get("scopeId"))
    return kept


WITHHELD = "<withheld>"
_PERIOD_END = re.compile(r"\d{4}(Q[1-4])?")


def _known_scope_id(session: Session, kind: object, scope_id: object) -> str | None:
    if scope_id is None or scope_id == "":
        return None
    normalise = {ScopeKind.SERVICE.value: lambda text: normalise_guid(text, "service"),
                 ScopeKind.ORGANISATION.value: normalise_business_id}.get(str(kind))
    if not isinstance(scope_id, str) or len(scope_id) > 120:
        return WITHHELD
    if normalise is not None:
        try:
            return normalise(scope_id)
        except (ValueError, DomainError):
            return WITHHELD
    exists = kind == ScopeKind.SERVICE_CLASS.value and session.scalar(
        select(Service.id).where(Service.service_class == scope_id).limit(1)) is not None
    return scope_id if exists else WITHHELD


def set_budget(session: Session, *, ledger: str, cap: Fraction, actor: str, now: dt.datetime) -> Balance:
    """Set a ledger's cap (an admin action, audited)."""
    result = set_cap(session, ledger, to_micro(cap), now)
    record(session, actor=actor, action=BUDGET_ACTION, subject=ledger, now=now, cap=str(cap))
    return result


def policy_from_settings(settings: Settings) -> ResearchPolicy:
    """The research policy configured by ``ARVIO_RESEARCH_*`` (threshold, budgets) and the environment."""
    return ResearchPolicy(disclosure=DisclosurePolicy(threshold=settings.research_threshold),
                          researcher_budget=exact_amount(settings.research_budget_epsilon),
                          global_budget=exact_amount(settings.research_global_budget_epsilon),
                          production=settings.environment == "production")


def exact_amount(value: float) -> Fraction:
    """An epsilon amount given as a float, as the exact decimal it was written as, rounded to six decimals."""
    return round(Fraction(Decimal(repr(float(value)))), 6)


def budget(session: Session, researcher: Researcher, policy: ResearchPolicy) -> tuple[Balance, Balance]:
    """The researcher's balance and the global one (defaults for ledgers never used)."""
    return (balance(session, researcher.ledger, to_micro(policy.researcher_budget)),
            balance(session, GLOBAL_LEDGER, to_micro(policy.global_budget)))


def research_audit(session: Session, *, first: int, after: int | None = None) -> list[AuditEvent]:
    """Audit events of researcher queries and budget changes, oldest first, ``first`` after event id ``after``."""
    stmt = (select(AuditEvent).where(AuditEvent.action.in_((AUDIT_ACTION, BUDGET_ACTION)))
            .order_by(AuditEvent.id).limit(first))
    if after is not None:
        stmt = stmt.where(AuditEvent.id > after)
    return list(session.scalars(stmt))
