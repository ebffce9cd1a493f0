"""Reading an organisation's upload files for ``schema/client/api.py``: ratings or volumes, as CSV or NDJSON.

Each non-empty line becomes a :class:`Record` that keeps its line number and its original text, so every problem
(found here or by the server) is reported against the line of the file the caller wrote. CSV rows are converted
to the API's JSON shape (``RatingInput`` of ``POST /ingest/ratings``, ``ServiceVolumeInput`` of
``reportServiceVolumes``); a row that cannot be converted is a record with an ``error`` that names the column and
says how to fix it. Messages never repeat the values a file holds (a row may carry a free text).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

MAX_LINE_BYTES = 256 * 1024
"""The longest line read, as ``schema/http/bulk.py`` reads them (a longer line is a local error)."""
INT_RANGE = (-(2**31), 2**31 - 1)
"""GraphQL ``Int`` is 32-bit: a larger number would fail the whole request, so it fails its own line here."""


class Kind(Enum):
    """What a file holds."""

    RATINGS = "ratings"
    VOLUMES = "volumes"


class FileFormat(Enum):
    """How a file is written; ``AUTO`` goes by the suffix (``.csv``, else NDJSON)."""

    AUTO = "auto"
    CSV = "csv"
    NDJSON = "ndjson"


@dataclass(frozen=True)
class Record:
    """One line of the file: its number (1-based, header and blank lines counted), its text, and either the item
    in the API's JSON shape or the reason it cannot be sent."""

    line: int
    text: str
    item: dict[str, Any] | None
    error: str | None = None


class FileProblem(ValueError):
    """The file as a whole cannot be read (missing CSV columns, not UTF-8…)."""


RATING_COLUMNS = ("clientRef", "serviceId", "questionId", "answeredAt", "channelId", "value", "skipped", "locale",
                  "drivers", "text")
"""CSV columns of ratings; the first four are required. ``drivers`` are separated by ``;``, ``text`` is the
follow-up free text."""
VOLUME_COUNTS = ("transactionsCompleted", "transactionsStarted", "contactsReceived", "contactsAnsweredDirectly",
                 "callbacks", "contactsAbandoned", "resolvedAtFirstContact", "requestsReceived", "requestsResolved",
                 "requestsBacklog")
HOURLY_LISTS = ("hourlyContacts", "hourlyResolvedAtFirstContact")
"""Lists of 24 hourly counts: a JSON array in NDJSON, 24 numbers separated by ``;`` in a CSV cell."""
AGE_COLUMNS = {"backlogUnderOneDay": "underOneDay", "backlogOneToThreeDays": "oneToThreeDays",
               "backlogThreeToSevenDays": "threeToSevenDays", "backlogSevenToFourteenDays": "sevenToFourteenDays",
               "backlogOverFourteenDays": "overFourteenDays"}
MAX_HOURLY = 24
WAIT_COLUMNS = {"waitUnderOneMinute": "underOneMinute", "waitOneToFiveMinutes": "oneToFiveMinutes",
                "waitFiveToFifteenMinutes": "fiveToFifteenMinutes", "waitOverFifteenMinutes": "overFifteenMinutes"}
VOLUME_COLUMNS = ("serviceId", "channelId", "day", *VOLUME_COUNTS, *WAIT_COLUMNS, "costEur", *HOURLY_LISTS,
                  *AGE_COLUMNS)
"""CSV columns of volumes; ``serviceId``, ``channelId`` and ``day`` are required, the four wait columns go
together, and so do the five backlog age columns."""
REQUIRED = {Kind.RATINGS: RATING_COLUMNS[:4], Kind.VOLUMES: VOLUME_COLUMNS[:3]}
COLUMNS = {Kind.RATINGS: RATING_COLUMNS, Kind.VOLUMES: VOLUME_COLUMNS}


class BadValue(ValueError):
    """A CSV cell or JSON field that cannot be sent; the message says which and how to fix it."""


def _int(name: str, raw: object) -> int:
    if isinstance(raw, bool):
        raise BadValue(f"{name} must be a whole number, not true/false.")
    if isinstance(raw, str):
        try:
            raw = int(raw.strip())
        except ValueError:
            raise BadValue(f"{name} must be a whole number (digits only).") from None
    if not isinstance(raw, int):
        raise BadValue(f"{name} must be a whole number.")
    if not INT_RANGE[0] <= raw <= INT_RANGE[1]:
        raise BadValue(f"{name} is out of range; send a count below {INT_RANGE[1] + 1}.")
    return raw


