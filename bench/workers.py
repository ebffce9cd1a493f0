"""Worker scaling: arvio under ``uvicorn --workers 2`` against ``--workers 1``, requests/s side by side in one run.

    apt-get install -y wrk      # the load generator (Debian's wrk 4.1)
    .venv/bin/python bench/workers.py [--ratings 20000] [--rounds 3] [--seconds 10] [--connections 8]
        [--wrk-threads 1] [--reuseport] [--rate-limit 1000000] [--only publicScore,score] [--distribution 20]
        [--postgres ADMIN_URL [--clients 4] [--batches 10]]

    # with a throwaway PostgreSQL 15 (not on port 55432):
    export PG_PORT=55433; source .ci/postgres.sh; pg_start; \\
        .venv/bin/python bench/workers.py --postgres "$ARVIO_TEST_POSTGRES_URL"; pg_stop

Each server is arvio under uvicorn in its own processes with the production settings of bench/common.py's
``start_server`` (``ARVIO_ENV=production``, the rate limit raised to ``--rate-limit`` per minute and said here,
``--log-level warning --no-access-log``), started once with ``--workers 1`` and once with ``--workers 2`` on the
same SQLite database, which first gets ``--ratings`` ratings of one service over the last 30 days through the real
NDJSON upload (``POST /ingest/ratings``). With ``--reuseport`` a third server runs: two workers that each listen on
their own SO_REUSEPORT socket (bench/reuseport.py), so the kernel, not asyncio's accept loop, spreads connections.

Measured, over HTTP with wrk (C, one thread by default, ``--connections`` keep-alive connections, ``--seconds`` per
run, the POST body and headers from a Lua script written to a temporary file): (a) ``publicScore`` anonymously and
(b) ``service(id){ score(questionId: "national.transaction-smooth", lastDays: 365){ count mean } }`` with an
ORGANISATION token, both ``POST /graphql``. Only answers with status 200 and no ``"errors"`` count towards
requests/s; 429s (the rate limiter), other statuses and GraphQL errors are counted by the script and printed. After
a warm-up run on each server (caches, every worker), ``--rounds`` interleaved rounds in a rotating order.

(c) With ``--postgres ADMIN_URL``: a fresh PostgreSQL database (``arvio_bench_workers``) and the same servers on it;
``--clients`` Python client processes (each one keep-alive httpx connection) post ``--batches`` NDJSON uploads of
1 000 new UUID-referenced ratings each (bodies built before the clock starts). Rows/s = all rows / wall time.

First (``--distribution``), for every server: ``--connections`` connections opened at once to the idle workers,
``--distribution`` times, and how many of them each worker accepted. Per run it prints: requests/s, the statuses,
how many established connections each worker holds (sampled half way through from /proc/net/tcp and the workers'
file descriptors) and the CPU seconds each worker, the client (wrk or the Python clients) and PostgreSQL's
processes used (utime + stime from /proc/<pid>/stat, the client's from wait4), and "others": the machine's busy
CPU seconds (/proc/stat) less those, i.e. whatever else ran meanwhile (on a shared machine, a run with others > 0.5
is disturbed). Then min / median / max of requests/s per server and of the ratio 2 workers / 1 worker (target
≥ 1.6).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import results
from bench.common import (
    BATCH,
    KEYS,
    ROOT,
    SERVICE,
    fresh_database,
    fresh_postgres,
    ndjson,
    org_token,
    rating_items,
    spread,
    uuid_items,
)
from federation.db import utcnow
from tests.live import free_port

PUBLIC_QUERY = "query($id: ID!) { publicScore(serviceId: $id) { published count mean stars } }"
SCORE_QUERY = ('query($id: ID!) { service(id: $id) { score(questionId: "national.transaction-smooth", '
               "lastDays: 365) { count mean } } }")
TICKS = os.sysconf("SC_CLK_TCK")

LUA = """
wrk.method = "POST"
wrk.body = [==[BODY]==]
wrk.headers["Content-Type"] = "application/json"
HEADERS
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; limited = 0; other = 0; gqlerrors = 0 end
function response(status, headers, body)
  if status == 200 then
    if string.find(body, '"errors"', 1, true) then gqlerrors = gqlerrors + 1 else ok = ok + 1 end
  elseif status == 429 then limited = limited + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local a, b, c, d = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("ok"); b = b + t:get("limited"); c = c + t:get("other"); d = d + t:get("gqlerrors")
  end
  io.write(string.format("STATUS ok=%d limited=%d other=%d gqlerrors=%d us=%d\\n", a, b, c, d, summary.duration))
