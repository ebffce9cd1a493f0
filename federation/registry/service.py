"""Registering organisations, services and channels (admin work; the caller owns the transaction)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.exceptions import ValidationError
from stdnum.fi import ytunnus

from federation.errors import DomainError, NotFound, RegistryCode
from federation.locks import serialise
from federation.registry.kinds import ChannelType
from federation.registry.models import Channel, Organisation, Service, ServiceChannel, ServiceOrganisation


@dataclass(frozen=True)
class Names:
    """A name in Finnish (required), Swedish and English."""

    fi: str
    sv: str | None = None
    en: str | None = None

    def __post_init__(self) -> None:
        if not self.fi.strip():
            raise DomainError(RegistryCode.NAME_REQUIRED,
                              "A Finnish name (fi) is required; give the name as in the catalogue.")


def normalise_business_id(raw: str) -> str:
    """Validate a Finnish business ID (Y-tunnus) and return it as ``1234567-8``."""
    try:
        return str(ytunnus.format(ytunnus.validate(raw.strip())))
    except ValidationError:
        raise DomainError(
            RegistryCode.INVALID_BUSINESS_ID,
            f"{raw!r} is not a valid Finnish business ID (Y-tunnus); use the form 1234567-8 with its check digit.",
        ) from None


def normalise_guid(raw: str, what: str) -> str:
    """Validate a PTV GUID and return it lower-case with hyphens."""
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError:
        raise DomainError(
            RegistryCode.INVALID_ID,
            f"{what} id {raw!r} is not a GUID; use the PTV id, e.g. 2b3f1a52-8f43-4f4e-9a41-0c5b3e1f7d20.",
        ) from None


def known_organisation(session: Session, organisation_id: str) -> str:
    """The normalised business ID of a registered organisation, or UNKNOWN_ORGANISATION."""
    key = normalise_business_id(organisation_id)
    if session.get(Organisation, key) is None:
        raise NotFound(RegistryCode.UNKNOWN_ORGANISATION,
                       f"No organisation {key} is registered; check the business ID.")
    return key


def upsert_organisation(
    session: Session, business_id: str, names: Names, *, now: dt.datetime,
    ptv_id: str | None = None, organisation_type: str | None = None,
) -> Organisation:
    """Register an organisation, or update its names and PTV id when it exists."""
    key = normalise_business_id(business_id)
    serialise(session, "organisation", key)
    org = session.get(Organisation, key)
    if org is None:
        org = Organisation(business_id=key, created_at=now)
        session.add(org)
    org.name_fi, org.name_sv, org.name_en = names.fi, names.sv, names.en
    org.ptv_id = normalise_guid(ptv_id, "Organisation") if ptv_id else org.ptv_id
    org.organisation_type = organisation_type or org.organisation_type
    return org


def upsert_service(
    session: Session, service_id: str, names: Names, *, now: dt.datetime,
    organisation_ids: tuple[str, ...] = (), service_class: str | None = None,
) -> Service:
    """Register a service by its PTV GUID and the organisations that may report for it."""
    key = normalise_guid(service_id, "Service")
    serialise(session, "service", key)
    service = session.get(Service, key)
    if service is None:
        service = Service(id=key, created_at=now)
        session.add(service)
    service.name_fi, service.name_sv, service.name_en = names.fi, names.sv, names.en
    service.service_class = service_class or service.service_class
    for business_id in organisation_ids:
        grant_reporting(session, key, business_id, now=now)
    return service


def grant_reporting(session: Session, service_id: str, business_id: str, *, now: dt.datetime) -> None:
    """Allow an organisation to report ratings for a service (idempotent)."""
    org_key = normalise_business_id(business_id)
    if session.get(Organisation, org_key) is None:
        raise NotFound(RegistryCode.UNKNOWN_ORGANISATION,
                       f"No organisation {org_key} is registered; register it first.")
    if session.get(ServiceOrganisation, (service_id, org_key)) is None:
        session.add(ServiceOrganisation(service_id=service_id, organisation_id=org_key, created_at=now))


def upsert_channel(
    session: Session, channel_id: str, channel_type: ChannelType, names: Names, *,
    now: dt.datetime, service_ids: tuple[str, ...] = (),
) -> Channel:
    """Register a service channel and link it to the services it serves."""
    key = normalise_guid(channel_id, "Channel")
    serialise(session, "channel", key)
    channel = session.get(Channel, key)
    if channel is None:
        channel = Channel(id=key, created_at=now, channel_type=channel_type)
        session.add(channel)
    channel.channel_type = channel_type
    channel.name_fi, channel.name_sv, channel.name_en = names.fi, names.sv, names.en
    for service_id in service_ids:
        service_key = normalise_guid(service_id, "Service")
        if session.get(Service, service_key) is None:
            raise NotFound(RegistryCode.UNKNOWN_SERVICE, f"No service {service_key} is registered; register it first.")
        if session.get(ServiceChannel, (service_key, key)) is None:
            session.add(ServiceChannel(service_id=service_key, channel_id=key))
    return channel


def organisations_of(session: Session, service_id: str) -> list[str]:
    """Business IDs of the organisations registered for a service."""
    rows = session.scalars(
        select(ServiceOrganisation.organisation_id).where(ServiceOrganisation.service_id == service_id)
    )
    return sorted(rows)
