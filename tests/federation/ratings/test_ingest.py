"""Ingest at the domain level: concurrency, order and batching invariance, rollups equal the microdata."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from federation.battery.scales import Scale
from federation.db import Database
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import RatingSubmission
from federation.ratings.ingest import submit_ratings
from federation.ratings.models import Rating
from federation.rollups.models import RollupHourly
from federation.rollups.slots import answered
from federation.scores.reading import Window, read_score
from federation.scores.stats import Histogram, summarise
from pseudonymize.keys import KeyRing
from tests.conftest import NOW, ORG_A, SERVICE_A, TEST_KEY

PROTECTOR = PrivacyProtector(KeyRing((TEST_KEY,)))
WINDOW = Window(NOW - dt.timedelta(days=30), NOW + dt.timedelta(hours=1))


def item(ref: str, value: int | None, hours_ago: int = 1) -> RatingSubmission:
    return RatingSubmission(ref, SERVICE_A, "national.transaction-smooth", NOW - dt.timedelta(hours=hours_ago),
                            value=value, skipped=value is None)


def registered(database: Database) -> None:
    from federation.registry.service import Names, upsert_organisation, upsert_service

    with database.transaction() as session:
        upsert_organisation(session, ORG_A, Names("A"), now=NOW)
        session.flush()
        upsert_service(session, SERVICE_A, Names("S"), now=NOW, organisation_ids=(ORG_A,))


def test_concurrent_resends_of_one_batch_count_once(database: Database) -> None:
    registered(database)
    batch = [item(f"r{i}", 1 + i % 5, hours_ago=i % 7) for i in range(300)]
    results: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            with database.transaction() as session:
                results.append(submit_ratings(session, ORG_A, batch, now=NOW, protector=PROTECTOR).accepted)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [0, 0, 0, 300]
    with database.transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Rating)) == 300
        total = session.scalar(select(func.sum(answered(RollupHourly.__table__))))
        assert total == 300


values = st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=1, max_size=60)


@given(values=values, cut=st.integers(0, 60), seed=st.randoms(use_true_random=False))
def test_score_does_not_depend_on_order_or_batching(sqlite_template: object, tmp_path_factory: object,
                                                    values: list[int | None], cut: int, seed: object) -> None:
    import random
    import shutil
    from pathlib import Path

    from federation.settings import Settings

    path = Path(tmp_path_factory.mktemp("hyp")) / "a.db"  # type: ignore[attr-defined]
    shutil.copy(sqlite_template, path)  # type: ignore[arg-type]
    database = Database(Settings(database_url=f"sqlite:///{path}", environment="test"))
    registered(database)
    items = [item(f"r{i}", v, hours_ago=i % 50) for i, v in enumerate(values)]
    assert isinstance(seed, random.Random)
    seed.shuffle(items)
    for part in (items[:cut], items[cut:]):
        with database.transaction() as session:
            submit_ratings(session, ORG_A, part, now=NOW, protector=PROTECTOR)
    with database.transaction(write=False) as session:
        got = read_score(session, service_id=SERVICE_A, question_id="national.transaction-smooth",
                         window=WINDOW, publication_threshold=10).stats
    database.dispose()
    answered = [v for v in values if v is not None]
    expected = summarise(Histogram.from_values(Scale.STARS_5, answered, skipped=len(values) - len(answered)))
    assert got == expected
    assert Counter(dict(got.distribution)) == Counter({v: answered.count(v) for v in range(1, 6)})
