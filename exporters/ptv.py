"""PTV-keyed JSON: per service (PTV id) → per channel (PTV id) → per question, with fi/sv/en names.

The document is written service by service in one pass, so a national catalogue streams in constant memory; the
questions the services used come last (JSON objects are unordered, so readers find them by key as before). Shape
(``formatVersion`` 1)::

    {"format": "arvio-ptv-scores", "formatVersion": 1, "source": {...period, publication, threshold...},
     "services": {"<service id>": {"names": {…}, "organisations": [{"businessId", "names"}],
                                   "scores": {"<question id>": [<score>, …]},
                                   "channels": {"<channel id>": {"channelType", "names", "scores": {…}}},
                                   "kpis": {"firstDay", "lastDay", "transactionsCompleted", "digitalTakeUp", …}}},
     "questions": {"national.nps": {"scale": "NPS_11", "wordings": {"1": {"fi": …, "sv": …, "en": …}}}}}

A question's list holds one score per wording version collected in the period (usually one). ``kpis`` holds the
service's published KPIs (``exporters.kpis``: figures below the publication threshold are null); it is left out
when the service reported no volumes or none of its figures may be shown, and a service with published KPIs but
no published score has empty ``scores`` and ``channels``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from exporters.figures import FORMAT_VERSION, names, score_metrics, source_header
from exporters.kpis import kpi_object
from exporters.publications import ExportDataset, ServiceScores
from federation.publication.reading import PublishedScore

FORMAT = "arvio-ptv-scores"
MEDIA_TYPE = "application/json"


def scores_by_question(scores: Iterable[PublishedScore]) -> dict[str, list[dict[str, Any]]]:
    """Scores keyed by question id, each a list ordered by wording version."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for score in sorted(scores, key=lambda s: (s.key.question_id, s.key.wording_version)):
        grouped[score.key.question_id].append(score_metrics(score))
    return dict(grouped)


def service_entry(service: ServiceScores) -> dict[str, Any]:
    """One service's entry under ``services``."""
    entry: dict[str, Any] = {
        "names": names(service.names),
        "organisations": [{"businessId": b, "names": names(n)} for b, n in service.organisations],
        "scores": scores_by_question(service.totals),
        "channels": {c.channel_id: {"channelType": c.channel_type, "names": names(c.names),
                                    "scores": scores_by_question(c.scores)} for c in service.channels},
    }
    if service.kpis is not None:
        entry["kpis"] = kpi_object(service.kpis)
    return entry


def _questions(dataset: ExportDataset, used: set[tuple[str, int]]) -> dict[str, Any]:
    questions: dict[str, Any] = {}
    for question_id, version in sorted(used):
        text = dataset.questions.get((question_id, version))
        if text is None:
            continue
        entry = questions.setdefault(question_id, {"scale": text.scale.value, "wordings": {}})
        entry["wordings"][str(version)] = names(text.text)
    return questions


def render(dataset: ExportDataset) -> Iterator[bytes]:
    """The document as chunks of UTF-8 JSON (one chunk per service), in one pass over the services: the
    questions they used close the document."""
    header = {"format": FORMAT, "formatVersion": FORMAT_VERSION, "source": source_header(dataset.source)}
    yield orjson.dumps(header)[:-1] + b',"services":{'
    used: set[tuple[str, int]] = set()
    for index, service in enumerate(dataset.services):
        used.update((s.key.question_id, s.key.wording_version)
                    for s in (*service.totals, *(x for c in service.channels for x in c.scores)))
        prefix = b"\n" if index == 0 else b",\n"
        yield prefix + orjson.dumps(service.service_id) + b":" + orjson.dumps(service_entry(service))
    yield b'},\n"questions":' + orjson.dumps(_questions(dataset, used)) + b"}\n"
