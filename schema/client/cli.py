"""``arvio push ratings FILE``, ``arvio push volumes FILE`` and ``arvio scores``: the organisation client
(``schema/client/api.py``) on the command line.

The server is ``--url`` or ``ARVIO_URL`` (default http://127.0.0.1:8000); the ORGANISATION token is read from
``ARVIO_TOKEN`` or ``--token-file`` (never from the command line, where other users of the machine could read
it). A push shows a progress bar on a terminal, then a summary of accepted / duplicate / rejected lines; rejected
lines go to ``--rejected`` (default ``FILE.rejected.ndjson``). Exit status: 0 when every line was stored or was
a duplicate, 1 when some line was rejected, 2 when the push could not be done.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from federation.settings import Settings
from schema.client.api import ArvioClient, PushSummary
from schema.client.records import FileFormat, FileProblem, count_lines
from schema.client.transport import ClientError, RetryPolicy

DEFAULT_URL = "http://127.0.0.1:8000"


def _token(args: argparse.Namespace) -> str:
    if args.token_file:
        return Path(args.token_file).read_text(encoding="utf-8").strip()
    token = os.environ.get("ARVIO_TOKEN", "").strip()
    if not token:
        raise ClientError("no token: export ARVIO_TOKEN=… (from `arvio token issue --role ORGANISATION …`, given "
                          "by the operator) or pass --token-file.")
    return token


def _client(args: argparse.Namespace, console: Console) -> ArvioClient:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would bury the summary
    url = args.url or os.environ.get("ARVIO_URL") or DEFAULT_URL
    return ArvioClient(url, _token(args), policy=RetryPolicy(attempts=args.attempts),
                       on_retry=lambda text: console.print(f"[yellow]{text}[/]"))


def _print_summary(console: Console, summary: PushSummary) -> None:
    table = Table(title="arvio push", show_header=True)
    for column in ("accepted", "corrected", "duplicate", "rejected"):
        table.add_column(column, justify="right")
    table.add_row(str(summary.accepted), str(summary.corrected), str(summary.duplicates), str(summary.rejected))
    console.print(table)
    for problem in summary.problems[:20]:
        console.print(f"line {problem.line}: {problem.code}: {problem.message}", markup=False, highlight=False,
                      soft_wrap=True)
    if summary.rejected > 20:
        console.print(f"… and {summary.rejected - 20} more rejected lines")
    if summary.rejected_file is not None:
        console.print(f"rejected lines: {summary.rejected_file} (each with its line, code, message and original text)",
                      markup=False, soft_wrap=True)
    console.print("Resending a file is safe: lines already stored come back as duplicates.")


def cmd_push(args: argparse.Namespace, settings: Settings) -> int:
    """Push a file of ratings or volumes."""
    console = Console(stderr=True)
    path = Path(args.file)
    rejected = Path(args.rejected) if args.rejected else path.with_name(path.name + ".rejected.ndjson")
    try:
        total = count_lines(path)
        with _client(args, console) as client, Progress(
                TextColumn(f"{args.kind} {path.name}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=console, disable=args.quiet or not console.is_terminal) as bar:
            task = bar.add_task("push", total=total)
            push = client.push_ratings if args.kind == "ratings" else client.push_volumes
            summary = push(path, file_format=FileFormat(args.format), chunk=args.chunk, rejected_to=rejected,
                           progress=lambda lines: bar.advance(task, lines))
    except (ClientError, FileProblem) as error:
        console.print(f"arvio: {error}", markup=False, highlight=False, soft_wrap=True)
        return 2
    _print_summary(console, summary)
    return 1 if summary.rejected else 0


def cmd_scores(args: argparse.Namespace, settings: Settings) -> int:
    """Print the organisation's own scores."""
    console = Console()
    try:
        with _client(args, Console(stderr=True)) as client:
            scores = client.scores(question_id=args.question, last_days=args.last_days, locale=args.locale.upper())
    except ClientError as error:
        print(f"arvio: {error}", file=sys.stderr)
        return 2
    table = Table(title=f"{args.question}, last {args.last_days} days")
    extra = [(name, key) for name, key in (("NPS", "nps"), ("yes share", "yes_share"))
             if any(getattr(s, key) is not None for s in scores)]  # only the headlines the question has
    table.add_column("service", ratio=1)
    for column in ("answers", "mean", "95 % interval", *(name for name, _ in extra), "published"):
        table.add_column(column, justify="right", no_wrap=True)
    for s in scores:
        interval = "–" if s.low is None else f"{s.low:.2f}–{s.high:.2f}"
        table.add_row(s.service_name, "–" if s.count is None else str(s.count), number(s.mean), interval,
                      *(number(getattr(s, key)) for _, key in extra), "yes" if s.published else "no")
    console.print(table)
    return 0


def number(value: float | None) -> str:
    """A figure with two decimals, or a dash."""
    return "–" if value is None else f"{value:.2f}"


def _connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help=f"arvio's address (default $ARVIO_URL or {DEFAULT_URL})")
    parser.add_argument("--token-file", help="file holding the ORGANISATION token (default: $ARVIO_TOKEN)")
    parser.add_argument("--attempts", type=int, default=6, help="tries per request (retries on 429, 5xx and "
                        "connection errors, waiting Retry-After or an exponential backoff with jitter)")


def add_client_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``push ratings``, ``push volumes`` and ``scores`` to the CLI's subcommands."""
    push = sub.add_parser("push", help="send ratings or volumes from a file (an organisation's client)"
                          ).add_subparsers(dest="kind", required=True)
    for kind, what, chunk in (("ratings", "RatingInput", 1000), ("volumes", "ServiceVolumeInput", 500)):
        one = push.add_parser(kind, help=f"push {kind} from a CSV or NDJSON ({what} per line) file")
        one.add_argument("file", help="the file (.csv is read as CSV, anything else as NDJSON)")
        one.add_argument("--format", choices=[f.value for f in FileFormat], default="auto")
        one.add_argument("--chunk", type=int, default=chunk, help=f"lines per request (default {chunk})")
        one.add_argument("--rejected", help="where rejected lines go (default FILE.rejected.ndjson)")
        one.add_argument("--quiet", action="store_true", help="no progress bar")
        _connection(one)
        one.set_defaults(handler=cmd_push)
    scores = sub.add_parser("scores", help="your organisation's scores (ORGANISATION token)")
    scores.add_argument("--question", default="national.transaction-smooth")
    scores.add_argument("--last-days", type=int, default=365)
    scores.add_argument("--locale", choices=["fi", "sv", "en"], default="fi")
    _connection(scores)
    scores.set_defaults(handler=cmd_scores)
