"""Subscription targets: e-mail addresses and webhook URLs are normalised or refused with a code, and production
takes https to public hosts only (federation/notify/validation.py)."""

from __future__ import annotations

import pytest

from federation.errors import DomainError, NotifyCode
from federation.notify.validation import email_hint, normalise_email, normalise_webhook_url, url_hint


def test_addresses_are_normalised() -> None:
    assert normalise_email("  Anna.Virtanen+arvio@Esimerkkilä.FI ") == "Anna.Virtanen+arvio@xn--esimerkkil-z5a.fi"
    assert email_hint("anna@example.fi") == "a…@example.fi"


@pytest.mark.parametrize("raw", ["", "@example.fi", "anna@", "anna@localhost", "anna@exa mple.fi", "a..b@example.fi",
                                 "anna@-example.fi", "anna@example.fi\n", "\"anna\"@example.fi", "a" * 65 + "@x.fi",
                                 "anna@" + "a" * 250 + ".fi", "anna@example..fi"])
def test_bad_addresses_are_refused(raw: str) -> None:
    with pytest.raises(DomainError) as refused:
        normalise_email(raw + ("x" if raw.endswith("\n") else ""))
    assert refused.value.code is NotifyCode.INVALID_EMAIL


def test_urls_outside_production_may_use_http_and_loopback() -> None:
    assert normalise_webhook_url("HTTP://127.0.0.1:8080/hook?a=1", allow_http=True) == "http://127.0.0.1:8080/hook?a=1"
    assert normalise_webhook_url("https://Hooks.Example.FI/x", allow_http=False) == "https://hooks.example.fi/x"
    assert url_hint("https://hooks.example.fi/secret/path?token=1") == "https://hooks.example.fi/…"


@pytest.mark.parametrize("raw", ["http://hooks.example.fi/x", "https://localhost/x", "https://127.0.0.1/x",
                                 "https://10.1.2.3/x", "https://[::1]/x", "https://169.254.169.254/latest",
                                 "https://api.localhost/x", "https://hooks.example.fi:99999/x"])
def test_production_takes_https_to_public_hosts_only(raw: str) -> None:
    with pytest.raises(DomainError) as refused:
        normalise_webhook_url(raw, allow_http=False)
    assert refused.value.code is NotifyCode.INVALID_WEBHOOK_URL
