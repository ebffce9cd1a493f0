"""Log output of arvio processes: one JSON object per line (``ARVIO_LOG_FORMAT=json``) or a line for people
(``console``), at ``ARVIO_LOG_LEVEL``.

Standard :mod:`logging` with our own formatter, not structlog: every module of arvio, uvicorn, Alembic and
SQLAlchemy already log through it, so one root handler formats them all the same way without a bridge or a new
dependency. Every line carries the request id of :mod:`schema.http.request_ids` (``-`` outside a request); access
lines (:mod:`schema.http.observe`) add an ``http`` object with their bounded fields.

An exception is written as its class and the frames of its traceback (file, line, function) — never its message
or source lines, which can hold what a caller sent (as :func:`schema.graphql.errors.log_errors` does).
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from types import TracebackType

import orjson

from federation.settings import Settings
from schema.http import request_ids

CONSOLE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def frames_only(exc_info: ExcInfo) -> str:
    """An exception as its class and its traceback's frames, without its message."""
    kind, _value, tb = exc_info
    frames = traceback.StackSummary.extract(traceback.walk_tb(tb), lookup_lines=False)
    name = kind.__name__ if kind is not None else "Exception"
    return name + "".join(f"\n  {f.filename}:{f.lineno} in {f.name}" for f in frames)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, request id, ``http`` and ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": request_ids.current(),
        }
        http = getattr(record, "http", None)
        if http is not None:
            line["http"] = http
        if record.exc_info:
            line["exception"] = frames_only(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class ConsoleFormatter(logging.Formatter):
    """A line for people, with the request id; exceptions as class and frames."""

    def __init__(self) -> None:
        super().__init__(CONSOLE_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_ids.current()
        exc_info, record.exc_info, record.exc_text = record.exc_info, None, None
        try:
            text = super().format(record)
        finally:
            record.exc_info = exc_info
        return f"{text}\n{frames_only(exc_info)}" if exc_info else text


def configure_logging(settings: Settings) -> None:
    """Send every logger's records to standard error in the configured format and level (replacing earlier
    handlers of the root logger; uvicorn's loggers propagate to it when uvicorn is given no log config)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else ConsoleFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # Neither format shows the thread, the process or the calling frame: not gathering them makes each record
    # (an access line per request) cheaper — the "Optimization" switches of the logging HOWTO.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # no sys._getframe() walk per record
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
