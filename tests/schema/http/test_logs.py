"""Structured logs (schema/http/logs.py) and the access line of every request (schema/http/observe.py): JSON with
the request id, route templates not raw paths, no tokens or query strings, client errors below ERROR."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from federation.settings import Settings, SettingsError
from schema.http.logs import ConsoleFormatter, JsonFormatter, configure_logging
from tests.conftest import SERVICE_A, Api

SECRET = "131052-308T"


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The root logger writing JSON lines into a buffer, as ``ARVIO_LOG_FORMAT=json`` sets it up."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    configure_logging(Settings(log_format="json", log_level="INFO"))
    stream = io.StringIO()
    assert isinstance(root.handlers[0], logging.StreamHandler)
    root.handlers[0].setStream(stream)
    try:
        yield stream
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def _records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def _access(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["logger"] == "arvio.access"]


def test_access_line_is_json_with_request_id_and_route_template(api: Api, json_lines: io.StringIO) -> None:
    api.client.get(f"/dashboard/services/{SERVICE_A}?hetu={SECRET}", headers={"X-Request-Id": "req-1"})
    api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": "req-2",
                                                                           "Authorization": "Bearer arvio_secret"})
    records = _records(json_lines)
    access = _access(records)
    assert [a["request_id"] for a in access] == ["req-1", "req-2"]
    page, graphql = access[0]["http"], access[1]["http"]
    assert page["route"] == "/dashboard/services/{service_id}" and page["method"] == "GET"
    assert page["status"] == 200 and page["code"] == "none" and page["duration_ms"] >= 0
    assert graphql == {**graphql, "route": "/graphql", "operation": "other", "status": 401,
                       "code": "UNAUTHENTICATED"}
    assert access[0]["level"] == "INFO" and access[0]["time"].endswith("+00:00")
    text = " ".join(orjson.dumps(r).decode() for r in records if r["logger"] != "httpx")  # the test's client
    assert SERVICE_A not in text and SECRET not in text and "arvio_secret" not in text


def test_client_errors_log_below_error(api: Api, json_lines: io.StringIO) -> None:
    api.gql("{ nope }")
    api.client.post("/graphql", json={"query": "{ viewer { label } }"}, headers={"Authorization": "Bearer bad"})
    api.client.get("/no/such/page")
    api.client.post("/graphql", content=b"{", headers={"content-type": "application/json"})
    records = _records(json_lines)
    assert records and all(r["level"] in {"DEBUG", "INFO", "WARNING"} for r in records), records
    codes = [a["http"]["code"] for a in _access(records)]
    assert codes == ["GRAPHQL_VALIDATION_FAILED", "UNAUTHENTICATED", "none", "BAD_REQUEST"]


def test_server_fault_logs_error_with_frames_only() -> None:
    try:
        raise RuntimeError(f"boom {SECRET}")
    except RuntimeError:
        record = logging.LogRecord("arvio.x", logging.ERROR, __file__, 1, "failed", None, __import__("sys").exc_info())
    line = orjson.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["exception"].startswith("RuntimeError\n")
    assert "test_logs.py" in line["exception"] and SECRET not in line["exception"]
    console = ConsoleFormatter().format(record)
    assert "ERROR arvio.x [-] failed" in console and SECRET not in console


def test_probes_log_at_debug(api: Api, json_lines: io.StringIO) -> None:
    api.client.get("/healthz")
    assert _access(_records(json_lines)) == []


@pytest.mark.parametrize(("variable", "value"), [("ARVIO_LOG_FORMAT", "xml"), ("ARVIO_LOG_LEVEL", "LOUD"),
                                                 ("ARVIO_METRICS_ALLOW", "10.0.0.0/8,not-an-address")])
def test_bad_log_and_metrics_settings_are_refused(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})


def test_log_settings_from_the_environment() -> None:
    settings = Settings.from_env({"ARVIO_LOG_FORMAT": "JSON", "ARVIO_LOG_LEVEL": "warning",
                                  "ARVIO_METRICS_ALLOW": "none"})
    assert (settings.log_format, settings.log_level, settings.metrics_networks) == ("json", "WARNING", ())
