"""The ``arvio`` commands of privacy: erasure, retention, and the key life cycle (status, destroy)."""

from __future__ import annotations

import argparse
import json
import sys

from federation.db import Database, utcnow
from federation.privacy.erasure import ErasureScope, erase_respondent
from federation.privacy.key_lifecycle import destroy_key, key_usages
from federation.privacy.keyring import open_key_ring
from federation.privacy.retention import RetentionPolicy, run_retention
from federation.registry.service import normalise_business_id, normalise_guid
from federation.settings import Settings

ACTOR = "cli"


def _identifier(args: argparse.Namespace) -> str:
    # "-" reads it from standard input, which keeps it out of the shell history and the process list.
    if args.identifier == "-":
        return sys.stdin.readline().strip()
    return str(args.identifier)


def cmd_erase(args: argparse.Namespace, settings: Settings) -> int:
    """Erase one person's ratings and print the receipt (JSON; it holds no identifier)."""
    scope = ErasureScope(organisation_id=normalise_business_id(args.org) if args.org else None,
                         service_id=normalise_guid(args.service, "service") if args.service else None)
    with Database(settings).transaction() as session:
        outcome = erase_respondent(session, _identifier(args), ring=open_key_ring(settings), scope=scope,
                                   actor=ACTOR, now=utcnow())
        receipt = outcome.receipt
        print(json.dumps({"requestId": receipt.request_id, "erasedAt": receipt.erased_at.isoformat(),
                          "ratingsDeleted": receipt.ratings_deleted, "domainsAffected": receipt.domains_affected,
                          "keyVersionsSearched": receipt.key_versions_searched,
                          "organisationScope": receipt.organisation_scope,
                          "serviceScope": receipt.service_scope}, indent=2))
    return 0


def cmd_retention_run(args: argparse.Namespace, settings: Settings) -> int:
    """Delete expired microdata and clear expired pseudonyms (or, with --dry-run, count them)."""
    policy = RetentionPolicy(settings.retention_days)
    with Database(settings).transaction(write=not args.dry_run) as session:
        report = run_retention(session, policy=policy, now=utcnow(), actor=ACTOR, dry_run=args.dry_run)
        if args.dry_run:
            session.rollback()
    verb = "would be" if report.dry_run else "were"
    print(f"{report.ratings_deleted} ratings answered before {report.microdata_kept_from.isoformat()} {verb} "
          f"deleted; {report.pseudonyms_cleared} pseudonyms of quarters before "
          f"{report.pseudonyms_kept_from.date().isoformat()} {verb} cleared; {report.page_answers_deleted} page "
          f"answers {verb} deleted")
    return 0


def cmd_keys_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print every key version and what retained data still needs it."""
    ring = open_key_ring(settings)
    with Database(settings).transaction(write=False) as session:
        for usage in key_usages(session, ring, now=utcnow()):
            current = " (current)" if usage.version == ring.current.version else ""
            print(f"version {usage.version}{current}: {usage.describe()}")
    return 0


def cmd_keys_destroy(args: argparse.Namespace, settings: Settings) -> int:
    """Remove a key version from the key file, refusing while retained data needs it unless --force."""
    with Database(settings).transaction() as session:
        usage = destroy_key(settings, session, args.version, now=utcnow(), actor=ACTOR, force=args.force)
    lost = f"; made unmatchable or unreadable: {usage.describe()}" if usage.needed else ""
    print(f"master key version {usage.version} destroyed{lost}. Destroy old copies of the key file (backups) "
          "too, and restart running servers.")
    return 0


def add_key_commands(keys: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``arvio keys status`` and ``arvio keys destroy VERSION [--force]``."""
    keys.add_parser("status", help="key versions and what retained data needs each").set_defaults(
        handler=cmd_keys_status)
    destroy = keys.add_parser("destroy", help="destroy an old key version (see federation/privacy/key_lifecycle)")
    destroy.add_argument("version", type=int, help="the key version to destroy (never the current one)")
    destroy.add_argument("--force", action="store_true",
                         help="destroy even though retained pseudonyms or sealed texts still need it")
    destroy.set_defaults(handler=cmd_keys_destroy)


def add_privacy_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``arvio erase …`` and ``arvio retention run``."""
    erase = sub.add_parser("erase", help="erase one person's ratings (GDPR Art. 17) and print the receipt")
    erase.add_argument("--identifier", required=True,
                       help="the person's HETU, or - to read it from standard input (keeps it out of shell history)")
    erase.add_argument("--service", help="only this service (PTV id)")
    erase.add_argument("--org", help="only ratings this organisation (business ID) reported")
    erase.set_defaults(handler=cmd_erase)
    retention = sub.add_parser("retention", help="retention of microdata and pseudonyms").add_subparsers(
        dest="action", required=True)
    run = retention.add_parser("run", help="delete expired microdata, clear expired pseudonyms (run daily)")
    run.add_argument("--dry-run", action="store_true", help="only count what would change")
    run.set_defaults(handler=cmd_retention_run)
