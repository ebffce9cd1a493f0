"""``ARVIO_*`` variables of notifications: SMTP and attempts are parsed and checked, the password never shown
(federation/settings.py)."""

from __future__ import annotations

import pytest

from federation.settings import Settings, SettingsError


def test_smtp_variables_are_read() -> None:
    settings = Settings.from_env({"ARVIO_SMTP_HOST": "smtp.example.fi", "ARVIO_SMTP_PORT": "2525",
                                  "ARVIO_SMTP_USER": "arvio", "ARVIO_SMTP_PASSWORD": "hunter2",
                                  "ARVIO_SMTP_STARTTLS": "No", "ARVIO_SMTP_FROM": "arvio <noreply@example.fi>",
                                  "ARVIO_NOTIFY_MAX_ATTEMPTS": "3"})
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_starttls) == (
        "smtp.example.fi", 2525, "arvio", False)
    assert (settings.smtp_from, settings.notify_max_attempts) == ("arvio <noreply@example.fi>", 3)
    assert "hunter2" not in repr(settings)
    defaults = Settings.from_env({})
    assert (defaults.smtp_host, defaults.smtp_port, defaults.smtp_starttls, defaults.notify_max_attempts) == (
        None, 587, True, 8)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("SMTP_STARTTLS", "perhaps", "must be true or false"),
    ("SMTP_PORT", "0", "must be a TCP port"),
    ("SMTP_PORT", "70000", "must be a TCP port"),
    ("NOTIFY_MAX_ATTEMPTS", "0", "must be 1–50"),
    ("SMTP_FROM", "arvio", "one sender address"),
    ("SMTP_FROM", "a@example.fi\nBcc: b@example.fi", "one sender address"),
    ("NOTIFY_MAX_ATTEMPTS", "many", "whole number"),
])
def test_bad_values_are_refused(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({f"ARVIO_{name}": value})
