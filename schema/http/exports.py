"""HTTP routes of publication: signed export downloads, the signing keys, and the federation subgraph.

``GET /exports/{source}/{file}`` where source is ``latest``, a publication number or ``live`` and file is
``scores.json`` (PTV-keyed), ``scores.csv``, ``scores.jsonld`` or ``opendata.zip``; append ``.sig`` for the
detached signature. ``GET /exports/{source}/services/{id}.jsonld`` is one service's JSON-LD. Publications
and single services are public; the live feed of the whole catalogue needs a PUBLISHER or ADMIN token.
An export is rendered into a file while its SHA-256 is computed, which gives a strong ETag; the body then streams
from the file, so large catalogues are never held in memory. Whole-catalogue exports are kept and reused until an
answer changes or ``ARVIO_EXPORT_CACHE_SECONDS`` pass (schema/http/export_cache.py); single services are rendered
per request.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import hashlib
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from exporters import jsonld
from exporters.formats import BY_FILE_NAME, SIGNATURE_SUFFIX, Format
from exporters.publications import ExportDataset, Source, consistent_reads, load_dataset, resolve_source
from exporters.signing import WELL_KNOWN_PATH, Digest, SigningKeyRing, open_signing_keys, sign_digest
from federation.auth.models import Role
from federation.auth.tokens import authenticate, require_role
from federation.errors import DomainError, NotFound, PublicationCode, RequestCode, Unauthenticated
from federation.registry.service import normalise_guid
from federation.shared.stamps import catalogue_version
from schema.graphql.subgraph import SubgraphContext, build_subgraph_schema
from schema.http.export_cache import ExportCache
from schema.http.requests import bearer, error_response, read_payload
from schema.http.state import App

_CHUNK = 1 << 16
_SPOOL_IN_MEMORY = 1 << 20
"""An export up to this size is spooled in memory, a larger one on disk (memory stays flat in the catalogue)."""


class SigningKeys:
    """The signing key ring, opened on first use (so a server that never exports needs no key file)."""

    def __init__(self, opener: Callable[[], SigningKeyRing]) -> None:
        self._opener = opener
        self._ring: SigningKeyRing | None = None
        self._lock = threading.Lock()

    def ring(self) -> SigningKeyRing:
        """The ring, opened once."""
        with self._lock:
            if self._ring is None:
                self._ring = self._opener()
            return self._ring


@dataclass
class Rendered:
    """An export rendered to a spool or a kept file (``spool`` reads it from the start), with its digest and the
    figures' source."""

    spool: IO[bytes]
    digest: Digest
    source: Source
    file_name: str
    media_type: str

    @property
    def etag(self) -> str:
        """A strong ETag: the content's SHA-256."""
        return f'"{self.digest.hexdigest[:40]}"'

    def chunks(self) -> Iterator[bytes]:
        """The body, read back from the spool (closed at the end)."""
        try:
            self.spool.seek(0)
            while chunk := self.spool.read(_CHUNK):
                yield chunk
        finally:
            self.spool.close()


def publication_routes(state: App) -> list[Route]:
    """Routes to add to the app: exports, the well-known signing keys and ``/subgraph``."""
    keys = SigningKeys(lambda: open_signing_keys(state.settings, now=state.clock()))
    subgraph = build_subgraph_schema(state.settings)
    exports = Exports(state, keys, ExportCache(state.settings.export_cache_seconds))
    return [
        Route(WELL_KNOWN_PATH, functools.partial(well_known_keys, keys), methods=["GET"]),
        Route("/exports/{source}/services/{name}", functools.partial(service_export, exports), methods=["GET"]),
        Route("/exports/{source}/{name}", functools.partial(catalogue_export, exports), methods=["GET"]),
        Route("/subgraph", functools.partial(subgraph_endpoint, state, subgraph), methods=["GET", "POST"]),
    ]