end
"""


# --- processes, CPU and connections from /proc -------------------------------------------------------------------

def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()  # fields from the 3rd (state) on


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` so far, in seconds (0 when it is gone)."""
    try:
        fields = _stat(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def machine_busy() -> float:
    """CPU seconds all cores have been busy since boot (everything in /proc/stat's cpu line but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / TICKS


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == pid:
                    out.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
    return sorted(out)


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def postgres_pids() -> list[int]:
    """Every process whose name is ``postgres`` (the server and its backends)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    out.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return out


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except FileNotFoundError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except FileNotFoundError:
        pass
    return inodes


def established(port: int, pids: list[int]) -> list[int]:
    """How many ESTABLISHED connections to local ``port`` each of ``pids`` holds."""
    inodes: dict[str, int] = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if int(parts[1].rsplit(":", 1)[1], 16) == port and parts[3] == "01":
            inodes[parts[9]] = 1
    return [len(socket_inodes(pid) & inodes.keys()) for pid in pids]


# --- servers --------------------------------------------------------------------------------------------------------

@dataclass
class Server:
    """One arvio server: its top process, port and worker processes."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    workers: list[int] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def start_workers(url: str, workers: int, *, rate_limit: int, reuseport: bool = False) -> Server:
    """arvio in its own processes as bench/common.py's start_server starts it, with ``workers`` uvicorn workers
    (or ``workers`` SO_REUSEPORT workers of bench/reuseport.py); returned once every worker is serving."""
    port = free_port()
    env = {**os.environ, "ARVIO_DATABASE_URL": url, "ARVIO_ENV": "production", "ARVIO_MASTER_KEY": KEYS,
           "ARVIO_RATE_LIMIT_PER_MINUTE": str(rate_limit)}
    if reuseport:
        command = [sys.executable, "-m", "bench.reuseport", "--port", str(port), "--workers", str(workers)]
        name = f"{workers} workers (SO_REUSEPORT)"
    else:
        command = [sys.executable, "-m", "uvicorn", "--factory", "schema.wiring:asgi", "--host", "127.0.0.1",
                   "--port", str(port), "--log-level", "warning", "--no-access-log", "--workers", str(workers)]
        name = "1 worker" if workers == 1 else f"{workers} workers"
    server = Server(name, subprocess.Popen(command, cwd=ROOT, env=env), port)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{name} exited with {server.process.returncode}")
        server.workers = _worker_pids(server.process.pid, workers, reuseport)
        if len(server.workers) == workers and all(_idle(pid) for pid in server.workers):
            try:
                if httpx.get(f"{server.base}/healthz", timeout=1).status_code == 200:
                    return server
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not start")


def _worker_pids(top: int, workers: int, reuseport: bool) -> list[int]:
    if workers == 1 and not reuseport:
        return [top]  # uvicorn serves in its own process
    marker = "--child" if reuseport else "spawn_main"
    return [pid for pid in children(top) if marker in command_line(pid)]


def _idle(pid: int) -> bool:
    """Whether the worker waits in its event loop (its start-up, migrations included, is over)."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text().strip() == "do_epoll_wait"
    except FileNotFoundError:
        return False


# --- wrk ------------------------------------------------------------------------------------------------------------

@dataclass
class Run:
    """One measured run against one server."""

    rate: float
    statuses: dict[str, int]
    connections: list[int]
    worker_cpu: list[float]
    client_cpu: float
    postgres_cpu: float
    wall: float
    machine_cpu: float

    @property
    def others_cpu(self) -> float:
        """CPU seconds of everything else on the machine during the run (other users' work disturbs it)."""
        return max(0.0, self.machine_cpu - sum(self.worker_cpu) - self.client_cpu - self.postgres_cpu)

    def describe(self) -> str:
        statuses = " ".join(f"{k}={v}" for k, v in self.statuses.items())
        return (f"{self.rate:8,.0f}/s  [{statuses}]  connections per worker {self.connections}  CPU s: workers "
                f"[{', '.join(f'{c:.1f}' for c in self.worker_cpu)}] client {self.client_cpu:.1f}"
                + (f" postgres {self.postgres_cpu:.1f}" if self.postgres_cpu else "")
                + f" others {self.others_cpu:.1f} in {self.wall:.1f} s wall")


def wrk_script(body: bytes, token: str | None) -> str:
    """A Lua script for wrk: POST ``body`` as JSON (with ``token``), counting statuses and GraphQL errors."""
    assert b"]==]" not in body
    headers = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    handle, path = tempfile.mkstemp(prefix="arvio-wrk-", suffix=".lua")
    with os.fdopen(handle, "w") as file:
        file.write(LUA.replace("BODY", body.decode()).replace("HEADERS", headers))
    return path


def run_wrk(server: Server, script: str, *, seconds: float, connections: int, threads: int) -> Run:
    """One wrk run against ``server``'s /graphql; only 200 answers without errors count in the rate."""
    before = [cpu_seconds(pid) for pid in server.workers]
    busy = machine_busy()
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "-s", script,
                                    f"{server.base}/graphql"], stdout=out, stderr=subprocess.STDOUT)
        time.sleep(seconds / 2)
        held = established(server.port, server.workers)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        busy = machine_busy() - busy
        out.seek(0)
        text = out.read().decode()
    after = [cpu_seconds(pid) for pid in server.workers]
    match = re.search(r"STATUS ok=(\d+) limited=(\d+) other=(\d+) gqlerrors=(\d+) us=(\d+)", text)
    if process.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{text}")
    ok, limited, other, errors, micros = (int(g) for g in match.groups())
    errors_line = re.search(r"Socket errors:.*", text)
    statuses = {"200": ok, "429": limited, "other": other, "gql-errors": errors}
    if errors_line:
        statuses["socket-errors"] = sum(int(n) for n in re.findall(r"\d+", errors_line.group(0)))
    return Run(ok / (micros / 1e6), statuses, held, [a - b for a, b in zip(after, before, strict=True)],
               usage.ru_utime + usage.ru_stime, 0.0, wall, busy)


