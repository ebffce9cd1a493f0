"""The demo federation (federation/demo.py) obeys the question sets: every demo answer is taken by its channel's
type, and the demo's kiosk draws only the kiosk questions in the kiosk wording."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from federation.battery.drawing import load_draw_config
from federation.battery.national import RECOMMEND, TRANSACTION_SMOOTH
from federation.db import Database
from federation.demo import SERVICES, demo_ratings, install_demo_registry
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import ItemStatus
from federation.ratings.ingest import IngestPolicy, submit_ratings
from pseudonymize.keys import KeyRing
from tests.conftest import NOW, TEST_KEY


def test_every_demo_answer_is_in_its_channels_set(database: Database) -> None:
    with database.transaction() as session:
        install_demo_registry(session, now=NOW)
    protector = PrivacyProtector(KeyRing((TEST_KEY,)))
    policy = IngestPolicy(max_items=1000, max_answer_age=dt.timedelta(days=366))
    refused: list[str] = []
    total = 0
    for organisation, group in itertools.groupby(demo_ratings(now=NOW, scale=0.05), key=lambda pair: pair[0]):
        items = [item for _, item in group]
        for start in range(0, len(items), 1000):
            with database.transaction() as session:
                batch = submit_ratings(session, organisation, items[start:start + 1000], now=NOW,
                                       protector=protector, policy=policy)
            total += len(batch.results)
            refused += [f"{r.code}: {r.message}" for r in batch.results if r.status is ItemStatus.REJECTED]
    assert total > 1000 and refused == []


def test_the_demo_kiosk_draws_the_kiosk_questions_only(database: Database) -> None:
    with database.transaction() as session:
        install_demo_registry(session, now=NOW)
    library = next(s for s in SERVICES if s.key == "library-card")
    kiosk = next(c for c in library.channels if c.key == "library-kiosk")
    with database.transaction(write=False) as session:
        table = load_draw_config(session, library.id, kiosk.id).table
    rng = random.Random(3)
    drawn = {table.pick(rng).question for _ in range(2000)}
    assert {q.question_id for q in drawn} == {TRANSACTION_SMOOTH, RECOMMEND}
    assert {q.variant for q in drawn} == {"Kiosk.1"}
    assert all("verkko" not in q.wording.fi for q in drawn)
