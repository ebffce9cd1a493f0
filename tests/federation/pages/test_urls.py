"""Page URLs in normal form (federation/pages/urls.py): what is kept, what is dropped, what is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federation.errors import DomainError, PagesCode
from federation.pages.urls import MAX_URL, normalise_origin, normalise_page_url


@pytest.mark.parametrize(("raw", "keep", "url", "origin"), [
    ("HTTPS://WWW.Example.FI/Asuminen/Tuet#hakeminen", False, "https://www.example.fi/Asuminen/Tuet",
     "https://www.example.fi"),
    ("https://www.example.fi/a?lang=fi&x=1", False, "https://www.example.fi/a", "https://www.example.fi"),
    ("https://www.example.fi/a?lang=fi&x=1#top", True, "https://www.example.fi/a?lang=fi&x=1",
     "https://www.example.fi"),
    ("https://www.example.fi/a?", True, "https://www.example.fi/a", "https://www.example.fi"),
    ("http://example.fi", False, "http://example.fi/", "http://example.fi"),
    ("https://example.fi:443/x", False, "https://example.fi/x", "https://example.fi"),
    ("http://example.fi:80/x", False, "http://example.fi/x", "http://example.fi"),
    ("http://127.0.0.1:8000/p", False, "http://127.0.0.1:8000/p", "http://127.0.0.1:8000"),
    ("https://bücher.example/x", False, "https://xn--bcher-kva.example/x", "https://xn--bcher-kva.example"),
    ("  https://example.fi/trimmed  ", False, "https://example.fi/trimmed", "https://example.fi"),
])
def test_normal_form(raw: str, keep: bool, url: str, origin: str) -> None:
    page = normalise_page_url(raw, keep_query=keep)
    assert (page.url, page.origin) == (url, origin)
    assert len(page.digest) == 64


@pytest.mark.parametrize(("raw", "says"), [
    ("", "empty"),
    ("ftp://example.fi/file", "https:// or http://"),
    ("javascript:alert(1)", "https:// or http://"),
    ("//example.fi/x", "https:// or http://"),
    ("https://user:secret@example.fi/", "user name or password"),
    ("https://user@example.fi/", "user name or password"),
    ("https://example.fi:99999/", "port"),
    ("https:///path", "no host"),
    ("https://exa mple.fi/", "spaces"),
    ("https://example.fi/\x00", "control"),
    ("https://a..b/", "not valid"),
    ("https://exa_mple.fi/", "not valid"),
    ("https://example.fi/" + "a" * MAX_URL, "too long"),
])
def test_refusals_say_how_to_fix_without_echoing(raw: str, says: str) -> None:
    with pytest.raises(DomainError) as caught:
        normalise_page_url(raw)
    assert caught.value.code is PagesCode.INVALID_PAGE_URL
    assert says in caught.value.message and "https://www.example.fi/path" in caught.value.message
    assert "secret" not in caught.value.message


def test_origin_header_forms() -> None:
    assert normalise_origin("https://WWW.example.fi") == "https://www.example.fi"
    assert normalise_origin("https://www.example.fi:443") == "https://www.example.fi"
    assert normalise_origin("http://127.0.0.1:9000") == "http://127.0.0.1:9000"
    for bad in (None, "", "null", "file://", "x" * 400):
        assert normalise_origin(bad) is None


@given(st.text(max_size=300))
def test_any_text_is_normalised_or_refused_with_the_code(raw: str) -> None:
    try:
        page = normalise_page_url(raw, keep_query=True)
    except DomainError as error:
        assert error.code is PagesCode.INVALID_PAGE_URL
        return
    assert page.url.startswith(page.origin + "/") and len(page.url) <= MAX_URL
    assert normalise_page_url(page.url, keep_query=True) == page
