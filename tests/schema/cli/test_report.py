"""``arvio report quarterly`` (schema/cli/report.py): a PDF for a registered organisation, and clear refusals of
an unknown organisation, a malformed or future quarter, an unknown language and an output that cannot be written."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from federation.db import Database, utcnow
from federation.demo import ORGANISATIONS, install_demo_registry
from federation.settings import Settings
from schema.cli.main import main

CITY = ORGANISATIONS[0]


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARVIO_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ARVIO_MASTER_KEY", base64.b64encode(bytes(range(32))).decode())
    monkeypatch.setenv("ARVIO_ENV", "test")
    monkeypatch.chdir(tmp_path)
    assert main(["migrate"]) == 0
    database = Database(Settings.from_env())
    with database.transaction() as session:
        install_demo_registry(session, now=utcnow())
    database.dispose()
    return tmp_path


def _last_quarter() -> str:
    today = utcnow().date() - dt.timedelta(days=100)
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def test_a_report_is_written_for_a_registered_organisation(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = cli_env / "report.pdf"
    quarter = _last_quarter()
    assert main(["report", "quarterly", "--org", CITY.business_id, "--quarter", quarter, "--out", str(out),
                 "--lang", "sv"]) == 0
    assert f"report {quarter} of {CITY.business_id}" in capsys.readouterr().out
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert CITY.sv in text and quarter in text and "Kvartalsrapport" in text
    assert [p.name for p in cli_env.iterdir() if p.name.startswith(".arvio-report-")] == []


@pytest.mark.parametrize(("arguments", "message"), [
    (["--org", "0245437-2"], "No organisation 0245437-2 is registered"),
    (["--org", "not-an-id"], "not a valid Finnish business ID"),
    (["--quarter", "2026Q5"], "is not a quarter; write the year and the quarter 1–4"),
    (["--quarter", f"{utcnow().year + 1}Q1"], "has not begun yet"),
    (["--lang", "de"], "--lang must be one of fi, en, se, sv"),
    (["--out", "missing-folder/report.pdf"], "does not exist"),
    (["--out", "."], "is a folder"),
])
def test_bad_inputs_are_refused_with_a_fixing_message(cli_env: Path, capsys: pytest.CaptureFixture[str],
                                                      arguments: list[str], message: str) -> None:
    given = {"--org": CITY.business_id, "--quarter": _last_quarter(), "--out": "report.pdf", "--lang": "fi"}
    given.update(zip(arguments[::2], arguments[1::2], strict=True))
    argv = ["report", "quarterly", *(part for pair in given.items() for part in pair)]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (cli_env / "report.pdf").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any folder")
def test_a_folder_without_write_permission_is_refused(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = cli_env / "locked"
    locked.mkdir(mode=0o500)
    assert main(["report", "quarterly", "--org", CITY.business_id, "--quarter", _last_quarter(), "--out",
                 str(locked / "report.pdf")]) == 2
    assert "cannot be written" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc, where no file can be created")
def test_a_failed_write_leaves_no_file_and_says_why(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "quarterly", "--org", CITY.business_id, "--quarter", _last_quarter(), "--out",
                 "/proc/arvio-report.pdf"]) == 2
    assert "/proc/arvio-report.pdf" in capsys.readouterr().err
    assert not Path("/proc/arvio-report.pdf").exists()


def test_the_pdf_gets_the_permissions_of_a_plain_file(cli_env: Path) -> None:
    out = cli_env / "report.pdf"
    umask = os.umask(0o027)
    try:
        assert main(["report", "quarterly", "--org", CITY.business_id, "--quarter", _last_quarter(), "--out",
                     str(out)]) == 0
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o640
    out.chmod(0o644)
    assert main(["report", "quarterly", "--org", CITY.business_id, "--quarter", _last_quarter(), "--out",
                 str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o644
