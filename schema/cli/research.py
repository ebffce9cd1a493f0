"""``arvio researcher register NAME`` and ``arvio researcher list``: the researchers that own privacy budgets."""

from __future__ import annotations

import argparse
import shlex

from federation.db import Database, utcnow
from federation.research.researchers import register_researcher, spending
from federation.research.service import policy_from_settings
from federation.settings import Settings


def cmd_researcher_register(args: argparse.Namespace, settings: Settings) -> int:
    with Database(settings).transaction() as session:
        row = register_researcher(session, args.name, actor="cli", now=utcnow())
        print(f"researcher {row.key!r} registered; issue their token with: arvio token issue --role RESEARCHER "
              f"--label {shlex.quote(row.key)}")
    return 0


def cmd_researcher_list(args: argparse.Namespace, settings: Settings) -> int:
    policy = policy_from_settings(settings)
    with Database(settings).transaction(write=False) as session:
        for row in spending(session, policy.researcher_budget):
            cap = "default" if row.cap is None else f"{float(row.cap):g}"
            print(f"{row.key}	spent {float(row.spent):g} of {cap}	registered {row.registered_at:%Y-%m-%d}")
    return 0


def add_researcher_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``researcher register`` and ``researcher list`` to the CLI's subcommands."""
    researcher = sub.add_parser("researcher", help="researchers (own a privacy budget; RESEARCHER tokens name one)"
                                ).add_subparsers(dest="action", required=True)
    register = researcher.add_parser("register", help="register a researcher (idempotent)")
    register.add_argument("name", help="the researcher's name; case and spacing are normalised")
    register.set_defaults(handler=cmd_researcher_register)
    researcher.add_parser("list", help="registered researchers and what they spent").set_defaults(
        handler=cmd_researcher_list)
