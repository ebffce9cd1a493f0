"""Tables of the registry: organisations, services, channels and who may report for which service."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from federation.db import Base, UTCDateTime
from federation.registry.kinds import ChannelType, ServiceStatus


class Organisation(Base):
    """A public body, identified by its Finnish business ID (Y-tunnus)."""

    __tablename__ = "organisation"

    business_id: Mapped[str] = mapped_column(String(9), primary_key=True)
    name_fi: Mapped[str] = mapped_column(String(300))
    name_sv: Mapped[str | None] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    ptv_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    organisation_type: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Service(Base):
    """A service of the national catalogue, keyed by its PTV GUID (lower-case)."""

    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name_fi: Mapped[str] = mapped_column(String(300))
    name_sv: Mapped[str | None] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    service_class: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[ServiceStatus] = mapped_column(
        Enum(ServiceStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=ServiceStatus.ACTIVE,
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Channel(Base):
    """A service channel (e-service, web page, phone line, chat, kiosk…), keyed by its PTV GUID."""

    __tablename__ = "channel"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel_type: Mapped[ChannelType] = mapped_column(
        Enum(ChannelType, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    name_fi: Mapped[str] = mapped_column(String(300))
    name_sv: Mapped[str | None] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ServiceOrganisation(Base):
    """An organisation registered to report ratings for a service (PTV's responsible or producer role)."""

    __tablename__ = "service_organisation"

    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.business_id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(30), default="Responsible")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ServiceChannel(Base):
    """A channel through which a service is offered; one PTV channel may serve several services."""

    __tablename__ = "service_channel"

    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), primary_key=True)
    channel_id: Mapped[str] = mapped_column(ForeignKey("channel.id"), primary_key=True, index=True)
