"""Deliver a built message over SMTP: STARTTLS, implicit TLS, or plain to a local relay; retries on 4xx only.

The password is read from the environment variable the config names (`password_env`), at send time, and goes
nowhere but `SMTP.login`: it is never logged, stored, or put in an exception message, and it is never sent
over an unencrypted connection. Only what can recover is retried, with doubling delays: a 4xx reply, a
timeout, a connection the server dropped. Everything else fails at once, so a run with no server reachable
ends within seconds: a refused connection, a name that does not resolve, an unreachable network, a 5xx
reply, a certificate that does not verify, a server without STARTTLS when STARTTLS was asked for.
`MailError.unreachable` marks the failures where no server answered at all (the caller then does not try
the same server again for the next recipient).
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from monitor.config import Config, ConfigError
from monitor.errors import Failure

log = logging.getLogger("xxgk.mail")

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class MailError(Failure):
    """A delivery failure in words (host, step, server reply); `permanent` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = True, unreachable: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.unreachable = unreachable  # no server answered (refused, unresolvable, timed out connecting)


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls | ssl | none
    username: str = ""
    password_env: str = "XXGK_SMTP_PASSWORD"
    ca_file: str = ""
    timeout: float = 30.0
    retries: int = 3
    retry_delay: float = 10.0

    @classmethod
    def from_config(cls, config: Config) -> SmtpSettings:
        e = config.email
        if e.username and e.security == "none":
            raise ConfigError(
                f"{config.path}: key email.username: expected no login with security = 'none' "
                "(a password is never sent unencrypted); use 'starttls' or 'ssl'"
            )
        ca_file = e.ca_file
        if ca_file and not os.path.isabs(ca_file):
            ca_file = str(config.path.parent / ca_file)
        return cls(
            host=e.smtp_host,
            port=e.smtp_port or DEFAULT_PORTS[e.security],
            security=e.security,
            username=e.username,
            password_env=e.password_env,
            ca_file=ca_file,
            timeout=e.timeout,
            retries=e.retries,
            retry_delay=e.retry_delay,
        )

    @property
    def where(self) -> str:
        return f"SMTP {self.host}:{self.port} ({self.security})"

    def password(self) -> str | None:
        """The password from the environment when a login is set; MailError naming the variable if missing."""
        if not self.username:
            return None
        value = os.environ.get(self.password_env, "")
        if not value:
            raise MailError(
                f"{self.where}: login {self.username!r} needs a password: set the environment variable "
                f"{self.password_env}"
            )
        return value


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.ca_file:
        try:
            context.load_verify_locations(cafile=settings.ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise MailError(
                f"{settings.where}: cannot read email.ca_file {settings.ca_file}: {exc}"
            ) from None
    return context


def _classify(settings: SmtpSettings, exc: BaseException) -> MailError:
    """A MailError in words for any failure of one attempt, marked temporary or permanent."""
    where = settings.where
    if isinstance(exc, MailError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        refused = ", ".join(f"{a} ({c})" for a, (c, _) in exc.recipients.items())
        return MailError(
            f"{where}: every recipient refused: {refused}", permanent=not all(400 <= c < 500 for c in codes)
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return MailError(
            f"{where}: server replied {exc.smtp_code} {reply}", permanent=not 400 <= exc.smtp_code < 500
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return MailError(f"{where}: connection closed by the server ({exc})", permanent=False)
    if isinstance(exc, ssl.SSLError):  # includes certificate verification failures: a configuration matter
        return MailError(f"{where}: TLS failed: {exc.reason or exc}", permanent=True)
    if isinstance(exc, TimeoutError):  # no answer in email.timeout seconds: a busy server may recover
        return MailError(f"{where}: no answer within {settings.timeout:g} s", permanent=False)
    if isinstance(exc, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return MailError(f"{where}: connection dropped ({exc.strerror or exc})", permanent=False)
    if isinstance(exc, OSError):  # refused, unreachable, name not resolved: retrying in seconds cannot help
        return MailError(f"{where}: cannot connect: {exc.strerror or exc}", permanent=True, unreachable=True)
    if isinstance(exc, smtplib.SMTPException):
        return MailError(f"{where}: {exc}", permanent=True)
    raise exc


def _open(settings: SmtpSettings) -> smtplib.SMTP:
    """The TCP (and, for 'ssl', TLS) connection and the greeting; a timeout here means no server answered."""
    try:
        if settings.security == "ssl":
            return smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=_tls_context(settings)
            )
        return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except (TimeoutError, smtplib.SMTPServerDisconnected) as exc:  # smtplib wraps a greeting's timeout
        timed_out = isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)
        why = (
            f"no answer within {settings.timeout:g} s" if timed_out else f"closed before its greeting ({exc})"
        )
        raise MailError(
            f"{settings.where}: cannot connect: {why}", permanent=False, unreachable=True
        ) from None


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    smtp = _open(settings)
    if settings.security == "ssl":
        return smtp
    try:
        smtp.ehlo()
        if settings.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise MailError(f"{settings.where}: the server does not offer STARTTLS; nothing was sent")
            smtp.starttls(context=_tls_context(settings))
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _send_once(
    settings: SmtpSettings, password: str | None, msg: EmailMessage
) -> dict[str, tuple[int, bytes]]:
    smtp = _connect(settings)
    try:
        if password is not None:
            try:
                smtp.login(settings.username, password)
            except UnicodeEncodeError:  # smtplib sends AUTH data as ASCII only
                raise MailError(f"{settings.where}: the SMTP password or login is not ASCII text") from None
        refused = smtp.send_message(msg)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return refused


def send_message(
    settings: SmtpSettings,
    msg: EmailMessage,
    *,
    password: str | None,
    stop: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Send `msg`, retrying temporary failures `settings.retries` times; returns the addresses refused.

    Raises MailError when every attempt failed, at once for a permanent failure, or when `stop` is set while
    waiting to retry.
    """
    attempt = 0
    while True:
        try:
            refused = _send_once(settings, password, msg)
            return [f"{a} ({code})" for a, (code, _) in refused.items()]
        except Exception as exc:
            error = _classify(settings, exc)
        if error.permanent or attempt >= settings.retries:
            raise error
        delay = settings.retry_delay * (2**attempt)
        attempt += 1
        log.warning("%s; retry %d of %d in %.0f s", error, attempt, settings.retries, delay)
        if stop is not None:
            if stop.wait(delay):
                raise MailError(f"{settings.where}: stopped before retrying ({error})")
        else:
            sleep(delay)
