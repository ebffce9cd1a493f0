"""The ``arvio`` commands of publication: catalogue import, exports and their signatures, publications."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from exporters import jsonld
from exporters.formats import FORMATS, SIGNATURE_SUFFIX, export_to, write_signed
from exporters.publications import ServiceScores, consistent_reads, load_dataset, resolve_source
from exporters.signing import (
    SignatureError,
    open_signing_keys,
    parse_public_key_set,
    rotate_signing_keys,
    signing_key_path,
    verify,
)
from federation.db import Database, utcnow
from federation.errors import NotFound, PublicationCode
from federation.publication import service as publications
from federation.publication.models import Publication
from federation.publication.periods import Period
from federation.registry.catalogue import apply_catalogue, parse_documents, read_paths
from federation.registry.service import normalise_guid
from federation.settings import Settings

ACTOR = "cli"


def cmd_catalogue_import(args: argparse.Namespace, settings: Settings) -> int:
    """Parse PTV JSON files and upsert the registry, with a progress bar; problems are listed at the end."""
    console = Console(stderr=True)
    catalogue = parse_documents(read_paths(Path(p) for p in args.paths))
    with Database(settings).transaction() as session, Progress(
            TextColumn("importing catalogue"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=console, disable=args.quiet) as bar:
        task = bar.add_task("import", total=catalogue.size)
        report = apply_catalogue(session, catalogue, now=utcnow(), actor=ACTOR,
                                 archive_missing=not args.partial, progress=lambda n: bar.advance(task, n))
    for kind, counts in sorted(report.counts.items()):
        print(f"{kind}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"services archived: {report.archived}; links added: {report.links_added}; "
          f"problems: {len(report.problems)}")
    for problem in report.problems:
        print(f"  {problem}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write an export (file, or a directory for ``opendata``) and its detached signature(s)."""
    if not args.format or not args.out:
        raise ValueError("give --format and --out, e.g. arvio export --format jsonld --out scores.jsonld "
                         f"(formats: {', '.join(FORMATS)}).")
    now = utcnow()
    ring = open_signing_keys(settings, now=now)
    period = Period.parse(args.period) if args.period else None
    out = Path(args.out)
    with Database(settings).transaction(write=False) as session:
        consistent_reads(session)
        source = resolve_source(session, args.source, now=now, period=period,
                                publication_threshold=settings.publication_threshold)
        ids = [normalise_guid(args.service, "Service")] if args.service else None
        dataset = load_dataset(session, source, service_ids=ids)
        counted = _Counted(dataset.services)
        dataset = dataclasses.replace(dataset, services=counted)
        if args.service:
            if args.format != "jsonld":
                raise ValueError("--service exports one service's JSON-LD; use it with --format jsonld.")
            first = next(jsonld.rated(dataset), None)
            if first is None:
                raise NotFound(PublicationCode.NO_PUBLISHED_SCORES, f"service {args.service} has no published score in "
                                                                    f"{source.label}.")
            files = write_signed(iter([jsonld.service_document(dataset, first)]), out, ring.current)
        else:
            files = export_to(dataset, args.format, out, ring.current)
    print(f"{source.label}: {counted.count} services, signed with {ring.current.key_id}")
    for path in files:
        print(path)
    return 0


class _Counted:
    """The services of a dataset, counting how many the last pass over them gave."""

    def __init__(self, services: Iterable[ServiceScores]) -> None:
        self._services = services
        self.count = 0

    def __iter__(self) -> Iterator[ServiceScores]:
        self.count = 0
        for service in self._services:
            self.count += 1
            yield service


def _public_keys(args: argparse.Namespace, settings: Settings) -> str:
    if args.keys:
        if args.keys.startswith(("https://", "http://")):
            with urllib.request.urlopen(args.keys, timeout=30) as response:  # noqa: S310 - scheme checked above
                return str(response.read().decode("utf-8"))
        return Path(args.keys).read_text(encoding="utf-8")
    path = signing_key_path(settings)
    if path is None or not path.exists():
        raise ValueError("no public keys: pass --keys with the file or URL of /.well-known/"
                         "arvio-export-keys.json.")
    return json.dumps(open_signing_keys(settings, now=utcnow()).jwks())


def cmd_export_verify(args: argparse.Namespace, settings: Settings) -> int:
    """Check a file against its detached signature; exit 1 when it does not verify."""
    path = Path(args.file)
    signature = Path(args.signature) if args.signature else path.with_name(path.name + SIGNATURE_SUFFIX)
    keys = parse_public_key_set(_public_keys(args, settings))
    try:
        with path.open("rb") as handle:
            verified = verify(handle, signature.read_text(encoding="utf-8"), keys)
    except SignatureError as error:
        print(f"arvio: {path}: signature NOT valid: {error}", file=sys.stderr)
        return 1
    print(f"OK {path}: signed by {verified.key_id} ({verified.size} bytes, sha256 {verified.sha256})")
    return 0


def cmd_export_public_key(args: argparse.Namespace, settings: Settings) -> int:
    """Print the public signing keys (the document served at the well-known URL)."""
    print(json.dumps(open_signing_keys(settings, now=utcnow()).jwks(), indent=2))
    return 0


