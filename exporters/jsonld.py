"""schema.org JSON-LD: each service as a ``GovernmentService`` with one ``AggregateRating`` per question.

Each rating states its question in ``reviewAspect`` (the question id), the question's wording in ``name``
(fi/sv/en, language-tagged) and the wording version and period in ``description``. Ratings are the service's
totals over all channels: schema.org has no place for a rating of one channel, so channels are listed in
``availableChannel`` without figures (the PTV-keyed JSON and the CSV carry per-channel scores).
The headline question ``national.transaction-smooth`` comes first when the service has it.

Service KPIs (volumes, take-up, waits, cost) are not in the JSON-LD: schema.org has no property of a ``Service``
for measured figures (``additionalProperty`` is defined for places, products and offers, and ``Observation`` is a
pending term for statistical data sets, not for a service's own page), so they are published in the PTV-keyed
JSON and the open-data package only. Services with published KPIs but no published score are left out here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from exporters.figures import LICENSE, iso, question_of, rounded
from exporters.publications import ExportDataset, Names, ServiceScores
from federation.battery.national import TRANSACTION_SMOOTH
from federation.publication.reading import PublishedScore

CONTEXT = "https://schema.org"
MEDIA_TYPE = "application/ld+json"


def tagged(value: Names) -> list[dict[str, str]]:
    """Language-tagged values (``{"@language": "fi", "@value": …}``) for every language present."""
    pairs = (("fi", value.fi), ("sv", value.sv), ("en", value.en))
    return [{"@language": lang, "@value": text} for lang, text in pairs if text]


def _description(dataset: ExportDataset, score: PublishedScore) -> str:
    source = dataset.source
    what = f"publication {source.number}" if source.number is not None else "live figures"
    return (f"Question {score.key.question_id}, wording version {score.key.wording_version}; "
            f"{what}, period {source.period or 'rolling'} ({iso(source.start)}/{iso(source.end)}); "
            f"{score.stats.scale.value} scale; at least {source.publication_threshold} answers.")


def aggregate_rating(dataset: ExportDataset, score: PublishedScore) -> dict[str, Any]:
    """One question's ``AggregateRating`` (ratingValue is the mean on the question's own scale)."""
    scale = score.stats.scale
    rating: dict[str, Any] = {
        "@type": "AggregateRating", "reviewAspect": score.key.question_id,
        "ratingValue": rounded(score.stats.mean, 2), "ratingCount": score.stats.count,
        "bestRating": scale.maximum, "worstRating": scale.minimum,
        "description": _description(dataset, score),
    }
    question = question_of(dataset, score)
    if question is not None:
        rating["name"] = tagged(question.text)
    return rating


def _ordered(scores: tuple[PublishedScore, ...]) -> list[PublishedScore]:
    return sorted(scores, key=lambda s: (s.key.question_id != TRANSACTION_SMOOTH, s.key.question_id,
                                         s.key.wording_version))


def rated(dataset: ExportDataset) -> Iterator[ServiceScores]:
    """The services of ``dataset`` with a published score (the ones a JSON-LD export describes), streamed."""
    return (s for s in dataset.services if s.totals)


def service_node(dataset: ExportDataset, service: ServiceScores) -> dict[str, Any]:
    """The ``GovernmentService`` node of one service."""
    node: dict[str, Any] = {
        "@type": "GovernmentService", "@id": f"urn:uuid:{service.service_id}",
        "identifier": service.service_id, "name": tagged(service.names),
    }
    if service.organisations:
        node["provider"] = [{"@type": "GovernmentOrganization", "identifier": business_id,
                             "name": tagged(org_names)} for business_id, org_names in service.organisations]
    if service.channels:
        node["availableChannel"] = [{"@type": "ServiceChannel", "identifier": c.channel_id,
                                     "name": tagged(c.names), "additionalType": c.channel_type}
                                    for c in service.channels]
    node["aggregateRating"] = [aggregate_rating(dataset, s) for s in _ordered(service.totals)]
    return node


def dataset_node(dataset: ExportDataset) -> dict[str, Any]:
    """A ``Dataset`` node saying which figures these are."""
    source = dataset.source
    title = (f"arvio published customer ratings, publication {source.number} ({source.period})"
             if source.number is not None else "arvio published customer ratings, live")
    node: dict[str, Any] = {
        "@type": "Dataset", "@id": f"urn:arvio:{source.label}", "name": title,
        "temporalCoverage": f"{iso(source.start)}/{iso(source.end)}", "dateModified": iso(source.as_of),
        "license": LICENSE["path"],
        "description": f"Scores with at least {source.publication_threshold} answers; each rating states "
                       "its question and wording version.",
    }
    if source.number is not None:
        node["version"] = str(source.number)
        node["datePublished"] = iso(source.as_of)
    return node


def service_document(dataset: ExportDataset, service: ServiceScores) -> bytes:
    """A stand-alone JSON-LD document of one service (what a catalogue page embeds)."""
    node = {"@context": CONTEXT, **service_node(dataset, service)}
    return orjson.dumps(node, option=orjson.OPT_INDENT_2) + b"\n"


def render(dataset: ExportDataset) -> Iterator[bytes]:
    """The whole catalogue as one ``@graph``: the Dataset node, then one node per service."""
    yield b'{"@context":' + orjson.dumps(CONTEXT) + b',"@graph":[\n' + orjson.dumps(dataset_node(dataset))
    for service in rated(dataset):
        yield b",\n" + orjson.dumps(service_node(dataset, service))
    yield b"\n]}\n"
