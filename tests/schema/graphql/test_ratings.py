"""submitRatings and scores through the real ASGI app, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import CHANNEL_A, CHANNEL_PHONE, NOW, ORG_A, SERVICE_A, SERVICE_B, Api

SUBMIT = """
mutation($input: SubmitRatingsInput!) {
  submitRatings(input: $input) { accepted duplicates rejected results { index status code message } }
}"""

SCORE = """
query($id: ID!, $q: ID!) { service(id: $id) { id name(locale: SV)
  score(questionId: $q, from: "2026-01-01T00:00:00Z", to: "2026-04-01T00:00:00Z") {
    count mean nps topTwoBox yesShare normalised responseRate published skipped wordingVersion headline
    interval { low high } distribution { value count } } } }"""

PUBLIC = 'query($id: ID!) { publicScore(serviceId: $id) { published count mean stars wordingVersion } }'


def rating(ref: str, value: int | None = 5, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"clientRef": ref, "serviceId": SERVICE_A, "questionId": "national.transaction-smooth",
                            "value": value, "answeredAt": (NOW - dt.timedelta(hours=1)).isoformat()}
    item.update(extra)
    return item


def submit(api: Api, items: list[dict[str, Any]], token: str = "org_a") -> dict[str, Any]:
    body = api.gql(SUBMIT, {"input": {"ratings": items}}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["submitRatings"]
    return result


def score(api: Api, token: str = "org_a", service: str = SERVICE_A,
          question: str = "national.transaction-smooth") -> dict[str, Any]:
    body = api.gql(SCORE, {"id": service, "q": question}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["service"]["score"]
    return result


def test_accepted_batch_is_counted_exactly(api: Api) -> None:
    values = [5, 5, 4, 4, 4, 3, 2, 1, 5, 5]
    result = submit(api, [rating(f"r{i}", v) for i, v in enumerate(values)] + [rating("s1", None, skipped=True)])
    assert (result["accepted"], result["duplicates"], result["rejected"]) == (11, 0, 0)
    got = score(api)
    assert got["count"] == 10 and got["skipped"] == 1 and got["published"] is True
    assert got["mean"] == 3.8
    assert got["topTwoBox"] == 0.7
    assert got["normalised"] == 0.7
    assert got["responseRate"] == 10 / 11
    assert got["distribution"] == [{"value": 1, "count": 1}, {"value": 2, "count": 1}, {"value": 3, "count": 1},
                                   {"value": 4, "count": 3}, {"value": 5, "count": 4}]
    assert got["headline"] == "MEAN" and got["wordingVersion"] == 1
    assert got["interval"]["low"] < 3.8 < got["interval"]["high"]


def test_every_kind_of_bad_item_gets_its_code_and_good_items_stay(api: Api) -> None:
    future = (NOW + dt.timedelta(days=1)).isoformat()
    ancient = (NOW - dt.timedelta(days=800)).isoformat()
    items = [
        rating("ok-1", 4),
        rating("bad-service", 4, serviceId="00000000-0000-0000-0000-000000000000"),
        rating("not-mine", 4, serviceId=SERVICE_B),
        rating("bad-question", 4, questionId="national.nope"),
        rating("range", 6),
        rating("missing", None),
        rating("skip-with-value", 3, skipped=True),
        rating("future", 4, answeredAt=future),
        rating("old", 4, answeredAt=ancient),
        rating("naive", 4, answeredAt="2026-03-16T10:00:00"),
        rating("channel", 4, channelId="11111111-1111-1111-1111-111111111111"),
        rating("locale", 4, locale="de"),
        rating("driver", 4, followUp={"drivers": ["speed"]}),
        rating("", 4),
        rating("ok-1", 5),
        rating("ok-2", 3, channelId=CHANNEL_A.upper(), locale="sv", followUp={"drivers": ["ease", "staff"]}),
    ]
    result = submit(api, items)
    codes = [(r["index"], r["status"], r["code"]) for r in result["results"]]
    assert codes == [
        (0, "ACCEPTED", None), (1, "REJECTED", "UNKNOWN_SERVICE"), (2, "REJECTED", "NOT_YOUR_SERVICE"),
        (3, "REJECTED", "UNKNOWN_QUESTION"), (4, "REJECTED", "VALUE_OUT_OF_RANGE"),
        (5, "REJECTED", "VALUE_REQUIRED"), (6, "REJECTED", "VALUE_WITH_SKIP"),
        (7, "REJECTED", "TIMESTAMP_IN_FUTURE"), (8, "REJECTED", "TIMESTAMP_TOO_OLD"),
        (9, "REJECTED", "TIMESTAMP_WITHOUT_TIMEZONE"), (10, "REJECTED", "UNKNOWN_CHANNEL"),
        (11, "REJECTED", "UNSUPPORTED_LOCALE"), (12, "REJECTED", "UNKNOWN_DRIVER"),
        (13, "REJECTED", "INVALID_CLIENT_REF"), (14, "DUPLICATE", "DUPLICATE_IN_BATCH"), (15, "ACCEPTED", None),
    ]
    assert (result["accepted"], result["duplicates"], result["rejected"]) == (2, 1, 13)
    messages = {r["code"]: r["message"] for r in result["results"] if r["code"]}
    assert messages["VALUE_OUT_OF_RANGE"] == ("value 6 is outside the STARS_5 scale of question "
                                              "'national.transaction-smooth'; send a whole number in 1–5.")
    assert "register" in messages["NOT_YOUR_SERVICE"]
    assert score(api, token="admin")["count"] == 2


def test_resend_is_duplicate_and_never_counted_twice(api: Api) -> None:
    batch = [rating(f"r{i}", 4) for i in range(12)]
    assert submit(api, batch)["accepted"] == 12
    again = submit(api, batch)
    assert (again["accepted"], again["duplicates"]) == (0, 12)
    assert {r["code"] for r in again["results"]} == {"ALREADY_RECEIVED"}
    assert score(api)["count"] == 12


def test_client_ref_is_per_organisation(api: Api) -> None:
    assert submit(api, [rating("shared-ref", 4)])["accepted"] == 1
    other = submit(api, [rating("shared-ref", 4, serviceId=SERVICE_B)], token="org_b")
    assert other["accepted"] == 1


def test_nps_channel_score(api: Api) -> None:
    values = [10, 10, 9, 9, 9, 9, 8, 7, 3, 0]
    submit(api, [rating(f"n{i}", v, questionId="national.nps", channelId=CHANNEL_PHONE)
                 for i, v in enumerate(values)])
    got = score(api, question="national.nps")
    assert got["nps"] == 40.0 and got["headline"] == "NPS" and got["count"] == 10
    assert got["interval"]["low"] < 40 < got["interval"]["high"]


def test_unpublished_score_is_hidden_from_others_but_not_from_the_owner(api: Api) -> None:
    submit(api, [rating(f"r{i}", 2) for i in range(9)])
    mine = score(api, token="org_a")
    assert (mine["published"], mine["count"], mine["mean"]) == (False, 9, 2.0)
    theirs = score(api, token="org_b")
    assert theirs["published"] is False
    assert all(theirs[k] is None for k in ("count", "mean", "interval", "distribution", "topTwoBox"))
    assert score(api, token="publisher")["count"] is None
    assert score(api, token="admin")["count"] == 9
    public = api.gql(PUBLIC, {"id": SERVICE_A})["data"]["publicScore"]
    assert public == {"published": False, "count": None, "mean": None, "stars": None, "wordingVersion": 1}


def test_public_score_is_published_at_the_threshold_and_follows_ingest(api: Api) -> None:
    submit(api, [rating(f"r{i}", 4) for i in range(9)])
    assert api.gql(PUBLIC, {"id": SERVICE_A})["data"]["publicScore"]["published"] is False
    submit(api, [rating("r9", 5)])
    public = api.gql(PUBLIC, {"id": SERVICE_A.upper()})["data"]["publicScore"]
    assert public == {"published": True, "count": 10, "mean": 4.1, "stars": 4.1, "wordingVersion": 1}


def test_score_needs_a_token(api: Api) -> None:
    body = api.gql(SCORE, {"id": SERVICE_A, "q": "national.transaction-smooth"})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_submit_needs_an_organisation_token(api: Api) -> None:
    for token, code in ((None, "UNAUTHENTICATED"), ("publisher", "FORBIDDEN"), ("admin", "FORBIDDEN")):
        body = api.gql(SUBMIT, {"input": {"ratings": [rating("x", 4)]}}, token=token)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code
    bad = api.gql(SUBMIT, {"input": {"ratings": [rating("x", 4)]}}, token="arvio_forged", expect_status=401)
    assert bad["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_batch_over_the_limit_is_refused_whole(api: Api) -> None:
    body = api.gql(SUBMIT, {"input": {"ratings": [rating(f"r{i}", 4) for i in range(1001)]}}, token="org_a")
    assert body["errors"][0]["extensions"]["code"] == "BATCH_TOO_LARGE"
    assert score(api, token="admin")["count"] == 0


def test_a_type_error_names_the_item_and_stores_nothing(api: Api) -> None:
    body = api.gql(SUBMIT, {"input": {"ratings": [rating("a", 4), rating("b", "five")]}}, token="org_a")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "ratings[1].value" in body["errors"][0]["message"]
    assert score(api, token="admin")["count"] == 0


def test_scores_by_window_and_last_days(api: Api) -> None:
    submit(api, [rating("old", 1, answeredAt="2026-01-10T08:30:00+02:00"),
                 rating("new", 5, answeredAt="2026-03-15T08:30:00Z")])
    query = """query($id: ID!) { service(id: $id) {
      jan: score(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { count mean }
      recent: score(lastDays: 7) { count mean } } }"""
    got = api.gql(query, {"id": SERVICE_A}, token="org_a")["data"]["service"]
    assert got == {"jan": {"count": 1, "mean": 1.0}, "recent": {"count": 1, "mean": 5.0}}
    bad = api.gql('query($id: ID!) { service(id: $id) { score(lastDays: 7, from: "2026-01-01T00:00:00Z") '
                  '{ count } } }', {"id": SERVICE_A}, token="org_a")
    assert bad["errors"][0]["extensions"]["code"] == "AMBIGUOUS_WINDOW"


def test_service_lookup_and_names(api: Api) -> None:
    query = """query($id: ID!) { service(id: $id) { id fi: name sv: name(locale: SV) en: name(locale: EN)
      organisations channels { id channelType name } } }"""
    got = api.gql(query, {"id": SERVICE_A})["data"]["service"]
    assert got["fi"] == "Kirjastokortti" and got["sv"] == "Bibliotekskort" and got["en"] == "Library card"
    assert got["organisations"] == [ORG_A]
    assert [c["channelType"] for c in got["channels"]] == ["ECHANNEL", "PHONE"]
    assert api.gql(query, {"id": "00000000-0000-0000-0000-000000000000"})["data"]["service"] is None


def test_listing_services_loads_relations_in_batches(api: Api) -> None:
    from sqlalchemy import event

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(api.database.engine, "before_cursor_execute", count)
    try:
        body = api.gql("{ services(first: 10) { id organisations channels { id } } }")
    finally:
        event.remove(api.database.engine, "before_cursor_execute", count)
    assert [s["organisations"] for s in body["data"]["services"]] == [[ORG_A], ["1000002-0"]]
    assert [len(s["channels"]) for s in body["data"]["services"]] == [2, 0]
    assert len([s for s in statements if "FROM service_channel" in s]) == 1
    assert len([s for s in statements if "FROM service_organisation" in s]) == 1


def test_organisations_are_listed_by_business_id_in_pages(api: Api) -> None:
    everyone = api.gql("{ organisations { businessId name(locale: EN) } }")["data"]["organisations"]
    ids = [o["businessId"] for o in everyone]
    assert ids == sorted(ids) and {ORG_A, "1000002-0"} <= set(ids) and all(o["name"] for o in everyone)
    first = api.gql("{ organisations(first: 1) { businessId } }")["data"]["organisations"]
    rest = api.gql("query($after: String) { organisations(after: $after) { businessId } }",
                   {"after": first[0]["businessId"]})["data"]["organisations"]
    assert [o["businessId"] for o in first + rest] == ids
    for bad, code in (("first: 0", "PAGE_TOO_LARGE"), ("first: 501", "PAGE_TOO_LARGE"),
                      (f'after: "{"9" * 65}"', "INVALID_CURSOR"), ('after: "1 OR 1=1"', "INVALID_CURSOR"),
                      ('after: ""', "INVALID_CURSOR")):
        errors = api.gql(f"{{ organisations({bad}) {{ businessId }} }}")["errors"]
        assert errors[0]["extensions"]["code"] == code, bad


def test_public_score_as_plain_json(api: Api) -> None:
    submit(api, [rating(f"p{i}", 4 + i % 2) for i in range(10)])
    first = api.client.get("/public/score", params={"service": SERVICE_A.upper()})
    assert first.status_code == 200 and first.headers["cache-control"] == "public, max-age=60"
    assert first.json() == {"serviceId": SERVICE_A, "questionId": "national.transaction-smooth", "scale": "STARS_5",
                            "published": True, "count": 10, "mean": 4.5, "stars": 4.5, "nps": None, "npsBand": None,
                            "yesShare": None,
                            "wordingVersion": 1}
    assert api.client.get("/public/score", params={"service": SERVICE_A}).json() == first.json()  # cached
    submit(api, [rating("p10", 1)])  # ingest invalidates the cache
    assert api.client.get("/public/score", params={"service": SERVICE_A}).json()["count"] == 11
    missing = api.client.get("/public/score", params={"service": "00000000-0000-0000-0000-000000000000"})
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["extensions"]["code"] == "UNKNOWN_SERVICE"
