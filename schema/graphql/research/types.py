"""GraphQL types of researcher breakdowns: inputs, the protected answer, budgets and the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from fractions import Fraction

import strawberry

from federation.audit.models import AuditEvent
from federation.research import shapes
from federation.research.compute import PublishedEntry
from federation.research.ledger import Balance
from federation.research.researchers import Spending
from federation.research.service import BreakdownResult
from pseudonymize import disclosure
from schema.graphql.scores import ScaleType

# The domain enums are the GraphQL enums (strawberry.enum registers them), so resolvers use them as they are.
strawberry.enum(shapes.ScopeKind, name="BreakdownScopeKind",
                description="Which services a breakdown covers: one SERVICE (by PTV id), an ORGANISATION's services "
                            "(by business ID), a SERVICE_CLASS (by class name) or the NATION (no id).")
strawberry.enum(shapes.Dimension, name="BreakdownDimension",
                description="A demographic attribute to group by: AGE_BAND (10-year bands), REGION (maakunta code), "
                            "LANGUAGE (fi, sv, en, other) or GENDER.")
strawberry.enum(disclosure.Metric, name="BreakdownMetric",
                description="A metric: COUNT (rounded to 5), MEAN (to 0.1), TOP_TWO_BOX (whole percent; not YES_NO), "
                            "NPS (NPS_11 only), YES_SHARE (YES_NO only).")
strawberry.enum(shapes.PrivacyMode, name="PrivacyMode",
                description="DISCLOSURE_CONTROL: suppression, consistent cell-key noise and rounding, free. "
                            "DIFFERENTIAL_PRIVACY: the same plus discrete Laplace noise for epsilon, debited from "
                            "your privacy budget.")
strawberry.enum(disclosure.ShareCoding, name="ShareCoding",
                description="EXACT: the percent as published; AT_LEAST: the share is that percent or more "
                            "(\"≥ 95 %\"); AT_MOST: that percent or less (\"≤ 5 %\").")


@strawberry.enum(description="Whether an entry is an inner cell, a margin (all levels of a dimension) or the total.")
class BreakdownCellKind(Enum):
    CELL = "CELL"
    MARGIN = "MARGIN"
    TOTAL = "TOTAL"


@strawberry.input(description="The services a breakdown covers.")
class BreakdownScopeInput:
    kind: shapes.ScopeKind = strawberry.field(description="The kind of scope.")
    id: str | None = strawberry.field(default=None, description="The service's PTV id, the organisation's business "
                                                                "ID or the service class; none for NATION.")


@strawberry.input(description="A researcher's breakdown. Refused with a message listing the allowed shapes if it "
                              "asks for anything else.")
class BreakdownInput:
    scope: BreakdownScopeInput = strawberry.field(description="The services covered.")
    question_id: strawberry.ID = strawberry.field(description="A national battery question, e.g. "
                                                              "national.transaction-smooth.")
    period_from: str = strawberry.field(name="from", description="First quarter ('2025Q1') or year ('2025').")
    period_to: str = strawberry.field(name="to", description="Last quarter or year (same kind as `from`); the "
                                                             "period must have ended.")
    by: list[shapes.Dimension] = strawberry.field(
        default_factory=list, description="At most two dimensions to group by; none gives the total only.")
    metrics: list[disclosure.Metric] = strawberry.field(
        default_factory=lambda: [disclosure.Metric.COUNT, disclosure.Metric.MEAN],
        description="The metrics to publish (default COUNT and MEAN).")
    mode: shapes.PrivacyMode = strawberry.field(
        default=shapes.PrivacyMode.DISCLOSURE_CONTROL, description="How the answer is noised.")
    epsilon: float | None = strawberry.field(default=None, description="The privacy loss to spend "
                                             "(DIFFERENTIAL_PRIVACY only), e.g. 0.5; at most three decimals.")
    wording_version: int | None = strawberry.field(default=None, description="The question's wording version; "
                                                                             "default the current one.")


@strawberry.type(description="A share in whole percent, possibly coded in small cells.")
class CodedShare:
    percent: int = strawberry.field(description="Whole percent (95 with AT_LEAST means 95 % or more).")
    coding: disclosure.ShareCoding = strawberry.field(description="How to read `percent`.")


@strawberry.type(description="One entry of a breakdown: a cell, a margin or the total. A dimension's field is null "
                             "when the entry sums over all its levels (or the breakdown does not use it); "
                             "'not-given' is the level of answers without the attribute. Suppressed entries show "
                             "no values.")
class BreakdownCell:
    kind: BreakdownCellKind = strawberry.field(description="Cell, margin or total.")
    age_band: str | None = strawberry.field(description="10-year age band, e.g. '30-39'.")
    region: str | None = strawberry.field(description="Region (maakunta) code, e.g. '01'.")
    language: str | None = strawberry.field(description="Language group.")
    gender: str | None = strawberry.field(description="Gender group.")
    suppressed: bool = strawberry.field(description="Withheld by disclosure control (too few respondents, or to "
                                                    "protect another withheld entry).")
    count: int | None = strawberry.field(description="Answers, noised and rounded to 5.")
    mean: float | None = strawberry.field(description="Mean answer value, noised and rounded to 0.1.")
    top_two_box: CodedShare | None = strawberry.field(description="Share of the two best values.")
    yes_share: CodedShare | None = strawberry.field(description="Share of 'yes' answers.")
    nps: int | None = strawberry.field(description="Net Promoter Score, −100…100.")

    @classmethod
    def from_entry(cls, dimensions: tuple[shapes.Dimension, ...], entry: PublishedEntry) -> BreakdownCell:
        """The GraphQL view of a published entry."""
        chosen = dict(zip(dimensions, entry.levels, strict=True))
        open_levels = sum(level is None for level in entry.levels)
        kind = (BreakdownCellKind.TOTAL if open_levels == len(entry.levels) else
                BreakdownCellKind.MARGIN if open_levels else BreakdownCellKind.CELL)
        v = entry.values
        return cls(kind=kind, age_band=chosen.get(shapes.Dimension.AGE_BAND),
                   region=chosen.get(shapes.Dimension.REGION), language=chosen.get(shapes.Dimension.LANGUAGE),
                   gender=chosen.get(shapes.Dimension.GENDER), suppressed=entry.suppressed,
                   count=None if v is None else v.count,
                   mean=None if v is None or v.mean is None else float(v.mean),
                   top_two_box=None if v is None else _share(v.top_two_box),
                   yes_share=None if v is None else _share(v.yes_share), nps=None if v is None else v.nps)


def _share(share: disclosure.PublishedShare | None) -> CodedShare | None:
    return None if share is None else CodedShare(percent=share.percent, coding=share.coding)


@strawberry.type(description="The services a breakdown covered.")
class BreakdownScope:
    kind: shapes.ScopeKind = strawberry.field(description="The kind of scope.")
    id: str | None = strawberry.field(description="The normalised id; null for NATION.")
    service_count: int = strawberry.field(description="Registered services in the scope.")


@strawberry.type(description="A protected breakdown: every published cell and margin rests on at least `threshold` "
                             "respondents, no suppressed entry can be derived from the rest, values carry "
                             "consistent noise (and DP noise in DIFFERENTIAL_PRIVACY mode) and are rounded.")
class Breakdown:
    scope: BreakdownScope = strawberry.field(description="The services covered.")
    question_id: strawberry.ID = strawberry.field(description="The question.")
    wording_version: int = strawberry.field(description="The wording version the answers were collected under.")
    scale: ScaleType = strawberry.field(description="The question's scale.")  # type: ignore[valid-type]
    period_from: str = strawberry.field(name="from", description="First quarter or year.")
    period_to: str = strawberry.field(name="to", description="Last quarter or year.")
    quarters: list[str] = strawberry.field(description="Every quarter of the period.")
    quarters_with_answers: list[str] = strawberry.field(description="The quarters holding answers in the scope; a "
                                                        "period suppresses what any of these suppresses.")
    by: list[shapes.Dimension] = strawberry.field(description="The dimensions, in canonical order.")
    metrics: list[disclosure.Metric] = strawberry.field(description="The metrics published.")
    mode: shapes.PrivacyMode = strawberry.field(description="How the answer was noised.")
    epsilon: float | None = strawberry.field(description="The epsilon of a DIFFERENTIAL_PRIVACY answer.")
    cost: float = strawberry.field(description="Epsilon debited for this answer (0 when answered from the cache "
                                               "or in DISCLOSURE_CONTROL mode).")
    cached: bool = strawberry.field(description="Whether this is the answer already released for the identical "
                                                "request (no cost).")
    threshold: int = strawberry.field(description="Fewest respondents a published entry rests on.")
    cells: list[BreakdownCell] = strawberry.field(description="Cells, then margins, then the total.")

    @classmethod
    def from_result(cls, result: BreakdownResult) -> Breakdown:
        """The GraphQL view of a domain result."""
        request, answer = result.request, result.answer
        return cls(
            scope=BreakdownScope(kind=request.scope.kind, id=request.scope.id,
                                 service_count=result.scope.service_count),
            question_id=strawberry.ID(result.question.id), wording_version=result.question.wording_version,
            scale=result.question.scale, period_from=request.period.first, period_to=request.period.last,
            quarters=list(request.period.quarters), quarters_with_answers=list(answer.quarters_with_answers),
            by=list(request.dimensions), metrics=sorted(request.metrics, key=lambda m: m.value), mode=request.mode,
            epsilon=None if request.epsilon is None else float(request.epsilon), cost=float(result.cost),
            cached=result.cached, threshold=result.threshold,
            cells=[BreakdownCell.from_entry(request.dimensions, entry) for entry in answer.entries])


@strawberry.type(description="A differential-privacy budget in epsilon: yours and the one all researchers share.")
class ResearchBudget:
    ledger: str = strawberry.field(description="The ledger's name: researcher:<registered researcher's key>, "
                                               "organisation:<business ID>, or global.")
    cap: float = strawberry.field(description="The most that may be spent.")
    spent: float = strawberry.field(description="What has been spent.")
    remaining: float = strawberry.field(description="What can still be spent.")
    global_remaining: float | None = strawberry.field(description="What all researchers together can still spend "
                                                      "(null on the global ledger itself).")

    @classmethod
    def from_balance(cls, own: Balance, shared: Balance | None) -> ResearchBudget:
        """The GraphQL view of a ledger balance."""
        return cls(ledger=own.ledger, cap=float(own.cap), spent=float(own.spent), remaining=float(own.remaining),
                   global_remaining=None if shared is None else float(shared.remaining))


@strawberry.input(description="A new budget cap for one registered researcher or for all researchers together.")
class SetResearchBudgetInput:
    researcher_label: str | None = strawberry.field(default=None, description="The registered researcher's name "
                                                    "(normalised: case and spacing do not matter); null sets the "
                                                    "global cap.")
    organisation_id: str | None = strawberry.field(default=None, description="An organisation's business ID: sets "
                                                   "the cap of its own breakdowns (organisationBreakdown) instead.")
    cap: float = strawberry.field(description="The cap in epsilon (at most six decimals).")


@strawberry.type(description="One audited researcher action: a breakdown (answered or refused) or a budget change.")
class ResearchAuditEvent:
    id: strawberry.ID = strawberry.field(description="The event id (use as `after` to page).")
    at: dt.datetime = strawberry.field(description="When it happened.")
    actor: str = strawberry.field(description="Who: token id and label.")
    action: str = strawberry.field(description="research.breakdown or research.budget.")
    subject: str | None = strawberry.field(description="The scope asked about, or the ledger changed.")
    outcome: str | None = strawberry.field(description="answered or refused (breakdowns).")
    code: str | None = strawberry.field(description="The refusal code, if refused.")
    cost: float | None = strawberry.field(description="Epsilon debited.")
    cached: bool | None = strawberry.field(description="Answered from the cache.")
    request: str = strawberry.field(description="What was asked (breakdowns) or set (budgets), as JSON.")

    @classmethod
    def from_model(cls, row: AuditEvent) -> ResearchAuditEvent:
        """The GraphQL view of an audit event."""
        detail = dict(row.detail or {})
        cost = detail.get("cost")
        return cls(id=strawberry.ID(str(row.id)), at=row.at, actor=row.actor, action=row.action, subject=row.subject,
                   outcome=_text(detail.get("outcome")), code=_text(detail.get("code")),
                   cost=None if cost is None else float(Fraction(str(cost))),
                   cached=cached if isinstance(cached := detail.get("cached"), bool) else None,
                   request=json.dumps(detail.get("request", detail), sort_keys=True))


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@strawberry.type(description="A researcher registered by an admin, with what they spent of their privacy budget.")
class Researcher:
    key: str = strawberry.field(description="The normalised name that tokens, budgets and the audit trail use.")
    name: str = strawberry.field(description="The name as registered.")
    registered_at: dt.datetime = strawberry.field(description="When the researcher was registered.")
    spent: float = strawberry.field(description="Epsilon spent on differentially private answers.")
    cap: float = strawberry.field(description="The researcher's cap in epsilon.")

    @classmethod
    def from_spending(cls, row: Spending) -> Researcher:
        """The GraphQL view of a researcher's spending."""
        return cls(key=row.key, name=row.name, registered_at=row.registered_at, spent=float(row.spent),
                   cap=float(row.cap if row.cap is not None else 0))
