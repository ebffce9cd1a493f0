"""A realistic demo federation: organisations, PTV-like services and channels, and a year of ratings.

The figures are invented but shaped like the national concept's reports: services differ in quality, volume
follows weekdays and office hours with peaks on Monday mornings and the first working days of a month, about a
third of exposures are skipped, phone and chat contacts answer NPS, web pages yes/no and kiosks four faces.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from federation.analytics.demo import install_demo_analytics
from federation.battery.followups import DRIVERS
from federation.battery.models import Question
from federation.battery.national import (
    EASY_TO_USE,
    FOUND_EASILY,
    HELPED_PROGRESS,
    LANGUAGE_CLEAR,
    NPS,
    RECOMMEND,
    TRANSACTION_SMOOTH,
    Wording,
)
from federation.battery.question_sets import format_types
from federation.battery.scales import Scale
from federation.battery.service import define_question
from federation.ratings.contract import FollowUp, RatingSubmission
from federation.registry.kinds import ChannelType
from federation.registry.service import Names, upsert_channel, upsert_organisation, upsert_service
from federation.volumes.contract import BacklogAges, DayFigures, VolumeReport, WaitBuckets
from federation.volumes.days import local_date

_NAMESPACE = uuid.UUID("6f1d0c2e-5d7a-4c1b-9a53-2a7f3d8b9e10")


def demo_guid(name: str) -> str:
    """A stable PTV-like GUID for a demo record."""
    return str(uuid.uuid5(_NAMESPACE, name))


@dataclass(frozen=True)
class DemoOrganisation:
    """A demo public body."""

    business_id: str
    fi: str
    sv: str
    en: str
    kind: str


@dataclass(frozen=True)
class DemoChannel:
    """A demo channel; the question and scale follow its type."""

    key: str
    channel_type: ChannelType
    fi: str
    sv: str
    en: str

    @property
    def id(self) -> str:
        """Its GUID."""
        return demo_guid("channel:" + self.key)


@dataclass(frozen=True)
class DemoService:
    """A demo service with its quality (mean stars it tends to get) and yearly volume of answers."""

    key: str
    organisation: str
    fi: str
    sv: str
    en: str
    quality: float
    volume: int
    channels: tuple[DemoChannel, ...]

    @property
    def id(self) -> str:
        """Its GUID."""
        return demo_guid("service:" + self.key)


ORGANISATIONS = (
    DemoOrganisation("1000001-2", "Esimerkkilän kaupunki", "Exempelby stad", "City of Esimerkkilä", "Municipality"),
    DemoOrganisation("1000002-0", "Demo-Hämeen hyvinvointialue", "Demo-Tavastlands välfärdsområde",
                     "Demo Häme Wellbeing Services County", "WellbeingServicesCounty"),
    DemoOrganisation("1000003-9", "Lupavirasto (demo)", "Tillståndsverket (demo)", "Permit Agency (demo)",
                     "State"),
    DemoOrganisation("1000004-7", "Etuuskeskus (demo)", "Förmånscentralen (demo)", "Benefits Centre (demo)",
                     "State"),
    DemoOrganisation("1000005-5", "Yhteispalvelun IT-tuki (demo)", "IT-stöd för samservice (demo)",
                     "Shared Services IT Desk (demo)", "State"),
)


def _ch(key: str, kind: ChannelType, fi: str, sv: str, en: str) -> DemoChannel:
    return DemoChannel(key, kind, fi, sv, en)


SERVICES = (
    DemoService("library-card", "1000001-2", "Kirjastokortin hakeminen", "Ansökan om bibliotekskort",
                "Applying for a library card", 4.5, 9000,
                (_ch("library-eservice", ChannelType.ECHANNEL, "Kirjaston verkkoasiointi", "Bibliotekets e-tjänst",
                     "Library e-service"),
                 _ch("library-kiosk", ChannelType.KIOSK, "Pääkirjaston palautekioski", "Huvudbibliotekets kiosk",
                     "Main library kiosk"))),
    DemoService("parking-permit", "1000001-2", "Asukaspysäköintitunnus", "Boendeparkeringstillstånd",
                "Resident parking permit", 3.4, 14000,
                (_ch("parking-eservice", ChannelType.ECHANNEL, "Pysäköinnin verkkoasiointi",
                     "Parkeringens e-tjänst", "Parking e-service"),
                 _ch("parking-page", ChannelType.WEB_PAGE, "Pysäköintiohjeet", "Parkeringsanvisningar",
                     "Parking instructions"))),
    DemoService("health-centre-booking", "1000002-0", "Terveysaseman ajanvaraus", "Tidsbokning till hälsostationen",
                "Booking a health centre appointment", 3.9, 22000,
                (_ch("health-eservice", ChannelType.ECHANNEL, "Sähköinen ajanvaraus", "Elektronisk tidsbokning",
                     "Online booking"),
                 _ch("health-phone", ChannelType.PHONE, "Terveysneuvonnan puhelin", "Hälsorådgivningens telefon",
                     "Health advice line"),
                 _ch("health-chat", ChannelType.CHAT, "Terveysneuvonnan chat", "Hälsorådgivningens chatt",
                     "Health advice chat"))),
    DemoService("building-permit", "1000003-9", "Rakennuslupa", "Bygglov", "Building permit", 2.9, 6000,
                (_ch("permit-eservice", ChannelType.ECHANNEL, "Lupapalvelu", "Tillståndstjänsten",
                     "Permit service"),)),
    DemoService("housing-allowance", "1000004-7", "Yleinen asumistuki", "Allmänt bostadsbidrag",
                "General housing allowance", 3.6, 30000,
                (_ch("allowance-eservice", ChannelType.ECHANNEL, "Etuuksien verkkoasiointi",
                     "Förmånernas e-tjänst", "Benefits e-service"),
                 _ch("allowance-phone", ChannelType.PHONE, "Etuuspalvelunumero", "Förmånstjänstens nummer",
                     "Benefits phone service"))),
    DemoService("it-service-desk", "1000005-5", "IT-palvelupyynnöt", "IT-serviceförfrågningar",
                "IT service requests", 4.1, 17000,
                (_ch("desk-portal", ChannelType.ECHANNEL, "Palvelupyyntöportaali", "Portal för serviceförfrågningar",
                     "Service request portal"),
                 _ch("desk-phone", ChannelType.PHONE, "IT-tuen puhelin", "IT-stödets telefon", "IT support line"))),
    DemoService("pet-registration", "1000001-2", "Lemmikin rekisteröinti", "Registrering av husdjur",
                "Pet registration", 4.0, 7, (_ch("pet-eservice", ChannelType.ECHANNEL,
                                                 "Lemmikkirekisteri", "Husdjursregistret", "Pet register"),)),
)
"""The last service has so few answers that its score stays unpublished (below the threshold)."""


def _hour_weight(moment: dt.datetime) -> float:
    local_hour = (moment.hour + 2) % 24  # Finnish time, close enough for a demo
    office = math.exp(-((local_hour - 10.5) ** 2) / 18.0) + 0.05
    weekday = (1.35, 1.1, 1.0, 0.95, 0.85, 0.25, 0.2)[moment.weekday()]
    month_start = 1.8 if moment.day <= 3 and moment.weekday() < 5 else 1.0
    monday_morning = 1.4 if moment.weekday() == 0 and 8 <= local_hour <= 10 else 1.0
    return office * weekday * month_start * monday_morning


def _star(rng: random.Random, quality: float, drift: float) -> int:
    centre = min(5.0, max(1.0, quality + drift))
    return max(1, min(5, round(rng.gauss(centre, 0.95))))


def _answer(rng: random.Random, svc: DemoService, channel: DemoChannel, drift: float) -> tuple[str, int]:
    star = _star(rng, svc.quality, drift)
    if channel.channel_type in (ChannelType.PHONE, ChannelType.CHAT):
        return NPS, max(0, min(10, round((star - 1) * 2.5 + rng.gauss(0, 1.2))))
    if channel.channel_type is ChannelType.KIOSK:
        return TRANSACTION_SMOOTH, star
    question = rng.choices((TRANSACTION_SMOOTH, EASY_TO_USE, LANGUAGE_CLEAR, FOUND_EASILY, HELPED_PROGRESS,
                            RECOMMEND), weights=(5, 1, 1, 1, 1, 1))[0]
    return question, star


_MUNICIPALITIES = ("091", "049", "837", "564", "853", "179", "092", "297", "398", "109", "167", "743", "905", "638")
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def demo_hetu(rng: random.Random, birth_year: int) -> str:
    """A syntactically valid, made-up personal identity code (individual numbers 900–999 are reserved for tests)."""
    day, month, serial = rng.randint(1, 28), rng.randint(1, 12), rng.randint(900, 999)
    digits = f"{day:02d}{month:02d}{birth_year % 100:02d}"
    century = "-" if birth_year < 2000 else "A"
    return f"{digits}{century}{serial}{_HETU_CHECK[int(digits + str(serial)) % 31]}"


def _demographics(rng: random.Random, people: list[tuple[str, int, str, str, str]],
                  with_identifier: bool) -> dict[str, object] | None:
    """About a third of e-service answers carry demographics; a returning person reuses their identity.

    Only recent answers carry the identifier: for older quarters the pseudonyms would already have been cleared
    by retention, and ingest leaves such late identified answers out of the cube (they could not be de-duplicated).
    """
    if rng.random() > 0.35:
        return None
    if people and rng.random() < 0.2:
        hetu, birth_year, municipality, language, gender = rng.choice(people)
    else:
        birth_year = rng.randint(1940, 2007)
        hetu = demo_hetu(rng, birth_year)
        municipality = rng.choice(_MUNICIPALITIES)
        language = rng.choices(("fi", "sv", "en", "ru"), weights=(86, 6, 5, 3))[0]
        gender = rng.choices(("female", "male", "other", "unspecified"), weights=(50, 46, 1, 3))[0]
        people.append((hetu, birth_year, municipality, language, gender))
    return {"legalBasis": "PUBLIC_TASK", "birthYear": birth_year, "municipalityCode": municipality,
            "language": language, "gender": gender, "personalIdentifier": hetu if with_identifier else None}


def _follow_up(rng: random.Random, value: int) -> FollowUp | None:
    if rng.random() > 0.45:
        return None
    return FollowUp(tuple(sorted(set(rng.sample(DRIVERS, k=rng.randint(1, 2))))), None)


def demo_ratings(*, now: dt.datetime, seed: int = 2026, scale: float = 1.0) -> Iterator[tuple[str, RatingSubmission]]:
    """(organisation, submission) pairs spread over the year before ``now``; about 100 000 at scale 1."""
    rng = random.Random(seed)
    start = (now - dt.timedelta(days=364)).replace(minute=0, second=0, microsecond=0)
    hours = [start + dt.timedelta(hours=h) for h in range(364 * 24)]
    weights = [_hour_weight(h) for h in hours]
    for svc in SERVICES:
        total = max(1, int(svc.volume * scale))
        # A service change half-way through: some services improve, one gets worse.
        change = {"parking-permit": 0.6, "building-permit": 0.5, "housing-allowance": -0.4}.get(svc.key, 0.0)
        people: list[tuple[str, int, str, str, str]] = []
        for n, hour in enumerate(sorted(rng.choices(hours, weights=weights, k=total))):
            channel = rng.choice(svc.channels)
            drift = change if hour > start + dt.timedelta(days=182) else 0.0
            moment = hour + dt.timedelta(seconds=rng.randrange(3600))
            ref = f"demo-{svc.key}-{n}"
            question, value = _answer(rng, svc, channel, drift)
            if channel.channel_type is ChannelType.WEB_PAGE:
                question, value = "demo.page-useful", int(value >= 3)
            elif channel.channel_type is ChannelType.KIOSK:
                question, value = "demo.kiosk-faces", min(4, max(1, value - 1))
            if rng.random() < 0.3:
                yield svc.organisation, RatingSubmission(ref, svc.id, question, moment, skipped=True,
                                                         channel_id=channel.id, locale="fi")
                continue
            yield svc.organisation, RatingSubmission(
                ref, svc.id, question, moment, value=value, channel_id=channel.id,
                locale=rng.choices(("fi", "sv", "en"), weights=(88, 6, 6))[0],
                follow_up=_follow_up(rng, value) if channel.channel_type is ChannelType.ECHANNEL else None,
                demographics=_demographics(rng, people, moment > now - dt.timedelta(days=30))
                if channel.channel_type is ChannelType.ECHANNEL else None)


def install_demo_registry(session: Session, *, now: dt.datetime) -> None:
    """Register the demo organisations, services, channels and the two organisation questions."""
    for org in ORGANISATIONS:
        upsert_organisation(session, org.business_id, Names(org.fi, org.sv, org.en), now=now,
                            organisation_type=org.kind)
    session.flush()
    for svc in SERVICES:
        upsert_service(session, svc.id, Names(svc.fi, svc.sv, svc.en), now=now, organisation_ids=(svc.organisation,))
        session.flush()
        for channel in svc.channels:
            upsert_channel(session, channel.id, channel.channel_type, Names(channel.fi, channel.sv, channel.en),
                           now=now, service_ids=(svc.id,))
    session.flush()
    city = ORGANISATIONS[0].business_id
    if session.get(Question, "demo.page-useful") is None:
        define_question(session, question_id="demo.page-useful", owner=city, scale=Scale.YES_NO, now=now,
                        wording=Wording("Oliko sivusta hyötyä?", "Var sidan till nytta?", "Was this page useful?"),
                        weight=0.0,  # pushed by web pages, never drawn by the e-service widget
                        channel_types=format_types(frozenset({ChannelType.WEB_PAGE})))
    if session.get(Question, "demo.kiosk-faces") is None:
        define_question(session, question_id="demo.kiosk-faces", owner=city, scale=Scale.FACES_4, now=now,
                        wording=Wording("Miten asiointi sujui?", "Hur gick ärendet?", "How did it go?"),
                        weight=0.0,  # pushed by kiosks, never drawn by the e-service widget
                        channel_types=format_types(frozenset({ChannelType.KIOSK})))
    install_demo_analytics(session, now=now, services={s.key: s.id for s in SERVICES},
                           organisations={s.key: s.organisation for s in SERVICES})


_CONTACT_PROFILES = {  # contacts on an average weekday; shares answered directly, called back, abandoned; waits
    "health-phone": (945, 0.216, 0.55, 0.2, (0.3, 0.45, 0.2, 0.05)),  # ~139 222 calls in half a year
    "health-chat": (250, 0.8, 0.0, 0.15, (0.0, 0.55, 0.45, 0.0)),  # chat waits of 1–15 minutes
    "allowance-phone": (2500, 0.45, 0.3, 0.2, (0.25, 0.45, 0.25, 0.05)),
    "desk-phone": (205, 0.75, 0.1, 0.1, (0.5, 0.4, 0.1, 0.0)),  # ~4 500 calls a month, 200–550 a working day
}


def _day_weight(day: dt.date) -> float:
    weekday = (1.35, 1.1, 1.0, 0.95, 0.85, 0.25, 0.2)[day.weekday()]
    return weekday * (1.8 if day.day <= 3 and day.weekday() < 5 else 1.0)


def _wait_buckets(answered: int, shares: tuple[float, ...]) -> WaitBuckets:
    cuts = [round(answered * sum(shares[:i + 1])) for i in range(3)]
    return WaitBuckets(cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], answered - cuts[2])


_HOUR_WEIGHTS = (0, 0, 0, 0, 0, 0, 0, 1, 8, 12, 11, 9, 7, 9, 8, 6, 3, 1, 1, 1, 0, 0, 0, 0)
"""A contact line's day: a morning peak at 9–10, a smaller one after lunch, quiet nights."""


