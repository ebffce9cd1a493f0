"""GraphiQL at ``/graphql`` in development, in real headless Chromium with every request off 127.0.0.1 blocked:
the editor renders from arvio's own files (schema/http/static/graphiql/) and a query runs, with no console error or
CSP violation. Outside development neither the page nor its files are served."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from federation.settings import Settings
from schema.http.graphiql import CONTENT_SECURITY_POLICY
from schema.wiring import build_app
from tests.browser import ARTIFACTS, launch_chromium
from tests.conftest import Api, Clock
from tests.live import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture
def development_base(api: Api, app_settings: Settings, clock: Clock) -> Iterator[str]:
    settings = Settings(**{**app_settings.__dict__, "environment": "development"})
    with serve(build_app(settings, database=api.database, run_migrations=False, clock=clock)) as base:
        yield base


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_graphiql_renders_and_runs_a_query_offline(browser: Any, development_base: str) -> None:
    page = browser.new_page()
    problems: list[str] = []
    outside: list[str] = []

    def route(handled: Any) -> None:
        url = handled.request.url
        if url.startswith(development_base):
            handled.continue_()
        else:
            outside.append(url)
            handled.abort()

    page.route("**/*", route)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{development_base}/graphql", wait_until="load")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    editor.wait_for(timeout=30_000)
    page.evaluate("""() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror
                     .setValue('{ services(first: 5) { id name } }')""")
    page.locator(".graphiql-execute-button").click()
    result = page.locator(".graphiql-response .CodeMirror")
    result.get_by_text('"services"').wait_for(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(Path(ARTIFACTS) / "graphiql.png"))
    page.close()
    assert outside == []
    assert problems == []


@pytest.mark.parametrize("environment", ["production", "test"])
def test_graphiql_only_in_development(app_settings: Settings, api: Api, environment: str) -> None:
    settings = Settings(**{**app_settings.__dict__, "environment": environment})
    with TestClient(build_app(settings, database=api.database, run_migrations=False)) as client:
        page = client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 400
        assert client.get("/static/graphiql/graphiql.min.js").status_code == 404


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_page_and_files_carry_the_policy(app_settings: Settings, api: Api) -> None:
    settings = Settings(**{**app_settings.__dict__, "environment": "development"})
    with TestClient(build_app(settings, database=api.database, run_migrations=False)) as client:
        page = client.get("/graphql", headers={"Accept": "text/html"})
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "http" not in CONTENT_SECURITY_POLICY and "cdn" not in page.text.lower()
        for name in ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js",
                     "graphiql.min.css", "start.js", "page.css", "LICENSE.graphiql.txt"):
            assert client.get(f"/static/graphiql/{name}").status_code == 200, name
        for name in ("index.html", "..%2Fgraphiql.py", ".hidden", "README.md", "nope.js"):
            assert client.get(f"/static/graphiql/{name}").status_code == 404, name
