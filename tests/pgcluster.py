"""A throwaway PostgreSQL 15 primary and hot standby for the multi-host tests and benchmarks, started as the
``postgres`` user when run as root (as .ci/postgres.sh starts the test server), each in its own temporary folder.

The primary runs with ``synchronous_standby_names = '*'``: a commit is acknowledged only once the standby has it on
disk (``synchronous_commit = on``), so promoting the standby loses no acknowledged write. Ports come from
``ARVIO_TEST_REPLICATION_PORTS`` ("PRIMARY,STANDBY") or are free loopback ports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.live import free_port

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def available() -> bool:
    """Whether the PostgreSQL server binaries (initdb, pg_basebackup, pg_ctl) are installed."""
    return all((PG_BIN / name).exists() for name in ("initdb", "pg_basebackup", "pg_ctl"))


def _ports() -> tuple[int, int]:
    given = os.environ.get("ARVIO_TEST_REPLICATION_PORTS")
    if given:
        primary, standby = (int(p) for p in given.split(","))
        return primary, standby
    return free_port(), free_port()


@dataclass
class Cluster:
    """A primary and its streaming hot standby on 127.0.0.1."""

    root: Path
    primary_port: int
    standby_port: int
    started: list[Path] = field(default_factory=list)

    def url(self, port: int, database: str = "arvio") -> str:
        """The SQLAlchemy URL of ``database`` on the server at ``port``."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"

    def run(self, *args: str | Path) -> None:
        """Run a PostgreSQL program as the ``postgres`` user when we are root."""
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *map(str, args)], check=True, stdout=subprocess.DEVNULL, timeout=120)

    def start_primary(self) -> None:
        """initdb (trust, which pg_hba also grants to replication connections), start, create ``arvio``."""
        data = self.root / "primary"
        self.run(PG_BIN / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
        with (data / "postgresql.conf").open("a") as conf:
            conf.write("synchronous_commit = on\nfsync = off\n")
        self._start(data, self.primary_port)
        self.run(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres", "arvio")

    def start_standby(self) -> None:
        """Clone the primary with pg_basebackup -R (standby.signal and primary_conninfo) and start it."""
        data = self.root / "standby"
        self.run(PG_BIN / "pg_basebackup", "-D", data, "-R", "-h", "127.0.0.1", "-p", str(self.primary_port),
                 "-U", "postgres", "-X", "stream", "-c", "fast", "--no-sync")
        self._start(data, self.standby_port)

    def require_synchronous_standby(self) -> None:
        """From now on a commit on the primary waits until the standby has flushed it (set once the standby runs,
        or the primary's own commits would wait for a standby that does not exist yet)."""
        with psycopg.connect(f"host=127.0.0.1 port={self.primary_port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET synchronous_standby_names = '*'")
            conn.execute("SELECT pg_reload_conf()")

    def _start(self, data: Path, port: int) -> None:
        options = f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self.run(PG_BIN / "pg_ctl", "-D", data, "-l", self.root / f"{data.name}.log", "-o", options, "-w", "start")
        self.started.append(data)

    def crash_primary(self) -> None:
        """Stop the primary as a crash would (immediate: no shutdown checkpoint)."""
        data = self.root / "primary"
        self.run(PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        self.started.remove(data)

    def promote_standby(self) -> None:
        """Make the standby the primary, and wait until it accepts writes."""
        self.run(PG_BIN / "pg_ctl", "-D", self.root / "standby", "-w", "promote")

    def stop(self) -> None:
        """Stop every server still running and delete the folder."""
        for data in reversed(self.started):
            subprocess.run([*(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []),
                            str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        self.started.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    """A running primary with its database and a running hot standby streaming from it."""
    root = Path(tempfile.mkdtemp(prefix="arvio-repl."))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    primary, standby = _ports()
    cluster = Cluster(root, primary, standby)
    try:
        cluster.start_primary()
        cluster.start_standby()
        cluster.require_synchronous_standby()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def wait_for(condition_name: str, check: object, seconds: float = 60.0, every: float = 0.2) -> object:
    """Call ``check()`` until it returns something truthy (returned), or fail after ``seconds``."""
    assert callable(check)
    deadline = time.monotonic() + seconds
    last: object = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {condition_name} (last: {last!r})")
