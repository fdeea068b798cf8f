"""A real SMTP server on loopback for the mail and scheduler tests: aiosmtpd on 127.0.0.1, port 0.

aiosmtpd 1.4's Controller connects to its configured port to check it started, which fails for port 0; the
subclass reads the bound port first. The sink keeps every message it accepted (envelope and raw bytes), can
answer DATA with prepared failure replies first (`replies`), and can require a login over STARTTLS or
implicit TLS with a self-signed certificate made here (the `cryptography` package comes with Scrapy)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        msg = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class Sink:
    """The handler: accepted messages, failure replies still to give, logins seen."""

    messages: list[Received] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)  # e.g. ["451 4.3.0 try later"], used before accepting
    logins: list[tuple[str, str]] = field(default_factory=list)
    attempts: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.replies:
            return self.replies.pop(0)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


class _Controller(Controller):
    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        super()._trigger_server()


@dataclass
class Server:
    sink: Sink
    host: str
    port: int


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 / localhost and its key, as PEM files; the certificate is its own CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xxgk test SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@contextmanager
def smtp_server(
    *,
    security: str = "none",
    cert: tuple[Path, Path] | None = None,
    login: tuple[str, str] | None = None,
    replies: list[str] | None = None,
) -> Iterator[Server]:
    """Serve SMTP on 127.0.0.1:<free port>: plain, with STARTTLS, or implicit TLS; optionally with a login."""
    sink = Sink(replies=list(replies or []))
    kwargs: dict[str, Any] = {}
    if security != "none":
        assert cert is not None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        kwargs["tls_context" if security == "starttls" else "ssl_context"] = context
    if security == "starttls":
        kwargs["require_starttls"] = True
    if login is not None:

        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            if not isinstance(data, LoginPassword):
                return AuthResult(success=False, handled=False)
            pair = (data.login.decode(), data.password.decode())
            sink.logins.append(pair)
            return AuthResult(success=pair == login)

        kwargs["authenticator"] = authenticator
        kwargs["auth_require_tls"] = security == "starttls"
    controller = _Controller(sink, hostname="127.0.0.1", port=0, **kwargs)
    controller.start()
    try:
        yield Server(sink, "127.0.0.1", controller.port)
    finally:
        controller.stop()
