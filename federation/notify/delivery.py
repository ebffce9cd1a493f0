"""Sending one message: e-mail over SMTP (stdlib ``smtplib``, STARTTLS and login per ``ARVIO_SMTP_*``) and webhooks
as a signed JSON POST (``httpx``; signature scheme in federation/notify/signing.py).

Failures raise :class:`DeliveryFailure` with a short stable code (``SMTP_CONNECT_FAILED``, ``HTTP_503``, …) and
whether retrying is pointless (a permanent refusal); the code is all the outbox stores and the log shows — never the
address, URL, secret or the server's reply text.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

import httpx

from federation.notify.render import Message
from federation.notify.signing import DELIVERY_HEADER, SIGNATURE_HEADER, signature_header
from federation.settings import Settings

SMTP_TIMEOUT_SECONDS = 30.0
HTTP_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_RETRYABLE_4XX = {408, 409, 425, 429}
# httpx logs every request's URL at INFO and httpcore its host at DEBUG; a webhook URL may carry a token, so only
# their warnings are let through.
for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class DeliveryFailure(Exception):
    """A send failed: ``code`` (stable, no personal data) and whether the refusal is ``permanent``."""

    def __init__(self, code: str, *, permanent: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.permanent = permanent


def email_message(settings: Settings, *, to: str, message: Message, message_id: str) -> EmailMessage:
    """The MIME message: plain text with an HTML alternative, UTF-8."""
    mail = EmailMessage()
    mail["From"] = settings.smtp_from
    mail["To"] = to
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = message_id
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    return mail


def _smtp_failure(error: smtplib.SMTPException) -> DeliveryFailure:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return DeliveryFailure("SMTP_RECIPIENT_REFUSED", permanent=all(500 <= c < 600 for c in codes))
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return DeliveryFailure("SMTP_AUTH_FAILED")
    if isinstance(error, smtplib.SMTPResponseException):
        return DeliveryFailure(f"SMTP_{error.smtp_code}", permanent=500 <= error.smtp_code < 600)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return DeliveryFailure("SMTP_DISCONNECTED")
    return DeliveryFailure("SMTP_ERROR")


def send_email(settings: Settings, mail: EmailMessage) -> None:
    """Hand ``mail`` to the configured SMTP server; :class:`DeliveryFailure` when that fails."""
    if not settings.smtp_host:
        raise DeliveryFailure("SMTP_NOT_CONFIGURED")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(mail)
    except smtplib.SMTPNotSupportedError:
        raise DeliveryFailure("SMTP_STARTTLS_UNSUPPORTED") from None
    except smtplib.SMTPException as error:
        raise _smtp_failure(error) from None
    except TimeoutError:
        raise DeliveryFailure("SMTP_TIMEOUT") from None
    except ssl.SSLError:
        raise DeliveryFailure("SMTP_TLS_FAILED") from None
    except OSError:
        raise DeliveryFailure("SMTP_CONNECT_FAILED") from None


def post_webhook(client: httpx.Client, url: str, secret: str, body: bytes, *, timestamp: int,
                 delivery_id: str) -> None:
    """POST the signed JSON ``body``; redirects are not followed. :class:`DeliveryFailure` unless 2xx."""
    headers = {"Content-Type": "application/json", "User-Agent": "arvio-webhooks/1",
               SIGNATURE_HEADER: signature_header(secret, timestamp, body), DELIVERY_HEADER: delivery_id}
    try:
        response = client.post(url, content=body, headers=headers, timeout=HTTP_TIMEOUT, follow_redirects=False)
    except httpx.TimeoutException:
        raise DeliveryFailure("HTTP_TIMEOUT") from None
    except httpx.HTTPError:
        raise DeliveryFailure("HTTP_CONNECT_FAILED") from None
    status = response.status_code
    if not 200 <= status < 300:
        raise DeliveryFailure(f"HTTP_{status}", permanent=400 <= status < 500 and status not in _RETRYABLE_4XX)
