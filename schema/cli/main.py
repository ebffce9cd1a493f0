"""The ``arvio`` command line: serve, migrate, registry, tokens, keys, schema, and the organisation client
(``push``, ``scores``: ``schema/client/cli.py``)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select

from federation.auth.models import Role
from federation.auth.tokens import issue_token, list_tokens, revoke_token
from federation.db import Database, utcnow
from federation.errors import DomainError
from federation.migrate import migrate
from federation.privacy.keyring import rotate_keys
from federation.registry.kinds import ChannelType
from federation.registry.models import Organisation
from federation.registry.service import (
    Names,
    normalise_business_id,
    upsert_channel,
    upsert_organisation,
    upsert_service,
)
from federation.settings import Settings, SettingsError
from schema.cli.demo import load_demo
from schema.cli.i18n import add_i18n_commands
from schema.cli.notify import add_notify_commands
from schema.cli.privacy import add_key_commands, add_privacy_commands
from schema.cli.publication import add_publication_commands
from schema.cli.report import add_report_commands
from schema.cli.research import add_researcher_commands
from schema.cli.tickets import add_ticket_commands
from schema.client.cli import add_client_commands
from schema.http.logs import configure_logging

Handler = Callable[[argparse.Namespace, Settings], int]


def _names(args: argparse.Namespace) -> Names:
    return Names(args.name_fi, args.name_sv, args.name_en)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # noqa: PLC0415 - only `serve` needs the server

    from schema.http.serve import ServerOptions, serve_workers  # noqa: PLC0415 - only `serve` needs the server
    from schema.wiring import build_app  # noqa: PLC0415 - nor the app: other commands skip starlette

    options = ServerOptions(settings.log_level.lower(), args.proxy_headers, args.forwarded_allow_ips)
    configure_logging(settings)  # the other commands keep the plain lines of main()
    database = Database(settings)
    migrate(database)
    if args.demo:
        load_demo(database, settings, scale=args.demo_scale)
    print(f"arvio on http://{args.host}:{args.port}/graphql  ({database.dialect}, {settings.environment})")
    print(f"dashboard on http://{args.host}:{args.port}/dashboard/  (organisations: /dashboard/organisation)")
    if args.workers > 1:
        database.dispose()
        return serve_workers(args.host, args.port, args.workers, options)
    app = build_app(settings, database=database, run_migrations=False)
    uvicorn.run(app, host=args.host, port=args.port, **options.uvicorn_options())
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    migrate(Database(settings))
    print("database is at the newest schema; national battery seeded")
    return 0


def cmd_org_add(args: argparse.Namespace, settings: Settings) -> int:
    with Database(settings).transaction() as session:
        org = upsert_organisation(session, args.business_id, _names(args), now=utcnow(), ptv_id=args.ptv_id,
                                  organisation_type=args.type)
        print(f"organisation {org.business_id} {org.name_fi}")
    return 0


def cmd_service_add(args: argparse.Namespace, settings: Settings) -> int:
    with Database(settings).transaction() as session:
        svc = upsert_service(session, args.service_id, _names(args), now=utcnow(),
                             organisation_ids=tuple(args.org), service_class=args.service_class)
        print(f"service {svc.id} {svc.name_fi}")
    return 0


def cmd_channel_add(args: argparse.Namespace, settings: Settings) -> int:
    with Database(settings).transaction() as session:
        channel = upsert_channel(session, args.channel_id, ChannelType(args.type), _names(args), now=utcnow(),
                                 service_ids=tuple(args.service))
        print(f"channel {channel.id} {channel.channel_type.value} {channel.name_fi}")
    return 0


def cmd_token_issue(args: argparse.Namespace, settings: Settings) -> int:
    now = utcnow()
    expires = now + dt.timedelta(days=args.expires_days) if args.expires_days else None
    org = normalise_business_id(args.org) if args.org else None
    with Database(settings).transaction() as session:
        plaintext, row = issue_token(session, role=Role(args.role), label=args.label, now=now,
                                     organisation_id=org, expires_at=expires)
        print(f"token id {row.id} ({row.role.value}{' ' + org if org else ''}); shown once, store it now:",
              file=sys.stderr)
    print(plaintext)
    return 0


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else "-"


def cmd_token_list(args: argparse.Namespace, settings: Settings) -> int:
    print("id\trole\torganisation\tlabel\tcreated\texpires\trevoked")
    with Database(settings).transaction(write=False) as session:
        for row in list_tokens(session):  # never the token or its hash
            print(f"{row.id}\t{row.role.value}\t{row.organisation_id or '-'}\t{row.label}\t{_when(row.created_at)}\t"
                  f"{_when(row.expires_at)}\t{_when(row.revoked_at)}")
    return 0


def cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    with Database(settings).transaction() as session:
        row = revoke_token(session, args.id, now=utcnow())
        print(f"token {row.id} ({row.role.value} {row.label}) revoked at {_when(row.revoked_at)}; "
              "requests with it are refused from now on")
    return 0


def cmd_org_list(args: argparse.Namespace, settings: Settings) -> int:
    with Database(settings).transaction(write=False) as session:
        for org in session.scalars(select(Organisation).order_by(Organisation.business_id)):
            print(f"{org.business_id}\t{org.name_fi}")
    return 0


def cmd_keys_rotate(args: argparse.Namespace, settings: Settings) -> int:
    ring = rotate_keys(settings)
    print(f"master key version {ring.current.version} is now current (kept: {list(ring.versions)})")
    return 0


def cmd_schema_print(args: argparse.Namespace, settings: Settings) -> int:
    from schema.graphql.api import print_sdl  # noqa: PLC0415 - only `schema print` needs strawberry

    text = print_sdl()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _add_names(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name-fi", required=True, help="Finnish name (required)")
    parser.add_argument("--name-sv", help="Swedish name")
    parser.add_argument("--name-en", help="English name")


def _add_serve_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes, each with its own SO_REUSEPORT socket on the port (use this, not "
                            "uvicorn --workers, which tends to give a burst of connections to one worker)")
    serve.add_argument("--proxy-headers", action="store_true",
                       help="behind a TLS proxy: take the client address and scheme from X-Forwarded-For and "
                            "X-Forwarded-Proto, only on connections from --forwarded-allow-ips")
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1", metavar="ADDRESSES",
                       help="comma-separated addresses or networks of the proxy whose forwarded headers are "
                            "trusted (default 127.0.0.1; * trusts any)")
    serve.add_argument("--demo", action="store_true", help="fill an empty database with the demo federation")
    serve.add_argument("--demo-scale", type=float, default=1.0, help="demo size (1.0 ≈ 100 000 ratings)")
    serve.set_defaults(handler=cmd_serve)


def _add_token_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``arvio token issue|list|revoke``."""
    token = sub.add_parser("token", help="bearer tokens").add_subparsers(dest="action", required=True)
    token_issue = token.add_parser("issue", help="issue a token (printed once)")
    token_issue.add_argument("--role", required=True, choices=[r.value for r in Role])
    token_issue.add_argument("--org", help="business ID (ORGANISATION tokens)")
    token_issue.add_argument("--label", required=True, help="who uses it (RESEARCHER: a registered researcher's name)")
    token_issue.add_argument("--expires-days", type=int)
    token_issue.set_defaults(handler=cmd_token_issue)
    token.add_parser("list", help="list tokens (id, role, organisation, label, created, expires, revoked; never "
                                  "the token)").set_defaults(handler=cmd_token_list)
    token_revoke = token.add_parser("revoke", help="revoke a token at once")
    token_revoke.add_argument("id", type=int, help="the token's id (arvio token list)")
    token_revoke.set_defaults(handler=cmd_token_revoke)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(prog="arvio", description="arvio — shared metrics of public-service ratings. "
                                     "Configuration comes from ARVIO_* variables (see README).")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_serve_command(sub)
    sub.add_parser("migrate", help="create or upgrade the database").set_defaults(handler=cmd_migrate)

    org = sub.add_parser("org", help="organisations").add_subparsers(dest="action", required=True)
    org_add = org.add_parser("add", help="register or update an organisation")
    org_add.add_argument("business_id", help="Y-tunnus, e.g. 0245437-2")
    _add_names(org_add)
    org_add.add_argument("--ptv-id")
    org_add.add_argument("--type", help="PTV organisation type, e.g. Municipality")
    org_add.set_defaults(handler=cmd_org_add)
    org.add_parser("list", help="list organisations").set_defaults(handler=cmd_org_list)

    service = sub.add_parser("service", help="services").add_subparsers(dest="action", required=True)
    service_add = service.add_parser("add", help="register or update a service")
    service_add.add_argument("service_id", help="PTV service id (GUID)")
    _add_names(service_add)
    service_add.add_argument("--org", action="append", default=[], help="business ID allowed to report (repeat)")
    service_add.add_argument("--service-class")
    service_add.set_defaults(handler=cmd_service_add)

    channel = sub.add_parser("channel", help="service channels").add_subparsers(dest="action", required=True)
    channel_add = channel.add_parser("add", help="register or update a channel")
    channel_add.add_argument("channel_id", help="PTV channel id (GUID)")
    channel_add.add_argument("--type", required=True, choices=[t.value for t in ChannelType])
    _add_names(channel_add)
    channel_add.add_argument("--service", action="append", default=[], help="service id it serves (repeat)")
    channel_add.set_defaults(handler=cmd_channel_add)

    add_researcher_commands(sub)

    _add_token_commands(sub)

    keys = sub.add_parser("keys", help="master keys").add_subparsers(dest="action", required=True)
    keys.add_parser("rotate", help="make a new current key version").set_defaults(handler=cmd_keys_rotate)
    add_key_commands(keys)
    add_privacy_commands(sub)

    schema_cmd = sub.add_parser("schema", help="the GraphQL schema").add_subparsers(dest="action", required=True)
    schema_print = schema_cmd.add_parser("print", help="print the SDL (schema.graphql)")
    schema_print.add_argument("--out")
    schema_print.set_defaults(handler=cmd_schema_print)
    add_publication_commands(sub)
    add_ticket_commands(sub)
    add_client_commands(sub)
    add_notify_commands(sub)
    add_report_commands(sub)
    add_i18n_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; expected failures print their message and exit 2."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        handler: Handler = args.handler
        return handler(args, settings)
    except (DomainError, SettingsError, ValueError, FileNotFoundError) as error:
        print(f"arvio: {getattr(error, 'message', error)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
