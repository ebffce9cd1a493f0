"""GraphQL of researcher breakdowns: `breakdown` and `researchBudget` (RESEARCHER), the audit trail and budget caps
(ADMIN). The domain lives in ``federation.research``; this module converts inputs and results.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated

import strawberry
from strawberry.types import Info

from federation.auth.models import Role
from federation.errors import DomainError, NotFound, RegistryCode, RequestCode, ResearchCode
from federation.privacy.protector import PrivacyProtector
from federation.registry.models import Organisation
from federation.registry.service import normalise_business_id
from federation.research import service, shapes
from federation.research.ledger import GLOBAL_LEDGER, researcher_ledger
from federation.research.organisations import check_own_scope, organisation_asker, organisation_ledger
from federation.research.researchers import register_researcher, registered, researcher_key, spending
from federation.research.shapes import BreakdownRefusal, BreakdownRequest, Period, Scope
from pseudonymize.disclosure import CellKeyNoise
from pseudonymize.keys import derive_key
from pseudonymize.noise import SystemRandomSource
from schema.graphql.context import Context
from schema.graphql.research.types import (
    Breakdown,
    BreakdownInput,
    ResearchAuditEvent,
    ResearchBudget,
    Researcher,
    SetResearchBudgetInput,
)
from schema.http import metrics

CELL_KEY_PURPOSE = "research-cell-key"
"""HKDF purpose of the server secret that keys cell-key noise (derived from the current master key)."""
MAX_AUDIT_PAGE = 500
MAX_CAP = 1_000_000
"""Largest budget cap in epsilon (far beyond any meaningful one; keeps the ledger's millionths in 64 bits)."""


def _protection(ctx: Context) -> service.Protection:
    protector = ctx.services.protector
    if not isinstance(protector, PrivacyProtector):
        raise RuntimeError("breakdowns need the PrivacyProtector's key ring; build the app with schema.wiring")
    secret = derive_key(protector.ring.current, CELL_KEY_PURPOSE, "breakdowns")
    return service.Protection(service.policy_from_settings(ctx.settings), CellKeyNoise(secret),
                              SystemRandomSource())


def _writer(ctx: Context) -> service.WriteTransaction:
    """Short write transactions beside the request's read session (audit, debit, cache must be kept)."""
    return ctx.write_transaction


def _researcher(ctx: Context) -> service.Researcher:
    """The registered researcher behind a RESEARCHER token (refused if not registered: budgets belong to them)."""
    principal = ctx.require(Role.RESEARCHER)
    key = registered(ctx.session, researcher_key(principal.label)).key
    return service.Researcher(actor=principal.actor, label=key)


def _request(data: BreakdownInput, policy: shapes.ResearchPolicy) -> BreakdownRequest:
    if len(data.by) > len(shapes.Dimension) or len(data.metrics) > 20:
        raise BreakdownRefusal(ResearchCode.TOO_MANY_DIMENSIONS, f"too many dimensions or metrics. {policy.allowed()}")
    epsilon = None if data.epsilon is None else shapes.parse_epsilon(data.epsilon, policy)
    return BreakdownRequest(
        scope=Scope(data.scope.kind, data.scope.id or None), question_id=str(data.question_id),
        period=Period(data.period_from.strip(), data.period_to.strip()), dimensions=tuple(data.by),
        metrics=frozenset(data.metrics), mode=data.mode, epsilon=epsilon, wording_version=data.wording_version)


def _described(data: BreakdownInput) -> dict[str, object]:
    """What a refused request asked, as typed (``service.record_refusal`` keeps only what validates)."""
    return {"scope": data.scope.kind.value, "scopeId": data.scope.id, "question": str(data.question_id),
            "from": data.period_from, "to": data.period_to, "by": [d.value for d in data.by],
            "metrics": sorted({m.value for m in data.metrics}), "mode": data.mode.value, "epsilon": data.epsilon}


def _amount(value: float) -> Fraction:
    try:
        amount = Fraction(Decimal(repr(float(value))))
    except (InvalidOperation, ValueError, OverflowError):
        raise DomainError(ResearchCode.INVALID_BUDGET, "the cap must be a number of epsilon such as 10.") from None
    if not 0 <= amount <= MAX_CAP or (amount * 1_000_000).denominator != 1:
        raise DomainError(ResearchCode.INVALID_BUDGET,
                          f"the cap must be 0–{MAX_CAP} with at most six decimals, e.g. 10.")
    return amount


def _registered_organisation(ctx: Context, raw: str) -> str:
    try:
        business_id = normalise_business_id(raw)
    except (ValueError, DomainError):
        raise DomainError(RegistryCode.INVALID_ID, "organisationId must be a Finnish business ID such as "
                                                   "1234567-8.") from None
    if ctx.session.get(Organisation, business_id) is None:
        raise NotFound(RegistryCode.UNKNOWN_ORGANISATION, f"no organisation {business_id} is registered in arvio.")
    return business_id


@strawberry.type
class ResearchQuery:
    @strawberry.field(description="A demographic breakdown of one service or service group (RESEARCHER). Every "
                                  "published cell and margin rests on at least the research threshold (10) of "
                                  "respondents; suppressed entries cannot be derived from the rest; values carry "
                                  "consistent noise and are rounded. DIFFERENTIAL_PRIVACY mode debits epsilon from "
                                  "your budget before answering (an identical repeat is free). Every call is "
                                  "audited. Shapes outside the rules are refused with the list of allowed shapes.")
    def breakdown(self, info: Info[Context, None], input: BreakdownInput) -> Breakdown:
        ctx = info.context
        researcher = _researcher(ctx)
        protection = _protection(ctx)
        write = _writer(ctx)
        try:
            request = _request(input, protection.policy)
        except BreakdownRefusal as refusal:
            service.record_refusal(write, researcher, _described(input), refusal, ctx.now)
            raise
        result = service.run_breakdown(ctx.session, write, request, researcher=researcher, protection=protection,
                                       now=ctx.now)
        metrics.record_privacy_spend(result.cost)  # debited in its own committed write transaction
        return Breakdown.from_result(result)

    @strawberry.field(description="A demographic breakdown of your organisation's own services (ORGANISATION): "
                                  "scope SERVICE with one of your services, or ORGANISATION with your own business "
                                  "ID. The same rules as a researcher's `breakdown`: cells and margins under the "
                                  "research threshold are suppressed, values carry consistent noise, "
                                  "DIFFERENTIAL_PRIVACY debits your organisation's budget and the global one. Other "
                                  "organisations' services are refused (NOT_YOUR_SCOPE). Every call is audited.")
    def organisation_breakdown(self, info: Info[Context, None], input: BreakdownInput) -> Breakdown:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        assert ctx.principal is not None
        asker = organisation_asker(ctx.principal.actor, organisation_id)
        protection, write = _protection(ctx), _writer(ctx)
        try:
            request = _request(input, protection.policy)
            check_own_scope(ctx.session, request.scope, organisation_id)
        except BreakdownRefusal as refusal:
            service.record_refusal(write, asker, _described(input), refusal, ctx.now)
            raise
        result = service.run_breakdown(ctx.session, write, request, researcher=asker, protection=protection,
                                       now=ctx.now)
        return Breakdown.from_result(result)

    @strawberry.field(description="Your organisation's remaining differential-privacy budget for its own "
                                  "breakdowns, and the global one (ORGANISATION).")
    def organisation_research_budget(self, info: Info[Context, None]) -> ResearchBudget:
        ctx = info.context
        organisation_id = ctx.require_organisation()
        assert ctx.principal is not None
        own, shared = service.budget(ctx.session, organisation_asker(ctx.principal.actor, organisation_id),
                                     service.policy_from_settings(ctx.settings))
        return ResearchBudget.from_balance(own, shared)

    @strawberry.field(description="Your remaining differential-privacy budget and the global one (RESEARCHER).")
    def research_budget(self, info: Info[Context, None]) -> ResearchBudget:
        ctx = info.context
        researcher = _researcher(ctx)
        own, shared = service.budget(ctx.session, researcher, service.policy_from_settings(ctx.settings))
        return ResearchBudget.from_balance(own, shared)

    @strawberry.field(description="The audit trail of researcher breakdowns and budget changes, oldest first (ADMIN).")
    def research_audit(
        self, info: Info[Context, None],
        first: Annotated[int, strawberry.argument(description=f"Page size, 1–{MAX_AUDIT_PAGE}.")] = 100,
        after: Annotated[strawberry.ID | None, strawberry.argument(
            description="Return events after this event id.")] = None,
    ) -> list[ResearchAuditEvent]:
        ctx = info.context
        ctx.require(Role.ADMIN)
        if not 1 <= first <= MAX_AUDIT_PAGE:
            raise DomainError(RequestCode.PAGE_TOO_LARGE, f"first must be 1–{MAX_AUDIT_PAGE}; page with `after`.")
        if after is not None and not str(after).isdigit():
            raise DomainError(RequestCode.INVALID_CURSOR, "after must be the id of an audit event.")
        rows = service.research_audit(ctx.session, first=first, after=int(after) if after else None)
        return [ResearchAuditEvent.from_model(row) for row in rows]

    @strawberry.field(description="Every registered researcher with what they spent of their differential-privacy "
                                  "budget and their cap (ADMIN).")
    def researchers(self, info: Info[Context, None]) -> list[Researcher]:
        ctx = info.context
        ctx.require(Role.ADMIN)
        policy = service.policy_from_settings(ctx.settings)
        return [Researcher.from_spending(row) for row in spending(ctx.session, policy.researcher_budget)]


@strawberry.type
class ResearchMutation:
    @strawberry.mutation(description="Set a researcher's or an organisation's differential-privacy budget cap, or the "
                                     "global cap (ADMIN). "
                                     "Lowering a cap below what was spent stops further spending. Audited.")
    def set_research_budget(self, info: Info[Context, None], input: SetResearchBudgetInput) -> ResearchBudget:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        label = (input.researcher_label or "").strip()
        ledger = researcher_ledger(registered(ctx.session, researcher_key(label)).key) if label else GLOBAL_LEDGER
        if input.organisation_id is not None:
            if label:
                raise DomainError(ResearchCode.INVALID_BUDGET, "give researcherLabel or organisationId, not both.")
            ledger = organisation_ledger(_registered_organisation(ctx, input.organisation_id))
        balance = service.set_budget(ctx.session, ledger=ledger, cap=_amount(input.cap), actor=actor.actor,
                                     now=ctx.now)
        return ResearchBudget.from_balance(balance, None)

    @strawberry.mutation(description="Register a researcher (ADMIN): their normalised name becomes the key that "
                                     "RESEARCHER tokens are issued for and that owns their privacy budget. "
                                     "Idempotent; audited.")
    def register_researcher(self, info: Info[Context, None],
                            name: Annotated[str, strawberry.argument(description="The researcher's name, 1–100 "
                                                                                 "characters.")]) -> Researcher:
        ctx = info.context
        actor = ctx.require(Role.ADMIN)
        row = register_researcher(ctx.session, name, actor=actor.actor, now=ctx.now)
        policy = service.policy_from_settings(ctx.settings)
        found = next(s for s in spending(ctx.session, policy.researcher_budget) if s.key == row.key)
        return Researcher.from_spending(found)
