"""The registry checks ratings and volumes share: each problem has the area's own code and says how to fix it."""

from __future__ import annotations

import enum

import pytest

from federation.ratings.contract import ItemCode
from federation.registry.checks import RegistryFacts, Rejection, check_channel, check_service
from federation.registry.kinds import ChannelType
from federation.volumes.contract import VolumeItemCode

FACTS = RegistryFacts(
    organisation_id="1000001-2", services={"s": False, "theirs": False, "old": True},
    reportable=frozenset({"s", "old"}), channels={"web": ChannelType.WEB_PAGE, "phone": ChannelType.PHONE},
    service_channels=frozenset({("s", "web"), ("s", "phone")}))


@pytest.mark.parametrize("codes", [ItemCode, VolumeItemCode])
@pytest.mark.parametrize(("service", "code", "start"), [
    ("nope", "UNKNOWN_SERVICE", "serviceId nope is not registered in arvio; use the service's PTV id"),
    ("theirs", "NOT_YOUR_SERVICE", "organisation 1000001-2 is not registered for service theirs"),
    ("old", "SERVICE_ARCHIVED", "service old is archived in the catalogue and takes no new things."),
])
def test_services_are_checked_with_the_areas_code(codes: type[enum.Enum], service: str, code: str,
                                                 start: str) -> None:
    with pytest.raises(Rejection) as caught:
        check_service(service, FACTS, codes, "things")
    assert caught.value.code is codes[code] and caught.value.message.startswith(start)


@pytest.mark.parametrize("codes", [ItemCode, VolumeItemCode])
def test_channels_are_checked_with_the_areas_code(codes: type[enum.Enum]) -> None:
    assert check_channel("s", "web", FACTS, codes, "fix it") is ChannelType.WEB_PAGE
    with pytest.raises(Rejection) as unknown:
        check_channel("s", "fax", FACTS, codes, "use the channel's PTV id")
    assert unknown.value.code is codes["UNKNOWN_CHANNEL"]
    assert unknown.value.message == "channelId fax is not registered; use the channel's PTV id."
    with pytest.raises(Rejection) as foreign:
        check_channel("old", "web", FACTS, codes, "fix it")
    assert foreign.value.code is codes["CHANNEL_NOT_OF_SERVICE"]
    check_service("s", FACTS, codes, "things")  # a good service passes silently
