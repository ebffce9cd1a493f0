"""clientRefs are stored as they are, so one that holds a personal identity code or an e-mail address is refused —
and ordinary ids (UUIDs, transaction numbers) never are."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.ratings.contract import ItemCode
from federation.ratings.validation import Rejection, _check_client_ref


@given(st.uuids())
def test_a_uuid_is_always_a_good_reference(value: object) -> None:
    _check_client_ref(str(value))
    _check_client_ref(str(value).upper())


@given(st.integers(0, 10**18))
def test_a_transaction_number_is_a_good_reference(number: int) -> None:
    _check_client_ref(f"TX-{number}")
    _check_client_ref(str(number))


@pytest.mark.parametrize("ref", ["131052-308T", "asiointi 131052-308t", "ref:010594Y803U", "１３１０５２-３０８T",
                                 "maija@example.fi", "maija(at)example.fi"])
def test_an_identity_code_or_address_is_refused(ref: str) -> None:
    with pytest.raises(Rejection) as refused:
        _check_client_ref(ref)
    assert refused.value.code is ItemCode.INVALID_CLIENT_REF
    assert "personal identity code or an e-mail address" in refused.value.message
