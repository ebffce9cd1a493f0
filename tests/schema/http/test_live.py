"""The service over real HTTP (uvicorn on loopback): push a batch, read the public score."""

from __future__ import annotations

import datetime as dt

import httpx

from tests.conftest import NOW, SERVICE_A, Api
from tests.live import serve


def test_push_and_read_over_real_http(api: Api) -> None:
    app = api.client.app
    items = [{"clientRef": f"live-{i}", "serviceId": SERVICE_A, "questionId": "national.transaction-smooth",
              "value": 4 + i % 2, "answeredAt": (NOW - dt.timedelta(minutes=5 + i)).isoformat()} for i in range(12)]
    mutation = ("mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) "
                "{ accepted duplicates rejected } }")
    with serve(app) as base, httpx.Client(base_url=base, timeout=10) as http:  # type: ignore[arg-type]
        pushed = http.post("/graphql", json={"query": mutation, "variables": {"input": {"ratings": items}}},
                           headers={"Authorization": f"Bearer {api.tokens['org_a']}"})
        assert pushed.json() == {"data": {"submitRatings": {"accepted": 12, "duplicates": 0, "rejected": 0}}}
        public = http.post("/graphql", json={"query": '{ publicScore(serviceId: "%s") { published count mean '
                                                      'stars } }' % SERVICE_A})
        assert public.json() == {"data": {"publicScore": {"published": True, "count": 12, "mean": 4.5,
                                                          "stars": 4.5}}}
        assert http.get("/healthz").json()["status"] == "ok"