async def well_known_keys(keys: SigningKeys, request: Request) -> Response:
    """The public signing keys (JWKS); old keys stay listed so old signatures keep verifying."""
    ring = await run_in_threadpool(keys.ring)
    return JSONResponse(ring.jwks(), headers={"Cache-Control": "public, max-age=3600"})


@dataclass(frozen=True)
class Exports:
    """What the export routes share: the app, the signing keys and the kept renders."""

    state: App
    keys: SigningKeys
    cache: ExportCache


async def catalogue_export(exports: Exports, request: Request) -> Response:
    """A whole-catalogue export or its signature."""
    name = request.path_params["name"]
    chosen = BY_FILE_NAME.get(name.removesuffix(SIGNATURE_SUFFIX))
    if chosen is None:
        files = ", ".join(BY_FILE_NAME)
        return error_response(PublicationCode.UNKNOWN_EXPORT, f"no export {name!r}; use one of {files} (+ .sig).")
    spec = request.path_params["source"]
    needs_publisher = spec.strip().lower() == "live"
    return await _serve(exports, request, spec, name, needs_publisher, chosen.render, chosen, None)


async def service_export(exports: Exports, request: Request) -> Response:
    """One service's JSON-LD (``{id}.jsonld``) or its signature (``{id}.jsonld.sig``); public."""
    name: str = request.path_params["name"]
    base = name.removesuffix(SIGNATURE_SUFFIX)
    if not base.endswith(".jsonld"):
        return error_response(PublicationCode.UNKNOWN_EXPORT,
                              "per-service exports are {id}.jsonld (and {id}.jsonld.sig).")
    try:
        service_id = normalise_guid(base.removesuffix(".jsonld"), "Service")
    except DomainError as error:
        return error_response(error.code, error.message, status=404)  # a malformed id names no export
    chosen = Format("jsonld-service", base, jsonld.MEDIA_TYPE, jsonld.render)

    def render(dataset: ExportDataset) -> Iterator[bytes]:
        first = next(jsonld.rated(dataset), None)
        if first is None:
            raise NotFound(PublicationCode.NO_PUBLISHED_SCORES, f"service {service_id} has no published score in these "
                                                                "figures (unknown service, or fewer answers than the "
                                                                "publication threshold).")
        yield jsonld.service_document(dataset, first)

    return await _serve(exports, request, request.path_params["source"], name, False, render, chosen, service_id)


async def _serve(exports: Exports, request: Request, spec: str, name: str, needs_publisher: bool,
                 render: Callable[[ExportDataset], Iterator[bytes]], chosen: Format,
                 service_id: str | None) -> Response:
    client = request.client.host if request.client else "-"
    if not await exports.state.limiter.admit(f"export:{client}"):
        return error_response(RequestCode.RATE_LIMITED, "Too many requests; retry after a minute.")
    try:
        rendered = await run_in_threadpool(_render, exports, spec, bearer(request), needs_publisher, render,
                                           chosen, service_id)
    except DomainError as error:
        return error_response(error.code, error.message)
    headers = {"Last-Modified": email.utils.format_datetime(rendered.source.as_of, usegmt=True),
               "Cache-Control": ("private" if needs_publisher else "public") + ", max-age=300"}
    if name.endswith(SIGNATURE_SUFFIX):
        rendered.spool.close()
        body = sign_digest(rendered.digest, (await run_in_threadpool(exports.keys.ring)).current,
                           file_name=rendered.file_name).encode()
        etag = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
        if _not_modified(request, etag):
            return Response(status_code=304, headers={**headers, "ETag": etag})
        return Response(body, media_type="application/json", headers={**headers, "ETag": etag})
    headers["ETag"] = rendered.etag
    if _not_modified(request, rendered.etag):
        rendered.spool.close()
        return Response(status_code=304, headers=headers)
    headers["Content-Length"] = str(rendered.digest.size)
    headers["Content-Disposition"] = f'inline; filename="{rendered.file_name}"'
    return StreamingResponse(rendered.chunks(), media_type=rendered.media_type, headers=headers)


