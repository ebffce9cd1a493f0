"""State shared by app hosts: token buckets in PostgreSQL, score stamps and their announcements, the cache floor."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

import pytest

from federation.db import Database
from federation.scores.cache import ServiceCache
from federation.settings import Settings, SettingsError
from federation.shared import buckets
from federation.shared.stamps import StampListener, bump, parse, version_of
from schema.http.limits import SharedRateLimiter
from tests.conftest import NOW, Api
from tests.schema.widget_support import draw, flush

SERVICE = "2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20"


def _postgres(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("shared buckets and announcements are PostgreSQL's (SQLite is one host)")


def test_take_grants_whole_tokens_up_to_the_lease(database: Database) -> None:
    _postgres(database)
    engine = buckets.autocommit(database.engine)
    first = buckets.take(engine, "ip:192.0.2.1", per_minute=3, lease=2)
    second = buckets.take(engine, "ip:192.0.2.1", per_minute=3, lease=2)
    third = buckets.take(engine, "ip:192.0.2.1", per_minute=3, lease=2)
    assert (first.granted, second.granted) == (2, 1)  # 3 tokens: a lease of 2, then the last whole one
    assert third.granted == 0 and third.left < 1.0
    assert buckets.take(engine, "ip:192.0.2.2", per_minute=3, lease=2).granted == 2  # another key, its own bucket


def test_long_keys_are_hashed_to_a_bounded_width() -> None:
    assert buckets.bucket_key("ip:1") == "ip:1"
    hashed = buckets.bucket_key("x" * 10_000)
    assert hashed.startswith("h:") and len(hashed) <= buckets.MAX_KEY_CHARS
    assert hashed == buckets.bucket_key("x" * 10_000)


def test_two_limiters_share_one_allowance(database: Database) -> None:
    _postgres(database)
    hosts = [SharedRateLimiter(6, database.engine), SharedRateLimiter(6, database.engine)]

    async def spend() -> int:
        return sum([await hosts[i % 2].admit("t:shared") for i in range(40)])

    allowed = asyncio.run(spend())
    # 6 a minute: both hosts together get the 6 tokens (a seventh may have refilled on a slow machine), not 12.
    assert 6 <= allowed <= 7
    assert not asyncio.run(hosts[0].admit("t:shared"))  # a cached denial, then the database's
    assert buckets.prune(buckets.autocommit(database.engine)) == 0  # used just now: nothing is full yet


def test_stamps_count_changes_per_service(database: Database) -> None:
    with database.transaction() as session:
        assert version_of(session, SERVICE) == 0
        assert bump(session, [SERVICE]) == {SERVICE: 1}
    with database.transaction() as session:
        assert bump(session, [SERVICE, SERVICE]) == {SERVICE: 2}
        assert bump(session, []) == {}
    with database.transaction(write=False) as session:
        assert version_of(session, SERVICE) == 2


def test_announcement_payloads() -> None:
    assert parse(f"{SERVICE} 12") == (SERVICE, 12)
    assert parse("nonsense") is None and parse("x y") is None and parse(" 1") is None


def test_the_cache_keeps_no_value_read_below_the_floor() -> None:
    cache: ServiceCache[str] = ServiceCache()
    assert cache.put(SERVICE, "q", "old") and cache.get(SERVICE, "q") == "old"
    cache.invalidate({SERVICE}, version=5)
    assert cache.get(SERVICE, "q") is None and cache.floor(SERVICE) == 5
    assert not cache.put(SERVICE, "q", "lagging", version=4)  # read from a replica that had not replayed v5
    assert not cache.put(SERVICE, "q", "unknown")
    assert cache.put(SERVICE, "q", "fresh", version=5) and cache.get(SERVICE, "q") == "fresh"
    cache.invalidate({SERVICE}, version=3)
    assert cache.floor(SERVICE) == 5  # floors never go back
    cache.clear()
    assert cache.get(SERVICE, "q") is None


def test_commits_are_announced_to_listeners(database: Database) -> None:
    _postgres(database)
    heard: list[tuple[str, int]] = []
    resets = threading.Event()
    listener = StampListener(database.engine, lambda s, v: heard.append((s, v)), resets.set)
    listener.start()
    try:
        assert listener.listening.wait(30) and resets.is_set()
        with database.transaction() as session:
            bump(session, [SERVICE])
            session.rollback()  # a rolled-back change is not announced
        with database.transaction() as session:
            bump(session, [SERVICE])
        deadline = time.monotonic() + 30
        while not heard and time.monotonic() < deadline:
            time.sleep(0.05)
        assert heard == [(SERVICE, 1)]
    finally:
        listener.stop(timeout=30)
    assert not listener.alive


def test_read_replica_setting() -> None:
    assert Settings.from_env({}).read_database_url is None
    url = "postgresql+psycopg://arvio@127.0.0.1:5433/arvio"
    primary = "postgresql+psycopg://arvio@127.0.0.1:5432/arvio"
    assert Settings.from_env({"ARVIO_DATABASE_URL": primary, "ARVIO_READ_DATABASE_URL": url}).read_database_url == url
    with pytest.raises(SettingsError, match="ARVIO_READ_DATABASE_URL"):
        Settings.from_env({"ARVIO_READ_DATABASE_URL": url})  # the primary is SQLite: no replica of it
    with pytest.raises(SettingsError, match="ARVIO_READ_DATABASE_URL"):
        Settings(database_url=primary, read_database_url="sqlite:///replica.db")


def test_without_a_replica_every_session_is_on_the_primary(database: Database) -> None:
    assert not database.has_replica and database.read_engine is database.engine
    with database.transaction(write=False, replica=True) as session:
        assert session.get_bind() is database.engine


def test_stored_answers_bump_the_stamp_and_draws_do_not(api: Api) -> None:
    items = [{"clientRef": "s1", "serviceId": SERVICE, "questionId": "national.transaction-smooth", "value": 4,
              "answeredAt": (NOW - dt.timedelta(hours=1)).isoformat()}]
    body = api.gql("mutation($input: SubmitRatingsInput!) { submitRatings(input: $input) { accepted } }",
                   {"input": {"ratings": items}}, token="org_a")
    assert body == {"data": {"submitRatings": {"accepted": 1}}}
    draw(api)
    assert flush(api) == 1  # the exposure reached the rollups: offered only, no score changed
    with api.database.transaction(write=False) as session:
        assert version_of(session, SERVICE) == 1
