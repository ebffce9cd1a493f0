"""eraseRespondent and `arvio erase`: who may erase what, receipts without identifiers, scores corrected."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from federation.audit.models import AuditEvent
from federation.db import Database
from federation.privacy.models import ErasureReceipt
from federation.ratings.models import Rating
from pseudonymize.keys import KeyRing
from schema.cli.main import main
from tests.conftest import NOW, ORG_A, SERVICE_A, SERVICE_B, TEST_KEY, Api
from tests.federation.privacy.helpers import INVALID_HETU, PEOPLE
from tests.schema.graphql.test_ratings import PUBLIC, rating, submit

ERASE = """mutation($input: EraseRespondentInput!) { eraseRespondent(input: $input) {
  requestId erasedAt ratingsDeleted domainsAffected keyVersionsSearched organisationScope serviceScope } }"""
RECEIPT = """query($id: ID!) { erasureReceipt(requestId: $id) { requestId ratingsDeleted } }"""


def person(ref: str, value: int, who: str = PEOPLE[0], **extra: Any) -> dict[str, Any]:
    return rating(ref, value, demographics={"legalBasis": "PUBLIC_TASK", "personalIdentifier": who,
                                            "language": "fi"}, **extra)


def erase(api: Api, identifier: str, token: str, service: str | None = None) -> dict[str, Any]:
    return api.gql(ERASE, {"input": {"personalIdentifier": identifier, "serviceId": service}}, token=token)


def count_ratings(database: Database) -> int:
    with database.transaction(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(Rating)) or 0)


def test_an_organisation_erases_its_own_ratings_of_a_person(api: Api) -> None:
    submit(api, [person(f"p{i}", 5) for i in range(10)] + [rating("other", 1)])
    submit(api, [person("b1", 2, serviceId=SERVICE_B)], token="org_b")
    assert api.gql(PUBLIC, {"id": SERVICE_A})["data"]["publicScore"]["count"] == 11
    body = erase(api, PEOPLE[0].lower(), "org_a")
    assert "errors" not in body, body
    receipt = body["data"]["eraseRespondent"]
    assert {k: v for k, v in receipt.items() if k not in ("requestId", "erasedAt")} == {
        "ratingsDeleted": 10, "domainsAffected": 1, "keyVersionsSearched": [1], "organisationScope": ORG_A,
        "serviceScope": None}
    assert receipt["erasedAt"] == NOW.isoformat()
    # the public score follows at once (cache invalidated); organisation B's rating is not A's to erase
    assert api.gql(PUBLIC, {"id": SERVICE_A})["data"]["publicScore"]["count"] is None
    assert count_ratings(api.database) == 2
    assert api.gql(RECEIPT, {"id": receipt["requestId"]}, token="org_a")["data"]["erasureReceipt"] == {
        "requestId": receipt["requestId"], "ratingsDeleted": 10}
    assert api.gql(RECEIPT, {"id": receipt["requestId"]}, token="org_b")["data"]["erasureReceipt"] is None
    assert api.gql(RECEIPT, {"id": receipt["requestId"]}, token="admin")["data"]["erasureReceipt"] is not None
    with api.database.transaction(write=False) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.erase"))
        assert event is not None and event.subject == receipt["requestId"]
        assert event.detail["ratings_deleted"] == 10
    again = erase(api, PEOPLE[0], "org_a")["data"]["eraseRespondent"]
    assert again["ratingsDeleted"] == 0 and again["requestId"] != receipt["requestId"]


def test_an_admin_erases_across_organisations_or_one_service(api: Api) -> None:
    submit(api, [person("a1", 5), person("a2", 4, who=PEOPLE[1])])
    submit(api, [person("b1", 2, serviceId=SERVICE_B)], token="org_b")
    only_b = erase(api, PEOPLE[0], "admin", service=SERVICE_B.upper())["data"]["eraseRespondent"]
    assert (only_b["ratingsDeleted"], only_b["organisationScope"], only_b["serviceScope"]) == (1, None, SERVICE_B)
    everywhere = erase(api, PEOPLE[0], "admin")["data"]["eraseRespondent"]
    assert everywhere["ratingsDeleted"] == 1
    assert count_ratings(api.database) == 1


@pytest.mark.parametrize(("token", "service", "code"), [
    (None, None, "UNAUTHENTICATED"),
    ("publisher", None, "FORBIDDEN"),
    ("researcher", None, "FORBIDDEN"),
    ("org_a", SERVICE_B, "NOT_YOUR_SERVICE"),
    ("admin", "00000000-0000-0000-0000-000000000000", "UNKNOWN_SERVICE"),
    ("admin", "not-a-guid", "INVALID_ID"),
])
def test_who_may_not_erase(api: Api, token: str | None, service: str | None, code: str) -> None:
    submit(api, [person("a1", 5)])
    body = erase(api, PEOPLE[0], token, service) if token else api.gql(
        ERASE, {"input": {"personalIdentifier": PEOPLE[0], "serviceId": service}})
    assert body["errors"][0]["extensions"]["code"] == code
    assert PEOPLE[0] not in json.dumps(body)
    assert count_ratings(api.database) == 1


def test_an_invalid_identifier_is_refused_without_being_repeated(api: Api) -> None:
    body = erase(api, INVALID_HETU, "admin")
    assert body["errors"][0]["extensions"]["code"] == "INVALID_PERSONAL_IDENTIFIER"
    assert body["errors"][0]["message"] == (
        "personalIdentifier is not a valid Finnish personal identity code (HETU); check the date part, the century "
        "sign and the check character. Nothing was erased.")
    with api.database.transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(ErasureReceipt)) == 0


def test_cli_erase_reads_the_identifier_from_stdin_and_prints_a_receipt(
        api: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    submit(api, [person("a1", 5), person("a2", 4)])
    monkeypatch.setenv("ARVIO_DATABASE_URL", api.database.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("ARVIO_MASTER_KEY", KeyRing((TEST_KEY,)).to_json())
    monkeypatch.setenv("ARVIO_ENV", "test")
    monkeypatch.setattr("sys.stdin", io.StringIO(PEOPLE[0] + "\n"))
    assert main(["erase", "--identifier", "-", "--org", ORG_A]) == 0
    out = capsys.readouterr()
    receipt = json.loads(out.out)
    assert (receipt["ratingsDeleted"], receipt["organisationScope"], receipt["keyVersionsSearched"]) == (2, ORG_A,
                                                                                                          "1")
    assert PEOPLE[0] not in out.out + out.err
    assert count_ratings(api.database) == 0
    assert main(["erase", "--identifier", INVALID_HETU]) == 2
    assert "not a valid Finnish personal identity code" in capsys.readouterr().err
