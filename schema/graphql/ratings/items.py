"""Reading one ``RatingInput`` from plain JSON data, as graphql-core would coerce it, without graphql-core.

graphql-core's variable coercion walks the input type for every value of every item: 5.5 ms of a 1000-item
``submitRatings`` batch was 1 of every 2 ms spent in the request (cProfile of ``execute_in_process``). The NDJSON
upload and the direct execution of ``submitRatings`` (:mod:`schema.graphql.ratings.direct`) read items here instead,
checking the same types the schema declares (``schema.graphql``: ``RatingInput``, ``FollowUpInput``,
``DemographicsInput``).

``strict`` is GraphQL's reading: an item this accepts is one graphql-core coerces to the same submission (tested
with generated items in tests/schema/graphql/test_fast_adapters.py); whatever it refuses, the caller hands to
graphql-core, which then answers with the standard error. It refuses a little more than GraphQL (an ``ID`` given as
a number, a single driver not in a list) so that it never has to reproduce GraphQL's conversions. Without
``strict`` (NDJSON lines) a null in a field that has a default means the default, ``value`` may be any whole
number (out-of-scale values are refused by validation with ``VALUE_OUT_OF_RANGE``) and demographic attributes are
left to the door's checks, which give each its own code (``INVALID_BIRTH_YEAR`` …). Unknown fields are refused at
every level in both readings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from federation.ratings.contract import FollowUp, RatingSubmission
from schema.graphql.fast import parse_datetime


class Malformed(ValueError):
    """Data that cannot be read as a RatingInput; the message says what is wrong with it."""


_INT32 = range(-(2**31), 2**31)
_REQUIRED = ("clientRef", "serviceId", "questionId", "answeredAt")
_OPTIONAL_TEXT = ("channelId", "locale")
_FIELDS = frozenset({*_REQUIRED, *_OPTIONAL_TEXT, "value", "skipped", "followUp", "demographics"})
_FOLLOW_UP_FIELDS = frozenset({"drivers", "text"})
_DEMOGRAPHIC_TEXTS = frozenset({"legalBasis", "municipalityCode", "language", "gender", "personalIdentifier"})
_DEMOGRAPHIC_FIELDS = frozenset({*_DEMOGRAPHIC_TEXTS, "consent", "birthYear", "dropInvalid"})
_SEE = "see RatingInput in schema.graphql."


def read_item(raw: object, *, strict: bool) -> RatingSubmission:
    """One item as a submission, ids trimmed and PTV GUIDs lower-cased as the registry stores them."""
    if type(raw) is not dict:
        raise Malformed("the item must be a JSON object (a RatingInput).")
    if not raw.keys() <= _FIELDS:
        raise Malformed(f"unknown field(s) {', '.join(sorted(raw.keys() - _FIELDS))}; {_SEE}")
    missing = [name for name in _REQUIRED if raw.get(name) is None]
    if missing:
        raise Malformed(f"missing required field(s) {', '.join(missing)}.")
    for name in (*_REQUIRED, *_OPTIONAL_TEXT):
        value = raw.get(name)
        if value is not None and type(value) is not str:
            raise Malformed(f"field {name} has the wrong type; {_SEE}")
    try:
        answered_at = parse_datetime(raw["answeredAt"])
    except ValueError as error:
        raise Malformed(f"answeredAt: {error}") from None
    channel = raw.get("channelId")
    return RatingSubmission(
        client_ref=raw["clientRef"], service_id=raw["serviceId"].strip().lower(),
        question_id=raw["questionId"].strip(), answered_at=answered_at, value=_value(raw.get("value"), strict),
        skipped=_flag(raw, "skipped", strict), channel_id=channel.strip().lower() if channel is not None else None,
        locale=raw.get("locale"), follow_up=_follow_up(raw.get("followUp"), strict),
        demographics=_demographics(raw.get("demographics"), strict),
    )


def _value(value: object, strict: bool) -> int | None:
    if value is None:
        return None
    if type(value) is not int or (strict and value not in _INT32):
        raise Malformed(f"field value has the wrong type; {_SEE}")
    return value


def _flag(raw: Mapping[str, Any], name: str, strict: bool) -> bool:
    """A ``Boolean! = false`` field."""
    value = raw.get(name, False)
    if value is None and not strict:
        return False
    if type(value) is not bool:
        raise Malformed(f"field {name} has the wrong type; {_SEE}")
    return value


def _follow_up(follow: object, strict: bool) -> FollowUp | None:
    if follow is None:
        return None
    if type(follow) is not dict or not follow.keys() <= _FOLLOW_UP_FIELDS:
        raise Malformed("followUp must be {\"drivers\": [codes], \"text\": string or null}.")
    drivers = follow.get("drivers", [])
    if drivers is None and not strict:
        drivers = []
    text = follow.get("text")
    if type(drivers) is not list or not all(type(d) is str for d in drivers) or (
            text is not None and type(text) is not str):
        raise Malformed("followUp must be {\"drivers\": [codes], \"text\": string or null}.")
    return FollowUp(tuple(drivers), text)


def _demographics(given: object, strict: bool) -> dict[str, Any] | None:
    if given is None:
        return None
    if type(given) is not dict or not given.keys() <= _DEMOGRAPHIC_FIELDS:
        raise Malformed(f"demographics must be an object of DemographicsInput's fields; {_SEE}")
    if not strict:  # the attributes' values are checked at the door, each with its own code (INVALID_BIRTH_YEAR …)
        return given
    for name, value in given.items():
        if value is None:
            if name == "dropInvalid":
                raise Malformed(f"demographics.dropInvalid must be true or false; {_SEE}")
            continue
        kind = str if name in _DEMOGRAPHIC_TEXTS else bool if name in {"consent", "dropInvalid"} else int
        if type(value) is not kind or (kind is int and value not in _INT32):
            raise Malformed(f"demographics.{name} has the wrong type; {_SEE}")
    return given