def cmd_export_keys_rotate(args: argparse.Namespace, settings: Settings) -> int:
    """Add a new current signing key; older keys keep verifying."""
    ring = rotate_signing_keys(settings, now=utcnow())
    print(f"signing key {ring.current.key_id} is now current (kept: {', '.join(ring.public_keys())})")
    return 0


def _describe(row: Publication) -> str:
    published = row.published_at.isoformat() if row.published_at else "-"
    replaces = f" replaces {row.replaces_number}" if row.replaces_number else ""
    return (f"{row.number}\t{row.period}\t{row.status.value}\tpublished {published}\t"
            f"changes {len(row.changelog or [])}{replaces}")


def cmd_publication_draft(args: argparse.Namespace, settings: Settings) -> int:
    """Freeze a period's published scores as a draft."""
    with Database(settings).transaction() as session:
        row = publications.create_draft(session, Period.parse(args.period), now=utcnow(), actor=ACTOR,
                                        publication_threshold=settings.publication_threshold, note=args.note)
        print(_describe(row))
    return 0


def cmd_publication_publish(args: argparse.Namespace, settings: Settings) -> int:
    """Publish a draft."""
    with Database(settings).transaction() as session:
        print(_describe(publications.publish(session, args.number, now=utcnow(), actor=ACTOR)))
    return 0


def cmd_publication_discard(args: argparse.Namespace, settings: Settings) -> int:
    """Discard a draft."""
    with Database(settings).transaction() as session:
        publications.discard_draft(session, args.number, now=utcnow(), actor=ACTOR)
    print(f"draft {args.number} discarded")
    return 0


def cmd_publication_list(args: argparse.Namespace, settings: Settings) -> int:
    """List publications, newest first."""
    with Database(settings).transaction(write=False) as session:
        for row in publications.list_publications(session):
            print(_describe(row))
    return 0


def cmd_publication_show(args: argparse.Namespace, settings: Settings) -> int:
    """One publication with its changelog (JSON)."""
    with Database(settings).transaction(write=False) as session:
        row = publications.get_publication(session, args.number)
        print(_describe(row))
        if row.note:
            print(f"note: {row.note}")
        print(json.dumps(row.changelog or [], indent=2, ensure_ascii=False))
    return 0


def add_publication_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``catalogue``, ``export`` and ``publication`` under the ``arvio`` parser."""
    catalogue = sub.add_parser("catalogue", help="the national service catalogue (PTV)").add_subparsers(
        dest="action", required=True)
    imp = catalogue.add_parser("import", help="import PTV open API v11 JSON files or a directory of them")
    imp.add_argument("paths", nargs="+", help="JSON file(s) or directories")
    imp.add_argument("--partial", action="store_true", help="the files are not the whole catalogue: do not "
                     "archive services missing from them")
    imp.add_argument("--quiet", action="store_true", help="no progress bar")
    imp.set_defaults(handler=cmd_catalogue_import)

    export = sub.add_parser("export", help="signed exports of published scores")
    export.add_argument("--format", choices=list(FORMATS), help="ptv-json, csv, jsonld or opendata")
    export.add_argument("--out", help="output file (a directory for opendata); NAME.sig is written beside")
    export.add_argument("--source", default="latest", help="latest (default), a publication number, or live")
    export.add_argument("--period", help="with --source live: a period such as 2026-Q1 instead of the "
                        "last 365 days")
    export.add_argument("--service", help="one service's JSON-LD (with --format jsonld)")
    export.set_defaults(handler=cmd_export)
    actions = export.add_subparsers(dest="export_action")
    check = actions.add_parser("verify", help="verify a file against its detached signature")
    check.add_argument("file")
    check.add_argument("--signature", help="the .sig file (default: FILE.sig)")
    check.add_argument("--keys", help="public keys: a file or URL of /.well-known/arvio-export-keys.json "
                       "(default: this installation's key file)")
    check.set_defaults(handler=cmd_export_verify)
    actions.add_parser("public-key", help="print the public signing keys (JWKS)").set_defaults(
        handler=cmd_export_public_key)
    keys = actions.add_parser("keys", help="signing keys").add_subparsers(dest="keys_action", required=True)
    keys.add_parser("rotate", help="make a new current signing key").set_defaults(handler=cmd_export_keys_rotate)

    pub = sub.add_parser("publication", help="numbered, frozen publications").add_subparsers(
        dest="action", required=True)
    draft = pub.add_parser("draft", help="freeze a period's published scores as a draft")
    draft.add_argument("--period", required=True, help="2026, 2026-Q1 or 2026-03 (must have ended)")
    draft.add_argument("--note", help="why (e.g. correction after erasure)")
    draft.set_defaults(handler=cmd_publication_draft)
    for name, handler, text in (("publish", cmd_publication_publish, "publish a draft"),
                                ("discard", cmd_publication_discard, "discard a draft"),
                                ("show", cmd_publication_show, "show one with its changelog")):
        one = pub.add_parser(name, help=text)
        one.add_argument("number", type=int)
        one.set_defaults(handler=handler)
    pub.add_parser("list", help="list publications").set_defaults(handler=cmd_publication_list)
