"""Importing the national service catalogue (PTV open API v11 JSON) into the registry.

Parsing is pure (:func:`parse_documents`): every record becomes a typed value or a :class:`Problem` naming its
position (``file #index``) and what is wrong; one malformed record never stops the others. Applying
(:func:`apply_catalogue`) upserts organisations, services, channels and their links, and is idempotent:
importing the same catalogue twice changes nothing the second time. Services that are archived in PTV, or
missing from a full import, are marked ``archived`` — never deleted, so their ratings stay. Links are only
added, never removed (an organisation's reporting grant may have been made by an operator).
The caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.errors import DomainError
from federation.registry.kinds import ChannelType, ServiceStatus
from federation.registry.models import Channel, Organisation, Service, ServiceChannel, ServiceOrganisation
from federation.registry.service import Names, normalise_business_id

ARCHIVED_STATUSES = frozenset({"Archived", "Deleted", "Withdrawn", "OldPublished"})
LANGUAGES = ("fi", "sv", "en")
NAME_LENGTH = 300


@dataclass(frozen=True)
class Problem:
    """A record (or file) that could not be used as it is, and why."""

    position: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.position}: {self.message}{'' if self.skipped else ' (imported anyway)'}"


@dataclass(frozen=True)
class OrganisationRecord:
    """A PTV organisation with its business ID."""

    ptv_id: str
    business_id: str
    names: Names
    organisation_type: str | None
    position: str


@dataclass(frozen=True)
class ServiceRecord:
    """A PTV service, the organisations responsible for it (PTV id, role) and its channels."""

    id: str
    names: Names
    archived: bool
    service_class: str | None
    organisations: tuple[tuple[str, str], ...]
    channel_ids: tuple[str, ...]
    position: str


@dataclass(frozen=True)
class ChannelRecord:
    """A PTV service channel and the services it serves."""

    id: str
    channel_type: ChannelType
    names: Names
    service_ids: tuple[str, ...]
    position: str


@dataclass
class Catalogue:
    """Everything parsed from the input files, in file order."""

    organisations: list[OrganisationRecord] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
    channels: list[ChannelRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def size(self) -> int:
        """How many records there are to apply (for a progress bar)."""
        return len(self.organisations) + len(self.services) + len(self.channels)


class RecordError(ValueError):
    """A record is malformed; the message says which field and how."""


def read_paths(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    """``(name, text)`` of each file; a directory contributes its ``*.json`` files in name order."""
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            raise FileNotFoundError(f"{path} holds no .json files; give PTV JSON files or their directory.")
        for file in files:
            yield str(file), file.read_text(encoding="utf-8")


def parse_documents(documents: Iterable[tuple[str, str]]) -> Catalogue:
    """Parse PTV JSON documents: a list of records, a page ``{"itemList": [...]}`` or one record."""
    catalogue = Catalogue()
    for name, text in documents:
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as error:
            catalogue.problems.append(Problem(name, f"not valid JSON ({error.msg} at line {error.lineno} "
                                                    f"column {error.colno}); the file was skipped."))
            continue
        items = data.get("itemList", [data]) if isinstance(data, dict) else data
        if not isinstance(items, list):
            catalogue.problems.append(Problem(name, "expected a list of records or {\"itemList\": [...]}."))
            continue
        for index, item in enumerate(items):
            _parse_item(catalogue, item, f"{name}[{index}]")
    return catalogue


def _parse_item(catalogue: Catalogue, item: Any, position: str) -> None:
    try:
        if not isinstance(item, dict):
            raise RecordError("a record must be a JSON object.")
        if "serviceChannelType" in item:
            catalogue.channels.append(_channel(item, position))
        elif "businessCode" in item or "organizationType" in item:
            catalogue.organisations.append(_organisation(item, position, catalogue.problems))
        elif "serviceNames" in item:
            catalogue.services.append(_service(item, position, catalogue.problems))
        else:
            raise RecordError("not a PTV organisation (businessCode), service (serviceNames) or service "
                              "channel (serviceChannelType).")
    except (RecordError, DomainError) as error:
        message = error.message if isinstance(error, DomainError) else str(error)
        catalogue.problems.append(Problem(position, f"{message} The record was skipped."))


def _guid(value: Any, what: str) -> str:
    try:
        return str(uuid.UUID(str(value).strip()))
    except ValueError:
        raise RecordError(f"{what} {value!r} is not a GUID.") from None


def _names(item: dict[str, Any], key: str, position: str, problems: list[Problem]) -> Names:
    entries = item.get(key) or []
    if not isinstance(entries, list):
        raise RecordError(f"{key} must be a list of {{language, value, type}}.")
    found: dict[str, str] = {}
    for entry in sorted((e for e in entries if isinstance(e, dict)), key=lambda e: e.get("type") != "Name"):
        language, value = entry.get("language"), entry.get("value")
        if language in LANGUAGES and isinstance(value, str) and value.strip() and language not in found:
            found[language] = value.strip()[:NAME_LENGTH]
    if not found:
        raise RecordError(f"{key} has no name in fi, sv or en.")
    if "fi" not in found:
        problems.append(Problem(position, "no Finnish name; the Swedish or English name stands in for it.",
                                skipped=False))
    return Names(found.get("fi") or found.get("sv") or found["en"], found.get("sv"), found.get("en"))


def _organisation(item: dict[str, Any], position: str, problems: list[Problem]) -> OrganisationRecord:
    if not item.get("businessCode"):
        raise RecordError("the organisation has no businessCode; arvio keys organisations by Y-tunnus.")
    business_id = normalise_business_id(str(item["businessCode"]))
    names = _names(item, "organizationNames", position, problems) if item.get("organizationNames") else None
    if names is None:
        fallback = item.get("businessName") or item.get("name")
        if not isinstance(fallback, str) or not fallback.strip():
            raise RecordError("organizationNames has no name in fi, sv or en.")
        names = Names(fallback.strip()[:NAME_LENGTH])
    kind = item.get("organizationType")
    return OrganisationRecord(_guid(item.get("id"), "organisation id"), business_id, names,
                              str(kind)[:60] if kind else None, position)


def _ref(entry: Any, nested: str, flat: str) -> Any:
    if isinstance(entry, str):
        return entry
    if not isinstance(entry, dict):
        raise RecordError(f"a reference must be an object with {nested}.id or {flat}.")
    inner = entry.get(nested)
    return inner.get("id") if isinstance(inner, dict) else entry.get(flat, entry.get("id"))


def _service(item: dict[str, Any], position: str, problems: list[Problem]) -> ServiceRecord:
    service_id = _guid(item.get("id"), "service id")
    organisations = []
    for entry in item.get("organizations") or []:
        role = entry.get("roleType") if isinstance(entry, dict) else None
        organisations.append((_guid(_ref(entry, "organization", "organizationId"), "organisation id"),
                              str(role or "Responsible")[:30]))
    channels = tuple(_guid(_ref(e, "serviceChannel", "serviceChannelId"), "service channel id")
                     for e in item.get("serviceChannels") or [])
    classes = item.get("serviceClasses") or []
    code = classes[0].get("code") if classes and isinstance(classes[0], dict) else None
    return ServiceRecord(service_id, _names(item, "serviceNames", position, problems),
                         item.get("publishingStatus") in ARCHIVED_STATUSES, str(code)[:100] if code else None,
                         tuple(dict.fromkeys(organisations)), tuple(dict.fromkeys(channels)), position)


def _channel(item: dict[str, Any], position: str) -> ChannelRecord:
    channel_id = _guid(item.get("id"), "service channel id")
    try:
        channel_type = ChannelType(item["serviceChannelType"])
    except ValueError:
        allowed = ", ".join(t.value for t in ChannelType)
        raise RecordError(f"serviceChannelType {item['serviceChannelType']!r} is not one of {allowed}.") from None
    services: tuple[str, ...] = ()
    if item.get("publishingStatus") not in ARCHIVED_STATUSES:
        services = tuple(dict.fromkeys(_guid(_ref(e, "service", "serviceId"), "service id")
                                       for e in item.get("services") or []))
    return ChannelRecord(channel_id, channel_type, _names(item, "serviceChannelNames", position, []),
                         services, position)


@dataclass
class ImportReport:
    """What an import did: per kind (organisation, service, channel) how many were created, updated or
    unchanged; services archived and links added; and every problem with its position."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    archived: int = 0
    links_added: int = 0
    problems: list[Problem] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        """Count one record's outcome."""
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return self.archived > 0 or self.links_added > 0 or any(
            c["created"] or c["updated"] for c in self.counts.values())


