"""Reading what a breakdown needs: the question, the scope's services and the demographic cube (one grouped query).

The cube is read grouped by service, quarter and the requested attributes only, so the rows read are bounded by
services × quarters × cells — never by the number of ratings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from federation.battery.models import Question
from federation.battery.scales import Scale
from federation.errors import DomainError, ResearchCode
from federation.privacy.models import NOT_GIVEN, DemographicCell
from federation.registry.models import Organisation, Service, ServiceOrganisation
from federation.registry.service import normalise_business_id, normalise_guid
from federation.research.shapes import BreakdownRefusal, Dimension, ResearchPolicy, Scope, ScopeKind
from federation.rollups.slots import slot_sums
from pseudonymize.generalise import AGE_BANDS_10, GENDER_GROUPS, LANGUAGE_GROUPS, age_band_10, region_names

NOT_GIVEN_LEVEL = "not-given"
"""The level of answers that did not give the attribute (the cube's ``""``)."""


@cache
def levels(dimension: Dimension) -> tuple[str, ...]:
    """Every level of a dimension in publication order, ``not-given`` last."""
    if dimension is Dimension.AGE_BAND:
        return (*AGE_BANDS_10, NOT_GIVEN_LEVEL)
    if dimension is Dimension.REGION:
        return (*sorted(region_names()), NOT_GIVEN_LEVEL)
    if dimension is Dimension.LANGUAGE:
        return (*LANGUAGE_GROUPS, NOT_GIVEN_LEVEL)
    return (*GENDER_GROUPS, NOT_GIVEN_LEVEL)


def level_of(dimension: Dimension, stored: str) -> str:
    """The published level of a cube value (5-year age bands become 10-year bands)."""
    if stored == NOT_GIVEN:
        return NOT_GIVEN_LEVEL
    return age_band_10(stored) if dimension is Dimension.AGE_BAND else stored


@dataclass(frozen=True)
class QuestionInfo:
    """The question of a breakdown: its scale and the wording version asked for (default: the current one)."""

    id: str
    scale: Scale
    wording_version: int


@dataclass(frozen=True)
class ScopeInfo:
    """The services of a scope: how many are registered, a filter selecting them in the cube, and the scopes a
    researcher can ask for that lie strictly inside it (their service sets), which must not difference it."""

    scope: Scope
    service_count: int
    service_filter: ColumnElement[bool] | None
    subgroups: tuple[frozenset[str], ...] = ()
    members: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CubeRow:
    """One cube cell: answers of one service in one quarter per value, with its published levels (one per requested
    dimension) and its stored attributes (age band, region, language, gender — what makes it a distinct cell)."""

    service_id: str
    quarter: str
    levels: tuple[str, ...]
    slots: tuple[int, ...]
    attributes: tuple[str, ...] = ()


def resolve_question(session: Session, question_id: str, wording_version: int | None,
                     policy: ResearchPolicy) -> QuestionInfo:
    """The national question asked about; refuses unknown and organisation-owned questions and unknown wordings."""
    question = session.get(Question, question_id)
    if question is None or question.owner_organisation_id is not None:
        named = question_id if question is not None else "the questionId"
        raise BreakdownRefusal(ResearchCode.QUESTION_NOT_ALLOWED, f"{named} is not a question of the national battery. "
                                                                  f"{policy.allowed()}")
    version = question.current_version if wording_version is None else wording_version
    if not 1 <= version <= question.current_version:
        raise BreakdownRefusal(ResearchCode.QUESTION_NOT_ALLOWED, f"{question_id} has wording versions 1–"
                                                                  f"{question.current_version}; ask for one of them.")
    return QuestionInfo(question.id, question.scale, version)


def resolve_scope(session: Session, scope: Scope, policy: ResearchPolicy) -> ScopeInfo:
    """The scope's services (refusing unknown ids and empty groups), with the scope id normalised."""
    try:
        scope, selection = _selection(scope)
    except (ValueError, DomainError):
        raise BreakdownRefusal(ResearchCode.UNKNOWN_SCOPE,
                               f"the scope id is not a valid {scope.kind.value.lower()} id. "
                               f"{policy.allowed()}") from None
    if scope.kind is ScopeKind.ORGANISATION and session.get(Organisation, scope.id) is None:
        selection = None
    count = 0 if selection is None else session.scalar(select(func.count()).select_from(selection.subquery())) or 0
    if selection is None or count == 0:
        raise BreakdownRefusal(ResearchCode.UNKNOWN_SCOPE, f"no registered service belongs to {_named(scope)}. "
                                                           f"{policy.allowed()}")
    column = DemographicCell.service_id
    service_filter = None if scope.kind is ScopeKind.NATION else column.in_(selection.scalar_subquery())
    members = frozenset(session.scalars(selection))
    return ScopeInfo(scope, count, service_filter, _subgroups(session, members), members)


def _named(scope: Scope) -> str:
    """How a refusal names a scope: a validated id (service GUID, business ID) as it is; a service class, which
    the caller may have typed as anything, not at all."""
    if scope.kind is ScopeKind.SERVICE_CLASS:
        return "the service class asked for"
    return scope.label


def _subgroups(session: Session, members: frozenset[str]) -> tuple[frozenset[str], ...]:
    """Every askable scope strictly inside ``members``: its services, and organisations and service classes
    whose services all lie in it (sorted, so the result does not depend on the database's order)."""
    if len(members) < 2:
        return ()
    groups: dict[str, set[str]] = {}
    for organisation, service in session.execute(select(ServiceOrganisation.organisation_id,
                                                        ServiceOrganisation.service_id)):
        groups.setdefault(f"o:{organisation}", set()).add(service)
    for service, service_class in session.execute(select(Service.id, Service.service_class)
                                                  .where(Service.service_class.is_not(None))):
        groups.setdefault(f"c:{service_class}", set()).add(service)
    found = {frozenset({service}) for service in members}
    found |= {frozenset(group) for group in groups.values() if set(group) < members}
    return tuple(sorted(found, key=sorted))


def _selection(scope: Scope) -> tuple[Scope, Select[Any] | None]:
    if scope.kind is ScopeKind.SERVICE:
        scope = Scope(scope.kind, normalise_guid(scope.id or "", "service"))
        return scope, select(Service.id).where(Service.id == scope.id)
    if scope.kind is ScopeKind.ORGANISATION:
        scope = Scope(scope.kind, normalise_business_id(scope.id or ""))
        return scope, select(ServiceOrganisation.service_id).where(ServiceOrganisation.organisation_id == scope.id)
    if scope.kind is ScopeKind.SERVICE_CLASS:
        return scope, select(Service.id).where(Service.service_class == scope.id)
    return scope, select(Service.id)


def read_rows(session: Session, question: QuestionInfo, scope: ScopeInfo, quarters: Sequence[str],
              dimensions: Sequence[Dimension]) -> list[CubeRow]:
    """The scope's cube cells of the question, wording and quarters (one query).

    Cells are read whole (not summed over unrequested attributes) because consistent noise is keyed by what a
    published entry contains, cell by cell; the rows are still bounded by services × quarters × attribute cells.
    """
    table = DemographicCell.__table__
    attributes = [table.c[d.column] for d in Dimension]
    keys = [table.c.service_id, table.c.quarter, *attributes]
    stmt = (select(*keys, *slot_sums(table))
            .where(table.c.question_id == question.id, table.c.wording_version == question.wording_version,
                   table.c.quarter.in_(list(quarters)))
            .group_by(*keys))
    if scope.service_filter is not None:
        stmt = stmt.where(scope.service_filter)
    position = {d: 2 + i for i, d in enumerate(Dimension)}
    return [CubeRow(row[0], row[1], tuple(level_of(d, row[position[d]]) for d in dimensions),
                    tuple(int(v or 0) for v in row[len(keys):]), tuple(row[2:len(keys)]))
            for row in session.execute(stmt)]
