"""The kinds the registry knows: channel types and service statuses (plain enums, no I/O; the tables that use
them are in federation/registry/models.py)."""

from __future__ import annotations

import enum


class ChannelType(enum.Enum):
    """PTV service channel types, plus Chat and Kiosk which PTV does not model separately."""

    ECHANNEL = "EChannel"
    WEB_PAGE = "WebPage"
    PRINTABLE_FORM = "PrintableForm"
    PHONE = "Phone"
    SERVICE_LOCATION = "ServiceLocation"
    CHAT = "Chat"
    KIOSK = "Kiosk"


class ServiceStatus(enum.Enum):
    """A service that disappears from the catalogue is archived, never deleted with its ratings."""

    ACTIVE = "active"
    ARCHIVED = "archived"
