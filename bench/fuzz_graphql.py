"""Schemathesis against a fresh arvio: every role's token, from the committed SDL, for a fixed time budget.

    .venv/bin/python bench/fuzz_graphql.py [--seconds 120]

Starts the real app (production settings: introspection needs a token, default rate limit raised so the fuzzer
is not refused for speed) on a temporary SQLite file with the demo registry, issues one token per role, and runs
``schemathesis run schema.graphql`` in its own process once per role plus once without a token, splitting the time
budget evenly. Check: ``not_a_server_error`` (no 5xx, and GraphQL errors that are not server errors — arvio marks
each error with ``extensions.classification``). Prints each run's summary and exits non-zero if any run found a
failure.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import KEYS
from federation.auth.models import Role
from federation.auth.tokens import issue_token
from federation.db import Database, utcnow
from federation.demo import ORGANISATIONS, install_demo_registry
from federation.migrate import migrate
from federation.research.researchers import register_researcher
from federation.settings import Settings
from schema.wiring import build_app
from tests.live import serve

ROOT = Path(__file__).resolve().parent.parent


def tokens(database: Database) -> dict[str, str]:
    """One token per role (the organisation token for the demo's first organisation)."""
    now = utcnow()
    with database.transaction() as session:
        install_demo_registry(session, now=now)
        register_researcher(session, "fuzz", actor="bench", now=now)
        return {role.value: issue_token(session, role=role, label="fuzz", now=now,
                                        organisation_id=ORGANISATIONS[0].business_id
                                        if role is Role.ORGANISATION else None)[0]
                for role in Role}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120, help="time budget for all runs together")
    parser.add_argument("--verbose", action="store_true", help="print the whole report of a run that failed")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="arvio-fuzz-")) / "fuzz.db"
    settings = Settings(database_url=f"sqlite:///{path}", environment="production", master_key=KEYS,
                        rate_limit_per_minute=1_000_000)
    database = Database(settings)
    migrate(database)
    issued = tokens(database)
    runs = [None, *issued]
    share = max(1, args.seconds // len(runs))
    failed = []
    with serve(build_app(settings, database=database, run_migrations=False)) as url:
        for role in runs:
            command = [sys.executable, "-m", "schemathesis.cli", "run", str(ROOT / "schema.graphql"),
                       "--url", f"{url}/graphql", "--checks", "not_a_server_error", "--max-time", str(share),
                       "--workers", "1", "--suppress-health-check", "all", "--warnings", "off"]
            if role is not None:
                command += ["--header", f"Authorization: Bearer {issued[role]}"]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            lines = [line for line in result.stdout.splitlines() if line.strip()]
            print(f"--- {role or 'anonymous'}: exit {result.returncode}")
            print("\n".join(lines[-6:] if result.returncode == 0 or not args.verbose else lines))
            if result.returncode != 0:
                failed.append(role or "anonymous")
    print("failures in: " + ", ".join(failed) if failed else "no failures")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
