"""The live whole-catalogue export at national scale: arvio against a plain endpoint doing the least the same needs.

    .venv/bin/python bench/export.py [--services 20000] [--rounds 5]
    .venv/bin/python bench/export.py --services 2000 --rounds 3     # a quick check

1. One SQLite database in a temporary directory (``fresh_database``: migrated, the national battery seeded), filled
   directly, not through ingest (that is bench/ingest.py's): ``--services`` N services, one channel each (an
   e-service, a web page or a phone line), owned by N / 500 organisations (at least one; the bench organisation
   ``ORG`` is the first), and a handful of ``rollup_hourly`` rows per service (3–9 hours spread at random over the
   last 364 days, 5–30 answers each in slots 1–5 of ``national.transaction-smooth`` v1, one row in five sent
   without a channel), so every service has a published score (≥ 10 answers, the production threshold). Rows are
   inserted oldest hour first, as live ingest writes them.
2. A PUBLISHER token and an Ed25519 signing key file (``arvio export keys rotate``'s ``rotate_signing_keys``); the
   file is given to the server as ``ARVIO_SIGNING_KEY_FILE``.
3. arvio under uvicorn twice, each in its own process (``start_server``: one worker, production settings, the rate
   limit raised): "render" with ``ARVIO_EXPORT_CACHE_SECONDS=0`` renders every request, as after every change of the
   answers; "kept" with the default reuses its kept render (schema/http/export_cache.py), as a repeated pull of
   unchanged figures does. The baseline, bench/plain_export_app.py, runs under uvicorn in a third process; all read
   the same database file.
   Before anything is timed: the well-known signing keys answer, GraphQL ``publicScore`` of the first and last
   service is published with the expected count, and one export of each (not timed) lists exactly the N services.
4. ``--rounds`` interleaved rounds (the order rotates), client in this process (httpx, keep-alive): arvio's
   ``GET /exports/live/scores.json`` with the PUBLISHER bearer token (render and kept), and the baseline's
   ``GET /scores.json`` —
   one aggregate SQL query over ``rollup_hourly`` (counts per service over the same 365-day window, grouped by
   service, joined to the service names), the mean per service computed in Python, one orjson document with one
   object per service, one response. Each time covers the request until the whole body is read; its bytes are
   counted and every status must be 200.
5. Prints seconds per export min / median / max and bytes of each, the ratios arvio / baseline min / median / max of
   the rounds, and each server's memory from ``/proc/<pid>/status``: idle RSS (VmRSS after the checks that do not
   export, before the first export) and peak RSS (VmHWM after the last export), and peak / idle. Targets: arvio's
   export < 1 s and its peak RSS ≤ 1.2 × idle; the "render" row is the one the target is judged by.

The documents differ in content (arvio: names in three languages, organisations, per-channel scores, confidence
intervals, the source header; the baseline: names, histogram, count and mean per service), so both sizes are printed.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import orjson
from sqlalchemy import insert
from stdnum.fi import ytunnus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import results
from bench.common import ORG, ROOT, fresh_database, spread, start_server
from exporters.signing import rotate_signing_keys
from federation.auth.models import Role
from federation.auth.tokens import issue_token
from federation.battery.scales import HISTOGRAM_SLOTS
from federation.db import Database, utcnow
from federation.registry.kinds import ChannelType, ServiceStatus
from federation.registry.models import Channel, Service, ServiceChannel, ServiceOrganisation
from federation.registry.service import Names, normalise_business_id, upsert_organisation
from federation.rollups.models import NO_CHANNEL, RollupHourly
from federation.rollups.slots import slot_values
from federation.rollups.writing import hour_of
from tests.live import free_port

QUESTION = "national.transaction-smooth"
EXPORT = "/exports/live/scores.json"
SERVICES_PER_ORGANISATION = 500
CHANNEL_TYPES = (ChannelType.ECHANNEL, ChannelType.WEB_PAGE, ChannelType.PHONE)
CHUNK = 20_000
SCORE = "query($id: ID!) { publicScore(serviceId: $id) { published count } }"


def service_id(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def channel_id(number: int) -> str:
    return f"00000000-0000-4000-9000-{number:012d}"


def business_ids(count: int) -> list[str]:
    """``ORG`` and then the next valid business IDs (Y-tunnus with its check digit), ``count`` in all."""
    found = [ORG]
    base = int(ORG[:7])
    while len(found) < count:
        base += 1
        found += [normalise_business_id(f"{base}-{d}") for d in range(10) if ytunnus.is_valid(f"{base}-{d}")]
    return found


def fill(database: Database, services: int, now: dt.datetime) -> tuple[int, int, dict[str, int]]:
    """Register ``services`` services with a channel each under a few organisations and give each a published
    score; returns the number of organisations, of rollup rows, and every service's answer count."""
    rng = random.Random(1)
    organisations = business_ids(max(1, services // SERVICES_PER_ORGANISATION))
    with database.transaction() as session:
        for number, business_id in enumerate(organisations):
            upsert_organisation(session, business_id, Names(f"Virasto {number}", f"Ämbetsverket {number}",
                                                            f"Agency {number}"), now=now)
    ids = [service_id(n) for n in range(services)]
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (Service, [{"id": s, "name_fi": f"Palvelu {n}", "name_sv": f"Tjänst {n}", "name_en": f"Service {n}",
                    "service_class": None, "status": ServiceStatus.ACTIVE, "created_at": now}
                   for n, s in enumerate(ids)]),
        (ServiceOrganisation, [{"service_id": s, "organisation_id": organisations[n % len(organisations)],
                                "role": "Responsible", "created_at": now} for n, s in enumerate(ids)]),
        (Channel, [{"id": channel_id(n), "channel_type": CHANNEL_TYPES[n % len(CHANNEL_TYPES)],
                    "name_fi": f"Asiointikanava {n}", "name_sv": f"Kanal {n}", "name_en": f"Channel {n}",
                    "created_at": now} for n in range(services)]),
        (ServiceChannel, [{"service_id": s, "channel_id": channel_id(n)} for n, s in enumerate(ids)]),
    ]
    latest = hour_of(now)
    rollups: list[dict[str, Any]] = []
    answers: Counter[str] = Counter()
    for n, service in enumerate(ids):
        for back in rng.sample(range(1, 364 * 24), rng.randint(3, 9)):
            count = rng.randint(5, 30)
            slots = Counter(rng.choices(range(1, 6), weights=(1, 1, 2, 4, 4), k=count))
            skipped = rng.randint(0, 3)
            row: dict[str, Any] = {
                "service_id": service, "channel_id": NO_CHANNEL if rng.random() < 0.2 else channel_id(n),
                "question_id": QUESTION, "wording_version": 1, "hour": latest - dt.timedelta(hours=back),
                "skipped": skipped, "offered": count + skipped + rng.randint(0, 5)}
            row.update(slot_values([slots[value] for value in range(HISTOGRAM_SLOTS)]))
            rollups.append(row)
            answers[service] += count
    rollups.sort(key=lambda r: (r["hour"], r["service_id"]))
    tables.append((RollupHourly, rollups))
    with database.transaction() as session:
        for model, rows in tables:
            for start in range(0, len(rows), CHUNK):
                session.execute(insert(model), rows[start:start + CHUNK])
    return len(organisations), len(rollups), dict(answers)


def publisher_token(database: Database) -> str:
    """A fresh PUBLISHER token (not bound to an organisation)."""
    with database.transaction() as session:
        token, _ = issue_token(session, role=Role.PUBLISHER, label="bench-export", now=utcnow())
    return token


def start_arvio(url: str, signing_key_file: Path, cache_seconds: int) -> tuple[subprocess.Popen[bytes], str]:
    """``start_server`` with ``ARVIO_SIGNING_KEY_FILE`` and ``ARVIO_EXPORT_CACHE_SECONDS`` set in the environment it
    hands the server."""
    with mock.patch.dict(os.environ, {"ARVIO_SIGNING_KEY_FILE": str(signing_key_file),
                                      "ARVIO_EXPORT_CACHE_SECONDS": str(cache_seconds)}):
        return start_server(url)


def start_plain(path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """bench/plain_export_app.py under uvicorn in its own process on the database file ``path``."""
    port = free_port()
    env = {**os.environ, "BENCH_DATABASE": str(path)}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "bench.plain_export_app:app", "--host", "127.0.0.1",
                               "--port", str(port), "--log-level", "warning", "--no-access-log"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/", timeout=1)  # any answer (a 404) means it is up; /scores.json would export
            return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the plain baseline did not start")


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of process ``pid``, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def fetch(client: httpx.Client, url: str, headers: dict[str, str]) -> tuple[float, bytes]:
    """Seconds until the whole body of GET ``url`` is read, and the body; stops the bench on any status but 200."""
    start = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"GET {url}: HTTP {response.status_code}: {response.text[:2000]}")
    return elapsed, response.content


def check_arvio(client: httpx.Client, base: str, answers: dict[str, int]) -> None:
    """What must hold before anything is exported: the signing keys answer, and GraphQL publishes the first and
    last service with the expected counts."""
    keys = client.get(f"{base}/.well-known/arvio-export-keys.json")
    assert keys.status_code == 200 and keys.json()["keys"], keys.text
    ids = sorted(answers)
    for service in (ids[0], ids[-1]):
        body = client.post(f"{base}/graphql", json={"query": SCORE, "variables": {"id": service}}).json()
        assert body["data"]["publicScore"] == {"published": True, "count": answers[service]}, body


def check_exports(client: httpx.Client, base: str, plain: str, headers: dict[str, str],
                  answers: dict[str, int]) -> None:
    """One export of each side (not timed) lists exactly the services filled in, the baseline with their counts."""
    ids = sorted(answers)
    _, document = fetch(client, f"{base}{EXPORT}", headers)
    listed = orjson.loads(document)["services"]
    assert sorted(listed) == ids, f"arvio's export lists {len(listed)} services, not the {len(ids)} filled in"
    _, document = fetch(client, f"{plain}/scores.json", {})
    plain_listed = [entry["serviceId"] for entry in orjson.loads(document)["services"]]
    assert plain_listed == ids, f"the baseline lists {len(plain_listed)} services, not {len(ids)}"
    assert [entry["count"] for entry in orjson.loads(document)["services"]] == [answers[s] for s in ids]


def seconds(name: str, values: list[float], sizes: list[int], services: int) -> str:
    size = f"{sizes[0]:,}" if len(set(sizes)) == 1 else f"{min(sizes):,}–{max(sizes):,}"
    return (f"{name:<38} s/export min / median / max: {min(values):7.3f} / {statistics.median(values):7.3f} / "
            f"{max(values):7.3f}   bytes: {size} ({statistics.median(sizes) / services:,.0f} per service)")


def memory_line(name: str, idle: dict[str, int], after: dict[str, int], target: str) -> str:
    return (f"{name:<9} RSS idle {idle['VmRSS'] / 1024:7.1f} MiB, peak (VmHWM) {after['VmHWM'] / 1024:7.1f} MiB, "
            f"peak / idle {after['VmHWM'] / idle['VmRSS']:.2f} ×{target}; RSS after the exports "
            f"{after['VmRSS'] / 1024:.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    settings, database = fresh_database()
    path = Path(database.engine.url.database or "")
    started = time.perf_counter()
    organisations, rows, answers = fill(database, args.services, utcnow())
    token = publisher_token(database)
    signing_key_file = path.with_name("signing-keys.json")
    rotate_signing_keys(dataclasses.replace(settings, signing_key_file=signing_key_file), now=utcnow())
    database.dispose()
    print(f"{args.services:,} services (one channel each) of {organisations} organisations, {rows:,} rollup rows, "
          f"{sum(answers.values()):,} answers; filled in {time.perf_counter() - started:.1f} s "
          f"({path.stat().st_size / 2**20:.1f} MiB SQLite at {path})", flush=True)
    servers: dict[str, subprocess.Popen[bytes]] = {}
    try:
        servers["render"], render_base = start_arvio(settings.database_url, signing_key_file, 0)
        servers["kept"], kept_base = start_arvio(settings.database_url, signing_key_file, 300)
        servers["plain"], plain_base = start_plain(path)
        times, sizes, idle, after = measure(args.rounds, token, answers, render_base, kept_base, plain_base, servers)
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)
    report(args.services, args.rounds, times, sizes, idle, after)


RUNS = {"render": "arvio GET /exports/live/scores.json, rendered", "kept": "arvio GET …/scores.json, kept render",
        "plain": "plain async Starlette GET /scores.json"}


def measure(rounds: int, token: str, answers: dict[str, int], render_base: str, kept_base: str, plain_base: str,
            servers: dict[str, subprocess.Popen[bytes]]) -> tuple[dict[str, list[float]], dict[str, list[int]],
                                                                 dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """The checks, then ``rounds`` interleaved rounds of the three runs; times, sizes and memory per run."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=600) as client:
        runs: dict[str, Callable[[], tuple[float, bytes]]] = {
            "render": lambda: fetch(client, f"{render_base}{EXPORT}", headers),
            "kept": lambda: fetch(client, f"{kept_base}{EXPORT}", headers),
            "plain": lambda: fetch(client, f"{plain_base}/scores.json", {}),
        }
        for base in (render_base, kept_base):
            check_arvio(client, base, answers)
        idle = {name: memory_kb(server.pid) for name, server in servers.items()}  # before any export
        for base in (render_base, kept_base):
            check_exports(client, base, plain_base, headers, answers)
        times: dict[str, list[float]] = {name: [] for name in runs}
        sizes: dict[str, list[int]] = {name: [] for name in runs}
        names = list(runs)
        for number in range(rounds):
            for name in names[number % 3:] + names[:number % 3]:
                elapsed, body = runs[name]()
                times[name].append(elapsed)
                sizes[name].append(len(body))
        after = {name: memory_kb(server.pid) for name, server in servers.items()}
    return times, sizes, idle, after


def report(services: int, rounds: int, times: dict[str, list[float]], sizes: dict[str, list[int]],
           idle: dict[str, dict[str, int]], after: dict[str, dict[str, int]]) -> None:
    """Print the figures and record them in bench/results.json."""
    for name, label in RUNS.items():
        print(seconds(label, times[name], sizes[name], services))
    ratios = {name: [a / b for a, b in zip(times[name], times["plain"], strict=True)] for name in ("render", "kept")}
    for name, values in ratios.items():
        print(f"arvio ({name}) / baseline time ratio (min / median / max over {rounds} rounds): {spread(values)}")
    for name in RUNS:
        print(memory_line(name, idle[name], after[name], " (target ≤ 1.2 ×)" if name != "plain" else ""))
    peak = {name: after[name]["VmHWM"] / idle[name]["VmRSS"] for name in ("render", "kept")}
    slowest = {name: max(times[name]) for name in ("render", "kept")}
    for name in ("render", "kept"):
        print(f"targets ({name}): export < 1 s: {'met' if slowest[name] < 1 else 'NOT met'} (slowest "
              f"{slowest[name]:.3f} s); peak RSS ≤ 1.2 × idle: {'met' if peak[name] <= 1.2 else 'NOT met'}")
    baseline = (f"plain async endpoint: one aggregate query, means in Python, one orjson document of "
                f"{sizes['plain'][-1] / 1e6:.1f} MB: median {statistics.median(times['plain']):.3f} s")
    what = (f"live export of {services:,} services (`GET /exports/live/scores.json`, PUBLISHER token), arvio in its "
            "own process")
    results.record(
        "export-live", order=60, what=what + ", rendered per request (`ARVIO_EXPORT_CACHE_SECONDS=0`, as after "
                                             "any new answer)",
        arvio=f"median {statistics.median(times['render']):.2f} s for {sizes['render'][-1] / 1e6:.1f} MB; peak "
              f"RSS {peak['render']:.2f} × idle", baseline=baseline, ratios=ratios["render"], unit="× the time",
        target="< 1 s; peak RSS ≤ 1.2 × idle", met=slowest["render"] < 1 and peak["render"] <= 1.2)
    results.record(
        "export-live-kept", order=61, what=what + ", a kept render reused (unchanged answers, the default)",
        arvio=f"median {statistics.median(times['kept']):.3f} s for {sizes['kept'][-1] / 1e6:.1f} MB; peak "
              f"RSS {peak['kept']:.2f} × idle", baseline=baseline, ratios=ratios["kept"], unit="× the time",
        target="< 1 s; peak RSS ≤ 1.2 × idle (a repeated pull, not the render)",
        met=slowest["kept"] < 1 and peak["kept"] <= 1.2)

if __name__ == "__main__":
    main()
