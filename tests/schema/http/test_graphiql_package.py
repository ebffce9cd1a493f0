"""Every file GraphiQL's page needs (schema/http/static/graphiql/) is package data in pyproject.toml, so an
installed arvio serves the page as a checkout does; the page names only files that are there."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

from schema.http.graphiql import STATIC

ROOT = Path(__file__).resolve().parents[3]


def test_every_graphiql_file_is_package_data() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    patterns = data["schema.http"]
    files = [p.relative_to(STATIC.parent.parent).as_posix() for p in STATIC.iterdir() if p.is_file()]
    assert {"static/graphiql/graphiql.min.js", "static/graphiql/LICENSE.react.txt"} <= set(files)
    assert all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns) for f in files), files


def test_the_page_loads_only_files_of_the_folder() -> None:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(sources) == 7
    assert all(s.startswith("/static/graphiql/") and (STATIC / s.rsplit("/", 1)[1]).is_file() for s in sources)
