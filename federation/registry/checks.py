"""Checking a submitted item against the registry: the building blocks ratings and volumes share.

An organisation may report for a service only if the service is registered, the organisation is registered for it
and it is not archived; a channel, when given, must be registered and be a channel of that service. The facts are
loaded once per batch (:func:`load_registry_facts`, four queries) so checking an item touches no database, and the
checks raise :class:`Rejection` with the area's own code (ratings' ``ItemCode``, volumes' ``VolumeItemCode``: both
enums carry the registry codes under the same names) and a message that says how to fix the item.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.registry.kinds import ChannelType, ServiceStatus
from federation.registry.models import Channel, Service, ServiceChannel, ServiceOrganisation

Code = TypeVar("Code", bound=enum.Enum)


class Rejection(Exception, Generic[Code]):
    """An item is refused; carries the area's stable code and a message that says how to fix it."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RegistryFacts:
    """What the registry says about the services and channels of one batch, for one organisation."""

    organisation_id: str
    services: dict[str, bool]  # service id -> archived?
    reportable: frozenset[str]  # services this organisation may report for
    channels: dict[str, ChannelType]  # registered channels among those asked, with their type
    service_channels: frozenset[tuple[str, str]]


def load_registry_facts(session: Session, organisation_id: str, service_ids: Collection[str],
                        channel_ids: Collection[str]) -> RegistryFacts:
    """The registry facts of a batch naming ``service_ids`` and ``channel_ids``, in at most four queries."""
    services = {sid: status is ServiceStatus.ARCHIVED for sid, status in session.execute(
        select(Service.id, Service.status).where(Service.id.in_(service_ids)))} if service_ids else {}
    reportable = frozenset(session.scalars(select(ServiceOrganisation.service_id).where(
        ServiceOrganisation.organisation_id == organisation_id,
        ServiceOrganisation.service_id.in_(service_ids)))) if service_ids else frozenset()
    channels: dict[str, ChannelType] = {}
    pairs: frozenset[tuple[str, str]] = frozenset()
    if channel_ids:
        channels = {cid: kind for cid, kind in session.execute(  # noqa: C416 - rows are not pairs to dict()
            select(Channel.id, Channel.channel_type).where(Channel.id.in_(channel_ids)))}
        pairs = frozenset((s, c) for s, c in session.execute(
            select(ServiceChannel.service_id, ServiceChannel.channel_id)
            .where(ServiceChannel.channel_id.in_(channel_ids))))
    return RegistryFacts(organisation_id, services, reportable, channels, pairs)


def check_service(service_id: str, facts: RegistryFacts, codes: type[Code], takes: str) -> None:
    """Refuse a service that is unknown, not the organisation's, or archived (``takes``: "ratings", "figures")."""
    archived = facts.services.get(service_id)
    if archived is None:
        raise Rejection(codes["UNKNOWN_SERVICE"],
                        f"serviceId {service_id} is not registered in arvio; use the service's PTV id, "
                        "or ask the operator to import it from the catalogue.")
    if service_id not in facts.reportable:
        raise Rejection(codes["NOT_YOUR_SERVICE"],
                        f"organisation {facts.organisation_id} is not registered for service {service_id}; "
                        "ask the operator to register you for it.")
    if archived:
        raise Rejection(codes["SERVICE_ARCHIVED"],
                        f"service {service_id} is archived in the catalogue and takes no new {takes}.")


def check_channel(service_id: str, channel_id: str, facts: RegistryFacts, codes: type[Code],
                  how_to_fix: str) -> ChannelType:
    """The type of a registered channel of the service; refuses an unknown channel or one of another service.
    ``how_to_fix`` ends the unknown-channel message (e.g. "use the channel's PTV id or leave it out")."""
    channel_type = facts.channels.get(channel_id)
    if channel_type is None:
        raise Rejection(codes["UNKNOWN_CHANNEL"], f"channelId {channel_id} is not registered; {how_to_fix}.")
    if (service_id, channel_id) not in facts.service_channels:
        raise Rejection(codes["CHANNEL_NOT_OF_SERVICE"],
                        f"channel {channel_id} is not a channel of service {service_id}; "
                        "check the pair in the catalogue.")
    return channel_type
