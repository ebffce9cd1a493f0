"""Kept whole-catalogue exports (schema/http/export_cache.py): reused while the answers and volumes are unchanged and
the entry is young, rendered once under concurrent misses, files deleted when dropped; and over HTTP, a new answer
moves the live export at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from exporters.formats import BY_FILE_NAME
from exporters.publications import ExportDataset, Source
from exporters.signing import Digest
from federation.db import Database
from federation.settings import Settings, SettingsError
from schema.http.export_cache import ExportCache
from tests.conftest import CHANNEL_A, SERVICE_A, Api
from tests.exporters.seed import SMOOTH, add_answers, seed_ratings
from tests.schema.publication_support import publication_settings

SOURCE = Source("live", None, None, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
                10, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def writer(body: bytes, calls: list[int] | None = None) -> object:
    def write(out: IO[bytes]) -> Digest:
        if calls is not None:
            calls.append(1)
        digest = Digest()
        for chunk in digest.tee([body[:3], body[3:]]):
            out.write(chunk)
        return digest
    return write


def read(cache: ExportCache, key: str, version: tuple[int, int]) -> bytes | None:
    entry = cache.get(key, version)
    if entry is None:
        return None
    with entry.open() as reader:
        return reader.read()


def test_an_entry_is_reused_until_the_version_changes_or_it_expires() -> None:
    clock = Clock()
    cache = ExportCache(300, clock=clock)
    entry = cache.store("k", (1, 5), SOURCE, writer(b"first body"))  # type: ignore[arg-type]
    assert entry.digest.size == len(b"first body") and entry.source == SOURCE
    assert read(cache, "k", (1, 5)) == b"first body"
    assert read(cache, "k", (1, 6)) is None  # an answer arrived: the entry is gone for good
    assert not entry.path.exists()
    assert read(cache, "k", (1, 5)) is None
    cache.store("k", (1, 6), SOURCE, writer(b"second"))  # type: ignore[arg-type]
    clock.now += 299
    assert read(cache, "k", (1, 6)) == b"second"
    clock.now += 1
    assert read(cache, "k", (1, 6)) is None
    cache.clear()


def test_capacity_drops_the_least_recently_used_and_deletes_its_file() -> None:
    cache = ExportCache(300, capacity=2, clock=Clock())
    first = cache.store("a", (0, 0), SOURCE, writer(b"aaaa"))  # type: ignore[arg-type]
    cache.store("b", (0, 0), SOURCE, writer(b"bbbb"))  # type: ignore[arg-type]
    assert read(cache, "a", (0, 0)) == b"aaaa"  # a is now the most recently used
    cache.store("c", (0, 0), SOURCE, writer(b"cccc"))  # type: ignore[arg-type]
    assert read(cache, "b", (0, 0)) is None
    assert read(cache, "a", (0, 0)) == b"aaaa" and read(cache, "c", (0, 0)) == b"cccc"
    directory = first.path.parent
    assert sorted(p.read_bytes() for p in directory.iterdir()) == [b"aaaa", b"cccc"]
    cache.clear()
    assert not directory.exists()


def test_a_reader_finishes_an_entry_dropped_meanwhile() -> None:
    cache = ExportCache(300, clock=Clock())
    entry = cache.store("k", (0, 0), SOURCE, writer(b"0123456789"))  # type: ignore[arg-type]
    with entry.open() as reader:
        assert reader.read(4) == b"0123"
        cache.store("k", (0, 1), SOURCE, writer(b"new"))  # type: ignore[arg-type]
        assert not entry.path.exists()
        assert reader.read() == b"456789"
    cache.clear()


def test_a_failed_render_leaves_nothing_behind() -> None:
    cache = ExportCache(300, clock=Clock())

    def broken(out: IO[bytes]) -> Digest:
        out.write(b"half")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cache.store("k", (0, 0), SOURCE, broken)
    assert cache.get("k", (0, 0)) is None
    cache.store("other", (0, 0), SOURCE, writer(b"x"))  # type: ignore[arg-type]
    entry = cache.get("other", (0, 0))
    assert entry is not None and [p.name for p in entry.path.parent.iterdir()] == [entry.path.name]
    cache.clear()


def test_concurrent_misses_render_once() -> None:
    cache = ExportCache(300)
    calls: list[int] = []
    slow = writer(b"the body", calls)
    start = threading.Barrier(6)
    bodies: list[bytes | None] = []

    def request() -> None:
        start.wait(timeout=30)
        entry = cache.get("k", (0, 0))
        if entry is None:
            with cache.flight("k"):
                entry = cache.get("k", (0, 0))
                if entry is None:
                    time.sleep(0.05)
                    entry = cache.store("k", (0, 0), SOURCE, slow)  # type: ignore[arg-type]
        with entry.open() as reader:
            bodies.append(reader.read())

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert bodies == [b"the body"] * 6 and len(calls) == 1
    cache.clear()


def test_the_setting_is_bounded() -> None:
    with pytest.raises(SettingsError, match="ARVIO_EXPORT_CACHE_SECONDS"):
        Settings(export_cache_seconds=-1)
    with pytest.raises(SettingsError, match="ARVIO_EXPORT_CACHE_SECONDS"):
        Settings(export_cache_seconds=86_401)
    assert Settings.from_env({"ARVIO_EXPORT_CACHE_SECONDS": "0"}).export_cache_seconds == 0


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the renders of ``scores.json`` (the format's renderer wrapped)."""
    calls: list[str] = []
    chosen = BY_FILE_NAME["scores.json"]

    def counted(dataset: ExportDataset) -> Iterator[bytes]:
        calls.append(dataset.source.label)
        return chosen.render(dataset)

    monkeypatch.setitem(BY_FILE_NAME, "scores.json", dataclasses.replace(chosen, render=counted))
    return calls


