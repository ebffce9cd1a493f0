"""The plain baseline of bench/export.py: an async Starlette endpoint doing the least a whole-catalogue export needs.

``GET /scores.json`` runs one aggregate SQL query over ``rollup_hourly`` of the SQLite file ``BENCH_DATABASE`` (the
answer counts per service over the last 365 days, window bounds as arvio's live export takes them, grouped by service
and joined to the service's names, services with fewer than ``BENCH_THRESHOLD`` answers left out), computes each
service's mean in Python and returns one orjson document, one object per service, as one response. No token check, no
publication rules, no spooling, no ETag: the honest minimum. The query runs on the event loop (one client at a time).
Run by bench/export.py under uvicorn in its own process: ``uvicorn bench.plain_export_app:app``.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

DATABASE = os.environ.get("BENCH_DATABASE", "bench.db")
THRESHOLD = int(os.environ.get("BENCH_THRESHOLD", "10"))
WINDOW = dt.timedelta(days=365)
SLOTS = tuple(range(11))
STORED = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy keeps DATETIME values in SQLite
QUERY = (f"SELECT r.service_id, s.name_fi, s.name_sv, s.name_en, {', '.join(f'SUM(r.c{v})' for v in SLOTS)}, "
         "SUM(r.skipped) FROM rollup_hourly AS r JOIN service AS s ON s.id = r.service_id "
         "WHERE r.hour >= ? AND r.hour < ? GROUP BY r.service_id, s.name_fi, s.name_sv, s.name_en "
         f"HAVING {' + '.join(f'SUM(r.c{v})' for v in SLOTS)} >= ? ORDER BY r.service_id")


async def scores(request: Request) -> Response:
    end = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    bounds = ((end - WINDOW).strftime(STORED), end.strftime(STORED), THRESHOLD)
    connection = sqlite3.connect(DATABASE)
    try:
        rows = connection.execute(QUERY, bounds).fetchall()
    finally:
        connection.close()
    services = []
    for service_id, name_fi, name_sv, name_en, *counts in rows:
        slots, skipped = counts[:-1], counts[-1]
        count = sum(slots)
        services.append({"serviceId": service_id, "names": {"fi": name_fi, "sv": name_sv, "en": name_en},
                         "count": count, "skipped": skipped, "histogram": slots,
                         "mean": sum(v * n for v, n in zip(SLOTS, slots, strict=True)) / count})
    return Response(orjson.dumps({"window": {"start": bounds[0], "end": bounds[1]}, "services": services}),
                    media_type="application/json")


app = Starlette(routes=[Route("/scores.json", scores, methods=["GET"])])