def _hourly(received: int) -> tuple[int, ...]:
    """``received`` spread over the 24 local hours by ``_HOUR_WEIGHTS`` (cumulative rounding keeps the sum)."""
    total, running, cuts = sum(_HOUR_WEIGHTS), 0, [0]
    for weight in _HOUR_WEIGHTS:
        running += weight
        cuts.append(round(received * running / total))
    return tuple(b - a for a, b in itertools.pairwise(cuts))


def _resolved(hourly: tuple[int, ...], rate: float) -> tuple[int, ...]:
    """Contacts resolved at first contact per hour: about ``rate`` of each hour's contacts."""
    return tuple(round(n * rate) for n in hourly)


@dataclass
class _DemoQueue:
    """The IT service desk portal's e-request queue: requests come in with the transactions, resolving keeps up
    on average, and what is left carries over to the next day (ages split by fixed shares)."""

    backlog: int = 0

    def day(self, figures: DayFigures, rng: random.Random) -> DayFigures:
        """The day's figures with the queue's received, resolved, end-of-day backlog and its ages."""
        received = figures.transactions_completed or 0
        pull = 0.2 * (self.backlog - 2.5 * received)  # more hands when it grows: about 2.5 days of work stay open
        resolved = max(0, min(self.backlog + received, round(received * rng.uniform(0.85, 1.15) + pull)))
        self.backlog += received - resolved
        cuts = [round(self.backlog * share) for share in (0.4, 0.7, 0.88, 0.96)]
        ages = BacklogAges(cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], cuts[3] - cuts[2], self.backlog - cuts[3])
        return replace(figures, requests_received=received, requests_resolved=resolved,
                       requests_backlog=self.backlog, backlog_ages=ages)


