"""Published KPIs of many services at once, for exports and other public feeds.

The exporters build their datasets from published scores only; this is the KPI counterpart: one call, a few
grouped queries whatever the number of services, and only what ``publishable`` lets through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy.orm import Session

from federation.volumes.days import DayRange
from federation.volumes.kpis import KpiStats, kpis_for
from federation.volumes.reading import read_service_volumes


def published_service_kpis(session: Session, service_ids: Collection[str], *, start: dt.datetime,
                           end: dt.datetime, publication_threshold: int) -> dict[str, KpiStats]:
    """The publicly visible KPIs of each service over the reporting days of [start, end); services without a
    published figure (``published`` false) are still returned, with every figure None that may not be shown."""
    days = DayRange.of_window(start, end)
    volumes = read_service_volumes(session, service_ids, days)
    return {sid: kpis_for(v.totals, v.ratings, publication_threshold=publication_threshold,
                          reveal_unpublished=False) for sid, v in volumes.items()}
