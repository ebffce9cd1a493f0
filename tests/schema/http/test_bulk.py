"""NDJSON bulk upload through the real app: chunks, per-line results, idempotent resend, auth."""

from __future__ import annotations

import datetime as dt

import orjson

from tests.conftest import NOW, SERVICE_A, Api
from tests.schema.graphql.test_ratings import score


def line(ref: str, value: int | None = 4, **extra: object) -> bytes:
    item = {"clientRef": ref, "serviceId": SERVICE_A, "questionId": "national.transaction-smooth",
            "value": value, "answeredAt": (NOW - dt.timedelta(hours=2)).isoformat(), **extra}
    return orjson.dumps(item)


def upload(api: Api, body: bytes, token: str | None = "org_a") -> tuple[int, dict[str, object]]:
    headers = {"Content-Type": "application/x-ndjson"}
    if token:
        headers["Authorization"] = f"Bearer {api.tokens.get(token, token)}"
    response = api.client.post("/ingest/ratings", content=body, headers=headers)
    return response.status_code, response.json()


def test_bulk_upload_with_bad_lines(api: Api) -> None:
    lines = [line(f"b{i}", 1 + i % 5) for i in range(2500)]
    lines.insert(10, b"{not json")
    lines.insert(20, orjson.dumps({"clientRef": "x", "serviceId": SERVICE_A}))
    lines.insert(30, line("typed", "five"))  # type: ignore[arg-type]
    lines.insert(40, line("range", 9))
    lines.append(b"")
    status, body = upload(api, b"\n".join(lines))
    assert status == 200
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (2500, 0, 4)
    assert body["problems"] == [
        {"line": 11, "status": "REJECTED", "code": "MALFORMED_ITEM",
         "message": "the line is not valid JSON; write one RatingInput object per line."},
        {"line": 21, "status": "REJECTED", "code": "MALFORMED_ITEM",
         "message": "missing required field(s) questionId, answeredAt."},
        {"line": 31, "status": "REJECTED", "code": "MALFORMED_ITEM",
         "message": "field value has the wrong type; see RatingInput in schema.graphql."},
        {"line": 41, "status": "REJECTED", "code": "VALUE_OUT_OF_RANGE",
         "message": "value 9 is outside the STARS_5 scale of question 'national.transaction-smooth'; "
                    "send a whole number in 1–5."},
    ]
    assert score(api)["count"] == 2500
    status, again = upload(api, b"\n".join(lines))
    assert (again["accepted"], again["duplicates"]) == (0, 2500)
    assert score(api)["count"] == 2500


def test_bulk_upload_needs_an_organisation_token(api: Api) -> None:
    assert upload(api, line("a"), token=None)[0] == 401
    assert upload(api, line("a"), token="arvio_nope")[0] == 401
    status, body = upload(api, line("a"), token="publisher")
    assert status == 403
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_line_over_the_limit_is_rejected_alone_and_never_held_whole(api: Api) -> None:
    from schema.http.bulk import MAX_LINE_BYTES

    huge = b'{"clientRef": "' + b"x" * (MAX_LINE_BYTES * 4) + b'"}'
    body = b"\n\n".join([line("before"), huge, line("after"), b"y" * (MAX_LINE_BYTES + 1)])
    status, result = upload(api, body)
    assert status == 200
    assert (result["accepted"], result["rejected"]) == (2, 2)
    assert [(p["line"], p["code"]) for p in result["problems"]] == [(3, "MALFORMED_ITEM"), (7, "MALFORMED_ITEM")]
    assert "longer than" in result["problems"][0]["message"]
    assert score(api)["count"] == 2