def _float(name: str, raw: object) -> float:
    if isinstance(raw, bool):
        raise BadValue(f"{name} must be a number of euros, not true/false.")
    try:
        value = float(raw.strip().replace(",", ".")) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BadValue(f"{name} must be a number of euros, e.g. 180.50.") from None
    if not math.isfinite(value):
        raise BadValue(f"{name} must be a finite number of euros.")
    return value


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no", ""):
        return False
    raise BadValue(f"{name} must be true or false.")


def _day(raw: str) -> str:
    """A day as GraphQL ``Date`` takes it (a wrong one would fail the whole batch, so it fails its line here)."""
    try:
        if len(raw) != 10:
            raise ValueError
        dt.date.fromisoformat(raw)
    except ValueError:
        raise BadValue("day must be a calendar day written YYYY-MM-DD, e.g. 2026-03-14.") from None
    return raw


def _optional(row: dict[str, str], name: str) -> str | None:
    value = (row.get(name) or "").strip()
    return value or None


def rating_from_row(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row of ratings as a ``RatingInput`` object."""
    item: dict[str, Any] = {}
    for name in REQUIRED[Kind.RATINGS]:
        value = _optional(row, name)
        if value is None:
            raise BadValue(f"{name} is empty; every row needs clientRef, serviceId, questionId and answeredAt.")
        item[name] = value
    for name in ("channelId", "locale"):
        if (value := _optional(row, name)) is not None:
            item[name] = value
    if (value := _optional(row, "value")) is not None:
        item["value"] = _int("value", value)
    if _bool("skipped", row.get("skipped") or ""):
        item["skipped"] = True
    drivers = [d.strip() for d in (row.get("drivers") or "").split(";") if d.strip()]
    text = row.get("text") or None
    if drivers or text:
        item["followUp"] = {"drivers": drivers, "text": text}
    return item


def volume_from_row(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row of volumes as a ``ServiceVolumeInput`` object."""
    item: dict[str, Any] = {}
    for name in REQUIRED[Kind.VOLUMES]:
        value = _optional(row, name)
        if value is None:
            raise BadValue(f"{name} is empty; every row needs serviceId, channelId and day (YYYY-MM-DD).")
        item[name] = value
    item["day"] = _day(item["day"])
    for name in VOLUME_COUNTS:
        if (value := _optional(row, name)) is not None:
            item[name] = _int(name, value)
    for field, columns, what in (("waitingTime", WAIT_COLUMNS, "wait"), ("backlogAges", AGE_COLUMNS, "backlog age")):
        if (group := _group_of_row(row, columns, what)) is not None:
            item[field] = group
    if (value := _optional(row, "costEur")) is not None:
        item["costEur"] = _float("costEur", value)
    for name in HOURLY_LISTS:
        if (value := _optional(row, name)) is not None:
            item[name] = _hourly(name, value.split(";"))
    return item


def _group_of_row(row: dict[str, str], columns: dict[str, str], what: str) -> dict[str, int] | None:
    """Columns that go together (waits, backlog ages) as one input object; None when all are empty."""
    values = {api: _optional(row, column) for column, api in columns.items()}
    if all(v is None for v in values.values()):
        return None
    if any(v is None for v in values.values()):
        raise BadValue(f"the {len(columns)} {what} columns go together: fill all of " + ", ".join(columns) + ".")
    return {api: _int(api, v) for api, v in values.items()}


def _hourly(name: str, values: object) -> list[int]:
    """24 hourly counts (the API refuses another number with HOURLY_NOT_24; far more fails the line here)."""
    if not isinstance(values, list) or len(values) > MAX_HOURLY:
        raise BadValue(f"{name} must be a list of {MAX_HOURLY} counts, one per local hour 0–23.")
    return [_int(f"{name}[{hour}]", v) for hour, v in enumerate(values)]


VOLUME_TYPES: dict[str, Callable[[str, object], object]] = {
    **dict.fromkeys(VOLUME_COUNTS, _int), "costEur": _float,
}


def check_volume(item: object) -> dict[str, Any]:
    """An NDJSON volume object checked for the shape GraphQL needs (one wrong type would fail the whole batch)."""
    if not isinstance(item, dict):
        raise BadValue("the line must be a JSON object (a ServiceVolumeInput).")
    unknown = sorted(set(item) - {"serviceId", "channelId", "day", "waitingTime", "backlogAges", *HOURLY_LISTS,
                                  *VOLUME_TYPES})
    if unknown:
        raise BadValue(f"unknown field(s) {', '.join(unknown[:5])[:200]}; see ServiceVolumeInput in schema.graphql.")
    for name in REQUIRED[Kind.VOLUMES]:
        if not isinstance(item.get(name), str) or not item[name] or len(item[name]) > 200:
            raise BadValue(f"{name} must be a non-empty string (day as YYYY-MM-DD).")
    checked: dict[str, Any] = {name: item[name] for name in REQUIRED[Kind.VOLUMES]}
    checked["day"] = _day(checked["day"])
    for name, convert in VOLUME_TYPES.items():
        if item.get(name) is not None:
            if isinstance(item[name], str):
                raise BadValue(f"{name} must be a JSON number, not a string.")
            checked[name] = convert(name, item[name])
    for field, names in (("waitingTime", tuple(WAIT_COLUMNS.values())), ("backlogAges", tuple(AGE_COLUMNS.values()))):
        group = item.get(field)
        if group is not None:
            if not isinstance(group, dict) or set(group) != set(names):
                raise BadValue(f"{field} must be an object with " + ", ".join(names) + ".")
            checked[field] = {name: _int(f"{field}.{name}", group[name]) for name in names}
    for name in HOURLY_LISTS:
        if item.get(name) is not None:
            checked[name] = _hourly(name, item[name])
    return checked


def resolve_format(path: Path, file_format: FileFormat) -> FileFormat:
    """The format of ``path``: as given, or by its suffix when ``AUTO``."""
    if file_format is not FileFormat.AUTO:
        return file_format
    return FileFormat.CSV if path.suffix.lower() == ".csv" else FileFormat.NDJSON


def _ndjson(path: Path, kind: Kind) -> Iterator[Record]:
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if len(raw) > MAX_LINE_BYTES:
                yield Record(number, "", None, f"the line is longer than {MAX_LINE_BYTES} bytes; write one object "
                                               "per line.")
                continue
            try:
                text = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                yield Record(number, raw.decode("utf-8", errors="replace").rstrip("\r\n"), None,
                             "the line is not UTF-8 text; save the file as UTF-8.")
                continue
            if not text.strip():
                continue
            if kind is Kind.RATINGS:  # the server reads RatingInput lines itself and reports them by line
                yield Record(number, text, {})
                continue
            try:
                yield Record(number, text, check_volume(json.loads(text)))
            except json.JSONDecodeError:
                yield Record(number, text, None, "the line is not valid JSON; write one object per line.")
            except BadValue as error:
                yield Record(number, text, None, str(error))


def _csv(path: Path, kind: Kind) -> Iterator[Record]:
    convert = rating_from_row if kind is Kind.RATINGS else volume_from_row
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(f"{path.name} is not UTF-8 text; save the CSV as UTF-8.") from None
    lines = content.splitlines()
    reader = csv.DictReader(io.StringIO(content))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED[kind] if name not in header]
    if missing:
        raise FileProblem(f"{path.name} lacks the column(s) {', '.join(missing)}; the first line names the "
                          f"columns: {', '.join(COLUMNS[kind])}.")
    unknown = [name for name in header if name not in COLUMNS[kind]]
    if unknown:
        raise FileProblem(f"{path.name} has unknown column(s) {', '.join(unknown)[:200]}; use "
                          f"{', '.join(COLUMNS[kind])}.")
    reader.fieldnames = header
    start = reader.line_num
    try:
        yield from _rows(reader, lines, header, convert, start)
    except csv.Error as error:
        raise FileProblem(f"{path.name} line {reader.line_num}: the CSV cannot be read ({error}); check its quotes "
                          "and keep each cell under 128 KiB.") from None


def _rows(reader: csv.DictReader[str], lines: list[str], header: list[str],
          convert: Callable[[dict[str, str]], dict[str, Any]], start: int) -> Iterator[Record]:
    for row in reader:
        number = reader.line_num
        text = "\n".join(lines[start:number])
        start = number
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        if None in row:
            yield Record(number, text, None, f"the row has more cells than the {len(header)} columns.")
            continue
        try:
            yield Record(number, text, convert(row))
        except BadValue as error:
            yield Record(number, text, None, str(error))


def read_records(path: Path, kind: Kind, file_format: FileFormat = FileFormat.AUTO) -> Iterator[Record]:
    """The file's records in order (see the module docstring)."""
    if resolve_format(path, file_format) is FileFormat.CSV:
        return _csv(path, kind)
    return _ndjson(path, kind)


def count_lines(path: Path) -> int:
    """The number of lines, for the progress bar (read in blocks, never the whole file at once)."""
    count = 0
    last = b"\n"
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")
