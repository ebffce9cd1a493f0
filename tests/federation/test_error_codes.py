"""The one table of error codes: one enum per area, each code once, with its HTTP status and classification."""

from __future__ import annotations

import pytest

from federation.errors import (
    AREAS,
    CODES,
    AuthCode,
    BatteryCode,
    Classification,
    DomainError,
    ErrorCode,
    Forbidden,
    NotFound,
    RegistryCode,
    RequestCode,
    Unauthenticated,
)
from federation.ratings.citizen import CitizenCode

CLASSIFICATIONS = {Classification.BAD_REQUEST, Classification.BAD_USER_INPUT, Classification.UNAUTHENTICATED,
                   Classification.FORBIDDEN, Classification.RATE_LIMITED, Classification.INTERNAL_SERVER_ERROR}


def test_every_member_is_named_after_its_code_and_carries_a_status_and_classification() -> None:
    for area in AREAS:
        for member in area:
            assert member.name == member.value == str(member) == f"{member}"
            assert 200 <= member.status < 600 and member.classification in CLASSIFICATIONS


def test_no_code_is_in_two_areas_and_the_table_holds_them_all() -> None:
    members = [member for area in AREAS for member in area]
    assert len({m.value for m in members}) == len(members)
    assert set(CODES) == {m.value for m in members}
    assert all(CODES[m.value] is m for m in members)
    assert set(ErrorCode.__subclasses__()) == set(AREAS)


def test_members_are_the_bare_strings_the_api_shows() -> None:
    assert RegistryCode.UNKNOWN_SERVICE == "UNKNOWN_SERVICE"
    assert (RequestCode.RATE_LIMITED.status, RequestCode.RATE_LIMITED.classification) == (429, "RATE_LIMITED")
    assert (RegistryCode.SERVICE_ARCHIVED.status, BatteryCode.DRAW_FORGED.status) == (410, 403)
    assert (BatteryCode.INVALID_WEIGHT.status, BatteryCode.INVALID_WEIGHT.classification) == (400, "BAD_USER_INPUT")


def test_every_code_of_a_widget_outcome_is_in_the_table() -> None:
    assert {c.value for c in CitizenCode} <= set(CODES)


@pytest.mark.parametrize(("error", "code", "classification"), [
    (DomainError(RegistryCode.UNKNOWN_SERVICE, "m"), "UNKNOWN_SERVICE", "BAD_USER_INPUT"),
    (NotFound(RegistryCode.UNKNOWN_SERVICE, "m"), "UNKNOWN_SERVICE", "BAD_USER_INPUT"),
    (Forbidden("m"), "FORBIDDEN", "FORBIDDEN"),
    (Forbidden("m", code=AuthCode.NOT_YOUR_SERVICE), "NOT_YOUR_SERVICE", "FORBIDDEN"),
    # A refusal of who is asking, whatever its code; the same code as a plain refusal keeps the code's own.
    (Forbidden("m", code=BatteryCode.NATIONAL_QUESTION), "NATIONAL_QUESTION", "FORBIDDEN"),
    (DomainError(BatteryCode.NATIONAL_QUESTION, "m"), "NATIONAL_QUESTION", "BAD_USER_INPUT"),
    (Unauthenticated("m"), "UNAUTHENTICATED", "UNAUTHENTICATED"),
])
def test_an_error_is_classified_by_its_code(error: DomainError, code: str, classification: str) -> None:
    assert (error.code, error.classification) == (code, classification)
