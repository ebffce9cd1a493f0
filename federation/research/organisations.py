"""Organisations' own breakdowns: an ORGANISATION asks disclosure-controlled (or differentially private)
demographic breakdowns of its own services, through the researchers' machinery (``federation/research/service.py``:
the same shapes, threshold, suppression, cell-key noise, budget ledgers, answer cache and audit trail).

Scope: a SERVICE the organisation is registered for, or the ORGANISATION scope with its own business ID (all its
services). Anything else — another organisation's service or business ID, a service class, the nation — is
refused with NOT_YOUR_SCOPE (403) before any data is read, and the refusal is audited like a researcher's.

Budget: each organisation has its own ledger ``organisation:<business id>`` whose default cap is the researchers'
per-person cap (``ARVIO_RESEARCH_BUDGET_EPSILON``, 10 by default), and every differentially private answer is also
debited from the one global ledger that researchers share: the respondents are the same people whoever asks, so
the total privacy loss about them stays bounded by the global cap. An admin changes an organisation's cap with
``setResearchBudget(input: {organisationId, cap})``. Disclosure-control answers cost no budget, as for
researchers.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from federation.errors import DomainError, ResearchCode
from federation.registry.service import normalise_business_id, normalise_guid, organisations_of
from federation.research.service import Researcher
from federation.research.shapes import BreakdownRefusal, Scope, ScopeKind

ORGANISATION_LEDGER_PREFIX = "organisation:"


def organisation_ledger(organisation_id: str) -> str:
    """The budget ledger of an organisation's own breakdowns."""
    return f"{ORGANISATION_LEDGER_PREFIX}{organisation_id}"


def organisation_asker(actor: str, organisation_id: str) -> Researcher:
    """The organisation as the asker of a breakdown: audited under its token's actor, debited from its ledger."""
    return Researcher(actor=actor, label=organisation_id, ledger_name=organisation_ledger(organisation_id))


def check_own_scope(session: Session, scope: Scope, organisation_id: str) -> None:
    """Refuse (NOT_YOUR_SCOPE) a scope that is not one of the organisation's services or the organisation itself."""
    allowed = ("an organisation may break down only its own services: scope SERVICE with the id of a service it "
               "is registered for, or scope ORGANISATION with its own business ID.")
    try:
        own = ((scope.kind is ScopeKind.ORGANISATION and bool(scope.id)
                and normalise_business_id(str(scope.id)) == organisation_id)
               or (scope.kind is ScopeKind.SERVICE and bool(scope.id)
                   and organisation_id in organisations_of(session, normalise_guid(str(scope.id), "Service"))))
    except (ValueError, DomainError):
        raise BreakdownRefusal(ResearchCode.NOT_YOUR_SCOPE, f"the scope id is not a valid id; {allowed}") from None
    if not own:
        raise BreakdownRefusal(ResearchCode.NOT_YOUR_SCOPE, allowed)
