"""``arvio report quarterly --org BUSINESS_ID --quarter 2026Q3 --out report.pdf [--lang fi|sv|en|se]``: an
organisation's printable quarterly report (exporters/report/). Every input is checked before the database is read;
the PDF is written to a temporary file beside ``--out`` and moved into place, so a failed run leaves no half file.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from exporters.report.content import QuarterlyReport, build_report
from exporters.report.quarter import parse_quarter
from exporters.report.texts import check_language, languages
from federation.db import Database, utcnow
from federation.errors import DomainError, ReportCode
from federation.registry.service import normalise_business_id
from federation.settings import Settings

MAX_PATH = 4096


def writable_output(raw: str) -> Path:
    """The output path, if a file can be written there; OUTPUT_NOT_WRITABLE with the reason otherwise."""
    if not raw.strip() or len(raw) > MAX_PATH or "\x00" in raw:
        raise DomainError(ReportCode.OUTPUT_NOT_WRITABLE, "--out must be a file path, e.g. report.pdf.")
    path = Path(raw).expanduser()
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise DomainError(ReportCode.OUTPUT_NOT_WRITABLE, f"--out {raw!r} is a folder; name a file in it, "
                                                          "e.g. report.pdf.")
    if not folder.is_dir():
        raise DomainError(ReportCode.OUTPUT_NOT_WRITABLE, f"the folder of --out {raw!r} does not exist; "
                                                          "create it first or choose another path.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise DomainError(ReportCode.OUTPUT_NOT_WRITABLE, f"--out {raw!r} cannot be written (no permission); "
                                                          "choose a path you may write to.")
    return path


def _mode_for(path: Path) -> int:
    """The permissions of the file replaced, or those a plain ``open`` would give (0666 less the umask)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file in ``path``'s folder, then move it over ``path``."""
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".arvio-report-", suffix=".pdf")
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise DomainError(ReportCode.OUTPUT_NOT_WRITABLE, f"--out {str(path)!r} could not be written "
                                                          f"({error.strerror}); choose another path.") from None


def _renderer() -> Callable[[QuarterlyReport, str], bytes]:
    try:
        from exporters.report.render import render_pdf  # noqa: PLC0415 - matplotlib is the optional `report` extra
    except ImportError:
        raise DomainError(ReportCode.RENDERER_MISSING, "drawing the report needs matplotlib: install arvio with "
                                                       "its report extra (pip install 'arvio[report]').") from None
    return render_pdf


def cmd_report_quarterly(args: argparse.Namespace, settings: Settings) -> int:
    language = check_language(args.lang)
    now = utcnow()
    quarter = parse_quarter(args.quarter, now=now)
    organisation_id = normalise_business_id(args.org)
    path = writable_output(args.out)
    render_pdf = _renderer()
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting logs every glyph at INFO
    database = Database(settings)
    try:
        with database.transaction(write=False) as session:
            report = build_report(session, organisation_id, quarter, now=now,
                                  publication_threshold=settings.publication_threshold,
                                  prior_weight=settings.ranking_prior_weight)
    finally:
        database.dispose()
    write_atomically(path, render_pdf(report, language))
    print(f"report {quarter.label} of {organisation_id}: {len(report.services)} services, "
          f"{len(report.events)} service events → {path}")
    return 0


def add_report_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report quarterly`` to the CLI's subcommands."""
    report = sub.add_parser("report", help="printable reports").add_subparsers(dest="action", required=True)
    quarterly = report.add_parser("quarterly", help="an organisation's quarterly report as a PDF")
    quarterly.add_argument("--org", required=True, help="business ID, e.g. 1000001-2")
    quarterly.add_argument("--quarter", required=True, help="the quarter, e.g. 2026Q3 (not one still to come)")
    quarterly.add_argument("--out", required=True, help="the PDF file to write, e.g. report.pdf")
    quarterly.add_argument("--lang", default="fi", help=f"language: {', '.join(languages())} (default fi)")
    quarterly.set_defaults(handler=cmd_report_quarterly)