def distribution(server: Server, connections: int, trials: int) -> Counter[tuple[int, ...]]:
    """How ``connections`` keep-alive connections opened at once (as wrk opens them) land on the idle workers:
    per trial, the established connections each worker holds, tallied over ``trials``."""
    tally: Counter[tuple[int, ...]] = Counter()
    for _ in range(trials):
        sockets = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(connections)]
        time.sleep(0.3)
        tally[tuple(established(server.port, server.workers))] += 1
        for sock in sockets:
            sock.close()
        time.sleep(0.3)
    return tally


# --- (c) ingest clients ---------------------------------------------------------------------------------------------

def _ingest_client(base: str, token: str, bodies: list[bytes], go: Event, ready: Any, results: Any) -> None:
    """One client process: one keep-alive connection, the prepared NDJSON bodies in a row once ``go`` is set."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    with httpx.Client(timeout=600) as client:
        client.get(f"{base}/healthz")  # open the connection before the clock starts
        ready.put(os.getpid())
        go.wait()
        cpu = time.process_time()
        accepted, statuses = 0, []
        for body in bodies:
            response = client.post(f"{base}/ingest/ratings", content=body, headers=headers)
            statuses.append(response.status_code)
            if response.status_code == 200:
                accepted += response.json()["accepted"]
        results.put((time.time(), accepted, statuses, time.process_time() - cpu))


def run_ingest(server: Server, token: str, *, clients: int, batches: int) -> Run:
    """``clients`` processes each posting ``batches`` NDJSON uploads of BATCH new ratings; rows/s overall."""
    context = multiprocessing.get_context("spawn")
    go, ready, results = context.Event(), context.Queue(), context.Queue()
    now = utcnow() - dt.timedelta(minutes=1)
    processes = []
    for _ in range(clients):
        bodies = [b"\n".join(orjson.dumps(r) for r in uuid_items(BATCH, now)) for _ in range(batches)]
        processes.append(context.Process(target=_ingest_client, args=(server.base, token, bodies, go, ready, results)))
    for process in processes:
        process.start()
    for _ in processes:  # every client has started and holds its connection
        ready.get(timeout=120)
    time.sleep(0.3)
    held = established(server.port, server.workers)
    pg = postgres_pids()
    before = [cpu_seconds(pid) for pid in server.workers]
    pg_before = sum(cpu_seconds(pid) for pid in pg)
    busy = machine_busy()
    start = time.time()
    go.set()
    finished = [results.get(timeout=900) for _ in processes]
    after = [cpu_seconds(pid) for pid in server.workers]
    busy = machine_busy() - busy
    pg_after = sum(cpu_seconds(pid) for pid in postgres_pids())
    for process in processes:
        process.join(timeout=60)
    end = max(f[0] for f in finished)
    accepted = sum(f[1] for f in finished)
    codes = [code for f in finished for code in f[2]]
    statuses = {"200": codes.count(200), "429": codes.count(429), "other": len(codes) - codes.count(200)
                - codes.count(429), "rows": accepted}
    assert accepted == clients * batches * BATCH or statuses["429"] or statuses["other"], statuses
    return Run(accepted / (end - start), statuses, held, [a - b for a, b in zip(after, before, strict=True)],
               sum(f[3] for f in finished), pg_after - pg_before, end - start, busy)


# --- rounds ---------------------------------------------------------------------------------------------------------

def rounds(title: str, servers: list[Server], rounds_: int, measure: Callable[[Server], Run],
           row: tuple[str, int, str]) -> None:
    """``rounds_`` interleaved rounds over ``servers`` in a rotating order; prints each run and the spreads, and
    records the last server against the first as ``row`` (key, order, what) of the README table."""
    print(f"\n{title}", flush=True)
    rates: dict[str, list[float]] = {s.name: [] for s in servers}
    for number in range(rounds_):
        order = servers[number % len(servers):] + servers[:number % len(servers)]
        for server in order:
            run = measure(server)
            rates[server.name].append(run.rate)
            print(f"  round {number + 1}  {server.name:<25} {run.describe()}", flush=True)
    width = max(len(name) for name in rates)
    for name, values in rates.items():
        print(f"  {name:<{width}} per second min / median / max: {min(values):8,.0f} / "
              f"{statistics.median(values):8,.0f} / {max(values):8,.0f}")
    one = rates[servers[0].name]
    ratios: dict[str, list[float]] = {}
    for server in servers[1:]:
        ratios[server.name] = [a / b for a, b in zip(rates[server.name], one, strict=True)]
        print(f"  {server.name} / {servers[0].name} ratio (min / median / max over {rounds_} rounds): "
              f"{spread(ratios[server.name])}", flush=True)
    last = servers[-1].name
    key, order, what = row
    results.record(key, order=order, what=f"{what}: {last} / {servers[0].name}",
                   arvio=f"{last}: median {statistics.median(rates[last]):,.0f}/s",
                   baseline=f"{servers[0].name}: median {statistics.median(one):,.0f}/s", ratios=ratios[last],
                   unit="×", target="≥ 1.6 ×", met=statistics.median(ratios[last]) >= 1.6,
                   note="; ".join(f"{name}: {spread(values)}" for name, values in ratios.items() if name != last))


def start_all(url: str, args: argparse.Namespace) -> list[Server]:
    """The servers compared: 1 worker, 2 workers, and with ``--reuseport`` 2 SO_REUSEPORT workers."""
    servers: list[Server] = []
    try:
        servers.append(start_workers(url, 1, rate_limit=args.rate_limit))
        servers.append(start_workers(url, 2, rate_limit=args.rate_limit))
        if args.reuseport:
            servers.append(start_workers(url, 2, rate_limit=args.rate_limit, reuseport=True))
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def reads(args: argparse.Namespace) -> None:
    """(a) and (b) on SQLite."""
    path = Path(tempfile.mkdtemp(prefix="arvio-bench-workers-")) / "workers.db"
    url = f"sqlite:///{path}"
    _, database = fresh_database(url)
    token = org_token(database)
    database.dispose()
    filler = start_workers(url, 1, rate_limit=args.rate_limit)
    try:
        now = utcnow() - dt.timedelta(minutes=1)
        for i in range(0, args.ratings, 10_000):
            ndjson(filler.base, token, rating_items(min(10_000, args.ratings - i), prefix=f"w{i}", now=now))
    finally:
        filler.stop()
    servers = start_all(url, args)
    bodies = {"publicScore": (orjson.dumps({"query": PUBLIC_QUERY, "variables": {"id": SERVICE}}), None),
              "score": (orjson.dumps({"query": SCORE_QUERY, "variables": {"id": SERVICE}}), token)}
    scripts: list[str] = []
    try:
        if args.distribution:
            print(f"\nconnections per worker when {args.connections} connections open at once to idle workers "
                  f"(split: times, over {args.distribution} trials):")
            for server in servers:
                tally = distribution(server, args.connections, args.distribution)
                print(f"  {server.name:<25} " + "  ".join(f"{list(k)}: {v}" for k, v in tally.most_common()),
                      flush=True)
        for name, (body, bearer) in bodies.items():
            if name not in args.only:
                continue
            headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {bearer}"} if bearer else {})}
            answer = httpx.post(f"{servers[0].base}/graphql", content=body, headers=headers).json()
            assert "errors" not in answer, answer
            script = wrk_script(body, bearer)
            scripts.append(script)
            for server in servers:  # warm-up: caches and first calls in every worker, not counted
                run_wrk(server, script, seconds=3, connections=32, threads=args.wrk_threads)
            title = (f"({'a' if name == 'publicScore' else 'b'}) {name}: POST /graphql "
                     f"{'anonymous' if bearer is None else 'ORGANISATION token'}, SQLite, {args.ratings:,} ratings; "
                     f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.seconds:g}s; answer "
                     f"{orjson.dumps(answer).decode()}")
            rounds(title, servers, args.rounds, lambda s, script=script: run_wrk(  # type: ignore[misc]
                s, script, seconds=args.seconds, connections=args.connections, threads=args.wrk_threads),
                (f"workers-{name.lower()}", 50 if name == "publicScore" else 51,
                 f"`{'publicScore' if name == 'publicScore' else 'service.score'}` over POST /graphql, SQLite, "
                 f"wrk -t{args.wrk_threads} -c{args.connections}"))
    finally:
        for server in servers:
            server.stop()
        for script in scripts:
            os.unlink(script)
        shutil.rmtree(path.parent, ignore_errors=True)


def ingest(args: argparse.Namespace) -> None:
    """(c) NDJSON ingest on a fresh PostgreSQL database."""
    url = fresh_postgres(args.postgres, "arvio_bench_workers")
    _, database = fresh_database(url)
    token = org_token(database)
    database.dispose()
    servers = start_all(url, args)
    try:
        for server in servers:  # warm-up: not counted
            run_ingest(server, token, clients=args.clients, batches=1)
        rounds(f"(c) NDJSON ingest, PostgreSQL: {args.clients} Python client processes x {args.batches} uploads "
               f"of {BATCH:,} new ratings (rows/s)", servers, args.rounds,
               lambda s: run_ingest(s, token, clients=args.clients, batches=args.batches),
               ("workers-postgresql-ingest", 52, f"PostgreSQL NDJSON ingest, {args.clients} client processes × "
                                                 f"{args.batches} uploads of {BATCH:,}"))
    finally:
        for server in servers:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--reuseport", action="store_true", help="also two SO_REUSEPORT workers (bench/reuseport.py)")
    parser.add_argument("--rate-limit", type=int, default=1_000_000, help="ARVIO_RATE_LIMIT_PER_MINUTE (default 600)")
    parser.add_argument("--only", default="publicScore,score", help="which reads: publicScore,score (or none)")
    parser.add_argument("--distribution", type=int, default=20, help="trials of the connection split (0: none)")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server: also measure (c) ingest there")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batches", type=int, default=10)
    args = parser.parse_args()
    args.only = {name.strip() for name in args.only.split(",") if name.strip()}
    if shutil.which("wrk") is None and args.only - {"none"}:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    print(f"CPU cores: {os.cpu_count()}; rate limit {args.rate_limit:,}/min per worker process "
          f"(production default 600)", flush=True)
    if args.only - {"none"}:
        reads(args)
    if args.postgres:
        ingest(args)


if __name__ == "__main__":
    main()