def demo_volumes(*, now: dt.datetime, seed: int = 2026, scale: float = 1.0) -> Iterator[tuple[str, VolumeReport]]:
    """(organisation, day report) for every demo channel on each of the 364 days before today: transactions about
    ten times the answers, contact-centre lines shaped like the seeds' reports (``_CONTACT_PROFILES``)."""
    rng = random.Random(seed)
    today = local_date(now)
    for svc in SERVICES:
        for channel in svc.channels:
            profile = _CONTACT_PROFILES.get(channel.key)
            queue = _DemoQueue() if channel.key == "desk-portal" else None
            for back in range(364, 0, -1):
                day = today - dt.timedelta(days=back)
                weight = _day_weight(day) * scale * rng.uniform(0.9, 1.1)
                if profile is None:
                    expected = svc.volume * 10 / 365 * weight / len(svc.channels)
                    completed = int(expected) + (rng.random() < expected % 1)  # tiny services get some days
                    started = round(completed / rng.uniform(0.78, 0.92)) \
                        if channel.channel_type is ChannelType.ECHANNEL else None
                    figures, cost = DayFigures(completed, started), completed * 0.8
                    figures = queue.day(figures, rng) if queue else figures
                else:
                    base, answered_share, callback_share, abandoned_share, waits = profile
                    received = round(base * weight)
                    hourly = _hourly(received)
                    answered = round(received * answered_share * rng.uniform(0.9, 1.1))
                    callbacks = round(received * callback_share)
                    abandoned = min(round(received * abandoned_share), received - answered - callbacks)
                    figures = DayFigures(answered + callbacks, None, received, answered, callbacks, abandoned,
                                         _wait_buckets(answered, waits), hourly_contacts=hourly,
                                         hourly_first_contact_resolved=_resolved(hourly, rng.uniform(0.6, 0.75)))
                    cost = received * 6.0
                yield svc.organisation, VolumeReport(svc.id, channel.id, day, figures, cost_eur=round(cost, 2))