Progress = Callable[[int], None]


def _set(row: Any, values: dict[str, Any]) -> bool:
    """Assign ``values`` to ``row``; whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def apply_catalogue(session: Session, catalogue: Catalogue, *, now: dt.datetime, actor: str,
                    archive_missing: bool = True, progress: Progress | None = None) -> ImportReport:
    """Upsert the parsed catalogue (see the module docstring). With ``archive_missing``, active services
    absent from the import are archived (the import is taken to be the whole catalogue)."""
    report = ImportReport(problems=list(catalogue.problems))
    advance = progress or (lambda n: None)
    org_by_ptv = _apply_organisations(session, catalogue.organisations, report, now, advance)
    services = {s.id: s for s in session.scalars(select(Service))}
    for rec in catalogue.services:
        row = services.get(rec.id)
        status = ServiceStatus.ARCHIVED if rec.archived else ServiceStatus.ACTIVE
        values: dict[str, Any] = {"name_fi": rec.names.fi, "name_sv": rec.names.sv, "name_en": rec.names.en,
                  "service_class": rec.service_class, "status": status}
        if row is None:
            services[rec.id] = row = Service(id=rec.id, created_at=now)
            session.add(row)
            _set(row, values)
            report.count("service", "created")
        else:
            report.count("service", "updated" if _set(row, values) else "unchanged")
        advance(1)
    channels = {c.id: c for c in session.scalars(select(Channel))}
    for ch in catalogue.channels:
        row_c = channels.get(ch.id)
        values = {"channel_type": ch.channel_type, "name_fi": ch.names.fi, "name_sv": ch.names.sv,
                  "name_en": ch.names.en}
        if row_c is None:
            channels[ch.id] = row_c = Channel(id=ch.id, created_at=now)
            session.add(row_c)
            _set(row_c, values)
            report.count("channel", "created")
        else:
            report.count("channel", "updated" if _set(row_c, values) else "unchanged")
        advance(1)
    session.flush()
    _apply_links(session, catalogue, report, org_by_ptv, set(services), set(channels), now)
    if archive_missing and catalogue.services:
        imported = {s.id for s in catalogue.services}
        for service_id, row in services.items():
            if service_id not in imported and row.status is ServiceStatus.ACTIVE:
                row.status = ServiceStatus.ARCHIVED
                report.archived += 1
    session.flush()
    record(session, actor=actor, action="catalogue.import", subject=None, now=now, archived=report.archived,
           links_added=report.links_added, problems=len(report.problems),
           counts={k: dict(v) for k, v in report.counts.items()})
    return report


def _apply_organisations(session: Session, records: list[OrganisationRecord], report: ImportReport,
                         now: dt.datetime, advance: Progress) -> dict[str, str]:
    """Upsert organisations; returns PTV organisation id → business ID (sub-units share their parent's)."""
    existing = {o.business_id: o for o in session.scalars(select(Organisation))}
    by_ptv = {o.ptv_id: o.business_id for o in existing.values() if o.ptv_id}
    seen: set[str] = set()
    for rec in records:
        advance(1)
        owner = by_ptv.get(rec.ptv_id)
        if owner is not None and owner != rec.business_id:
            report.problems.append(Problem(rec.position, f"PTV organisation {rec.ptv_id} is registered for "
                                           f"{owner}, not {rec.business_id}; fix the business code. Skipped."))
            report.count("organisation", "skipped")
            continue
        if rec.business_id in seen:
            by_ptv.setdefault(rec.ptv_id, rec.business_id)
            report.problems.append(Problem(rec.position, f"shares business code {rec.business_id} with an "
                                           "earlier organisation; both map to it.", skipped=False))
            report.count("organisation", "unchanged")
            continue
        seen.add(rec.business_id)
        row = existing.get(rec.business_id)
        values: dict[str, Any] = {"name_fi": rec.names.fi, "name_sv": rec.names.sv, "name_en": rec.names.en,
                  "organisation_type": rec.organisation_type}
        if row is None:
            existing[rec.business_id] = row = Organisation(business_id=rec.business_id, created_at=now)
            session.add(row)
            _set(row, {**values, "ptv_id": rec.ptv_id})
            report.count("organisation", "created")
        else:
            # The first PTV id a business ID was imported with stays its ptv_id (stable across re-imports).
            changed = _set(row, values) | (row.ptv_id is None and _set(row, {"ptv_id": rec.ptv_id}))
            report.count("organisation", "updated" if changed else "unchanged")
        by_ptv[rec.ptv_id] = rec.business_id
    session.flush()
    return by_ptv


def _apply_links(session: Session, catalogue: Catalogue, report: ImportReport, org_by_ptv: dict[str, str],
                 service_ids: set[str], channel_ids: set[str], now: dt.datetime) -> None:
    grants = {(g.service_id, g.organisation_id): g for g in session.scalars(select(ServiceOrganisation))}
    offered = {(row[0], row[1]) for row in session.execute(select(ServiceChannel.service_id,
                                                                  ServiceChannel.channel_id))}
    for rec in catalogue.services:
        for ptv_org, role in rec.organisations:
            business_id = org_by_ptv.get(ptv_org)
            if business_id is None:
                report.problems.append(Problem(rec.position, f"organisation {ptv_org} is not in the catalogue "
                                               "or the registry; it gets no reporting grant.", skipped=False))
            elif (rec.id, business_id) not in grants:
                grants[(rec.id, business_id)] = grant = ServiceOrganisation(
                    service_id=rec.id, organisation_id=business_id, role=role, created_at=now)
                session.add(grant)
                report.links_added += 1
    wanted = [(s.id, c, s.position) for s in catalogue.services for c in s.channel_ids]
    wanted += [(s, c.id, c.position) for c in catalogue.channels for s in c.service_ids]
    for service_id, channel_id, position in wanted:
        if (service_id, channel_id) in offered:
            continue
        if service_id not in service_ids or channel_id not in channel_ids:
            missing = "service " + service_id if service_id not in service_ids else "channel " + channel_id
            report.problems.append(Problem(position, f"{missing} is not in the catalogue or the registry; "
                                           "the link was left out.", skipped=False))
            continue
        offered.add((service_id, channel_id))
        session.add(ServiceChannel(service_id=service_id, channel_id=channel_id))
        report.links_added += 1