def _not_modified(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match")
    return wanted is not None and (wanted.strip() == "*" or etag in [t.strip() for t in wanted.split(",")])


def _render(exports: Exports, spec: str, token: str | None, needs_publisher: bool,
            render: Callable[[ExportDataset], Iterator[bytes]], chosen: Format,
            service_id: str | None) -> Rendered:
    state = exports.state
    session = state.database.session(replica=True)
    try:
        consistent_reads(session)
        now = state.clock()
        if needs_publisher:
            _require_publisher(session, token, now)
        source = resolve_source(session, spec, now=now,
                                publication_threshold=state.settings.publication_threshold)
        ids = None if service_id is None else [service_id]
        write = functools.partial(_write, lambda: load_dataset(session, source, service_ids=ids), render)
        if service_id is None and exports.cache.enabled:
            spool, digest, source = _kept(exports.cache, session, source, chosen, write)
        else:
            spool, digest = _spooled(write)
    finally:
        session.rollback()
        session.close()
    file_name = chosen.file_name if source.number is None else f"{source.label}-{chosen.file_name}"
    return Rendered(spool, digest, source, file_name, chosen.media_type)


def _write(dataset: Callable[[], ExportDataset], render: Callable[[ExportDataset], Iterator[bytes]],
           out: IO[bytes]) -> Digest:
    """Render the dataset into ``out``; the body's digest."""
    digest = Digest()
    for chunk in digest.tee(render(dataset())):
        out.write(chunk)
    return digest


def _spooled(write: Callable[[IO[bytes]], Digest]) -> tuple[IO[bytes], Digest]:
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 - closed by Rendered
    try:
        return spool, write(spool)
    except BaseException:
        spool.close()
        raise


def _kept(cache: ExportCache, session: Session, source: Source, chosen: Format,
          write: Callable[[IO[bytes]], Digest]) -> tuple[IO[bytes], Digest, Source]:
    """The kept render of (source, format) at the answers' current version, rendered now if there is none."""
    key = (source.label, source.start, source.end, chosen.name)
    version = catalogue_version(session)  # in the snapshot the render reads
    entry = cache.get(key, version)
    if entry is None:
        with cache.flight(key):
            entry = cache.get(key, version) or cache.store(key, version, source, write)
    return entry.open(), entry.digest, entry.source


def _require_publisher(session: Session, token: str | None, now: dt.datetime) -> None:
    if token is None:
        raise Unauthenticated("The live feed of the whole catalogue needs a PUBLISHER token (Authorization: "
                              "Bearer …); published publications and single services need none.")
    require_role(authenticate(session, token, now=now), Role.PUBLISHER, Role.ADMIN)


async def subgraph_endpoint(state: App, subgraph: Any, request: Request) -> Response:
    """The federation subgraph: queries only, no token, published figures only."""
    if request.method == "GET" and "query" not in request.query_params:
        return error_response(RequestCode.BAD_REQUEST, "Send a GraphQL query: POST JSON {\"query\": …} to /subgraph.")
    payload = await read_payload(request, state.settings, state.persisted)
    if isinstance(payload, Response):
        return payload
    client = request.client.host if request.client else "-"
    if not await state.limiter.admit(f"subgraph:{client}"):
        return error_response(RequestCode.RATE_LIMITED, "Too many requests; retry after a minute.")
    return await run_in_threadpool(_execute_subgraph, state, subgraph, *payload)


def _execute_subgraph(state: App, subgraph: Any, query: str, variables: dict[str, Any] | None,
                      operation_name: str | None) -> Response:
    session = state.database.session(replica=True)
    try:
        ctx = SubgraphContext(session=session, settings=state.settings, now=state.clock())
        result = subgraph.execute_sync(query, variable_values=variables, context_value=ctx,
                                       operation_name=operation_name)
    finally:
        session.rollback()
        session.close()
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    return Response(orjson.dumps(body), media_type="application/json")
