"""The open-data package: ``scores.csv`` and ``service_kpis.csv`` with a Frictionless ``datapackage.json``
(Tabular Data Package v1).

The descriptor declares every column's type, description and constraints (from :data:`tabular.COLUMNS` and
:data:`kpis.COLUMNS`), the licence, and each CSV's size and SHA-256, so a validator checks both the descriptor
and the data. ``service_kpis.csv`` (one row per service with published KPIs, keyed by ``service_id``) is always
present, with only its header when no service has any. Over HTTP the files travel as one zip (entries dated with
the figures' as-of time, so the zip is byte-for-byte stable).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from exporters import kpis, tabular
from exporters.figures import LICENSE, iso
from exporters.publications import ExportDataset
from exporters.signing import Digest

CSV_NAME = "scores.csv"
KPI_CSV_NAME = "service_kpis.csv"
DESCRIPTOR_NAME = "datapackage.json"
MEDIA_TYPE = "application/zip"
_CHUNK = 1 << 16


def descriptor(dataset: ExportDataset, csv_digest: Digest, kpi_digest: Digest | None = None) -> dict[str, Any]:
    """The ``datapackage.json`` of a scores CSV with ``csv_digest`` (and a KPI CSV with ``kpi_digest``)."""
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
                        "publication and question wording version. service_kpis.csv holds the services' "
                        "published KPIs (digital take-up, completion, contact-centre figures, waits, coverage, "
                        "response rate, cost per transaction) over the reporting days of the same window; a "
                        "figure whose base count is below the threshold is empty."),
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
    if kpi_digest is not None:
        package["resources"].append({
            "name": "service_kpis", "path": KPI_CSV_NAME, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "bytes": kpi_digest.size,
            "hash": f"sha256:{kpi_digest.hexdigest}",
            "dialect": {"delimiter": ",", "header": True, "lineTerminator": "\r\n"},
            "schema": {"fields": [_field(c) for c in kpis.COLUMNS], "missingValues": [""],
                       "primaryKey": ["service_id"]},
        })
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


def _descriptor_bytes(dataset: ExportDataset, csv_digest: Digest, kpi_digest: Digest) -> bytes:
    return orjson.dumps(descriptor(dataset, csv_digest, kpi_digest), option=orjson.OPT_INDENT_2) + b"\n"


def render_files(dataset: ExportDataset) -> dict[str, bytes]:
    """``scores.csv``, ``service_kpis.csv`` and ``datapackage.json`` as bytes, by file name."""
    digest, kpi_digest = Digest(), Digest()
    csv_bytes = b"".join(digest.tee(tabular.render(dataset)))
    kpi_bytes = b"".join(kpi_digest.tee(kpis.render(dataset)))
    return {CSV_NAME: csv_bytes, KPI_CSV_NAME: kpi_bytes,
            DESCRIPTOR_NAME: _descriptor_bytes(dataset, digest, kpi_digest)}


def write_package(dataset: ExportDataset, directory: Path) -> list[Path]:
    """Write ``scores.csv``, ``service_kpis.csv`` and ``datapackage.json`` into ``directory`` (created if
    missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    digest, kpi_digest = Digest(), Digest()
    csv_path, kpi_path = directory / CSV_NAME, directory / KPI_CSV_NAME
    for path, sink, chunks in ((csv_path, digest, tabular.render(dataset)),
                               (kpi_path, kpi_digest, kpis.render(dataset))):
        with path.open("wb") as handle:
            for chunk in sink.tee(chunks):
                handle.write(chunk)
    descriptor_path = directory / DESCRIPTOR_NAME
    descriptor_path.write_bytes(_descriptor_bytes(dataset, digest, kpi_digest))
    return [csv_path, kpi_path, descriptor_path]


def render_zip(dataset: ExportDataset) -> Iterator[bytes]:
    """The package as a zip (``scores.csv``, ``service_kpis.csv``, ``datapackage.json``), spooled to disk when
    large."""
    stamp = dataset.source.as_of.timetuple()[:6]
    with tempfile.SpooledTemporaryFile(max_size=1 << 20) as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            digest, kpi_digest = Digest(), Digest()
            for name, sink, chunks in ((CSV_NAME, digest, tabular.render(dataset)),
                                       (KPI_CSV_NAME, kpi_digest, kpis.render(dataset))):
                with archive.open(_entry(name, stamp), "w") as member:
                    for chunk in sink.tee(chunks):
                        member.write(chunk)
            archive.writestr(_entry(DESCRIPTOR_NAME, stamp), _descriptor_bytes(dataset, digest, kpi_digest))
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
