"""Helpers for analytics tests: rollup rows written directly (simulated volume) and ratings through the API."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import insert

from federation.battery.scales import HISTOGRAM_SLOTS
from federation.db import Database
from federation.demo import demo_ratings, install_demo_registry
from federation.ratings.ingest import IngestPolicy, submit_ratings
from federation.rollups.models import NO_CHANNEL, RollupHourly
from federation.rollups.slots import slot_values
from tests.conftest import Api

SUBMIT = """
mutation($input: SubmitRatingsInput!) {
  submitRatings(input: $input) { accepted duplicates rejected results { index status code message } }
}"""


def rollup_row(service_id: str, hour: dt.datetime, counts: dict[int, int], *, skipped: int = 0,
               question_id: str = "national.transaction-smooth", channel_id: str = NO_CHANNEL,
               wording_version: int = 1) -> dict[str, Any]:
    row: dict[str, Any] = {"service_id": service_id, "channel_id": channel_id, "question_id": question_id,
                           "wording_version": wording_version, "hour": hour, "skipped": skipped, "offered": 0}
    row.update(slot_values([counts.get(value, 0) for value in range(HISTOGRAM_SLOTS)]))
    return row


def put_rollups(database: Database, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rollup rows as they would be after ingest (in chunks)."""
    with database.transaction() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(RollupHourly), list(rows[start:start + 5000]))


def daily_history(service_id: str, *, end: dt.datetime, days: int, per_day: int, shares: Sequence[float],
                  shift_at: int | None = None, shifted: Sequence[float] | None = None,
                  seed: int = 1) -> list[dict[str, Any]]:
    """One rollup row per day at 09:00 UTC (11/12 local) for ``days`` days before ``end``; answers on 1–5 drawn
    with ``shares`` (``shifted`` from day ``shift_at`` on)."""
    rng = random.Random(seed)
    first = (end - dt.timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
    rows = []
    for i in range(days):
        weights = shifted if shifted is not None and shift_at is not None and i >= shift_at else shares
        values = rng.choices(range(1, 6), weights=weights, k=per_day)
        counts = {v: values.count(v) for v in set(values)}
        rows.append(rollup_row(service_id, first + dt.timedelta(days=i), counts))
    return rows


def submit(api: Api, items: Iterable[dict[str, Any]], token: str = "org_a") -> dict[str, Any]:
    body = api.gql(SUBMIT, {"input": {"ratings": list(items)}}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["submitRatings"]
    assert result["rejected"] == 0, result
    return result


def rating(ref: str, service_id: str, value: int | None, at: dt.datetime, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"clientRef": ref, "serviceId": service_id, "questionId": "national.transaction-smooth",
                            "value": value, "answeredAt": at.isoformat()}
    if value is None:
        item["skipped"] = True
    item.update(extra)
    return item


def seed_demo(database: Database, *, now: dt.datetime, scale: float, protector: Any) -> int:
    """The demo federation (registry, change events, ratings over the year before ``now``) through the real ingest
    path, at ``scale`` of its size; returns the ratings stored."""
    with database.transaction() as session:
        install_demo_registry(session, now=now)
    policy = IngestPolicy(max_items=1000, max_answer_age=dt.timedelta(days=366))
    stored = 0
    for organisation, group in itertools.groupby(demo_ratings(now=now, scale=scale), key=lambda pair: pair[0]):
        items = [item for _, item in group]
        for start in range(0, len(items), 1000):
            with database.transaction() as session:
                stored += submit_ratings(session, organisation, items[start:start + 1000], now=now,
                                         protector=protector, policy=policy).accepted
    return stored
