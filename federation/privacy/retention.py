"""Retention: pseudonyms cleared 30 days after their quarter ends; microdata deleted after the retention period.

Run it daily (``arvio retention run``, see README "Privacy operations"). Both steps are idempotent, so a missed
day is caught up by the next run.

- Pseudonyms: a rating answered in quarter Q keeps its pseudonym until 30 days after Q ends (so late duplicates
  and erasure requests can still be matched), then ``pseudonym`` is set to NULL. After that the rating can no
  longer be linked to a person: erasure cannot find it and a late answer from the same person counts anew.
- Microdata: ratings answered more than ``retention_days`` before now are deleted, with their sealed free text;
  so are page answers with their "what was missing" texts (federation/pages/texts.py).
- Kept: the rollups, driver rollups, demographic cube and page answer counts (anonymous aggregates); they are not
  changed.

Quarters follow the UTC calendar, like the pseudonym domains.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from federation.audit.log import record
from federation.pages.texts import delete_page_answers
from federation.privacy.cube import PSEUDONYM_GRACE_DAYS, pseudonyms_kept_from
from federation.ratings.models import Rating

__all__ = ["PSEUDONYM_GRACE_DAYS", "RetentionPolicy", "RetentionReport", "run_retention"]


@dataclass(frozen=True)
class RetentionPolicy:
    """How long microdata is kept (pseudonyms: :data:`PSEUDONYM_GRACE_DAYS` after their quarter, fixed because
    the demographic cube relies on the same rule). Validated: at least one day."""

    retention_days: int

    def __post_init__(self) -> None:
        if self.retention_days < 1:
            raise ValueError(f"retention_days must be at least 1, got {self.retention_days}; "
                             "set ARVIO_RETENTION_DAYS to the number of days microdata is kept.")

    def pseudonyms_kept_from(self, now: dt.datetime) -> dt.datetime:
        """Ratings answered before this moment have their pseudonym cleared (see ``cube.pseudonyms_kept_from``)."""
        return pseudonyms_kept_from(now)

    def microdata_kept_from(self, now: dt.datetime) -> dt.datetime:
        """Ratings answered before this moment are deleted."""
        return now.astimezone(dt.UTC) - dt.timedelta(days=self.retention_days)


@dataclass(frozen=True)
class RetentionReport:
    """What a retention run did (or, in a dry run, would do)."""

    ratings_deleted: int
    pseudonyms_cleared: int
    microdata_kept_from: dt.datetime
    pseudonyms_kept_from: dt.datetime
    dry_run: bool = False
    page_answers_deleted: int = 0


def run_retention(session: Session, *, policy: RetentionPolicy, now: dt.datetime, actor: str = "retention",
                  dry_run: bool = False) -> RetentionReport:
    """Delete expired microdata, then clear expired pseudonyms; audited. The caller commits.

    ``dry_run`` counts what would change and changes nothing (not even the audit trail).
    """
    microdata_cutoff = policy.microdata_kept_from(now)
    pseudonym_cutoff = policy.pseudonyms_kept_from(now)
    expired = Rating.answered_at < microdata_cutoff
    linkable = (Rating.pseudonym.is_not(None), Rating.answered_at < pseudonym_cutoff,
                Rating.answered_at >= microdata_cutoff)
    if dry_run:
        deleted = session.scalar(select(func.count()).select_from(Rating).where(expired)) or 0
        cleared = session.scalar(select(func.count()).select_from(Rating).where(*linkable)) or 0
        pages = delete_page_answers(session, before=microdata_cutoff, dry_run=True)
    else:
        deleted = session.execute(delete(Rating).where(expired)
                                  .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
        pages = delete_page_answers(session, before=microdata_cutoff)
        cleared = session.execute(update(Rating).where(*linkable).values(pseudonym=None)
                                  .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
        record(session, actor=actor, action="privacy.retention", subject=None, now=now,
               ratings_deleted=deleted, pseudonyms_cleared=cleared, page_answers_deleted=pages,
               microdata_kept_from=microdata_cutoff.isoformat(), pseudonyms_kept_from=pseudonym_cutoff.isoformat())
    return RetentionReport(int(deleted), int(cleared), microdata_cutoff, pseudonym_cutoff, dry_run, pages)
