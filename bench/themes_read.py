"""How long one feedback-theme read takes at the ceiling: 20 000 sealed free texts read, decrypted and matched.

Fills a temporary SQLite database through the real ingest path (texts scrubbed and sealed) with texts of the
labelled sample, each made unique by a few random words (so Voikko's cache does not flatter the figure), then times
``read_theme_summary`` (federation/feedback/service.py) over the window, a few rounds: wall-clock time and the
process's CPU time (the wall clock of a shared, busy machine says more about the neighbours).

    .venv/bin/python bench/themes_read.py [--texts 20000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ORG, SERVICE, fresh_database
from bench.themes_quality import SAMPLE, load_sample
from federation.db import utcnow
from federation.feedback.language import theme_matcher
from federation.feedback.service import read_theme_summary
from federation.privacy.protector import PrivacyProtector
from federation.ratings.contract import FollowUp, RatingSubmission
from federation.ratings.ingest import submit_ratings
from pseudonymize.keys import KeyRing

LETTERS = "aeiouyäöklmnprstvhj"


def fill(texts: int) -> tuple[object, KeyRing, dt.datetime]:
    settings, database = fresh_database()
    ring = KeyRing.from_json(settings.master_key or "")
    protector, rng, samples, now = PrivacyProtector(ring), random.Random(3), load_sample(SAMPLE), utcnow()
    for start in range(0, texts, 1000):
        items = []
        for n in range(start, min(start + 1000, texts)):
            sample = samples[n % len(samples)]
            noise = " ".join("".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 9))) for _ in range(3))
            items.append(RatingSubmission(f"t{n}", SERVICE, "national.transaction-smooth",
                                          now - dt.timedelta(minutes=1 + n % 10_000), value=1 + n % 5,
                                          locale=sample.language, follow_up=FollowUp((), f"{sample.text} {noise}")))
        with database.transaction() as session:
            submit_ratings(session, ORG, items, now=now, protector=protector)
    return database, ring, now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    database, ring, now = fill(args.texts)
    seconds, cpu = [], []
    for _ in range(args.rounds):
        theme_matcher.cache_clear()  # a fresh process: Voikko loads and its analyses start uncached
        started, started_cpu = time.perf_counter(), time.process_time()
        with database.session() as session:  # type: ignore[attr-defined]
            read = read_theme_summary(session, ORG, ring, theme_matcher(), start=now - dt.timedelta(days=30),
                                      end=now, threshold=10)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(f"{read.texts_read} texts, min / median / max of {args.rounds} rounds: wall {min(seconds):.2f} / "
          f"{statistics.median(seconds):.2f} / {max(seconds):.2f} s, CPU {min(cpu):.2f} / {statistics.median(cpu):.2f}"
          f" / {max(cpu):.2f} s ({read.texts_read / statistics.median(cpu):,.0f} texts per CPU second)")


if __name__ == "__main__":
    main()