@pytest.fixture
def app_settings(database: Database, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    settings = publication_settings(database, tmp_path)
    seconds = getattr(request, "param", None)
    return settings if seconds is None else dataclasses.replace(settings, export_cache_seconds=seconds)


def live(api: Api, **headers: str) -> tuple[int, bytes, str]:
    response = api.client.get("/exports/live/scores.json",
                              headers={"Authorization": f"Bearer {api.tokens['publisher']}", **headers})
    return response.status_code, response.content, response.headers.get("etag", "")


def test_the_live_export_is_kept_until_an_answer_arrives(api: Api, renders: list[str]) -> None:
    seed_ratings(api.database, with_registry=False)
    first = live(api)
    assert first[0] == 200 and live(api) == first and renders == ["live"]
    assert live(api, **{"If-None-Match": first[2]})[0] == 304
    assert api.client.get("/exports/live/scores.json.sig",
                          headers={"Authorization": f"Bearer {api.tokens['publisher']}"}).status_code == 200
    assert renders == ["live"]
    assert api.client.get("/exports/live/scores.json").status_code == 401  # a kept render still needs the token
    with api.database.transaction() as session:
        add_answers(session, SERVICE_A, CHANNEL_A, SMOOTH, [5] * 7, at=api.clock() - dt.timedelta(days=3))
    moved = live(api)
    assert renders == ["live", "live"] and moved[2] != first[2]
    before = json.loads(first[1])["services"][SERVICE_A]["scores"][SMOOTH][0]["count"]
    after = json.loads(moved[1])["services"][SERVICE_A]["scores"][SMOOTH][0]["count"]
    assert after == before + 7


@pytest.mark.parametrize("app_settings", [0], indirect=True)
def test_with_the_cache_off_every_request_renders(api: Api, renders: list[str]) -> None:
    seed_ratings(api.database, with_registry=False)
    assert live(api)[1] == live(api)[1]
    assert renders == ["live", "live"]
