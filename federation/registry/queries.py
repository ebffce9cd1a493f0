"""Batched reads of registry relations (one query for many services: no N+1 when listing)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from federation.registry.models import Channel, ServiceChannel, ServiceOrganisation


def channels_by_service(session: Session, service_ids: Sequence[str]) -> dict[str, list[Channel]]:
    """The channels of each service, ordered by channel id."""
    found: dict[str, list[Channel]] = defaultdict(list)
    rows = session.execute(
        select(ServiceChannel.service_id, Channel).join(Channel, Channel.id == ServiceChannel.channel_id)
        .where(ServiceChannel.service_id.in_(service_ids)).order_by(Channel.id))
    for service_id, channel in rows:
        found[service_id].append(channel)
    return dict(found)


def organisations_by_service(session: Session, service_ids: Sequence[str]) -> dict[str, list[str]]:
    """Business IDs of the organisations registered for each service, sorted."""
    found: dict[str, list[str]] = defaultdict(list)
    rows = session.execute(
        select(ServiceOrganisation.service_id, ServiceOrganisation.organisation_id)
        .where(ServiceOrganisation.service_id.in_(service_ids)).order_by(ServiceOrganisation.organisation_id))
    for service_id, organisation_id in rows:
        found[service_id].append(organisation_id)
    return dict(found)
