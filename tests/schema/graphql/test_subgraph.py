"""The federation subgraph at /subgraph: public-only SDL, published figures, batched entity lookups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from federation.db import Database
from federation.settings import Settings
from tests.conftest import CHANNEL_A, SERVICE_A, SERVICE_B, Api
from tests.exporters.seed import PERIOD, SMOOTH, seed_ratings
from tests.federation.publication.test_publication import count_queries
from tests.schema.publication_support import CREATE_DRAFT, PUBLISH, publication_settings

ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Service { id
  ratings { publication { number period from to publicationThreshold }
            scores { questionId wordingVersion count mean stars nps question(locale: EN) }
            channels { channelId channelType scores { questionId count } } }
  liveRatings { publication { number } scores { questionId count } } } } }"""


@pytest.fixture
def app_settings(database: Database, tmp_path: Path) -> Settings:
    return publication_settings(database, tmp_path)


def sub(api: Api, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.client.post("/subgraph", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_sdl_is_a_federation_v2_subgraph_without_private_fields(api: Api) -> None:
    sdl = sub(api, "{ _service { sdl } }")["data"]["_service"]["sdl"]
    assert '@link(url: "https://specs.apollo.dev/federation/v2' in sdl
    assert 'type Service @key(fields: "id")' in sdl
    for private in ("Mutation", "submitRatings", "token", "Token", "freeText", "demographic", "organisations",
                    "skipped", "distribution", "published:", "researcher"):
        assert private not in sdl, private
    assert api.client.post("/subgraph", json={"query": "mutation { x }"}).json()["errors"]


def test_entities_carry_the_published_scores(api: Api) -> None:
    seed_ratings(api.database, with_registry=False)
    before = sub(api, ENTITIES, {"r": [{"__typename": "Service", "id": SERVICE_A}]})
    assert before["data"]["_entities"][0]["ratings"] is None  # nothing published yet
    assert api.gql(CREATE_DRAFT, {"period": PERIOD}, token="admin")["data"]
    assert api.gql(PUBLISH, {"n": 1}, token="admin")["data"]
    body = sub(api, ENTITIES, {"r": [{"__typename": "Service", "id": SERVICE_A},
                                     {"__typename": "Service", "id": SERVICE_B}]})
    assert "errors" not in body, body
    a, b = body["data"]["_entities"]
    assert a["id"] == SERVICE_A
    assert a["ratings"]["publication"] == {"number": 1, "period": "2025-Q4", "from": "2025-10-01T00:00:00+00:00",
                                           "to": "2026-01-01T00:00:00+00:00", "publicationThreshold": 10}
    smooth = next(s for s in a["ratings"]["scores"] if s["questionId"] == SMOOTH)
    assert smooth == {"questionId": SMOOTH, "wordingVersion": 1, "count": 22, "mean": 3.8636, "stars": 3.9,
                      "nps": None, "question": "How did your transaction go?"}
    assert {c["channelId"]: c["channelType"] for c in a["ratings"]["channels"]}[CHANNEL_A] == "EChannel"
    assert a["liveRatings"]["publication"] == {"number": None}
    assert b["ratings"]["scores"] == [] and b["ratings"]["channels"] == []  # 9 answers: not published


def test_entity_lookups_are_batched(api: Api) -> None:
    seed_ratings(api.database, with_registry=False)
    api.gql(CREATE_DRAFT, {"period": PERIOD}, token="admin")
    api.gql(PUBLISH, {"n": 1}, token="admin")

    def selects_for(count: int) -> int:
        ids = [SERVICE_A, SERVICE_B] + [f"00000000-0000-4000-8000-{i:012d}" for i in range(count - 2)]
        with count_queries(api.database) as selects:
            body = sub(api, ENTITIES, {"r": [{"__typename": "Service", "id": i} for i in ids]})
        assert len(body["data"]["_entities"]) == count
        return len(selects)

    few, many = selects_for(2), selects_for(40)
    assert few == many and few <= 16  # per source (publication, live): scores, services, channels, …


def test_rated_service_and_publications(api: Api) -> None:
    seed_ratings(api.database, with_registry=False)
    api.gql(CREATE_DRAFT, {"period": PERIOD}, token="admin")
    assert sub(api, "{ ratingPublications { number } }")["data"]["ratingPublications"] == []
    api.gql(PUBLISH, {"n": 1}, token="admin")
    body = sub(api, f'{{ ratedService(id: "{SERVICE_A}") {{ ratings(number: 1) {{ scores {{ count }} }} }} '
                    "ratingPublications { number period } }")
    assert body["data"]["ratingPublications"] == [{"number": 1, "period": "2025-Q4"}]
    assert [s["count"] for s in body["data"]["ratedService"]["ratings"]["scores"]] == [10, 22]
