"""The export formats by name, their file names and media types, and writing an export with its signature."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from exporters import jsonld, opendata, ptv, tabular
from exporters.publications import ExportDataset
from exporters.signing import Digest, SigningKey, sign_digest

SIGNATURE_SUFFIX = ".sig"


@dataclass(frozen=True)
class Format:
    """An export format: its CLI name, the file name it is served and written as, and its renderer."""

    name: str
    file_name: str
    media_type: str
    render: Callable[[ExportDataset], Iterator[bytes]]


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("ptv-json", "scores.json", ptv.MEDIA_TYPE, ptv.render),
    Format("csv", "scores.csv", tabular.MEDIA_TYPE, tabular.render),
    Format("jsonld", "scores.jsonld", jsonld.MEDIA_TYPE, jsonld.render),
    Format("opendata", "opendata.zip", opendata.MEDIA_TYPE, opendata.render_zip),
)}
BY_FILE_NAME = {f.file_name: f for f in FORMATS.values()}


def write_signed(chunks: Iterator[bytes], path: Path, key: SigningKey) -> list[Path]:
    """Write ``chunks`` to ``path`` and its detached signature to ``path.sig``; returns both paths."""
    digest = Digest()
    with path.open("wb") as handle:
        for chunk in digest.tee(chunks):
            handle.write(chunk)
    signature = path.with_name(path.name + SIGNATURE_SUFFIX)
    signature.write_text(sign_digest(digest, key, file_name=path.name), encoding="utf-8")
    return [path, signature]


def sign_existing(path: Path, key: SigningKey) -> Path:
    """Sign a file already written (the open-data package's files)."""
    with path.open("rb") as handle:
        digest = Digest.of_stream(handle)
    signature = path.with_name(path.name + SIGNATURE_SUFFIX)
    signature.write_text(sign_digest(digest, key, file_name=path.name), encoding="utf-8")
    return signature


def export_to(dataset: ExportDataset, format_name: str, out: Path, key: SigningKey) -> list[Path]:
    """Write ``dataset`` as ``format_name`` to ``out`` and sign it. ``opendata`` writes a directory holding
    ``scores.csv``, ``service_kpis.csv`` and ``datapackage.json`` (each signed); other formats write one file."""
    chosen = FORMATS.get(format_name)
    if chosen is None:
        raise ValueError(f"unknown export format {format_name!r}; use one of {', '.join(FORMATS)}.")
    if format_name == "opendata":
        files = opendata.write_package(dataset, out)
        return [*files, *(sign_existing(f, key) for f in files)]
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_signed(chosen.render(dataset), out, key)
