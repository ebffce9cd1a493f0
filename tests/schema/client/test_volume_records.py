"""Volume files: hourly counts, first-contact resolution and e-request queues in CSV cells and NDJSON fields."""

from __future__ import annotations

from typing import Any

import pytest

from schema.client.records import BadValue, check_volume, volume_from_row

KEYS = {"serviceId": "s", "channelId": "c", "day": "2026-03-10"}
HOURS = [0] * 8 + [30, 50, 40, 20, 10, 25, 15, 10] + [0] * 8
AGES = {"underOneDay": 8, "oneToThreeDays": 6, "threeToSevenDays": 3, "sevenToFourteenDays": 2,
        "overFourteenDays": 1}


def test_csv_row_with_hourly_counts_and_a_queue() -> None:
    row = {**KEYS, "hourlyContacts": ";".join(map(str, HOURS)), "resolvedAtFirstContact": "120",
           "requestsBacklog": "20", "backlogUnderOneDay": "8", "backlogOneToThreeDays": "6",
           "backlogThreeToSevenDays": "3", "backlogSevenToFourteenDays": "2", "backlogOverFourteenDays": "1"}
    assert volume_from_row(row) == {**KEYS, "hourlyContacts": HOURS, "resolvedAtFirstContact": 120,
                                    "requestsBacklog": 20, "backlogAges": AGES}


def test_ndjson_object_with_hourly_counts_and_a_queue() -> None:
    item = {**KEYS, "hourlyContacts": HOURS, "hourlyResolvedAtFirstContact": HOURS, "requestsReceived": 30,
            "requestsResolved": 25, "requestsBacklog": 20, "backlogAges": AGES}
    assert check_volume(item) == item


@pytest.mark.parametrize(("item", "message"), [
    ({**KEYS, "hourlyContacts": "1;2"}, "hourlyContacts must be a list of 24 counts, one per local hour 0–23."),
    ({**KEYS, "hourlyContacts": [0] * 25}, "hourlyContacts must be a list of 24 counts, one per local hour 0–23."),
    ({**KEYS, "hourlyContacts": [0, "x"]}, "hourlyContacts[1] must be a whole number (digits only)."),
    ({**KEYS, "backlogAges": {"underOneDay": 1}}, "backlogAges must be an object with underOneDay, oneToThreeDays, "
                                                  "threeToSevenDays, sevenToFourteenDays, overFourteenDays."),
    ({**KEYS, "requestsBacklog": "20"}, "requestsBacklog must be a JSON number, not a string."),
])
def test_bad_ndjson_fields_fail_their_line(item: dict[str, Any], message: str) -> None:
    with pytest.raises(BadValue) as caught:
        check_volume(item)
    assert str(caught.value) == message


def test_backlog_age_columns_go_together() -> None:
    with pytest.raises(BadValue, match="the 5 backlog age columns go together"):
        volume_from_row({**KEYS, "backlogUnderOneDay": "3"})
