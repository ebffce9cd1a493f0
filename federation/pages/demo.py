"""Demo pages for ``arvio serve --demo``: two pages of the demo city's site with a season of answers.

Only the hourly yes/no counts are seeded (``page_answer_hourly``, what figures are read from); no answer rows, so
there are no texts. Deterministic (seeded): the library page is found useful about four times in five, the
contacts page, which belongs to no service, a little over half the time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy.orm import Session

from federation.demo import ORGANISATIONS, demo_guid
from federation.pages.models import PageAnswerHourly
from federation.pages.registration import PageDraft, register_pages
from federation.rollups.writing import hour_of


@dataclass(frozen=True)
class DemoPage:
    """A demo page, its service key (federation/demo.py) if any, and how its answers tend to go."""

    url: str
    title: str
    service_key: str | None
    yes_rate: float
    per_day: float


DEMO_PAGES = (
    DemoPage("https://www.esimerkkila.fi/kirjasto/kirjastokortti", "Kirjastokortti", "library-card", 0.8, 4.0),
    DemoPage("https://www.esimerkkila.fi/yhteystiedot", "Yhteystiedot", None, 0.55, 2.0),
)


def install_demo_pages(session: Session, *, now: dt.datetime, seed: int = 2026, days: int = 90) -> None:
    """Register the demo pages for the demo city and count ``days`` days of answers before ``now``."""
    city = ORGANISATIONS[0].business_id
    drafts = [PageDraft(p.url, demo_guid("service:" + p.service_key) if p.service_key else None, p.title)
              for p in DEMO_PAGES]
    pages = register_pages(session, city, drafts, actor="demo", now=now)
    rng = random.Random(seed)
    for page, demo in zip(pages, DEMO_PAGES, strict=True):
        counts: dict[dt.datetime, list[int]] = {}
        for _ in range(int(demo.per_day * days)):
            hour = hour_of(now - dt.timedelta(hours=rng.randint(1, days * 24)))
            counts.setdefault(hour, [0, 0])[0 if rng.random() < demo.yes_rate else 1] += 1
        session.add_all(PageAnswerHourly(page_id=page.id, hour=hour, yes=yes, no=no)
                        for hour, (yes, no) in counts.items())
    session.flush()
