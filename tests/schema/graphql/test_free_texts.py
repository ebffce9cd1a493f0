"""Free text: scrubbed and sealed at ingest, readable only by its organisation, key rotation, retention purge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update

from federation.privacy.free_text import purge_free_texts, read_free_texts
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import FollowUp, RatingSubmission
from federation.ratings.ingest import submit_ratings
from federation.ratings.models import Rating
from pseudonymize.keys import KeyRing
from tests.conftest import NOW, ORG_A, ORG_B, SERVICE_A, SERVICE_B, TEST_KEY, Api
from tests.schema.graphql.test_ratings import rating, submit

TEXTS = """query($first: Int!, $after: ID) { freeTexts(first: $first, after: $after,
  from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z") {
  items { cursor serviceId questionId value drivers text readable locale } endCursor hasMore } }"""
ATTACH = """mutation($input: AttachFollowUpInput!) { attachFollowUp(input: $input) { status code message } }"""
IDENTIFIERS = "Soittakaa 040 123 4567, hetu 131052-308T, maija.meikalainen@example.fi, FI21 1234 5600 0007 85"


def texts(api: Api, token: str = "org_a", first: int = 10, after: str | None = None) -> dict[str, Any]:
    body = api.gql(TEXTS, {"first": first, "after": after}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["freeTexts"]
    return result


def test_free_text_is_scrubbed_sealed_and_read_back_by_its_organisation(api: Api) -> None:
    submit(api, [rating("r1", 2, followUp={"drivers": ["staff"], "text": IDENTIFIERS}, locale="fi"),
                 rating("r2", 5, followUp={"drivers": ["ease"], "text": "Kiitos, sujui hyvin!"}),
                 rating("r3", 4)])
    with api.database.transaction(write=False) as session:
        blobs = session.scalars(select(Rating.free_text).where(Rating.free_text.is_not(None))).all()
    assert len(blobs) == 2
    for raw in (b"040", b"131052", b"maija", b"FI21", b"Kiitos"):
        assert all(raw not in blob for blob in blobs)
    page = texts(api)
    assert [item["text"] for item in page["items"]] == [
        "Soittakaa [PHONE], hetu [HETU], [EMAIL], [IBAN]", "Kiitos, sujui hyvin!"]
    assert page["items"][0] | {"cursor": None, "text": None} == {
        "cursor": None, "serviceId": SERVICE_A, "questionId": "national.transaction-smooth", "value": 2,
        "drivers": ["staff"], "text": None, "readable": True, "locale": "fi"}
    assert page["hasMore"] is False


def test_texts_are_paged(api: Api) -> None:
    submit(api, [rating(f"r{i}", 3, followUp={"text": f"palaute {i}"}) for i in range(5)])
    first = texts(api, first=2)
    second = texts(api, first=2, after=first["endCursor"])
    third = texts(api, first=2, after=second["endCursor"])
    seen = [i["text"] for page in (first, second, third) for i in page["items"]]
    assert seen == [f"palaute {i}" for i in range(5)]
    assert (first["hasMore"], third["hasMore"]) == (True, False)


def test_only_the_owning_organisation_reads_its_texts(api: Api) -> None:
    submit(api, [rating("a", 1, followUp={"text": "salainen"})])
    submit(api, [rating("b", 1, serviceId=SERVICE_B, followUp={"text": "toinen"})], token="org_b")
    assert [i["text"] for i in texts(api, token="org_b")["items"]] == ["toinen"]
    for token, expected in (("publisher", "FORBIDDEN"), ("admin", "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        body = api.gql(TEXTS, {"first": 5}, token=token)
        assert body["errors"][0]["extensions"]["code"] == expected


def test_a_blob_moved_to_another_organisation_does_not_open(api: Api) -> None:
    submit(api, [rating("a", 1, followUp={"text": "salainen"})])
    submit(api, [rating("b", 1, serviceId=SERVICE_B, followUp={"text": "toinen"})], token="org_b")
    with api.database.transaction() as session:
        stolen = session.scalar(select(Rating.free_text).where(Rating.organisation_id == ORG_A))
        session.execute(update(Rating).where(Rating.organisation_id == ORG_B).values(free_text=stolen))
    assert texts(api, token="org_b")["items"][0] | {"cursor": None} == {
        "cursor": None, "serviceId": SERVICE_B, "questionId": "national.transaction-smooth", "value": 1,
        "drivers": [], "text": None, "readable": False, "locale": None}


def test_key_rotation_keeps_old_texts_readable_until_the_old_key_is_destroyed(api: Api) -> None:
    old_ring = KeyRing((TEST_KEY,))
    new_ring = old_ring.with_new_key(bytes(range(40, 72)))
    item = RatingSubmission(client_ref="old", service_id=SERVICE_A, question_id="national.transaction-smooth",
                            answered_at=NOW - dt.timedelta(hours=2), value=3, follow_up=FollowUp((), "vanha"))
    with api.database.transaction() as session:
        submit_ratings(session, ORG_A, [item], now=NOW, protector=PrivacyProtector(old_ring))
        newer = RatingSubmission(client_ref="new", service_id=SERVICE_A, question_id=item.question_id,
                                 answered_at=NOW - dt.timedelta(hours=1), value=3, follow_up=FollowUp((), "uusi"))
        submit_ratings(session, ORG_A, [newer], now=NOW, protector=PrivacyProtector(new_ring))

    def read(ring: KeyRing) -> list[tuple[str | None, bool]]:
        with api.database.transaction() as session:
            entries = read_free_texts(session, ORG_A, ring, start=NOW - dt.timedelta(days=1), end=NOW)
        return [(e.text, e.readable) for e in entries]

    assert read(new_ring) == [("vanha", True), ("uusi", True)]
    assert read(new_ring.without(1)) == [(None, False), ("uusi", True)]


def test_retention_purges_old_texts_and_keeps_the_answers(api: Api) -> None:
    submit(api, [rating("old", 2, followUp={"text": "vanha", "drivers": ["ease"]},
                        answeredAt=(NOW - dt.timedelta(days=100)).isoformat()),
                 rating("new", 2, followUp={"text": "uusi"})])
    with api.database.transaction() as session:
        assert purge_free_texts(session, before=NOW - dt.timedelta(days=30)) == 1
    with api.database.transaction(write=False) as session:
        rows = session.execute(select(Rating.client_ref, Rating.free_text.is_(None), Rating.drivers)
                               .order_by(Rating.client_ref)).all()
    assert [tuple(r) for r in rows] == [("new", False, None), ("old", True, "ease")]


def test_an_organisation_attaches_a_follow_up_later(api: Api) -> None:
    submit(api, [rating("late", 3), rating("skip", None, skipped=True)])
    attached = api.gql(ATTACH, {"input": {"clientRef": "late", "drivers": ["language"], "text": "selkokieltä"}},
                       token="org_a")["data"]["attachFollowUp"]
    assert attached == {"status": "ACCEPTED", "code": None, "message": None}
    again = api.gql(ATTACH, {"input": {"clientRef": "late", "drivers": ["ease"]}}, token="org_a")
    assert again["data"]["attachFollowUp"]["code"] == "FOLLOW_UP_ALREADY_RECEIVED"
    results = {ref: api.gql(ATTACH, {"input": {"clientRef": ref, "drivers": drivers}},
                            token="org_a")["data"]["attachFollowUp"]["code"]
               for ref, drivers in (("skip", ["ease"]), ("missing", ["ease"]))}
    assert results == {"skip": "FOLLOW_UP_AFTER_SKIP", "missing": "FOLLOW_UP_WITHOUT_ANSWER"}
    other = api.gql(ATTACH, {"input": {"clientRef": "late", "drivers": ["ease"]}}, token="org_b")
    assert other["data"]["attachFollowUp"]["code"] == "FOLLOW_UP_WITHOUT_ANSWER"
    bad = api.gql(ATTACH, {"input": {"clientRef": "x", "drivers": ["speed"]}}, token="org_a")
    assert bad["data"]["attachFollowUp"]["code"] == "FOLLOW_UP_WITHOUT_ANSWER"
    assert [i["text"] for i in texts(api)["items"]] == ["selkokieltä"]


def test_every_read_of_free_texts_is_audited(api: Api) -> None:
    from federation.audit.models import AuditEvent

    submit(api, [rating(f"a{i}", 3, followUp={"text": f"palaute {i}"}) for i in range(3)])
    texts(api, first=2)
    texts(api, first=10)
    with api.database.transaction(write=False) as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "free_text.read")
                                .order_by(AuditEvent.id)).all()
    assert [(e.subject, e.detail["count"]) for e in reads] == [(ORG_A, 2), (ORG_A, 3)]
    assert all(e.actor.startswith("token:") for e in reads)
