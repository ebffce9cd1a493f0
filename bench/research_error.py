"""How far published research figures lie from the truth on the demo data: the price of the privacy guarantee.

    .venv/bin/python bench/research_error.py [--scale 1.0]

Loads the demo federation (the same data ``arvio demo`` serves) into a temporary SQLite file, then, for every
closed quarter of the demo year and the national battery's star question, compares what a researcher is shown
against the true figures behind it: national totals (scope NATION, no dimension), regional figures (NATION by
REGION) and one service's regional figures (SERVICE by REGION, the demo's busiest e-service). Disclosure control
(the default) and differential privacy at epsilon 1 are both measured. Prints, per table, how many entries were
published and suppressed and the median (and 90th percentile) absolute error of counts and of means, on published
entries only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import KEYS
from federation.db import Database, utcnow
from federation.demo import SERVICES
from federation.migrate import migrate
from federation.research.compute import Answer, BreakdownSpec, Prepared, prepare, release_with_cell_key, release_with_dp
from federation.research.reading import read_rows, resolve_question, resolve_scope
from federation.research.shapes import CLOSING_DAYS, Dimension, ResearchPolicy, Scope, ScopeKind
from federation.settings import Settings
from pseudonymize.disclosure import CellKeyNoise, DisclosurePolicy, Metric
from pseudonymize.noise import SystemRandomSource
from pseudonymize.pseudonyms import quarter_end, quarter_of
from schema.cli.demo import load_demo

QUESTION = "national.transaction-smooth"
METRICS = frozenset({Metric.COUNT, Metric.MEAN})


def closed_quarters(now: dt.datetime) -> list[str]:
    """The quarters of the demo year that researchers may ask for at ``now``."""
    quarters, day = [], (now - dt.timedelta(days=364)).date()
    while True:
        quarter = quarter_of(day)
        end = quarter_end(quarter)
        if end + dt.timedelta(days=CLOSING_DAYS + 1) > now.date():
            return quarters
        quarters.append(quarter)
        day = end + dt.timedelta(days=1)


def errors(prepared: Prepared, answer: Answer, sizes: list[float]) -> tuple[list[float], list[float], int]:
    """Absolute errors of published counts and means, and the number of suppressed entries; ``sizes`` gets the
    true count of every published entry."""
    counts, means, suppressed = [], [], 0
    minimum = prepared.spec.scale.minimum
    for entry in answer.entries:
        if entry.values is None:
            suppressed += 1
            continue
        truth = prepared.entries[entry.levels]
        sizes.append(truth.count)
        if entry.values.count is not None:
            counts.append(abs(entry.values.count - truth.count))
        if entry.values.mean is not None and truth.count:
            means.append(abs(float(entry.values.mean) - float(minimum + Fraction(truth.value_sum, truth.count))))
    return counts, means, suppressed


def summary(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"median {statistics.median(ordered):.2f}, p90 {p90:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo size (1.0: about 100 000 ratings)")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="arvio-research-")) / "demo.db"
    settings = Settings(database_url=f"sqlite:///{path}", environment="development", master_key=KEYS)
    database = Database(settings)
    migrate(database)
    load_demo(database, settings, scale=args.scale)
    now = utcnow()
    quarters = closed_quarters(now)
    policy = ResearchPolicy()
    disclosure: DisclosurePolicy = policy.disclosure
    noise = CellKeyNoise(bytes(range(32)))
    busiest = max((s for s in SERVICES if s.volume), key=lambda s: s.volume).id
    # DP sensitivity: one answer per person per service-quarter, so a one-quarter query has as many domains as the
    # scope has services.
    releases: dict[str, Callable[[Prepared, int], Answer]] = {
        "disclosure control": lambda p, _: release_with_cell_key(p, noise, disclosure),
        "DP epsilon 1": lambda p, domains: release_with_dp(p, Fraction(1), domains, SystemRandomSource(),
                                                           disclosure, noise),
    }
    print(f"demo scale {args.scale}; question {QUESTION}; closed quarters {', '.join(quarters)}")
    with database.session() as session:
        question = resolve_question(session, QUESTION, None, policy)
        for label, scope, dims in (("national", Scope(ScopeKind.NATION), ()),
                                   ("regional", Scope(ScopeKind.NATION), (Dimension.REGION,)),
                                   ("one service by region", Scope(ScopeKind.SERVICE, busiest), (Dimension.REGION,))):
            info = resolve_scope(session, scope, policy)
            spec = BreakdownSpec(question.id, question.wording_version, question.scale, dims, METRICS)
            for mode, release in releases.items():
                counts: list[float] = []
                means: list[float] = []
                sizes: list[float] = []
                published = suppressed = 0
                for quarter in quarters:
                    rows = read_rows(session, question, info, [quarter], dims)
                    prepared = prepare(rows, spec, threshold=disclosure.threshold, subgroups=info.subgroups,
                                       members=info.members)
                    answer = release(prepared, info.service_count)
                    c, m, s = errors(prepared, answer, sizes)
                    counts += c
                    means += m
                    suppressed += s
                    published += len(answer.entries) - s
                size = statistics.median(sizes) if sizes else 0
                print(f"{label:<22} {mode:<18} published {published:>3} (median n {size:>5.0f}), suppressed "
                      f"{suppressed:>3}; count error {summary(counts)}; mean error {summary(means)}")


if __name__ == "__main__":
    main()
