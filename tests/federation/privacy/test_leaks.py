"""No raw identifier, birth year or municipality code reaches the database, a log line or a response body."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from federation.models import Base
from federation.ratings.models import Rating
from tests.conftest import SERVICE_B, Api
from tests.federation.privacy.helpers import INVALID_HETU, PEOPLE
from tests.schema.graphql.test_ratings import SUBMIT, rating

BIRTH_YEARS = (1937, 1961, 1983)
MUNICIPALITIES = ("091", "837", "564")
ERASE = """mutation($input: EraseRespondentInput!) { eraseRespondent(input: $input) { requestId ratingsDeleted } }"""


def forbidden_patterns() -> list[re.Pattern[str]]:
    """Every raw value sent, in every spelling, bounded so that hex digests and dates cannot match by chance."""
    values = [*PEOPLE, INVALID_HETU, *(p.lower() for p in PEOPLE), *(p.replace("-", "") for p in PEOPLE),
              *(str(y) for y in BIRTH_YEARS), *MUNICIPALITIES]
    return [re.compile(rf"(?<![0-9A-Za-z]){re.escape(v)}(?![0-9A-Za-z])") for v in values]


def leaks(text: str) -> list[str]:
    return [p.pattern for p in forbidden_patterns() if p.search(text)]


def stored_leaks(api: Api, find: Callable[[str], list[str]]) -> dict[str, list[str]]:
    """What ``find`` reports in any column of any table (bytes read as Latin-1), by ``table.column``."""
    found: dict[str, list[str]] = {}
    with api.database.transaction(write=False) as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                for column, value in zip(table.columns, row, strict=True):
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    if hits := find(text):
                        found.setdefault(f"{table.name}.{column.name}", []).extend(hits)
    return found


def items() -> list[dict[str, Any]]:
    sent = []
    for i, hetu in enumerate(PEOPLE[:3]):
        demo = {"legalBasis": "PUBLIC_TASK", "personalIdentifier": f" {hetu.lower()} ",
                "birthYear": BIRTH_YEARS[i], "municipalityCode": MUNICIPALITIES[i], "language": "sv",
                "gender": "female"}
        text = f"Tunnukseni on {hetu}, synnyin {BIRTH_YEARS[i]}, soita 040 1234567 tai mail@example.fi"
        sent.append(rating(f"ok{i}", 2 + i, demographics=demo, followUp={"drivers": ["staff"], "text": text}))
    sent.append(rating("bad-hetu", 4, demographics={"legalBasis": "PUBLIC_TASK", "personalIdentifier": INVALID_HETU,
                                                   "birthYear": BIRTH_YEARS[0]}))
    sent.append(rating("bad-year", 4, demographics={"consent": True, "birthYear": 2999,
                                                   "municipalityCode": MUNICIPALITIES[1]}))
    sent.append(rating("no-basis", 4, demographics={"birthYear": BIRTH_YEARS[2], "municipalityCode": "564"}))
    return sent


def test_nothing_raw_is_stored_logged_or_echoed(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    responses = [api.gql(SUBMIT, {"input": {"ratings": items()}}, token="org_a")]
    statuses = [r["status"] for r in responses[0]["data"]["submitRatings"]["results"]]
    assert statuses == ["ACCEPTED"] * 3 + ["REJECTED"] * 3
    responses.append(api.gql(SUBMIT, {"input": {"ratings": [rating(
        "b", 5, serviceId=SERVICE_B, demographics={"legalBasis": "PUBLIC_TASK", "personalIdentifier": PEOPLE[3],
                                                   "birthYear": BIRTH_YEARS[1]})]}}, token="org_b"))
    responses.append(api.gql(ERASE, {"input": {"personalIdentifier": PEOPLE[0]}}, token="org_a"))
    responses.append(api.gql(ERASE, {"input": {"personalIdentifier": INVALID_HETU}}, token="admin"))
    assert responses[2]["data"]["eraseRespondent"]["ratingsDeleted"] == 1
    assert [leaks(repr(r)) for r in responses] == [[], [], [], []]
    assert leaks(caplog.text) == []
    assert [leaks(repr(record.args)) for record in caplog.records if record.args] == [
        [] for record in caplog.records if record.args]
    found = stored_leaks(api, leaks)
    assert found == {}
    with api.database.transaction(write=False) as session:
        stored = {r.client_ref: (r.age_band, r.region, r.language, r.pseudonym is not None)
                  for r in session.scalars(select(Rating))}
    assert stored == {"ok1": ("65-69", "06", "sv", True), "ok2": ("40-44", "17", "sv", True),
                      "b": ("65-69", None, None, True)}
