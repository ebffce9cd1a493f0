"""Which scopes an organisation may break down (federation/research/organisations.py), and its ledger."""

from __future__ import annotations

import pytest

from federation.research.organisations import check_own_scope, organisation_asker, organisation_ledger
from federation.research.shapes import BreakdownRefusal, Scope, ScopeKind
from tests.conftest import ORG_A, ORG_B, SERVICE_A, SERVICE_B, Api


@pytest.mark.parametrize("scope", [Scope(ScopeKind.SERVICE, SERVICE_A), Scope(ScopeKind.SERVICE, SERVICE_A.upper()),
                                   Scope(ScopeKind.ORGANISATION, ORG_A)])
def test_its_own_services_and_itself_are_allowed(api: Api, scope: Scope) -> None:
    with api.database.transaction(write=False) as session:
        check_own_scope(session, scope, ORG_A)


@pytest.mark.parametrize("scope", [Scope(ScopeKind.SERVICE, SERVICE_B), Scope(ScopeKind.ORGANISATION, ORG_B),
                                   Scope(ScopeKind.NATION, None), Scope(ScopeKind.SERVICE_CLASS, "libraries"),
                                   Scope(ScopeKind.SERVICE, "00000000-0000-0000-0000-000000000009"),
                                   Scope(ScopeKind.ORGANISATION, "not a business id")])
def test_anything_else_is_not_its_scope(api: Api, scope: Scope) -> None:
    with api.database.transaction(write=False) as session, pytest.raises(BreakdownRefusal) as refused:
        check_own_scope(session, scope, ORG_A)
    assert refused.value.code == "NOT_YOUR_SCOPE" and refused.value.code.status == 403


def test_an_organisation_has_its_own_ledger() -> None:
    asker = organisation_asker("token:7 (tour)", ORG_A)
    assert asker.ledger == organisation_ledger(ORG_A) == f"organisation:{ORG_A}"
    assert asker.ledger != "researcher:" + ORG_A
