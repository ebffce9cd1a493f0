"""The open-data package: ``scores.csv`` with a Frictionless ``datapackage.json`` (Tabular Data Package v1).

The descriptor declares every column's type, description and constraints (from :data:`tabular.COLUMNS`), the
licence, and the CSV's size and SHA-256, so a validator checks both the descriptor and the data. Over HTTP the
two files travel as one zip (entries dated with the figures' as-of time, so the zip is byte-for-byte stable).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from exporters import tabular
from exporters.figures import LICENSE, iso
from exporters.publications import ExportDataset
from exporters.signing import Digest

CSV_NAME = "scores.csv"
DESCRIPTOR_NAME = "datapackage.json"
MEDIA_TYPE = "application/zip"
_CHUNK = 1 << 16


def descriptor(dataset: ExportDataset, csv_digest: Digest) -> dict[str, Any]:
    """The ``datapackage.json`` of a CSV with ``csv_digest``."""
    source = dataset.source
    what = f"publication {source.number} ({source.period})" if source.number is not None else "live figures"
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": f"arvio-scores-{source.label}",
        "id": f"urn:arvio:{source.label}",
        "title": f"arvio: published customer ratings of public services, {what}",
        "description": (f"Per-service and per-channel scores of the national customer-rating questions for "
                        f"{iso(source.start)}/{iso(source.end)}. Only scores with at least "
                        f"{source.publication_threshold} answers are included; every row states its period, "
                        "publication and question wording version."),
        "created": iso(source.as_of),
        "keywords": ["customer satisfaction", "public services", "PTV", "asiakastyytyväisyys"],
        "licenses": [LICENSE],
        "resources": [{
            "name": "scores", "path": CSV_NAME, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "bytes": csv_digest.size,
            "hash": f"sha256:{csv_digest.hexdigest}",
            "dialect": {"delimiter": ",", "header": True, "lineTerminator": "\r\n"},
            "schema": {"fields": [_field(c) for c in tabular.COLUMNS], "missingValues": [""]},
        }],
    }
    if source.number is not None:
        package["version"] = f"{source.number}.0.0"
    return package


def _field(column: tabular.Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "datetime":
        field["format"] = "default"
    if column.constraints:
        field["constraints"] = column.constraints
    return field


def render_files(dataset: ExportDataset) -> tuple[bytes, bytes]:
    """``(scores.csv, datapackage.json)`` as bytes."""
    digest = Digest()
    csv_bytes = b"".join(digest.tee(tabular.render(dataset)))
    return csv_bytes, orjson.dumps(descriptor(dataset, digest), option=orjson.OPT_INDENT_2) + b"\n"


def write_package(dataset: ExportDataset, directory: Path) -> list[Path]:
    """Write ``scores.csv`` and ``datapackage.json`` into ``directory`` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    digest = Digest()
    csv_path = directory / CSV_NAME
    with csv_path.open("wb") as handle:
        for chunk in digest.tee(tabular.render(dataset)):
            handle.write(chunk)
    descriptor_path = directory / DESCRIPTOR_NAME
    descriptor_path.write_bytes(orjson.dumps(descriptor(dataset, digest), option=orjson.OPT_INDENT_2) + b"\n")
    return [csv_path, descriptor_path]


def render_zip(dataset: ExportDataset) -> Iterator[bytes]:
    """The package as a zip (``scores.csv`` + ``datapackage.json``), spooled to disk when large."""
    stamp = dataset.source.as_of.timetuple()[:6]
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            digest = Digest()
            with archive.open(_entry(CSV_NAME, stamp), "w") as member:
                for chunk in digest.tee(tabular.render(dataset)):
                    member.write(chunk)
            archive.writestr(_entry(DESCRIPTOR_NAME, stamp),
                             orjson.dumps(descriptor(dataset, digest), option=orjson.OPT_INDENT_2) + b"\n")
        spool.seek(0)
        while chunk := spool.read(_CHUNK):
            yield chunk


def _entry(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5]))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def read_zip(data: bytes) -> dict[str, bytes]:
    """The members of a package zip (for round trips and for publishers without unzip)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
